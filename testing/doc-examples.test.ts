/**
 * Every `@example` in the TSDoc of jaxfx's sources (what `npm run docs` renders in the API
 * reference) type-checks under the project's strict settings, as a user would write it: with the
 * public names of "jaxfx", "jaxfx/effects" and "jaxfx/laws" (and `laws`, `fc`, Effect's modules) in scope (and the exports of the
 * example's own module, for the internal helpers documented there), unless the example writes its
 * own imports. An example written as the body of an `Effect.gen` (it uses `yield*`) is checked
 * inside one.
 */
import { execFileSync } from "node:child_process"
import { readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { repoRoot } from "./packed.js"
import { childEnv, tempDir } from "./temp-dir.js"

const sources = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    if (statSync(p).isDirectory()) return f === "node_modules" || f === "mutants" ? [] : sources(p)
    return p.endsWith(".ts") && !p.endsWith(".d.ts") && !/\.test\.ts$|test-helpers|golden-helpers|\.fixture\.ts$/.test(p) ? [p] : []
  })

/** The `@example` blocks of the doc comments of a source file: their text without ` * ` and fences. */
export const docExamples = (text: string): ReadonlyArray<string> =>
  [...text.matchAll(/\/\*\*([\s\S]*?)\*\//g)].flatMap((comment) => {
    const found: string[] = []
    let current: string[] | undefined
    for (const line of (comment[1] ?? "").split("\n").map((l) => l.replace(/^\s*\* ?/, ""))) {
      if (/^@\w/.test(line)) {
        if (current !== undefined) found.push(current.join("\n"))
        current = /^@example\b/.test(line) ? [line.replace(/^@example\s*/, "")] : undefined
      } else current?.push(line)
    }
    if (current !== undefined) found.push(current.join("\n"))
    return found.map((e) => e.replace(/^\s*```(ts|typescript)?\s*$/gm, "").trim()).filter((e) => e !== "")
  })

// Export names that are reserved words (lax's `switch`, np's `delete`) cannot be imported by name.
const reserved = new Set([
  "switch",
  "delete",
  "in",
  "do",
  "if",
  "for",
  "new",
  "try",
  "var",
  "case",
  "else",
  "enum",
  "void",
  "with",
  "break",
  "catch",
  "class",
  "const",
  "super",
  "throw",
  "while",
  "yield",
  "export",
  "import",
  "return",
  "typeof",
  "default",
  "extends",
  "finally",
  "continue",
  "debugger",
  "function",
  "instanceof"
])

/** Exported value and type names of a module's source (what an example of that module may use). */
export const exportedNames = (text: string): ReadonlyArray<string> => {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "")
  return [
    ...new Set([
      ...[...code.matchAll(/^export (?:declare )?(?:const|let|function\*?|class|abstract class|interface|type|enum) ([A-Za-z_$][\w$]*)/gm)].map(
        (m) => m[1] ?? ""
      ),
      ...[...code.matchAll(/^export (?:type )?\{([^}]*)\}(?!\s*from)/gm)].flatMap((m) =>
        (m[1] ?? "").split(",").map(
          (s) =>
            s
              .trim()
              .replace(/^type\s+/, "")
              .split(/\s+as\s+/)
              .pop() ?? ""
        )
      )
    ])
  ].filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && !reserved.has(n))
}

const publicNames = async (): Promise<ReadonlyArray<readonly [string, ReadonlyArray<string>]>> => {
  const seen = new Set<string>()
  const out: Array<readonly [string, ReadonlyArray<string>]> = []
  const modules: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
    ["jaxfx", await import("../index.js")],
    ["jaxfx/effects", await import("../effects/index.js")],
    ["jaxfx/laws", await import("../laws/index.js")],
    ["effect", { Effect: 0, Layer: 0, Context: 0, Schema: 0, Scope: 0, Option: 0, Stream: 0, FileSystem: 0 }],
    ["fast-check", { default: 0 }]
  ]
  for (const [spec, mod] of modules) {
    const names = Object.keys(mod).filter((k) => !seen.has(k))
    names.forEach((n) => seen.add(n))
    out.push([spec, names])
  }
  return out
}

/** The names an example imports itself. */
const importedNames = (imports: ReadonlyArray<string>): ReadonlyArray<string> =>
  imports.flatMap((line) => {
    const braces = /\{([^}]*)\}/.exec(line)?.[1]
    const named = (braces ?? "").split(",").map(
      (n) =>
        n
          .trim()
          .replace(/^type\s+/, "")
          .split(/\s+as\s+/)
          .pop() ?? ""
    )
    const single = /^import\s+(?:\*\s+as\s+)?([A-Za-z_$][\w$]*)/.exec(line)?.[1]
    return [...named, single ?? ""].filter((n) => n !== "")
  })

/**
 * The file a user would write for an example of `file` (a path relative to the repository): the
 * example's own imports (relative ones resolved from its source file), the public names it does
 * not import itself, the exports of its module, then its code (inside an `Effect.gen` when an
 * unindented line uses `yield*`).
 */
const exampleFile = (code: string, file: string, names: ReadonlyArray<readonly [string, ReadonlyArray<string>]>, own: ReadonlyArray<string>): string => {
  const lines = code.split("\n")
  const from = dirname(join(repoRoot, file))
  const imports = lines.filter((l) => /^import\s/.test(l)).map((l) => l.replace(/from "(\.\.?\/[^"]+)"/, (_, rel: string) => `from "${resolve(from, rel)}"`))
  const rest = lines.filter((l) => !/^import\s/.test(l)).join("\n")
  // A `yield*` on an unindented line (not in a generator the example writes) is the Effect.gen's.
  const topYield = rest.split("\n").some((l) => /^\S.*\byield\*|^yield\*/.test(l) && !/function\*/.test(l))
  const body = topYield ? `export const program = Effect.gen(function* () {\n${rest}\n})` : rest
  const taken = new Set([...importedNames(imports), ...(/^index\.ts$|\/index\.ts$/.test(file) ? [] : own)])
  const prelude = names.map(([spec, ns]) => {
    if (spec === "fast-check") return taken.has("fc") ? "" : `import fc from "fast-check"`
    if (spec === "jaxfx/laws" && !taken.has("laws"))
      return `import * as laws from "jaxfx/laws"\nimport { ${ns.filter((n) => !taken.has(n)).join(", ")} } from "jaxfx/laws"`
    const keep = ns.filter((n) => !taken.has(n))
    return keep.length === 0 ? "" : `import { ${keep.join(", ")} } from "${spec}"`
  })
  const ownNames = own.filter((n) => !importedNames(imports).includes(n))
  const self =
    ownNames.length === 0 || /^index\.ts$|\/index\.ts$/.test(file)
      ? ""
      : `import { ${ownNames.join(", ")} } from "${join(repoRoot, file).replace(/\.ts$/, ".js")}"`
  return `// ${file}\n${[...imports, ...prelude, self].filter((l) => l !== "").join("\n")}\n${body}\nexport {}\n`
}

describe("the API reference's examples", { timeout: 300_000 }, () => {
  const files = [join(repoRoot, "index.ts"), ...["core", "effects", "laws"].flatMap((d) => sources(join(repoRoot, d)))]
  const examples = files.flatMap((f) => {
    const text = readFileSync(f, "utf8")
    return docExamples(text).map((code, i) => ({ file: relative(repoRoot, f), from: `${relative(repoRoot, f)}#${i}`, code, own: exportedNames(text) }))
  })

  it("finds the examples, and extracts them from the comments", () => {
    expect(examples.length).toBeGreaterThanOrEqual(800)
    expect(docExamples("/**\n * Doc.\n *\n * @example\n * ```ts\n * const a = 1\n * ```\n */")).toEqual(["const a = 1"])
    expect(docExamples("/**\n * @example\n * np.sin(0) // 0\n * @param x the x\n */")).toEqual(["np.sin(0) // 0"])
    expect(exportedNames("export const a = 1\nexport type B = 2\nexport {\n  c as d, /** doc */ type E,\n  f as switch\n}\n")).toEqual(["a", "B", "d", "E"])
  })

  it("type-check", async () => {
    const names = await publicNames()
    const dir = process.env["JAXFX_DOC_EXAMPLES_DIR"] ?? tempDir("jaxfx-doc-examples-")
    examples.forEach((e, i) => writeFileSync(join(dir, `example-${i}.ts`), exampleFile(e.code, e.file, names, e.own)))
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
          noUnusedLocals: false,
          verbatimModuleSyntax: false,
          paths: { jaxfx: [r("index.ts")], "jaxfx/effects": [r("effects/index.ts")], "jaxfx/laws": [r("laws/index.ts")] }
        }
      })
    )
    let out = ""
    try {
      execFileSync(process.execPath, [r("node_modules/typescript/bin/tsc"), "-p", dir], { env: childEnv(), encoding: "utf8", maxBuffer: 1 << 26 })
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? e)
    }
    // Each error names the example's source (the first line of its file).
    const failing = [...new Set([...out.matchAll(/example-(\d+)\.ts\(/g)].map((m) => examples[Number(m[1])]?.from))]
    expect({ failing, out: out.slice(0, 4000) }).toEqual({ failing: [], out: "" })
  })
})
