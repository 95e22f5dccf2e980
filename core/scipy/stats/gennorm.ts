/** The generalized normal distribution with shape beta (JAX's `jax.scipy.stats.gennorm`). */
import type { Array } from "../../array.js"
import { abs, add, div, exp, log, mul, pow, sign, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { lgammaRaw } from "../special/gamma.js"
import { igammaRaw } from "../special/igamma.js"
import { c, floats } from "./common.js"

/**
 * log(beta/2) - lgamma(1/beta) - |x|^beta.
 *
 * @example
 * scipy.stats.gennorm.logpdf(np.array([0, 1]), 2) // Array([-0.5723649, -1.5723649], dtype=float32)
 */
export const logpdf = (x: Operand, beta: Operand): Array => {
  const [xx, b] = floats(x, beta) as [Array, Array]
  return sub(sub(log(mul(c(b, 0.5), b)), lgammaRaw(div(c(b, 1), b))), pow(abs(xx), b))
}

/**
 * The density exp(logpdf).
 *
 * @example
 * scipy.stats.gennorm.pdf(np.array([0, 1]), 2) // Array([0.5641896 , 0.20755376], dtype=float32)
 */
export const pdf = (x: Operand, beta: Operand): Array => exp(logpdf(x, beta))

/**
 * The CDF (1 + sign(x) gammainc(1/beta, |x|^beta)) / 2.
 *
 * @example
 * scipy.stats.gennorm.cdf(np.array([-1, 0, 1]), 2) // Array([0.07864964, 0.5       , 0.92135036], dtype=float32)
 */
export const cdf = (x: Operand, beta: Operand): Array => {
  const [xx, b] = floats(x, beta) as [Array, Array]
  return mul(c(xx, 0.5), add(c(xx, 1), mul(sign(xx), igammaRaw(div(c(b, 1), b), pow(abs(xx), b)))))
}
