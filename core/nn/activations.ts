/**
 * Activation functions and friends (jax.nn): relu, sigmoid, softplus, gelu, silu/swish, selu, elu,
 * leakyRelu, relu6, softmax, logSoftmax, oneHot. Integer inputs are promoted to float32.
 * The numerically delicate ones (softplus, softmax, logSoftmax) use the stable forms,
 * shifting by a maximum that is excluded from differentiation, as JAX does.
 */
import { Array } from "../array.js"
import { type DType } from "../dtype.js"
import { ShapeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { constant, constLike } from "../primitives/common.js"
import * as lax from "../primitives/elementwise.js"
import { keptShape, reduceMax, reduceSum } from "../primitives/reduce.js"
import { iota, reshape } from "../primitives/shape-ops.js"
import { normalizeAxes, normalizeAxis } from "../shape.js"
import { type ArrayLike, asArray, type Operand, promoteDtypes } from "../numpy/coerce.js"
import { erfcRaw } from "../scipy/special/erf.js"
import { customJvp } from "../transforms/custom.js"
import { jit } from "../transforms/jit.js"
import { float1 } from "./common.js"

/**
 * Rectified linear unit, `max(x, 0)`, in x's dtype (integers stay integers, as in JAX). Its
 * derivative at 0 is 0, as in JAX; NaN propagates.
 *
 * @example
 * nn.relu(np.array([-1.5, 0, 2])) // Array([0., 0., 2.], dtype=float32)
 */
export const relu = (x: Operand): Array => {
  const a = x instanceof Array ? x : promoteDtypes([x])[0]!
  return lax.select(lax.le(a, constLike(a, 0)), constLike(a, 0), a)
}

/**
 * Logistic sigmoid `1 / (1 + exp(-x))`.
 *
 * @example
 * nn.sigmoid(np.array([-1, 0, 2])) // Array([0.26894143, 0.5       , 0.880797  ], dtype=float32)
 */
export const sigmoid = (x: Operand): Array => lax.logistic(float1(x))

/**
 * `log(1 + exp(x))`, computed stably as `log1p(exp(-|x|)) + max(x, 0)`.
 *
 * @example
 * nn.softplus(np.array([-1, 0, 2])) // Array([0.3132617, 0.6931472, 2.126928 ], dtype=float32)
 */
export const softplus = (x: Operand): Array => {
  const a = float1(x)
  // -|x| written as min(x, -x): the same values, and a derivative of 0 at x = 0 (a tie), where
  // abs's is 1 (JAX's rule), so that grad(softplus)(0) = 0.5 as in JAX.
  return lax.add(lax.log1p(lax.exp(lax.min(a, lax.neg(a)))), lax.max(a, constLike(a, 0)))
}

/**
 * `log(sigmoid(x))`, stably: `-softplus(-x)`.
 *
 * @example
 * nn.logSigmoid(np.array([-1, 0, 2])) // Array([-1.3132617, -0.6931472, -0.126928 ], dtype=float32)
 */
export const logSigmoid = (x: Operand): Array => lax.neg(softplus(lax.neg(float1(x))))

export interface GeluOptions {
  /** Use the tanh approximation (default true, as jax.nn.gelu); false uses the exact erf form. */
  readonly approximate?: boolean | undefined
}

/**
 * Gaussian error linear unit. Approximate (default):
 * `x * 0.5 * (1 + tanh(sqrt(2/π) * (x + 0.044715 x³)))`; exact: `0.5 x erfc(-x/√2)`, JAX's form,
 * which keeps its relative accuracy for negative x where `1 + erf(x/√2)` cancels.
 *
 * @example
 * nn.gelu(np.array([-1, 0, 2])) // Array([-0.15880796,  0.        ,  1.9545977 ], dtype=float32)
 * nn.gelu(np.array([-1, 0, 2]), { approximate: false }) // Array([-0.15865527,  0.        ,  1.9544997 ], dtype=float32)
 */
export const gelu = (x: Operand, options?: GeluOptions): Array => {
  checkOptions("nn.gelu", options, optionKeys<GeluOptions>()("approximate"))
  const a = float1(x)
  if (options?.approximate ?? true) {
    const inner = lax.mul(constLike(a, Math.sqrt(2 / Math.PI)), lax.add(a, lax.mul(constLike(a, 0.044715), lax.integerPow(a, 3))))
    const cdf = lax.mul(constLike(a, 0.5), lax.add(constLike(a, 1), lax.tanh(inner)))
    return lax.mul(a, cdf)
  }
  return lax.mul(lax.mul(constLike(a, 0.5), a), erfcRaw(lax.mul(lax.neg(a), constLike(a, Math.SQRT1_2))))
}

/**
 * Sigmoid linear unit `x * sigmoid(x)`.
 *
 * @example
 * nn.silu(np.array([-1, 0, 2])) // Array([-0.26894143,  0.        ,  1.761594  ], dtype=float32)
 */
export const silu = (x: Operand): Array => {
  const a = float1(x)
  return lax.mul(a, lax.logistic(a))
}
/**
 * Alias of `silu`.
 *
 * @example
 * nn.swish(np.array([-1, 0, 2])) // Array([-0.26894143,  0.        ,  1.761594  ], dtype=float32)
 */
export const swish = silu

/**
 * Exponential linear unit: `x` where x > 0, else `alpha * (exp(x) - 1)`.
 *
 * @example
 * nn.elu(np.array([-1, 0, 2])) // Array([-0.63212055,  0.        ,  2.        ], dtype=float32)
 */
export const elu = (x: Operand, alpha = 1.0): Array => {
  const a = float1(x)
  const zero = constLike(a, 0)
  const pos = lax.gt(a, zero)
  // Feed 0 to expm1 where the positive branch is taken, so a large x cannot overflow into a NaN gradient.
  const safe = lax.select(pos, zero, a)
  return lax.select(pos, a, lax.mul(constLike(a, alpha), lax.expm1(safe)))
}

const SELU_ALPHA = 1.6732632423543772
const SELU_SCALE = 1.0507009873554805

// Compiled as one program, as JAX's is (@jax.jit): eagerly, one fused kernel instead of six
// operations over the whole array (the same bits: fusion never changes a result).
const seluJit = jit((a: Array): Array => lax.mul(constLike(a, SELU_SCALE), elu(a, SELU_ALPHA)), { name: "selu" })

/**
 * Scaled exponential linear unit: `scale * elu(x, alpha)` with the self-normalizing constants,
 * jit-compiled as in JAX.
 *
 * @example
 * nn.selu(np.array([-1, 0, 1])) // Array([-1.1113307, 0., 1.050701], dtype=float32)
 */
export const selu = (x: Operand): Array => seluJit(float1(x))

/**
 * Leaky ReLU: `x` where x >= 0, else `negativeSlope * x` (default slope 0.01).
 *
 * @example
 * nn.leakyRelu(np.array([-1, 0, 2])) // Array([-0.01,  0.  ,  2.  ], dtype=float32)
 */
export const leakyRelu = (x: Operand, negativeSlope = 0.01): Array => {
  const a = float1(x)
  return lax.select(lax.ge(a, constLike(a, 0)), a, lax.mul(constLike(a, negativeSlope), a))
}

const relu6Raw = customJvp((a: Array): Array => lax.min(lax.max(a, constLike(a, 0)), constLike(a, 6)), { name: "relu6" })
// JAX's rule: the derivative is 1 strictly inside (0, 6) and 0 elsewhere, also at the kinks 0 and
// 6 (where max/min would split a tie into 1/2).
relu6Raw.defjvp(([a], [t]) => [relu6Raw(a), lax.select(lax.and(lax.gt(a, constLike(a, 0)), lax.lt(a, constLike(a, 6))), t, constLike(t, 0))])

/**
 * ReLU capped at 6: `min(max(x, 0), 6)`, with JAX's derivative (0 at the kinks 0 and 6).
 *
 * @example
 * nn.relu6(np.array([-1, 3, 7])) // Array([0., 3., 6.], dtype=float32)
 */
export const relu6 = (x: Operand): Array => relu6Raw(float1(x))

// ---------------------------------------------------------------------------------------------

/**
 * The maximum over `axes` with the reduced axes kept, excluded from differentiation. softmax and
 * logSoftmax shift by the raw maximum, as JAX does, so a +inf input gives NaN (inf - inf)
 * everywhere in its row, as in JAX. (logsumexp is scipy.special's, which shifts by the finite
 * maximum.)
 */
const stableShift = (a: Array, axes: ReadonlyArray<number>): Array => {
  const kept = keptShape(a.shape, axes)
  if (axes.some((i) => a.shape[i] === 0)) return constant(0, a.dtype, kept)
  return lax.stopGradient(reshape(reduceMax(a, axes), kept))
}

export interface SoftmaxOptions {
  /** The axis (or axes) to normalize over (default -1). */
  readonly axis?: number | ReadonlyArray<number> | undefined
}
const SOFTMAX_KEYS = optionKeys<SoftmaxOptions>()("axis")

const softmaxAxes = (a: Array, axis: number | ReadonlyArray<number> | undefined): number[] => {
  if (a.ndim === 0) throw new ShapeError("softmax needs an array of rank >= 1; got a scalar. Reshape it to [1] or use an array.")
  return normalizeAxes(axis ?? -1, a.ndim)
}

/**
 * `exp(x) / sum(exp(x))` along `axis` (default -1), shifted by the maximum for stability.
 *
 * @example
 * nn.softmax(np.array([1, 2, 3])) // Array([0.09003057, 0.24472848, 0.66524094], dtype=float32)
 */
export const softmax = (x: Operand, options?: SoftmaxOptions): Array => {
  checkOptions("nn.softmax", options, SOFTMAX_KEYS)
  const a = float1(x)
  const axes = softmaxAxes(a, options?.axis)
  const unnormalized = lax.exp(lax.sub(a, stableShift(a, axes)))
  return lax.div(unnormalized, reshape(reduceSum(unnormalized, axes), keptShape(a.shape, axes)))
}

/**
 * `x - logsumexp(x)` along `axis` (default -1), computed stably.
 *
 * @example
 * nn.logSoftmax(np.array([1, 2, 3])) // Array([-2.407606  , -1.4076059 , -0.40760595], dtype=float32)
 */
export const logSoftmax = (x: Operand, options?: SoftmaxOptions): Array => {
  checkOptions("nn.logSoftmax", options, SOFTMAX_KEYS)
  const a = float1(x)
  const axes = softmaxAxes(a, options?.axis)
  const shifted = lax.sub(a, stableShift(a, axes))
  const lse = lax.log(reshape(reduceSum(lax.exp(shifted), axes), keptShape(a.shape, axes)))
  return lax.sub(shifted, lse)
}

// ---------------------------------------------------------------------------------------------

export interface OneHotOptions {
  /** The result dtype (default float32). */
  readonly dtype?: DType | undefined
  /** Where the class axis goes in the result (default -1, the last). */
  readonly axis?: number | undefined
}

/**
 * One-hot encoding: `result[..., c] = (x[...] == c)` for `c` in `[0, numClasses)`. Indices out of
 * range give an all-zero row.
 *
 * @example
 * nn.oneHot(np.array([0, 2]), 3) // Array([[1., 0., 0.], [0., 0., 1.]], dtype=float32)
 */
export const oneHot = (x: ArrayLike, numClasses: number, options?: OneHotOptions): Array => {
  checkOptions("nn.oneHot", options, optionKeys<OneHotOptions>()("dtype", "axis"))
  if (!Number.isInteger(numClasses) || numClasses < 0) {
    throw new ValueError(`oneHot: numClasses must be a non-negative integer, got ${numClasses}.`)
  }
  const a = asArray(x)
  const outAxis = normalizeAxis(options?.axis ?? -1, a.ndim + 1, "oneHot axis")
  const lhsShape = [...a.shape.slice(0, outAxis), 1, ...a.shape.slice(outAxis)]
  const rhsShape = new globalThis.Array<number>(a.ndim + 1).fill(1)
  rhsShape[outAxis] = numClasses
  const classes = numClasses === 0 ? constant(0, a.dtype, rhsShape) : reshape(iota(a.dtype, [numClasses]), rhsShape)
  const hot = lax.eq(reshape(a, lhsShape), classes)
  return lax.convertElementType(hot, options?.dtype ?? "float32")
}
