/**
 * The array-API (NumPy 2) functions that JAX adds beside NumPy's older spellings:
 * `cumulativeSum` / `cumulativeProd` (with `includeInitial`), and the batched products `vecdot`,
 * `matvec` and `vecmat`.
 */
import type { Array } from "../array.js"
import { ShapeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import type { DType } from "../dtype.js"
import { normalizeAxis } from "../shape.js"
import { type ArrayLike, asArray, type Operand } from "./coerce.js"
import { fullLike } from "./creation.js"
import { matmul } from "./linalg.js"
import { multiply } from "./math.js"
import { cumprod, cumsum, sum } from "./reductions.js"
import { broadcastArrays, concatenate, expandDims, squeeze } from "./shape.js"

export interface CumulativeSumOptions {
  /** The axis to accumulate along; required unless x is 1-D. */
  readonly axis?: number
  /** The dtype of the result (integers are promoted as in np.cumsum by default). */
  readonly dtype?: DType
  /** Start with the operation's identity (0 or 1), so the axis grows by one (default false). */
  readonly includeInitial?: boolean
}
const CUMULATIVE_SUM_KEYS = optionKeys<CumulativeSumOptions>()("axis", "dtype", "includeInitial")

const cumulativeOf = (name: string, f: typeof cumsum, identity: number, x: Operand, options: CumulativeSumOptions | undefined): Array => {
  checkOptions(name, options, CUMULATIVE_SUM_KEYS)
  const a = asArray(x as ArrayLike)
  if (a.ndim === 0) throw new ShapeError(`${name}: the input must have at least one dimension; reshape a scalar to [1] first.`)
  if (options?.axis === undefined && a.ndim > 1) {
    throw new ValueError(`${name}: x has rank ${a.ndim}; pass { axis } (it may only be left out for 1-D arrays).`)
  }
  const axis = normalizeAxis(options?.axis ?? 0, a.ndim)
  const out = f(a, { axis, ...(options?.dtype === undefined ? {} : { dtype: options.dtype }) })
  if (options?.includeInitial !== true) return out
  const first = fullLike(out, identity, { shape: out.shape.map((d, i) => (i === axis ? 1 : d)) })
  return concatenate([first, out], axis)
}

/**
 * `jnp.cumulative_sum(x, axis=None, dtype=None, include_initial=False)`: the running sum along
 * `axis` (which 1-D arrays may leave out); with `includeInitial` the result starts with 0.
 *
 * @example
 * np.cumulativeSum(np.array([1, 2, 3]), { includeInitial: true }) // [0, 1, 3, 6]
 */
export const cumulativeSum = (x: Operand, options?: CumulativeSumOptions): Array => cumulativeOf("np.cumulativeSum", cumsum, 0, x, options)

/**
 * `jnp.cumulative_prod(x, axis=None, dtype=None, include_initial=False)`: the running product
 * along `axis`; with `includeInitial` the result starts with 1.
 *
 * @example
 * np.cumulativeProd(np.array([[1, 2], [3, 4]]), { axis: 1 }) // [[1, 2], [3, 12]]
 */
export const cumulativeProd = (x: Operand, options?: CumulativeSumOptions): Array => cumulativeOf("np.cumulativeProd", cumprod, 1, x, options)

export interface VecdotOptions {
  /** The axis of the vectors (default -1). */
  readonly axis?: number
}
const VECDOT_KEYS = optionKeys<VecdotOptions>()("axis")

/**
 * `jnp.vecdot(x1, x2, axis=-1)`: the dot products of the vectors along `axis`, batched over the
 * other (broadcast) axes.
 *
 * @example
 * np.vecdot(np.array([[1, 2], [3, 4]]), np.array([1, 1])) // [3, 7]
 */
export const vecdot = (x1: ArrayLike, x2: ArrayLike, options?: VecdotOptions): Array => {
  checkOptions("np.vecdot", options, VECDOT_KEYS)
  const [a, b] = broadcastArrays(asArray(x1), asArray(x2)) as [Array, Array]
  if (a.ndim === 0) throw new ShapeError("np.vecdot: the operands must have at least one dimension.")
  return sum(multiply(a, b), { axis: normalizeAxis(options?.axis ?? -1, a.ndim) })
}

const vectorOperand = (name: string, x: ArrayLike, rank: number): Array => {
  const a = asArray(x)
  if (a.ndim < rank) throw new ShapeError(`${name}: expected at least ${rank} dimension(s), got shape (${a.shape.join(", ")}).`)
  return a
}

/**
 * `jnp.matvec(x1, x2)`: matrix (..., m, n) times vector (..., n), batched over the leading
 * (broadcast) axes, giving (..., m).
 *
 * @example
 * np.matvec(np.array([[1, 2], [3, 4]]), np.array([1, 1])) // [3, 7]
 */
export const matvec = (x1: ArrayLike, x2: ArrayLike): Array =>
  squeeze(matmul(vectorOperand("np.matvec", x1, 2), expandDims(vectorOperand("np.matvec", x2, 1), -1)), -1)

/**
 * `jnp.vecmat(x1, x2)`: vector (..., n) times matrix (..., n, m), batched over the leading
 * (broadcast) axes, giving (..., m).
 *
 * @example
 * np.vecmat(np.array([1, 1]), np.array([[1, 2], [3, 4]])) // [4, 6]
 */
export const vecmat = (x1: ArrayLike, x2: ArrayLike): Array =>
  squeeze(matmul(expandDims(vectorOperand("np.vecmat", x1, 1), -2), vectorOperand("np.vecmat", x2, 2)), -2)
