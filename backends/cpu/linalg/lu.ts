/**
 * lu: the LU factorization with partial pivoting of each m x n matrix of a batch, as LAPACK's
 * getrf: P A = L U with L unit lower (its strict part stored below the diagonal of `lu`) and U
 * upper; `pivots[j]` is the row swapped with row j at step j (the first row of largest magnitude),
 * `permutation` the rows of A in the order of P A. A zero pivot leaves its column unscaled.
 * lu_pivots_to_permutation applies such swaps to 0..size-1. Large float32 matrices are blocked, their
 * trailing updates on the Wasm GEMM (lu-blocked.ts).
 */
import type { LuPivotsToPermutationParams } from "../../../core/primitives/linalg/lu.js"
import { bufferOf, inputAt, type Kernel, outAt } from "../kernel.js"
import { useBlocked } from "./blocked.js"
import { batchOf, floats } from "./common.js"
import { luBlocked } from "./lu-blocked.js"
import { luColumnStep } from "./lu-step.js"

export const lu: Kernel = (inputs, _params, outs) => {
  const a = inputAt(inputs, 0)
  const ab = bufferOf(a)
  const s = a.aval.shape
  const m = s[s.length - 2]!
  const n = s[s.length - 1]!
  const k = Math.min(m, n)
  const B = batchOf(s)
  const out = floats(outAt(outs, 0).dtype, ab.length)
  out.set(ab)
  const piv = new Int32Array(B * k)
  const perm = new Int32Array(B * m)
  for (let b = 0; b < B; b++) {
    const off = b * m * n
    const p = b * m
    for (let i = 0; i < m; i++) perm[p + i] = i
    if (useBlocked(out, k)) {
      luBlocked(out, off, m, n, piv, b * k, perm, p)
      continue
    }
    for (let j = 0; j < k; j++) luColumnStep(out, off, m, n, j, n, piv, b * k + j, perm, p)
  }
  return [out, piv, perm]
}

export const luPivotsToPermutation: Kernel = (inputs, params, _outs) => {
  const { permutationSize } = params as LuPivotsToPermutationParams
  const x = inputAt(inputs, 0)
  const pb = bufferOf(x)
  const k = x.aval.shape[x.aval.ndim - 1]!
  const B = batchOf(x.aval.shape, 1)
  const out = new Int32Array(B * permutationSize)
  for (let b = 0; b < B; b++) {
    const o = b * permutationSize
    for (let i = 0; i < permutationSize; i++) out[o + i] = i
    for (let j = 0; j < k; j++) {
      const q = pb[b * k + j]!
      // Out-of-range pivots are ignored, as JAX's kernel does.
      if (q < 0 || q >= permutationSize || j >= permutationSize) continue
      const t = out[o + j]!
      out[o + j] = out[o + q]!
      out[o + q] = t
    }
  }
  return [out]
}
