/**
 * Mutation check of the laws: plant known faults (faults.ts) one at a time in a scratch copy of the
 * repository and run the law tests that should catch each; report which law caught it.
 *
 *   npm run laws:mutants                 # every fault
 *   npm run laws:mutants -- --only jvp-sign,split-parent
 *   npm run laws:mutants -- --keep       # keep the scratch copy (its path is printed)
 *   npm run laws:mutants -- --verbose    # list every failing test per fault
 *   npm run laws:mutants -- --no-baseline
 *   npm run laws:mutants -- --list
 *
 * The copy holds the files git knows about (tracked, plus untracked files that are not ignored, so
 * work in progress is checked too), with node_modules symlinked. First the selected test files run
 * on the unmutated copy (they must pass); then, per fault, the file is edited (the edit must apply
 * exactly once), the fault's test files run with vitest's JSON reporter, and the file is restored.
 * Prints a table (fault, the law and test that caught it, time) and exits with status 1 if any
 * fault survives or no longer applies. Not part of `npm test`.
 */
import { spawnSync } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { type Fault, faults } from "./faults.js"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..")
const args = process.argv.slice(2)
const flag = (name: string): boolean => args.includes(name)
const option = (name: string): string | undefined => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1)
}

// ---------------------------------------------------------------------------------------------
// Vitest runs

interface TestFailure {
  readonly file: string
  readonly test: string
  readonly message: string
}

interface RunResult {
  readonly ok: boolean
  readonly total: number
  readonly failures: ReadonlyArray<TestFailure>
  readonly seconds: number
  /** Output of a run that produced no report (vitest itself failed). */
  readonly output: string
}

interface JsonAssertion {
  readonly fullName?: string
  readonly title?: string
  readonly status?: string
  readonly failureMessages?: ReadonlyArray<string>
}
interface JsonFile {
  readonly name?: string
  readonly status?: string
  readonly message?: string
  readonly assertionResults?: ReadonlyArray<JsonAssertion>
}
interface JsonReport {
  readonly numTotalTests?: number
  readonly testResults?: ReadonlyArray<JsonFile>
}

/** Run `vitest run <files>` in `cwd`; the failing tests with their messages. */
const vitest = (cwd: string, files: ReadonlyArray<string>): RunResult => {
  const out = join(cwd, ".laws-mutants-report.json")
  rmSync(out, { force: true })
  const start = performance.now()
  const bin = join(cwd, "node_modules", "vitest", "vitest.mjs")
  const p = spawnSync(process.execPath, [bin, "run", ...files, "--reporter=json", `--outputFile=${out}`], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0", CI: "1" },
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024
  })
  const seconds = (performance.now() - start) / 1000
  if (!existsSync(out)) {
    return { ok: false, total: 0, failures: [], seconds, output: `${p.error?.message ?? ""}\n${p.stdout}\n${p.stderr}`.trim() }
  }
  const report = JSON.parse(readFileSync(out, "utf8")) as JsonReport
  const failures: TestFailure[] = []
  for (const f of report.testResults ?? []) {
    const file = (f.name ?? "?").startsWith(cwd) ? (f.name ?? "?").slice(cwd.length + 1) : (f.name ?? "?")
    const failed = (f.assertionResults ?? []).filter((a) => a.status === "failed")
    for (const a of failed) failures.push({ file, test: a.fullName ?? a.title ?? "?", message: (a.failureMessages ?? []).join("\n") })
    if (failed.length === 0 && f.status === "failed") failures.push({ file, test: "(the file failed to run)", message: f.message ?? "" })
  }
  const ok = failures.length === 0 && p.status === 0
  // vitest failed without naming a failing test (an unhandled error, a crashed worker): say so.
  const output = failures.length === 0 && p.status !== 0 ? `vitest exited with status ${p.status}:\n${p.stdout}\n${p.stderr}`.trim() : ""
  return { ok, total: report.numTotalTests ?? 0, failures, seconds, output }
}

/** The law named in a failure report ("Law failed: <law> on <subject>"), else what failed. */
const lawOf = (f: TestFailure): string => {
  const m = /Law failed: (\w+)(?: on ([^\n]+))?/.exec(f.message)
  if (m !== null) return m[1]!
  if (f.test === "(the file failed to run)") return "(import failed)"
  return "(test assertion)"
}

// ---------------------------------------------------------------------------------------------
// The scratch copy

const gitFiles = (): string[] => {
  const p = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
  if (p.status !== 0) throw new Error(`git ls-files failed: ${p.stderr}`)
  return [...new Set(p.stdout.split("\0").filter((f) => f !== "" && !f.startsWith("node_modules/")))]
}

const makeCopy = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "jaxfx-mutants-"))
  let n = 0
  for (const f of gitFiles()) {
    const src = join(root, f)
    if (!existsSync(src)) continue // deleted in the working tree
    mkdirSync(dirname(join(dir, f)), { recursive: true })
    copyFileSync(src, join(dir, f))
    n++
  }
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir")
  console.log(`scratch copy: ${dir} (${n} files, node_modules symlinked)`)
  return dir
}

const occurrences = (text: string, find: string): number => text.split(find).length - 1

// ---------------------------------------------------------------------------------------------
// Main

interface Outcome {
  readonly fault: Fault
  readonly status: "caught" | "survived" | "not applied" | "error"
  readonly laws: ReadonlyArray<string>
  readonly example: string
  readonly failed: number
  readonly total: number
  readonly seconds: number
  readonly note: string
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + " ".repeat(n - s.length))

