/**
 * The float32 convolution path of conv.ts: im2col into the WebAssembly GEMM with the patch matrix
 * laid out so that its gather reads the input along its unit-stride axis.
 *
 * - Features innermost in the input (channels-last, NHWC: the forward conv and the input
 *   gradient): P[(n, q), (ks, c)], each window position a contiguous run of channels, built and
 *   multiplied in blocks of rows that stay in cache; when the output is channels-last and dense,
 *   the GEMM writes it in place.
 * - Batch innermost (the kernel gradient of a channels-last conv, whose "batch" is the channel
 *   axis): P^T[(c, ks), (q, n)], a contiguous run of n per window position, given to the GEMM as
 *   A^T.
 * - Otherwise (channels-first): P[(n, q), (c, ks)] through the window table.
 *
 * With an epilogue (jit's fusion of the elementwise kernel that consumes the conv, see
 * compile/conv-epilogue.ts), a channels-last dense output is never written: each block of rows of
 * the GEMM's result goes to the epilogue while it is in cache.
 *
 * Scratch buffers are reused across calls. The sums are the GEMM's (float32 chunks of 256 summed
 * in float64), in an order that depends on the layout only through the order of the
 * contraction's terms.
 */
import { wasmDot } from "./wasm/index.js"

/** The geometry conv.ts computed: strides of the operands' logical axes, the window table and the offset tables. */
export interface ConvF32Plan {
  readonly nOut: number
  readonly OS: number
  readonly KS: number
  readonly Cg: number
  readonly Og: number
  readonly G: number
  readonly fgc: number
  readonly bgc: number
  /** table[q * KS + ks]: the lhs spatial offset, or -1. */
  readonly table: Int32Array
  /** The rhs spatial offset of each window position. */
  readonly rOff: Int32Array
  /** The output spatial offset of each output position. */
  readonly oOff: Int32Array
  readonly xN: number
  readonly xC: number
  readonly yO: number
  readonly yI: number
  readonly oN: number
  readonly oF: number
}

let scratchP: Float32Array = new Float32Array(0)
let scratchW: Float32Array = new Float32Array(0)
let scratchC: Float32Array = new Float32Array(0)
const grow = (a: Float32Array, n: number): Float32Array => (a.length >= n ? a : new Float32Array(Math.max(n, a.length * 2)))

/**
 * Consumes rows [m0, m1) of the result viewed as [M, O] (M = batch x output positions), given in
 * `C` row-major ((m1 - m0) x O values, valid only during the call).
 */
export type ConvEpilogue = (C: Float32Array, m0: number, m1: number) => void

/** Rows of P per GEMM call when P is built by blocks: about 1 MiB of patches. */
export const blockRows = (K: number): number => Math.max(64, Math.floor(2 ** 18 / K / 4) * 4)

/** True if the GEMM's C[(n, q), j] of group g is the output itself (channels-last, dense). */
export const outputIsC = (pl: ConvF32Plan): boolean => {
  if (pl.G !== 1 || pl.oF !== 1 || pl.oN !== pl.OS * pl.Og) return false
  for (let q = 0; q < pl.OS; q++) if (pl.oOff[q] !== q * pl.Og) return false
  return true
}

/** W[(ks, c), j] (ksMajor) or W[(c, ks), j] for group g. */
const gatherW = (W: Float32Array, Y: Float32Array, pl: ConvF32Plan, g: number, ksMajor: boolean): void => {
  const { KS, Cg, Og, yO, yI, rOff } = pl
  for (let c = 0; c < Cg; c++) {
    for (let ks = 0; ks < KS; ks++) {
      const row = (ksMajor ? ks * Cg + c : c * KS + ks) * Og
      const base = g * Og * yO + c * yI + rOff[ks]!
      if (yO === 1) for (let j = 0; j < Og; j++) W[row + j] = Y[base + j]!
      else for (let j = 0; j < Og; j++) W[row + j] = Y[base + j * yO]!
    }
  }
}

/** P[dst, dst + len) = X[src, src + len): a loop for short runs, a memcpy for long ones. */
const copy = (P: Float32Array, dst: number, X: Float32Array, src: number, len: number): void => {
  if (len >= 64) P.set(X.subarray(src, src + len), dst)
  else for (let i = 0; i < len; i++) P[dst + i] = X[src + i]!
}

/**
 * Rows [m0, m1) of P[(n, q), (ks, c)] (c contiguous in X: xC = 1). Window positions whose inputs
 * follow each other in X (along the innermost spatial axis, stride 1, no dilation) are one copy.
 */
const gatherRowsChannelsLast = (P: Float32Array, X: Float32Array, pl: ConvF32Plan, g: number, m0: number, m1: number): void => {
  const { OS, KS, Cg, table, xN, fgc, bgc, nOut } = pl
  const K = KS * Cg
  const cBase = fgc > 1 ? g * Cg : 0
  const nBase = bgc > 1 ? g * nOut : 0
  for (let m = m0; m < m1; m++) {
    const n = (m / OS) | 0
    const q = m - n * OS
    const base = (n + nBase) * xN + cBase
    const tb = q * KS
    const row = (m - m0) * K
    let ks = 0
    while (ks < KS) {
      const t = table[tb + ks]!
      let r = 1
      if (t < 0) {
        while (ks + r < KS && table[tb + ks + r]! < 0) r++
        P.fill(0, row + ks * Cg, row + (ks + r) * Cg)
      } else {
        while (ks + r < KS && table[tb + ks + r] === t + r * Cg) r++
        copy(P, row + ks * Cg, X, base + t, r * Cg)
      }
      ks += r
    }
  }
}

