/**
 * Triangles and diagonals in `np` (JAX's `tri`, `tril`, `triu`, their index functions, `diag`,
 * `diagflat`, `diagonal`, `trace`, `fill_diagonal`, `diag_indices`). Masks come from `iota`
 * comparisons and diagonals from strided slices of a flattened pair of axes, so everything
 * differentiates, batches and compiles through existing primitives.
 */
import { Array } from "../array.js"
import type { DType } from "../dtype.js"
import { ShapeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { constant } from "../primitives/common.js"
import { add, convertElementType, eq, ge, le, select } from "../primitives/elementwise.js"
import { reduceSum } from "../primitives/reduce.js"
import { broadcastInDim, concatenate, iota, pad, reshape, slice, transpose } from "../primitives/shape-ops.js"
import { scatter } from "../primitives/indexing.js"
import { normalizeAxis, showShape } from "../shape.js"
import { type ArrayLike, asArray, promoteDtypes } from "./coerce.js"

const toArray = (x: ArrayLike): Array => (x instanceof Array ? x : asArray(x))
const seq = (n: number, from = 0): number[] => globalThis.Array.from({ length: n }, (_, i) => from + i)
const checkK = (what: string, k: unknown): number => {
  if (typeof k !== "number" || !Number.isInteger(k)) throw new ValueError(`${what}: k must be an integer, got ${String(k)}.`)
  return k
}
const checkN = (what: string, n: unknown, name = "N"): number => {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw new ValueError(`${what}: ${name} must be a non-negative integer, got ${String(n)}.`)
  return n
}

/** `col - row <= k` (lower) or `col - row >= k` (upper) over an n×m grid, as bool. */
const triMask = (n: number, m: number, k: number, lower: boolean): Array => {
  const rows = add(iota("int32", [n, m], 0), constant(k, "int32", [], true))
  const cols = iota("int32", [n, m], 1)
  return lower ? le(cols, rows) : ge(cols, rows)
}

export interface TriOptions {
  /** The diagonal: 0 the main one, positive above, negative below. */
  readonly k?: number
  /** Default float32. */
  readonly dtype?: DType
}
const TRI_KEYS = optionKeys<TriOptions>()("k", "dtype")

/**
 * `jnp.tri(N, M=N, k=0)`: an N×M array with ones at and below the k-th diagonal, zeros above.
 *
 * @example
 * np.tri(3, 2, { k: 1 }) // [[1, 1], [1, 1], [1, 1]]
 */
export const tri = (n: number, m?: number | null, options?: TriOptions): Array => {
  checkOptions("np.tri", options, TRI_KEYS)
  const rows = checkN("np.tri", n)
  const cols = m === undefined || m === null ? rows : checkN("np.tri", m, "M")
  return convertElementType(triMask(rows, cols, checkK("np.tri", options?.k ?? 0), true), options?.dtype ?? "float32")
}

const triangle =
  (what: string, lower: boolean) =>
  (m: ArrayLike, options?: { readonly k?: number }): Array => {
    checkOptions(what, options, ["k"])
    const a = toArray(m)
    if (a.ndim < 2)
      throw new ShapeError(
        `${what}: the argument must be at least 2-D, got shape ${showShape(a.shape)}; reshape a vector first (NumPy's broadcasting of 1-D input is not JAX's).`
      )
    const [r, c] = a.shape.slice(-2) as [number, number]
    const mask = broadcastInDim(triMask(r, c, checkK(what, options?.k ?? 0), lower), a.shape, [a.ndim - 2, a.ndim - 1])
    return select(mask, a, constant(0, a.dtype, [], a.weakType))
  }

/**
 * `jnp.tril(m, k=0)`: zero the elements above the k-th diagonal of the last two axes.
 *
 * @example
 * np.tril(np.ones([3, 3]), { k: -1 }) // ones strictly below the diagonal
 */
export const tril: (m: ArrayLike, options?: { readonly k?: number }) => Array = triangle("np.tril", true)

/**
 * `jnp.triu(m, k=0)`: zero the elements below the k-th diagonal of the last two axes.
 *
 * @example
 * np.triu(np.ones([3, 3]), { k: 1 }) // ones strictly above the diagonal
 */
export const triu: (m: ArrayLike, options?: { readonly k?: number }) => Array = triangle("np.triu", false)

export interface TriIndicesOptions {
  /** The diagonal offset (default 0). */
  readonly k?: number
  /** The number of columns (default n). */
  readonly m?: number
}
const TRI_INDICES_KEYS = optionKeys<TriIndicesOptions>()("k", "m")

const triIndices = (what: string, lower: boolean, n: number, k: number, m: number): [Array, Array] => {
  const rows: number[] = []
  const cols: number[] = []
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      if (lower ? j - i <= k : j - i >= k) {
        rows.push(i)
        cols.push(j)
      }
    }
  }
  return [asArray(Int32Array.from(rows)), asArray(Int32Array.from(cols))]
}

