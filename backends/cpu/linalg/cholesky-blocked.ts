/**
 * The blocked right-looking Cholesky factorization (LAPACK's potrf, lower) of one float32 matrix
 * in place: per block column, factor the nb x nb diagonal block and solve the panel below it in JS
 * (float64 sums over the block, rounded to float32), then subtract L21 L21^T from the trailing
 * lower triangle with the Wasm GEMM. About n^2 nb / 2 multiply-adds stay in JS, n^3 / 3 go to GEMM.
 */
import { blockedPolicy, gemmSub, gemmTo, invertTriangular, view } from "./blocked.js"

/**
 * W (n x n at `off`, row-major; its lower triangle is read) becomes L on and below the diagonal;
 * the upper triangle is left as it was. False if a pivot is not positive (not positive definite).
 */
export const choleskyBlocked = (W: Float32Array, off: number, n: number): boolean => {
  const nb = blockedPolicy.nb
  const panel = new Float32Array(n * nb)
  for (let j0 = 0; j0 < n; j0 += nb) {
    const jb = Math.min(nb, n - j0)
    const j1 = j0 + jb
    // diagonal block
    for (let j = j0; j < j1; j++) {
      const rj = off + j * n
      let s = W[rj + j]!
      for (let k = j0; k < j; k++) s -= W[rj + k]! * W[rj + k]!
      if (!(s > 0)) return false
      W[rj + j] = Math.sqrt(s)
      const d = W[rj + j]!
      for (let i = j + 1; i < j1; i++) {
        const ri = off + i * n
        let t = W[ri + j]!
        for (let k = j0; k < j; k++) t -= W[ri + k]! * W[rj + k]!
        W[ri + j] = t / d
      }
    }
    if (j1 === n) break
    // panel below: L21 = A21 L11^-T, kept densely for the GEMM (L21 and L21^T)
    const m = n - j1
    const inv = invertTriangular(W, off + j0 * n + j0, n, jb, true)
    panel.set(gemmTo(view(W, off + j1 * n + j0, n), { data: inv, off: 0, sB: 0, s0: 1, s1: jb }, m, jb, jb).subarray(0, m * jb))
    for (let i = 0; i < m; i++) W.set(panel.subarray(i * jb, (i + 1) * jb), off + (j1 + i) * n + j0)
    gemmSub(W, off + j1 * n + j1, n, { data: panel, off: 0, sB: 0, s0: jb, s1: 1 }, { data: panel, off: 0, sB: 0, s0: 1, s1: jb }, m, m, jb, true)
  }
  return true
}
