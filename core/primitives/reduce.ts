/** Reductions over axes (the reduced axes are removed), arg-reductions and cumulative sums. */
import { type Array, ShapedArray } from "../array.js"
import { checkDType, type DType, isComplex } from "../dtype.js"
import { DTypeError, ValueError } from "../errors.js"
import { definePrimitive, type Primitive } from "../primitive.js"
import { checkAxes, checkAxis, checkFlag, checkIntList } from "../shape.js"
import { bind1 } from "../trace.js"
import { constLike, zeroOf } from "./common.js"
import { add, convertElementType, div, eq, ge, gt, le, lt, mul, select } from "./elementwise.js"
import { type AxesParams, batchFirst, keptShape, reducedShape, reduceSum } from "./layout.js"
import { defLinear, defZeroJvp } from "./rules.js"
import { broadcastTo, iota, reshape, slice, transpose } from "./shape-ops.js"

// reduce_sum sits in layout.ts (it is the transpose of broadcasting, which every rule needs).
export { type AxesParams, keptShape, reduceSum, reduceSumP } from "./layout.js"

/** Batch rule of a reduction over `axes`: the batch dimension goes first, the axes shift past it. */
const batchAxes = (p: Primitive<AxesParams>): void => {
  p.batch = ([x], [d], { axes }) => [[bind1(p, [batchFirst(x!, d!)], { axes: axes.map((a) => a + 1) })], [0]]
}
/** Batch rule of an operation along one `axis`. */
const batchAxis = <P extends ArgParams | CumParams>(p: Primitive<P>): void => {
  p.batch = ([x], [d], params) => [[bind1(p, [batchFirst(x!, d!)], { ...params, axis: params.axis + 1 })], [0]]
}

/** A reduction primitive over `axes`, with its batching rule; its binder (`reducer`) is written beside it (with its TSDoc). */
const reduction = (name: string, boolOk: boolean): Primitive<AxesParams> => {
  const what = `${name}: axes`
  const p = definePrimitive<AxesParams>(name, ([x], { axes }) => {
    if (!boolOk && x!.dtype === "bool") throw new DTypeError(`${name} does not take bool operands; cast with astype first`)
    return [new ShapedArray(reducedShape(x!.shape, checkAxes(axes, x!.ndim, what)), x!.dtype, x!.weakType)]
  })
  p.printParams = ({ axes }) => [["axes", `(${axes.join(", ")}${axes.length === 1 ? "," : ""})`]]
  batchAxes(p)
  return p
}
/** The binder of a reduction: no axes is `x` itself. */
const reducer =
  (p: Primitive<AxesParams>) =>
  (x: Array, axes: ReadonlyArray<number>): Array => {
    const list = checkIntList(axes, `${p.name}: axes`)
    return list.length === 0 ? x : bind1(p, [x], { axes: list })
  }

export const reduceMaxP = reduction("reduce_max", true)
/**
 * `lax.reduce_max`: the maximum over `axes`, which are removed from the shape (no axes is `x` itself); the derivative is shared equally among tied maxima, as in JAX.
 *
 * @example
 * lax.reduceMax(np.array([[1, 5], [3, 2]]), [1]) // Array([5, 3], dtype=int32)
 */
export const reduceMax = reducer(reduceMaxP)
export const reduceMinP = reduction("reduce_min", true)
/**
 * `lax.reduce_min`: the minimum over `axes`, which are removed from the shape (no axes is `x` itself); the derivative is shared equally among tied minima, as in JAX.
 *
 * @example
 * lax.reduceMin(np.array([[1, 5], [3, 2]]), [0, 1]) // Array(1, dtype=int32)
 */
export const reduceMin = reducer(reduceMinP)
// The derivative of max/min flows to the locations that attain it, shared equally among ties.
for (const [p, f] of [
  [reduceMaxP, reduceMax],
  [reduceMinP, reduceMin]
] as const) {
  p.jvp = ([x], [t], { axes }) => {
    const out = f(x!, axes)
    const kept = broadcastTo(reshape(out, keptShape(x!.shape, axes)), x!.shape)
    const mask = convertElementType(eq(x!, kept), t!.dtype)
    const count = reduceSum(mask, axes)
    return [[out], [div(reduceSum(mul(t!, mask), axes), count)]]
  }
}

