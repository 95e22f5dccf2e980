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

const reduction = (name: string, boolOk: boolean): [Primitive<AxesParams>, (x: Array, axes: ReadonlyArray<number>) => Array] => {
  const what = `${name}: axes`
  const p = definePrimitive<AxesParams>(name, ([x], { axes }) => {
    if (!boolOk && x!.dtype === "bool") throw new DTypeError(`${name} does not take bool operands; cast with astype first`)
    return [new ShapedArray(reducedShape(x!.shape, checkAxes(axes, x!.ndim, what)), x!.dtype, x!.weakType)]
  })
  p.printParams = ({ axes }) => [["axes", `(${axes.join(", ")}${axes.length === 1 ? "," : ""})`]]
  batchAxes(p)
  return [
    p,
    (x: Array, axes: ReadonlyArray<number>) => {
      const list = checkIntList(axes, what)
      return list.length === 0 ? x : bind1(p, [x], { axes: list })
    }
  ]
}

export const [reduceMaxP, reduceMax] = reduction("reduce_max", true)
export const [reduceMinP, reduceMin] = reduction("reduce_min", true)
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

export const [reduceProdP, reduceProd] = reduction("reduce_prod", false)
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
const argReduction = (name: string): [Primitive<ArgParams>, (x: Array, axis: number) => Array] => {
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
  return [p, (x: Array, axis: number) => bind1(p, [x], { axis, indexDtype: "int32" })]
}
export const [argmaxP, argmax] = argReduction("argmax")
export const [argminP, argmin] = argReduction("argmin")

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
export const cumsum = (x: Array, axis: number, reverse = false): Array => bind1(cumsumP, [x], { axis, reverse })
defLinear(cumsumP, (ct, _args, p) => [bind1(cumsumP, [ct], { ...p, reverse: !p.reverse })])
batchAxis(cumsumP)
cumsumP.printParams = ({ axis, reverse }) => [
  ["axis", String(axis)],
  ["reverse", reverse ? "True" : "False"]
]

export const cumprodP = definePrimitive<CumParams>("cumprod", cumShape("cumprod"))
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
