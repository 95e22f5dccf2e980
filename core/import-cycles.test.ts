/**
 * No import cycles in the source tree: a module graph with cycles makes load order matter (a value
 * imported from a module that is still loading is undefined) and hides layering. The test reads
 * every .ts file, takes its relative `import ... from` / `export ... from` / bare `import "..."`
 * specifiers (not `import type` / `export type`, which TypeScript erases; `import { type X }` stays
 * as a runtime import under verbatimModuleSyntax, so it counts), and reports each cycle it finds.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")

const sourceFiles = (dir: string, out: string[] = []): string[] => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name === "dist" || e.name.startsWith(".")) continue
    const p = join(dir, e.name)
    if (e.isDirectory()) sourceFiles(p, out)
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(p)
  }
  return out
}

/** Strip comments (so commented-out imports do not count); strings are left alone. */
const stripComments = (src: string): string => src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1")

const fromClause = /(?:^|[\n;])\s*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*["']([^"']+)["']/g
const bareImport = /(?:^|[\n;])\s*import\s*["']([^"']+)["']/g

/** The relative modules a file imports at run time, as absolute .ts paths. */
const runtimeImports = (file: string, src: string): string[] => {
  const text = stripComments(src)
  const specs: string[] = []
  for (const m of text.matchAll(fromClause)) if (m[2] === undefined) specs.push(m[4]!)
  for (const m of text.matchAll(bareImport)) specs.push(m[1]!)
  return specs.filter((s) => s.startsWith(".")).map((s) => resolve(dirname(file), s.replace(/\.js$/, ".ts")))
}

/** Every cycle's files, one per strongly connected component (Tarjan), each as a closed path. */
const findCycles = (graph: ReadonlyMap<string, ReadonlyArray<string>>): string[][] => {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  const visit = (v: string): void => {
    index.set(v, next)
    low.set(v, next++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        c.push(w)
      } while (w !== v)
      if (c.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(c)
    }
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v)
  // One concrete cycle per component: a shortest path back to its first file, inside the component.
  return components.map((c) => {
    const members = new Set(c)
    const start = [...c].sort()[0]!
    const prev = new Map<string, string>()
    const queue = [start]
    for (let i = 0; i < queue.length; i++) {
      const v = queue[i]!
      for (const w of graph.get(v) ?? []) {
        if (!members.has(w)) continue
        if (w === start) {
          const path = [v]
          while (path[0] !== start) path.unshift(prev.get(path[0]!)!)
          return [...path, start]
        }
        if (!prev.has(w)) {
          prev.set(w, v)
          queue.push(w)
        }
      }
    }
    return [...c, c[0]!]
  })
}

describe("the import graph", () => {
  it("finds a planted cycle (the checker can fail)", () => {
    const g = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a", "d"]],
      ["d", []],
      ["e", ["e"]]
    ])
    expect(
      findCycles(g)
        .map((c) => c.join(" -> "))
        .sort()
    ).toEqual(["a -> b -> c -> a", "e -> e"])
    const src =
      'import type { T } from "./t.js"\nimport { type U } from "./u.js"\n// import { x } from "./gone.js"\nexport { y } from "./y.js"\nimport "./side.js"'
    expect(runtimeImports("/r/m.ts", src).sort()).toEqual(["/r/side.ts", "/r/u.ts", "/r/y.ts"])
  })

  it("has no cycles among the source files", () => {
    const files = sourceFiles(root)
    expect(files.length).toBeGreaterThan(100)
    const graph = new Map<string, string[]>()
    for (const f of files)
      graph.set(
        f,
        runtimeImports(f, readFileSync(f, "utf8")).filter((d) => existsSync(d))
      )
    const cycles = findCycles(graph).map((c) => c.map((f) => relative(root, f)).join(" -> "))
    expect(cycles, `import cycles:\n${cycles.join("\n")}`).toEqual([])
  })
})
