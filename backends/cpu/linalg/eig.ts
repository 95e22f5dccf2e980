/**
 * eig_parts: eig of each matrix of a batch (eig-real.ts for real input, eig-complex.ts for a
 * complex one given as its two parts), in float64, every complex output written as two real
 * buffers (real parts, imaginary parts) of the output dtype (float32 rounds, as complex64 does).
 */
import { Array } from "../../../core/array.js"
import { type EigParams, eigPartsP, type EigPartsParams } from "../../../core/primitives/linalg/eig.js"
import { bind } from "../../../core/trace.js"
import { complexRewrites } from "../complex.js"
import { bufferOf, inputAt, type Kernel, outAt } from "../kernel.js"
import { batchOf, floats } from "./common.js"
import { eigComplex } from "./eig-complex.js"
import { eigReal } from "./eig-real.js"

export const eigParts: Kernel = (inputs, params, outs) => {
  const { computeLeftEigenvectors: left, computeRightEigenvectors: right, complexInput } = params as EigPartsParams
  const a = inputAt(inputs, 0)
  const re = bufferOf(a)
  const im = complexInput ? bufferOf(inputAt(inputs, 1)) : null
  const n = a.aval.shape[a.aval.ndim - 1]!
  const B = batchOf(a.aval.shape)
  const dtype = outAt(outs, 0).dtype
  const wRe = floats(dtype, B * n)
  const wIm = floats(dtype, B * n)
  const vs = [left, right].filter((x) => x).map(() => [floats(dtype, B * n * n), floats(dtype, B * n * n)] as const)
  const nn = n * n
  for (let b = 0; b < B; b++) {
    let r
    if (im === null) r = eigReal(re.subarray(b * nn, (b + 1) * nn), n, left, right)
    else {
      const z = new Float64Array(2 * nn)
      for (let i = 0; i < nn; i++) {
        z[2 * i] = re[b * nn + i]!
        z[2 * i + 1] = im[b * nn + i]!
      }
      r = eigComplex(z, n, left, right)
    }
    for (let i = 0; i < n; i++) {
      wRe[b * n + i] = r.w[2 * i]!
      wIm[b * n + i] = r.w[2 * i + 1]!
    }
    const got = [r.vl, r.vr].filter((x) => x !== null)
    got.forEach((v, k) => {
      const [vr, vi] = vs[k]!
      for (let i = 0; i < nn; i++) {
        vr[b * nn + i] = v[2 * i]!
        vi[b * nn + i] = v[2 * i + 1]!
      }
    })
  }
  return [wRe, wIm, ...vs.flat()]
}

// Inside the complex rewrite, eig (complex outputs) becomes eig_parts on real arrays.
complexRewrites.set("eig", (e, ins) => {
  const x = ins[0]!
  const p = e.params as EigParams
  const complexInput = !(x instanceof Array)
  const outs = bind(eigPartsP, complexInput ? [x.re, x.im] : [x], { ...p, complexInput })
  return globalThis.Array.from({ length: outs.length / 2 }, (_, i) => ({ re: outs[2 * i]!, im: outs[2 * i + 1]! }))
})
