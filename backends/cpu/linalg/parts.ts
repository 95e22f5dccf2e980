/**
 * linalg_parts: lax.linalg's complex routines on the CPU. Each complex operand arrives as two real
 * buffers (re, im) and each matrix of a batch is interleaved into float64 for the complex kernels
 * (complex-dense.ts, complex-qr.ts, complex-jacobi.ts); each complex result leaves as two buffers
 * of the part dtype (float32 rounds, as complex64 does). The complex rewrite of the CPU backend
 * binds it for cholesky, triangular_solve, lu, qr, eigh, svd and tridiagonal_solve on complex
 * values.
 */
import { Array } from "../../../core/array.js"
import type { EighParams } from "../../../core/primitives/linalg/eigh.js"
import { linalgPartsP, type LinalgPartsParams, partsRoutines, routineParams } from "../../../core/primitives/linalg/parts.js"
import type { QrParams } from "../../../core/primitives/linalg/qr.js"
import type { SvdParams } from "../../../core/primitives/linalg/svd.js"
import type { TriangularSolveParams } from "../../../core/primitives/linalg/triangular-solve.js"
import { isComplex } from "../../../core/dtype.js"
import { bind } from "../../../core/trace.js"
import { complexRewrites, type Pair, type Val } from "../complex.js"
import { bufferOf, inputAt, type Kernel, outAt } from "../kernel.js"
import { batchOf, floats, type Floats } from "./common.js"
import { zcholesky, zlu, ztridiagonal, ztrsm } from "./complex-dense.js"
import { zeigh, zsvd } from "./complex-jacobi.js"
import { zqr } from "./complex-qr.js"

type Buf = ArrayLike<number>

/** Elements [off, off + len) of a complex operand's parts, interleaved. */
const interleave = (re: Buf, im: Buf, off: number, len: number): Float64Array => {
  const z = new Float64Array(2 * len)
  for (let i = 0; i < len; i++) {
    z[2 * i] = re[off + i]!
    z[2 * i + 1] = im[off + i]!
  }
  return z
}

/** An interleaved result into two part buffers at `off`. */
const split = (z: Float64Array, re: Floats, im: Floats, off: number): void => {
  for (let i = 0; i < z.length / 2; i++) {
    re[off + i] = z[2 * i]!
    im[off + i] = z[2 * i + 1]!
  }
}

const last = (s: ReadonlyArray<number>, k = 1): number => s[s.length - k]!

