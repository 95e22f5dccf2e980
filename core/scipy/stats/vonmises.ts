/** The von Mises distribution on the circle (JAX's `jax.scipy.stats.vonmises`). */
import type { Array } from "../../array.js"
import { cos, exp, gt, log, mul, not, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { i0eRaw } from "../special/bessel.js"
import { c, floats, replace } from "./common.js"

/**
 * kappa (cos x - 1) - log(2π i0e(kappa)) (that is, kappa cos x - log(2π I0(kappa)) without
 * overflow); NaN unless kappa > 0.
 *
 * @example
 * scipy.stats.vonmises.logpdf(np.array([0, 1]), 2) // Array([-0.66187066, -1.5812662 ], dtype=float32)
 */
export const logpdf = (x: Operand, kappa: Operand): Array => {
  const [xx, k] = floats(x, kappa) as [Array, Array]
  const value = sub(mul(k, sub(cos(xx), c(xx, 1))), log(mul(c(k, 2 * Math.PI), i0eRaw(k))))
  return replace(not(gt(k, c(k, 0))), NaN, value)
}

/**
 * The density exp(logpdf).
 *
 * @example
 * scipy.stats.vonmises.pdf(np.array([0, 1]), 2) // Array([0.5158854 , 0.20571446], dtype=float32)
 */
export const pdf = (x: Operand, kappa: Operand): Array => exp(logpdf(x, kappa))
