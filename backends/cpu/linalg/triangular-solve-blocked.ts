/**
 * Blocked substitution for float32 triangular systems M Y = C (M m x m, C m x n, both row-major):
 * per block of nb rows, taken top-down for a lower M and bottom-up for an upper one, solve the
 * diagonal block in JS (row operations over C's contiguous rows), then subtract the block's
 * contribution from the rows still to be solved with the Wasm GEMM (LAPACK's trsm, right-looking).
 */
import { blockedPolicy, gemmSub, view } from "./blocked.js"

/** Overwrite C with M^-1 C; only M's `lower` (or upper) triangle is read. */
export const substituteBlocked = (M: Float32Array, C: Float32Array, m: number, n: number, lower: boolean): void => {
  const nb = blockedPolicy.nb
  for (let s0 = 0; s0 < m; s0 += nb) {
    const ib = Math.min(nb, m - s0)
    // the block's rows [i0, i1)
    const i0 = lower ? s0 : m - s0 - ib
    const i1 = i0 + ib
    for (let s = 0; s < ib; s++) {
      const i = lower ? i0 + s : i1 - 1 - s
      const ri = i * n
      const lo = lower ? i0 : i + 1
      const hi = lower ? i : i1
      for (let k = lo; k < hi; k++) {
        const f = M[i * m + k]!
        if (f === 0) continue
        const rk = k * n
        for (let c = 0; c < n; c++) C[ri + c] = C[ri + c]! - f * C[rk + c]!
      }
      const d = M[i * m + i]!
      if (d !== 1) for (let c = 0; c < n; c++) C[ri + c] = C[ri + c]! / d
    }
    // rows below (lower) or above (upper) the block: C[rest] -= M[rest, block] C[block]
    if (lower) gemmSub(C, i1 * n, n, view(M, i1 * m + i0, m), view(C, i0 * n, n), m - i1, n, ib)
    else gemmSub(C, 0, n, view(M, i0, m), view(C, i0 * n, n), i0, n, ib)
  }
}
