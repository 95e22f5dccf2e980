/** The Pareto distribution with shape b (JAX's `jax.scipy.stats.pareto`). */
import type { Array } from "../../array.js"
import { add, div, exp, gt, log, log1p, lt, mul, neg, or, pow, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { isNan } from "../special/common.js"
import { c, checkLocScale, type LocScale, replace, withLocScale } from "./common.js"

type Args = [Array, Array, Array, Array]
const prepare = (x: Operand, b: Operand, loc: Operand | LocScale | undefined, scale: Operand | undefined) => {
  const [xx, bb, l, s] = withLocScale([x, b], loc, scale) as Args
  return { xx, bb, l, s, z: div(sub(xx, l), s), below: lt(xx, add(l, s)) }
}

/**
 * log(b / scale) - (b + 1) log z for z = (x - loc)/scale >= 1, -inf below.
 *
 * @example
 * scipy.stats.pareto.logpdf(np.array([1, 2]), 3) // Array([ 1.0986123, -1.6739764], dtype=float32)
 */
export const logpdf = (x: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.pareto.logpdf", loc, scale)
  const { bb, s, z, below } = prepare(x, b, loc, scale)
  return replace(below, -Infinity, neg(add(log(div(s, bb)), mul(add(bb, c(bb, 1)), log(z)))))
}

/**
 * The density exp(logpdf).
 *
 * @example
 * scipy.stats.pareto.pdf(np.array([1, 2]), 3) // Array([3.    , 0.1875], dtype=float32)
 */
export const pdf = (x: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.pareto.pdf", loc, scale)
  return exp(logpdf(x, b, loc, scale))
}

/**
 * The CDF 1 - z^-b, 0 below loc + scale.
 *
 * @example
 * scipy.stats.pareto.cdf(np.array([1, 2]), 3) // Array([0.   , 0.875], dtype=float32)
 */
export const cdf = (x: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.pareto.cdf", loc, scale)
  const { bb, z, below } = prepare(x, b, loc, scale)
  return replace(below, 0, sub(c(z, 1), pow(z, neg(bb))))
}

/**
 * log1p(-z^-b), -inf below loc + scale.
 *
 * @example
 * scipy.stats.pareto.logcdf(np.array([2]), 3) // Array([-0.13353139], dtype=float32)
 */
export const logcdf = (x: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.pareto.logcdf", loc, scale)
  const { bb, z, below } = prepare(x, b, loc, scale)
  return replace(below, -Infinity, log1p(neg(pow(z, neg(bb)))))
}

/**
 * The log survival function -b log z, 0 below loc + scale.
 *
 * @example
 * scipy.stats.pareto.logsf(np.array([2]), 3) // Array([-2.0794415], dtype=float32)
 */
export const logsf = (x: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.pareto.logsf", loc, scale)
  const { bb, z, below } = prepare(x, b, loc, scale)
  return replace(below, 0, neg(mul(bb, log(z))))
}

/**
 * The survival function z^-b.
 *
 * @example
 * scipy.stats.pareto.sf(np.array([2]), 3) // Array([0.125], dtype=float32)
 */
export const sf = (x: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.pareto.sf", loc, scale)
  return exp(logsf(x, b, loc, scale))
}

/**
 * The quantile loc + scale (1 - q)^(-1/b) for q in [0, 1], NaN outside.
 *
 * @example
 * scipy.stats.pareto.ppf(np.array([0, 0.875]), 3) // Array([1., 2.], dtype=float32)
 */
export const ppf = (q: Operand, b: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.pareto.ppf", loc, scale)
  const [qq, bb, l, s] = withLocScale([q, b], loc, scale) as Args
  const value = add(l, mul(s, pow(sub(c(qq, 1), qq), neg(div(c(bb, 1), bb)))))
  return replace(or(isNan(qq), or(lt(qq, c(qq, 0)), gt(qq, c(qq, 1)))), NaN, value)
}
