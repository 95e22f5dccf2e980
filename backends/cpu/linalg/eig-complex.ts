/**
 * eig of one complex n x n matrix as LAPACK's zgeev computes it (float64, matrices row-major with
 * interleaved (re, im) entries): zgebal's balancing (eig-balance.ts), Householder reduction to Hessenberg form
 * (zgehrd/zunghr), the single-shift complex QR iteration of zlahqr (real subdiagonal, Wilkinson
 * shifts, exceptional shifts every 10 iterations without deflation) to the Schur form T, then
 * eigenvectors by substitution in T (ztrevc), multiplied by the Schur vectors, unscaled, and
 * unpermuted, normalized to unit 2-norm with the largest entry real and positive.
 */
import { type Balancing, gebal, unpermute } from "./eig-balance.js"
import { cabs1, type C, cdiv, cmul, conj, csqrt, mat, zlarfg } from "./complex-scalar.js"
import type { EigResult } from "./eig-real.js"

const ULP = 2 ** -52
const SAFMIN = 2 ** -1022

/** a becomes H = Q^H a Q (upper Hessenberg); returns Q. */
export const hessenberg = (a: Float64Array, n: number): Float64Array => {
  const A = mat(a, n)
  const q = new Float64Array(2 * n * n)
  const Q = mat(q, n)
  for (let i = 0; i < n; i++) Q.set(i, i, [1, 0])
  const refl: Array<{ i: number; tau: C; v: Float64Array }> = []
  for (let i = 0; i + 2 < n; i++) {
    const len = n - i - 1
    const v = new Float64Array(2 * len)
    for (let r = 0; r < len; r++) [v[2 * r], v[2 * r + 1]] = A.get(i + 1 + r, i)
    const tau = zlarfg(v, len)
    A.set(i + 1, i, [v[0]!, v[1]!])
    for (let r = 1; r < len; r++) A.set(i + 1 + r, i, [0, 0])
    v[0] = 1
    v[1] = 0
    refl.push({ i, tau, v })
    if (tau[0] === 0 && tau[1] === 0) continue
    const vi = (r: number): C => [v[2 * r]!, v[2 * r + 1]!]
    // right: A[:, i+1:] -= tau (A[:, i+1:] v) v^H
    for (let r = 0; r < n; r++) {
      let s: C = [0, 0]
      for (let c = 0; c < len; c++) {
        const p = cmul(A.get(r, i + 1 + c), vi(c))
        s = [s[0] + p[0], s[1] + p[1]]
      }
      const f = cmul(tau, s)
      for (let c = 0; c < len; c++) {
        const p = cmul(f, conj(vi(c)))
        const x = A.get(r, i + 1 + c)
        A.set(r, i + 1 + c, [x[0] - p[0], x[1] - p[1]])
      }
    }
    // left: A[i+1:, i+1:] -= conj(tau) v (v^H A[i+1:, i+1:])
    for (let c = i + 1; c < n; c++) {
      let s: C = [0, 0]
      for (let r = 0; r < len; r++) {
        const p = cmul(conj(vi(r)), A.get(i + 1 + r, c))
        s = [s[0] + p[0], s[1] + p[1]]
      }
      const f = cmul(conj(tau), s)
      for (let r = 0; r < len; r++) {
        const p = cmul(vi(r), f)
        const x = A.get(i + 1 + r, c)
        A.set(i + 1 + r, c, [x[0] - p[0], x[1] - p[1]])
      }
    }
  }
  for (let k = refl.length - 1; k >= 0; k--) {
    const { i, tau, v } = refl[k]!
    if (tau[0] === 0 && tau[1] === 0) continue
    const len = v.length / 2
    for (let c = i + 1; c < n; c++) {
      let s: C = [0, 0]
      for (let r = 0; r < len; r++) {
        const p = cmul([v[2 * r]!, -v[2 * r + 1]!], Q.get(i + 1 + r, c))
        s = [s[0] + p[0], s[1] + p[1]]
      }
      const f = cmul(tau, s)
      for (let r = 0; r < len; r++) {
        const p = cmul([v[2 * r]!, v[2 * r + 1]!], f)
        const x = Q.get(i + 1 + r, c)
        Q.set(i + 1 + r, c, [x[0] - p[0], x[1] - p[1]])
      }
    }
  }
  return q
}

