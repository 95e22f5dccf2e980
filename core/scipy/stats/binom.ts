/** The binomial distribution with n trials and success probability p (JAX's `jax.scipy.stats.binom`). */
import type { Array } from "../../array.js"
import { add, and, eq, exp, ge, lt, neg, or, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { xlog1pyRaw, xlogyRaw } from "../special/entropy.js"
import { lgammaRaw } from "../special/gamma.js"
import { c, checkLoc, type Loc, replace, withLoc } from "./common.js"

/**
 * log C(n, y) + y log p + (n - y) log(1 - p) for y = k - loc in [0, n] (through lgamma, so
 * non-integers interpolate as in JAX), -inf outside.
 *
 * @example
 * scipy.stats.binom.logpmf(np.array([0, 2, 5]), 4, 0.5) // Array([-2.7725887 , -0.98082924,        -inf], dtype=float32, weak_type=True)
 */
export const logpmf = (k: Operand, n: Operand, p: Operand, loc?: Operand | Loc): Array => {
  checkLoc("scipy.stats.binom.logpmf", loc)
  const [kk, nn, pp, l] = withLoc([k, n, p], loc) as [Array, Array, Array, Array]
  const y = sub(kk, l)
  const one = c(y, 1)
  const combinations = sub(lgammaRaw(add(nn, one)), add(lgammaRaw(add(y, one)), lgammaRaw(add(sub(nn, y), one))))
  const linear = add(xlogyRaw(y, pp), xlog1pyRaw(sub(nn, y), neg(pp)))
  // Certain outcomes (y = n = 0, or p in {0, 1} at the matching end) are exactly log 1 = 0.
  const logProbs = replace(or(and(eq(y, c(y, 0)), eq(nn, c(nn, 0))), eq(linear, c(linear, 0))), 0, add(combinations, linear))
  return replace(or(lt(kk, l), ge(kk, add(add(l, nn), one))), -Infinity, logProbs)
}

/**
 * The probability mass exp(logpmf).
 *
 * @example
 * scipy.stats.binom.pmf(np.array([0, 2]), 4, 0.5) // Array([0.0625, 0.375 ], dtype=float32, weak_type=True)
 */
export const pmf = (k: Operand, n: Operand, p: Operand, loc?: Operand | Loc): Array => {
  checkLoc("scipy.stats.binom.pmf", loc)
  return exp(logpmf(k, n, p, loc))
}
