/** The beta distribution on [loc, loc + scale] (JAX's `jax.scipy.stats.beta`). */
import type { Array } from "../../array.js"
import { add, div, exp, gt, le, log, lt, max, min, neg, or, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { anyOf } from "../special/common.js"
import { betaincRaw } from "../special/betainc.js"
import { xlog1pyRaw, xlogyRaw } from "../special/entropy.js"
import { betalnRaw } from "../special/gamma.js"
import { c, checkLocScale, type LocScale, replace, withLocScale } from "./common.js"

/**
 * (a-1) log y + (b-1) log(1-y) - log B(a, b) - log(scale) with y = (x - loc)/scale; -inf outside
 * [loc, loc + scale], NaN unless a, b, scale > 0.
 *
 * @example
 * scipy.stats.beta.logpdf(np.array([0.25, 0.5]), 2, 3) // Array([0.5232482 , 0.40546513], dtype=float32)
 */
export const logpdf = (x: Operand, a: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.beta.logpdf", loc, scale)
  const [xx, aa, bb, l, s] = withLocScale([x, a, b], loc, scale) as [Array, Array, Array, Array, Array]
  const y = div(sub(xx, l), s)
  const one = c(xx, 1)
  const linear = add(xlogyRaw(sub(aa, one), y), xlog1pyRaw(sub(bb, one), neg(y)))
  const logProbs = sub(sub(linear, betalnRaw(aa, bb)), log(s))
  const outside = replace(or(gt(xx, add(l, s)), lt(xx, l)), -Infinity, logProbs)
  return replace(anyOf(le(aa, c(aa, 0)), le(bb, c(bb, 0)), le(s, c(s, 0))), NaN, outside)
}

/**
 * The density exp(logpdf).
 *
 * @example
 * scipy.stats.beta.pdf(np.array([0.25, 0.5]), 2, 3) // Array([1.6875001, 1.5      ], dtype=float32)
 */
export const pdf = (x: Operand, a: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.beta.pdf", loc, scale)
  return exp(logpdf(x, a, b, loc, scale))
}

const clampUnit = (v: Array): Array => min(max(v, c(v, 0)), c(v, 1))

/**
 * The CDF, betainc(a, b, y) with y clamped to [0, 1].
 *
 * @example
 * scipy.stats.beta.cdf(np.array([0.25, 0.5]), 2, 3) // Array([0.2617187, 0.6875   ], dtype=float32)
 */
export const cdf = (x: Operand, a: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.beta.cdf", loc, scale)
  const [xx, aa, bb, l, s] = withLocScale([x, a, b], loc, scale) as [Array, Array, Array, Array, Array]
  return betaincRaw(aa, bb, clampUnit(div(sub(xx, l), s)))
}

/**
 * log(cdf).
 *
 * @example
 * scipy.stats.beta.logcdf(np.array([0.5]), 2, 3) // Array([-0.37469345], dtype=float32)
 */
export const logcdf = (x: Operand, a: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.beta.logcdf", loc, scale)
  return log(cdf(x, a, b, loc, scale))
}

/**
 * The survival function, betainc(b, a, 1 - y) (no cancellation near 1).
 *
 * @example
 * scipy.stats.beta.sf(np.array([0.5]), 2, 3) // Array([0.3125], dtype=float32)
 */
export const sf = (x: Operand, a: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.beta.sf", loc, scale)
  const [xx, aa, bb, l, s] = withLocScale([x, a, b], loc, scale) as [Array, Array, Array, Array, Array]
  return betaincRaw(bb, aa, sub(c(xx, 1), clampUnit(div(sub(xx, l), s))))
}

/**
 * log(sf).
 *
 * @example
 * scipy.stats.beta.logsf(np.array([0.5]), 2, 3) // Array([-1.1631508], dtype=float32)
 */
export const logsf = (x: Operand, a: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.beta.logsf", loc, scale)
  return log(sf(x, a, b, loc, scale))
}
