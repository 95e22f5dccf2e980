/** The wrapped Cauchy distribution on [0, 2π] (JAX's `jax.scipy.stats.wrapcauchy`). */
import type { Array } from "../../array.js"
import { add, and, cos, exp, ge, gt, le, log, lt, mul, not, or, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { c as k, floats, replace } from "./common.js"

/**
 * log(1 - c²) - log(2π) - log(1 + c² - 2c cos x) for x in [0, 2π], -inf outside; NaN unless
 * 0 < c < 1.
 *
 * @example
 * scipy.stats.wrapcauchy.logpdf(np.array([0, 3]), 0.5) // Array([-0.7392647, -2.9320316], dtype=float32, weak_type=True)
 */
export const logpdf = (x: Operand, c: Operand): Array => {
  const [xx, cc] = floats(x, c) as [Array, Array]
  const c2 = mul(cc, cc)
  const value = sub(sub(log(sub(k(cc, 1), c2)), k(cc, Math.log(2 * Math.PI))), log(sub(add(k(cc, 1), c2), mul(mul(k(cc, 2), cc), cos(xx)))))
  const inRange = replace(not(and(ge(xx, k(xx, 0)), le(xx, k(xx, 2 * Math.PI)))), -Infinity, value)
  return replace(or(not(gt(cc, k(cc, 0))), not(lt(cc, k(cc, 1)))), NaN, inRange)
}

/**
 * The density exp(logpdf).
 *
 * @example
 * scipy.stats.wrapcauchy.pdf(np.array([0, 3]), 0.5) // Array([0.47746485, 0.05328866], dtype=float32, weak_type=True)
 */
export const pdf = (x: Operand, c: Operand): Array => exp(logpdf(x, c))
