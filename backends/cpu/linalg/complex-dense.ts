/**
 * The direct complex factorizations and solves of one matrix (float64, row-major, interleaved
 * (re, im) entries), as LAPACK's complex routines compute them on JAX's CPU: zpotrf (Cholesky of a
 * Hermitian matrix from its lower triangle, the diagonal's real parts), ztrsm (triangular solves
 * with transpose and conjugate), zgetrf (partial pivoting on |re| + |im|, as izamax) and gtsv's
 * elimination for tridiagonal systems. Each mirrors the real routine of the same name in this
 * folder; linalg-parts.ts runs them on the batches.
 */

/** L (lower, zeros above) with L L^H = A, or null when A is not positive definite. */
export const zcholesky = (a: Float64Array, n: number): Float64Array | null => {
  const L = new Float64Array(2 * n * n)
  for (let j = 0; j < n; j++) {
    let s = a[2 * (j * n + j)]!
    for (let k = 0; k < j; k++) s -= L[2 * (j * n + k)]! ** 2 + L[2 * (j * n + k) + 1]! ** 2
    if (!(s > 0)) return null
    const d = Math.sqrt(s)
    L[2 * (j * n + j)] = d
    for (let i = j + 1; i < n; i++) {
      let tr = a[2 * (i * n + j)]!
      let ti = a[2 * (i * n + j) + 1]!
      for (let k = 0; k < j; k++) {
        // t -= L[i, k] conj(L[j, k])
        const xr = L[2 * (i * n + k)]!
        const xi = L[2 * (i * n + k) + 1]!
        const yr = L[2 * (j * n + k)]!
        const yi = L[2 * (j * n + k) + 1]!
        tr -= xr * yr + xi * yi
        ti -= xi * yr - xr * yi
      }
      L[2 * (i * n + j)] = tr / d
      L[2 * (i * n + j) + 1] = ti / d
    }
  }
  return L
}

export interface TriangularFlags {
  readonly leftSide: boolean
  readonly lower: boolean
  readonly transposeA: boolean
  readonly conjugateA: boolean
  readonly unitDiagonal: boolean
}

/** Complex division (re, im) / (dr, di) into out[o], out[o + 1], with Smith's scaling. */
const divInto = (out: Float64Array, o: number, re: number, im: number, dr: number, di: number): void => {
  if (Math.abs(dr) >= Math.abs(di)) {
    const r = di / dr
    const d = dr + di * r
    out[o] = (re + im * r) / d
    out[o + 1] = (im - re * r) / d
  } else {
    const r = dr / di
    const d = dr * r + di
    out[o] = (re * r + im) / d
    out[o + 1] = (im * r - re) / d
  }
}

/**
 * X with op(A) X = B (leftSide; B m x r) or X op(A) = B (B r x m), A m x m triangular (the named
 * triangle read, the diagonal taken as ones with unitDiagonal), op transposing and/or conjugating.
 */
export const ztrsm = (a: Float64Array, b: Float64Array, m: number, r: number, f: TriangularFlags): Float64Array => {
  // M = op(A) restricted to A's triangle, then (right side) transposed once more, so that every
  // case is a left solve M Y = C with M lower or upper: X op(A) = B <=> op(A)^T X^T = B^T.
  const M = new Float64Array(2 * m * m)
  const sgn = f.conjugateA ? -1 : 1
  const flip = f.transposeA !== !f.leftSide
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      const inTri = f.lower ? j <= i : j >= i
      if (!inTri) continue
      const [p, q] = flip ? [j, i] : [i, j]
      M[2 * (p * m + q)] = i === j && f.unitDiagonal ? 1 : a[2 * (i * m + j)]!
      M[2 * (p * m + q) + 1] = i === j && f.unitDiagonal ? 0 : sgn * a[2 * (i * m + j) + 1]!
    }
  const lowerM = f.lower !== flip
  // C: m rows of r right-hand sides.
  const C = new Float64Array(2 * m * r)
  for (let i = 0; i < m; i++)
    for (let k = 0; k < r; k++) {
      const src = f.leftSide ? i * r + k : k * m + i
      C[2 * (i * r + k)] = b[2 * src]!
      C[2 * (i * r + k) + 1] = b[2 * src + 1]!
    }
  for (let t = 0; t < m; t++) {
    const i = lowerM ? t : m - 1 - t
    const dr = M[2 * (i * m + i)]!
    const di = M[2 * (i * m + i) + 1]!
    for (let k = 0; k < r; k++) {
      let sr = C[2 * (i * r + k)]!
      let si = C[2 * (i * r + k) + 1]!
      for (let u = lowerM ? 0 : i + 1; lowerM ? u < i : u < m; u++) {
        const mr = M[2 * (i * m + u)]!
        const mi = M[2 * (i * m + u) + 1]!
        const xr = C[2 * (u * r + k)]!
        const xi = C[2 * (u * r + k) + 1]!
        sr -= mr * xr - mi * xi
        si -= mr * xi + mi * xr
      }
      divInto(C, 2 * (i * r + k), sr, si, dr, di)
    }
  }
  if (f.leftSide) return C
  const X = new Float64Array(2 * m * r)
  for (let i = 0; i < m; i++)
    for (let k = 0; k < r; k++) {
      X[2 * (k * m + i)] = C[2 * (i * r + k)]!
      X[2 * (k * m + i) + 1] = C[2 * (i * r + k) + 1]!
    }
  return X
}

