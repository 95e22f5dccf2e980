/**
 * eigh: eigenvalues and eigenvectors of each symmetric matrix of a batch (the triangle named by
 * `lower` is read) by the cyclic Jacobi method: rotations zero each off-diagonal entry in turn
 * until a sweep finds every one negligible next to its diagonal entries (eigenvalues to high
 * relative accuracy). Outputs: v (columns are the eigenvectors) and w, in ascending order of w
 * with `sortEigenvalues`. Eigenvectors' signs are not unique (JAX's come from LAPACK's syevd).
 * Matrices from order `blockedPolicy.eighTridiagonalMinN` on take the tridiagonal QL method
 * instead (eigh-tridiagonal.ts): several times fewer operations than Jacobi sweeps.
 */
import type { EighParams } from "../../../core/primitives/linalg/eigh.js"
import { bufferOf, inputAt, type Kernel, outAt } from "../kernel.js"
import { blockedPolicy } from "./blocked.js"
import { batchOf, epsOf, floats, rotateRows } from "./common.js"
import { eighTridiagonal } from "./eigh-tridiagonal.js"

const MAX_SWEEPS = 60

export const eigh: Kernel = (inputs, params, outs) => {
  const { lower, sortEigenvalues } = params as EighParams
  const a = inputAt(inputs, 0)
  const ab = bufferOf(a)
  const n = a.aval.shape[a.aval.ndim - 1]!
  const dtype = outAt(outs, 0).dtype
  const eps = epsOf(dtype)
  const B = batchOf(a.aval.shape)
  const vOut = floats(dtype, B * n * n)
  const wOut = floats(dtype, B * n)
  const A = floats(dtype, n * n)
  const V = floats(dtype, n * n)
  const order: number[] = []
  for (let b = 0; b < B; b++) {
    const off = b * n * n
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const fromLower = i >= j
        A[i * n + j] = lower === fromLower ? ab[off + i * n + j]! : ab[off + j * n + i]!
      }
    }
    if (n >= blockedPolicy.eighTridiagonalMinN) {
      // larger matrices: tridiagonal reduction and implicit QL in float64 (eigh-tridiagonal.ts)
      const res = eighTridiagonal(Float64Array.from(A), n)
      if (res === null) {
        vOut.fill(NaN, off, off + n * n)
        wOut.fill(NaN, b * n, (b + 1) * n)
        continue
      }
      const [w, zt] = res
      order.length = 0
      for (let i = 0; i < n; i++) order.push(i)
      if (sortEigenvalues) order.sort((x, y) => w[x]! - w[y]! || x - y)
      for (let j = 0; j < n; j++) {
        const src = order[j]!
        wOut[b * n + j] = w[src]!
        for (let i = 0; i < n; i++) vOut[off + i * n + j] = zt[src * n + i]!
      }
      continue
    }
    V.fill(0)
    for (let i = 0; i < n; i++) V[i * n + i] = 1
    for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      let rotated = false
      for (let p = 0; p < n - 1; p++) {
        for (let q = p + 1; q < n; q++) {
          const apq = A[p * n + q]!
          if (apq === 0) continue
          const app = A[p * n + p]!
          const aqq = A[q * n + q]!
          if (Math.abs(apq) <= eps * Math.sqrt(Math.abs(app * aqq)) || !Number.isFinite(apq)) {
            if (Math.abs(apq) <= eps * Math.sqrt(Math.abs(app * aqq))) A[p * n + q] = A[q * n + p] = 0
            continue
          }
          rotated = true
          const theta = (aqq - app) / (2 * apq)
          const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(1 + theta * theta))
          const c = 1 / Math.sqrt(1 + t * t)
          const s = t * c
          // A <- J^T A J with J the rotation in the (p, q) plane: rows p and q (contiguous), then
          // the columns by symmetry; the eigenvectors are kept as rows of V (contiguous too).
          const rp = p * n
          const rq = q * n
          rotateRows(A, rp, rq, n, c, s)
          A[rp + p] = app - t * apq
          A[rq + q] = aqq + t * apq
          A[rp + q] = A[rq + p] = 0
          for (let k = 0; k < n; k++) {
            A[k * n + p] = A[rp + k]!
            A[k * n + q] = A[rq + k]!
          }
          rotateRows(V, rp, rq, n, c, s)
        }
      }
      if (!rotated) break
    }
    order.length = 0
    for (let i = 0; i < n; i++) order.push(i)
    if (sortEigenvalues) order.sort((x, y) => A[x * n + x]! - A[y * n + y]! || x - y)
    for (let j = 0; j < n; j++) {
      const src = order[j]!
      wOut[b * n + j] = A[src * n + src]!
      for (let i = 0; i < n; i++) vOut[off + i * n + j] = V[src * n + i]!
    }
  }
  return [vOut, wOut]
}
