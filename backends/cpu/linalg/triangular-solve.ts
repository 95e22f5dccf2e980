/**
 * triangular_solve: X with op(A) X = B (leftSide) or X op(A) = B, A triangular (only the
 * triangle named by `lower` is read; `unitDiagonal` takes its diagonal as ones; op transposes
 * when `transposeA`; conjugation is the identity for real dtypes). A right-side solve is the
 * left-side solve of the transposed system (X op(A) = B  <=>  op(A)^T X^T = B^T). Substitution
 * runs row by row over B's contiguous rows; large float32 systems are blocked, their updates on
 * the Wasm GEMM (triangular-solve-blocked.ts).
 */
import type { TriangularSolveParams } from "../../../core/primitives/linalg/triangular-solve.js"
import { bufferOf, inputAt, type Kernel, outAt } from "../kernel.js"
import { useBlocked } from "./blocked.js"
import { batchOf, type Floats, floats } from "./common.js"
import { substituteBlocked } from "./triangular-solve-blocked.js"

export const triangularSolve: Kernel = (inputs, params, outs) => {
  const { leftSide, lower, transposeA, unitDiagonal } = params as TriangularSolveParams
  const a = inputAt(inputs, 0)
  const bIn = inputAt(inputs, 1)
  const ab = bufferOf(a)
  const bb = bufferOf(bIn)
  const o = outAt(outs)
  const m = a.aval.shape[a.aval.ndim - 1]!
  const bs = bIn.aval.shape
  const rows = bs[bs.length - 2]!
  const cols = bs[bs.length - 1]!
  // The system solved: M Y = C with M m x m, C m x n.
  const n = leftSide ? cols : rows
  const out = floats(o.dtype, bb.length)
  const M = floats(o.dtype, m * m)
  const C = floats(o.dtype, m * n)
  // M = op(A) (left) or op(A)^T (right); its triangle: lower xor transposed xor right side.
  const flip = transposeA !== !leftSide
  const mLower = lower !== flip
  for (let b = 0; b < batchOf(bs); b++) {
    const aOff = b * m * m
    const bOff = b * rows * cols
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        const inTri = lower ? j <= i : j >= i
        const v = i === j && unitDiagonal ? 1 : inTri ? ab[aOff + i * m + j]! : 0
        if (flip) M[j * m + i] = v
        else M[i * m + j] = v
      }
    }
    if (leftSide) C.set(bb.subarray(bOff, bOff + m * n))
    else for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) C[j * n + i] = bb[bOff + i * m + j]!
    if (useBlocked(C, m) && M instanceof Float32Array) substituteBlocked(M, C, m, n, mLower)
    else substitute(M, C, m, n, mLower)
    if (leftSide) out.set(C, bOff)
    else for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[bOff + i * m + j] = C[j * n + i]!
  }
  return [out]
}

/** Overwrite C (m x n) with M^-1 C, row by row; only M's `lower` (or upper) triangle is read. */
const substitute = (M: Floats, C: Floats, m: number, n: number, lower: boolean): void => {
  for (let s = 0; s < m; s++) {
    const i = lower ? s : m - 1 - s
    const ri = i * n
    const lo = lower ? 0 : i + 1
    const hi = lower ? i : m
    for (let k = lo; k < hi; k++) {
      const f = M[i * m + k]!
      if (f === 0) continue
      const rk = k * n
      for (let c = 0; c < n; c++) C[ri + c] = C[ri + c]! - f * C[rk + c]!
    }
    const d = M[i * m + i]!
    if (d !== 1) for (let c = 0; c < n; c++) C[ri + c] = C[ri + c]! / d
  }
}
