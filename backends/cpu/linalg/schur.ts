/**
 * schur (real input) and schur_parts (a complex input as its two parts) as LAPACK's dgees/zgees
 * compute them without sorting, in float64: dgebal's permutation only (job "P", so Z stays
 * orthogonal), Householder reduction to Hessenberg form with Q formed, the QR iteration to the
 * Schur form (Francis double-shift for real, single-shift for complex) accumulating into Q, then
 * the permutation undone on Z's rows. A matrix with a non-finite entry, or one where the iteration
 * fails, gives NaNs.
 */
import { Array } from "../../../core/array.js"
import { type SchurParams, schurP, schurPartsP } from "../../../core/primitives/linalg/schur.js"
import { bind } from "../../../core/trace.js"
import { complexRewrites } from "../complex.js"
import { bufferOf, inputAt, type Kernel, outAt } from "../kernel.js"
import { batchOf, floats } from "./common.js"
import { gebal, unpermute } from "./eig-balance.js"
import { complexSchur, hessenberg as complexHessenberg } from "./eig-complex.js"
import { francisSchur } from "./eig-francis.js"
import { hessenberg } from "./eig-hessenberg.js"

/** [t, z] of one matrix (width 1: real; 2: interleaved complex), or null when it fails. */
const schurOne = (a: Float64Array, n: number, width: 1 | 2): [Float64Array, Float64Array] | null => {
  if (!a.every(Number.isFinite)) return null
  const bal = gebal(a, n, width, "P")
  const z = width === 1 ? hessenberg(a, n) : complexHessenberg(a, n)
  const ok = width === 1 ? francisSchur(a, z, n) !== null : complexSchur(a, z, n) !== null
  if (!ok) return null
  // dhseqr leaves zeros below the first subdiagonal (the complex form is triangular)
  for (let r = 0; r < n; r++) for (let c = 0; c + (width === 1 ? 1 : 0) < r; c++) for (let w = 0; w < width; w++) a[width * (r * n + c) + w] = 0
  unpermute(z, bal, width * n)
  return [a, z]
}

export const schur: Kernel = (inputs, params, outs) => {
  const { computeSchurVectors } = params as SchurParams
  const x = inputAt(inputs, 0)
  const src = bufferOf(x)
  const n = x.aval.shape[x.aval.ndim - 1]!
  const B = batchOf(x.aval.shape)
  const dtype = outAt(outs, 0).dtype
  const nn = n * n
  const t = floats(dtype, B * nn)
  const z = floats(dtype, B * nn)
  for (let b = 0; b < B; b++) {
    const r = schurOne(Float64Array.from(src.subarray(b * nn, (b + 1) * nn)), n, 1)
    t.set(r === null ? new Float64Array(nn).fill(NaN) : r[0], b * nn)
    z.set(r === null ? new Float64Array(nn).fill(NaN) : r[1], b * nn)
  }
  return computeSchurVectors ? [t, z] : [t]
}

export const schurParts: Kernel = (inputs, params, outs) => {
  const { computeSchurVectors } = params as SchurParams
  const x = inputAt(inputs, 0)
  const re = bufferOf(x)
  const im = bufferOf(inputAt(inputs, 1))
  const n = x.aval.shape[x.aval.ndim - 1]!
  const B = batchOf(x.aval.shape)
  const dtype = outAt(outs, 0).dtype
  const nn = n * n
  const res = [0, 1, 2, 3].map(() => floats(dtype, B * nn))
  for (let b = 0; b < B; b++) {
    const a = new Float64Array(2 * nn)
    for (let i = 0; i < nn; i++) {
      a[2 * i] = re[b * nn + i]!
      a[2 * i + 1] = im[b * nn + i]!
    }
    const r = schurOne(a, n, 2)
    for (let i = 0; i < nn; i++)
      for (let k = 0; k < 2; k++) for (let part = 0; part < 2; part++) res[2 * k + part]![b * nn + i] = r === null ? NaN : r[k]![2 * i + part]!
  }
  return computeSchurVectors ? res : res.slice(0, 2)
}

// Inside the complex rewrite, schur of a complex matrix becomes schur_parts on its two parts.
complexRewrites.set("schur", (e, ins) => {
  const x = ins[0]!
  const p = e.params as SchurParams
  if (x instanceof Array) return bind(schurP, [x], p)
  const outs = bind(schurPartsP, [x.re, x.im], p)
  return globalThis.Array.from({ length: outs.length / 2 }, (_, i) => ({ re: outs[2 * i]!, im: outs[2 * i + 1]! }))
})
