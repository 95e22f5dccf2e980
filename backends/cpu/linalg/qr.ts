/**
 * qr: Householder QR of each m x n matrix of a batch (LAPACK's geqrf + orgqr conventions, so R's
 * diagonal signs match JAX's CPU results): Q m x m and R m x n with `fullMatrices`, else Q m x k
 * and R k x n, k = min(m, n). Large float32 matrices take the blocked path (qr-blocked.ts: compact
 * WY block reflectors, their products on the Wasm GEMM).
 */
import type { QrParams } from "../../../core/primitives/linalg/qr.js"
import { bufferOf, inputAt, type Kernel, outAt } from "../kernel.js"
import { useBlocked } from "./blocked.js"
import { batchOf, floats } from "./common.js"
import { factor, formQ } from "./householder.js"
import { formQBlocked, qrBlocked } from "./qr-blocked.js"

export const qr: Kernel = (inputs, params, outs) => {
  const { fullMatrices } = params as QrParams
  const a = inputAt(inputs, 0)
  const s = a.aval.shape
  const m = s[s.length - 2]!
  const n = s[s.length - 1]!
  const k = Math.min(m, n)
  const dtype = outAt(outs, 0).dtype
  const make = (len: number) => floats(dtype, len)
  const qc = fullMatrices ? m : k
  const rr = fullMatrices ? m : k
  const B = batchOf(s)
  const qOut = make(B * m * qc)
  const rOut = make(B * rr * n)
  const work = make(m * n)
  const ab = bufferOf(a)
  for (let b = 0; b < B; b++) {
    work.set(ab.subarray(b * m * n, (b + 1) * m * n))
    if (useBlocked(work, k)) qOut.set(formQBlocked(qrBlocked(work, 0, m, n), m, qc), b * m * qc)
    else qOut.set(formQ(factor(work, 0, m, n, make), m, qc, make), b * m * qc)
    for (let i = 0; i < Math.min(rr, m); i++) {
      for (let j = i; j < n; j++) rOut[b * rr * n + i * n + j] = work[i * n + j]!
    }
  }
  return [qOut, rOut]
}
