/** The exponential distribution with rate 1/scale from loc (JAX's `jax.scipy.stats.expon`). */
import type { Array } from "../../array.js"
import { add, div, exp, expm1, gt, log, log1p, lt, mul, neg, or, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { isNan } from "../special/common.js"
import { c, checkLocScale, type LocScale, replace, withLocScale } from "./common.js"

/**
 * -(x - loc)/scale - log(scale) for x >= loc, -inf below.
 *
 * @example
 * scipy.stats.expon.logpdf(np.array([0, 1, -1])) // Array([ -0.,  -1., -inf], dtype=float32)
 */
export const logpdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.expon.logpdf", loc, scale)
  const [xx, l, s] = withLocScale([x], loc, scale) as [Array, Array, Array]
  return replace(lt(xx, l), -Infinity, neg(add(div(sub(xx, l), s), log(s))))
}

/**
 * The density exp(-(x - loc)/scale)/scale for x >= loc.
 *
 * @example
 * scipy.stats.expon.pdf(np.array([0, 1])) // Array([1.        , 0.36787945], dtype=float32)
 */
export const pdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.expon.pdf", loc, scale)
  return exp(logpdf(x, loc, scale))
}

/**
 * The CDF 1 - exp(-(x - loc)/scale), as -expm1 (accurate near loc); 0 below loc.
 *
 * @example
 * scipy.stats.expon.cdf(np.array([1e-8, 1])) // Array([9.9999999e-09, 6.3212055e-01], dtype=float32)
 */
export const cdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.expon.cdf", loc, scale)
  const [xx, l, s] = withLocScale([x], loc, scale) as [Array, Array, Array]
  return replace(lt(xx, l), 0, neg(expm1(div(sub(l, xx), s))))
}

/**
 * The log of the survival function, -(x - loc)/scale (0 below loc).
 *
 * @example
 * scipy.stats.expon.logsf(np.array([2])) // Array([-2.], dtype=float32)
 */
export const logsf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.expon.logsf", loc, scale)
  const [xx, l, s] = withLocScale([x], loc, scale) as [Array, Array, Array]
  return replace(lt(xx, l), 0, div(sub(l, xx), s))
}

/**
 * The survival function exp(logsf).
 *
 * @example
 * scipy.stats.expon.sf(np.array([2])) // Array([0.13533528], dtype=float32)
 */
export const sf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.expon.sf", loc, scale)
  return exp(logsf(x, loc, scale))
}

/**
 * The log of the CDF, log1p(-sf).
 *
 * @example
 * scipy.stats.expon.logcdf(np.array([2])) // Array([-0.14541346], dtype=float32)
 */
export const logcdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.expon.logcdf", loc, scale)
  return log1p(neg(sf(x, loc, scale)))
}

/**
 * The quantile loc - scale log1p(-q) for q in [0, 1], NaN outside.
 *
 * @example
 * scipy.stats.expon.ppf(np.array([0, 0.5, 1])) // Array([0.       , 0.6931472,       inf], dtype=float32)
 */
export const ppf = (q: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.expon.ppf", loc, scale)
  const [qq, l, s] = withLocScale([q], loc, scale) as [Array, Array, Array]
  return replace(or(isNan(qq), or(lt(qq, c(qq, 0)), gt(qq, c(qq, 1)))), NaN, sub(l, mul(s, log1p(neg(qq)))))
}