/** Scale row r over columns [c0, c1) by s. */
const scaleRow = (x: Float64Array, n: number, r: number, c0: number, c1: number, s: C) => {
  const X = mat(x, n)
  for (let c = c0; c < c1; c++) X.set(r, c, cmul(X.get(r, c), s))
}
const scaleCol = (x: Float64Array, n: number, c: number, r0: number, r1: number, s: C) => {
  const X = mat(x, n)
  for (let r = r0; r < r1; r++) X.set(r, c, cmul(X.get(r, c), s))
}

/** zlahqr with wantt and wantz: h becomes T, z accumulates; returns the eigenvalues or null. */
export const complexSchur = (h: Float64Array, z: Float64Array, n: number): Float64Array | null => {
  const H = mat(h, n)
  const w = new Float64Array(2 * n)
  if (n === 0) return w
  for (let j = 0; j + 2 < n; j++) for (let r = j + 2; r < n; r++) H.set(r, j, [0, 0])
  for (let i = 1; i < n; i++) {
    const x = H.get(i, i - 1)
    if (x[1] !== 0) {
      let sc: C = [x[0] / cabs1(x[0], x[1]), x[1] / cabs1(x[0], x[1])]
      const m = Math.hypot(sc[0], sc[1])
      sc = [sc[0] / m, -sc[1] / m]
      H.set(i, i - 1, [Math.hypot(x[0], x[1]), 0])
      scaleRow(h, n, i, i, n, sc)
      scaleCol(h, n, i, 0, Math.min(n - 1, i + 1) + 1, conj(sc))
      scaleCol(z, n, i, 0, n, conj(sc))
    }
  }
  const smlnum = SAFMIN * (n / ULP)
  const itmax = 30 * Math.max(10, n)
  let kdefl = 0
  let i = n - 1
  const v = new Float64Array(4)
  while (i >= 0) {
    let l = 0
    let converged = false
    for (let its = 0; its <= itmax; its++) {
      let k = i
      for (; k > l; k--) {
        const hk = H.get(k, k - 1)
        if (cabs1(...hk) <= smlnum) break
        let tst = cabs1(...H.get(k - 1, k - 1)) + cabs1(...H.get(k, k))
        if (tst === 0) {
          if (k - 2 >= 0) tst += Math.abs(H.get(k - 1, k - 2)[0])
          if (k + 1 <= n - 1) tst += Math.abs(H.get(k + 1, k)[0])
        }
        if (Math.abs(hk[0]) <= ULP * tst) {
          const hkk = H.get(k, k)
          const d = H.get(k - 1, k - 1)
          const ab = Math.max(cabs1(...hk), cabs1(...H.get(k - 1, k)))
          const ba = Math.min(cabs1(...hk), cabs1(...H.get(k - 1, k)))
          const aa = Math.max(cabs1(...hkk), cabs1(d[0] - hkk[0], d[1] - hkk[1]))
          const bb = Math.min(cabs1(...hkk), cabs1(d[0] - hkk[0], d[1] - hkk[1]))
          const s = aa + ab
          if (ba * (ab / s) <= Math.max(smlnum, ULP * (bb * (aa / s)))) break
        }
      }
      l = k
      if (l > 0) H.set(l, l - 1, [0, 0])
      if (l >= i) {
        converged = true
        break
      }
      kdefl++
      let t: C
      if (kdefl % 20 === 0) {
        const s = 0.75 * Math.abs(H.get(i, i - 1)[0])
        const hii = H.get(i, i)
        t = [s + hii[0], hii[1]]
      } else if (kdefl % 10 === 0) {
        const s = 0.75 * Math.abs(H.get(l + 1, l)[0])
        const hll = H.get(l, l)
        t = [s + hll[0], hll[1]]
      } else {
        t = H.get(i, i)
        const u = cmul(csqrt(H.get(i - 1, i)), csqrt(H.get(i, i - 1)))
        let s = cabs1(...u)
        if (s !== 0) {
          const d = H.get(i - 1, i - 1)
          const x: C = [0.5 * (d[0] - t[0]), 0.5 * (d[1] - t[1])]
          const sx = cabs1(...x)
          s = Math.max(s, sx)
          const xs: C = [x[0] / s, x[1] / s]
          const us: C = [u[0] / s, u[1] / s]
          const x2 = cmul(xs, xs)
          const u2 = cmul(us, us)
          const r = csqrt([x2[0] + u2[0], x2[1] + u2[1]])
          let y: C = [s * r[0], s * r[1]]
          if (sx > 0 && (x[0] / sx) * y[0] + (x[1] / sx) * y[1] < 0) y = [-y[0], -y[1]]
          const q = cmul(u, cdiv(u, [x[0] + y[0], x[1] + y[1]]))
          t = [t[0] - q[0], t[1] - q[1]]
        }
      }
      // two consecutive small subdiagonals
      let m = i - 1
      let found = false
      for (; m >= l + 1; m--) {
        const h11 = H.get(m, m)
        const h22 = H.get(m + 1, m + 1)
        let h11s: C = [h11[0] - t[0], h11[1] - t[1]]
        let h21 = H.get(m + 1, m)[0]
        const s = cabs1(...h11s) + Math.abs(h21)
        h11s = [h11s[0] / s, h11s[1] / s]
        h21 /= s
        v[0] = h11s[0]
        v[1] = h11s[1]
        v[2] = h21
        v[3] = 0
        const h10 = H.get(m, m - 1)[0]
        if (Math.abs(h10) * Math.abs(h21) <= ULP * (cabs1(...h11s) * (cabs1(...h11) + cabs1(...h22)))) {
          found = true
          break
        }
      }
      if (!found) {
        m = l
        const h11 = H.get(l, l)
        let h11s: C = [h11[0] - t[0], h11[1] - t[1]]
        let h21 = H.get(l + 1, l)[0]
        const s = cabs1(...h11s) + Math.abs(h21)
        h11s = [h11s[0] / s, h11s[1] / s]
        h21 /= s
        v[0] = h11s[0]
        v[1] = h11s[1]
        v[2] = h21
        v[3] = 0
      }
      for (let kk = m; kk <= i - 1; kk++) {
        if (kk > m) {
          ;[v[0], v[1]] = H.get(kk, kk - 1)
          ;[v[2], v[3]] = H.get(kk + 1, kk - 1)
        }
        const t1 = zlarfg(v, 2)
        if (kk > m) {
          H.set(kk, kk - 1, [v[0]!, v[1]!])
          H.set(kk + 1, kk - 1, [0, 0])
        }
        const v2: C = [v[2]!, v[3]!]
        const t2 = cmul(t1, v2)[0]
        for (let j = kk; j < n; j++) {
          const a = cmul(conj(t1), H.get(kk, j))
          const b = H.get(kk + 1, j)
          const sum: C = [a[0] + t2 * b[0], a[1] + t2 * b[1]]
          const x = H.get(kk, j)
          H.set(kk, j, [x[0] - sum[0], x[1] - sum[1]])
          const p = cmul(sum, v2)
          H.set(kk + 1, j, [b[0] - p[0], b[1] - p[1]])
        }
        const colUpdate = (X: ReturnType<typeof mat>, j: number) => {
          const a = cmul(t1, X.get(j, kk))
          const b = X.get(j, kk + 1)
          const sum: C = [a[0] + t2 * b[0], a[1] + t2 * b[1]]
          const x = X.get(j, kk)
          X.set(j, kk, [x[0] - sum[0], x[1] - sum[1]])
          const p = cmul(sum, conj(v2))
          X.set(j, kk + 1, [b[0] - p[0], b[1] - p[1]])
        }
        for (let j = 0; j <= Math.min(kk + 2, i); j++) colUpdate(H, j)
        const Z = mat(z, n)
        for (let j = 0; j < n; j++) colUpdate(Z, j)
        if (kk === m && m > l) {
          let temp: C = [1 - t1[0], -t1[1]]
          const tm = Math.hypot(temp[0], temp[1])
          temp = [temp[0] / tm, temp[1] / tm]
          H.set(m + 1, m, cmul(H.get(m + 1, m), conj(temp)))
          if (m + 2 <= i) H.set(m + 2, m + 1, cmul(H.get(m + 2, m + 1), temp))
          for (let j = m; j <= i; j++) {
            if (j === m + 1) continue
            if (n - 1 > j) scaleRow(h, n, j, j + 1, n, temp)
            scaleCol(h, n, j, 0, j, conj(temp))
            scaleCol(z, n, j, 0, n, conj(temp))
          }
        }
      }
      const temp = H.get(i, i - 1)
      if (temp[1] !== 0) {
        const r = Math.hypot(temp[0], temp[1])
        H.set(i, i - 1, [r, 0])
        const u: C = [temp[0] / r, temp[1] / r]
        if (n - 1 > i) scaleRow(h, n, i, i + 1, n, conj(u))
        scaleCol(h, n, i, 0, i, u)
        scaleCol(z, n, i, 0, n, u)
      }
    }
    if (!converged) return null
    ;[w[2 * i], w[2 * i + 1]] = H.get(i, i)
    kdefl = 0
    i = l - 1
  }
  return w
}