export const reduceProdP = reduction("reduce_prod", false)
/**
 * `lax.reduce_prod`: the product over `axes`, which are removed from the shape (no axes is `x` itself); not for bools.
 *
 * @example
 * lax.reduceProd(np.array([[1, 2], [3, 4]]), [0]) // Array([3, 8], dtype=int32)
 */
export const reduceProd = reducer(reduceProdP)
reduceProdP.jvp = ([x], [t], { axes }) => {
  // d prod = sum_i t_i * prod_{j != i} x_j, computed without dividing by x (zeros are fine).
  const out = reduceProd(x!, axes)
  const n = axes.reduce((acc, a) => acc * x!.shape[a]!, 1)
  if (n === 0) return [[out], [zeroOf(out)]]
  // prod of all but one element: exclusive cumulative products from both sides along a flattened axis.
  const moved = moveAxesToEnd(x!, axes)
  const tm = moveAxesToEnd(t!, axes)
  const flatShape = [...moved.shape.slice(0, moved.ndim - axes.length), n]
  const xf = reshape(moved, flatShape)
  const tf = reshape(tm, flatShape)
  const last = flatShape.length - 1
  const left = cumprod(xf, last, false, true)
  const right = cumprod(xf, last, true, true)
  const others = mul(left, right)
  return [[out], [reduceSum(mul(tf, others), [last])]]
}

const moveAxesToEnd = (x: Array, axes: ReadonlyArray<number>): Array => {
  const rest = x.shape.map((_, i) => i).filter((i) => !axes.includes(i))
  return transpose(x, [...rest, ...axes])
}

// ---------------------------------------------------------------------------------------------
// argmax / argmin: the first index of the extreme value along one axis (NaN counts as extreme).

export interface ArgParams {
  readonly axis: number
  readonly indexDtype: DType
  readonly [k: string]: unknown
}
/** An arg-reduction primitive along one axis, with its rules; its binder is written beside it (with its TSDoc). */
const argReduction = (name: string): Primitive<ArgParams> => {
  const p = definePrimitive<ArgParams>(name, ([x], { axis, indexDtype }) => {
    const a = checkAxis(axis, x!.ndim, `${name}: axis`)
    if (isComplex(x!.dtype)) {
      throw new DTypeError(
        `${name} does not accept ${x!.dtype} operands (as in JAX, which compares with ${name === "argmax" ? "gt" : "lt"}, undefined for complex numbers); ` +
          `apply it to np.real(x), np.imag(x) or np.abs(x) instead, or sort lexicographically with np.argsort.`
      )
    }
    if (checkDType(indexDtype, `${name}: indexDtype`) !== "int32" && indexDtype !== "uint32") {
      throw new DTypeError(`${name}: indexDtype must be an integer dtype (int32 or uint32), got ${indexDtype}.`)
    }
    if (x!.shape[a] === 0) {
      throw new ValueError(`${name} of an empty axis (axis ${a} of shape [${x!.shape.join(", ")}]) is undefined; index a non-empty axis.`)
    }
    return [new ShapedArray(reducedShape(x!.shape, [a]), indexDtype, false)]
  })
  p.printParams = ({ axis, indexDtype }) => [
    ["axes", `(${axis},)`],
    ["index_dtype", indexDtype]
  ]
  defZeroJvp(p)
  batchAxis(p)
  return p
}
export const argmaxP = argReduction("argmax")
/**
 * `lax.argmax`: the int32 index of the first maximum along `axis` (NaN counts as the maximum), which is removed from the shape.
 *
 * @example
 * lax.argmax(np.array([[1, 9], [7, 3]]), 1) // Array([1, 0], dtype=int32)
 */