/** P^T[(c, ks), (q, n)] (n contiguous in X: xN = 1); output positions whose inputs follow each other in X are one copy. */
const gatherBatchInnermost = (P: Float32Array, X: Float32Array, pl: ConvF32Plan, g: number): void => {
  const { OS, KS, Cg, table, xC, fgc, bgc, nOut } = pl
  const M = nOut * OS
  const cBase = fgc > 1 ? g * Cg : 0
  const nBase = bgc > 1 ? g * nOut : 0
  for (let c = 0; c < Cg; c++) {
    const base = (c + cBase) * xC + nBase
    for (let ks = 0; ks < KS; ks++) {
      const row = (c * KS + ks) * M
      let q = 0
      while (q < OS) {
        const t = table[q * KS + ks]!
        let r = 1
        if (t < 0) {
          while (q + r < OS && table[(q + r) * KS + ks]! < 0) r++
          P.fill(0, row + q * nOut, row + (q + r) * nOut)
        } else {
          while (q + r < OS && table[(q + r) * KS + ks] === t + r * nOut) r++
          copy(P, row + q * nOut, X, base + t, r * nOut)
        }
        q += r
      }
    }
  }
}

/** P[(n, q), (c, ks)] through the window table (any layout). */
const gatherGeneric = (P: Float32Array, X: Float32Array, pl: ConvF32Plan, g: number): void => {
  const { OS, KS, Cg, table, xN, xC, fgc, bgc, nOut } = pl
  const K = Cg * KS
  const cBase = fgc > 1 ? g * Cg : 0
  const nBase = bgc > 1 ? g * nOut : 0
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
}

/** out[n, q, g * Og + j] = C[m(n, q), j] with m = n * OS + q, or q * nOut + n (qMajor). */
const scatter = (out: Float32Array, C: Float32Array, pl: ConvF32Plan, g: number, qMajor: boolean): void => {
  const { nOut, OS, Og, oN, oF, oOff } = pl
  for (let n = 0; n < nOut; n++) {
    for (let q = 0; q < OS; q++) {
      const src = (qMajor ? q * nOut + n : n * OS + q) * Og
      const dst = n * oN + oOff[q]! + g * Og * oF
      if (oF === 1) for (let j = 0; j < Og; j++) out[dst + j] = C[src + j]!
      else for (let j = 0; j < Og; j++) out[dst + j * oF] = C[src + j]!
    }
  }
}

/** Scratch kept between calls, up to 64 MiB each; bigger ones are dropped after the call. */
const KEEP = 2 ** 24
const release = (): void => {
  if (scratchP.length > KEEP) scratchP = new Float32Array(0)
  if (scratchW.length > KEEP) scratchW = new Float32Array(0)
  if (scratchC.length > KEEP) scratchC = new Float32Array(0)
}

/**
 * The float32 convolution into `out`; false if the Wasm GEMM declines (then the caller computes all of `out`).
 * With `epilogue` (only for a channels-last input and a dense channels-last output, `outputIsC`),
 * `out` is not written: every block of rows goes to the epilogue instead.
 */
export const convF32 = (out: Float32Array, X: Float32Array, Y: Float32Array, pl: ConvF32Plan, epilogue?: ConvEpilogue): boolean => {
  try {
    return run(out, X, Y, pl, epilogue)
  } finally {
    release()
  }
}

const run = (out: Float32Array, X: Float32Array, Y: Float32Array, pl: ConvF32Plan, epilogue: ConvEpilogue | undefined): boolean => {
  const { nOut, OS, KS, Cg, Og, G } = pl
  const K = Cg * KS
  const M = nOut * OS
  const mode = pl.xC === 1 ? "channelsLast" : pl.xN === 1 && nOut > 1 ? "batchInnermost" : "generic"
  if (epilogue !== undefined && (mode !== "channelsLast" || !outputIsC(pl))) {
    throw new Error("jaxfx internal: a conv epilogue needs a channels-last input and a dense channels-last output")
  }
  scratchW = grow(scratchW, K * Og)
  const W = scratchW
  if (mode === "channelsLast") {
    const rows = Math.min(M, blockRows(K))
    scratchP = grow(scratchP, rows * K)
    const direct = outputIsC(pl)
    if (!direct) scratchC = grow(scratchC, M * Og)
    else if (epilogue !== undefined) scratchC = grow(scratchC, rows * Og)
    const C = direct && epilogue === undefined ? out : scratchC
    for (let g = 0; g < G; g++) {
      gatherW(W, Y, pl, g, true)
      for (let m0 = 0; m0 < M; m0 += rows) {
        const m1 = Math.min(M, m0 + rows)
        gatherRowsChannelsLast(scratchP, X, pl, g, m0, m1)
        // With an epilogue the block's rows go to scratch at offset 0, and on to the epilogue.
        const at = epilogue === undefined ? m0 * Og : 0
        const block = C.subarray(at, at + (m1 - m0) * Og)
        if (!wasmDot(block, scratchP, [0, K, 1], W, [0, Og, 1], 1, m1 - m0, Og, K)) return false
        if (epilogue !== undefined) epilogue(block, m0, m1)
      }
      if (!direct) scatter(out, C, pl, g, false)
    }
    return true
  }
  scratchP = grow(scratchP, M * K)
  scratchC = grow(scratchC, M * Og)
  const P = scratchP
  const C = scratchC
  for (let g = 0; g < G; g++) {
    gatherW(W, Y, pl, g, false)
    if (mode === "batchInnermost") {
      gatherBatchInnermost(P, X, pl, g)
      if (!wasmDot(C, P, [0, 1, M], W, [0, Og, 1], 1, M, Og, K)) return false
    } else {
      gatherGeneric(P, X, pl, g)
      if (!wasmDot(C, P, [0, K, 1], W, [0, Og, 1], 1, M, Og, K)) return false
    }
    scatter(out, C, pl, g, mode === "batchInnermost")
  }
  return true
}
