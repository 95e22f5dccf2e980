/**
 * scipy.linalg's spellings of the decompositions and solvers that np.linalg and lax.linalg have
 * (JAX's jax.scipy.linalg): cholesky (upper by default), lu (with the permutation as a matrix),
 * eigh (values first, `eigvalsOnly`), svd, det, inv, solve (`assumeA`), and polar. Each is a thin
 * layer over the same primitives, so it batches, jits and differentiates as they do.
 */
import type { Array } from "../../array.js"
import { ShapeError, ValueError } from "../../errors.js"
import * as L from "../../lax/linalg.js"
import { customLinearSolve } from "../../lax/implicit.js"
import { type ArrayLike } from "../../numpy/coerce.js"
import { eye } from "../../numpy/creation.js"
import { checkMatrices, inexactOrComplex, mT } from "../../numpy/linalg/common.js"
import * as NL from "../../numpy/linalg/solve.js"
import { matmul } from "../../numpy/linalg.js"
import { equal } from "../../numpy/math.js"
import { expandDims, squeeze, take } from "../../numpy/shape.js"
import { tril, triu } from "../../numpy/triangles.js"
import { stopGradient } from "../../primitives/elementwise.js"
import { iota } from "../../primitives/shape-ops.js"
import { checkOneOf, checkOptions } from "../../options.js"
import { showShape } from "../../shape.js"
import { choFactor, choSolve } from "./solve.js"

export interface CholeskyOptions {
  /** Return the lower factor L (a = L L^T); default false: the upper one U (a = U^T U). */
  readonly lower?: boolean
}

/**
 * `jax.scipy.linalg.cholesky(a, lower=False)`: the upper Cholesky factor U of a = U^T U (the lower
 * L with `lower`), reading that triangle of a (no symmetrization, as JAX's scipy.linalg).
 *
 * @example
 * scipy.linalg.cholesky([[4, 2], [2, 3]]).toJs() // [[2, 1], [0, 1.4142135]]
 */
export const cholesky = (a: ArrayLike, options?: CholeskyOptions): Array => {
  const { lower = false } = checkOptions("scipy.linalg.cholesky", options, ["lower"]) ?? {}
  const x = inexactOrComplex(a)
  checkMatrices(x, "scipy.linalg.cholesky", true)
  const l = L.cholesky(lower ? x : mT(x), { symmetrizeInput: false })
  return lower ? l : mT(l)
}

/**
 * `jax.scipy.linalg.det`: the determinant of each matrix (as `np.linalg.det`).
 *
 * @example
 * scipy.linalg.det([[1, 2], [3, 4]]) // -2
 */
export const det = (a: ArrayLike): Array => NL.det(a)

/**
 * `jax.scipy.linalg.inv`: the inverse of each matrix (as `np.linalg.inv`).
 *
 * @example
 * scipy.linalg.inv([[2, 0], [0, 4]]).toJs() // [[0.5, 0], [0, 0.25]]
 */
export const inv = (a: ArrayLike): Array => NL.inv(a)

export interface LuOptions {
  /** Return `[p @ l, u]` instead of `[p, l, u]` (default false). */
  readonly permuteL?: boolean
}

/**
 * `jax.scipy.linalg.lu`: `[p, l, u]` with a = p l u, p a permutation matrix, l unit lower
 * triangular (m x k) and u upper triangular (k x n), k = min(m, n); `[p @ l, u]` with `permuteL`.
 * Leading dimensions are batch dimensions.
 *
 * @example
 * const [p, l, u] = scipy.linalg.lu([[1, 2], [3, 4]]) // p [[0, 1], [1, 0]], u [[3, 4], [0, 0.6667]]
 */
