/** The gamma distribution with shape a (JAX's `jax.scipy.stats.gamma`). */
import type { Array } from "../../array.js"
import { add, div, exp, ge, log, lt, max, not, select, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { xlogyRaw } from "../special/entropy.js"
import { lgammaRaw } from "../special/gamma.js"
import { igammacRaw, igammaRaw } from "../special/igamma.js"
import { c, checkLocScale, type LocScale, replace, withLocScale } from "./common.js"

/**
 * (a-1) log y - y - lgamma(a) - log(scale) for y = (x - loc)/scale >= 0, -inf below.
 *
 * @example
 * scipy.stats.gamma.logpdf(np.array([1, 2]), 2) // Array([-1.       , -1.3068528], dtype=float32)
 */
export const logpdf = (x: Operand, a: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gamma.logpdf", loc, scale)
  const [xx, aa, l, s] = withLocScale([x, a], loc, scale) as [Array, Array, Array, Array]
  const ok = ge(xx, l)
  const y = select(ok, div(sub(xx, l), s), c(xx, 1))
  const linear = sub(xlogyRaw(sub(aa, c(aa, 1)), y), y)
  return replace(not(ok), -Infinity, sub(linear, add(lgammaRaw(aa), log(s))))
}

/**
 * The density exp(logpdf).
 *
 * @example
 * scipy.stats.gamma.pdf(np.array([1, 2]), 2) // Array([0.36787945, 0.27067056], dtype=float32)
 */
export const pdf = (x: Operand, a: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gamma.pdf", loc, scale)
  return exp(logpdf(x, a, loc, scale))
}

/**
 * The CDF, gammainc(a, max(y, 0)).
 *
 * @example
 * scipy.stats.gamma.cdf(np.array([1, 2]), 2) // Array([0.26424113, 0.5939942 ], dtype=float32)
 */
export const cdf = (x: Operand, a: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gamma.cdf", loc, scale)
  const [xx, aa, l, s] = withLocScale([x, a], loc, scale) as [Array, Array, Array, Array]
  return igammaRaw(aa, max(div(sub(xx, l), s), c(xx, 0)))
}

/**
 * log(cdf).
 *
 * @example
 * scipy.stats.gamma.logcdf(np.array([1]), 2) // Array([-1.3308933], dtype=float32)
 */
export const logcdf = (x: Operand, a: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gamma.logcdf", loc, scale)
  return log(cdf(x, a, loc, scale))
}

/**
 * The survival function gammaincc(a, y), 1 for y < 0.
 *
 * @example
 * scipy.stats.gamma.sf(np.array([1, 20]), 2) // Array([7.357589e-01, 4.328423e-08], dtype=float32)
 */
export const sf = (x: Operand, a: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gamma.sf", loc, scale)
  const [xx, aa, l, s] = withLocScale([x, a], loc, scale) as [Array, Array, Array, Array]
  const y = div(sub(xx, l), s)
  return replace(lt(y, c(y, 0)), 1, igammacRaw(aa, y))
}

/**
 * log(sf).
 *
 * @example
 * scipy.stats.gamma.logsf(np.array([1]), 2) // Array([-0.3068528], dtype=float32)
 */
export const logsf = (x: Operand, a: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gamma.logsf", loc, scale)
  return log(sf(x, a, loc, scale))
}
