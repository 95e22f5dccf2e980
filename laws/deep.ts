/**
 * The deep run of the laws: every law on every catalogued function and on random programs, with
 * many more cases than the test suite and a fresh seed (printed, so a failure can be replayed).
 *
 *   npx tsx laws/deep.ts [runs=200] [seed]
 *
 * Exits with status 1 if any law fails; every failure's full report is printed.
 */
import type fc from "fast-check"
import { allEntries } from "./catalog.js"
import * as laws from "./index.js"

const runs = Number(process.argv[2] ?? 200)
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31)

interface Job {
  readonly name: string
  readonly property: () => fc.IProperty<[unknown]>
  readonly runs: number
}

const jobs: Job[] = []
for (const e of allEntries()) {
  jobs.push({ name: `${e.name}: jitMatchesEager`, property: () => laws.jitMatchesEager(e.f, e.args), runs })
  jobs.push({ name: `${e.name}: vmapMatchesStack`, property: () => laws.vmapMatchesStack(e.f, e.args), runs: Math.ceil(runs / 2) })
  if (!e.differentiable) continue
  const loss = laws.scalarize(e.f)
  jobs.push({ name: `${e.name}: gradMatchesFiniteDifferences`, property: () => laws.gradMatchesFiniteDifferences(loss, e.args), runs: Math.ceil(runs / 2) })
  jobs.push({ name: `${e.name}: jvpIsLinear`, property: () => laws.jvpIsLinear(e.f, e.args), runs })
  jobs.push({ name: `${e.name}: vjpIsAdjointOfJvp`, property: () => laws.vjpIsAdjointOfJvp(e.f, e.args), runs })
  jobs.push({ name: `${e.name}: jitGradCommutes`, property: () => laws.jitGradCommutes(loss, e.args), runs: Math.ceil(runs / 2) })
}
for (const [name, law] of Object.entries(laws.programLaws)) {
  jobs.push({ name: `random programs: ${name}`, property: () => (law as () => fc.IProperty<[unknown]>)(), runs: runs * 5 })
}

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
