/**
 * The real Schur form of an upper Hessenberg matrix by the Francis double-shift QR iteration,
 * following LAPACK's dlahqr (float64, row-major): deflation with the Ahues-Tisseur test,
 * exceptional shifts every 10 iterations without deflation, each converged 2 x 2 block put in
 * standard form by dlanv2 (equal diagonal and complex eigenvalues, or triangular with real ones).
 * The eigenvalues stay where they converge on the diagonal, which gives LAPACK's order.
 */
import { larfg } from "./eig-hessenberg.js"

const EPS = 2 ** -53
const ULP = 2 ** -52
const SAFMIN = 2 ** -1022
const sign = (a: number, b: number): number => (b >= 0 ? Math.abs(a) : -Math.abs(a))

export interface Standard2x2 {
  a: number
  b: number
  c: number
  d: number
  rt1r: number
  rt1i: number
  rt2r: number
  rt2i: number
  cs: number
  sn: number
}

/** LAPACK's dlanv2: the standardized Schur factorization of a real 2 x 2 matrix [[a, b], [c, d]]. */
export const lanv2 = (a0: number, b0: number, c0: number, d0: number): Standard2x2 => {
  let a = a0
  let b = b0
  let c = c0
  let d = d0
  let cs = 1
  let sn = 0
  if (c === 0) {
    // already triangular
  } else if (b === 0) {
    cs = 0
    sn = 1
    const t = d
    d = a
    a = t
    b = -c
    c = 0
  } else if (a - d === 0 && Math.sign(b) !== Math.sign(c)) {
    // standard complex block
  } else {
    const temp = a - d
    let p = 0.5 * temp
    const bcmax = Math.max(Math.abs(b), Math.abs(c))
    const bcmis = Math.min(Math.abs(b), Math.abs(c)) * sign(1, b) * sign(1, c)
    let scale = Math.max(Math.abs(p), bcmax)
    let z = (p / scale) * p + (bcmax / scale) * bcmis
    if (z >= 4 * EPS) {
      z = p + sign(Math.sqrt(scale) * Math.sqrt(z), p)
      a = d + z
      d = d - (bcmax / z) * bcmis
      const tau = Math.hypot(c, z)
      cs = z / tau
      sn = c / tau
      b = b - c
      c = 0
    } else {
      const sigma = b + c
      scale = Math.max(Math.abs(temp), Math.abs(sigma))
      p = 0.5 * temp
      let tau = Math.hypot(sigma, temp)
      cs = Math.sqrt(0.5 * (1 + Math.abs(sigma) / tau))
      sn = -(p / (tau * cs)) * sign(1, sigma)
      const aa = a * cs + b * sn
      const bb = -a * sn + b * cs
      const cc = c * cs + d * sn
      const dd = -c * sn + d * cs
      a = aa * cs + cc * sn
      b = bb * cs + dd * sn
      c = -aa * sn + cc * cs
      d = -bb * sn + dd * cs
      const mid = 0.5 * (a + d)
      a = mid
      d = mid
      if (c !== 0) {
        if (b !== 0) {
          if (Math.sign(b) === Math.sign(c)) {
            const sab = Math.sqrt(Math.abs(b))
            const sac = Math.sqrt(Math.abs(c))
            p = sign(sab * sac, c)
            tau = 1 / Math.sqrt(Math.abs(b + c))
            a = mid + p
            d = mid - p
            b = b - c
            c = 0
            const cs1 = sab * tau
            const sn1 = sac * tau
            const t = cs * cs1 - sn * sn1
            sn = cs * sn1 + sn * cs1
            cs = t
          }
        } else {
          b = -c
          c = 0
          const t = cs
          cs = -sn
          sn = t
        }
      }
    }
  }
  const rt1i = c === 0 ? 0 : Math.sqrt(Math.abs(b)) * Math.sqrt(Math.abs(c))
  return { a, b, c, d, rt1r: a, rt1i, rt2r: d, rt2i: c === 0 ? 0 : -rt1i, cs, sn }
}

/** Rows r1, r2 of x (row-major, n columns) over columns [c0, c1): (x, y) <- (cs x + sn y, cs y - sn x). */
const rotRows = (x: Float64Array, n: number, r1: number, r2: number, c0: number, c1: number, cs: number, sn: number) => {
  for (let j = c0; j < c1; j++) {
    const u = x[r1 * n + j]!
    const v = x[r2 * n + j]!
    x[r1 * n + j] = cs * u + sn * v
    x[r2 * n + j] = cs * v - sn * u
  }
}
const rotCols = (x: Float64Array, n: number, k1: number, k2: number, r0: number, r1: number, cs: number, sn: number) => {
  for (let i = r0; i < r1; i++) {
    const u = x[i * n + k1]!
    const v = x[i * n + k2]!
    x[i * n + k1] = cs * u + sn * v
    x[i * n + k2] = cs * v - sn * u
  }
}

