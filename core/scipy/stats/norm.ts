/**
 * The normal distribution N(loc, scale²) (JAX's `jax.scipy.stats.norm`). `loc` and `scale` are
 * the last arguments, positionally or as `{ loc, scale }` (defaults 0 and 1).
 */
import type { Array } from "../../array.js"
import { add, div, exp, log, mul, neg, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { logNdtrRaw, ndtriRaw, ndtrRaw } from "../special/ndtr.js"
import { c, checkLocScale, floats, type LocScale, locScaleOf } from "./common.js"

const standardized = (x: Operand, loc: Operand | LocScale | undefined, scale: Operand | undefined): [Array, Array] => {
  const [l, s] = locScaleOf(loc, scale)
  const [xx, ll, ss] = floats(x, l, s)
  return [div(sub(xx!, ll!), ss!), ss!]
}

/**
 * The log of the normal density, -((x - loc)/scale)²/2 - log(√(2π) scale).
 *
 * @example
 * scipy.stats.norm.logpdf(np.array([0, 1]), { loc: 1, scale: 2 }) // Array([-1.7370857, -1.6120857], dtype=float32)
 */
export const logpdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.norm.logpdf", loc, scale)
  const [l, s] = locScaleOf(loc, scale)
  const [xx, ll, ss] = floats(x, l, s)
  const s2 = mul(ss!, ss!)
  const d = sub(xx!, ll!)
  return div(add(log(mul(c(s2, 2 * Math.PI), s2)), div(mul(d, d), s2)), c(s2, -2))
}

/**
 * The normal density exp(logpdf).
 *
 * @example
 * scipy.stats.norm.pdf(np.array([0, 1])) // Array([0.3989423 , 0.24197073], dtype=float32)
 */
export const pdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.norm.pdf", loc, scale)
  return exp(logpdf(x, loc, scale))
}

/**
 * The normal CDF, `ndtr((x - loc) / scale)`.
 *
 * @example
 * scipy.stats.norm.cdf(np.array([-1, 0, 1.96])) // Array([0.15865527, 0.5       , 0.9750021 ], dtype=float32)
 */
export const cdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.norm.cdf", loc, scale)
  return ndtrRaw(standardized(x, loc, scale)[0])
}

/**
 * The log of the normal CDF, `log_ndtr((x - loc) / scale)`, accurate far in the lower tail.
 *
 * @example
 * scipy.stats.norm.logcdf(np.array([-20, 0])) // Array([-203.91716  ,   -0.6931472], dtype=float32)
 */
export const logcdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.norm.logcdf", loc, scale)
  return logNdtrRaw(standardized(x, loc, scale)[0])
}

/**
 * The survival function 1 - cdf, computed as the CDF of the reflected point (no cancellation).
 *
 * @example
 * scipy.stats.norm.sf(np.array([0, 5])) // Array([5.0000000e-01, 2.8665158e-07], dtype=float32)
 */
export const sf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.norm.sf", loc, scale)
  return ndtrRaw(neg(standardized(x, loc, scale)[0]))
}

/**
 * The log of the survival function.
 *
 * @example
 * scipy.stats.norm.logsf(np.array([0, 20])) // Array([  -0.6931472, -203.91716  ], dtype=float32)
 */
export const logsf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.norm.logsf", loc, scale)
  return logNdtrRaw(neg(standardized(x, loc, scale)[0]))
}

/**
 * The quantile function (inverse CDF), `ndtri(q) * scale + loc`.
 *
 * @example
 * scipy.stats.norm.ppf(np.array([0.025, 0.5]), { loc: 10, scale: 2 }) // Array([ 6.080072, 10.      ], dtype=float32)
 */
export const ppf = (q: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.norm.ppf", loc, scale)
  const [l, s] = locScaleOf(loc, scale)
  const [qq, ll, ss] = floats(q, l, s)
  return add(mul(ndtriRaw(qq!), ss!), ll!)
}

/**
 * The inverse survival function, `ppf(1 - q)`.
 *
 * @example
 * scipy.stats.norm.isf(np.array([0.025])) // Array([1.9599644], dtype=float32)
 */
export const isf = (q: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.norm.isf", loc, scale)
  const [l, s] = locScaleOf(loc, scale)
  const [qq, ll, ss] = floats(q, l, s)
  return ppf(sub(c(qq!, 1), qq!), ll!, ss!)
}
