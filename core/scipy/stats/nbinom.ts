/** The negative binomial distribution (JAX's `jax.scipy.stats.nbinom`). */
import type { Array } from "../../array.js"
import { add, exp, lt, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { xlogyRaw } from "../special/entropy.js"
import { lgammaRaw } from "../special/gamma.js"
import { c, checkLoc, type Loc, replace, withLoc } from "./common.js"

/**
 * lgamma(y + n) - lgamma(n) - lgamma(y + 1) + n log p + y log(1 - p) for y = k - loc, -inf below
 * loc.
 *
 * @example
 * scipy.stats.nbinom.logpmf(np.array([0, 2]), 3, 0.5) // Array([-2.0794415, -1.6739764], dtype=float32, weak_type=True)
 */
export const logpmf = (k: Operand, n: Operand, p: Operand, loc?: Operand | Loc): Array => {
  checkLoc("scipy.stats.nbinom.logpmf", loc)
  const [kk, nn, pp, l] = withLoc([k, n, p], loc) as [Array, Array, Array, Array]
  const y = sub(kk, l)
  const one = c(y, 1)
  const combinations = sub(sub(lgammaRaw(add(y, nn)), lgammaRaw(nn)), lgammaRaw(add(y, one)))
  const linear = add(xlogyRaw(nn, pp), xlogyRaw(y, sub(one, pp)))
  return replace(lt(kk, l), -Infinity, add(combinations, linear))
}

/**
 * The probability mass exp(logpmf).
 *
 * @example
 * scipy.stats.nbinom.pmf(np.array([0, 2]), 3, 0.5) // Array([0.125 , 0.1875], dtype=float32, weak_type=True)
 */
export const pmf = (k: Operand, n: Operand, p: Operand, loc?: Operand | Loc): Array => {
  checkLoc("scipy.stats.nbinom.pmf", loc)
  return exp(logpmf(k, n, p, loc))
}
