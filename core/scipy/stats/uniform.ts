/** The uniform distribution on [loc, loc + scale] (JAX's `jax.scipy.stats.uniform`). */
import type { Array } from "../../array.js"
import { add, and, div, exp, ge, gt, le, log, lt, mul, neg, or, select, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { isNan } from "../special/common.js"
import { c, checkLocScale, type LocScale, replace, withLocScale } from "./common.js"

/**
 * log(1/scale) on [loc, loc + scale], -inf outside.
 *
 * @example
 * scipy.stats.uniform.logpdf(np.array([0.5, 2]), { scale: 2 }) // Array([-0.6931472, -0.6931472], dtype=float32)
 */
export const logpdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.uniform.logpdf", loc, scale)
  const [xx, l, s] = withLocScale([x], loc, scale) as [Array, Array, Array]
  return replace(or(gt(xx, add(l, s)), lt(xx, l)), -Infinity, neg(log(s)))
}

/**
 * The density 1/scale on [loc, loc + scale], 0 outside.
 *
 * @example
 * scipy.stats.uniform.pdf(np.array([0.5, 3]), { scale: 2 }) // Array([0.5, 0. ], dtype=float32)
 */
export const pdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.uniform.pdf", loc, scale)
  return exp(logpdf(x, loc, scale))
}

/**
 * The CDF: 0 below loc, (x - loc)/scale inside, 1 above; 0 for NaN x, as JAX's `select` default.
 *
 * @example
 * scipy.stats.uniform.cdf(np.array([-1, 0.25, 2])) // Array([0.  , 0.25, 1.  ], dtype=float32)
 */
export const cdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.uniform.cdf", loc, scale)
  const [xx, l, s] = withLocScale([x], loc, scale) as [Array, Array, Array]
  const hi = add(l, s)
  const inside = and(ge(xx, l), le(xx, hi))
  const value = select(inside, div(sub(xx, l), s), c(xx, 0))
  return select(lt(xx, l), c(value, 0), select(gt(xx, hi), c(value, 1), value))
}

/**
 * The quantile loc + scale q for q in [0, 1], NaN outside.
 *
 * @example
 * scipy.stats.uniform.ppf(np.array([0, 0.5, 2]), { loc: 1, scale: 4 }) // Array([ 1.,  3., nan], dtype=float32)
 */
export const ppf = (q: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.uniform.ppf", loc, scale)
  const [qq, l, s] = withLocScale([q], loc, scale) as [Array, Array, Array]
  return replace(or(isNan(qq), or(lt(qq, c(qq, 0)), gt(qq, c(qq, 1)))), NaN, add(l, mul(s, qq)))
}
