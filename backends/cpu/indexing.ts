/**
 * gather and scatter along one axis (np.take / .at[] semantics). The operand is viewed as
 * [outer, n, inner] around the axis and the indices are flattened, so both kernels move blocks of
 * `inner` contiguous elements:
 *   gather:  out[a, j, :] = x[a, clamp(idx[j], 0, n-1), :]
 *   scatter: out = x; out[a, idx[j], :] (op)= updates[a, j, :] for in-range idx[j], in order of j
 * With duplicate indices `set` keeps the last update and add/mul/min/max combine all of them.
 */
import type { AnyTypedArray } from "../../core/dtype.js"
import type { GatherParams, ScatterParams } from "../../core/primitives/indexing.js"
import { bufferOf, inputAt, type Kernel, outAt } from "./kernel.js"
import { alloc, normAxis, splitAxis } from "./layout.js"

const gather: Kernel = (inputs, params, outs) => {
  const x = inputAt(inputs, 0)
  const xs = x.aval.shape
  const xb = bufferOf(x)
  const ib = bufferOf(inputAt(inputs, 1))
  const o = outAt(outs)
  const [A, N, B] = splitAxis(xs, normAxis((params as GatherParams).axis, xs.length))
  const I = ib.length
  const out = alloc(o.dtype, A * I * B)
  if (out.length === 0) return [out]
  const rows = new Int32Array(I)
  for (let j = 0; j < I; j++) {
    const k = ib[j]!
    rows[j] = k < 0 ? 0 : k >= N ? N - 1 : k
  }
  let p = 0
  for (let a = 0; a < A; a++) {
    const base = a * N
    if (B === 1) {
      for (let j = 0; j < I; j++) out[p++] = xb[base + rows[j]!]!
    } else if (B < 32) {
      for (let j = 0; j < I; j++) {
        const s = (base + rows[j]!) * B
        for (let b = 0; b < B; b++) out[p++] = xb[s + b]!
      }
    } else {
      for (let j = 0; j < I; j++, p += B) {
        const s = (base + rows[j]!) * B
        out.set(xb.subarray(s, s + B), p)
      }
    }
  }
  return [out]
}

const scatter: Kernel = (inputs, params, outs) => {
  const x = inputAt(inputs, 0)
  const xs = x.aval.shape
  const ib = bufferOf(inputAt(inputs, 1))
  const ub = bufferOf(inputAt(inputs, 2))
  const { axis, mode } = params as ScatterParams
  const o = outAt(outs)
  const out: AnyTypedArray = bufferOf(x).slice()
  const [A, N, B] = splitAxis(xs, normAxis(axis, xs.length))
  const I = ib.length
  // Internal invariant: scatter's shape rule has checked the mode.
  if (!["set", "add", "mul", "min", "max"].includes(mode)) throw new Error(`jaxfx cpu backend: unknown scatter mode ${String(mode)}`)
  if (A * I * B === 0) return [out]
  const float = o.dtype === "float32" || o.dtype === "float64"
  for (let a = 0; a < A; a++) {
    for (let j = 0; j < I; j++) {
      const k = ib[j]!
      if (k < 0 || k >= N) continue // out-of-range updates are dropped
      const d = (a * N + k) * B
      const s = (a * I + j) * B
      switch (mode) {
        case "set":
          if (B < 32) for (let b = 0; b < B; b++) out[d + b] = ub[s + b]!
          else out.set(ub.subarray(s, s + B), d)
          break
        case "add":
          for (let b = 0; b < B; b++) out[d + b] = out[d + b]! + ub[s + b]!
          break
        case "mul":
          if (float) for (let b = 0; b < B; b++) out[d + b] = out[d + b]! * ub[s + b]!
          else for (let b = 0; b < B; b++) out[d + b] = Math.imul(out[d + b]!, ub[s + b]!)
          break
        case "min":
          if (float) for (let b = 0; b < B; b++) out[d + b] = Math.min(out[d + b]!, ub[s + b]!)
          else {
            for (let b = 0; b < B; b++) {
              const u = ub[s + b]!
              if (u < out[d + b]!) out[d + b] = u
            }
          }
          break
        case "max":
          if (float) for (let b = 0; b < B; b++) out[d + b] = Math.max(out[d + b]!, ub[s + b]!)
          else {
            for (let b = 0; b < B; b++) {
              const u = ub[s + b]!
              if (u > out[d + b]!) out[d + b] = u
            }
          }
          break
      }
    }
  }
  return [out]
}

export const indexingKernels: Record<string, Kernel> = { gather, scatter }
