/**
 * Blocked substitution for float32 triangular systems M Y = C (M m x m, C m x n, both row-major):
 * per block of nb rows, taken top-down for a lower M and bottom-up for an upper one, multiply the
 * block's rows of C by the inverse of the diagonal block (inverted in JS with float64 sums, as
 * blocked GPU trsm routines do), then subtract the block's contribution from the rows still to be
 * solved (right-looking). Both products run on the Wasm GEMM; JS does O(m nb^2) work.
 */
import { blockedPolicy, gemmSub, gemmTo, invertTriangular, view } from "./blocked.js"

/** Overwrite C with M^-1 C; only M's `lower` (or upper) triangle is read. */
export const substituteBlocked = (M: Float32Array, C: Float32Array, m: number, n: number, lower: boolean): void => {
  const nb = blockedPolicy.nb
  for (let s0 = 0; s0 < m; s0 += nb) {
    const ib = Math.min(nb, m - s0)
    // the block's rows [i0, i1)
    const i0 = lower ? s0 : m - s0 - ib
    const i1 = i0 + ib
    // the diagonal block: C[block] = inv(M[block, block]) C[block]
    const inv = invertTriangular(M, i0 * m + i0, m, ib, lower)
    C.set(gemmTo({ data: inv, off: 0, sB: 0, s0: ib, s1: 1 }, view(C, i0 * n, n), ib, n, ib).subarray(0, ib * n), i0 * n)
    // rows below (lower) or above (upper) the block: C[rest] -= M[rest, block] C[block]
    if (lower) gemmSub(C, i1 * n, n, view(M, i1 * m + i0, m), view(C, i0 * n, n), m - i1, n, ib)
    else gemmSub(C, 0, n, view(M, i0, m), view(C, i0 * n, n), i0, n, ib)
  }
}
