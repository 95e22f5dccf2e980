/**
 * Structural kernels: broadcast_in_dim, reshape, transpose, slice, pad, concatenate, rev, iota.
 * All but iota are strided copies (copy.ts). Arrays are immutable, so a result that has the same
 * elements in the same order as the input is the input buffer itself (reshape always; broadcasts
 * that only add size-1 dimensions, transposes that only move size-1 dimensions, full slices).
 */
import type { AnyTypedArray } from "../../core/dtype.js"
import type { BroadcastParams, ConcatParams, IotaParams, PadParams, RevParams, SliceParams, TransposeParams } from "../../core/primitives/shape-ops.js"
import { copyStrided, gatherStrided, transposed } from "./copy.js"
import { bufferOf, inputAt, type Kernel, outAt } from "./kernel.js"
import { alloc, normAxis, sizeOf, splitAxis, stridesOf } from "./layout.js"

const broadcastInDim: Kernel = (inputs, params, outs) => {
  const x = inputAt(inputs, 0)
  const { shape, broadcastDimensions } = params as BroadcastParams
  const o = outAt(outs)
  const xb = bufferOf(x)
  const n = sizeOf(shape)
  let increasing = true
  for (let i = 1; i < broadcastDimensions.length; i++) {
    if (broadcastDimensions[i]! <= broadcastDimensions[i - 1]!) increasing = false
  }
  // Only size-1 dimensions were added: the same elements in the same order.
  if (xb.length === n && increasing) return [xb]
  const out = alloc(o.dtype, n)
  if (n === 0) return [out]
  if (xb.length === 1) {
    out.fill(xb[0]!)
    return [out]
  }
  const xs = x.aval.shape
  const xst = stridesOf(xs)
  const st = new Array<number>(shape.length).fill(0)
  for (let i = 0; i < broadcastDimensions.length; i++) {
    if (xs[i] !== 1) st[broadcastDimensions[i]!] = xst[i]!
  }
  copyStrided(o.dtype, out, 0, stridesOf(shape), xb, 0, st, shape)
  return [out]
}

const reshape: Kernel = (inputs) => [inputAt(inputs, 0).buffer]

const transpose: Kernel = (inputs, params, outs) => {
  const x = inputAt(inputs, 0)
  const { permutation } = params as TransposeParams
  const xs = x.aval.shape
  // Moving only size-1 dimensions keeps the order of the elements.
  let last = -1
  let ordered = true
  for (const p of permutation) {
    if (xs[p] === 1) continue
    if (p < last) {
      ordered = false
      break
    }
    last = p
  }
  if (ordered) return [x.buffer]
  return [transposed(outAt(outs).dtype, bufferOf(x), xs, permutation)]
}

const slice: Kernel = (inputs, params, outs) => {
  const x = inputAt(inputs, 0)
  const { startIndices, strides } = params as SliceParams
  const o = outAt(outs)
  const xs = x.aval.shape
  const xb = bufferOf(x)
  if (o.size === xb.length) return [xb] // the whole array
  const xst = stridesOf(xs)
  let off = 0
  const st: number[] = []
  for (let i = 0; i < xs.length; i++) {
    off += startIndices[i]! * xst[i]!
    st.push(xst[i]! * (strides[i] ?? 1))
  }
  return [gatherStrided(o.dtype, xb, off, st, o.shape)]
}

const pad: Kernel = (inputs, params, outs) => {
  const x = inputAt(inputs, 0)
  const v = bufferOf(inputAt(inputs, 1))[0]!
  const { paddingConfig } = params as PadParams
  const o = outAt(outs)
  const out = alloc(o.dtype, o.size)
  if (out.length === 0) return [out]
  if (v !== 0) out.fill(v)
  const ost = stridesOf(o.shape)
  let off = 0
  const dst: number[] = []
  for (let i = 0; i < paddingConfig.length; i++) {
    const [lo, , interior] = paddingConfig[i]!
    off += lo * ost[i]!
    dst.push(ost[i]! * (interior + 1))
  }
  const xs = x.aval.shape
  copyStrided(o.dtype, out, off, dst, bufferOf(x), 0, stridesOf(xs), xs)
  return [out]
}

const concatenate: Kernel = (inputs, params, outs) => {
  const o = outAt(outs)
  const dim = normAxis((params as ConcatParams).dimension, o.shape.length)
  const out = alloc(o.dtype, o.size)
  if (out.length === 0) return [out]
  const ost = stridesOf(o.shape)
  let at = 0
  for (const x of inputs) {
    const xs = x.aval.shape
    copyStrided(o.dtype, out, at * ost[dim]!, ost, bufferOf(x), 0, stridesOf(xs), xs)
    at += xs[dim]!
  }
  return [out]
}

const rev: Kernel = (inputs, params, outs) => {
  const x = inputAt(inputs, 0)
  const xs = x.aval.shape
  const dims = (params as RevParams).dimensions.map((d) => normAxis(d, xs.length))
  const xb = bufferOf(x)
  if (xb.length === 0 || dims.every((d) => xs[d]! <= 1)) return [xb]
  const st = stridesOf(xs)
  let off = 0
  for (const d of dims) {
    off += (xs[d]! - 1) * st[d]!
    st[d] = -st[d]!
  }
  return [gatherStrided(outAt(outs).dtype, xb, off, st, xs)]
}

const iota: Kernel = (_inputs, params, outs) => {
  const { shape, dimension } = params as IotaParams
  const o = outAt(outs)
  const out: AnyTypedArray = alloc(o.dtype, o.size)
  if (out.length === 0) return [out]
  const [outer, n, inner] = splitAxis(shape, normAxis(dimension, shape.length))
  let p = 0
  for (let a = 0; a < outer; a++) {
    if (inner === 1) {
      for (let i = 0; i < n; i++) out[p++] = i
    } else {
      for (let i = 0; i < n; i++, p += inner) out.fill(i, p, p + inner)
    }
  }
  return [out]
}

export const shapeKernels: Record<string, Kernel> = {
  broadcast_in_dim: broadcastInDim,
  reshape,
  transpose,
  slice,
  pad,
  concatenate,
  rev,
  iota
}
