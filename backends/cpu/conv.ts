/**
 * conv_general_dilated as im2col + GEMM. Per group, the lhs windows are gathered into a patch
 * matrix P[M, K] (M: output batch x output positions, K: in-features x window positions; padding
 * and lhs-dilation holes read as 0), the kernel into W[K, O/G], and P @ W goes to the WebAssembly
 * float32 GEMM (wasm/) when it takes it, else to a JS loop (float64 accumulation for floats,
 * wrapping integer arithmetic for int32/uint32). The result is scattered into the output layout.
 * Layouts are read through strides, so no operand is transposed first. float32 takes conv-f32.ts
 * (the patch matrix laid out for the operands' layouts, built by blocks) when the Wasm GEMM does.
 */
import type { AnyTypedArray, DType } from "../../core/dtype.js"
import type { ConvParams } from "../../core/primitives/conv.js"
import { bufferOf, inputAt, type Kernel, outAt } from "./kernel.js"
import { alloc, stridesOf } from "./layout.js"
import { wasmDot } from "./wasm/index.js"
import { type ConvEpilogue, convF32, outputIsC } from "./conv-f32.js"
import type { ShapedArray } from "../../core/array.js"
import type { KernelInput } from "../../core/backend.js"

const prod = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a * b, 1)

/** Offsets of every multi-index of `sizes` (row-major order) under `strides`. */
const offsets = (sizes: ReadonlyArray<number>, strides: ReadonlyArray<number>): Int32Array => {
  const out = new Int32Array(prod(sizes))
  const idx = sizes.map(() => 0)
  for (let i = 0; i < out.length; i++) {
    let off = 0
    for (let k = 0; k < sizes.length; k++) off += idx[k]! * strides[k]!
    out[i] = off
    for (let k = sizes.length - 1; k >= 0; k--) {
      if (++idx[k]! < sizes[k]!) break
      idx[k] = 0
    }
  }
  return out
}

/** table[os * KS + ks]: the lhs spatial offset read by output position os and window position ks, or -1 (padding or a dilation hole). */
const windowTable = (
  outSp: ReadonlyArray<number>,
  winSp: ReadonlyArray<number>,
  inSp: ReadonlyArray<number>,
  inStrides: ReadonlyArray<number>,
  p: ConvParams
): Int32Array => {
  const OS = prod(outSp)
  const KS = prod(winSp)
  const ns = outSp.length
  const table = new Int32Array(OS * KS)
  const o = outSp.map(() => 0)
  for (let os = 0; os < OS; os++) {
    const w = winSp.map(() => 0)
    for (let ks = 0; ks < KS; ks++) {
      let off = 0
      for (let k = 0; k < ns; k++) {
        const ld = p.lhsDilation[k]!
        const pos = o[k]! * p.windowStrides[k]! - p.padding[k]![0] + w[k]! * p.rhsDilation[k]!
        if (pos < 0 || pos % ld !== 0 || pos / ld >= inSp[k]!) {
          off = -1
          break
        }
        off += (pos / ld) * inStrides[k]!
      }
      table[os * KS + ks] = off
      for (let k = ns - 1; k >= 0; k--) {
        if (++w[k]! < winSp[k]!) break
        w[k] = 0
      }
    }
    for (let k = ns - 1; k >= 0; k--) {
      if (++o[k]! < outSp[k]!) break
      o[k] = 0
    }
  }
  return table
}

/** C[M, N] = A[M, K] B[K, N] (row-major, contiguous) in JS: float64 accumulation, or wrapping int32 arithmetic. */
const gemmJs = (C: AnyTypedArray, A: AnyTypedArray, B: AnyTypedArray, M: number, N: number, K: number, int: boolean): void => {
  if (int) {
    const acc = new Int32Array(N)
    for (let m = 0; m < M; m++) {
      acc.fill(0)
      for (let k = 0; k < K; k++) {
        const a = A[m * K + k]!
        if (a === 0) continue
        const b = k * N
        for (let j = 0; j < N; j++) acc[j] = (acc[j]! + Math.imul(a, B[b + j]!)) | 0
      }
      for (let j = 0; j < N; j++) C[m * N + j] = acc[j]!
    }
    return
  }
  const acc = new Float64Array(N)
  for (let m = 0; m < M; m++) {
    acc.fill(0)
    for (let k = 0; k < K; k++) {
      const a = A[m * K + k]!
      if (a === 0) continue
      const b = k * N
      for (let j = 0; j < N; j++) acc[j] = acc[j]! + a * B[b + j]!
    }
    for (let j = 0; j < N; j++) C[m * N + j] = acc[j]!
  }
}

const convGeneralDilated: Kernel = (inputs, params, outs) => [convInto(inputs, params as ConvParams, outAt(outs), undefined)]

/**
 * The convolution with its result consumed by `epilogue` instead of returned (jit's conv
 * epilogue fusion, compile/conv-epilogue.ts): by blocks of rows of the [M, O] result, never
 * materialized, when the float32 path takes it (channels-last input, dense channels-last output,
 * one group); otherwise the result is computed whole and given to `whole`.
 */
