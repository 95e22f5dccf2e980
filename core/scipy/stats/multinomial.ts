/** The multinomial distribution of counts x over n trials (JAX's `jax.scipy.stats.multinomial`). */
import type { Array } from "../../array.js"
import { ValueError } from "../../errors.js"
import { add, convertElementType, eq, exp, sub } from "../../primitives/elementwise.js"
import { reduceSum } from "../../primitives/reduce.js"
import { alignRanks, asArray, type Operand } from "../../numpy/coerce.js"
import { xlogyRaw } from "../special/entropy.js"
import { lgammaRaw } from "../special/gamma.js"
import { c, float1, not } from "../special/common.js"
import { replace } from "./common.js"

/**
 * lgamma(n + 1) + sum_i (x_i log p_i - lgamma(x_i + 1)) over the last axis, -inf where the counts
 * do not sum to n. `x` and `n` must be integers (int arrays or JS integers), as in JAX; `p` is a
 * float vector of probabilities over the last axis. (JAX compares n with the sum of all of x; here
 * each row of a batch is checked against its own sum.)
 *
 * @example
 * scipy.stats.multinomial.logpmf(np.array([1, 2]), 3, np.array([0.5, 0.5])) // Array(-0.98082924, dtype=float32)
 */
export const logpmf = (x: Operand, n: Operand, p: Operand): Array => {
  const isInt = (v: Operand): boolean => (typeof v === "number" ? Number.isInteger(v) : typeof v !== "boolean" && (v.dtype === "int32" || v.dtype === "uint32"))
  if (!isInt(x) || !isInt(n)) throw new ValueError("scipy.stats.multinomial: x and n must be integers (int32 arrays or JS integers), as in JAX.")
  const pp = float1(p)
  const [xx, probs] = alignRanks([convertElementType(asArray(x), pp.dtype), pp]) as [Array, Array]
  const nn = convertElementType(asArray(n), pp.dtype)
  const one = c(xx, 1)
  const terms = sub(xlogyRaw(xx, probs), lgammaRaw(add(xx, one)))
  const [sums, nTerms] = alignRanks([reduceSum(terms, [terms.ndim - 1]), nn]) as [Array, Array]
  const logProbs = add(lgammaRaw(add(nTerms, one)), sums)
  const [counts, nCounts] = alignRanks([reduceSum(xx, [xx.ndim - 1]), nn]) as [Array, Array]
  const [mismatch, values] = alignRanks([not(eq(counts, nCounts)), logProbs]) as [Array, Array]
  return replace(mismatch, -Infinity, values)
}

/**
 * The probability mass exp(logpmf).
 *
 * @example
 * scipy.stats.multinomial.pmf(np.array([1, 2]), 3, np.array([0.5, 0.5])) // Array(0.375, dtype=float32)
 */
export const pmf = (x: Operand, n: Operand, p: Operand): Array => exp(logpmf(x, n, p))
