/**
 * `lax.linalg`: JAX's linear-algebra primitives with their keyword options, batched over leading
 * dimensions (shape [..., m, n]). Each is one primitive (CPU routines in backends/cpu/linalg), with
 * JAX's jvp rules and batching, so grad, vmap and jit apply.
 */
import type { Array } from "../array.js"
import { checkOptions } from "../options.js"
import { add, div } from "../primitives/elementwise.js"
import { constLike } from "../primitives/common.js"
import { customJvp } from "../transforms/custom.js"
import { choleskyRaw, choleskyTangent } from "../primitives/linalg/cholesky.js"
import { mH } from "../primitives/linalg/common.js"
import { eigRaw } from "../primitives/linalg/eig.js"
import { eighRaw, eighTangents } from "../primitives/linalg/eigh.js"
import { luPivotsToPermutation as pivotsToPermutation, luRaw } from "../primitives/linalg/lu.js"
import { qrRaw } from "../primitives/linalg/qr.js"
import { schurRaw } from "../primitives/linalg/schur.js"
import { takeAlongAxis } from "../numpy/edit.js"
import { broadcastTo, expandDims } from "../numpy/shape.js"
import { qrPivots } from "./householder.js"
import { svdRaw } from "../primitives/linalg/svd.js"
import { triangularSolve as solveTriangular } from "../primitives/linalg/triangular-solve.js"
import { tridiagonalSolve as solveTridiagonal } from "../primitives/linalg/tridiagonal-solve.js"

/**
 * Without symmetrizing, the primitives read one triangle, and their own jvp rules are the
 * derivatives of that (the tangent made symmetric from the triangle). JAX's rules use the whole
 * tangent instead, which spreads a gradient over both triangles: these wrappers apply JAX's rules
 * as they are, so gradients match JAX's in every mode.
 */
const choleskyUnsymmetrized = customJvp((x: Array) => choleskyRaw(x), { name: "cholesky" })
choleskyUnsymmetrized.defjvp(([x], [t]) => {
  const l = choleskyRaw(x)
  return [l, choleskyTangent(l, t)]
})
const eighUnsymmetrized = (lower: boolean, sortEigenvalues: boolean) => {
  const f = customJvp((x: Array): [Array, Array] => eighRaw(x, lower, sortEigenvalues), { name: "eigh" })
  return f.defjvp(([x], [t]) => {
    const [v, w] = eighRaw(x, lower, sortEigenvalues)
    return [[v, w], eighTangents(v, w, t)]
  })
}

/** (x + x^H) / 2 over the last two axes (x^T for real x). */
const symmetrize = (x: Array): Array => div(add(x, mH(x)), constLike(x, 2))

export interface CholeskyOptions {
  /** Average x with its transpose first (default true), as JAX does. */
  readonly symmetrizeInput?: boolean
}

/**
 * `lax.linalg.cholesky`: the lower-triangular L with L L^T = x for each matrix of a batch; NaNs
 * for a matrix that is not positive definite.
 *
 * @example
 * lax.linalg.cholesky(np.array([[4, 2], [2, 3]], { dtype: "float32" })) // [[2, 0], [1, 1.4142]]
 */
export const cholesky = (x: Array, options?: CholeskyOptions): Array => {
  const { symmetrizeInput = true } = checkOptions("lax.linalg.cholesky", options, ["symmetrizeInput"]) ?? {}
  return symmetrizeInput ? choleskyRaw(symmetrize(x)) : choleskyUnsymmetrized(x)
}

export interface TriangularSolveOptions {
  /** Solve op(a) x = b (true) or x op(a) = b (false, the default). */
  readonly leftSide?: boolean
  /** Read a's lower triangle (default false: the upper one). */
  readonly lower?: boolean
  /** op(a) = a^T (default false). */
  readonly transposeA?: boolean
  /** Conjugate a (the identity for real dtypes; default false). */
  readonly conjugateA?: boolean
  /** Take a's diagonal as ones (default false). */
  readonly unitDiagonal?: boolean
}

/**
 * `lax.linalg.triangular_solve`: x with op(a) x = b (`leftSide`) or x op(a) = b, a triangular.
 * a is [..., m, m]; b is [..., m, n] (left side) or [..., n, m], with the same batch dimensions.
 *
 * @example
 * const a = np.array([[2, 0], [1, 1]], { dtype: "float32" })
 * lax.linalg.triangularSolve(a, np.array([[2], [3]], { dtype: "float32" }), { leftSide: true, lower: true }) // [[1], [2]]
 */
