/**
 * Piecewise activations (jax.nn): hardTanh, hardSigmoid, hardSilu/hardSwish, sparsePlus and
 * sparseSigmoid. They are written with the same comparisons, max and min as JAX's, so their
 * values and their derivatives at the kinks (a max/min tie splits the derivative in halves) are
 * JAX's.
 */
import type { Array } from "../array.js"
import { constLike } from "../primitives/common.js"
import * as lax from "../primitives/elementwise.js"
import { type Operand, promoteDtypes } from "../numpy/coerce.js"
import { relu6 } from "./activations.js"
import { float1 } from "./common.js"

/**
 * `x` clipped to [-1, 1]: 1 where x > 1, -1 where x < -1, else x. Keeps x's dtype (integers stay
 * integers, as in JAX).
 *
 * @example
 * nn.hardTanh(np.array([-2, 0.5, 3])) // Array([-1. ,  0.5,  1. ], dtype=float32)
 */
export const hardTanh = (x: Operand): Array => {
  const a = promoteDtypes([x])[0]!
  const one = constLike(a, 1)
  const minusOne = constLike(a, -1)
  return lax.select(lax.gt(a, one), one, lax.select(lax.lt(a, minusOne), minusOne, a))
}

/**
 * Hard sigmoid `relu6(x + 3) / 6`: 0 below -3, 1 above 3, linear between.
 *
 * @example
 * nn.hardSigmoid(np.array([-4, 0, 1.5])) // Array([0.  , 0.5 , 0.75], dtype=float32)
 */
export const hardSigmoid = (x: Operand): Array => {
  const a = float1(x)
  return lax.div(relu6(lax.add(a, constLike(a, 3))), constLike(a, 6))
}

/**
 * Hard SiLU (hard swish) `x * hardSigmoid(x)`.
 *
 * @example
 * nn.hardSilu(np.array([-4, 1, 4])) // Array([-0.        ,  0.6666667 ,  4.        ], dtype=float32)
 */
export const hardSilu = (x: Operand): Array => {
  const a = float1(x)
  return lax.mul(a, hardSigmoid(a))
}

/**
 * Alias of `hardSilu`.
 *
 * @example
 * nn.hardSwish(np.array([-4, 0, 1, 4])) // Array([-0.       ,  0.       ,  0.6666667,  4.       ], dtype=float32)
 */
export const hardSwish = hardSilu

/**
 * Sparse plus: 0 for x <= -1, x for x >= 1, and `(x + 1)² / 4` between (a smooth-at-the-joins
 * softplus with exact zeros).
 *
 * @example
 * nn.sparsePlus(np.array([-2, 0, 2])) // Array([0.  , 0.25, 2.  ], dtype=float32)
 */
export const sparsePlus = (x: Operand): Array => {
  const a = float1(x)
  const quadratic = lax.div(lax.integerPow(lax.add(a, constLike(a, 1)), 2), constLike(a, 4))
  return lax.select(lax.le(a, constLike(a, -1)), constLike(a, 0), lax.select(lax.ge(a, constLike(a, 1)), a, quadratic))
}

/**
 * Sparse sigmoid `clip(x + 1, 0, 2) / 2`: 0 below -1, 1 above 1, linear between.
 *
 * @example
 * nn.sparseSigmoid(np.array([-2, 0, 0.5])) // Array([0.  , 0.5 , 0.75], dtype=float32)
 */
export const sparseSigmoid = (x: Operand): Array => {
  const a = float1(x)
  const clipped = lax.min(constLike(a, 2), lax.max(constLike(a, 0), lax.add(a, constLike(a, 1))))
  return lax.mul(constLike(a, 0.5), clipped)
}
