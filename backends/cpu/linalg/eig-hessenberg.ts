/**
 * A step of LAPACK's dgeev and dgees (all in float64, n x n row-major), after the balancing of
 * eig-balance.ts: the Householder reduction to upper Hessenberg form H = Q^T A Q (dgehrd) with Q formed explicitly (dorghr), so that the Schur
 * vectors of H times Q are those of A.
 */

/** LAPACK's dlarfg on x[0..len) (x[0] = alpha): returns tau; x becomes (beta, v[1..]) with v[0] = 1 implied. */
export const larfg = (x: Float64Array, len: number): number => {
  let xn2 = 0
  for (let i = 1; i < len; i++) xn2 += x[i]! ** 2
  if (xn2 === 0) return 0
  const alpha = x[0]!
  const norm = Math.hypot(alpha, Math.sqrt(xn2))
  const beta = alpha >= 0 ? -norm : norm
  const scale = 1 / (alpha - beta)
  for (let i = 1; i < len; i++) x[i] = x[i]! * scale
  x[0] = beta
  return (beta - alpha) / beta
}

/** a becomes H = Q^T a Q (upper Hessenberg, zeros below the subdiagonal); returns Q (n x n). */
export const hessenberg = (a: Float64Array, n: number): Float64Array => {
  const q = new Float64Array(n * n)
  for (let i = 0; i < n; i++) q[i * n + i] = 1
  const v = new Float64Array(n)
  const w = new Float64Array(n)
  const reflectors: Array<{ i: number; tau: number; v: Float64Array }> = []
  for (let i = 0; i + 2 < n; i++) {
    const len = n - i - 1
    for (let r = 0; r < len; r++) v[r] = a[(i + 1 + r) * n + i]!
    const tau = larfg(v, len)
    a[(i + 1) * n + i] = v[0]!
    for (let r = 1; r < len; r++) a[(i + 1 + r) * n + i] = 0
    v[0] = 1
    reflectors.push({ i, tau, v: v.slice(0, len) })
    if (tau === 0) continue
    // right: A[:, i+1:] -= tau (A[:, i+1:] v) v^T
    for (let r = 0; r < n; r++) {
      let s = 0
      for (let c = 0; c < len; c++) s += a[r * n + i + 1 + c]! * v[c]!
      const f = tau * s
      for (let c = 0; c < len; c++) a[r * n + i + 1 + c] = a[r * n + i + 1 + c]! - f * v[c]!
    }
    // left: A[i+1:, i+1:] -= tau v (v^T A[i+1:, i+1:])
    w.fill(0)
    for (let r = 0; r < len; r++) {
      const vr = v[r]!
      for (let c = i + 1; c < n; c++) w[c] = w[c]! + vr * a[(i + 1 + r) * n + c]!
    }
    for (let r = 0; r < len; r++) {
      const f = tau * v[r]!
      for (let c = i + 1; c < n; c++) a[(i + 1 + r) * n + c] = a[(i + 1 + r) * n + c]! - f * w[c]!
    }
  }
  // Q = H_0 H_1 ... applied to the identity, last reflector first (dorghr)
  for (let k = reflectors.length - 1; k >= 0; k--) {
    const { i, tau, v: vk } = reflectors[k]!
    if (tau === 0) continue
    const len = vk.length
    w.fill(0)
    for (let r = 0; r < len; r++) for (let c = i + 1; c < n; c++) w[c] = w[c]! + vk[r]! * q[(i + 1 + r) * n + c]!
    for (let r = 0; r < len; r++) {
      const f = tau * vk[r]!
      for (let c = i + 1; c < n; c++) q[(i + 1 + r) * n + c] = q[(i + 1 + r) * n + c]! - f * w[c]!
    }
  }
  return q
}