export const triangularSolve = (a: Array, b: Array, options?: TriangularSolveOptions): Array =>
  solveTriangular(a, b, checkOptions("lax.linalg.triangularSolve", options, ["leftSide", "lower", "transposeA", "conjugateA", "unitDiagonal"]) ?? {})

/**
 * `lax.linalg.lu`: LU with partial pivoting, `[lu, pivots, permutation]`: P a = L U with L unit
 * lower (below lu's diagonal) and U upper (on and above it); pivots and permutation are int32.
 *
 * @example
 * const [luMatrix, pivots, perm] = lax.linalg.lu(np.array([[1, 2], [3, 4]], { dtype: "float32" }))
 * // lu [[3, 4], [0.3333, 0.6667]], pivots [1, 1], perm [1, 0]
 */
export const lu = (x: Array): [Array, Array, Array] => luRaw(x)

/**
 * `lax.linalg.lu_pivots_to_permutation`: the permutation of 0..permutationSize-1 that the row
 * swaps `pivots` ([..., k], int32: row j swapped with row pivots[j], in order) produce.
 *
 * @example
 * lax.linalg.luPivotsToPermutation(np.array([1, 1], { dtype: "int32" }), 3) // [1, 0, 2]
 */
export const luPivotsToPermutation = (pivots: Array, permutationSize: number): Array => pivotsToPermutation(pivots, permutationSize)

export interface QrOptions {
  /** Q m x m and R m x n (default true), or Q m x k and R k x n with k = min(m, n). */
  readonly fullMatrices?: boolean
  /** Column pivoting (default false): also return p with x[:, p] = q r (LAPACK's geqp3 choice). */
  readonly pivoting?: boolean
}

/**
 * `lax.linalg.qr`: `[q, r]` with x = q r, q orthonormal columns, r upper triangular (Householder,
 * LAPACK's sign conventions); with `pivoting`, `[q, r, p]` with x[..., :, p] = q r, the columns
 * taken in order of the largest norm left after projecting out those taken before.
 *
 * @example
 * const [q, r] = lax.linalg.qr(np.array([[3, 1], [4, 2]], { dtype: "float32" })) // r[0, 0] = -5
 * const [, , p] = lax.linalg.qr(np.array([[1, 3], [0, 4]], { dtype: "float32" }), { pivoting: true }) // p [1, 0]
 */
export function qr(x: Array, options: QrOptions & { readonly pivoting: true }): [Array, Array, Array]
export function qr(x: Array, options?: QrOptions): [Array, Array]
export function qr(x: Array, options?: QrOptions): [Array, Array] | [Array, Array, Array] {
  const { fullMatrices = true, pivoting = false } = checkOptions("lax.linalg.qr", options, ["fullMatrices", "pivoting"]) ?? {}
  if (!pivoting) return qrRaw(x, fullMatrices)
  const p = qrPivots(x)
  const [q, r] = qrRaw(takeAlongAxis(x, broadcastTo(expandDims(p, -2), x.shape), -1), fullMatrices)
  return [q, r, p]
}

export { householderProduct } from "./householder.js"

export interface EighOptions {
  /** Read the lower triangle (default true) or the upper one. */
  readonly lower?: boolean
  /** Average x with its transpose first (default true). */
  readonly symmetrizeInput?: boolean
  /** Ascending eigenvalues (default true). */
  readonly sortEigenvalues?: boolean
}

/**
 * `lax.linalg.eigh`: `[v, w]`, the eigenvectors (columns of v) and eigenvalues of each symmetric
 * matrix, x = v diag(w) v^T. Note the order: vectors first, as in JAX.
 *
 * @example
 * const [v, w] = lax.linalg.eigh(np.array([[2, 1], [1, 2]], { dtype: "float32" })) // w [1, 3]
 */
export const eigh = (x: Array, options?: EighOptions): [Array, Array] => {
  const {
    lower = true,
    symmetrizeInput = true,
    sortEigenvalues = true
  } = checkOptions("lax.linalg.eigh", options, ["lower", "symmetrizeInput", "sortEigenvalues"]) ?? {}
  return symmetrizeInput ? eighRaw(symmetrize(x), lower, sortEigenvalues) : eighUnsymmetrized(lower, sortEigenvalues)(x)
}

