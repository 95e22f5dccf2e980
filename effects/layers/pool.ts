/**
 * Pooling layers as Haiku has them (hk.MaxPool, hk.AvgPool): `lax.reduceWindow` over windows of
 * the non-batch, non-channel axes. A window or stride given as one integer applies to every axis
 * but the first (batch) and the channel axis; a list shorter than the input's rank applies to its
 * last axes. AvgPool with "SAME" padding divides by the number of input elements in each window
 * (padding excluded), as Haiku does. No parameters.
 */
import { Effect } from "effect"
import { type Array, lax, np, ShapeError, ValueError } from "../../index.js"
import { checkOneOf, checkOptions, optionKeys } from "../../core/options.js"
import { floatInput, type Layer, layerName, makeLayer } from "./layer.js"

export interface PoolOptions {
  /** The window: one integer (every spatial axis) or one per axis (the last axes when fewer than the rank). */
  readonly windowShape: number | ReadonlyArray<number>
  /** The step between windows, given as the window is. */
  readonly strides: number | ReadonlyArray<number>
  /** "VALID" or "SAME" (Haiku's two modes). */
  readonly padding: "SAME" | "VALID"
  /** The channel axis, left out of an integer window or stride (default -1). */
  readonly channelAxis?: number | undefined
  /** The module name (default "max_pool" / "avg_pool", made unique). */
  readonly name?: string | undefined
}
const poolKeys = optionKeys<PoolOptions>()("windowShape", "strides", "padding", "channelAxis", "name")

/** Haiku's _infer_shape: a window or stride for every axis of x. */
const inferShape = (caller: string, what: string, x: Array, size: number | ReadonlyArray<number>, channelAxis: number): number[] => {
  if (typeof size === "number") {
    if (channelAxis < -x.ndim || channelAxis >= x.ndim)
      throw new ShapeError(`${caller}: channelAxis ${channelAxis} is out of range for an input of rank ${x.ndim}.`)
    const c = channelAxis < 0 ? channelAxis + x.ndim : channelAxis
    return x.shape.map((_, d) => (d === 0 || d === c ? 1 : size))
  }
  if (size.length > x.ndim) throw new ShapeError(`${caller}: ${what} has ${size.length} entries for an input of rank ${x.ndim}.`)
  return [...globalThis.Array.from({ length: x.ndim - size.length }, () => 1), ...size]
}

const checkSize = (caller: string, what: string, v: unknown): number | ReadonlyArray<number> => {
  const ok = (n: unknown) => typeof n === "number" && Number.isInteger(n) && n > 0
  if (ok(v) || (globalThis.Array.isArray(v) && v.every(ok))) return v as number | ReadonlyArray<number>
  throw new ValueError(`${caller}: ${what} must be a positive integer or a list of them, got ${JSON.stringify(v)}.`)
}

const makePool = (caller: string, base: string, options: PoolOptions, avg: boolean): Layer => {
  checkOptions(caller, options, poolKeys)
  const window = checkSize(caller, "windowShape", options?.windowShape)
  const strides = checkSize(caller, "strides", options.strides)
  if (options.padding === undefined) throw new ValueError(`${caller}: padding is required: "SAME" or "VALID".`)
  checkOneOf(caller, "padding", options.padding, ["SAME", "VALID"])
  const channelAxis = options.channelAxis ?? -1
  if (!Number.isInteger(channelAxis)) throw new ValueError(`${caller}: channelAxis must be an integer, got ${String(channelAxis)}.`)
  const name = layerName(caller, options.name)
  return makeLayer(caller, base, name, (x) =>
    Effect.sync(() => {
      floatInput(caller, x)
      const w = inferShape(caller, "windowShape", x, window, channelAxis)
      const s = inferShape(caller, "strides", x, strides, channelAxis)
      const o = { windowStrides: s, padding: options.padding }
      if (!avg) return lax.reduceWindow(x, -Infinity, lax.max, w, o)
      const sum = lax.reduceWindow(x, 0, lax.add, w, o)
      if (options.padding === "VALID") return sum.div(w.reduce((a, b) => a * b, 1))
      return sum.div(lax.reduceWindow(np.onesLike(x), 0, lax.add, w, o))
    })
  )
}

/**
 * Max pooling (hk.MaxPool): the largest value of each window; its gradient goes to the first
 * largest element of each window, as in JAX.
 *
 * @example
 * const pool = MaxPool({ windowShape: 2, strides: 2, padding: "VALID" })
 * transform(pool).apply({}, null, np.ones([8, 28, 28, 32])).shape   // [8, 14, 14, 32]
 */
export const MaxPool = (options: PoolOptions): Layer<never> => makePool("MaxPool", "max_pool", options, false) as Layer<never>

/**
 * Average pooling (hk.AvgPool): the mean of each window (with "SAME", over its elements inside the
 * input).
 *
 * @example
 * const pool = AvgPool({ windowShape: 3, strides: 1, padding: "SAME" })
 * transform(pool).apply({}, null, np.ones([1, 5, 5, 2])).shape   // [1, 5, 5, 2]
 */
export const AvgPool = (options: PoolOptions): Layer<never> => makePool("AvgPool", "avg_pool", options, true) as Layer<never>
