/**
 * Running a playground snippet: its code becomes the body of an async function that sees jaxfx's
 * namespaces (`np`, `lax`, `nn`, `random`, `jit`, `grad`, `vmap`, ...), `print` and `plot`, with the
 * chosen device as the default device (its arrays live there: a Web Worker device or the GPU).
 */
import * as jaxfx from "../index.js"
import { renderSvg, type Series } from "../examples/plot-svg.js"

/** What a run printed (one string per `print`), the plots it drew (SVG documents), or the error it stopped with. */
export interface RunResult {
  readonly printed: ReadonlyArray<string>
  readonly plots: ReadonlyArray<string>
  readonly error: string | undefined
}

/** A series as a snippet gives it to `plot`: its x and y values as arrays (on any device) or numbers. */
export interface SnippetSeries {
  readonly kind: "scatter" | "line"
  readonly xs: jaxfx.Array | ReadonlyArray<number>
  readonly ys: jaxfx.Array | ReadonlyArray<number>
  readonly label?: string
  readonly color?: string
}

/** Python's `print` of a value: arrays as NumPy's str, read from their device without blocking. */
const show = async (x: unknown): Promise<string> => {
  if (x instanceof jaxfx.Array) return (await jaxfx.devicePutAsync(x, jaxfx.devices()[0]!)).str()
  if (globalThis.Array.isArray(x)) return `(${(await Promise.all(x.map(show))).join(", ")})`
  return String(x)
}

/** The values of a series' xs or ys as numbers, read from their device without blocking. */
const values = async (v: jaxfx.Array | ReadonlyArray<number>): Promise<ReadonlyArray<number>> =>
  v instanceof jaxfx.Array ? [...(await jaxfx.devicePutAsync(v.astype("float32"), jaxfx.devices()[0]!)).data()] : v

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>

const scope = {
  jaxfx,
  np: jaxfx.np,
  lax: jaxfx.lax,
  nn: jaxfx.nn,
  random: jaxfx.random,
  tree: jaxfx.tree,
  jit: jaxfx.jit,
  grad: jaxfx.grad,
  valueAndGrad: jaxfx.valueAndGrad,
  vmap: jaxfx.vmap,
  devices: jaxfx.devices,
  devicePut: jaxfx.devicePut
}

/**
 * Run `code` with `device` (a CPU device's id, or a platform name such as "webgpu" for its first
 * device) as the default device; collects what it prints (`await print(x)`) and the plots it draws
 * (`await plot(title, [{ kind: "scatter" | "line", xs, ys, label }])`, rendered by Vega-Lite to SVG).
 *
 * @example
 * const { printed } = await runSnippet("await print(np.arange(3))", 1)  // ["[0 1 2]"], computed on CpuDevice(id=1)
 */
export const runSnippet = async (
  code: string,
  device: number | string,
  onPrint?: (line: string) => void,
  onPlot?: (svg: string) => void
): Promise<RunResult> => {
  const printed: string[] = []
  const print = async (...xs: unknown[]): Promise<void> => {
    const line = (await Promise.all(xs.map(show))).join(" ")
    printed.push(line)
    onPrint?.(line)
  }
  const plots: string[] = []
  const plot = async (title: string, series: ReadonlyArray<SnippetSeries>): Promise<void> => {
    const read: Series[] = []
    for (const s of series) read.push({ ...s, xs: await values(s.xs), ys: await values(s.ys) })
    const svg = await renderSvg(title, read)
    plots.push(svg)
    onPlot?.(svg)
  }
  const previous = jaxfx.config.read("jaxDefaultDevice")
  jaxfx.config.update("jaxDefaultDevice", device)
  try {
    const names = [...Object.keys(scope), "print", "plot"]
    const f = new AsyncFunction(...names, `"use strict";\n${code}`)
    await f(...Object.values(scope), print, plot)
    return { printed, plots, error: undefined }
  } catch (e) {
    return { printed, plots, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }
  } finally {
    jaxfx.config.update("jaxDefaultDevice", previous)
  }
}