export function lu(a: ArrayLike, options: LuOptions & { readonly permuteL: true }): [Array, Array]
export function lu(a: ArrayLike, options?: LuOptions): [Array, Array, Array]
export function lu(a: ArrayLike, options?: LuOptions): Array[] {
  const { permuteL = false } = checkOptions("scipy.linalg.lu", options, ["permuteL"]) ?? {}
  const x = inexactOrComplex(a)
  const [m, n] = checkMatrices(x, "scipy.linalg.lu")
  const [packed, , perm] = L.lu(x)
  const k = Math.min(m, n)
  const batch = x.shape.slice(0, -2)
  // p[i, j] = 1 where perm[j] == i: a = p (l u) undoes the row exchanges.
  const rowsIdx = iota("int32", [...batch, m, m], x.ndim - 2)
  const p = equal(expandDims(perm, -2), rowsIdx).astype(x.dtype)
  const cols = (y: Array, count: number): Array => take(y, iota("int32", [count], 0), { axis: -1 })
  const rowsOf = (y: Array, count: number): Array => take(y, iota("int32", [count], 0), { axis: -2 })
  const l = cols(tril(packed, { k: -1 }), k).add(eye(m, k, { dtype: x.dtype }))
  const u = rowsOf(triu(packed), k)
  return permuteL ? [matmul(p, l), u] : [p, l, u]
}

export interface EighOptions {
  /** Read the lower triangle (default true) or the upper one. */
  readonly lower?: boolean
  /** Return the eigenvalues alone (default false). */
  readonly eigvalsOnly?: boolean
}

/**
 * `jax.scipy.linalg.eigh`: `[w, v]` of each symmetric matrix, eigenvalues ascending and
 * eigenvectors as columns; `w` alone with `eigvalsOnly`. JAX implements only `b=None`, `type=1`
 * and all eigenvalues; so does jaxfx.
 *
 * @example
 * const [w, v] = scipy.linalg.eigh([[2, 1], [1, 2]]) // w [1, 3]
 */
export function eigh(a: ArrayLike, options: EighOptions & { readonly eigvalsOnly: true }): Array
export function eigh(a: ArrayLike, options?: EighOptions): [Array, Array]
export function eigh(a: ArrayLike, options?: EighOptions): Array | [Array, Array] {
  const { lower = true, eigvalsOnly = false } = checkOptions("scipy.linalg.eigh", options, ["lower", "eigvalsOnly"]) ?? {}
  const x = inexactOrComplex(a)
  checkMatrices(x, "scipy.linalg.eigh", true)
  const [v, w] = L.eigh(x, { lower })
  return eigvalsOnly ? w : [w, v]
}

export interface SvdOptions {
  /** u is m x m and vh n x n (default true); false: m x k and k x n. */
  readonly fullMatrices?: boolean
  /** Return `[u, s, vh]` (default true) or s alone. */
  readonly computeUv?: boolean
}

/**
 * `jax.scipy.linalg.svd`: `[u, s, vh]` with a = u diag(s) vh (s descending); s alone with
 * `computeUv: false`.
 *
 * @example
 * scipy.linalg.svd([[3, 0], [0, 4]], { computeUv: false }) // [4, 3]
 */
export function svd(a: ArrayLike, options: SvdOptions & { readonly computeUv: false }): Array
export function svd(a: ArrayLike, options?: SvdOptions): [Array, Array, Array]
export function svd(a: ArrayLike, options?: SvdOptions): Array | [Array, Array, Array] {
  const { fullMatrices = true, computeUv = true } = checkOptions("scipy.linalg.svd", options, ["fullMatrices", "computeUv"]) ?? {}
  const x = inexactOrComplex(a)
  checkMatrices(x, "scipy.linalg.svd")
  return computeUv ? L.svd(x, { fullMatrices }) : L.svd(x, { fullMatrices, computeUv: false })
}

export interface SolveOptions {
  /** "gen" (default), "sym", "her" (solved as general, as JAX) or "pos" (Cholesky). */
  readonly assumeA?: "gen" | "sym" | "her" | "pos"
  /** With "pos": read a's lower triangle (default false: the upper one). */
  readonly lower?: boolean
}