export const convFused = (
  inputs: ReadonlyArray<KernelInput>,
  params: ConvParams,
  o: ShapedArray,
  epilogue: ConvEpilogue,
  whole: (out: AnyTypedArray) => void
): void => {
  const out = convInto(inputs, params, o, epilogue)
  if (out !== undefined) whole(out)
}

/** The kernel; with `epilogue`, undefined when the epilogue consumed the result. */
function convInto(inputs: ReadonlyArray<KernelInput>, p: ConvParams, o: ShapedArray, epilogue: undefined): AnyTypedArray
function convInto(inputs: ReadonlyArray<KernelInput>, p: ConvParams, o: ShapedArray, epilogue: ConvEpilogue | undefined): AnyTypedArray | undefined
function convInto(inputs: ReadonlyArray<KernelInput>, p: ConvParams, o: ShapedArray, epilogue: ConvEpilogue | undefined): AnyTypedArray | undefined {
  const x = inputAt(inputs, 0)
  const y = inputAt(inputs, 1)
  const d: DType = o.dtype
  if (o.size === 0) return alloc(d, 0)
  const { lhsSpec: ls, rhsSpec: rs, outSpec: os } = p.dimensionNumbers
  const xs = x.aval.shape
  const ys = y.aval.shape
  const xst = stridesOf(xs)
  const yst = stridesOf(ys)
  const ost = stridesOf(o.shape)
  const ns = xs.length - 2
  const sp = Array.from({ length: ns }, (_, k) => k + 2)
  const fgc = p.featureGroupCount
  const bgc = p.batchGroupCount
  const G = Math.max(fgc, bgc)
  const nOut = o.shape[os[0]!]!
  const Og = ys[rs[0]!]! / G
  const Cg = ys[rs[1]!]!
  const winSp = sp.map((k) => ys[rs[k]!]!)
  const outSp = sp.map((k) => o.shape[os[k]!]!)
  const KS = prod(winSp)
  const OS = prod(outSp)
  const K = Cg * KS
  const M = nOut * OS
  if (K === 0) return alloc(d, o.size)
  const table = windowTable(
    outSp,
    winSp,
    sp.map((k) => xs[ls[k]!]!),
    sp.map((k) => xst[ls[k]!]!),
    p
  )
  const rOff = offsets(
    winSp,
    sp.map((k) => yst[rs[k]!]!)
  )
  const oOff = offsets(
    outSp,
    sp.map((k) => ost[os[k]!]!)
  )
  const X = bufferOf(x)
  const Y = bufferOf(y)
  const [xN, xC, yO, yI, oN, oF] = [xst[ls[0]!]!, xst[ls[1]!]!, yst[rs[0]!]!, yst[rs[1]!]!, ost[os[0]!]!, ost[os[1]!]!]
  if (d === "float32" && X instanceof Float32Array && Y instanceof Float32Array) {
    const plan = { nOut, OS, KS, Cg, Og, G, fgc, bgc, table, rOff, oOff, xN, xC, yO, yI, oN, oF }
    if (epilogue !== undefined && xC === 1 && outputIsC(plan)) {
      if (convF32(EMPTY, X, Y, plan, epilogue)) return undefined
    } else {
      const out = alloc(d, o.size) as Float32Array
      if (convF32(out, X, Y, plan)) return out
    }
  }
  const out = alloc(d, o.size)
  const int = d === "int32" || d === "uint32"
  const P = alloc(d, M * K)
  const W = alloc(d, K * Og)
  const C = alloc(d, M * Og)
  for (let g = 0; g < G; g++) {
    const nBase = bgc > 1 ? g * nOut : 0
    const cBase = fgc > 1 ? g * Cg : 0
    // P[(n, os), (c, ks)]
    for (let n = 0; n < nOut; n++) {
      for (let q = 0; q < OS; q++) {
        const row = (n * OS + q) * K
        const tb = q * KS
        for (let c = 0; c < Cg; c++) {
          const base = (n + nBase) * xN + (c + cBase) * xC
          const col = row + c * KS
          for (let ks = 0; ks < KS; ks++) {
            const t = table[tb + ks]!
            P[col + ks] = t < 0 ? 0 : X[base + t]!
          }
        }
      }
    }
    // W[(c, ks), o]
    for (let c = 0; c < Cg; c++) {
      for (let ks = 0; ks < KS; ks++) {
        const row = (c * KS + ks) * Og
        const base = c * yI + rOff[ks]!
        for (let j = 0; j < Og; j++) W[row + j] = Y[(g * Og + j) * yO + base]!
      }
    }
    if (!wasmDot(C, P, [0, K, 1], W, [0, Og, 1], 1, M, Og, K)) gemmJs(C, P, W, M, Og, K, int)
    for (let n = 0; n < nOut; n++) {
      for (let q = 0; q < OS; q++) {
        const src = (n * OS + q) * Og
        const dst = n * oN + oOff[q]! + g * Og * oF
        for (let j = 0; j < Og; j++) out[dst + j * oF] = C[src + j]!
      }
    }
  }
  return out
}

const EMPTY = new Float32Array(0)

export const convKernels: Record<string, Kernel> = { conv_general_dilated: convGeneralDilated }
