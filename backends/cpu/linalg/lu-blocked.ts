/**
 * The blocked right-looking LU factorization with partial pivoting (LAPACK's getrf) of one float32
 * m x n matrix in place: per panel of nb columns, factor the panel in JS (the pivot search,
 * whole-row swaps, the division by the pivot and the rank-1 updates within the panel), form
 * U12 = L11^-1 A12 for the block row right of it (L11 inverted in JS), and subtract L21 U12 from
 * the trailing matrix; both products on the Wasm GEMM. The pivots are those of the unblocked algorithm up to rounding.
 */
import { luColumnStep } from "./lu-step.js"
import { blockedPolicy, gemmSub, gemmTo, invertTriangular, view } from "./blocked.js"

/**
 * W (m x n at `off`, row-major) becomes L\U; piv[pOff + j] the row swapped with row j and
 * perm[qOff + i] the original row now at row i (both for the whole factorization).
 */
export const luBlocked = (W: Float32Array, off: number, m: number, n: number, piv: Int32Array, pOff: number, perm: Int32Array, qOff: number): void => {
  const k = Math.min(m, n)
  const nb = blockedPolicy.nb
  for (let j0 = 0; j0 < k; j0 += nb) {
    const jb = Math.min(nb, k - j0)
    const j1 = j0 + jb
    for (let j = j0; j < j1; j++) luColumnStep(W, off, m, n, j, j1, piv, pOff + j, perm, qOff)
    if (j1 >= n) continue
    // U12 = L11^-1 A12 (L11 unit lower, inverted in JS)
    const inv = invertTriangular(W, off + j0 * n + j0, n, jb, true, true)
    const u12 = gemmTo({ data: inv, off: 0, sB: 0, s0: jb, s1: 1 }, view(W, off + j0 * n + j1, n), jb, n - j1, jb)
    for (let i = 0; i < jb; i++) W.set(u12.subarray(i * (n - j1), (i + 1) * (n - j1)), off + (j0 + i) * n + j1)
    if (j1 < m) gemmSub(W, off + j1 * n + j1, n, view(W, off + j1 * n + j0, n), view(W, off + j0 * n + j1, n), m - j1, n - j1, jb)
  }
}