export const argmax = (x: Array, axis: number): Array => bind1(argmaxP, [x], { axis, indexDtype: "int32" })
export const argminP = argReduction("argmin")
/**
 * `lax.argmin`: the int32 index of the first minimum along `axis` (NaN counts as the minimum), which is removed from the shape.
 *
 * @example
 * lax.argmin(np.array([4, 1, 1, 3]), 0) // Array(1, dtype=int32)
 */
export const argmin = (x: Array, axis: number): Array => bind1(argminP, [x], { axis, indexDtype: "int32" })

// ---------------------------------------------------------------------------------------------
// Cumulative reductions along one axis. `exclusive` shifts by one (used for derivatives).

export interface CumParams {
  readonly axis: number
  readonly reverse: boolean
  readonly exclusive?: boolean
  readonly [k: string]: unknown
}
const cumShape =
  (name: string) =>
  ([x]: ReadonlyArray<ShapedArray>, { axis, reverse, exclusive }: CumParams) => {
    checkAxis(axis, x!.ndim, `${name}: axis`)
    checkFlag(reverse, `${name}: reverse`)
    if (exclusive !== undefined) checkFlag(exclusive, `${name}: exclusive`)
    if (x!.dtype === "bool") throw new DTypeError(`${name} does not take bool operands; cast with astype first`)
    return [x!]
  }
export const cumsumP = definePrimitive<CumParams>("cumsum", cumShape("cumsum"))
/**
 * `lax.cumsum`: the running sum along `axis` (from the end when `reverse`), same shape as `x`.
 *
 * @example
 * lax.cumsum(np.array([1, 2, 3]), 0) // Array([1, 3, 6], dtype=int32)
 * lax.cumsum(np.array([1, 2, 3]), 0, true) // Array([6, 5, 3], dtype=int32)
 */
export const cumsum = (x: Array, axis: number, reverse = false): Array => bind1(cumsumP, [x], { axis, reverse })
defLinear(cumsumP, (ct, _args, p) => [bind1(cumsumP, [ct], { ...p, reverse: !p.reverse })])
batchAxis(cumsumP)
cumsumP.printParams = ({ axis, reverse }) => [
  ["axis", String(axis)],
  ["reverse", reverse ? "True" : "False"]
]

export const cumprodP = definePrimitive<CumParams>("cumprod", cumShape("cumprod"))
/**
 * `lax.cumprod`: the running product along `axis` (from the end when `reverse`); `exclusive` shifts it by one, starting from 1 (what derivatives of products use).
 *
 * @example
 * lax.cumprod(np.array([1, 2, 3]), 0) // Array([1, 2, 6], dtype=int32)
 */
export const cumprod = (x: Array, axis: number, reverse = false, exclusive = false): Array =>
  bind1(cumprodP, [x], exclusive ? { axis, reverse, exclusive } : { axis, reverse })
batchAxis(cumprodP)
cumprodP.jvp = ([x], [t], p) => {
  // d out_i = sum_j t_j * prod_{k in scan(i), k != j} x_k. The weights are primal-only (x_j
  // replaced by 1, then masked to the positions that include j), so the tangent is linear in t:
  // slices of t times known weights, summed. Quadratic in the axis length; axes are short.
  const out = bind1(cumprodP, [x!], p)
  const n = x!.shape[p.axis]!
  const pos = iota("int32", x!.shape, p.axis)
  let tangent: Array | undefined
  for (let j = 0; j < n; j++) {
    const at = constLike(pos, j)
    const without = bind1(cumprodP, [select(eq(pos, at), constLike(x!, 1), x!)], p)
    const reached = p.exclusive === true ? (p.reverse ? lt(pos, at) : gt(pos, at)) : p.reverse ? le(pos, at) : ge(pos, at)
    const weight = select(reached, without, constLike(without, 0))
    const start = x!.shape.map((_, d) => (d === p.axis ? j : 0))
    const limit = x!.shape.map((s, d) => (d === p.axis ? j + 1 : s))
    const term = mul(weight, slice(t!, start, limit))
    tangent = tangent === undefined ? term : add(tangent, term)
  }
  return [[out], [tangent ?? zeroOf(out)]]
}