const printTable = (outcomes: ReadonlyArray<Outcome>): void => {
  const rows = outcomes.map((o) => [
    o.fault.id,
    o.status === "caught" ? o.laws.join(", ") : o.status.toUpperCase(),
    o.status === "caught" ? o.example : o.note,
    `${o.failed}/${o.total}`,
    `${o.seconds.toFixed(1)} s`
  ])
  const head = ["fault", "caught by (law)", "first failing test", "failed", "time"]
  const widths = head.map((h, i) => Math.min(i === 2 ? 70 : 60, Math.max(h.length, ...rows.map((r) => r[i]!.length))))
  const line = (cells: ReadonlyArray<string>): string =>
    `| ${cells.map((c, i) => pad(c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c, widths[i]!)).join(" | ")} |`
  console.log("")
  console.log(line(head))
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`)
  for (const r of rows) console.log(line(r))
}

const main = (): number => {
  const only = option("--only")
    ?.split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
  if (flag("--list")) {
    for (const f of faults) console.log(`${pad(f.id, 24)} ${f.description}\n${" ".repeat(25)}${f.file}; tests: ${f.tests.join(", ")}`)
    return 0
  }
  const selected = only === undefined ? faults : faults.filter((f) => only.includes(f.id))
  const unknown = (only ?? []).filter((id) => !faults.some((f) => f.id === id))
  if (unknown.length > 0) {
    console.error(`unknown fault(s): ${unknown.join(", ")} (see --list)`)
    return 2
  }
  const started = performance.now()
  // Every fault must still apply to the current code.
  const stale = selected.filter((f) => {
    const p = join(root, f.file)
    return !existsSync(p) || occurrences(readFileSync(p, "utf8"), f.find) !== 1
  })
  for (const f of stale) console.error(`fault ${f.id} no longer applies: its text is not found exactly once in ${f.file}; update laws/mutants/faults.ts`)

  const copy = makeCopy()
  const outcomes: Outcome[] = []
  try {
    const testFiles = [...new Set(selected.flatMap((f) => f.tests))]
    if (!flag("--no-baseline")) {
      process.stdout.write(`baseline: ${testFiles.length} test files on the unmutated copy ... `)
      const base = vitest(copy, testFiles)
      console.log(`${base.ok ? "pass" : "FAIL"} (${base.total} tests, ${base.seconds.toFixed(1)} s)`)
      if (!base.ok) {
        for (const f of base.failures.slice(0, 10)) console.error(`  ${f.file}: ${f.test}\n    ${f.message.split("\n")[0]}`)
        if (base.output !== "") console.error(base.output.slice(-4000))
        console.error("The law tests fail without any planted fault: fix that first (or pass --no-baseline).")
        return 2
      }
    }
    for (const fault of selected) {
      if (stale.includes(fault)) {
        outcomes.push({ fault, status: "not applied", laws: [], example: "", failed: 0, total: 0, seconds: 0, note: `text not found once in ${fault.file}` })
        continue
      }
      const path = join(copy, fault.file)
      const original = readFileSync(path, "utf8")
      writeFileSync(path, original.replace(fault.find, fault.replace))
      process.stdout.write(`${pad(fault.id, 24)} ${fault.tests.join(" ")} ... `)
      try {
        const r = vitest(copy, fault.tests)
        if (r.failures.length === 0 && r.output !== "") {
          console.log("ERROR")
          console.error(r.output.slice(-3000))
          outcomes.push({
            fault,
            status: "error",
            laws: [],
            example: "",
            failed: 0,
            total: r.total,
            seconds: r.seconds,
            note: "vitest failed without a failing test (see above)"
          })
          continue
        }
        // The laws that failed; tests that fail without a law report (a demonstration of a broken
        // variant that the fault happens to mask) are listed only when no law failed.
        const named = [...new Set(r.failures.map(lawOf))]
        const laws = named.some((l) => !l.startsWith("(")) ? named.filter((l) => !l.startsWith("(")) : named
        const first = r.failures.find((f) => lawOf(f) !== "(test assertion)") ?? r.failures[0]
        const status = r.failures.length > 0 ? "caught" : "survived"
        console.log(`${status} (${r.failures.length} of ${r.total} tests failed, ${r.seconds.toFixed(1)} s)`)
        if (flag("--verbose")) for (const f of r.failures) console.log(`    ${lawOf(f)}: ${f.file} > ${f.test}`)
        outcomes.push({
          fault,
          status,
          laws,
          example: first === undefined ? "" : `${first.file.replace(/^laws\//, "")} > ${first.test}`,
          failed: r.failures.length,
          total: r.total,
          seconds: r.seconds,
          note: status === "survived" ? "every test passed" : ""
        })
      } finally {
        writeFileSync(path, original)
      }
    }
  } finally {
    if (flag("--keep")) console.log(`kept the scratch copy at ${copy}`)
    else rmSync(copy, { recursive: true, force: true })
  }
  printTable(outcomes)
  const bad = outcomes.filter((o) => o.status !== "caught")
  console.log(
    `\n${outcomes.length - bad.length} of ${outcomes.length} planted faults caught in ${((performance.now() - started) / 1000).toFixed(1)} s` +
      (bad.length === 0 ? "." : `; not caught: ${bad.map((o) => `${o.fault.id} (${o.status})`).join(", ")}.`)
  )
  return bad.length === 0 ? 0 : 1
}

process.exitCode = main()
