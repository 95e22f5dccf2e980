/** The geometric distribution on 1, 2, ... (JAX's `jax.scipy.stats.geom`). */
import type { Array } from "../../array.js"
import { add, exp, le, log, neg, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { xlog1pyRaw } from "../special/entropy.js"
import { c, checkLoc, type Loc, replace, withLoc } from "./common.js"

/**
 * (k - 1) log(1 - p) + log p for k - loc >= 1, -inf otherwise.
 *
 * @example
 * scipy.stats.geom.logpmf(np.array([1, 3, 0]), 0.5) // Array([-0.6931472, -2.0794415,       -inf], dtype=float32, weak_type=True)
 */
export const logpmf = (k: Operand, p: Operand, loc?: Operand | Loc): Array => {
  checkLoc("scipy.stats.geom.logpmf", loc)
  const [kk, pp, l] = withLoc([k, p], loc) as [Array, Array, Array]
  const x = sub(kk, l)
  return replace(le(x, c(x, 0)), -Infinity, add(xlog1pyRaw(sub(x, c(x, 1)), neg(pp)), log(pp)))
}

/**
 * The probability mass exp(logpmf).
 *
 * @example
 * scipy.stats.geom.pmf(np.array([1, 3]), 0.5) // Array([0.5  , 0.125], dtype=float32, weak_type=True)
 */
export const pmf = (k: Operand, p: Operand, loc?: Operand | Loc): Array => {
  checkLoc("scipy.stats.geom.pmf", loc)
  return exp(logpmf(k, p, loc))
}
