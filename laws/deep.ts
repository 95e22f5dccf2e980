/**
 * The deep run of the laws: every law on every catalogued function (including backend
 * equivalence across the CPU paths), on random programs, the PRNG laws on several samplers and the
 * state laws, with many more cases than the test suite and a fresh seed (printed, for replay).
 *
 *   npx tsx laws/deep.ts [runs=200] [seed]
 *
 * Exits with status 1 if any law fails; every failure's full report is printed.
 */
import type fc from "fast-check"
import { random } from "../index.js"
import { allEntries, type CatalogEntry, entryProperty, type LawOn } from "./catalog.js"
import * as laws from "./index.js"

const runs = Number(process.argv[2] ?? 200)
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31)

interface Job {
  readonly name: string
  readonly property: () => fc.IProperty<[unknown]>
  readonly runs: number
}

const jobs: Job[] = []
/** The law on an entry's variants, small and (where the law can afford them) large. */
const onEntry = (e: CatalogEntry, law: string, on: LawOn, n: number, large: boolean): void => {
  jobs.push({ name: `${e.name}: ${law}`, property: () => entryProperty(e, law, on) as Law, runs: n })
  if (large && e.large !== undefined)
    jobs.push({ name: `${e.name} (large): ${law}`, property: () => entryProperty(e, law, on, "large") as Law, runs: Math.ceil(n / 10) })
}
for (const e of allEntries()) {
  onEntry(e, "jitMatchesEager", (f, args) => laws.jitMatchesEager(f, args), runs, true)
  onEntry(e, "vmapMatchesStack", (f, args) => laws.vmapMatchesStack(f, args), Math.ceil(runs / 2), true)
  if (!e.differentiable) continue
  onEntry(e, "gradMatchesFiniteDifferences", (f, args) => laws.gradMatchesFiniteDifferences(laws.scalarize(f), args), Math.ceil(runs / 2), false)
  onEntry(e, "jvpIsLinear", (f, args) => laws.jvpIsLinear(f, args), runs, true)
  onEntry(e, "vjpIsAdjointOfJvp", (f, args) => laws.vjpIsAdjointOfJvp(f, args), runs, true)
  onEntry(e, "jitGradCommutes", (f, args) => laws.jitGradCommutes(laws.scalarize(f), args), Math.ceil(runs / 2), true)
}
for (const [name, law] of Object.entries(laws.programLaws)) {
  jobs.push({ name: `random programs: ${name}`, property: () => (law as () => fc.IProperty<[unknown]>)(), runs: runs * 5 })
}

// Devices: eager CPU, compiled CPU and a second CPU backend instance agree bit for bit.
const devices = laws.cpuDevices()
for (const e of allEntries()) onEntry(e, "backendsAgree", (f, args) => laws.backendsAgree(f, args, { devices, tolerance: "exact" }), Math.ceil(runs / 4), true)

// PRNG and state.
type Law = fc.IProperty<[unknown]>
type Key = random.PRNGKeyArray
jobs.push({ name: "random.split: splitIsDeterministic", property: () => laws.splitIsDeterministic() as Law, runs })
jobs.push({ name: "random.split: splitKeysDistinct", property: () => laws.splitKeysDistinct(undefined, { depth: 3 }) as Law, runs })
jobs.push({ name: "random.foldIn: foldInDistinct", property: () => laws.foldInDistinct() as Law, runs })
const samplers: ReadonlyArray<readonly [string, (k: Key) => unknown]> = [
  ["normal", (k) => random.normal(k, [3])],
  ["uniform", (k) => random.uniform(k, [2, 2], { minval: -1, maxval: 1 })],
  ["bernoulli", (k) => random.bernoulli(k, 0.3, [4])],
  ["randint", (k) => random.randint(k, [3], 0, 100)],
  ["gumbel(float64)", (k) => random.gumbel(k, [2], "float64")],
  ["permutation", (k) => random.permutation(k, 5)]
]
for (const [name, sampler] of samplers) {
  jobs.push({ name: `random.${name}: samplerDeterministic`, property: () => laws.samplerDeterministic(sampler) as Law, runs: Math.ceil(runs / 4) })
}
jobs.push({ name: "state programs: stateJitInvariance", property: () => laws.stateJitInvariance() as Law, runs: runs * 2 })
jobs.push({ name: "state slots: setThenGet", property: () => laws.setThenGet() as Law, runs })

console.log(`jaxfx laws, deep run: ${jobs.length} checks, seed ${seed}`)
let failed = 0
const start = performance.now()
for (const job of jobs) {
  try {
    laws.check(job.property(), { seed, numRuns: job.runs })
  } catch (e) {
    failed++
    console.log(`\n✗ ${job.name}\n${e instanceof Error ? e.message : String(e)}`)
  }
}
console.log(`\n${jobs.length - failed} of ${jobs.length} checks held (${((performance.now() - start) / 1000).toFixed(1)} s, seed ${seed})`)
process.exitCode = failed === 0 ? 0 : 1
