/**
 * Hermitian eigendecomposition and SVD of one complex matrix (float64, row-major, interleaved
 * (re, im) entries) by complex Jacobi rotations: each rotation first turns the (p, q) entry real with
 * a phase, then applies the real Jacobi rotation that annihilates it. eigh rotates the matrix from
 * both sides (two-sided Jacobi); svd rotates columns only (Hestenes' one-sided Jacobi) until they are
 * orthogonal. Results as JAX's (LAPACK's zheevd, zgesdd): real eigenvalues ascending, real singular
 * values descending, unit-norm vectors; the phase of each vector is LAPACK's own choice and not
 * reproduced (callers that compare with JAX compare phase-free quantities).
 */

const EPS = 2 ** -53

/**
 * The rotation G = diag(1, e^-i phi) [[c, s], [-s, c]] for a Hermitian 2 x 2 block
 * [[alpha, beta], [conj beta, gamma]]: G^H block G is diagonal. Returns [c, s, cos phi, sin phi].
 */
const rotation = (alpha: number, br: number, bi: number, gamma: number): [number, number, number, number] => {
  const mag = Math.hypot(br, bi)
  const tau = (gamma - alpha) / (2 * mag)
  const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau))
  const c = 1 / Math.sqrt(1 + t * t)
  return [c, t * c, br / mag, bi / mag]
}

/** Columns p, q of a row-major rows x cols matrix times G (from `rotation`). */
const rotateColumns = (X: Float64Array, rows: number, cols: number, p: number, q: number, g: [number, number, number, number]): void => {
  const [c, s, er, ei] = g
  for (let k = 0; k < rows; k++) {
    const xr = X[2 * (k * cols + p)]!
    const xi = X[2 * (k * cols + p) + 1]!
    const yr = X[2 * (k * cols + q)]!
    const yi = X[2 * (k * cols + q) + 1]!
    // y e^-i phi
    const zr = yr * er + yi * ei
    const zi = yi * er - yr * ei
    X[2 * (k * cols + p)] = c * xr - s * zr
    X[2 * (k * cols + p) + 1] = c * xi - s * zi
    X[2 * (k * cols + q)] = s * xr + c * zr
    X[2 * (k * cols + q) + 1] = s * xi + c * zi
  }
}

/** Rows p, q of a row-major n x n matrix replaced by those of G^H times it. */
const rotateRowsH = (X: Float64Array, n: number, p: number, q: number, g: [number, number, number, number]): void => {
  const [c, s, er, ei] = g
  for (let k = 0; k < n; k++) {
    const xr = X[2 * (p * n + k)]!
    const xi = X[2 * (p * n + k) + 1]!
    const yr = X[2 * (q * n + k)]!
    const yi = X[2 * (q * n + k) + 1]!
    // y e^{i phi}
    const zr = yr * er - yi * ei
    const zi = yi * er + yr * ei
    X[2 * (p * n + k)] = c * xr - s * zr
    X[2 * (p * n + k) + 1] = c * xi - s * zi
    X[2 * (q * n + k)] = s * xr + c * zr
    X[2 * (q * n + k) + 1] = s * xi + c * zi
  }
}

/** An identity of n x n complex entries. */
const identity = (n: number): Float64Array => {
  const x = new Float64Array(2 * n * n)
  for (let i = 0; i < n; i++) x[2 * (i * n + i)] = 1
  return x
}

/**
 * [V, w] of a Hermitian n x n matrix given in full (its diagonal's imaginary parts ignored): w
 * ascending, V's columns the eigenvectors. A matrix with a non-finite entry gives NaNs.
 */
export const zeigh = (a0: Float64Array, n: number): [Float64Array, Float64Array] => {
  if (!a0.every(Number.isFinite)) return [new Float64Array(2 * n * n).fill(NaN), new Float64Array(n).fill(NaN)]
  const A = Float64Array.from(a0)
  for (let i = 0; i < n; i++) A[2 * (i * n + i) + 1] = 0
  const V = identity(n)
  let frob = 0
  for (const x of A) frob += x * x
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[2 * (p * n + q)]! ** 2 + A[2 * (p * n + q) + 1]! ** 2
    if (off <= EPS * EPS * frob) break
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const br = A[2 * (p * n + q)]!
        const bi = A[2 * (p * n + q) + 1]!
        if (br === 0 && bi === 0) continue
        const g = rotation(A[2 * (p * n + p)]!, br, bi, A[2 * (q * n + q)]!)
        rotateColumns(A, n, n, p, q, g)
        rotateRowsH(A, n, p, q, g)
        rotateColumns(V, n, n, p, q, g)
        A[2 * (p * n + q)] = A[2 * (p * n + q) + 1] = A[2 * (q * n + p)] = A[2 * (q * n + p) + 1] = 0
        A[2 * (p * n + p) + 1] = A[2 * (q * n + q) + 1] = 0
      }
  }
  const order = globalThis.Array.from({ length: n }, (_, i) => i).sort((i, j) => A[2 * (i * n + i)]! - A[2 * (j * n + j)]!)
  const w = Float64Array.from(order, (i) => A[2 * (i * n + i)]!)
  const Vs = new Float64Array(2 * n * n)
  for (let r = 0; r < n; r++)
    order.forEach((src, c) => {
      Vs[2 * (r * n + c)] = V[2 * (r * n + src)]!
      Vs[2 * (r * n + c) + 1] = V[2 * (r * n + src) + 1]!
    })
  return [Vs, w]
}

