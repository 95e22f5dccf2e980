/**
 * Eigenvectors from a real Schur form T = Z^T A Z (LAPACK's dtrevc + dgeev's normalization, in
 * float64 with complex values as (re, im) pairs): per eigenvalue, back substitution (right) or
 * forward substitution (left) through T's 1 x 1 and 2 x 2 diagonal blocks with LAPACK's choice of
 * the fixed entries, then multiplied by Z, unscaled and unpermuted by the balancing, scaled to unit 2-norm and,
 * for complex eigenvalues, rotated so that the entry of largest magnitude is real (keeping the
 * sign of its real part, as dlartg does). The second eigenvalue of a conjugate pair gets the
 * conjugate vector.
 */

import { type Balancing, unpermute } from "./eig-balance.js"

const ULP = 2 ** -52
const SMLNUM = 2 ** -1022 * (1 / ULP)

/** (a + ib) / (c + id) into out[o], out[o + 1]; a divisor below `smin` in magnitude is replaced by smin. */
const cdiv = (a: number, b: number, c0: number, d: number, smin: number, out: Float64Array, o: number): void => {
  let c = c0
  if (Math.hypot(c, d) < smin) c = smin
  if (Math.abs(c) >= Math.abs(d)) {
    const r = d / c
    const den = c + d * r
    out[o] = (a + b * r) / den
    out[o + 1] = (b - a * r) / den
  } else {
    const r = c / d
    const den = c * r + d
    out[o] = (a * r + b) / den
    out[o + 1] = (b * r - a) / den
  }
}

/**
 * Solve the complex 2 x 2 system [[p - lam, q], [r, s - lam]] x = (b1, b2) (Cramer's rule) into
 * x at indices i1 and i2 of the interleaved x.
 */
const solve2 = (p: number, q: number, r: number, s: number, lr: number, li: number, b: Float64Array, i1: number, i2: number, smin: number): void => {
  // det = (p - lam)(s - lam) - q r
  const ar = p - lr
  const dr = s - lr
  const detr = ar * dr - li * li - q * r
  const deti = -ar * li - dr * li
  const b1r = b[2 * i1]!
  const b1i = b[2 * i1 + 1]!
  const b2r = b[2 * i2]!
  const b2i = b[2 * i2 + 1]!
  // x1 = ((s - lam) b1 - q b2) / det, x2 = ((p - lam) b2 - r b1) / det
  const n1r = dr * b1r + li * b1i - q * b2r
  const n1i = dr * b1i - li * b1r - q * b2i
  const n2r = ar * b2r + li * b2i - r * b1r
  const n2i = ar * b2i - li * b2r - r * b1i
  cdiv(n1r, n1i, detr, deti, smin, b, 2 * i1)
  cdiv(n2r, n2i, detr, deti, smin, b, 2 * i2)
}

/** Right eigenvector of T for eigenvalue k (complex x, length n, interleaved). */
const rightOfT = (t: Float64Array, n: number, wr: Float64Array, wi: Float64Array, k: number): Float64Array => {
  const T = (r: number, c: number) => t[r * n + c]!
  const x = new Float64Array(2 * n)
  const lr = wr[k]!
  const li = wi[k]!
  const smin = Math.max(ULP * (Math.abs(lr) + Math.abs(li)), SMLNUM)
  let top: number
  if (li === 0) {
    x[2 * k] = 1
    top = k - 1
  } else {
    // the pair (k, k + 1), k the one with positive imaginary part
    if (Math.abs(T(k, k + 1)) >= Math.abs(T(k + 1, k))) {
      x[2 * k] = 1
      x[2 * (k + 1) + 1] = li / T(k, k + 1)
    } else {
      x[2 * k] = -li / T(k + 1, k)
      x[2 * (k + 1) + 1] = 1
    }
    top = k - 1
  }
  const last = li === 0 ? k : k + 1
  const rhs = (j: number) => {
    let sr = 0
    let si = 0
    for (let l = j + 1; l <= last; l++) {
      sr -= T(j, l) * x[2 * l]!
      si -= T(j, l) * x[2 * l + 1]!
    }
    x[2 * j] = sr
    x[2 * j + 1] = si
  }
  for (let j = top; j >= 0; j--) {
    if (j > 0 && wi[j]! < 0) {
      // 2 x 2 block (j - 1, j)
      rhs(j)
      const r1 = [x[2 * j]!, x[2 * j + 1]!]
      rhs(j - 1)
      // rhs(j - 1) included T(j - 1, j) x(j) with x(j) = its rhs: recompute without it
      x[2 * (j - 1)] = x[2 * (j - 1)]! + T(j - 1, j) * r1[0]!
      x[2 * (j - 1) + 1] = x[2 * (j - 1) + 1]! + T(j - 1, j) * r1[1]!
      x[2 * j] = r1[0]!
      x[2 * j + 1] = r1[1]!
      solve2(T(j - 1, j - 1), T(j - 1, j), T(j, j - 1), T(j, j), lr, li, x, j - 1, j, smin)
      j--
    } else {
      rhs(j)
      cdiv(x[2 * j]!, x[2 * j + 1]!, T(j, j) - lr, -li, smin, x, 2 * j)
    }
  }
  return x
}

