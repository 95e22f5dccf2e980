/** The Bernoulli distribution with success probability p (JAX's `jax.scipy.stats.bernoulli`). */
import type { Array } from "../../array.js"
import { add, and, exp, ge, gt, le, lt, neg, or, select, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { anyOf, isNan } from "../special/common.js"
import { xlog1pyRaw, xlogyRaw } from "../special/entropy.js"
import { c, checkLoc, floats, type Loc, replace, withLoc } from "./common.js"

/**
 * k log p + (1 - k) log(1 - p) for k - loc in {0, 1} (values between count too, as in JAX), -inf
 * outside [0, 1].
 *
 * @example
 * scipy.stats.bernoulli.logpmf(np.array([0, 1, 2]), 0.25) // Array([-0.2876821, -1.3862944,       -inf], dtype=float32, weak_type=True)
 */
export const logpmf = (k: Operand, p: Operand, loc?: Operand | Loc): Array => {
  checkLoc("scipy.stats.bernoulli.logpmf", loc)
  const [kk, pp, l] = withLoc([k, p], loc) as [Array, Array, Array]
  const x = sub(kk, l)
  const logProbs = add(xlogyRaw(x, pp), xlog1pyRaw(sub(c(x, 1), x), neg(pp)))
  return replace(or(lt(x, c(x, 0)), gt(x, c(x, 1))), -Infinity, logProbs)
}

/**
 * The probability mass exp(logpmf).
 *
 * @example
 * scipy.stats.bernoulli.pmf(np.array([0, 1]), 0.25) // Array([0.75, 0.25], dtype=float32, weak_type=True)
 */
export const pmf = (k: Operand, p: Operand, loc?: Operand | Loc): Array => {
  checkLoc("scipy.stats.bernoulli.pmf", loc)
  return exp(logpmf(k, p, loc))
}

const badP = (p: Array): Array => or(lt(p, c(p, 0)), gt(p, c(p, 1)))

/**
 * The CDF: 0 below 0, 1 - p on [0, 1), 1 from 1; NaN for NaN arguments or p outside [0, 1].
 *
 * @example
 * scipy.stats.bernoulli.cdf(np.array([-1, 0, 0.5, 1]), 0.25) // Array([0.  , 0.75, 0.75, 1.  ], dtype=float32)
 */
export const cdf = (k: Operand, p: Operand): Array => {
  const [kk, pp] = floats(k, p) as [Array, Array]
  const zero = c(kk, 0)
  const one = c(kk, 1)
  const value = select(ge(kk, one), one, select(and(ge(kk, zero), lt(kk, one)), sub(one, pp), zero))
  return replace(anyOf(isNan(kk), isNan(pp), badP(pp)), NaN, value)
}

/**
 * The quantile: 0 for q <= 1 - p, else 1; NaN outside the domain.
 *
 * @example
 * scipy.stats.bernoulli.ppf(np.array([0.5, 0.9]), 0.25) // Array([0., 1.], dtype=float32, weak_type=True)
 */
export const ppf = (q: Operand, p: Operand): Array => {
  const [qq, pp] = floats(q, p) as [Array, Array]
  const value = select(le(qq, sub(c(pp, 1), pp)), c(qq, 0), c(qq, 1))
  return replace(anyOf(isNan(qq), isNan(pp), badP(pp), lt(qq, c(qq, 0)), gt(qq, c(qq, 1))), NaN, value)
}
