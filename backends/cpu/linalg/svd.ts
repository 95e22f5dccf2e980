/**
 * svd: singular values (descending) and, with `computeUv`, singular vectors of each m x n matrix
 * of a batch by one-sided (Hestenes) Jacobi: plane rotations orthogonalize the columns of A
 * (of A^T when m < n) until every pair is orthogonal to working precision; the column norms are
 * the singular values, the normalized columns U, the accumulated rotations V. Columns of U for
 * zero singular values, and the extra columns of a full U, complete an orthonormal basis through
 * a Householder QR of the others. From `blockedPolicy.svdPreconditionMinN` columns on, the columns
 * are first rotated by the eigenvectors of the Gram matrix (svd-precondition.ts), which leaves the
 * sweeps little to do. Outputs [s] or [s, u, vt] (u m x m or m x k, vt n x n or k x n).
 */
import type { SvdParams } from "../../../core/primitives/linalg/svd.js"
import { bufferOf, inputAt, type Kernel, outAt } from "../kernel.js"
import { batchOf, epsOf, type Floats, floats, rotateRows } from "./common.js"
import { factor, formQ } from "./householder.js"
import { blockedPolicy } from "./blocked.js"
import { precondition } from "./svd-precondition.js"

const MAX_SWEEPS = 60

/**
 * Orthogonalize the rows of G (r rows of length len: the columns of the matrix), accumulating
 * the rotations in W (r x r, rows). Returns nothing; G and W change in place.
 */
const jacobi = (G: Floats, W: Floats, r: number, len: number, eps: number): void => {
  const tol = 4 * eps
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false
    for (let p = 0; p < r - 1; p++) {
      for (let q = p + 1; q < r; q++) {
        let alpha = 0
        let beta = 0
        let gamma = 0
        const gp = p * len
        const gq = q * len
        for (let i = 0; i < len; i++) {
          const x = G[gp + i]!
          const y = G[gq + i]!
          alpha += x * x
          beta += y * y
          gamma += x * y
        }
        if (gamma === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha * beta) || !Number.isFinite(gamma)) continue
        rotated = true
        const zeta = (beta - alpha) / (2 * gamma)
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta))
        const c = 1 / Math.sqrt(1 + t * t)
        const s = c * t
        rotateRows(G, gp, gq, len, c, s)
        rotateRows(W, p * r, q * r, r, c, s)
      }
    }
    if (!rotated) break
  }
}

/**
 * Columns `good` of U (m x cols at uOff, row-major) are orthonormal; fill every other column so
 * that U's columns are orthonormal (the trailing columns of a full Householder Q of the good ones).
 */
const complete = (U: Floats, uOff: number, m: number, cols: number, good: ReadonlyArray<number>, make: (n: number) => Floats): void => {
  const missing: number[] = []
  for (let j = 0; j < cols; j++) if (!good.includes(j)) missing.push(j)
  if (missing.length === 0) return
  const r = good.length
  const G = make(m * Math.max(r, 1))
  for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) G[i * r + j] = U[uOff + i * cols + good[j]!]!
  const Q = formQ(factor(G, 0, m, r, make), m, m, make)
  missing.forEach((col, idx) => {
    for (let i = 0; i < m; i++) U[uOff + i * cols + col] = Q[i * m + r + idx]!
  })
}

export const svd: Kernel = (inputs, params, outs) => {
  const { fullMatrices, computeUv } = params as SvdParams
  const a = inputAt(inputs, 0)
  const ab = bufferOf(a)
  const s = a.aval.shape
  const m = s[s.length - 2]!
  const n = s[s.length - 1]!
  const k = Math.min(m, n)
  const dtype = outAt(outs, 0).dtype
  const make = (len: number) => floats(dtype, len)
  const eps = epsOf(dtype)
  const B = batchOf(s)
  // Work on the tall matrix T (len x r, len >= r): A, or A^T when m < n. G holds T's columns as rows.
  const tall = m >= n
  const len = tall ? m : n
  const r = k
  const uc = fullMatrices ? m : k
  const vr = fullMatrices ? n : k
  const sOut = make(B * k)
  const uOut = computeUv ? make(B * m * uc) : make(0)
  const vtOut = computeUv ? make(B * vr * n) : make(0)
  const G = make(r * len)
  const W = make(r * r)
  // The left (len x lc) and right (r x r) vectors of T, as columns.
  const lc = tall ? uc : vr
  const L = make(len * lc)
  for (let b = 0; b < B; b++) {
    const off = b * m * n
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const v = ab[off + i * n + j]!
        if (tall) G[j * len + i] = v
        else G[i * len + j] = v
      }
    }
    W.fill(0)
    for (let i = 0; i < r; i++) W[i * r + i] = 1
    if (r >= blockedPolicy.svdPreconditionMinN) precondition(G, W, r, len)
    jacobi(G, W, r, len, eps)
    const norms: number[] = []
    for (let j = 0; j < r; j++) {
      let t = 0
      for (let i = 0; i < len; i++) t += G[j * len + i]! ** 2
      norms.push(Math.sqrt(t))
    }
    const order = norms.map((_, i) => i).sort((x, y) => norms[y]! - norms[x]! || x - y)
    for (let j = 0; j < r; j++) sOut[b * k + j] = norms[order[j]!]!
    if (!computeUv) continue
    // Left vectors: normalized columns (zero columns are completed).
    L.fill(0)
    const good: number[] = []
    const big = norms[order[0]!] ?? 0
    for (let j = 0; j < r; j++) {
      const src = order[j]!
      const nv = norms[src]!
      if (!(nv > 0) || nv <= big * eps * len) continue
      good.push(j)
      for (let i = 0; i < len; i++) L[i * lc + j] = G[src * len + i]! / nv
    }
    complete(L, 0, len, lc, good, make)
    // Right vectors of T: rows of W (rotations accumulated on the identity's rows), reordered.
    const R = make(r * r)
    for (let j = 0; j < r; j++) for (let i = 0; i < r; i++) R[i * r + j] = W[order[j]! * r + i]!
    // A = U S V^T. Tall: U = L (m x uc), V = R (n x n). Wide: A^T = L S R^T, so U = R, V = L.
    const uo = b * m * uc
    const vo = b * vr * n
    if (tall) {
      uOut.set(L, uo)
      // vt = R^T (k x n; n = k here)
      for (let i = 0; i < vr; i++) for (let j = 0; j < n; j++) vtOut[vo + i * n + j] = R[j * r + i]!
    } else {
      // u = R (m x m, m = k); vt = L^T (vr x n)
      uOut.set(R, uo)
      for (let i = 0; i < vr; i++) for (let j = 0; j < n; j++) vtOut[vo + i * n + j] = L[j * lc + i]!
    }
  }
  return computeUv ? [sOut, uOut, vtOut] : [sOut]
}
