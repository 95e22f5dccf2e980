/**
 * Import time of `jaxfx`: fresh Node processes that import the package and report how long the
 * import took (median of 5). The built package (`dist/`, from `npm run build`) is what users
 * import; without it, the TypeScript sources are imported through tsx (its transpile cache warm
 * after the first run), which is slower and labelled so.
 */
import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import { join } from "node:path"
import type { Row } from "./harness.js"

const root = join(import.meta.dirname, "..")

const once = (entry: string, viaTsx: boolean): number => {
  const code = `const t = performance.now(); await import(${JSON.stringify(entry)}); console.log(performance.now() - t)`
  const args = [...(viaTsx ? ["--import", "tsx"] : []), "--input-type=module", "-e", code]
  return Number(execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" }).trim().split("\n").pop())
}

export const importTimeBench = async (): Promise<Row[]> => {
  const dist = join(root, "dist", "index.js")
  const built = existsSync(dist)
  const entry = built ? dist : join(root, "index.ts")
  once(entry, !built) // warm the file system cache (and tsx's transpile cache)
  const times = Array.from({ length: 5 }, () => once(entry, !built)).sort((a, b) => a - b)
  return [
    {
      bench: `import jaxfx (${built ? "dist/, node" : "sources via tsx: run npm run build for dist/"})`,
      what: "jaxfx ms (median of 5 processes)",
      value: times[2]!.toFixed(0)
    }
  ]
}
