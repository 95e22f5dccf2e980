/** The right-skewed Gumbel distribution (JAX's `jax.scipy.stats.gumbel_r`). */
import type { Array } from "../../array.js"
import { add, and, div, exp, expm1, gt, log, log1p, lt, mul, neg, not, select, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { c, checkLocScale, type LocScale, replace, withLocScale } from "./common.js"

/** z = (x - loc)/scale, and whether scale > 0 (NaN results otherwise, as in JAX). */
const standardize = (x: Operand, loc: Operand | LocScale | undefined, scale: Operand | undefined): [Array, Array, Array] => {
  const [xx, l, s] = withLocScale([x], loc, scale) as [Array, Array, Array]
  return [div(sub(xx, l), s), s, not(gt(s, c(s, 0)))]
}

/** log(1 - exp(-y)) for y >= 0, accurate for small and large y. */
const log1mexp = (y: Array): Array => {
  const small = lt(y, c(y, Math.LN2))
  return select(small, log(neg(expm1(neg(y)))), log1p(neg(exp(neg(y)))))
}

/**
 * -(z + exp(-z)) - log(scale) for z = (x - loc)/scale; NaN unless scale > 0.
 *
 * @example
 * scipy.stats.gumbelR.logpdf(np.array([0, 1])) // Array([-1.       , -1.3678794], dtype=float32)
 */
export const logpdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gumbelR.logpdf", loc, scale)
  const [z, s, bad] = standardize(x, loc, scale)
  return replace(bad, NaN, sub(neg(add(z, exp(neg(z)))), log(s)))
}

/**
 * The density exp(logpdf).
 *
 * @example
 * scipy.stats.gumbelR.pdf(np.array([0])) // Array([0.36787945], dtype=float32)
 */
export const pdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gumbelR.pdf", loc, scale)
  return exp(logpdf(x, loc, scale))
}

/**
 * The log CDF -exp(-z).
 *
 * @example
 * scipy.stats.gumbelR.logcdf(np.array([0])) // Array([-1.], dtype=float32)
 */
export const logcdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gumbelR.logcdf", loc, scale)
  const [z, , bad] = standardize(x, loc, scale)
  return replace(bad, NaN, neg(exp(neg(z))))
}

/**
 * The CDF exp(-exp(-z)).
 *
 * @example
 * scipy.stats.gumbelR.cdf(np.array([0])) // Array([0.36787945], dtype=float32)
 */
export const cdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gumbelR.cdf", loc, scale)
  return exp(logcdf(x, loc, scale))
}

/**
 * The survival function 1 - exp(-exp(-z)).
 *
 * @example
 * scipy.stats.gumbelR.sf(np.array([0])) // Array([0.63212055], dtype=float32)
 */
export const sf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gumbelR.sf", loc, scale)
  const [z, , bad] = standardize(x, loc, scale)
  return replace(bad, NaN, sub(c(z, 1), exp(neg(exp(neg(z))))))
}

/**
 * The log survival function log(1 - exp(-exp(-z))).
 *
 * @example
 * scipy.stats.gumbelR.logsf(np.array([0])) // Array([-0.45867515], dtype=float32)
 */
export const logsf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gumbelR.logsf", loc, scale)
  const [z, , bad] = standardize(x, loc, scale)
  return replace(bad, NaN, log1mexp(exp(neg(z))))
}

/**
 * The quantile loc - scale log(-log p) for 0 < p < 1, NaN elsewhere.
 *
 * @example
 * scipy.stats.gumbelR.ppf(np.array([0.5])) // Array([0.36651292], dtype=float32)
 */
export const ppf = (p: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.gumbelR.ppf", loc, scale)
  const [pp, l, s] = withLocScale([p], loc, scale) as [Array, Array, Array]
  const ok = and(gt(pp, c(pp, 0)), lt(pp, c(pp, 1)))
  return replace(not(ok), NaN, sub(l, mul(s, log(neg(log(pp))))))
}
