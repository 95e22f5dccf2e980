/**
 * Normalizing reductions of jax.nn: `standardize` (zero mean, unit variance along axes, with
 * JAX's "fast" one-pass and "stable" two-pass variances) and `logmeanexp`. Both take JAX's `where`
 * mask. `logsumexp` is scipy.special's (jax.nn.logsumexp is the same function).
 */
import type { Array } from "../array.js"
import { ValueError } from "../errors.js"
import { constLike } from "../primitives/common.js"
import * as lax from "../primitives/elementwise.js"
import { keptShape, reduceSum } from "../primitives/reduce.js"
import { reshape } from "../primitives/shape-ops.js"
import type { Operand } from "../numpy/coerce.js"
import { add, maximum, multiply, square, subtract } from "../numpy/math.js"
import { checkOptions, optionKeys } from "../options.js"
import { normalizeAxes } from "../shape.js"
import { logsumexp } from "../scipy/special/logsumexp.js"
import { float1, maskLike, meanKept } from "./common.js"

export interface LogmeanexpOptions {
  /** Axes to reduce (default: all). */
  readonly axis?: number | ReadonlyArray<number> | null | undefined
  /** Which elements take part (broadcast against x); the mean is over those only. */
  readonly where?: Operand | undefined
  /** Keep the reduced axes as dimensions of size 1 (default false). */
  readonly keepdims?: boolean | undefined
}

const logmeanexpKeys = optionKeys<LogmeanexpOptions>()("axis", "where", "keepdims")

/**
 * `log(mean(exp(x)))` over `axis` (default all), computed stably as `logsumexp(x) - log(n)`, where
 * n counts the elements reduced (those where `where` is true, if given).
 *
 * @example
 * nn.logmeanexp(np.array([1, 2, 3])) // Array(2.3090124, dtype=float32)
 */
export const logmeanexp = (x: Operand, options?: LogmeanexpOptions): Array => {
  checkOptions("nn.logmeanexp", options, logmeanexpKeys)
  const a = float1(x)
  const axes = normalizeAxes(options?.axis, a.ndim)
  const keepdims = options?.keepdims === true
  const mask = options?.where === undefined ? undefined : maskLike("nn.logmeanexp", a, options.where)
  const lse = logsumexp(a, { axis: axes, keepdims, ...(mask === undefined ? {} : { where: mask }) })
  let count: Array
  if (mask === undefined) {
    let n = 1
    for (const i of axes) n *= a.shape[i]!
    count = constLike(lse, n)
  } else {
    const c = reduceSum(lax.convertElementType(mask, lse.dtype), axes)
    count = keepdims ? reshape(c, keptShape(a.shape, axes)) : c
  }
  return lax.sub(lse, lax.log(count))
}

export interface StandardizeOptions {
  /** The axes to normalize over (default -1; null for all). */
  readonly axis?: number | ReadonlyArray<number> | null | undefined
  /** A precomputed mean (broadcast against x, e.g. with the reduced axes kept); default the mean over `axis`. */
  readonly mean?: Operand | undefined
  /** A precomputed variance; default the variance over `axis` (see `algorithm`). */
  readonly variance?: Operand | undefined
  /** Added to the variance before the reciprocal square root (default 1e-5). */
  readonly epsilon?: number | undefined
  /** Which elements the statistics are taken over (broadcast against x). */
  readonly where?: Operand | undefined
  /**
   * "fast" (default, as JAX): variance = mean(x²) - mean(x)², clipped at 0; "stable": the
   * two-pass mean((x - mean)²).
   */
  readonly algorithm?: "fast" | "stable" | undefined
}

const standardizeKeys = optionKeys<StandardizeOptions>()("axis", "mean", "variance", "epsilon", "where", "algorithm")

/**
 * `(x - mean) / sqrt(variance + epsilon)` with the mean and variance taken over `axis` (default
 * -1) unless given: the normalization inside layer norm.
 *
 * @example
 * nn.standardize(np.array([1, 2, 3])) // Array([-1.2247357,  0.       ,  1.2247357], dtype=float32)
 */
export const standardize = (x: Operand, options?: StandardizeOptions): Array => {
  checkOptions("nn.standardize", options, standardizeKeys)
  const algorithm = options?.algorithm ?? "fast"
  if (algorithm !== "fast" && algorithm !== "stable") {
    throw new ValueError(`nn.standardize: unknown algorithm "${String(algorithm)}"; use "fast" or "stable".`)
  }
  const epsilon = options?.epsilon ?? 1e-5
  if (typeof epsilon !== "number") throw new ValueError(`nn.standardize: epsilon must be a number, got ${String(epsilon)}.`)
  const a = float1(x)
  const axes = normalizeAxes(options?.axis === undefined ? -1 : options.axis, a.ndim)
  const mask = options?.where === undefined ? undefined : maskLike("nn.standardize", a, options.where)
  const mean = options?.mean === undefined ? meanKept(a, axes, mask) : options.mean
  let variance: Operand
  if (options?.variance !== undefined) {
    variance = options.variance
  } else if (algorithm === "stable") {
    variance = meanKept(square(subtract(a, mean)), axes, mask)
  } else {
    // The one-pass variance can come out slightly negative; JAX clips it at 0 before the rsqrt.
    variance = maximum(0, subtract(meanKept(square(a), axes, mask), square(mean)))
  }
  return multiply(subtract(a, mean), lax.rsqrt(float1(add(variance, epsilon))))
}
