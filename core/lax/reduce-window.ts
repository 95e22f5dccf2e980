/**
 * `lax.reduceWindow`: a reduction over sliding windows (pooling), built from primitives so that
 * grad, vmap and jit see only primitives: the operand is padded with the init value (interior
 * padding for base dilation), every window is gathered axis by axis (strides and window dilation
 * in the indices), and the windows are reduced. The monoid reducers are recognized as JAX does
 * (`lax.add` with 0, `lax.max` with the dtype's lowest value, `lax.min` with its highest):
 * the sum's gradient spreads the cotangent over each window (pad and a sum of shifted windows,
 * as JAX's transpose), max and min send it to the first extreme element of each window (JAX's
 * select-and-scatter-add). Any other reducer is folded over the window positions.
 */
import { Array } from "../array.js"
import type { DType } from "../dtype.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { constant, range } from "../primitives/common.js"
import { dilateDim } from "../primitives/conv.js"
import { add, eq, max, min, mul, select } from "../primitives/elementwise.js"
import { gather } from "../primitives/indexing.js"
import { argmax, argmin, reduceSum } from "../primitives/reduce.js"
import { broadcastInDim, iota, pad, reshape, slice, transpose } from "../primitives/shape-ops.js"
import { checkIntList, describe, showShape } from "../shape.js"
import { type ConvPadding, padtypeToPads } from "./conv.js"

export interface ReduceWindowOptions {
  /** The step between windows along each axis; default 1s. */
  readonly windowStrides?: ReadonlyArray<number> | null
  /** "VALID" (default), "SAME", "SAME_LOWER", or (lo, hi) pairs per axis; padding holds the init value. */
  readonly padding?: ConvPadding
  /** Holes (holding the init value) between the operand's elements; default 1s. */
  readonly baseDilation?: ReadonlyArray<number> | null
  /** Gaps between a window's elements; default 1s. */
  readonly windowDilation?: ReadonlyArray<number> | null
}
const RW_KEYS = optionKeys<ReduceWindowOptions>()("windowStrides", "padding", "baseDilation", "windowDilation")

const lowest = (d: DType): number => (d === "int32" ? -(2 ** 31) : d === "uint32" ? 0 : -Infinity)
const highest = (d: DType): number => (d === "int32" ? 2 ** 31 - 1 : d === "uint32" ? 2 ** 32 - 1 : Infinity)

/** Every window as a trailing axis: [...output shape, prod(window)], row-major over the window. */
const windowsOf = (
  x: Array,
  init: Array,
  win: ReadonlyArray<number>,
  strides: ReadonlyArray<number>,
  pads: ReadonlyArray<readonly [number, number]>,
  base: ReadonlyArray<number>,
  wdil: ReadonlyArray<number>
): Array => {
  const r = x.ndim
  let cur = pad(
    x,
    init,
    range(r).map((d) => [pads[d]![0], pads[d]![1], base[d]! - 1] as const)
  )
  const outs = range(r).map((d) => {
    const span = cur.shape[d]! - dilateDim(win[d]!, wdil[d]!)
    return span < 0 ? 0 : Math.floor(span / strides[d]!) + 1
  })
  if (outs.some((o) => o === 0) || win.some((w) => w === 0)) {
    return constant(0, x.dtype, [...outs, win.reduce((a, b) => a * b, 1)])
  }
  // Axis d of the operand becomes (out_d, win_d) at position 2d.
  for (let d = 0; d < r; d++) {
    const shape = [outs[d]!, win[d]!]
    const idx = add(mul(iota("int32", shape, 0), constant(strides[d]!, "int32")), mul(iota("int32", shape, 1), constant(wdil[d]!, "int32")))
    cur = gather(cur, idx, 2 * d)
  }
  cur = transpose(cur, [...range(r).map((d) => 2 * d), ...range(r).map((d) => 2 * d + 1)])
  return reshape(cur, [...outs, win.reduce((a, b) => a * b, 1)])
}

/** The element of each window picked by an index along the last axis (the gradient reaches only it). */
const pick = (w: Array, index: Array): Array => {
  const last = w.ndim - 1
  const hit = eq(iota("int32", w.shape, last), broadcastInDim(index, w.shape, range(last)))
  return reduceSum(select(hit, w, constant(0, w.dtype, w.shape)), [last])
}

