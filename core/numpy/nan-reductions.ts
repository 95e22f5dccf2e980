/**
 * The NaN-ignoring reductions of jax.numpy (nanmax, nanmin, nanprod, nanmean, nanvar, nanstd,
 * nanargmax, nanargmin, nancumsum, nancumprod) and ptp, as JAX defines them: NaNs are replaced by
 * the reduction's identity, and a slice of NaNs only gives NaN (or -1 for the arg forms). On integer
 * and bool arrays they are the plain reductions.
 */
import type { Array } from "../array.js"
import { isFloat } from "../dtype.js"
import { DTypeError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { convertElementType } from "../primitives/elementwise.js"
import { asArray, type ArrayLike } from "./coerce.js"
import { isnan, logicalNot, sqrt, where } from "./math.js"
import {
  all,
  argmax,
  argmin,
  type ArgOptions,
  cumprod,
  type CumulativeOptions,
  cumsum,
  type ExtremumOptions,
  max,
  mean,
  min,
  nanSum,
  prod,
  type ReductionOptions,
  type VarOptions,
  sum
} from "./reductions.js"

const EXTREMUM_KEYS = optionKeys<ExtremumOptions>()("axis", "keepdims", "initial")
const REDUCTION_KEYS = optionKeys<ReductionOptions>()("axis", "keepdims", "dtype")
const VAR_KEYS = optionKeys<VarOptions>()("axis", "keepdims", "dtype", "ddof")
const ARG_KEYS = optionKeys<ArgOptions>()("axis", "keepdims")
const CUMULATIVE_KEYS = optionKeys<CumulativeOptions>()("axis", "dtype")

const nanExtremum = (fn: string, f: typeof max, fill: number, x: ArrayLike, options: ExtremumOptions | undefined): Array => {
  checkOptions(fn, options, EXTREMUM_KEYS)
  const a = asArray(x)
  if (!isFloat(a.dtype)) return f(a, options)
  const nan = isnan(a)
  const out = f(where(nan, fill, a), options)
  if (options?.initial !== undefined) return out
  return where(all(nan, { axis: options?.axis, keepdims: options?.keepdims }), NaN, out)
}

/**
 * `jnp.nanmax`: the maximum ignoring NaNs (NaN where a slice is all NaN).
 *
 * @example
 * np.nanmax(np.array([1, NaN, 3])) // Array(3, dtype=float32)
 */
export const nanmax = (x: ArrayLike, options?: ExtremumOptions): Array => nanExtremum("np.nanmax", max, -Infinity, x, options)

/**
 * `jnp.nanmin`: the minimum ignoring NaNs (NaN where a slice is all NaN).
 *
 * @example
 * np.nanmin(np.array([1, NaN, 3])) // Array(1, dtype=float32)
 */
export const nanmin = (x: ArrayLike, options?: ExtremumOptions): Array => nanExtremum("np.nanmin", min, Infinity, x, options)

/**
 * `jnp.nansum`: the sum treating NaNs as zero (the same function as `np.nanSum`).
 *
 * @example
 * np.nansum(np.array([1, NaN, 3])) // Array(4, dtype=float32)
 */
export const nansum = (x: ArrayLike, options?: ReductionOptions): Array => nanSum(asArray(x), options)

/**
 * `jnp.nanprod`: the product treating NaNs as one.
 *
 * @example
 * np.nanprod(np.array([2, NaN, 3])) // Array(6, dtype=float32)
 */
export const nanprod = (x: ArrayLike, options?: ReductionOptions): Array => {
  checkOptions("np.nanprod", options, REDUCTION_KEYS)
  const a = asArray(x)
  return prod(isFloat(a.dtype) ? where(isnan(a), 1, a) : a, options)
}

/**
 * `jnp.nanmean`: the mean of the non-NaN elements (NaN where there are none).
 *
 * @example
 * np.nanmean(np.array([1, NaN, 3])) // Array(2, dtype=float32)
 */
export const nanmean = (x: ArrayLike, options?: ReductionOptions): Array => {
  checkOptions("np.nanmean", options, REDUCTION_KEYS)
  const a = asArray(x)
  if (!isFloat(a.dtype)) return mean(a, options)
  const dtype = options?.dtype ?? a.dtype
  const n = sum(logicalNot(isnan(a)), { axis: options?.axis, keepdims: options?.keepdims, dtype })
  return nanSum(a, { axis: options?.axis, keepdims: options?.keepdims, dtype }).div(n)
}

const nanvarImpl = (fn: string, x: ArrayLike, options: VarOptions | undefined): Array => {
  checkOptions(fn, options, VAR_KEYS)
  const a0 = asArray(x)
  const dtype = options?.dtype ?? (isFloat(a0.dtype) ? a0.dtype : "float32")
  if (!isFloat(dtype)) throw new DTypeError(`${fn}: dtype must be a float dtype, got ${dtype}.`)
  const a = convertElementType(a0, dtype)
  const axis = options?.axis
  const keepdims = options?.keepdims
  const m = nanmean(a, { axis, keepdims: true })
  const nan = isnan(a)
  const centered = where(nan, 0, a.sub(m))
  const normalizer = sum(logicalNot(nan), { axis, keepdims, dtype: "int32" }).sub(options?.ddof ?? 0)
  const none = normalizer.le(0)
  const s = nanSum(centered.mul(centered), { axis, keepdims })
  return where(none, NaN, s).div(convertElementType(where(none, 1, normalizer), dtype))
}

/**
 * `jnp.nanvar`: the variance of the non-NaN elements, divisor `N - ddof` (NaN where that is <= 0).
 *
 * @example
 * np.nanvar(np.array([1, NaN, 3])) // Array(1, dtype=float32)
 */
export const nanvar = (x: ArrayLike, options?: VarOptions): Array => nanvarImpl("np.nanvar", x, options)

/**
 * `jnp.nanstd`: the standard deviation of the non-NaN elements.
 *
 * @example
 * np.nanstd(np.array([1, NaN, 3])) // Array(1, dtype=float32)
 */
export const nanstd = (x: ArrayLike, options?: VarOptions): Array => sqrt(nanvarImpl("np.nanstd", x, options))

const nanArg = (fn: string, f: typeof argmax, fill: number, x: ArrayLike, options: ArgOptions | undefined): Array => {
  checkOptions(fn, options, ARG_KEYS)
  const a = asArray(x)
  if (!isFloat(a.dtype)) return f(a, options)
  const nan = isnan(a)
  const res = f(where(nan, fill, a), options)
  const axis = options?.axis
  return where(all(nan, { axis: axis ?? null, keepdims: options?.keepdims }), -1, res)
}

/**
 * `jnp.nanargmax`: the index of the maximum ignoring NaNs (-1 where a slice is all NaN).
 *
 * @example
 * np.nanargmax(np.array([1, NaN, 3])) // Array(2, dtype=int32)
 */
export const nanargmax = (x: ArrayLike, options?: ArgOptions): Array => nanArg("np.nanargmax", argmax, -Infinity, x, options)

/**
 * `jnp.nanargmin`: the index of the minimum ignoring NaNs (-1 where a slice is all NaN).
 *
 * @example
 * np.nanargmin(np.array([NaN, 3, 1])) // Array(2, dtype=int32)
 */
export const nanargmin = (x: ArrayLike, options?: ArgOptions): Array => nanArg("np.nanargmin", argmin, Infinity, x, options)

/**
 * `jnp.nancumsum`: the cumulative sum treating NaNs as zero.
 *
 * @example
 * np.nancumsum(np.array([1, NaN, 3])) // Array([1, 1, 4], dtype=float32)
 */
export const nancumsum = (x: ArrayLike, options?: CumulativeOptions): Array => {
  checkOptions("np.nancumsum", options, CUMULATIVE_KEYS)
  const a = asArray(x)
  return cumsum(isFloat(a.dtype) ? where(isnan(a), 0, a) : a, options)
}

/**
 * `jnp.nancumprod`: the cumulative product treating NaNs as one.
 *
 * @example
 * np.nancumprod(np.array([2, NaN, 3])) // Array([2, 2, 6], dtype=float32)
 */
export const nancumprod = (x: ArrayLike, options?: CumulativeOptions): Array => {
  checkOptions("np.nancumprod", options, CUMULATIVE_KEYS)
  const a = asArray(x)
  return cumprod(isFloat(a.dtype) ? where(isnan(a), 1, a) : a, options)
}

export interface PtpOptions {
  /** The axes to reduce (default all). */
  readonly axis?: number | ReadonlyArray<number> | null | undefined
  /** Keep the reduced axes as size 1 (default false). */
  readonly keepdims?: boolean | undefined
}
const PTP_KEYS = optionKeys<PtpOptions>()("axis", "keepdims")

/**
 * `jnp.ptp`: the range (maximum minus minimum) over `axis` (default all).
 *
 * @example
 * np.ptp(np.array([[4, 9], [2, 3]]), { axis: 1 }) // Array([5, 1], dtype=int32)
 */
export const ptp = (x: ArrayLike, options?: PtpOptions): Array => {
  checkOptions("np.ptp", options, PTP_KEYS)
  const a = asArray(x)
  return max(a, options).sub(min(a, options))
}
