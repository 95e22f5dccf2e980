/**
 * A preconditioner for the one-sided Jacobi SVD of larger matrices: rotate the columns of T by
 * the eigenvectors Z of T^T T (eigh-tridiagonal.ts) before the sweeps. T Z has nearly orthogonal
 * columns, so the Jacobi sweeps that follow converge in one or two sweeps instead of eight to
 * ten; they still decide the final accuracy (the Gram matrix only steers). float32 products run
 * on the Wasm GEMM.
 */
import { blockedPolicy, gemmTo, view } from "./blocked.js"
import type { Floats } from "./common.js"
import { eighTridiagonal } from "./eigh-tridiagonal.js"

/**
 * G (r x len: T's columns as rows) becomes Z^T G and W (r x r) becomes Z^T, keeping G = W G0.
 * False (nothing changed) if the Gram matrix's eigenproblem failed (non-finite input).
 */
export const precondition = (G: Floats, W: Floats, r: number, len: number): boolean => {
  const gram = new Float64Array(r * r)
  const f32 = G instanceof Float32Array && blockedPolicy.enabled
  if (f32) gram.set(gemmTo(view(G, 0, len), { data: G, off: 0, sB: 0, s0: 1, s1: len }, r, r, len).subarray(0, r * r))
  else {
    for (let i = 0; i < r; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0
        for (let k = 0; k < len; k++) s += G[i * len + k]! * G[j * len + k]!
        gram[i * r + j] = gram[j * r + i] = s
      }
    }
  }
  const res = eighTridiagonal(gram, r)
  if (res === null) return false
  const zt = res[1]
  if (f32) G.set(gemmTo(view(Float32Array.from(zt), 0, r), view(G, 0, len), r, len, r).subarray(0, r * len))
  else {
    const out = new Float64Array(r * len)
    for (let i = 0; i < r; i++) {
      for (let k = 0; k < r; k++) {
        const z = zt[i * r + k]!
        if (z === 0) continue
        for (let c = 0; c < len; c++) out[i * len + c] = out[i * len + c]! + z * G[k * len + c]!
      }
    }
    G.set(out)
  }
  W.set(zt)
  return true
}
