/**
 * The fenced ```ts examples in the TSDoc of jaxfx's sources (what `npm run docs` renders in the API
 * reference) type-check under the project's strict settings, importing "jaxfx", "jaxfx/effects"
 * and "jaxfx/laws" as a user would.
 */
import { execFileSync } from "node:child_process"
import { readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { describe, expect, it } from "vitest"
import { repoRoot } from "./packed.js"
import { childEnv, tempDir } from "./temp-dir.js"

const sources = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    if (statSync(p).isDirectory()) return f === "node_modules" || f === "mutants" ? [] : sources(p)
    return p.endsWith(".ts") && !p.endsWith(".d.ts") && !/\.test\.ts$|test-helpers|golden-helpers/.test(p) ? [p] : []
  })

/** The ```ts blocks inside the doc comments of a source file, without their leading ` * `. */
export const docExamples = (text: string): ReadonlyArray<string> =>
  [...text.matchAll(/^\s*\* ```ts\n([\s\S]*?)^\s*\* ```$/gm)].map((m) =>
    (m[1] ?? "")
      .split("\n")
      .map((l) => l.replace(/^\s*\* ?/, ""))
      .join("\n")
  )

describe("the API reference's examples", { timeout: 300_000 }, () => {
  const files = [join(repoRoot, "index.ts"), ...["core", "effects", "laws"].flatMap((d) => sources(join(repoRoot, d)))]
  const examples = files.flatMap((f) => docExamples(readFileSync(f, "utf8")).map((code, i) => ({ from: `${relative(repoRoot, f)}#${i}`, code })))

  it("finds the examples, and extracts them from the comments", () => {
    expect(examples.length).toBeGreaterThanOrEqual(3)
    expect(docExamples("/**\n * @example\n * ```ts\n * const a = 1\n * ```\n */")).toEqual(["const a = 1\n"])
  })

  it("type-check", () => {
    const dir = tempDir("jaxfx-doc-examples-")
    examples.forEach((e, i) => writeFileSync(join(dir, `example-${i}.ts`), `// ${e.from}\n${e.code}\nexport {}\n`))
    const r = (p: string) => join(repoRoot, p)
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }))
    symlinkSync(r("node_modules"), join(dir, "node_modules"), "dir")
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: r("tsconfig.json"),
        include: ["example-*.ts"],
        compilerOptions: {
          noEmit: true,
          rootDir: "/",
          paths: { jaxfx: [r("index.ts")], "jaxfx/effects": [r("effects/index.ts")], "jaxfx/laws": [r("laws/index.ts")] }
        }
      })
    )
    let out = ""
    try {
      execFileSync(process.execPath, [r("node_modules/typescript/bin/tsc"), "-p", dir], { env: childEnv(), encoding: "utf8" })
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? e)
    }
    expect(out).toBe("")
  })
})