/** Columns [from, to) of a row-major m x cols matrix completed to orthonormal ones against columns [0, from). */
const complete = (U: Float64Array, m: number, cols: number, from: number): void => {
  let e = 0
  for (let j = from; j < cols; j++) {
    for (; e < m; e++) {
      const x = new Float64Array(2 * m)
      x[2 * e] = 1
      for (let pass = 0; pass < 2; pass++)
        for (let c = 0; c < j; c++) {
          let dr = 0
          let di = 0
          for (let r = 0; r < m; r++) {
            const ur = U[2 * (r * cols + c)]!
            const ui = U[2 * (r * cols + c) + 1]!
            dr += ur * x[2 * r]! + ui * x[2 * r + 1]!
            di += ur * x[2 * r + 1]! - ui * x[2 * r]!
          }
          for (let r = 0; r < m; r++) {
            const ur = U[2 * (r * cols + c)]!
            const ui = U[2 * (r * cols + c) + 1]!
            x[2 * r] = x[2 * r]! - (ur * dr - ui * di)
            x[2 * r + 1] = x[2 * r + 1]! - (ur * di + ui * dr)
          }
        }
      let nrm = 0
      for (const v of x) nrm += v * v
      nrm = Math.sqrt(nrm)
      if (nrm > 0.5) {
        for (let r = 0; r < m; r++) {
          U[2 * (r * cols + j)] = x[2 * r]! / nrm
          U[2 * (r * cols + j) + 1] = x[2 * r + 1]! / nrm
        }
        e++
        break
      }
    }
  }
}

/** [s, U, V] of a tall m x n complex matrix (m >= n): s descending, U m x uc, V n x n (A = U S V^H). */
const svdTall = (a: Float64Array, m: number, n: number, uc: number): [Float64Array, Float64Array, Float64Array] => {
  const W = Float64Array.from(a)
  const V = identity(n)
  const col = (p: number, q: number): [number, number] => {
    let sr = 0
    let si = 0
    for (let r = 0; r < m; r++) {
      const xr = W[2 * (r * n + p)]!
      const xi = W[2 * (r * n + p) + 1]!
      const yr = W[2 * (r * n + q)]!
      const yi = W[2 * (r * n + q) + 1]!
      sr += xr * yr + xi * yi
      si += xr * yi - xi * yr
    }
    return [sr, si]
  }
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const alpha = col(p, p)[0]
        const gamma = col(q, q)[0]
        const [br, bi] = col(p, q)
        const mag = Math.hypot(br, bi)
        if (mag === 0 || mag <= 4 * EPS * Math.sqrt(alpha * gamma)) continue
        rotated = true
        const g = rotation(alpha, br, bi, gamma)
        rotateColumns(W, m, n, p, q, g)
        rotateColumns(V, n, n, p, q, g)
      }
    if (!rotated) break
  }
  const norms = globalThis.Array.from({ length: n }, (_, j) => Math.sqrt(col(j, j)[0]))
  const order = norms.map((_, i) => i).sort((i, j) => norms[j]! - norms[i]!)
  const s = Float64Array.from(order, (i) => norms[i]!)
  const U = new Float64Array(2 * m * uc)
  const Vs = new Float64Array(2 * n * n)
  let nonzero = 0
  order.forEach((src, c) => {
    const sv = norms[src]!
    if (sv > 0) nonzero = c + 1
    for (let r = 0; r < m; r++) {
      U[2 * (r * uc + c)] = sv > 0 ? W[2 * (r * n + src)]! / sv : 0
      U[2 * (r * uc + c) + 1] = sv > 0 ? W[2 * (r * n + src) + 1]! / sv : 0
    }
    for (let r = 0; r < n; r++) {
      Vs[2 * (r * n + c)] = V[2 * (r * n + src)]!
      Vs[2 * (r * n + c) + 1] = V[2 * (r * n + src) + 1]!
    }
  })
  complete(U, m, uc, nonzero)
  return [s, U, Vs]
}

/** The conjugate transpose of a row-major r x c complex matrix. */
const adjoint = (x: Float64Array, r: number, c: number): Float64Array => {
  const y = new Float64Array(2 * r * c)
  for (let i = 0; i < r; i++)
    for (let j = 0; j < c; j++) {
      y[2 * (j * r + i)] = x[2 * (i * c + j)]!
      y[2 * (j * r + i) + 1] = -x[2 * (i * c + j) + 1]!
    }
  return y
}

/**
 * [s, U, Vh] of a complex m x n matrix: s (k = min(m, n)) descending, U m x (m or k), Vh (n or k)
 * x n with or without full matrices. A matrix with a non-finite entry gives NaNs.
 */
export const zsvd = (a: Float64Array, m: number, n: number, full: boolean): [Float64Array, Float64Array, Float64Array] => {
  const k = Math.min(m, n)
  const uc = full ? m : k
  const vr = full ? n : k
  if (!a.every(Number.isFinite)) return [new Float64Array(k).fill(NaN), new Float64Array(2 * m * uc).fill(NaN), new Float64Array(2 * vr * n).fill(NaN)]
  // A wide matrix through its adjoint: A^H = U' S V'^H, so A = V' S U'^H.
  const [tall, rows, cols] = m >= n ? [a, m, n] : [adjoint(a, m, n), n, m]
  const [s, U, V] = svdTall(tall, rows, cols, m >= n ? uc : vr)
  // V is cols x cols; the thin factor on the other side takes its first k columns (all of them here).
  const [left, right] = m >= n ? [U, V] : [V, U]
  const Vh = adjoint(right, n, m >= n ? n : vr)
  const vh = new Float64Array(2 * vr * n)
  vh.set(Vh.subarray(0, 2 * vr * n))
  return [s, left, vh]
}
