/**
 * eig of one real n x n matrix as LAPACK's dgeev computes it (float64 throughout): balance (permute and scale),
 * reduce to Hessenberg form, Francis double-shift QR to the real Schur form (eigenvalues in the
 * order they converge on the diagonal, conjugate pairs with the positive imaginary part first),
 * then the normalized left and right eigenvectors. Complex results as interleaved (re, im) pairs;
 * a matrix with a non-finite entry, or one where the iteration fails, gives NaNs.
 */
import { francisSchur } from "./eig-francis.js"
import { gebal } from "./eig-balance.js"
import { hessenberg } from "./eig-hessenberg.js"
import { schurEigenvectors } from "./eig-vectors.js"

export interface EigResult {
  /** Eigenvalues, n complex (2n floats). */
  readonly w: Float64Array
  /** Left eigenvectors as columns, n x n complex (row-major, interleaved), when asked. */
  readonly vl: Float64Array | null
  /** Right eigenvectors as columns, when asked. */
  readonly vr: Float64Array | null
}

export const eigReal = (a0: ArrayLike<number>, n: number, left: boolean, right: boolean): EigResult => {
  const a = Float64Array.from(a0)
  const nan = (len: number) => new Float64Array(len).fill(NaN)
  if (!a.every(Number.isFinite)) return { w: nan(2 * n), vl: left ? nan(2 * n * n) : null, vr: right ? nan(2 * n * n) : null }
  const bal = gebal(a, n, 1, "B")
  const z = hessenberg(a, n)
  const schur = francisSchur(a, z, n)
  if (schur === null) return { w: nan(2 * n), vl: left ? nan(2 * n * n) : null, vr: right ? nan(2 * n * n) : null }
  const { wr, wi } = schur
  const w = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    w[2 * i] = wr[i]!
    w[2 * i + 1] = wi[i]!
  }
  return {
    w,
    vl: left ? schurEigenvectors(a, z, n, wr, wi, bal, true) : null,
    vr: right ? schurEigenvectors(a, z, n, wr, wi, bal, false) : null
  }
}
