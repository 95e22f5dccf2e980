/**
 * np.linalg's decompositions: cholesky, qr, svd, svdvals, eigh, eigvalsh, eig, eigvals (on
 * lax.linalg's primitives; eig's results are complex).
 */
import type { Array } from "../../array.js"
import { geqrf } from "../../lax/householder.js"
import * as L from "../../lax/linalg.js"
import { checkOneOf, checkOptions } from "../../options.js"
import type { ArrayLike } from "../coerce.js"
import { checkMatrices, inexactOrComplex, mH, mT } from "./common.js"

export interface CholeskyOptions {
  /** Return the upper factor U = L^H (a = U^H U) instead of L (default false). */
  readonly upper?: boolean
  /** Average a with its transpose first (default true). */
  readonly symmetrizeInput?: boolean
}

/**
 * `jnp.linalg.cholesky`: the lower factor L of a = L L^H for each real symmetric or complex
 * Hermitian matrix of a stack (NaNs where a matrix is not positive definite).
 *
 * @example
 * np.linalg.cholesky([[4, 2], [2, 3]]) // [[2, 0], [1, 1.4142]]
 */
export const cholesky = (a: ArrayLike, options?: CholeskyOptions): Array => {
  const { upper = false, symmetrizeInput = true } = checkOptions("np.linalg.cholesky", options, ["upper", "symmetrizeInput"]) ?? {}
  const x = inexactOrComplex(a)
  checkMatrices(x, "np.linalg.cholesky", true)
  const l = L.cholesky(x, { symmetrizeInput })
  return upper ? mH(l) : l
}

export interface QrOptions {
  /**
   * "reduced" (default): q m x k, r k x n; "complete": q m x m, r m x n; "r": r alone (reduced);
   * "raw": [h, tau], LAPACK's packed reflectors transposed (h n x m) and their scales (tau k).
   */
  readonly mode?: "reduced" | "complete" | "r" | "raw"
}

/**
 * `jnp.linalg.qr`: `[q, r]` with a = q r (Householder, LAPACK's signs), r alone with mode "r", or
 * the packed `[h, tau]` with mode "raw" (`lax.linalg.householderProduct(h^T, tau)` is q).
 *
 * @example
 * const [q, r] = np.linalg.qr([[3, 1], [4, 2]]) // r [[-5, -2.2], [0, 0.4]]
 * const [h, tau] = np.linalg.qr([[3, 1], [4, 2]], { mode: "raw" }) // tau[0] = 1.6
 */
export function qr(a: ArrayLike, options: QrOptions & { readonly mode: "r" }): Array
export function qr(a: ArrayLike, options?: QrOptions): [Array, Array]
export function qr(a: ArrayLike, options?: QrOptions): Array | [Array, Array] {
  const { mode = "reduced" } = checkOptions("np.linalg.qr", options, ["mode"]) ?? {}
  checkOneOf("np.linalg.qr", "mode", mode, ["reduced", "complete", "r", "raw"])
  const x = inexactOrComplex(a)
  checkMatrices(x, "np.linalg.qr")
  if (mode === "raw") {
    const [h, tau] = geqrf(x)
    return [mT(h), tau]
  }
  const [q, r] = L.qr(x, { fullMatrices: mode === "complete" })
  return mode === "r" ? r : [q, r]
}

export interface SvdOptions {
  /** u m x m and vh n x n (default true), or m x k and k x n. */
  readonly fullMatrices?: boolean
  /** Return [u, s, vh] (default true), or s alone. */
  readonly computeUv?: boolean
  /** The matrices are symmetric (accepted as JAX does; the general algorithm is used). */
  readonly hermitian?: boolean
}

/**
 * `jnp.linalg.svd`: `[u, s, vh]` with a = u diag(s) vh and s descending, or s alone with
 * `computeUv: false`.
 *
 * @example
 * const [u, s, vh] = np.linalg.svd([[3, 0], [0, -2]]) // s [3, 2]
 */