export interface EigOptions {
  /** Also return the left eigenvectors (default true): u^H x = w u^H. */
  readonly computeLeftEigenvectors?: boolean
  /** Also return the right eigenvectors (default true): x v = w v. */
  readonly computeRightEigenvectors?: boolean
  /**
   * Let the eigenvectors be differentiated (default false, as JAX's enable_eigvec_derivs): the
   * derivative assumes distinct eigenvalues and a unique largest entry in each eigenvector, which
   * cannot be checked. The eigenvalues are always differentiable.
   */
  readonly enableEigvecDerivs?: boolean
}

/**
 * `lax.linalg.eig`: `[w, vl, vr]` (those asked for) of each square matrix, real or complex, with
 * complex results as JAX gives on CPU (LAPACK's geev: w in Schur order, vectors of unit norm with
 * the largest entry real). The eigenvalues are differentiable (JAX's rule); the eigenvectors with
 * `enableEigvecDerivs: true`.
 *
 * @example
 * const [w] = lax.linalg.eig(np.array([[0, -1], [1, 0]], { dtype: "float32" }), { computeLeftEigenvectors: false, computeRightEigenvectors: false })
 * // w [0+1j, 0-1j] (complex64)
 */
export const eig = (x: Array, options?: EigOptions): Array[] => {
  const {
    computeLeftEigenvectors = true,
    computeRightEigenvectors = true,
    enableEigvecDerivs = false
  } = checkOptions("lax.linalg.eig", options, ["computeLeftEigenvectors", "computeRightEigenvectors", "enableEigvecDerivs"]) ?? {}
  return [...eigRaw(x, computeLeftEigenvectors, computeRightEigenvectors, enableEigvecDerivs)]
}

export interface SvdOptions {
  /** u m x m and vh n x n (default true), or m x k and k x n. */
  readonly fullMatrices?: boolean
  /** Return [u, s, vh] (default true), or only s. */
  readonly computeUv?: boolean
}

/**
 * `lax.linalg.svd`: `[u, s, vh]` with x = u diag(s) vh and s descending, or s alone with
 * `computeUv: false`.
 *
 * @example
 * const [u, s, vh] = lax.linalg.svd(np.array([[3, 0], [0, -2]], { dtype: "float32" }), { computeUv: true }) // s [3, 2]
 */
export function svd(x: Array, options: SvdOptions & { readonly computeUv: false }): Array
export function svd(x: Array, options?: SvdOptions): [Array, Array, Array]
export function svd(x: Array, options?: SvdOptions): Array | [Array, Array, Array] {
  const { fullMatrices = true, computeUv = true } = checkOptions("lax.linalg.svd", options, ["fullMatrices", "computeUv"]) ?? {}
  const outs = svdRaw(x, fullMatrices, computeUv)
  return computeUv ? [outs[1]!, outs[0]!, outs[2]!] : outs[0]!
}

/**
 * `lax.linalg.tridiagonal_solve`: x with A x = b for the tridiagonal A with sub-diagonal dl
 * (dl[0] ignored), diagonal d and super-diagonal du (du[m-1] ignored), each [..., m]; b is
 * [..., m, n].
 *
 * @example
 * const one = np.ones([3], { dtype: "float32" })
 * lax.linalg.tridiagonalSolve(one, one.mul(4), one, np.ones([3, 1], { dtype: "float32" })) // [[0.2143], [0.1429], [0.2143]]
 */
export const tridiagonalSolve = (dl: Array, d: Array, du: Array, b: Array): Array => solveTridiagonal(dl, d, du, b)

export interface SchurOptions {
  /** Also return the Schur vectors (default true). */
  readonly computeSchurVectors?: boolean
}

/**
 * `lax.linalg.schur`: `[t, z]` with x = z t z^H for each square matrix, as LAPACK's gees on JAX's
 * CPU: the real Schur form for real input (t quasi-upper-triangular with standardized 2 x 2 blocks
 * for complex eigenvalue pairs, z orthogonal), the complex one for complex input (t upper
 * triangular, z unitary); `[t]` without Schur vectors. Not differentiable (as in JAX).
 *
 * @example
 * const [t, z] = lax.linalg.schur(np.array([[1, 2], [0, 3]], { dtype: "float32" })) // t [[1, 2], [0, 3]], z the identity
 */
export const schur = (x: Array, options?: SchurOptions): Array[] => {
  const { computeSchurVectors = true } = checkOptions("lax.linalg.schur", options, ["computeSchurVectors"]) ?? {}
  return [...schurRaw(x, computeSchurVectors)]
}
