/**
 * Shared pieces of the blocked (right-looking) float32 decompositions: when a matrix takes the
 * blocked path (`blockedPolicy`), and the trailing update C -= A B that sends the O(n^3) part of
 * cholesky, triangular_solve and lu to the WebAssembly SIMD GEMM (`../wasm/gemm.ts`). Each
 * routine factors a narrow panel (or solves a diagonal block) in JS with float64 sums, as the
 * unblocked routines do, and leaves everything outside the panel to `gemmSub`.
 */
import { type StridedF32, wasmGemm } from "../wasm/gemm.js"

export const blockedPolicy = {
  /** Off: every matrix takes the unblocked JS loops (tests compare the two). */
  enabled: true,
  /** Smallest matrix order sent to the blocked routines (smaller ones gain nothing). */
  minN: 96,
  /** Block size: panel width and diagonal block order. */
  nb: 64,
  /** Smallest order for which eigh uses tridiagonal reduction + QL instead of Jacobi (any dtype). */
  eighTridiagonalMinN: 48,
  /** Smallest min(m, n) for which svd preconditions its Jacobi sweeps with eigh of the Gram matrix. */
  svdPreconditionMinN: 48
}

/** Whether a float32 matrix of order n takes the blocked path (GEMM available, policy on). */
export const useBlocked = (data: unknown, n: number): data is Float32Array =>
  blockedPolicy.enabled && data instanceof Float32Array && n >= blockedPolicy.minN && wasmGemm() !== null

let scratch = new Float32Array(0)
const tmp = (len: number): Float32Array => {
  if (scratch.length < len) scratch = new Float32Array(Math.max(len, scratch.length * 2))
  return scratch
}

/** A row-major view of `data` at `off` with row stride `ld` (element strides). */
export const view = (data: Float32Array, off: number, ld: number): StridedF32 => ({ data, off, sB: 0, s0: ld, s1: 1 })

/**
 * The product A B (M x N, row-major, rounded to float32) in a scratch buffer that the next call
 * reuses: copy it out before calling again.
 */
export const gemmTo = (A: StridedF32, B: StridedF32, M: number, N: number, K: number): Float32Array => {
  const T = tmp(M * N)
  const g = wasmGemm()
  if (K === 0) T.fill(0, 0, M * N)
  else if (g === null || !g.run(T, 0, A, B, 1, M, N, K)) {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0
        for (let k = 0; k < K; k++) s += A.data[A.off + i * A.s0 + k * A.s1]! * B.data[B.off + k * B.s0 + j * B.s1]!
        T[i * N + j] = s
      }
    }
  }
  return T
}

/**
 * The inverse (dense b x b, row-major, float32) of the triangular block at `off` of M (row stride
 * ld): column by column substitution with float64 sums. Only the `lower` (or upper) triangle is
 * read, and with `unit` not its diagonal (taken as ones).
 */
export const invertTriangular = (M: Float32Array, off: number, ld: number, b: number, lower: boolean, unit = false): Float32Array => {
  const X = new Float32Array(b * b)
  const x = new Float64Array(b)
  for (let c = 0; c < b; c++) {
    x.fill(0)
    if (lower) {
      for (let i = c; i < b; i++) {
        let s = i === c ? 1 : 0
        for (let k = c; k < i; k++) s -= M[off + i * ld + k]! * x[k]!
        x[i] = unit ? s : s / M[off + i * ld + i]!
      }
    } else {
      for (let i = c; i >= 0; i--) {
        let s = i === c ? 1 : 0
        for (let k = i + 1; k <= c; k++) s -= M[off + i * ld + k]! * x[k]!
        x[i] = unit ? s : s / M[off + i * ld + i]!
      }
    }
    for (let i = 0; i < b; i++) X[i * b + c] = x[i]!
  }
  return X
}

/**
 * C[i, j] -= sum_k A(i, k) B(k, j) for i < M, j < N (C row-major at cOff with row stride ldc),
 * the product rounded to float32 by the Wasm GEMM before the subtraction. `lowerOnly` updates
 * only j <= i (the lower triangle a symmetric update needs). Falls back to JS float64 sums if
 * the GEMM declines.
 */
export const gemmSub = (C: Float32Array, cOff: number, ldc: number, A: StridedF32, B: StridedF32, M: number, N: number, K: number, lowerOnly = false): void => {
  if (M === 0 || N === 0 || K === 0) return
  const T = gemmTo(A, B, M, N, K)
  for (let i = 0; i < M; i++) {
    const r = cOff + i * ldc
    const t = i * N
    const end = lowerOnly ? Math.min(N, i + 1) : N
    for (let j = 0; j < end; j++) C[r + j] = C[r + j]! - T[t + j]!
  }
}