export const linalgParts: Kernel = (inputs, params, outs) => {
  const p = params as LinalgPartsParams
  const ins = inputs.map((x) => bufferOf(x) as Buf)
  const shapeOf = (i: number) => inputAt(inputs, i).aval.shape
  const out = (i: number): Floats => floats(outAt(outs, i).dtype, outAt(outs, i).size)
  switch (p.routine) {
    case "cholesky": {
      const s = shapeOf(0)
      const n = last(s)
      const nn = n * n
      const [re, im] = [out(0), out(1)]
      for (let b = 0; b < batchOf(s); b++) {
        const L = zcholesky(interleave(ins[0]!, ins[1]!, b * nn, nn), n)
        if (L !== null) split(L, re, im, b * nn)
        else for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) re[b * nn + i * n + j] = im[b * nn + i * n + j] = NaN
      }
      return [re, im]
    }
    case "triangular_solve": {
      const f = routineParams(p) as TriangularSolveParams
      const m = last(shapeOf(0))
      const bs = shapeOf(2)
      const rows = last(bs, 2)
      const cols = last(bs)
      const [re, im] = [out(0), out(1)]
      for (let b = 0; b < batchOf(bs); b++) {
        const x = ztrsm(
          interleave(ins[0]!, ins[1]!, b * m * m, m * m),
          interleave(ins[2]!, ins[3]!, b * rows * cols, rows * cols),
          m,
          f.leftSide ? cols : rows,
          f
        )
        split(x, re, im, b * rows * cols)
      }
      return [re, im]
    }
    case "lu": {
      const s = shapeOf(0)
      const [m, n] = [last(s, 2), last(s)]
      const k = Math.min(m, n)
      const B = batchOf(s)
      const [re, im] = [out(0), out(1)]
      const piv = new Int32Array(B * k)
      const perm = new Int32Array(B * m)
      for (let b = 0; b < B; b++) {
        const w = interleave(ins[0]!, ins[1]!, b * m * n, m * n)
        zlu(w, m, n, piv, b * k, perm, b * m)
        split(w, re, im, b * m * n)
      }
      return [re, im, piv, perm]
    }
    case "qr": {
      const { fullMatrices } = routineParams(p) as QrParams
      const s = shapeOf(0)
      const [m, n] = [last(s, 2), last(s)]
      const res = [out(0), out(1), out(2), out(3)]
      const qSize = outAt(outs, 0).size / batchOf(s)
      const rSize = outAt(outs, 2).size / batchOf(s)
      for (let b = 0; b < batchOf(s); b++) {
        const [q, r] = zqr(interleave(ins[0]!, ins[1]!, b * m * n, m * n), m, n, fullMatrices)
        split(q, res[0]!, res[1]!, b * qSize)
        split(r, res[2]!, res[3]!, b * rSize)
      }
      return res
    }
    case "eigh": {
      const { lower } = routineParams(p) as EighParams
      const s = shapeOf(0)
      const n = last(s)
      const nn = n * n
      const [vre, vim, w] = [out(0), out(1), out(2)]
      for (let b = 0; b < batchOf(s); b++) {
        // The Hermitian matrix of the triangle read (the diagonal's real parts).
        const a = interleave(ins[0]!, ins[1]!, b * nn, nn)
        for (let i = 0; i < n; i++) {
          a[2 * (i * n + i) + 1] = 0
          for (let j = 0; j < i; j++) {
            const [src, dst] = lower ? [i * n + j, j * n + i] : [j * n + i, i * n + j]
            a[2 * dst] = a[2 * src]!
            a[2 * dst + 1] = -a[2 * src + 1]!
          }
        }
        const [v, ws] = zeigh(a, n)
        split(v, vre, vim, b * nn)
        w.set(ws, b * n)
      }
      return [vre, vim, w]
    }
    case "svd": {
      const { fullMatrices, computeUv } = routineParams(p) as SvdParams
      const s = shapeOf(0)
      const [m, n] = [last(s, 2), last(s)]
      const k = Math.min(m, n)
      const B = batchOf(s)
      const res = outs.map((_, i) => out(i))
      for (let b = 0; b < B; b++) {
        const [sv, u, vh] = zsvd(interleave(ins[0]!, ins[1]!, b * m * n, m * n), m, n, fullMatrices)
        res[0]!.set(sv, b * k)
        if (computeUv) {
          split(u, res[1]!, res[2]!, (b * u.length) / 2)
          split(vh, res[3]!, res[4]!, (b * vh.length) / 2)
        }
      }
      return res
    }
    case "tridiagonal_solve": {
      const bs = shapeOf(6)
      const [m, r] = [last(bs, 2), last(bs)]
      const [re, im] = [out(0), out(1)]
      for (let b = 0; b < batchOf(bs); b++) {
        const diag = (i: number) => interleave(ins[2 * i]!, ins[2 * i + 1]!, b * m, m)
        const x = interleave(ins[6]!, ins[7]!, b * m * r, m * r)
        ztridiagonal(diag(0), diag(1), diag(2), x, m, r)
        split(x, re, im, b * m * r)
      }
      return [re, im]
    }
  }
  throw new Error(`linalg_parts: no CPU routine ${p.routine}`) // internal invariant: the shape rule checked the name
}

// Inside the complex rewrite, each routine of partsRoutines becomes linalg_parts on the parts of
// its operands (a real operand beside complex ones gets a zero imaginary part).
for (const routine of Object.keys(partsRoutines)) {
  complexRewrites.set(routine, (e, ins) => {
    const pairs: Pair[] = ins.map((x) => (x instanceof Array ? { re: x, im: x.mul(0) } : x))
    const outs = bind(
      linalgPartsP,
      pairs.flatMap((x) => [x.re, x.im]),
      { routine, ...e.params }
    )
    const vals: Val[] = []
    let i = 0
    for (const o of e.outVars) {
      if (isComplex(o.aval.dtype)) {
        vals.push({ re: outs[i]!, im: outs[i + 1]! })
        i += 2
      } else vals.push(outs[i++]!)
    }
    return vals
  })
}