/**
 * `jax.scipy.linalg.solve`: x with a x = b. With `assumeA: "pos"` a is factored by Cholesky (its
 * `lower` or upper triangle) and, as in JAX, the derivative with respect to a is that of the whole
 * of a (a custom linear solve over x ↦ a x); other values solve as `np.linalg.solve`.
 *
 * @example
 * scipy.linalg.solve([[4, 2], [2, 3]], [6, 5], { assumeA: "pos" }) // [1, 1]
 */
export const solve = (a: ArrayLike, b: ArrayLike, options?: SolveOptions): Array => {
  const { assumeA = "gen", lower = false } = checkOptions("scipy.linalg.solve", options, ["assumeA", "lower"]) ?? {}
  checkOneOf("scipy.linalg.solve", "assumeA", assumeA, ["gen", "sym", "her", "pos"])
  if (assumeA !== "pos") return NL.solve(a, b)
  const x = inexactOrComplex(a)
  const [n] = checkMatrices(x, "scipy.linalg.solve", true)
  const bx = inexactOrComplex(b).astype(x.dtype)
  const vector = bx.ndim === x.ndim - 1
  if (bx.ndim === 0 || bx.shape[vector ? bx.ndim - 1 : bx.ndim - 2] !== n)
    throw new ShapeError(`scipy.linalg.solve: b of shape ${showShape(bx.shape)} does not fit matrices of shape ${showShape(x.shape)}.`)
  const factors = choFactor(stopGradient(x), { lower })
  const matvec = (v: Array): Array => (vector ? squeeze(matmul(x, expandDims(v, -1)), -1) : matmul(x, v))
  const inverse = (v: Array): Array => (vector ? squeeze(choSolve(factors, expandDims(v, -1)), -1) : choSolve(factors, v))
  return customLinearSolve(matvec, bx, (_, v) => inverse(v), { symmetric: true })
}

export interface PolarOptions {
  /** "right" (default): a = u p with p n x n; "left": a = p u with p m x m. */
  readonly side?: "right" | "left"
  /**
   * "qdwh" (JAX's default; as in JAX, only m >= n for "right" and m < n for "left") or "svd".
   * jaxfx computes both from the SVD (the same factors, within rounding).
   */
  readonly method?: "qdwh" | "svd"
}

/**
 * `jax.scipy.linalg.polar`: `[u, p]`, the polar decomposition a = u p (side "right") or a = p u
 * ("left"), u with orthonormal columns (rows when wide) and p symmetric positive semidefinite.
 * Computed from the SVD a = w s vh: u = w vh, p = vh^T s vh (or w s w^T). Leading dimensions are
 * batch dimensions.
 *
 * @example
 * const [u, p] = scipy.linalg.polar([[2, 0], [0, -3]]) // u [[1, 0], [0, -1]], p [[2, 0], [0, 3]]
 */
export const polar = (a: ArrayLike, options?: PolarOptions): [Array, Array] => {
  const { side = "right", method = "qdwh" } = checkOptions("scipy.linalg.polar", options, ["side", "method"]) ?? {}
  checkOneOf("scipy.linalg.polar", "side", side, ["right", "left"])
  checkOneOf("scipy.linalg.polar", "method", method, ["qdwh", "svd"])
  const x = inexactOrComplex(a)
  const [m, n] = checkMatrices(x, "scipy.linalg.polar")
  if (method === "qdwh" && !((m >= n && side === "right") || (m < n && side === "left")))
    throw new ValueError(
      `scipy.linalg.polar: method "qdwh" takes m x n matrices with m >= n for side "right" and m < n for side "left" (as JAX), got ${m} x ${n} with side "${side}"; use method "svd".`
    )
  const [w, s, vh] = L.svd(x, { fullMatrices: false })
  const u = matmul(w, vh)
  const p = side === "right" ? matmul(mT(vh), expandDims(s, -1).mul(vh)) : matmul(w.mul(expandDims(s, -2)), mT(w))
  return [u, p]
}
