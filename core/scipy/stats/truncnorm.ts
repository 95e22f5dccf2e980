/**
 * The normal distribution truncated to [a, b] in standard units (JAX's
 * `jax.scipy.stats.truncnorm`): the bounds are (bound - loc) / scale, as in SciPy.
 */
import type { Array } from "../../array.js"
import { div, exp, ge, gt, le, log1p, lt, neg, or, select, sub } from "../../primitives/elementwise.js"
import { constant } from "../../primitives/common.js"
import { concatenate, reshape } from "../../primitives/shape-ops.js"
import { type Operand } from "../../numpy/coerce.js"
import { broadcastAll } from "../special/common.js"
import { logsumexp } from "../special/logsumexp.js"
import { logNdtrRaw, ndtrRaw } from "../special/ndtr.js"
import { c, checkLocScale, type LocScale, replace, withLocScale } from "./common.js"
import { logpdf as normLogpdf } from "./norm.js"

/** log(exp(x) - exp(y)) elementwise, as a weighted logsumexp over the pair (JAX's _log_diff). */
const logDiff = (x: Array, y: Array): Array => {
  const stacked = concatenate([reshape(x, [1, ...x.shape]), reshape(y, [1, ...y.shape])], 0)
  const weights = reshape(constant(1, x.dtype, [2]).at(1).set(-1), [2, ...x.shape.map(() => 1)])
  return logsumexp(stacked, { b: weights, axis: 0 })
}

/** log(Φ(b) - Φ(a)), through the tail on the side where both bounds lie, or directly around 0. */
const logGaussMass = (a0: Array, b0: Array): Array => {
  const [a, b] = broadcastAll([a0, b0]) as [Array, Array]
  const left = le(b, c(b, 0))
  const right = gt(a, c(a, 0))
  const aTail = select(right, neg(b), a)
  const bTail = select(right, neg(a), b)
  const tail = logDiff(logNdtrRaw(bTail), logNdtrRaw(aTail))
  const central = log1p(sub(neg(ndtrRaw(a)), ndtrRaw(neg(b))))
  return select(or(left, right), tail, central)
}

/**
 * The normal log-density minus log(Φ(b) - Φ(a)) inside [a, b] (standard units), -inf outside, NaN
 * where a >= b.
 *
 * @example
 * scipy.stats.truncnorm.logpdf(np.array([0, 1.5]), -1, 1) // Array([-0.53722334,        -inf], dtype=float32)
 */
export const logpdf = (x: Operand, a: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.truncnorm.logpdf", loc, scale)
  const [xx, aa, bb, l, s] = withLocScale([x, a, b], loc, scale) as [Array, Array, Array, Array, Array]
  const value = sub(normLogpdf(xx, l, s), logGaussMass(aa, bb))
  const z = div(sub(xx, l), s)
  return replace(ge(aa, bb), NaN, replace(or(lt(z, aa), gt(z, bb)), -Infinity, value))
}

/**
 * The density exp(logpdf).
 *
 * @example
 * scipy.stats.truncnorm.pdf(np.array([0]), -1, 1) // Array([0.5843686], dtype=float32)
 */
export const pdf = (x: Operand, a: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.truncnorm.pdf", loc, scale)
  return exp(logpdf(x, a, b, loc, scale))
}

/**
 * The log CDF: 0 from b, -inf up to a, and in between log of the mass from a, or log1p(-sf) where
 * the CDF is near 1 (above exp(-0.1)).
 *
 * @example
 * scipy.stats.truncnorm.logcdf(np.array([0, 0.9]), -1, 1) // Array([-0.6931473 , -0.03792299], dtype=float32)
 */
export const logcdf = (x: Operand, a: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.truncnorm.logcdf", loc, scale)
  const [xx, aa, bb, l, s] = withLocScale([x, a, b], loc, scale) as [Array, Array, Array, Array, Array]
  const [z, lo, hi] = broadcastAll([div(sub(xx, l), s), aa, bb]) as [Array, Array, Array]
  const total = logGaussMass(lo, hi)
  const below = sub(logGaussMass(lo, z), total)
  const above = sub(logGaussMass(z, hi), total)
  const inside = select(gt(below, c(below, -0.1)), log1p(neg(exp(above))), select(gt(z, lo), below, c(below, 0)))
  const value = select(ge(z, hi), c(inside, 0), select(le(z, lo), c(inside, -Infinity), inside))
  return replace(ge(lo, hi), NaN, value)
}

/**
 * The CDF exp(logcdf).
 *
 * @example
 * scipy.stats.truncnorm.cdf(np.array([0, 0.9]), -1, 1) // Array([0.49999994, 0.9627871 ], dtype=float32)
 */
export const cdf = (x: Operand, a: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.truncnorm.cdf", loc, scale)
  return exp(logcdf(x, a, b, loc, scale))
}

/**
 * The log survival function, the log CDF of the reflected distribution.
 *
 * @example
 * scipy.stats.truncnorm.logsf(np.array([0.9]), -1, 1) // Array([-3.2910993], dtype=float32)
 */
export const logsf = (x: Operand, a: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.truncnorm.logsf", loc, scale)
  const [xx, aa, bb, l, s] = withLocScale([x, a, b], loc, scale) as [Array, Array, Array, Array, Array]
  return logcdf(neg(xx), neg(bb), neg(aa), neg(l), s)
}

/**
 * The survival function exp(logsf).
 *
 * @example
 * scipy.stats.truncnorm.sf(np.array([0.9]), -1, 1) // Array([0.03721292], dtype=float32)
 */
export const sf = (x: Operand, a: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.truncnorm.sf", loc, scale)
  return exp(logsf(x, a, b, loc, scale))
}