export function svd(a: ArrayLike, options: SvdOptions & { readonly computeUv: false }): Array
export function svd(a: ArrayLike, options?: SvdOptions): [Array, Array, Array]
export function svd(a: ArrayLike, options?: SvdOptions): Array | [Array, Array, Array] {
  const { fullMatrices = true, computeUv = true } = checkOptions("np.linalg.svd", options, ["fullMatrices", "computeUv", "hermitian"]) ?? {}
  const x = inexactOrComplex(a)
  checkMatrices(x, "np.linalg.svd")
  return computeUv ? L.svd(x, { fullMatrices }) : L.svd(x, { computeUv: false })
}

/**
 * `jnp.linalg.svdvals`: the singular values of each matrix, descending.
 *
 * @example
 * np.linalg.svdvals([[3, 0], [0, -2]]) // [3, 2]
 */
export const svdvals = (x: ArrayLike): Array => {
  const a = inexactOrComplex(x)
  checkMatrices(a, "np.linalg.svdvals")
  return L.svd(a, { computeUv: false })
}

export interface EighOptions {
  /** The triangle read: "L" (default) or "U". */
  readonly UPLO?: "L" | "U"
  /** Average a with its transpose first (default true). */
  readonly symmetrizeInput?: boolean
}

const uplo = (caller: string, options: EighOptions | undefined): { lower: boolean; symmetrizeInput: boolean } => {
  const { UPLO = "L", symmetrizeInput = true } = checkOptions(caller, options, ["UPLO", "symmetrizeInput"]) ?? {}
  checkOneOf(caller, "UPLO", UPLO, ["L", "U"])
  return { lower: UPLO === "L", symmetrizeInput }
}

/**
 * `jnp.linalg.eigh`: `[eigenvalues, eigenvectors]` of each symmetric matrix, eigenvalues
 * ascending and eigenvectors as columns (NumPy's order: values first).
 *
 * @example
 * const [w, v] = np.linalg.eigh([[2, 1], [1, 2]]) // w [1, 3]
 */
export const eigh = (a: ArrayLike, options?: EighOptions): [Array, Array] => {
  const o = uplo("np.linalg.eigh", options)
  const x = inexactOrComplex(a)
  checkMatrices(x, "np.linalg.eigh", true)
  const [v, w] = L.eigh(x, o)
  return [w, v]
}

/**
 * `jnp.linalg.eigvalsh`: the eigenvalues of each symmetric matrix, ascending.
 *
 * @example
 * np.linalg.eigvalsh([[2, 1], [1, 2]]) // [1, 3]
 */
export const eigvalsh = (a: ArrayLike, options?: EighOptions): Array => {
  const o = uplo("np.linalg.eigvalsh", options)
  const x = inexactOrComplex(a)
  checkMatrices(x, "np.linalg.eigvalsh", true)
  return L.eigh(x, o)[1]
}

/**
 * `jnp.linalg.eig`: `[w, v]`, the eigenvalues and right eigenvectors (columns of v, unit 2-norm,
 * largest entry real) of each square matrix, complex64 for float32 input (complex128 for
 * float64), as JAX gives on CPU (LAPACK's geev order).
 *
 * @example
 * const [w, v] = np.linalg.eig([[2, 0], [0, 3]]) // w [2+0j, 3+0j], v the identity
 */
export const eig = (a: ArrayLike): [Array, Array] => {
  const x = inexactOrComplex(a)
  checkMatrices(x, "np.linalg.eig", true)
  const [w, v] = L.eig(x, { computeLeftEigenvectors: false })
  return [w!, v!]
}

/**
 * `jnp.linalg.eigvals`: the eigenvalues (complex) of each square matrix, in LAPACK's geev order;
 * differentiable (JAX's rule).
 *
 * @example
 * np.linalg.eigvals([[0, -1], [1, 0]]) // [0+1j, 0-1j]
 */
export const eigvals = (a: ArrayLike): Array => {
  const x = inexactOrComplex(a)
  checkMatrices(x, "np.linalg.eigvals", true)
  return L.eig(x, { computeLeftEigenvectors: false, computeRightEigenvectors: false })[0]!
}
