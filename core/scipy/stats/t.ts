/** Student's t distribution with df degrees of freedom (JAX's `jax.scipy.stats.t`). */
import type { Array } from "../../array.js"
import { add, div, exp, log, log1p, mul, neg, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { lgammaRaw } from "../special/gamma.js"
import { c, checkLocScale, type LocScale, withLocScale } from "./common.js"

/**
 * lgamma((df+1)/2) - lgamma(df/2) - log(π df scale²)/2 - (df+1)/2 log1p(z²/df) for
 * z = (x - loc)/scale.
 *
 * @example
 * scipy.stats.t.logpdf(np.array([0, 2]), 3) // Array([-1.0008888, -2.6954846], dtype=float32)
 */
export const logpdf = (x: Operand, df: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.t.logpdf", loc, scale)
  const [xx, d, l, s] = withLocScale([x, df], loc, scale) as [Array, Array, Array, Array]
  const z = div(sub(xx, l), s)
  const half = div(d, c(d, 2))
  const halfPlus = add(half, c(half, 0.5))
  const normalizer = sub(add(lgammaRaw(half), div(log(mul(mul(mul(s, s), c(s, Math.PI)), d)), c(d, 2))), lgammaRaw(halfPlus))
  return neg(add(normalizer, mul(halfPlus, log1p(div(mul(z, z), d)))))
}

/**
 * The density exp(logpdf).
 *
 * @example
 * scipy.stats.t.pdf(np.array([0, 2]), 3) // Array([0.3675526 , 0.06750966], dtype=float32)
 */
export const pdf = (x: Operand, df: Operand, loc?: Operand | LocScale, scale?: Operand): Array => {
  checkLocScale("scipy.stats.t.pdf", loc, scale)
  return exp(logpdf(x, df, loc, scale))
}
