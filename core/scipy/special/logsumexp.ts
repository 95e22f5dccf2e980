/**
 * scipy.special's reductions in log space: `logsumexp` with JAX's options (`axis`, `b`,
 * `keepdims`, `returnSign`, `where`), and `softmax` / `logSoftmax`, whose default axis is every
 * axis here (jax.scipy.special) where jax.nn's is the last one.
 */
import type { Array } from "../../array.js"
import { abs, add, exp, isFinite, log, lt, mul, ne, select, sign, stopGradient, sub } from "../../primitives/elementwise.js"
import { constant } from "../../primitives/common.js"
import { keptShape, reduceMax, reduceSum } from "../../primitives/reduce.js"
import { reshape } from "../../primitives/shape-ops.js"
import { normalizeAxes } from "../../shape.js"
import { asArray, type Operand } from "../../numpy/coerce.js"
import { broadcastArrays } from "../../numpy/shape.js"
import { logSoftmax as nnLogSoftmax, softmax as nnSoftmax } from "../../nn/activations.js"
import { c, float1, floats } from "./common.js"
import { checkOptions, optionKeys } from "../../options.js"

export interface LogsumexpOptions {
  /** Axes to reduce (default: all). */
  readonly axis?: number | ReadonlyArray<number> | null | undefined
  /** Weights of the exponentials, broadcast against `a`: log(sum(b * exp(a))). */
  readonly b?: Operand | undefined
  /** Keep the reduced axes as dimensions of size 1 (default false). */
  readonly keepdims?: boolean | undefined
  /** Return `[log |sum|, sign(sum)]` instead of the log (NaN for negative sums) (default false). */
  readonly returnSign?: boolean | undefined
  /** Which elements take part (broadcast against `a`); the others count as exp(-inf) = 0. */
  readonly where?: Operand | undefined
}
const LOGSUMEXP_KEYS = optionKeys<LogsumexpOptions>()("axis", "b", "keepdims", "returnSign", "where")

/**
 * log(sum(b * exp(a))) over `axis` (default all), shifted by the maximum for stability (JAX's
 * `jax.scipy.special.logsumexp`). With `b` the sum may be negative: the result is then NaN, or
 * with `{ returnSign: true }` the pair `[log |sum|, sign(sum)]`.
 *
 * @example
 * scipy.special.logsumexp(np.array([1, 2, 3])) // Array(3.407606, dtype=float32)
 * scipy.special.logsumexp(np.array([1, 2]), { b: np.array([1, -1]), returnSign: true }) // [Array(1.5413249, dtype=float32), Array(-1., dtype=float32)]
 */
export function logsumexp(a: Operand, options: LogsumexpOptions & { readonly returnSign: true }): [Array, Array]
export function logsumexp(a: Operand, options?: LogsumexpOptions & { readonly returnSign?: false | undefined }): Array
export function logsumexp(a: Operand, options?: LogsumexpOptions): Array | [Array, Array]
export function logsumexp(a: Operand, options: LogsumexpOptions = {}): Array | [Array, Array] {
  checkOptions("scipy.special.logsumexp", options, LOGSUMEXP_KEYS)
  const weighted = options.b !== undefined
  let x: Array
  let b: Array | undefined
  if (weighted) [x, b] = broadcastArrays(...floats(a, options.b!)) as [Array, Array]
  else x = float1(a)
  if (options.where !== undefined) {
    const [xm, m] = broadcastArrays(x, ne(asArray(options.where, "bool"), constant(0, "bool", []))) as [Array, Array]
    x = select(m, xm, c(xm, -Infinity))
    if (b !== undefined) b = broadcastArrays(b, x)[0]!
  }
  let v = x
  if (b !== undefined) v = select(ne(b, c(b, 0)), v, c(v, -Infinity))
  const axes = normalizeAxes(options.axis, v.ndim)
  const kept = keptShape(v.shape, axes)
  const empty = axes.some((i) => v.shape[i] === 0)
  const m = empty ? constant(-Infinity, v.dtype, kept) : reshape(reduceMax(v, axes), kept)
  const shift = stopGradient(select(isFinite(m), m, c(m, 0)))
  let e = exp(sub(v, shift))
  if (b !== undefined) e = mul(e, b)
  const keepdims = options.keepdims === true
  const s = keepdims ? reshape(reduceSum(e, axes), kept) : reduceSum(e, axes)
  const sgn = sign(s)
  const out = add(log(abs(s)), keepdims ? shift : reshape(shift, s.shape))
  if (options.returnSign === true) return [out, sgn]
  return weighted ? select(lt(sgn, c(sgn, 0)), c(out, NaN), out) : out
}

export interface SoftmaxOptions {
  /** The axis or axes to normalize over (default: all, as in jax.scipy.special). */
  readonly axis?: number | ReadonlyArray<number> | null | undefined
}
const SOFTMAX_KEYS = optionKeys<SoftmaxOptions>()("axis")

const softmaxWith = (caller: string, f: typeof nnSoftmax, x: Operand, options: SoftmaxOptions | undefined): Array => {
  checkOptions(caller, options, SOFTMAX_KEYS)
  const a = float1(x)
  if (a.ndim === 0) return reshape(f(reshape(a, [1])), [])
  const axis = options?.axis ?? a.shape.map((_, i) => i)
  return f(a, { axis })
}

/**
 * exp(x) / sum(exp(x)) over `axis` (default: all axes, unlike `nn.softmax`) (JAX's
 * `jax.scipy.special.softmax`).
 *
 * @example
 * scipy.special.softmax(np.array([[1, 2], [3, 4]])) // Array([[0.0320586 , 0.08714432], [0.23688284, 0.6439143 ]], dtype=float32)
 */
export const softmax = (x: Operand, options?: SoftmaxOptions): Array => softmaxWith("scipy.special.softmax", nnSoftmax, x, options)

/**
 * x - logsumexp(x) over `axis` (default: all axes, unlike `nn.logSoftmax`) (JAX's
 * `jax.scipy.special.log_softmax`).
 *
 * @example
 * scipy.special.logSoftmax(np.array([1, 2, 3])) // Array([-2.407606  , -1.4076059 , -0.40760595], dtype=float32)
 */
export const logSoftmax = (x: Operand, options?: SoftmaxOptions): Array => softmaxWith("scipy.special.logSoftmax", nnLogSoftmax, x, options)