/**
 * zgetrf in place on an m x n matrix: pivots (k of them: row j swapped with pivots[j]) and the
 * permutation of the rows (P A's rows in A's order). The pivot is the first row of largest
 * |re| + |im| (LAPACK's izamax); a zero pivot leaves its column unscaled.
 */
export const zlu = (w: Float64Array, m: number, n: number, piv: Int32Array, pivOff: number, perm: Int32Array, permOff: number): void => {
  for (let i = 0; i < m; i++) perm[permOff + i] = i
  for (let j = 0; j < Math.min(m, n); j++) {
    let best = j
    let mag = -1
    for (let i = j; i < m; i++) {
      const v = Math.abs(w[2 * (i * n + j)]!) + Math.abs(w[2 * (i * n + j) + 1]!)
      if (v > mag) {
        mag = v
        best = i
      }
    }
    piv[pivOff + j] = best
    if (best !== j) {
      for (let c = 0; c < 2 * n; c++) {
        const t = w[2 * j * n + c]!
        w[2 * j * n + c] = w[2 * best * n + c]!
        w[2 * best * n + c] = t
      }
      const t = perm[permOff + j]!
      perm[permOff + j] = perm[permOff + best]!
      perm[permOff + best] = t
    }
    const dr = w[2 * (j * n + j)]!
    const di = w[2 * (j * n + j) + 1]!
    if (dr === 0 && di === 0) continue
    for (let i = j + 1; i < m; i++) {
      divInto(w, 2 * (i * n + j), w[2 * (i * n + j)]!, w[2 * (i * n + j) + 1]!, dr, di)
      const fr = w[2 * (i * n + j)]!
      const fi = w[2 * (i * n + j) + 1]!
      if (fr === 0 && fi === 0) continue
      for (let c = j + 1; c < n; c++) {
        const ur = w[2 * (j * n + c)]!
        const ui = w[2 * (j * n + c) + 1]!
        w[2 * (i * n + c)] = w[2 * (i * n + c)]! - (fr * ur - fi * ui)
        w[2 * (i * n + c) + 1] = w[2 * (i * n + c) + 1]! - (fr * ui + fi * ur)
      }
    }
  }
}

/**
 * The tridiagonal system (dl, d, du) x = b (b m x r) by the Thomas algorithm, as the real
 * tridiagonal_solve (no pivoting); dl[0] and du[m-1] are ignored. b is overwritten with x.
 */
export const ztridiagonal = (dl: Float64Array, d: Float64Array, du: Float64Array, x: Float64Array, m: number, r: number): void => {
  const c = new Float64Array(2 * Math.max(m, 1))
  const den = new Float64Array(2)
  for (let i = 0; i < m; i++) {
    // denom = d[i] - dl[i] c[i-1]
    let er = d[2 * i]!
    let ei = d[2 * i + 1]!
    if (i > 0) {
      er -= dl[2 * i]! * c[2 * i - 2]! - dl[2 * i + 1]! * c[2 * i - 1]!
      ei -= dl[2 * i]! * c[2 * i - 1]! + dl[2 * i + 1]! * c[2 * i - 2]!
    }
    den[0] = er
    den[1] = ei
    if (i < m - 1) divInto(c, 2 * i, du[2 * i]!, du[2 * i + 1]!, er, ei)
    for (let k = 0; k < r; k++) {
      let sr = x[2 * (i * r + k)]!
      let si = x[2 * (i * r + k) + 1]!
      if (i > 0) {
        const pr = x[2 * ((i - 1) * r + k)]!
        const pi = x[2 * ((i - 1) * r + k) + 1]!
        sr -= dl[2 * i]! * pr - dl[2 * i + 1]! * pi
        si -= dl[2 * i]! * pi + dl[2 * i + 1]! * pr
      }
      divInto(x, 2 * (i * r + k), sr, si, den[0], den[1])
    }
  }
  for (let i = m - 2; i >= 0; i--) {
    const cr = c[2 * i]!
    const ci = c[2 * i + 1]!
    for (let k = 0; k < r; k++) {
      const nr = x[2 * ((i + 1) * r + k)]!
      const ni = x[2 * ((i + 1) * r + k) + 1]!
      x[2 * (i * r + k)] = x[2 * (i * r + k)]! - (cr * nr - ci * ni)
      x[2 * (i * r + k) + 1] = x[2 * (i * r + k) + 1]! - (cr * ni + ci * nr)
    }
  }
}
