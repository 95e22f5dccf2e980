/**
 * Householder QR of one complex m x n matrix (float64, row-major, interleaved (re, im) entries) with
 * LAPACK's conventions, as JAX's CPU results: zgeqr2 (reflectors H_i = I - tau_i v_i v_i^H from
 * zlarfg, so R's diagonal is real; A <- H_i^H A), then zung2r's Q = H_1 ... H_k on the first columns
 * of the identity.
 */
import { zlarfg } from "./complex-scalar.js"

/** A <- A - t v (v^H A) on rows i.. of a row-major m x n complex matrix, columns c0.. (v of length m - i). */
const applyLeft = (A: Float64Array, m: number, n: number, i: number, c0: number, v: Float64Array, tr: number, ti: number): void => {
  for (let c = c0; c < n; c++) {
    let sr = 0
    let si = 0
    for (let r = i; r < m; r++) {
      const vr = v[2 * (r - i)]!
      const vi = v[2 * (r - i) + 1]!
      const ar = A[2 * (r * n + c)]!
      const ai = A[2 * (r * n + c) + 1]!
      sr += vr * ar + vi * ai
      si += vr * ai - vi * ar
    }
    const fr = tr * sr - ti * si
    const fi = tr * si + ti * sr
    for (let r = i; r < m; r++) {
      const vr = v[2 * (r - i)]!
      const vi = v[2 * (r - i) + 1]!
      A[2 * (r * n + c)] = A[2 * (r * n + c)]! - (vr * fr - vi * fi)
      A[2 * (r * n + c) + 1] = A[2 * (r * n + c) + 1]! - (vr * fi + vi * fr)
    }
  }
}

/** [Q (m x qc), R (rr x n)] of a complex m x n matrix (qc, rr: m with full matrices, else min(m, n)). */
export const zqr = (a: Float64Array, m: number, n: number, full: boolean): [Float64Array, Float64Array] => {
  const k = Math.min(m, n)
  const A = Float64Array.from(a)
  const refl: Array<{ v: Float64Array; tr: number; ti: number }> = []
  for (let i = 0; i < k; i++) {
    const len = m - i
    const v = new Float64Array(2 * len)
    for (let r = 0; r < len; r++) {
      v[2 * r] = A[2 * ((i + r) * n + i)]!
      v[2 * r + 1] = A[2 * ((i + r) * n + i) + 1]!
    }
    const [tr, ti] = zlarfg(v, len)
    A[2 * (i * n + i)] = v[0]!
    A[2 * (i * n + i) + 1] = 0
    v[0] = 1
    v[1] = 0
    refl.push({ v, tr, ti })
    if (tr !== 0 || ti !== 0) applyLeft(A, m, n, i, i + 1, v, tr, -ti)
  }
  const qc = full ? m : k
  const rr = full ? m : k
  const Q = new Float64Array(2 * m * qc)
  for (let i = 0; i < Math.min(m, qc); i++) Q[2 * (i * qc + i)] = 1
  for (let i = k - 1; i >= 0; i--) {
    const { v, tr, ti } = refl[i]!
    if (tr !== 0 || ti !== 0) applyLeft(Q, m, qc, i, 0, v, tr, ti)
  }
  const R = new Float64Array(2 * rr * n)
  for (let i = 0; i < Math.min(rr, m); i++)
    for (let j = i; j < n; j++) {
      R[2 * (i * n + j)] = A[2 * (i * n + j)]!
      R[2 * (i * n + j) + 1] = A[2 * (i * n + j) + 1]!
    }
  return [Q, R]
}
