/** The beta-binomial distribution (JAX's `jax.scipy.stats.betabinom`). */
import type { Array } from "../../array.js"
import { add, and, eq, exp, floor, gt, le, log1p, lt, neg, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { anyOf } from "../special/common.js"
import { betalnRaw } from "../special/gamma.js"
import { c, checkLoc, type Loc, replace, withLoc } from "./common.js"

/**
 * log C(n, y) + log B(y + a, n - y + b) - log B(a, b) for y = floor(k) - loc in [0, n]; -inf
 * outside, NaN unless n >= 0 and a, b > 0.
 *
 * @example
 * scipy.stats.betabinom.logpmf(np.array([0, 2]), 4, 2, 3) // Array([-1.5404449, -1.3581233], dtype=float32)
 */
export const logpmf = (k: Operand, n: Operand, a: Operand, b: Operand, loc?: Operand | Loc): Array => {
  checkLoc("scipy.stats.betabinom.logpmf", loc)
  const [kk, nn, aa, bb, l] = withLoc([k, n, a, b], loc) as [Array, Array, Array, Array, Array]
  const y = sub(floor(kk), l)
  const one = c(y, 1)
  const zero = c(y, 0)
  const combinations = neg(add(log1p(nn), betalnRaw(add(sub(nn, y), one), add(y, one))))
  const betas = sub(betalnRaw(add(y, aa), add(sub(nn, y), bb)), betalnRaw(aa, bb))
  let logProbs = replace(and(eq(y, zero), eq(nn, zero)), 0, add(combinations, betas))
  logProbs = replace(anyOf(lt(y, neg(l)), gt(y, nn), le(add(y, aa), zero)), -Infinity, logProbs)
  return replace(anyOf(lt(nn, zero), le(aa, zero), le(bb, zero)), NaN, logProbs)
}

/**
 * The probability mass exp(logpmf).
 *
 * @example
 * scipy.stats.betabinom.pmf(np.array([0, 2]), 4, 2, 3) // Array([0.21428576, 0.2571429 ], dtype=float32)
 */
export const pmf = (k: Operand, n: Operand, a: Operand, b: Operand, loc?: Operand | Loc): Array => {
  checkLoc("scipy.stats.betabinom.pmf", loc)
  return exp(logpmf(k, n, a, b, loc))
}
