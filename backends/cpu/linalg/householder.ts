/**
 * Householder reflections with LAPACK's conventions (larfg): H = I - tau v v^T with v[0] = 1
 * maps (alpha, x) to (beta, 0) with beta = -sign(alpha) ||(alpha, x)||, or is the identity
 * (tau = 0) when x is zero. `factor` reduces an m x n row-major matrix in place to R (geqrf) and
 * keeps the reflectors; `formQ` multiplies them into the first `cols` columns of the identity
 * (orgqr). The SVD uses both to complete an orthonormal basis.
 */
import type { Floats } from "./common.js"

export interface Reflectors {
  /** v_j in column j (rows j.., v_j[j] = 1), m x k row-major. */
  readonly v: Floats
  readonly tau: Floats
  readonly k: number
}

/** Reduce `a` (m x n at `off`, row-major) to upper triangular form in place; returns the reflectors. */
export const factor = (a: Floats, off: number, m: number, n: number, make: (n: number) => Floats): Reflectors => {
  const k = Math.min(m, n)
  const v = make(m * Math.max(k, 1))
  const tau = make(Math.max(k, 1))
  const w = make(Math.max(n, 1))
  for (let j = 0; j < k; j++) {
    const alpha = a[off + j * n + j]!
    let xn2 = 0
    for (let i = j + 1; i < m; i++) xn2 += a[off + i * n + j]! ** 2
    v[j * k + j] = 1
    if (xn2 === 0) {
      tau[j] = 0
      continue
    }
    const norm = Math.sqrt(alpha * alpha + xn2)
    const beta = alpha >= 0 ? -norm : norm
    tau[j] = (beta - alpha) / beta
    const scale = 1 / (alpha - beta)
    for (let i = j + 1; i < m; i++) {
      v[i * k + j] = a[off + i * n + j]! * scale
      a[off + i * n + j] = 0
    }
    a[off + j * n + j] = beta
    // A[j:, j+1:] -= tau v (v^T A[j:, j+1:])
    const t = tau[j]!
    w.fill(0)
    for (let i = j; i < m; i++) {
      const vi = v[i * k + j]!
      const r = off + i * n
      for (let c = j + 1; c < n; c++) w[c] = w[c]! + vi * a[r + c]!
    }
    for (let i = j; i < m; i++) {
      const f = t * v[i * k + j]!
      if (f === 0) continue
      const r = off + i * n
      for (let c = j + 1; c < n; c++) a[r + c] = a[r + c]! - f * w[c]!
    }
  }
  return { v, tau, k }
}

/** Q's first `cols` columns (m x cols, row-major) from the reflectors: H_0 H_1 ... H_{k-1} I. */
export const formQ = (r: Reflectors, m: number, cols: number, make: (n: number) => Floats): Floats => {
  const { v, tau, k } = r
  const q = make(m * cols)
  for (let i = 0; i < Math.min(m, cols); i++) q[i * cols + i] = 1
  const w = make(Math.max(cols, 1))
  for (let j = k - 1; j >= 0; j--) {
    const t = tau[j]!
    if (t === 0) continue
    w.fill(0)
    for (let i = j; i < m; i++) {
      const vi = v[i * k + j]!
      const row = i * cols
      for (let c = 0; c < cols; c++) w[c] = w[c]! + vi * q[row + c]!
    }
    for (let i = j; i < m; i++) {
      const f = t * v[i * k + j]!
      if (f === 0) continue
      const row = i * cols
      for (let c = 0; c < cols; c++) q[row + c] = q[row + c]! - f * w[c]!
    }
  }
  return q
}
