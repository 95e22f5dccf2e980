/**
 * Reductions (jax.numpy): sum, prod, mean, var, std, max, min, argmax, argmin, all, any and the
 * cumulative sums and products, with JAX's options object `{ axis, keepdims, dtype }`. `axis`
 * undefined or null reduces over every axis. Integer sums stay int32 (bools sum to int32); means
 * and variances of integers are float32.
 */
import { Array } from "../array.js"
import { type DType, isComplex, isFloat } from "../dtype.js"
import { DTypeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { constant } from "../primitives/common.js"
import { convertElementType, div, integerPow, max as laxMax, min as laxMin, ne, select, sqrt, sub } from "../primitives/elementwise.js"
import * as laxReduce from "../primitives/reduce.js"
import { reshape } from "../primitives/shape-ops.js"
import { normalizeAxes, normalizeAxis } from "../shape.js"
import { type Operand, promoteDtypes, scalarArray } from "./coerce.js"

/** Which axes to reduce: one, several, or all (undefined / null). */
export type AxisLike = number | ReadonlyArray<number> | null | undefined

export interface AxisOptions {
  /** The axes to reduce (default: all). */
  readonly axis?: AxisLike
  /** Keep the reduced axes as dimensions of size 1 (default false). */
  readonly keepdims?: boolean | undefined
}

export interface ReductionOptions extends AxisOptions {
  /** The dtype to accumulate in and return (the input is cast first). */
  readonly dtype?: DType | undefined
}

export interface ExtremumOptions extends AxisOptions {
  /** A value every result is compared with; makes reducing an empty axis well defined. */
  readonly initial?: number | undefined
}

export interface VarOptions extends ReductionOptions {
  /** Delta degrees of freedom: the divisor is `N - ddof` (default 0). */
  readonly ddof?: number | undefined
}

export interface ArgOptions {
  /** The axis to search (default: the flattened array). */
  readonly axis?: number | null | undefined
  readonly keepdims?: boolean | undefined
}

export interface CumulativeOptions {
  /** The axis to accumulate along (default: the flattened array). */
  readonly axis?: number | null | undefined
  readonly dtype?: DType | undefined
}

const AXIS_KEYS = optionKeys<AxisOptions>()("axis", "keepdims")
const REDUCTION_KEYS = optionKeys<ReductionOptions>()("axis", "keepdims", "dtype")
const EXTREMUM_KEYS = optionKeys<ExtremumOptions>()("axis", "keepdims", "initial")
const VAR_KEYS = optionKeys<VarOptions>()("axis", "keepdims", "dtype", "ddof")
const ARG_KEYS = optionKeys<ArgOptions>()("axis", "keepdims")
const CUMULATIVE_KEYS = optionKeys<CumulativeOptions>()("axis", "dtype")

// ---------------------------------------------------------------------------------------------

const toArray = (x: Operand): Array => (x instanceof Array ? x : promoteDtypes([x])[0]!)

const reducedShape = (shape: ReadonlyArray<number>, axes: ReadonlyArray<number>): number[] => shape.filter((_, i) => !axes.includes(i))

const keep = (out: Array, x: Array, axes: ReadonlyArray<number>, keepdims: boolean | undefined): Array =>
  keepdims === true ? reshape(out, laxReduce.keptShape(x.shape, axes)) : out

/** Cast to `dtype` when it differs (a requested dtype also drops the weak type, as in JAX). */
const castTo = (x: Array, dtype: DType, requested: boolean): Array => (x.dtype !== dtype || (requested && x.weakType) ? convertElementType(x, dtype) : x)

/** The accumulation dtype of sum/prod/cumsum: the requested one, or int32 for bools. */
const sumDType = (x: Array, dtype: DType | undefined): DType =>
  dtype ?? (x.dtype === "bool" || x.dtype === "int8" || x.dtype === "int16" ? "int32" : x.dtype === "uint8" || x.dtype === "uint16" ? "uint32" : x.dtype)

const reduceWith = (f: (x: Array, axes: ReadonlyArray<number>) => Array, x: Operand, options: ReductionOptions | undefined): Array => {
  const a0 = toArray(x)
  const dtype = sumDType(a0, options?.dtype)
  const a = castTo(a0, dtype, options?.dtype !== undefined)
  const axes = normalizeAxes(options?.axis, a.ndim)
  return keep(f(a, axes), a, axes, options?.keepdims)
}

/**
 * Sum over `axis` (default all). Integers accumulate in their own dtype; bools in int32.
 *
 * @example
 * np.sum(np.array([[1, 2], [3, 4]]), { axis: 0 }) // Array([4, 6], dtype=int32)
 */
export const sum = (x: Operand, options?: ReductionOptions): Array => reduceWith(laxReduce.reduceSum, x, checkOptions("np.sum", options, REDUCTION_KEYS))

/**
 * Product over `axis` (default all).
 *
 * @example
 * np.prod(np.array([[1, 2], [3, 4]]), { axis: 1 }) // Array([ 2, 12], dtype=int32)
 */
export const prod = (x: Operand, options?: ReductionOptions): Array => reduceWith(laxReduce.reduceProd, x, checkOptions("np.prod", options, REDUCTION_KEYS))

/**
 * Sum treating NaNs as zero.
 *
 * @example
 * np.nanSum(np.array([1, NaN, 2])) // Array(3., dtype=float32)
 */
export const nanSum = (x: Operand, options?: ReductionOptions): Array => {
  checkOptions("np.nanSum", options, REDUCTION_KEYS)
  const a = toArray(x)
  if (!isFloat(a.dtype)) return sum(a, options)
  return sum(select(ne(a, a), constant(0, a.dtype, [], true), a), options)
}

const extremum = (
  name: string,
  f: (x: Array, axes: ReadonlyArray<number>) => Array,
  combine: (x: Array, y: Array) => Array,
  x: Operand,
  options: ExtremumOptions | undefined
): Array => {
  const a = toArray(x)
  const axes = normalizeAxes(options?.axis, a.ndim)
  const initial = options?.initial
  let out: Array
  if (axes.some((i) => a.shape[i] === 0)) {
    if (initial === undefined) {
      throw new ValueError(
        `np.${name}: zero-size array to reduction operation ${name} which has no identity (shape [${a.shape.join(", ")}]). ` +
          `Pass { initial: value } or reduce over non-empty axes.`
      )
    }
    out = scalarArray(initial, a.dtype, reducedShape(a.shape, axes))
  } else {
    out = f(a, axes)
    if (initial !== undefined) out = combine(out, scalarArray(initial, a.dtype, [], true))
  }
  return keep(out, a, axes, options?.keepdims)
}

/**
 * Maximum over `axis` (default all). An empty axis needs `initial`.
 *
 * @example
 * np.max(np.array([[1, 5], [3, 2]]), { axis: 1 }) // Array([5, 3], dtype=int32)
 */
export const max = (x: Operand, options?: ExtremumOptions): Array =>
  extremum("max", laxReduce.reduceMax, laxMax, x, checkOptions("np.max", options, EXTREMUM_KEYS))
/**
 * Minimum over `axis` (default all). An empty axis needs `initial`.
 *
 * @example
 * np.min(np.array([[1, 5], [3, 2]])) // Array(1, dtype=int32)
 */
export const min = (x: Operand, options?: ExtremumOptions): Array =>
  extremum("min", laxReduce.reduceMin, laxMin, x, checkOptions("np.min", options, EXTREMUM_KEYS))
/**
 * Alias of `max`.
 *
 * @example
 * np.amax(np.array([1, 7, 3])) // Array(7, dtype=int32)
 */
export const amax = max
/**
 * Alias of `min`.
 *
 * @example
 * np.amin(np.array([4, 2, 8]), { keepdims: true }) // Array([2], dtype=int32)
 */
export const amin = min

/**
 * Arithmetic mean over `axis` (default all). Integers give float32; the sum is taken in the
 * result dtype, then divided by the number of elements reduced.
 *
 * @example
 * np.mean(np.array([[1, 2], [3, 4]]), { axis: 0 }) // Array([2., 3.], dtype=float32)
 */
export const mean = (x: Operand, options?: ReductionOptions): Array => {
  checkOptions("np.mean", options, REDUCTION_KEYS)
  const a0 = toArray(x)
  const dtype = options?.dtype ?? (isFloat(a0.dtype) || isComplex(a0.dtype) ? a0.dtype : "float32")
  const a = castTo(a0, dtype, options?.dtype !== undefined)
  const axes = normalizeAxes(options?.axis, a.ndim)
  let n = 1
  for (const i of axes) n *= a.shape[i]!
  // float16 / bfloat16 means sum and divide in float32, rounded once at the end (JAX's upcast).
  const half = dtype === "float16" || dtype === "bfloat16"
  const a32 = half ? convertElementType(a, "float32") : a
  const s = keep(laxReduce.reduceSum(a32, axes), a32, axes, options?.keepdims)
  const m = div(s, constant(n, a32.dtype))
  return half ? convertElementType(m, dtype) : m
}

const varDType = (what: string, x: Array, dtype: DType | undefined): DType => {
  if (dtype === undefined) return isFloat(x.dtype) ? x.dtype : "float32"
  if (!isFloat(dtype)) throw new DTypeError(`np.${what}: dtype must be a float dtype, got ${dtype}.`)
  return dtype
}

const varianceImpl = (what: string, x: Operand, options: VarOptions | undefined): Array => {
  checkOptions(`np.${what}`, options, VAR_KEYS)
  const a0 = toArray(x)
  const dtype = varDType(what, a0, options?.dtype)
  const a = castTo(a0, dtype, options?.dtype !== undefined)
  const axes = normalizeAxes(options?.axis, a.ndim)
  const ddof = options?.ddof ?? 0
  let n = 1
  for (const i of axes) n *= a.shape[i]!
  const m = div(reshape(laxReduce.reduceSum(a, axes), laxReduce.keptShape(a.shape, axes)), constant(n, dtype))
  const centered = integerPow(sub(a, m), 2)
  const s = keep(laxReduce.reduceSum(centered, axes), a, axes, options?.keepdims)
  return div(s, constant(n - ddof, dtype))
}

/**
 * Variance over `axis` (default all): `mean(|x - mean(x)|²)` with divisor `N - ddof`.
 *
 * @example
 * np.variance(np.array([1, 2, 3, 4])) // Array(1.25, dtype=float32)
 * np.var(np.array([1, 2, 3, 4]), { ddof: 1 }) // Array(1.6666666, dtype=float32)
 */
export const variance = (x: Operand, options?: VarOptions): Array => varianceImpl("var", x, options)
export { variance as var }

/**
 * Standard deviation: `sqrt(var(x))`, with the same options.
 *
 * @example
 * np.std(np.array([1, 2, 3, 4])) // Array(1.118034, dtype=float32)
 */
export const std = (x: Operand, options?: VarOptions): Array => sqrt(varianceImpl("std", x, options))

const argExtremum = (name: string, f: (x: Array, axis: number) => Array, x: Operand, options: ArgOptions | undefined): Array => {
  checkOptions(`np.${name}`, options, ARG_KEYS)
  let a = toArray(x)
  const ndim = a.ndim
  const axisOpt = options?.axis
  let axis: number
  if (axisOpt === undefined || axisOpt === null) {
    a = reshape(a, [a.size])
    axis = 0
  } else {
    axis = normalizeAxis(axisOpt, ndim)
  }
  if (a.shape[axis] === 0) {
    throw new ValueError(`np.${name}: attempt to get ${name} of an empty sequence (shape [${a.shape.join(", ")}]); reduce over a non-empty axis.`)
  }
  const out = f(a, axis)
  if (options?.keepdims !== true) return out
  const kept = axisOpt === undefined || axisOpt === null ? new globalThis.Array<number>(ndim).fill(1) : laxReduce.keptShape(a.shape, [axis])
  return reshape(out, kept)
}

/**
 * Index of the first maximum along `axis` (default: of the flattened array), as int32.
 *
 * @example
 * np.argmax(np.array([[1, 9], [7, 3]]), { axis: 1 }) // Array([1, 0], dtype=int32)
 */
export const argmax = (x: Operand, options?: ArgOptions): Array => argExtremum("argmax", laxReduce.argmax, x, options)
/**
 * Index of the first minimum along `axis` (default: of the flattened array), as int32.
 *
 * @example
 * np.argmin(np.array([4, 1, 1, 3])) // Array(1, dtype=int32)
 */
export const argmin = (x: Operand, options?: ArgOptions): Array => argExtremum("argmin", laxReduce.argmin, x, options)

const boolReduce = (f: (x: Array, axes: ReadonlyArray<number>) => Array, emptyValue: boolean, x: Operand, options: AxisOptions | undefined): Array => {
  const a0 = toArray(x)
  const a = a0.dtype === "bool" ? a0 : ne(a0, constant(0, a0.dtype, [], true))
  const axes = normalizeAxes(options?.axis, a.ndim)
  const out = axes.some((i) => a.shape[i] === 0) ? constant(emptyValue ? 1 : 0, "bool", reducedShape(a.shape, axes)) : f(a, axes)
  return keep(out, a, axes, options?.keepdims)
}

/**
 * Whether every element along `axis` is true (nonzero); true for an empty axis.
 *
 * @example
 * np.all(np.array([[true, false], [true, true]]), { axis: 1 }) // Array([False,  True], dtype=bool)
 */
export const all = (x: Operand, options?: AxisOptions): Array => boolReduce(laxReduce.reduceMin, true, x, checkOptions("np.all", options, AXIS_KEYS))
/**
 * Whether any element along `axis` is true (nonzero); false for an empty axis.
 *
 * @example
 * np.any(np.array([0, 0, 3])) // Array(True, dtype=bool)
 */
export const any = (x: Operand, options?: AxisOptions): Array => boolReduce(laxReduce.reduceMax, false, x, checkOptions("np.any", options, AXIS_KEYS))

const cumulative = (f: (x: Array, axis: number) => Array, x: Operand, options: CumulativeOptions | undefined): Array => {
  let a = toArray(x)
  const axisOpt = options?.axis
  let axis: number
  if (axisOpt === undefined || axisOpt === null) {
    a = reshape(a, [a.size])
    axis = 0
  } else {
    axis = normalizeAxis(axisOpt, a.ndim)
  }
  a = castTo(a, sumDType(a, options?.dtype), options?.dtype !== undefined)
  return f(a, axis)
}

/**
 * Cumulative sum along `axis` (default: of the flattened array).
 *
 * @example
 * np.cumsum(np.array([1, 2, 3, 4])) // Array([ 1,  3,  6, 10], dtype=int32)
 */
export const cumsum = (x: Operand, options?: CumulativeOptions): Array => cumulative(laxReduce.cumsum, x, checkOptions("np.cumsum", options, CUMULATIVE_KEYS))
/**
 * Cumulative product along `axis` (default: of the flattened array).
 *
 * @example
 * np.cumprod(np.array([[1, 2], [3, 4]]), { axis: 0 }) // Array([[1, 2], [3, 8]], dtype=int32)
 */
export const cumprod = (x: Operand, options?: CumulativeOptions): Array =>
  cumulative(laxReduce.cumprod, x, checkOptions("np.cumprod", options, CUMULATIVE_KEYS))
