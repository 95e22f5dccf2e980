/**
 * Smooth activations (jax.nn) beyond the classic ones: celu, mish, softSign, squareplus,
 * log1mexp, glu, plus `identity` and `tanh`. Each follows JAX's formula operation by operation,
 * so float32 results are JAX's; log1mexp has JAX's custom derivative 1 / expm1(x).
 */
import type { Array } from "../array.js"
import { ValueError } from "../errors.js"
import { constLike } from "../primitives/common.js"
import * as lax from "../primitives/elementwise.js"
import { asArray, type ArrayLike, type Operand } from "../numpy/coerce.js"
import { split } from "../numpy/shape.js"
import { checkOptions, optionKeys } from "../options.js"
import { normalizeAxis } from "../shape.js"
import { customJvp } from "../transforms/custom.js"
import { softplus } from "./activations.js"
import { float1 } from "./common.js"

export { tanh } from "../numpy/math.js"

/**
 * The identity function, `x` as an Array (JAX's `jax.nn.identity`, for code that picks an
 * activation by name).
 *
 * @example
 * nn.identity(np.array([1, 2])) // Array([1, 2], dtype=int32)
 */
export const identity = (x: ArrayLike): Array => asArray(x)

const checkAlpha = (caller: string, alpha: number): void => {
  if (typeof alpha !== "number" || Number.isNaN(alpha)) throw new ValueError(`${caller}: alpha must be a number, got ${String(alpha)}.`)
}

/**
 * Continuously differentiable ELU: `max(x, 0) + alpha * expm1(min(x, 0) / alpha)`.
 *
 * @example
 * nn.celu(np.array([-1, 0, 2]), 0.5) // Array([-0.43233237,  0.        ,  2.        ], dtype=float32)
 */
export const celu = (x: Operand, alpha = 1.0): Array => {
  checkAlpha("nn.celu", alpha)
  const a = float1(x)
  const zero = constLike(a, 0)
  const al = constLike(a, alpha)
  return lax.add(lax.max(a, zero), lax.mul(al, lax.expm1(lax.div(lax.min(a, zero), al))))
}

/**
 * Mish `x * tanh(softplus(x))`.
 *
 * @example
 * nn.mish(np.array([-1, 0, 1])) // Array([-0.30340144,  0.        ,  0.86509836], dtype=float32)
 */
export const mish = (x: Operand): Array => {
  const a = float1(x)
  return lax.mul(a, lax.tanh(softplus(a)))
}

/**
 * Soft sign `x / (|x| + 1)`.
 *
 * @example
 * nn.softSign(np.array([-3, 0, 1])) // Array([-0.75,  0.  ,  0.5 ], dtype=float32)
 */
export const softSign = (x: Operand): Array => {
  const a = float1(x)
  return lax.div(a, lax.add(lax.abs(a), constLike(a, 1)))
}

/**
 * Squareplus `(x + sqrt(x² + b)) / 2` (default b = 4): a smooth ReLU built from algebraic
 * operations only.
 *
 * @example
 * nn.squareplus(np.array([-2, 0, 2])) // Array([0.41421354, 1.        , 2.4142137 ], dtype=float32)
 */
export const squareplus = (x: Operand, b = 4): Array => {
  if (typeof b !== "number" || Number.isNaN(b)) throw new ValueError(`nn.squareplus: b must be a number, got ${String(b)}.`)
  const a = float1(x)
  const y = lax.add(a, lax.sqrt(lax.add(lax.integerPow(a, 2), constLike(a, b))))
  return lax.div(y, constLike(a, 2))
}

const log1mexpRaw = customJvp(
  (a: Array): Array => {
    // log(-expm1(-x)) is accurate for small x, log1p(-exp(-x)) for large x; they cross at log 2.
    const negA = lax.neg(a)
    const small = lax.log(lax.neg(lax.expm1(negA)))
    const large = lax.log1p(lax.neg(lax.exp(negA)))
    return lax.select(lax.lt(a, constLike(a, Math.LN2)), small, large)
  },
  { name: "log1mexp" }
)
log1mexpRaw.defjvp(([a], [t]) => [log1mexpRaw(a), lax.div(t, lax.expm1(a))])

/**
 * `log(1 - exp(-x))`, accurately for all x > 0 (NaN for x < 0, -inf at 0), with JAX's
 * derivative `1 / expm1(x)`.
 *
 * @example
 * nn.log1mexp(np.array([0.01, 1, 30])) // Array([-4.6101656e+00, -4.5867130e-01, -9.3576230e-14], dtype=float32)
 */
export const log1mexp = (x: Operand): Array => log1mexpRaw(float1(x))

export interface GluOptions {
  /** The axis split in two halves (default -1). */
  readonly axis?: number | undefined
}

const gluKeys = optionKeys<GluOptions>()("axis")

/**
 * Gated linear unit: splits `x` in two halves `a, b` along `axis` (default -1) and returns
 * `a * sigmoid(b)`. The axis must have an even size.
 *
 * @example
 * nn.glu(np.array([1, 2, 0, 100])) // Array([0.5, 2. ], dtype=float32)
 */
export const glu = (x: Operand, options?: GluOptions): Array => {
  checkOptions("nn.glu", options, gluKeys)
  const a = float1(x)
  const axis = normalizeAxis(options?.axis ?? -1, a.ndim, "nn.glu axis")
  const size = a.shape[axis]!
  if (size % 2 !== 0) throw new ValueError(`nn.glu: axis ${axis} has size ${size}, which must be even (it is split into two halves).`)
  const [first, second] = split(a, 2, axis) as [Array, Array]
  return lax.mul(first, lax.logistic(second))
}
