/**
 * eigh for larger matrices: Householder reduction to tridiagonal form with the transformation
 * accumulated (EISPACK's tred2), then the implicit QL method with Wilkinson-like shifts on the
 * tridiagonal matrix, rotating the accumulated vectors along (tql2). O(n^3) in about 9 n^3 flops
 * against the Jacobi method's 20-30 n^3 per 5-10 sweeps; absolute (not relative) accuracy of the
 * eigenvalues, as LAPACK's syevd that JAX calls. Works in float64 on one matrix at a time.
 */

const MAX_ITER = 60

/**
 * The eigenvalues (ascending order not applied) and eigenvectors of the symmetric n x n matrix
 * `a` (float64, row-major, both triangles set; overwritten). Returns [w, Zt] with the eigenvectors
 * as the rows of Zt (Zt[i * n + k]: component k of vector i), or null if QL did not converge
 * (non-finite input).
 */
export const eighTridiagonal = (a: Float64Array, n: number): [Float64Array, Float64Array] | null => {
  const d = new Float64Array(n)
  const e = new Float64Array(n)
  // tred2: a becomes Q (columns), d and e the tridiagonal's diagonal and subdiagonal (e[i]: (i, i-1))
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1
    const ri = i * n
    let h = 0
    if (l > 0) {
      let scale = 0
      for (let k = 0; k <= l; k++) scale += Math.abs(a[ri + k]!)
      if (scale === 0) e[i] = a[ri + l]!
      else {
        for (let k = 0; k <= l; k++) {
          a[ri + k] = a[ri + k]! / scale
          h += a[ri + k]! * a[ri + k]!
        }
        let f = a[ri + l]!
        let g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h)
        e[i] = scale * g
        h -= f * g
        a[ri + l] = f - g
        f = 0
        for (let j = 0; j <= l; j++) {
          const rj = j * n
          a[rj + i] = a[ri + j]! / h
          g = 0
          for (let k = 0; k <= j; k++) g += a[rj + k]! * a[ri + k]!
          for (let k = j + 1; k <= l; k++) g += a[k * n + j]! * a[ri + k]!
          e[j] = g / h
          f += e[j]! * a[ri + j]!
        }
        const hh = f / (h + h)
        for (let j = 0; j <= l; j++) {
          const fj = a[ri + j]!
          const gj = e[j]! - hh * fj
          e[j] = gj
          const rj = j * n
          for (let k = 0; k <= j; k++) a[rj + k] = a[rj + k]! - (fj * e[k]! + gj * a[ri + k]!)
        }
      }
    } else e[i] = a[ri + l]!
    d[i] = h
  }
  d[0] = 0
  e[0] = 0
  const g = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const ri = i * n
    if (d[i] !== 0) {
      // a[0:i, 0:i] -= a[0:i, i] (a[i, 0:i] a[0:i, 0:i]), by rows
      g.fill(0, 0, i)
      for (let k = 0; k < i; k++) {
        const f = a[ri + k]!
        if (f === 0) continue
        const rk = k * n
        for (let j = 0; j < i; j++) g[j] = g[j]! + f * a[rk + j]!
      }
      for (let k = 0; k < i; k++) {
        const f = a[k * n + i]!
        if (f === 0) continue
        const rk = k * n
        for (let j = 0; j < i; j++) a[rk + j] = a[rk + j]! - g[j]! * f
      }
    }
    d[i] = a[ri + i]!
    a[ri + i] = 1
    for (let j = 0; j < i; j++) a[j * n + i] = a[ri + j] = 0
  }
  // Zt = Q^T: the rows of Zt are the columns of Q (rotated as rows below: contiguous)
  const z = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) z[i * n + k] = a[k * n + i]!
  // tql2
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!
  if (n > 0) e[n - 1] = 0
  for (let l = 0; l < n; l++) {
    let iter = 0
    for (;;) {
      let m = l
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!)
        if (Math.abs(e[m]!) <= Number.EPSILON * dd) break
      }
      if (m === l) break
      if (iter++ === MAX_ITER) return null
      let gg = (d[l + 1]! - d[l]!) / (2 * e[l]!)
      let r = Math.hypot(gg, 1)
      gg = d[m]! - d[l]! + e[l]! / (gg + (gg >= 0 ? r : -r))
      let s = 1
      let c = 1
      let p = 0
      let i = m - 1
      let underflow = false
      for (; i >= l; i--) {
        const f = s * e[i]!
        const b = c * e[i]!
        r = Math.hypot(f, gg)
        e[i + 1] = r
        if (r === 0) {
          d[i + 1] = d[i + 1]! - p
          e[m] = 0
          underflow = true
          break
        }
        s = f / r
        c = gg / r
        gg = d[i + 1]! - p
        r = (d[i]! - gg) * s + 2 * c * b
        p = s * r
        d[i + 1] = gg + p
        gg = c * r - b
        // rotate vectors i and i + 1 (rows of z)
        const zi = i * n
        const zj = zi + n
        for (let k = 0; k < n; k++) {
          const fk = z[zj + k]!
          const ek = z[zi + k]!
          z[zj + k] = s * ek + c * fk
          z[zi + k] = c * ek - s * fk
        }
      }
      if (underflow) continue
      d[l] = d[l]! - p
      e[l] = gg
      e[m] = 0
    }
  }
  return [d, z]
}