/**
 * h (upper Hessenberg) becomes its real Schur form T and z (n x n, the accumulated Schur
 * vectors) is multiplied on the right by the orthogonal transformations; returns the eigenvalues
 * (wr, wi), or null if the iteration did not converge.
 */
export const francisSchur = (h: Float64Array, z: Float64Array, n: number): { wr: Float64Array; wi: Float64Array } | null => {
  const wr = new Float64Array(n)
  const wi = new Float64Array(n)
  const H = (r: number, c: number) => h[r * n + c]!
  const set = (r: number, c: number, v: number) => (h[r * n + c] = v)
  for (let j = 0; j + 3 < n; j++) {
    set(j + 2, j, 0)
    set(j + 3, j, 0)
  }
  if (n >= 3) set(n - 1, n - 3, 0)
  const smlnum = SAFMIN * (n / ULP)
  const itmax = 30 * Math.max(10, n)
  let kdefl = 0
  let i = n - 1
  const v = new Float64Array(3)
  while (i >= 0) {
    let l = 0
    let converged = false
    for (let its = 0; its <= itmax; its++) {
      let k = i
      for (; k > l; k--) {
        if (Math.abs(H(k, k - 1)) <= smlnum) break
        let tst = Math.abs(H(k - 1, k - 1)) + Math.abs(H(k, k))
        if (tst === 0) {
          if (k - 2 >= l) tst += Math.abs(H(k - 1, k - 2))
          if (k + 1 <= i) tst += Math.abs(H(k + 1, k))
        }
        if (Math.abs(H(k, k - 1)) <= ULP * tst) {
          const ab = Math.max(Math.abs(H(k, k - 1)), Math.abs(H(k - 1, k)))
          const ba = Math.min(Math.abs(H(k, k - 1)), Math.abs(H(k - 1, k)))
          const aa = Math.max(Math.abs(H(k, k)), Math.abs(H(k - 1, k - 1) - H(k, k)))
          const bb = Math.min(Math.abs(H(k, k)), Math.abs(H(k - 1, k - 1) - H(k, k)))
          const s = aa + ab
          if (ba * (ab / s) <= Math.max(smlnum, ULP * (bb * (aa / s)))) break
        }
      }
      l = k
      if (l > 0) set(l, l - 1, 0)
      if (l >= i - 1) {
        converged = true
        break
      }
      kdefl++
      let h11: number
      let h12: number
      let h21: number
      let h22: number
      if (kdefl % 20 === 0) {
        const s = Math.abs(H(i, i - 1)) + Math.abs(H(i - 1, i - 2))
        h11 = 0.75 * s + H(i, i)
        h12 = -0.4375 * s
        h21 = s
        h22 = h11
      } else if (kdefl % 10 === 0) {
        const s = Math.abs(H(l + 1, l)) + Math.abs(H(l + 2, l + 1))
        h11 = 0.75 * s + H(l, l)
        h12 = -0.4375 * s
        h21 = s
        h22 = h11
      } else {
        h11 = H(i - 1, i - 1)
        h21 = H(i, i - 1)
        h12 = H(i - 1, i)
        h22 = H(i, i)
      }
      let rt1r = 0
      let rt1i = 0
      let rt2r = 0
      let rt2i = 0
      const s0 = Math.abs(h11) + Math.abs(h12) + Math.abs(h21) + Math.abs(h22)
      if (s0 !== 0) {
        h11 /= s0
        h21 /= s0
        h12 /= s0
        h22 /= s0
        const tr = (h11 + h22) / 2
        const det = (h11 - tr) * (h22 - tr) - h12 * h21
        const rtdisc = Math.sqrt(Math.abs(det))
        if (det >= 0) {
          rt1r = tr * s0
          rt2r = rt1r
          rt1i = rtdisc * s0
          rt2i = -rt1i
        } else {
          rt1r = tr + rtdisc
          rt2r = tr - rtdisc
          if (Math.abs(rt1r - h22) <= Math.abs(rt2r - h22)) {
            rt1r *= s0
            rt2r = rt1r
          } else {
            rt2r *= s0
            rt1r = rt2r
          }
        }
      }
      // two consecutive small subdiagonals
      let m = i - 2
      for (; m >= l; m--) {
        let h21s = H(m + 1, m)
        let s = Math.abs(H(m, m) - rt2r) + Math.abs(rt2i) + Math.abs(h21s)
        h21s = H(m + 1, m) / s
        v[0] = h21s * H(m, m + 1) + (H(m, m) - rt1r) * ((H(m, m) - rt2r) / s) - rt1i * (rt2i / s)
        v[1] = h21s * (H(m, m) + H(m + 1, m + 1) - rt1r - rt2r)
        v[2] = h21s * H(m + 2, m + 1)
        s = Math.abs(v[0]) + Math.abs(v[1]) + Math.abs(v[2])
        v[0] /= s
        v[1] /= s
        v[2] /= s
        if (m === l) break
        const h00 = Math.abs(H(m, m - 1)) * (Math.abs(v[1]) + Math.abs(v[2]))
        const h01 = Math.abs(v[0]) * (Math.abs(H(m - 1, m - 1)) + Math.abs(H(m, m)) + Math.abs(H(m + 1, m + 1)))
        if (h00 <= ULP * h01) break
      }
      // the double-shift QR step (wantt: the whole rows and columns)
      for (let kk = m; kk <= i - 1; kk++) {
        const nr = Math.min(3, i - kk + 1)
        if (kk > m) for (let r = 0; r < nr; r++) v[r] = H(kk + r, kk - 1)
        const t1 = larfg(v, nr)
        if (kk > m) {
          set(kk, kk - 1, v[0]!)
          set(kk + 1, kk - 1, 0)
          if (kk < i - 1) set(kk + 2, kk - 1, 0)
        } else if (m > l) {
          set(kk, kk - 1, H(kk, kk - 1) * (1 - t1))
        }
        const v2 = v[1]!
        const t2 = t1 * v2
        if (nr === 3) {
          const v3 = v[2]!
          const t3 = t1 * v3
          for (let j = kk; j < n; j++) {
            const sum = H(kk, j) + v2 * H(kk + 1, j) + v3 * H(kk + 2, j)
            set(kk, j, H(kk, j) - sum * t1)
            set(kk + 1, j, H(kk + 1, j) - sum * t2)
            set(kk + 2, j, H(kk + 2, j) - sum * t3)
          }
          for (let j = 0; j <= Math.min(kk + 3, i); j++) {
            const sum = H(j, kk) + v2 * H(j, kk + 1) + v3 * H(j, kk + 2)
            set(j, kk, H(j, kk) - sum * t1)
            set(j, kk + 1, H(j, kk + 1) - sum * t2)
            set(j, kk + 2, H(j, kk + 2) - sum * t3)
          }
          for (let j = 0; j < n; j++) {
            const sum = z[j * n + kk]! + v2 * z[j * n + kk + 1]! + v3 * z[j * n + kk + 2]!
            z[j * n + kk] = z[j * n + kk]! - sum * t1
            z[j * n + kk + 1] = z[j * n + kk + 1]! - sum * t2
            z[j * n + kk + 2] = z[j * n + kk + 2]! - sum * t3
          }
        } else if (nr === 2) {
          for (let j = kk; j < n; j++) {
            const sum = H(kk, j) + v2 * H(kk + 1, j)
            set(kk, j, H(kk, j) - sum * t1)
            set(kk + 1, j, H(kk + 1, j) - sum * t2)
          }
          for (let j = 0; j <= i; j++) {
            const sum = H(j, kk) + v2 * H(j, kk + 1)
            set(j, kk, H(j, kk) - sum * t1)
            set(j, kk + 1, H(j, kk + 1) - sum * t2)
          }
          for (let j = 0; j < n; j++) {
            const sum = z[j * n + kk]! + v2 * z[j * n + kk + 1]!
            z[j * n + kk] = z[j * n + kk]! - sum * t1
            z[j * n + kk + 1] = z[j * n + kk + 1]! - sum * t2
          }
        }
      }
    }
    if (!converged) return null
    if (l === i) {
      wr[i] = H(i, i)
      wi[i] = 0
    } else {
      const s = lanv2(H(i - 1, i - 1), H(i - 1, i), H(i, i - 1), H(i, i))
      set(i - 1, i - 1, s.a)
      set(i - 1, i, s.b)
      set(i, i - 1, s.c)
      set(i, i, s.d)
      wr[i - 1] = s.rt1r
      wi[i - 1] = s.rt1i
      wr[i] = s.rt2r
      wi[i] = s.rt2i
      rotRows(h, n, i - 1, i, i + 1, n, s.cs, s.sn)
      rotCols(h, n, i - 1, i, 0, i - 1, s.cs, s.sn)
      rotCols(z, n, i - 1, i, 0, n, s.cs, s.sn)
    }
    kdefl = 0
    i = l - 1
  }
  return { wr, wi }
}
