/** The logistic distribution (JAX's `jax.scipy.stats.logistic`). */
import type { Array } from "../../array.js"
import { abs, add, div, exp, log, log1p, logistic as expit, mul, neg, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { logitRaw } from "../special/entropy.js"
import { c, checkLocScale, type LocScale, withLocScale } from "./common.js"

/**
 * -2 logaddexp(z/2, -z/2) - log(scale) with z = (x - loc)/scale (stable for large |z|).
 *
 * @example
 * scipy.stats.logistic.logpdf(np.array([0, 2])) // Array([-1.3862944, -2.253856 ], dtype=float32)
 */
export const logpdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.logistic.logpdf", loc, scale)
  const [xx, l, s] = withLocScale([x], loc, scale) as [Array, Array, Array]
  const z = div(sub(xx, l), s)
  // logaddexp(z/2, -z/2) = |z|/2 + log1p(exp(-|z|))
  const lae = add(mul(c(z, 0.5), abs(z)), log1p(exp(neg(abs(z)))))
  return sub(mul(c(z, -2), lae), log(s))
}

/**
 * The density exp(logpdf).
 *
 * @example
 * scipy.stats.logistic.pdf(np.array([0])) // Array([0.25], dtype=float32)
 */
export const pdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.logistic.pdf", loc, scale)
  return exp(logpdf(x, loc, scale))
}

/**
 * The CDF expit((x - loc)/scale).
 *
 * @example
 * scipy.stats.logistic.cdf(np.array([0, 2])) // Array([0.5      , 0.8807971], dtype=float32)
 */
export const cdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.logistic.cdf", loc, scale)
  const [xx, l, s] = withLocScale([x], loc, scale) as [Array, Array, Array]
  return expit(div(sub(xx, l), s))
}

/**
 * The survival function expit(-(x - loc)/scale).
 *
 * @example
 * scipy.stats.logistic.sf(np.array([2])) // Array([0.11920292], dtype=float32)
 */
export const sf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.logistic.sf", loc, scale)
  const [xx, l, s] = withLocScale([x], loc, scale) as [Array, Array, Array]
  return expit(neg(div(sub(xx, l), s)))
}

/**
 * The quantile logit(q) scale + loc.
 *
 * @example
 * scipy.stats.logistic.ppf(np.array([0.5, 0.75])) // Array([0.       , 1.0986123], dtype=float32)
 */
export const ppf = (q: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.logistic.ppf", loc, scale)
  const [qq, l, s] = withLocScale([q], loc, scale) as [Array, Array, Array]
  return add(mul(logitRaw(qq), s), l)
}

/**
 * The inverse survival function -logit(q) scale + loc.
 *
 * @example
 * scipy.stats.logistic.isf(np.array([0.25])) // Array([1.0986123], dtype=float32)
 */
export const isf = (q: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.logistic.isf", loc, scale)
  const [qq, l, s] = withLocScale([q], loc, scale) as [Array, Array, Array]
  return add(mul(neg(logitRaw(qq)), s), l)
}
