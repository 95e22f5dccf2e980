/**
 * Bundling for the browser with esbuild: the playground (page script app.js, worker CPU devices'
 * script worker.js, index.html) and the check that the package's entries bundle with no Node
 * built-in.
 */
import { copyFileSync, mkdirSync } from "node:fs"
import { join } from "node:path"
import { build, type Metafile } from "esbuild"

const root = join(import.meta.dirname, "..")

/** The Node built-in modules a browser bundle of `entry` imports (none for a browser-ready entry). */
export const nodeBuiltinsIn = (metafile: Metafile): ReadonlyArray<string> => {
  const found = new Set<string>()
  for (const input of Object.values(metafile.inputs)) {
    for (const i of input.imports) if (i.path.startsWith("node:") || i.external === true) found.add(i.path)
  }
  return [...found].sort()
}

/**
 * Bundle `entries` (paths relative to the repository) for browsers, in memory; the esbuild errors
 * (such as "Could not resolve node:fs") are thrown.
 *
 * @example
 * const meta = await bundleForBrowser(["index.ts", "effects/index.ts"])
 */
export const bundleForBrowser = async (entries: ReadonlyArray<string>): Promise<Metafile> => {
  const r = await build({
    absWorkingDir: root,
    entryPoints: [...entries],
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    outdir: "out/bundle-check",
    metafile: true,
    logLevel: "silent"
  })
  return r.metafile
}

/**
 * Build the playground into `outdir`: index.html, app.js (the page) and worker.js (jaxfx's worker
 * entry, which the page names in the `jaxfxWorkerUrl` setting).
 *
 * @example
 * await buildPlayground("out/playground")
 */
export const buildPlayground = async (outdir: string): Promise<void> => {
  mkdirSync(outdir, { recursive: true })
  await build({
    absWorkingDir: root,
    entryPoints: { app: "playground/main.ts", worker: "backends/cpu/worker/main.ts" },
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    outdir,
    sourcemap: true,
    logLevel: "warning"
  })
  copyFileSync(join(import.meta.dirname, "index.html"), join(outdir, "index.html"))
}
