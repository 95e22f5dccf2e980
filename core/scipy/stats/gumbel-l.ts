/** The left-skewed Gumbel distribution (JAX's `jax.scipy.stats.gumbel_l`). */
import type { Array } from "../../array.js"
import { add, and, div, exp, expm1, gt, log, log1p, lt, mul, neg, not, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { c, checkLocScale, type LocScale, replace, withLocScale } from "./common.js"

/** z = (x - loc)/scale, and whether scale > 0 (NaN results otherwise, as in JAX). */
const standardize = (x: Operand, loc: Operand | LocScale | undefined, scale: Operand | undefined): [Array, Array, Array] => {
  const [xx, l, s] = withLocScale([x], loc, scale) as [Array, Array, Array]
  return [div(sub(xx, l), s), s, not(gt(s, c(s, 0)))]
}

/**
 * z - exp(z) - log(scale) for z = (x - loc)/scale; NaN unless scale > 0.
 *
 * @example
 * scipy.stats.gumbelL.logpdf(np.array([0, 1])) // Array([-1.       , -1.7182817], dtype=float32)
 */
export const logpdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gumbelL.logpdf", loc, scale)
  const [z, s, bad] = standardize(x, loc, scale)
  return replace(bad, NaN, sub(sub(z, exp(z)), log(s)))
}

/**
 * The density exp(logpdf).
 *
 * @example
 * scipy.stats.gumbelL.pdf(np.array([0])) // Array([0.36787945], dtype=float32)
 */
export const pdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gumbelL.pdf", loc, scale)
  return exp(logpdf(x, loc, scale))
}

/**
 * log(1 - exp(-exp(z))).
 *
 * @example
 * scipy.stats.gumbelL.logcdf(np.array([0])) // Array([-0.45867515], dtype=float32)
 */
export const logcdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gumbelL.logcdf", loc, scale)
  const [z, , bad] = standardize(x, loc, scale)
  return replace(bad, NaN, log(neg(expm1(neg(exp(z))))))
}

/**
 * The CDF 1 - exp(-exp(z)).
 *
 * @example
 * scipy.stats.gumbelL.cdf(np.array([0])) // Array([0.63212055], dtype=float32)
 */
export const cdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gumbelL.cdf", loc, scale)
  return exp(logcdf(x, loc, scale))
}

/**
 * The log survival function -exp(z).
 *
 * @example
 * scipy.stats.gumbelL.logsf(np.array([0])) // Array([-1.], dtype=float32)
 */
export const logsf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gumbelL.logsf", loc, scale)
  const [z, , bad] = standardize(x, loc, scale)
  return replace(bad, NaN, neg(exp(z)))
}

/**
 * The survival function exp(-exp(z)).
 *
 * @example
 * scipy.stats.gumbelL.sf(np.array([0])) // Array([0.36787945], dtype=float32)
 */
export const sf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gumbelL.sf", loc, scale)
  return exp(logsf(x, loc, scale))
}

/**
 * The quantile loc + scale log(-log1p(-p)) for 0 < p < 1, NaN elsewhere.
 *
 * @example
 * scipy.stats.gumbelL.ppf(np.array([0.5])) // Array([-0.36651292], dtype=float32)
 */
export const ppf = (p: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gumbelL.ppf", loc, scale)
  const [pp, l, s] = withLocScale([p], loc, scale) as [Array, Array, Array]
  const ok = and(gt(pp, c(pp, 0)), lt(pp, c(pp, 1)))
  return replace(not(ok), NaN, add(l, mul(s, log(neg(log1p(neg(pp)))))))
}