const monoidOf = (computation: unknown, init: number, dtype: DType): "sum" | "max" | "min" | null => {
  if (computation === add && init === 0) return "sum"
  if (computation === max && init === lowest(dtype)) return "max"
  if (computation === min && init === highest(dtype)) return "min"
  return null
}

/**
 * `lax.reduce_window(operand, init_value, computation, window_dimensions, ...)`: reduce every
 * window of `windowDimensions` with `computation`, starting from `initValue`. Windows step by
 * `windowStrides`, padding and base-dilation holes hold `initValue`. `lax.add` with 0, `lax.max`
 * with -Infinity and `lax.min` with Infinity (the dtype's extremes for integers) are pooling with
 * JAX's gradients; any other binary function is folded over each window. Differentiable,
 * vmappable and jittable.
 *
 * @example
 * const x = np.arange(16, { dtype: "float32" }).reshape([4, 4])
 * lax.reduceWindow(x, -Infinity, lax.max, [2, 2], { windowStrides: [2, 2] })  // [[5, 7], [13, 15]]
 * lax.reduceWindow(x, 0, lax.add, [2, 2], { padding: "SAME" }).shape           // [4, 4]
 */
export const reduceWindow = (
  operand: Array,
  initValue: number,
  computation: (a: Array, b: Array) => Array,
  windowDimensions: ReadonlyArray<number>,
  options?: ReduceWindowOptions
): Array => {
  checkOptions("lax.reduceWindow", options, RW_KEYS)
  if (!(operand instanceof Array)) throw new ValueError(`lax.reduceWindow: the operand must be an Array, got ${describe(operand)}.`)
  if (typeof initValue !== "number") throw new ValueError(`lax.reduceWindow: initValue must be a number, got ${describe(initValue)}.`)
  if (typeof computation !== "function")
    throw new ValueError(`lax.reduceWindow: computation must be a binary function such as lax.add, got ${describe(computation)}.`)
  if (operand.dtype === "bool") throw new DTypeError("lax.reduceWindow does not take bool operands; cast with astype first.")
  const r = operand.ndim
  const win = checkIntList(windowDimensions, "lax.reduceWindow: windowDimensions", { min: 0, length: r })
  const ones = range(r).map(() => 1)
  const strides = options?.windowStrides == null ? ones : checkIntList(options.windowStrides, "lax.reduceWindow: windowStrides", { min: 1, length: r })
  const base = options?.baseDilation == null ? ones : checkIntList(options.baseDilation, "lax.reduceWindow: baseDilation", { min: 1, length: r })
  const wdil = options?.windowDilation == null ? ones : checkIntList(options.windowDilation, "lax.reduceWindow: windowDilation", { min: 1, length: r })
  const padding = options?.padding ?? "VALID"
  if (typeof padding !== "string" && (!globalThis.Array.isArray(padding) || padding.length !== r)) {
    throw new ShapeError(
      `lax.reduceWindow: padding must be a string or ${r} (lo, hi) pairs for an operand of shape ${showShape(operand.shape)}, got ${describe(padding)}.`
    )
  }
  const pads = padtypeToPads(
    operand.shape,
    win.map((w, d) => dilateDim(w, wdil[d]!)),
    strides,
    padding
  )
  const init = constant(initValue, operand.dtype)
  const windows = windowsOf(operand, init, win, strides, pads, base, wdil)
  const last = windows.ndim - 1
  const monoid = monoidOf(computation, initValue, operand.dtype)
  if (windows.shape[last] === 0) return broadcastInDim(init, windows.shape.slice(0, last), [])
  if (windows.size === 0) return constant(0, operand.dtype, windows.shape.slice(0, last))
  if (monoid === "sum") return reduceSum(windows, [last])
  if (monoid === "max") return pick(windows, argmax(windows, last))
  if (monoid === "min") return pick(windows, argmin(windows, last))
  const outShape = windows.shape.slice(0, last)
  let acc = broadcastInDim(init, outShape, [])
  const n = windows.shape[last]!
  for (let k = 0; k < n; k++) {
    const start = [...outShape.map(() => 0), k]
    const piece = reshape(slice(windows, start, [...outShape, k + 1]), outShape)
    acc = computation(acc, piece)
    if (!(acc instanceof Array) || acc.shape.join(",") !== outShape.join(",") || acc.dtype !== operand.dtype) {
      throw new ShapeError(
        `lax.reduceWindow: computation must map two ${operand.dtype} arrays of shape ${showShape(outShape)} to one of the same shape and dtype.`
      )
    }
  }
  return acc
}
