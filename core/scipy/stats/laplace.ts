/** The Laplace (double exponential) distribution (JAX's `jax.scipy.stats.laplace`). */
import type { Array } from "../../array.js"
import { abs, add, div, exp, le, log, mul, neg, select, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { c, checkLocScale, type LocScale, withLocScale } from "./common.js"

/**
 * -|x - loc|/scale - log(2 scale).
 *
 * @example
 * scipy.stats.laplace.logpdf(np.array([0, 1])) // Array([-0.6931472, -1.6931472], dtype=float32)
 */
export const logpdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.laplace.logpdf", loc, scale)
  const [xx, l, s] = withLocScale([x], loc, scale) as [Array, Array, Array]
  return neg(add(div(abs(sub(xx, l)), s), log(mul(c(s, 2), s))))
}

/**
 * The density exp(-|x - loc|/scale) / (2 scale).
 *
 * @example
 * scipy.stats.laplace.pdf(np.array([0, 1])) // Array([0.5       , 0.18393973], dtype=float32)
 */
export const pdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.laplace.pdf", loc, scale)
  return exp(logpdf(x, loc, scale))
}

/**
 * The CDF: exp(z)/2 for z = (x - loc)/scale <= 0, 1 - exp(-z)/2 above.
 *
 * @example
 * scipy.stats.laplace.cdf(np.array([-1, 0, 1])) // Array([0.18393973, 0.5       , 0.8160603 ], dtype=float32)
 */
export const cdf = (x: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.laplace.cdf", loc, scale)
  const [xx, l, s] = withLocScale([x], loc, scale) as [Array, Array, Array]
  const z = div(sub(xx, l), s)
  return select(le(z, c(z, 0)), mul(c(z, 0.5), exp(z)), sub(c(z, 1), mul(c(z, 0.5), exp(neg(z)))))
}
