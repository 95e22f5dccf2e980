/**
 * The blocked Householder QR (LAPACK's geqrf + orgqr with the compact WY form of larft/larfb) of
 * one float32 m x n matrix: per panel of nb columns, factor the panel in JS (the reflectors of
 * `householder.ts`, float64 sums, stored in float32), form the triangular T with
 * H_j0 ... H_j1-1 = I - V T V^T, and apply the block reflector's transpose to the trailing
 * columns as three GEMMs (W = V^T A2, W = T^T W, A2 -= V W). Q is formed the same way, block
 * reflectors applied to the identity from the last panel back. About n^2 nb JS multiply-adds per
 * factorization; the O(m n^2) rest runs on the Wasm GEMM.
 */
import type { StridedF32 } from "../wasm/gemm.js"
import { blockedPolicy, gemmSub, gemmTo, view } from "./blocked.js"

/** One panel's block reflector I - V T V^T acting on rows j0.. (V: (m - j0) x jb, unit lower trapezoidal). */
export interface BlockReflector {
  readonly j0: number
  readonly jb: number
  readonly v: Float32Array
  readonly t: Float32Array
}

const dense = (data: Float32Array, ld: number): StridedF32 => ({ data, off: 0, sB: 0, s0: ld, s1: 1 })
const transposed = (data: Float32Array, ld: number): StridedF32 => ({ data, off: 0, sB: 0, s0: 1, s1: ld })

/** Householder vectors of the panel's columns j0..j1-1 (rows j0..m-1), the panel itself reduced in place. */
const factorPanel = (W: Float32Array, off: number, m: number, n: number, j0: number, jb: number): { v: Float32Array; tau: Float64Array } => {
  const rows = m - j0
  const v = new Float32Array(rows * jb)
  const tau = new Float64Array(jb)
  const w = new Float64Array(jb)
  for (let c = 0; c < jb; c++) {
    const j = j0 + c
    const at = (i: number) => off + i * n + j
    v[(j - j0) * jb + c] = 1
    if (j >= m) continue
    const alpha = W[at(j)]!
    let xn2 = 0
    for (let i = j + 1; i < m; i++) xn2 += W[at(i)]! ** 2
    if (xn2 === 0) continue
    const norm = Math.sqrt(alpha * alpha + xn2)
    const beta = alpha >= 0 ? -norm : norm
    tau[c] = Math.fround((beta - alpha) / beta)
    const scale = 1 / (alpha - beta)
    for (let i = j + 1; i < m; i++) {
      v[(i - j0) * jb + c] = W[at(i)]! * scale
      W[at(i)] = 0
    }
    W[at(j)] = beta
    // the rest of the panel: A[j:, j+1:j1] -= tau v (v^T A[j:, j+1:j1])
    w.fill(0)
    for (let i = j; i < m; i++) {
      const vi = v[(i - j0) * jb + c]!
      const r = off + i * n
      for (let d = c + 1; d < jb; d++) w[d] = w[d]! + vi * W[r + j0 + d]!
    }
    for (let i = j; i < m; i++) {
      const f = tau[c]! * v[(i - j0) * jb + c]!
      if (f === 0) continue
      const r = off + i * n
      for (let d = c + 1; d < jb; d++) W[r + j0 + d] = W[r + j0 + d]! - f * w[d]!
    }
  }
  return { v, tau }
}

/** LAPACK's larft (forward, columnwise): T upper triangular with H_0 ... H_jb-1 = I - V T V^T. */
const formT = (v: Float32Array, rows: number, jb: number, tau: Float64Array): Float32Array => {
  const g = gemmTo(transposed(v, jb), dense(v, jb), jb, jb, rows).slice(0, jb * jb) // V^T V
  const t = new Float32Array(jb * jb)
  for (let i = 0; i < jb; i++) {
    const ti = tau[i]!
    t[i * jb + i] = ti
    if (ti === 0) continue
    // T[0:i, i] = -tau_i T[0:i, 0:i] (V[:, 0:i]^T v_i)
    for (let r = 0; r < i; r++) {
      let s = 0
      for (let c = r; c < i; c++) s += t[r * jb + c]! * g[c * jb + i]!
      t[r * jb + i] = -ti * s
    }
  }
  return t
}

/**
 * C (rows x cols at `cOff`, row stride ld) <- (I - V op(T) V^T) C, op(T) = T^T (`transposeT`, the
 * factorization's Q^T C) or T (orgqr's Q C).
 */
const applyBlock = (C: Float32Array, cOff: number, ld: number, rows: number, cols: number, b: BlockReflector, transposeT: boolean): void => {
  if (cols === 0) return
  const { v, t, jb } = b
  const w1 = gemmTo(transposed(v, jb), view(C, cOff, ld), jb, cols, rows).slice(0, jb * cols)
  const w2 = gemmTo(transposeT ? transposed(t, jb) : dense(t, jb), dense(w1, cols), jb, cols, jb).slice(0, jb * cols)
  gemmSub(C, cOff, ld, dense(v, jb), dense(w2, cols), rows, cols, jb)
}

/** W (m x n at `off`, row-major) becomes R on and above the diagonal, zeros below; returns the block reflectors. */
export const qrBlocked = (W: Float32Array, off: number, m: number, n: number): BlockReflector[] => {
  const k = Math.min(m, n)
  const nb = blockedPolicy.nb
  const blocks: BlockReflector[] = []
  for (let j0 = 0; j0 < k; j0 += nb) {
    const jb = Math.min(nb, k - j0)
    const { v, tau } = factorPanel(W, off, m, n, j0, jb)
    const b: BlockReflector = { j0, jb, v, t: formT(v, m - j0, jb, tau) }
    blocks.push(b)
    applyBlock(W, off + j0 * n + j0 + jb, n, m - j0, n - j0 - jb, b, true)
  }
  return blocks
}

/** Q's first `cols` columns (m x cols, row-major): the block reflectors applied to the identity, last first. */
export const formQBlocked = (blocks: ReadonlyArray<BlockReflector>, m: number, cols: number): Float32Array => {
  const q = new Float32Array(m * cols)
  for (let i = 0; i < Math.min(m, cols); i++) q[i * cols + i] = 1
  for (let i = blocks.length - 1; i >= 0; i--) {
    const b = blocks[i]!
    // columns left of j0 are still e_0 .. e_j0-1, which the block leaves alone
    applyBlock(q, b.j0 * cols + b.j0, cols, m - b.j0, cols - b.j0, b, false)
  }
  return q
}
