/** The Poisson distribution with mean mu (JAX's `jax.scipy.stats.poisson`). */
import type { Array } from "../../array.js"
import { add, ceil, div, eq, exp, floor, log, lt, mul, ne, or, round, select, sqrt, sub } from "../../primitives/elementwise.js"
import { reduceSum } from "../../primitives/reduce.js"
import { iota, reshape } from "../../primitives/shape-ops.js"
import { type Operand } from "../../numpy/coerce.js"
import { broadcastAll } from "../special/common.js"
import { entr, xlogyRaw } from "../special/entropy.js"
import { lgammaRaw } from "../special/gamma.js"
import { igammacRaw } from "../special/igamma.js"
import { c, checkLoc, type Loc, replace, withLoc } from "./common.js"

/**
 * k log mu - lgamma(k + 1) - mu for integer k - loc >= 0, -inf otherwise.
 *
 * @example
 * scipy.stats.poisson.logpmf(np.array([0, 2, 1.5]), 2) // Array([-2.       , -1.3068528,       -inf], dtype=float32)
 */
export const logpmf = (k: Operand, mu: Operand, loc?: Operand | Loc): Array => {
  checkLoc("scipy.stats.poisson.logpmf", loc)
  const [kk, m, l] = withLoc([k, mu], loc) as [Array, Array, Array]
  const x = sub(kk, l)
  const logProbs = sub(sub(xlogyRaw(x, m), lgammaRaw(add(x, c(x, 1)))), m)
  return replace(or(lt(x, c(x, 0)), ne(round(kk), kk)), -Infinity, logProbs)
}

/**
 * The probability mass exp(logpmf).
 *
 * @example
 * scipy.stats.poisson.pmf(np.array([0, 2]), 2) // Array([0.13533528, 0.27067056], dtype=float32)
 */
export const pmf = (k: Operand, mu: Operand, loc?: Operand | Loc): Array => {
  checkLoc("scipy.stats.poisson.pmf", loc)
  return exp(logpmf(k, mu, loc))
}

/**
 * The CDF, gammaincc(floor(k - loc) + 1, mu); 0 below loc.
 *
 * @example
 * scipy.stats.poisson.cdf(np.array([0, 2, 2.5]), 2) // Array([0.13533528, 0.6766764 , 0.6766764 ], dtype=float32)
 */
export const cdf = (k: Operand, mu: Operand, loc?: Operand | Loc): Array => {
  checkLoc("scipy.stats.poisson.cdf", loc)
  const [kk, m, l] = withLoc([k, mu], loc) as [Array, Array, Array]
  const x = sub(kk, l)
  return replace(lt(x, c(x, 0)), 0, igammacRaw(floor(add(x, c(x, 1))), m))
}

/** sum of entr(pmf(k)) for k < kMax, k below a bound that depends on mu. */
const entropyBySum = (mu: Array, kMax: number, bound: Array): Array => {
  const k = reshape(iota(mu.dtype, [kMax]), [kMax, ...mu.shape.map(() => 1)])
  const probs = select(lt(k, reshape(ceil(bound), [1, ...bound.shape])), pmf(k, mu), c(mu, 0))
  return reduceSum(entr(probs), [0])
}

/**
 * The entropy -sum_k pmf(k) log pmf(k) (JAX's `poisson.entropy`): summed over k for mu < 100
 * (up to 35 or 250 terms), and 0.5 log(2πe mu) - 1/(12 mu) beyond; 0 at mu = 0.
 *
 * @example
 * scipy.stats.poisson.entropy(np.array([1, 10, 200])) // Array([1.3048422, 2.5614107, 4.0676804], dtype=float32)
 */
export const entropy = (mu: Operand, loc?: Operand | Loc): Array => {
  checkLoc("scipy.stats.poisson.entropy", loc)
  // loc shifts the support and leaves the entropy alone; it only broadcasts the result
  const [m] = broadcastAll(withLoc([mu], loc)) as [Array, Array]
  const small = entropyBySum(m, 35, add(m, c(m, 20)))
  const medium = entropyBySum(m, 250, add(add(m, mul(c(m, 10), sqrt(m))), c(m, 20)))
  const large = sub(mul(c(m, 0.5), log(mul(c(m, 2 * Math.PI * Math.E), m))), div(c(m, 1), mul(c(m, 12), m)))
  const value = select(lt(m, c(m, 10)), small, select(lt(m, c(m, 100)), medium, large))
  return replace(eq(m, c(m, 0)), 0, value)
}