/** Left eigenvector of T for eigenvalue k: u with u^H T = lam u^H (complex, interleaved). */
const leftOfT = (t: Float64Array, n: number, wr: Float64Array, wi: Float64Array, k: number): Float64Array => {
  const T = (r: number, c: number) => t[r * n + c]!
  // w = conj(u) solves (T^T - lam) w = 0, forward from k
  const w = new Float64Array(2 * n)
  const lr = wr[k]!
  const li = wi[k]!
  const smin = Math.max(ULP * (Math.abs(lr) + Math.abs(li)), SMLNUM)
  let first: number
  if (li === 0) {
    w[2 * k] = 1
    first = k + 1
  } else {
    if (Math.abs(T(k, k + 1)) >= Math.abs(T(k + 1, k))) {
      w[2 * k] = li / T(k, k + 1)
      w[2 * (k + 1) + 1] = -1
    } else {
      w[2 * k] = 1
      w[2 * (k + 1) + 1] = li / T(k + 1, k)
    }
    first = k + 2
  }
  const rhs = (j: number) => {
    let sr = 0
    let si = 0
    for (let l = k; l < j; l++) {
      sr -= T(l, j) * w[2 * l]!
      si -= T(l, j) * w[2 * l + 1]!
    }
    w[2 * j] = sr
    w[2 * j + 1] = si
  }
  for (let j = first; j < n; j++) {
    if (j + 1 < n && wi[j]! > 0) {
      rhs(j)
      rhs(j + 1)
      // rhs(j + 1) summed l < j + 1, which includes l = j (not yet known): remove T(j, j+1) w(j)
      w[2 * (j + 1)] = w[2 * (j + 1)]! + T(j, j + 1) * w[2 * j]!
      w[2 * (j + 1) + 1] = w[2 * (j + 1) + 1]! + T(j, j + 1) * w[2 * j + 1]!
      solve2(T(j, j), T(j + 1, j), T(j, j + 1), T(j + 1, j + 1), lr, li, w, j, j + 1, smin)
      j++
    } else {
      rhs(j)
      cdiv(w[2 * j]!, w[2 * j + 1]!, T(j, j) - lr, -li, smin, w, 2 * j)
    }
  }
  for (let j = 0; j < n; j++) w[2 * j + 1] = -w[2 * j + 1]!
  return w
}

/** z y (z real n x n row-major, y complex), each row times rowScale[i] (or divided with `divide`). */
const backTransform = (z: Float64Array, y: Float64Array, n: number, rowScale: Float64Array, divide: boolean): Float64Array => {
  const x = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    let sr = 0
    let si = 0
    for (let l = 0; l < n; l++) {
      sr += z[i * n + l]! * y[2 * l]!
      si += z[i * n + l]! * y[2 * l + 1]!
    }
    const f = divide ? 1 / rowScale[i]! : rowScale[i]!
    x[2 * i] = sr * f
    x[2 * i + 1] = si * f
  }
  return x
}

/** Unit 2-norm; for a complex eigenvalue also the largest entry made real with the sign of its real part. */
const normalize = (x: Float64Array, n: number, complex: boolean): void => {
  let s = 0
  let big = -1
  let at = 0
  for (let i = 0; i < n; i++) {
    const m = x[2 * i]! ** 2 + x[2 * i + 1]! ** 2
    s += m
    if (m > big) {
      big = m
      at = i
    }
  }
  const norm = Math.sqrt(s)
  if (norm === 0) return
  let cr = 1 / norm
  let ci = 0
  if (complex) {
    const re = x[2 * at]!
    const im = x[2 * at + 1]!
    const mag = Math.hypot(re, im)
    if (mag > 0) {
      const r = re >= 0 ? mag : -mag
      cr = re / r / norm
      ci = -im / r / norm
    }
  }
  for (let i = 0; i < n; i++) {
    const re = x[2 * i]!
    const im = x[2 * i + 1]!
    x[2 * i] = re * cr - im * ci
    x[2 * i + 1] = re * ci + im * cr
  }
  if (complex) x[2 * at + 1] = 0
}

/**
 * Eigenvectors of A from its Schur form: columns of an n x n complex matrix (row-major,
 * interleaved), right ones (`left` false) or left ones.
 */
export const schurEigenvectors = (
  t: Float64Array,
  z: Float64Array,
  n: number,
  wr: Float64Array,
  wi: Float64Array,
  bal: Balancing,
  left: boolean
): Float64Array => {
  const out = new Float64Array(2 * n * n)
  for (let k = 0; k < n; k++) {
    const pairSecond = wi[k]! < 0
    const src = pairSecond ? k - 1 : k
    const y = left ? leftOfT(t, n, wr, wi, src) : rightOfT(t, n, wr, wi, src)
    const x = backTransform(z, y, n, bal.scale, left)
    unpermute(x, bal, 2)
    normalize(x, n, wi[src]! !== 0)
    for (let i = 0; i < n; i++) {
      out[2 * (i * n + k)] = x[2 * i]!
      out[2 * (i * n + k) + 1] = pairSecond ? -x[2 * i + 1]! : x[2 * i + 1]!
    }
  }
  return out
}
