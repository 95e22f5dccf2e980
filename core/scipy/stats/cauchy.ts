/** The Cauchy distribution (JAX's `jax.scipy.stats.cauchy`). */
import type { Array } from "../../array.js"
import { add, atan, div, exp, log, log1p, mul, neg, sub, tan } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { c, checkLocScale, type LocScale, withLocScale } from "./common.js"

/**
 * -log(π scale) - log1p(z²) with z = (x - loc)/scale.
 *
 * @example
 * scipy.stats.cauchy.logpdf(np.array([0, 1])) // Array([-1.14473  , -1.8378772], dtype=float32)
 */
export const logpdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.cauchy.logpdf", loc, scale)
  const [xx, l, s] = withLocScale([x], loc, scale) as [Array, Array, Array]
  const z = div(sub(xx, l), s)
  return neg(add(log(mul(c(s, Math.PI), s)), log1p(mul(z, z))))
}

/**
 * The density 1 / (π scale (1 + z²)).
 *
 * @example
 * scipy.stats.cauchy.pdf(np.array([0, 1])) // Array([0.31830987, 0.15915492], dtype=float32)
 */
export const pdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.cauchy.pdf", loc, scale)
  return exp(logpdf(x, loc, scale))
}

/**
 * The CDF 1/2 + atan(z)/π.
 *
 * @example
 * scipy.stats.cauchy.cdf(np.array([-1, 0, 1])) // Array([0.25, 0.5 , 0.75], dtype=float32)
 */
export const cdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.cauchy.cdf", loc, scale)
  const [xx, l, s] = withLocScale([x], loc, scale) as [Array, Array, Array]
  return add(c(xx, 0.5), mul(c(xx, 1 / Math.PI), atan(div(sub(xx, l), s))))
}

/**
 * log(cdf).
 *
 * @example
 * scipy.stats.cauchy.logcdf(np.array([0])) // Array([-0.6931472], dtype=float32)
 */
export const logcdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.cauchy.logcdf", loc, scale)
  return log(cdf(x, loc, scale))
}

/**
 * The survival function, the CDF of the reflected point.
 *
 * @example
 * scipy.stats.cauchy.sf(np.array([1])) // Array([0.25], dtype=float32)
 */
export const sf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.cauchy.sf", loc, scale)
  const [xx, l, s] = withLocScale([x], loc, scale) as [Array, Array, Array]
  return cdf(neg(xx), neg(l), s)
}

/**
 * log(sf).
 *
 * @example
 * scipy.stats.cauchy.logsf(np.array([1])) // Array([-1.3862944], dtype=float32)
 */
export const logsf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.cauchy.logsf", loc, scale)
  const [xx, l, s] = withLocScale([x], loc, scale) as [Array, Array, Array]
  return logcdf(neg(xx), neg(l), s)
}

/**
 * The quantile tan(π q - π/2) scale + loc.
 *
 * @example
 * scipy.stats.cauchy.ppf(np.array([0.25, 0.75])) // Array([-1.        ,  0.99999994], dtype=float32)
 */
export const ppf = (q: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.cauchy.ppf", loc, scale)
  const [qq, l, s] = withLocScale([q], loc, scale) as [Array, Array, Array]
  return add(mul(tan(sub(mul(c(qq, Math.PI), qq), c(qq, Math.PI / 2))), s), l)
}

/**
 * The inverse survival function tan(π/2 - π q) scale + loc.
 *
 * @example
 * scipy.stats.cauchy.isf(np.array([0.25])) // Array([1.], dtype=float32)
 */
export const isf = (q: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.cauchy.isf", loc, scale)
  const [qq, l, s] = withLocScale([q], loc, scale) as [Array, Array, Array]
  return add(mul(tan(sub(c(qq, Math.PI / 2), mul(c(qq, Math.PI), qq))), s), l)
}
