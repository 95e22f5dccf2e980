/** The Dirichlet distribution on the simplex (JAX's `jax.scipy.stats.dirichlet`). */
import type { Array } from "../../array.js"
import { ShapeError } from "../../errors.js"
import { abs, and, exp, gt, lt, sub } from "../../primitives/elementwise.js"
import { reduceMin, reduceSum } from "../../primitives/reduce.js"
import { concatenate, reshape } from "../../primitives/shape-ops.js"
import { type Operand } from "../../numpy/coerce.js"
import { xlogyRaw } from "../special/entropy.js"
import { lgammaRaw } from "../special/gamma.js"
import { c, floats, replace } from "./common.js"
import { not } from "../special/common.js"

/**
 * sum_i (alpha_i - 1) log x_i - log B(alpha), for x of shape [K, ...] (points along the first
 * axis) or [K - 1, ...] (the last coordinate is 1 - sum); -inf off the simplex (a coordinate <= 0
 * or a sum more than 1e-6 from 1). `alpha` is one-dimensional, of length K.
 *
 * @example
 * scipy.stats.dirichlet.logpdf(np.array([0.2, 0.3, 0.5]), np.array([1, 2, 3])) // Array(1.5040774, dtype=float32)
 */
export const logpdf = (x: Operand, alpha: Operand): Array => {
  let [xx, a] = floats(x, alpha) as [Array, Array]
  // floats aligned the ranks; undo that for alpha, which must be a vector
  if (typeof alpha === "number" || typeof alpha === "boolean" || alpha.ndim !== 1) {
    throw new ShapeError(`scipy.stats.dirichlet: alpha must be one-dimensional; got shape [${typeof alpha === "object" ? alpha.shape.join(", ") : ""}].`)
  }
  a = reshape(a, [a.size])
  const k = a.shape[0]!
  if (xx.ndim === 0 || (xx.shape[0] !== k && xx.shape[0] !== k - 1)) {
    throw new ShapeError(
      `scipy.stats.dirichlet: x must have ${k} or ${k - 1} entries along its first axis (alpha has ${k}); got shape [${xx.shape.join(", ")}].`
    )
  }
  if (xx.shape[0] !== k) {
    const rest = sub(c(xx, 1), reduceSum(xx, [0]))
    xx = concatenate([xx, reshape(rest, [1, ...rest.shape])], 0)
  }
  const normalizer = sub(reduceSum(lgammaRaw(a), [0]), lgammaRaw(reduceSum(a, [0])))
  const alphaColumn = reshape(a, [k, ...xx.shape.slice(1).map(() => 1)])
  const logProbs = sub(reduceSum(xlogyRaw(sub(alphaColumn, c(a, 1)), xx), [0]), normalizer)
  const positive = reduceMin(gt(xx, c(xx, 0)), [0])
  const simplex = and(positive, lt(abs(sub(reduceSum(xx, [0]), c(xx, 1))), c(xx, 1e-6)))
  return replace(not(simplex), -Infinity, logProbs)
}

/**
 * The density exp(logpdf).
 *
 * @example
 * scipy.stats.dirichlet.pdf(np.array([0.2, 0.3, 0.5]), np.array([1, 2, 3])) // Array(4.5, dtype=float32)
 */
export const pdf = (x: Operand, alpha: Operand): Array => exp(logpdf(x, alpha))