/** Eigenvectors from the triangular T and Schur vectors z (ztrevc + zgeev's normalization). */
const vectors = (t: Float64Array, z: Float64Array, n: number, bal: Balancing, left: boolean): Float64Array => {
  const T = mat(t, n)
  const Z = mat(z, n)
  const out = new Float64Array(2 * n * n)
  const O = mat(out, n)
  const smlnum = SAFMIN * (n / ULP)
  for (let ki = 0; ki < n; ki++) {
    const lam = T.get(ki, ki)
    const smin = Math.max(ULP * cabs1(...lam), smlnum)
    const y: C[] = Array.from({ length: n }, () => [0, 0] as C)
    y[ki] = [1, 0]
    const diag = (k: number): C => {
      const d = T.get(k, k)
      const r: C = [d[0] - lam[0], d[1] - lam[1]]
      return cabs1(...r) < smin ? [smin, 0] : r
    }
    if (!left) {
      for (let k = ki - 1; k >= 0; k--) {
        let s: C = [-T.get(k, ki)[0], -T.get(k, ki)[1]]
        for (let l = k + 1; l < ki; l++) {
          const p = cmul(T.get(k, l), y[l]!)
          s = [s[0] - p[0], s[1] - p[1]]
        }
        y[k] = cdiv(s, diag(k))
      }
    } else {
      for (let k = ki + 1; k < n; k++) {
        let s: C = conj(T.get(ki, k))
        s = [-s[0], -s[1]]
        for (let l = ki + 1; l < k; l++) {
          const p = cmul(conj(T.get(l, k)), y[l]!)
          s = [s[0] - p[0], s[1] - p[1]]
        }
        y[k] = cdiv(s, conj(diag(k)))
      }
    }
    const x: C[] = []
    let norm2 = 0
    for (let r = 0; r < n; r++) {
      let s: C = [0, 0]
      for (let l = 0; l < n; l++) {
        const p = cmul(Z.get(r, l), y[l]!)
        s = [s[0] + p[0], s[1] + p[1]]
      }
      const f = left ? 1 / bal.scale[r]! : bal.scale[r]!
      x.push([s[0] * f, s[1] * f])
      norm2 += (s[0] * f) ** 2 + (s[1] * f) ** 2
    }
    const flat = Float64Array.from(x.flat())
    unpermute(flat, bal, 2)
    x.forEach((_, r) => (x[r] = [flat[2 * r]!, flat[2 * r + 1]!]))
    let at = 0
    let big = -1
    x.forEach((e, r) => {
      const m = e[0] * e[0] + e[1] * e[1]
      if (m > big) {
        big = m
        at = r
      }
    })
    const norm = Math.sqrt(norm2)
    const e = x[at]!
    const mag = Math.hypot(e[0], e[1])
    const f: C = mag > 0 ? [e[0] / mag / norm, -e[1] / mag / norm] : [1 / norm, 0]
    x.forEach((v, r) => O.set(r, ki, r === at ? [mag / norm, 0] : cmul(v, f)))
  }
  return out
}

/** eig of a complex matrix given as interleaved (re, im) row-major entries. */
export const eigComplex = (a0: ArrayLike<number>, n: number, left: boolean, right: boolean): EigResult => {
  const a = Float64Array.from(a0)
  const nan = (len: number) => new Float64Array(len).fill(NaN)
  const failed = { w: nan(2 * n), vl: left ? nan(2 * n * n) : null, vr: right ? nan(2 * n * n) : null }
  if (!a.every(Number.isFinite)) return failed
  const bal = gebal(a, n, 2, "B")
  const z = hessenberg(a, n)
  const w = complexSchur(a, z, n)
  if (w === null) return failed
  return { w, vl: left ? vectors(a, z, n, bal, true) : null, vr: right ? vectors(a, z, n, bal, false) : null }
}