/**
 * `jnp.tril_indices(n, k=0, m=n)`: the row and column indices (int32) of the lower triangle, in
 * row-major order.
 *
 * @example
 * const [r, c] = np.trilIndices(3) // r = [0, 1, 1, 2, 2, 2], c = [0, 0, 1, 0, 1, 2]
 */
export const trilIndices = (n: number, options?: TriIndicesOptions): [Array, Array] => {
  checkOptions("np.trilIndices", options, TRI_INDICES_KEYS)
  const rows = checkN("np.trilIndices", n, "n")
  return triIndices(
    "np.trilIndices",
    true,
    rows,
    checkK("np.trilIndices", options?.k ?? 0),
    options?.m === undefined ? rows : checkN("np.trilIndices", options.m, "m")
  )
}

/**
 * `jnp.triu_indices(n, k=0, m=n)`: the row and column indices (int32) of the upper triangle.
 *
 * @example
 * const [r, c] = np.triuIndices(3, { k: 1 }) // r = [0, 0, 1], c = [1, 2, 2]
 */
export const triuIndices = (n: number, options?: TriIndicesOptions): [Array, Array] => {
  checkOptions("np.triuIndices", options, TRI_INDICES_KEYS)
  const rows = checkN("np.triuIndices", n, "n")
  return triIndices(
    "np.triuIndices",
    false,
    rows,
    checkK("np.triuIndices", options?.k ?? 0),
    options?.m === undefined ? rows : checkN("np.triuIndices", options.m, "m")
  )
}

const from2d = (what: string, arr: ArrayLike): [number, number] => {
  const a = toArray(arr)
  if (a.ndim !== 2) throw new ShapeError(`${what}: the array must be 2-D, got shape ${showShape(a.shape)}.`)
  return [a.shape[0]!, a.shape[1]!]
}

/**
 * `jnp.tril_indices_from(arr, k=0)`: `trilIndices` for the shape of a 2-D array.
 *
 * @example
 * np.trilIndicesFrom(np.zeros([2, 3])) // [[0, 1, 1], [0, 0, 1]]
 */
export const trilIndicesFrom = (arr: ArrayLike, options?: { readonly k?: number }): [Array, Array] => {
  checkOptions("np.trilIndicesFrom", options, ["k"])
  const [n, m] = from2d("np.trilIndicesFrom", arr)
  return triIndices("np.trilIndicesFrom", true, n, checkK("np.trilIndicesFrom", options?.k ?? 0), m)
}

/**
 * `jnp.triu_indices_from(arr, k=0)`: `triuIndices` for the shape of a 2-D array.
 *
 * @example
 * np.triuIndicesFrom(np.zeros([2, 3])) // [[0, 0, 0, 1, 1], [0, 1, 2, 1, 2]]
 */
export const triuIndicesFrom = (arr: ArrayLike, options?: { readonly k?: number }): [Array, Array] => {
  checkOptions("np.triuIndicesFrom", options, ["k"])
  const [n, m] = from2d("np.triuIndicesFrom", arr)
  return triIndices("np.triuIndicesFrom", false, n, checkK("np.triuIndicesFrom", options?.k ?? 0), m)
}

/**
 * `jnp.diag_indices(n, ndim=2)`: `ndim` copies of `arange(n)` (int32), indexing the main diagonal.
 *
 * @example
 * const x = np.arange(9).reshape([3, 3])
 * np.index(x, ...np.diagIndices(3)) // x's diagonal
 */
export const diagIndices = (n: number, ndim = 2): Array[] => {
  checkN("np.diagIndices", n, "n")
  checkN("np.diagIndices", ndim, "ndim")
  return seq(ndim).map(() => iota("int32", [n]))
}

/**
 * `jnp.diag_indices_from(arr)`: `diagIndices` for an array whose axes all have one length.
 *
 * @example
 * np.diagIndicesFrom(np.zeros([3, 3])) // [arange(3), arange(3)]
 */
