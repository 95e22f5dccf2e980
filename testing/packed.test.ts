/**
 * jaxfx as a new user installs it: the packed tarball in a fresh TypeScript project (`tsc --init`,
 * strict), offline. The README's examples type-check there and run, printing the values their
 * comments show; the package imports only what it declares; the README's links resolve inside the
 * package.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs"
import { join, relative } from "node:path"
import { builtinModules } from "node:module"
import { beforeAll, describe, expect, it } from "vitest"
import { bareImports, codeBlocks, freshProject, pack, packageOf, type Packed, readPackageJson, repoRoot } from "./packed.js"
import { childEnv, tempDir } from "./temp-dir.js"

/** A quick-tour line `expr   // Array(...)` becomes a check that `expr` prints as its comment says. */
export const withPrintChecks = (block: string): string =>
  block
    .split("\n")
    .map((line) => {
      const m = /^([a-zA-Z][\w.()[\], ]*?)\s+\/\/ (Array\([^;]*\))(?:;.*)?$/.exec(line)
      if (m === null || m[2]?.includes("...") === true || /^(const|let|import)\b/.test(m[1] ?? "")) return line
      return `__expectPrinted(${m[1]}, ${JSON.stringify(m[2])})`
    })
    .join("\n") +
  `
function __expectPrinted(value: unknown, text: string): void {
  if (String(value) !== text) throw new Error("printed " + String(value) + ", the README says " + text)
  console.log("checked: " + text)
}
`

const files = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]))

describe("the packed package in a fresh project", { timeout: 400_000 }, () => {
  let work = ""
  let packed: Packed = { tarball: "", files: [] }
  let app = ""
  const env = childEnv({ npm_config_offline: "true", npm_config_update_notifier: "false", npm_config_audit: "false", npm_config_fund: "false" })
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8")
  const blocks = codeBlocks(readme, "ts")
  const docBlocks = codeBlocks(readFileSync(join(repoRoot, "docs", "for-jax-users.md"), "utf8"), "ts")

  beforeAll(async () => {
    work = tempDir("jaxfx-packed-")
    packed = await pack(work, env)
    app = freshProject(work, packed, ["typescript"], env)
  }, 400_000)

  it("holds the build, the README and package.json, and no tests", () => {
    expect(packed.files).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "dist/index.js",
        "dist/index.d.ts",
        "dist/effects.js",
        "dist/effects/index.d.ts",
        "dist/laws.js",
        "dist/main.js"
      ])
    )
    expect(packed.files.filter((f) => /\.test\.|test-helpers|golden-helpers/.test(f))).toEqual([])
  })

  it("imports only node built-ins and the packages it declares", () => {
    const pkg = readPackageJson(repoRoot)
    const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {}), "jaxfx"])
    const builtins = new Set(builtinModules)
    const undeclared = files(join(app, "node_modules", "jaxfx", "dist"))
      .filter((f) => f.endsWith(".js"))
      .flatMap((f) => bareImports(readFileSync(f, "utf8")).map((s) => ({ file: relative(app, f), s })))
      .filter(({ s }) => !s.startsWith("node:") && !builtins.has(s) && !declared.has(packageOf(s)))
    expect(undeclared).toEqual([])
  })

  it("runs a worker CPU device from the bundled package (its entry dist/main.js found beside the bundle)", () => {
    const script = [
      'import { np, devices, devicePut } from "jaxfx"',
      "const y = devicePut(np.arange(4), devices()[1]).mul(3)",
      'console.log(String(y.device), Array.from(await y.dataAsync()).join(","))'
    ].join("\n")
    writeFileSync(join(app, "worker-check.mjs"), script)
    const r = spawnSync(process.execPath, ["worker-check.mjs"], {
      cwd: app,
      env: { ...env, JAXFX_CPU_DEVICES: "2", JAXFX_DEFAULT_DEVICE: "0" },
      encoding: "utf8",
      timeout: 120_000
    })
    expect({ stderr: r.stderr, stdout: r.stdout.trim() }).toEqual({ stderr: "", stdout: "CpuDevice(id=1) 0,3,6,9" })
  })

  it("has a README whose relative links resolve inside the package", () => {
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1] ?? "").filter((l) => !/^[a-z]+:/.test(l))
    expect(links.filter((l) => !packed.files.includes(l.replace(/^\.\//, "")))).toEqual([])
    expect(readme).not.toMatch(/\.\.\/(shared|docs)\//)
    expect(readme).toContain("npm install jaxfx effect")
  })

  it("type-checks the README's examples with tsc --init's strict settings, and runs them", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4)
    const tsc = join(app, "node_modules", "typescript", "bin", "tsc")
    execFileSync(process.execPath, [tsc, "--init"], { cwd: app, env, stdio: "ignore" })
    const config = readFileSync(join(app, "tsconfig.json"), "utf8")
    expect(config).toMatch(/^\s*"strict": true/m)
    mkdirSync(join(app, "src"))
    blocks.forEach((b, i) => writeFileSync(join(app, "src", `readme-${i}.ts`), i === 0 ? withPrintChecks(b) : b))
    docBlocks.forEach((b, i) => writeFileSync(join(app, "src", `for-jax-users-${i}.ts`), b))
    const r = spawnSync(process.execPath, [tsc, "-p", ".", "--rootDir", "src", "--outDir", "out"], { cwd: app, env, encoding: "utf8" })
    expect(r.stdout + r.stderr).toBe("")
    expect(r.status).toBe(0)

    const node = (i: number, name = "readme") =>
      spawnSync(process.execPath, [join("out", `${name}-${i}.js`)], { cwd: app, env, encoding: "utf8", timeout: 120_000 })
    const tour = node(0)
    expect(tour.stderr).toBe("")
    expect(tour.stdout).toContain("checked: Array(30., dtype=float32)")
    expect(tour.stdout).toContain("checked: Array([2., 4., 6., 8.], dtype=float32)")
    expect(tour.stdout).toContain("checked: Array([123,   2,   3], dtype=int32)")
    for (let i = 1; i < blocks.length; i++) {
      const r = node(i)
      // The first laws example shows a law catching a wrong rule: it ends with that failure.
      if (blocks[i]?.includes("badLoss") === true) expect(r.stderr).toContain("Law failed: gradMatchesFiniteDifferences on badLoss")
      else expect({ block: i, stderr: r.stderr, status: r.status }).toEqual({ block: i, stderr: "", status: 0 })
    }
    expect(docBlocks.length).toBeGreaterThanOrEqual(1)
    const program = node(0, "for-jax-users")
    expect(program.stderr).toBe("")
    const w = /Array\(\[\s*([-\d.e]+)\s*,\s*([-\d.e]+)\s*,\s*([-\d.e]+)\s*\]/.exec(program.stdout)
    expect(
      w
        ?.slice(1)
        .map(Number)
        .map((v) => Math.round(v * 10) / 10)
    ).toEqual([1, -2, 0.5])
  })
})
