/**
 * TensorFlow.js for the benchmarks' side-by-side rows: tfjs-core with its cpu and wasm backends,
 * and its gradients. tfjs-core's Node bundle registers no gradients (the @tensorflow/tfjs package
 * does, from ESM sources Node cannot import directly), so `withGradients` bundles
 * tfjs-core/dist/register_all_gradients.js with esbuild (tsx's own) into a temporary module and
 * imports it once: the gradients land in tfjs's process-wide registry.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createRequire } from "node:module"
import { pathToFileURL } from "node:url"
import * as tf from "@tensorflow/tfjs-core"
import "@tensorflow/tfjs-backend-cpu"
import "@tensorflow/tfjs-backend-wasm"

export { tf }

let registered: Promise<void> | undefined

/** Register tfjs's gradients (once per process). */
export const withGradients = (): Promise<void> => {
  registered ??= (async () => {
    const require = createRequire(import.meta.url)
    const esbuild = require("esbuild") as {
      buildSync: (o: Record<string, unknown>) => { outputFiles: ReadonlyArray<{ text: string }> }
    }
    const entry = require.resolve("@tensorflow/tfjs-core/dist/register_all_gradients.js")
    const out = esbuild.buildSync({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", write: false, logLevel: "error" })
    const file = join(mkdtempSync(join(tmpdir(), "jaxfx-bench-")), "tfjs-gradients.mjs")
    writeFileSync(file, out.outputFiles[0]!.text)
    await import(pathToFileURL(file).href)
  })()
  return registered
}