export const diagIndicesFrom = (arr: ArrayLike): Array[] => {
  const a = toArray(arr)
  if (a.ndim < 2) throw new ShapeError(`np.diagIndicesFrom: the array must be at least 2-D, got shape ${showShape(a.shape)}.`)
  if (a.shape.some((d) => d !== a.shape[0])) throw new ShapeError(`np.diagIndicesFrom: all axes must have the same length, got shape ${showShape(a.shape)}.`)
  return diagIndices(a.shape[0]!, a.ndim)
}

export interface DiagonalOptions {
  /** The diagonal: 0 the main one, positive above, negative below. */
  readonly offset?: number
  /** The axis of the rows (default 0). */
  readonly axis1?: number
  /** The axis of the columns (default 1). */
  readonly axis2?: number
}
const DIAGONAL_KEYS = optionKeys<DiagonalOptions>()("offset", "axis1", "axis2")

/** The `offset` diagonal of axes (i, j) of `a`, appended as the last axis (a strided slice). */
const diagonalOf = (what: string, a: Array, offset: number, axis1: number, axis2: number): Array => {
  if (a.ndim < 2) throw new ShapeError(`${what}: the array must be at least 2-D, got shape ${showShape(a.shape)}.`)
  const i = normalizeAxis(axis1, a.ndim, `${what} axis1`)
  const j = normalizeAxis(axis2, a.ndim, `${what} axis2`)
  if (i === j) throw new ValueError(`${what}: axis1 and axis2 are both axis ${i}; give two different axes.`)
  const rest = seq(a.ndim).filter((d) => d !== i && d !== j)
  const lead = rest.map((d) => a.shape[d]!)
  const moved = transpose(a, [...rest, i, j])
  const n = a.shape[i]!
  const m = a.shape[j]!
  const r0 = offset >= 0 ? 0 : Math.min(n, -offset)
  const c0 = offset >= 0 ? Math.min(m, offset) : 0
  const len = Math.max(0, Math.min(n - r0, m - c0))
  const zeros = lead.map(() => 0)
  const block = slice(moved, [...zeros, r0, c0], [...lead, r0 + len, c0 + len])
  const flat = reshape(block, [...lead, len * len])
  if (len === 0) return reshape(flat, [...lead, 0])
  return slice(flat, [...zeros, 0], [...lead, len * len], [...lead.map(() => 1), len + 1])
}

/**
 * `jnp.diagonal(a, offset=0, axis1=0, axis2=1)`: the diagonal of two axes, as the last axis of
 * the result (the other axes keep their order).
 *
 * @example
 * np.diagonal(np.arange(9).reshape([3, 3]), { offset: 1 }) // [1, 5]
 */
export const diagonal = (a: ArrayLike, options?: DiagonalOptions): Array => {
  checkOptions("np.diagonal", options, DIAGONAL_KEYS)
  return diagonalOf("np.diagonal", toArray(a), checkK("np.diagonal", options?.offset ?? 0), options?.axis1 ?? 0, options?.axis2 ?? 1)
}

export interface TraceOptions extends DiagonalOptions {
  /** The accumulation dtype (default: the input's, with bool and narrow integers as int32). */
  readonly dtype?: DType
}
const TRACE_KEYS = optionKeys<TraceOptions>()("offset", "axis1", "axis2", "dtype")

/**
 * `jnp.trace(a, offset=0, axis1=0, axis2=1)`: the sum along a diagonal.
 *
 * @example
 * np.trace(np.eye(3)) // 3
 */
export const trace = (a: ArrayLike, options?: TraceOptions): Array => {
  checkOptions("np.trace", options, TRACE_KEYS)
  let d = diagonalOf("np.trace", toArray(a), checkK("np.trace", options?.offset ?? 0), options?.axis1 ?? 0, options?.axis2 ?? 1)
  const dtype = options?.dtype ?? (d.dtype === "bool" ? "int32" : d.dtype)
  if (d.dtype !== dtype) d = convertElementType(d, dtype)
  return reduceSum(d, [d.ndim - 1])
}

/**
 * `jnp.diag(v, k=0)`: for a vector, the square matrix with `v` on the k-th diagonal; for a
 * matrix, its k-th diagonal.
 *
 * @example
 * np.diag(np.array([1, 2]))              // [[1, 0], [0, 2]]
 * np.diag(np.ones([3, 3]), { k: 1 })     // [1, 1]
 */
