/**
 * cholesky: L with L L^T = A for each matrix of a batch, reading A's lower triangle only (the
 * upper one of L is zero). A matrix that is not positive definite (a non-positive or NaN pivot)
 * gives NaNs on and below the diagonal (zeros above), as JAX does with LAPACK's potrf. Large
 * float32 matrices take the blocked path (cholesky-blocked.ts), its trailing updates on the Wasm GEMM.
 */
import { bufferOf, inputAt, type Kernel, outAt } from "../kernel.js"
import { useBlocked } from "./blocked.js"
import { choleskyBlocked } from "./cholesky-blocked.js"
import { batchOf, floats } from "./common.js"

export const cholesky: Kernel = (inputs, _params, outs) => {
  const a = inputAt(inputs, 0)
  const ab = bufferOf(a)
  const o = outAt(outs)
  const n = a.aval.shape[a.aval.ndim - 1]!
  const out = floats(o.dtype, ab.length)
  const nn = n * n
  for (let b = 0; b < batchOf(a.aval.shape); b++) {
    const off = b * nn
    let ok = true
    if (useBlocked(out, n)) {
      out.set(ab.subarray(off, off + nn), off)
      ok = choleskyBlocked(out, off, n)
      if (ok) for (let i = 0; i < n; i++) out.fill(0, off + i * n + i + 1, off + (i + 1) * n)
    } else
      for (let j = 0; j < n && ok; j++) {
        const rj = off + j * n
        let s = ab[rj + j]!
        for (let k = 0; k < j; k++) s -= out[rj + k]! * out[rj + k]!
        if (!(s > 0)) {
          ok = false
          break
        }
        out[rj + j] = Math.sqrt(s)
        const d = out[rj + j]!
        for (let i = j + 1; i < n; i++) {
          const ri = off + i * n
          let t = ab[ri + j]!
          for (let k = 0; k < j; k++) t -= out[ri + k]! * out[rj + k]!
          out[ri + j] = t / d
        }
      }
    if (!ok) {
      // JAX's CPU result: NaN on and below the diagonal, zeros above.
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[off + i * n + j] = j <= i ? NaN : 0
    }
  }
  return [out]
}
