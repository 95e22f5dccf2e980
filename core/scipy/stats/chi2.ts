/** The chi-squared distribution with df degrees of freedom (JAX's `jax.scipy.stats.chi2`). */
import type { Array } from "../../array.js"
import { add, div, exp, log, lt, max, mul, neg, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { lgammaRaw } from "../special/gamma.js"
import { igammacRaw, igammaRaw } from "../special/igamma.js"
import { c, checkLocScale, type LocScale, replace, withLocScale } from "./common.js"

/**
 * (df/2 - 1) log y - y/2 - lgamma(df/2) - (df/2) log 2 - log(scale) for y = (x - loc)/scale;
 * -inf below loc.
 *
 * @example
 * scipy.stats.chi2.logpdf(np.array([1, 4]), 3) // Array([-1.4189385, -2.2257915], dtype=float32)
 */
export const logpdf = (x: Operand, df: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.chi2.logpdf", loc, scale)
  const [xx, d, l, s] = withLocScale([x, df], loc, scale) as [Array, Array, Array, Array]
  const y = div(sub(xx, l), s)
  const half = div(d, c(d, 2))
  const kernel = sub(mul(sub(half, c(half, 1)), log(y)), div(y, c(y, 2)))
  const normalizer = neg(add(lgammaRaw(half), div(mul(c(d, Math.LN2), d), c(d, 2))))
  return replace(lt(xx, l), -Infinity, add(sub(normalizer, log(s)), kernel))
}

/**
 * The density exp(logpdf).
 *
 * @example
 * scipy.stats.chi2.pdf(np.array([1, 4]), 3) // Array([0.24197073, 0.10798192], dtype=float32)
 */
export const pdf = (x: Operand, df: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.chi2.pdf", loc, scale)
  return exp(logpdf(x, df, loc, scale))
}

const halfClamped = (x: Operand, df: Operand, loc: Operand | LocScale | undefined, scale: Operand | undefined): [Array, Array] => {
  const [xx, d, l, s] = withLocScale([x, df], loc, scale) as [Array, Array, Array, Array]
  return [div(d, c(d, 2)), max(div(sub(xx, l), mul(s, c(s, 2))), c(xx, 0))]
}

/**
 * The CDF, gammainc(df/2, y/2).
 *
 * @example
 * scipy.stats.chi2.cdf(np.array([1, 4]), 3) // Array([0.19874807, 0.7385359 ], dtype=float32)
 */
export const cdf = (x: Operand, df: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.chi2.cdf", loc, scale)
  return igammaRaw(...halfClamped(x, df, loc, scale))
}

/**
 * log(cdf).
 *
 * @example
 * scipy.stats.chi2.logcdf(np.array([4]), 3) // Array([-0.3030856], dtype=float32)
 */
export const logcdf = (x: Operand, df: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.chi2.logcdf", loc, scale)
  return log(cdf(x, df, loc, scale))
}

/**
 * The survival function, gammaincc(df/2, y/2).
 *
 * @example
 * scipy.stats.chi2.sf(np.array([4, 50]), 3) // Array([2.6146412e-01, 7.9891864e-11], dtype=float32)
 */
export const sf = (x: Operand, df: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.chi2.sf", loc, scale)
  return igammacRaw(...halfClamped(x, df, loc, scale))
}

/**
 * log(sf).
 *
 * @example
 * scipy.stats.chi2.logsf(np.array([4]), 3) // Array([-1.3414582], dtype=float32)
 */
export const logsf = (x: Operand, df: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.chi2.logsf", loc, scale)
  return log(sf(x, df, loc, scale))
}