export const diag = (v: ArrayLike, options?: { readonly k?: number }): Array => {
  checkOptions("np.diag", options, ["k"])
  const a = toArray(v)
  const k = checkK("np.diag", options?.k ?? 0)
  if (a.ndim === 2) return diagonalOf("np.diag", a, k, 0, 1)
  if (a.ndim !== 1) throw new ShapeError(`np.diag: the input must be 1-D (build a matrix) or 2-D (read a diagonal), got shape ${showShape(a.shape)}.`)
  const len = a.shape[0]!
  const n = len + Math.abs(k)
  // Pad v to length n and lay it along rows (k >= 0) or columns (k < 0); keep the k-th diagonal.
  const zero = constant(0, a.dtype, [], a.weakType)
  const padded = pad(a, zero, [[0, Math.abs(k), 0]])
  const spread = broadcastInDim(padded, [n, n], [k >= 0 ? 0 : 1])
  const cols = iota("int32", [n, n], 1)
  const rows = add(iota("int32", [n, n], 0), constant(k, "int32", [], true))
  return select(eq(cols, rows), spread, zero)
}

/**
 * `jnp.diagflat(v, k=0)`: the flattened input on the k-th diagonal of a square matrix.
 *
 * @example
 * np.diagflat(np.array([[1, 2], [3, 4]])) // a 4×4 matrix with 1, 2, 3, 4 on the diagonal
 */
export const diagflat = (v: ArrayLike, options?: { readonly k?: number }): Array => {
  checkOptions("np.diagflat", options, ["k"])
  const a = toArray(v)
  return diag(reshape(a, [a.size]), options)
}

export interface FillDiagonalOptions {
  /** NumPy's wrap for tall matrices: not implemented by JAX either, so only false is accepted. */
  readonly wrap?: boolean
  /** JAX arrays are immutable: only false is accepted (the result is a new array). */
  readonly inplace?: boolean
}
const FILL_DIAGONAL_KEYS = optionKeys<FillDiagonalOptions>()("wrap", "inplace")

/**
 * `jnp.fill_diagonal(a, val, inplace=False)`: a copy of `a` with its main diagonal set to `val`
 * (repeated cyclically when shorter). Every axis must have the same length for more than 2 axes.
 *
 * @example
 * np.fillDiagonal(np.zeros([3, 3]), 5) // 5 on the diagonal
 */
export const fillDiagonal = (a: ArrayLike, val: ArrayLike, options?: FillDiagonalOptions): Array => {
  checkOptions("np.fillDiagonal", options, FILL_DIAGONAL_KEYS)
  if (options?.inplace === true)
    throw new ValueError("np.fillDiagonal: JAX arrays are immutable, so inplace=true is not supported; use the returned array (inplace: false).")
  if (options?.wrap === true)
    throw new ValueError("np.fillDiagonal: wrap=true is not implemented (nor in JAX); fill the wrapped diagonals with np.at(...).set.")
  const x = toArray(a)
  if (x.ndim < 2) throw new ShapeError(`np.fillDiagonal: the array must be at least 2-D, got shape ${showShape(x.shape)}.`)
  if (x.ndim > 2 && x.shape.some((d) => d !== x.shape[0])) {
    throw new ShapeError(`np.fillDiagonal: an array of more than 2 axes must have all axes of one length, got shape ${showShape(x.shape)}.`)
  }
  const n = Math.min(...x.shape)
  const step = x.ndim === 2 ? x.shape[1]! + 1 : seq(x.ndim).reduce((acc, d) => acc + x.shape.slice(d + 1).reduce((p, s) => p * s, 1), 0)
  if (n === 0) return x
  const v = promoteDtypes([toArray(val)])[0]!
  let vals = convertElementType(reshape(v, [v.size]), x.dtype)
  if (vals.size === 0) throw new ValueError("np.fillDiagonal: val is empty; give at least one value.")
  if (vals.size < n)
    vals = concatenate(
      seq(Math.ceil(n / vals.size)).map(() => vals),
      0
    )
  vals = slice(vals, [0], [n])
  const idx = asArray(Int32Array.from(seq(n).map((i) => i * step)))
  return reshape(scatter(reshape(x, [x.size]), idx, vals, 0, "set"), x.shape)
}
