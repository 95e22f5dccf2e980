/**
 * When dot_general's float32 products go to the WebAssembly SIMD kernel (`gemm.ts`), and the call
 * that does it. dot.ts asks `wasmDot` first and keeps its own loops for everything declined here:
 * other dtypes, vector dot products and matrix-vector products (N = 1: one long dot product per
 * output, exactly rounded float64 accumulation, and no faster in a kernel that computes 8 columns
 * at a time), and engines without Wasm SIMD. Every other float32 product takes the kernel, however
 * small: the kernel's rounding depends only on K, so a product gives the same bits whether it is
 * computed alone or as one example of a batch (vmap of a matmul equals the per-example loop).
 */
import type { AnyTypedArray } from "../../../core/dtype.js"
import { WasmGemm, wasmGemm } from "./gemm.js"
import { splitGemm, splitsGemm } from "./gemm-threads.js"
import { wasmVdot } from "./vdot.js"

export const wasmDotPolicy = {
  /** Off: every product takes the JS loops (tests and benchmarks compare the two). */
  enabled: true,
  /**
   * Smallest M * N * K per batch element sent to the kernel. 1: all of them, so that batched and
   * per-example products round alike (the kernel already wins at 4 x 4 x 4).
   */
  minWork: 1,
  /** Largest Wasm memory (bytes) one call may need; bigger products stay in JS. */
  maxBytes: 1024 * 2 ** 20,
  /**
   * Largest memory (bytes) the shared kernel keeps: a Wasm memory never shrinks, so a product
   * needing more gets a kernel instance of its own, dropped after the call.
   */
  sharedBytes: 64 * 2 ** 20
}

/** The shared Wasm GEMM when the policy takes a float32 product of this size (both entry points decide alike). */
const gemmTaking = (M: number, N: number, K: number): WasmGemm | undefined => {
  if (!wasmDotPolicy.enabled || N === 1 || M * N * K < wasmDotPolicy.minWork) return undefined
  const shared = wasmGemm()
  return shared === null || shared.bytesNeeded(M, N, K) > wasmDotPolicy.maxBytes ? undefined : shared
}

/**
 * out[b, i, j] = sum_k A[b, i, k] B[b, k, j] in Wasm if the policy takes it; false if declined.
 * `a` strides (batch, M, K), `b` strides (batch, K, N), element offsets into the buffers.
 */
export const wasmDot = (
  out: AnyTypedArray,
  A: AnyTypedArray,
  aS: readonly [number, number, number],
  B: AnyTypedArray,
  bS: readonly [number, number, number],
  nb: number,
  M: number,
  N: number,
  K: number
): boolean => {
  if (!(out instanceof Float32Array && A instanceof Float32Array && B instanceof Float32Array)) return false
  const shared = gemmTaking(M, N, K)
  if (shared === undefined) return false
  const g = shared.bytesNeeded(M, N, K) <= wasmDotPolicy.sharedBytes ? shared : new WasmGemm(shared.cfg)
  const a = { data: A, off: 0, sB: aS[0], s0: aS[1], s1: aS[2] }
  const b = { data: B, off: 0, sB: bS[0], s0: bS[1], s1: bS[2] }
  // a large product: split by output rows over the intra-op threads (gemm-threads.ts)
  if (nb === 1 && splitGemm(g, out, a, b, M, N, K)) return true
  return g.run(out, 0, a, b, nb, M, N, K)
}

/** Rows of the product per block of `wasmDotBlocks`: about 64 KB of result, at least 32 rows (B is packed once per block). */
const dotBlockRows = (M: number, N: number): number => Math.min(M, Math.max(32, Math.ceil(16384 / N / 4) * 4))

let blockScratch = new Float32Array(0)

/**
 * The product `wasmDot` computes, handed to `sink` by blocks of rows of the [nb * M, N] result
 * (rows r0..r1, each block within one batch element) instead of written out: the same kernel on
 * the same rows of A, so every element has the bits `wasmDot` gives it (the intra-op split relies
 * on the same). `sink` must not call back into it. False when `wasmDot` would decline the product,
 * or would split it over intra-op threads: the caller then computes it whole.
 */
export const wasmDotBlocks = (
  A: AnyTypedArray,
  aS: readonly [number, number, number],
  B: AnyTypedArray,
  bS: readonly [number, number, number],
  nb: number,
  M: number,
  N: number,
  K: number,
  sink: (block: Float32Array, r0: number, r1: number) => void
): boolean => {
  if (!(A instanceof Float32Array && B instanceof Float32Array)) return false
  const shared = gemmTaking(M, N, K)
  if (shared === undefined) return false
  if (nb === 1 && splitsGemm(M, N, K)) return false
  const R = dotBlockRows(M, N)
  const g = shared.bytesNeeded(R, N, K) <= wasmDotPolicy.sharedBytes ? shared : new WasmGemm(shared.cfg)
  if (blockScratch.length < R * N) blockScratch = new Float32Array(Math.max(R * N, blockScratch.length * 2))
  const scratch = blockScratch
  let first = true
  for (let bi = 0; bi < nb; bi++) {
    const b = { data: B, off: bi * bS[0], sB: 0, s0: bS[1], s1: bS[2] }
    for (let m0 = 0; m0 < M; m0 += R) {
      const rows = Math.min(R, M - m0)
      const block = scratch.subarray(0, rows * N)
      const a = { data: A, off: bi * aS[0] + m0 * aS[1], sB: 0, s0: aS[1], s1: aS[2] }
      if (!g.run(block, 0, a, b, 1, rows, N, K)) {
        // Declined before any block was consumed: the caller computes the product whole.
        if (first) return false
        throw new Error("jaxfx internal: the Wasm GEMM declined a block after taking the first one")
      }
      first = false
      sink(block, bi * M + m0, bi * M + m0 + rows)
    }
  }
  return true
}

/**
 * Long float32 dot products (N = 1 and vector dots, contiguous rows) go to the blocked Wasm SIMD
 * kernel (`vdot.ts`) from this many terms on; shorter ones keep the JS float64 loop. The choice
 * depends on K alone, so a batched product and its per-example loop still round alike.
 */
export const wasmVdotPolicy = { enabled: true, minK: 4096 }

/**
 * out[oOff + i * N + j] = sum_k A[aOff + i aSM + k] B[bOff + j bSN + k] (float32) in Wasm if the
 * policy takes it; false if declined.
 */
export const wasmDotRows = (
  out: AnyTypedArray,
  oOff: number,
  A: AnyTypedArray,
  aOff: number,
  aSM: number,
  B: AnyTypedArray,
  bOff: number,
  bSN: number,
  M: number,
  N: number,
  K: number
): boolean => {
  if (!wasmVdotPolicy.enabled || K < wasmVdotPolicy.minK) return false
  if (!(out instanceof Float32Array && A instanceof Float32Array && B instanceof Float32Array)) return false
  const v = wasmVdot()
  if (v === null) return false
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) out[oOff + i * N + j] = v.run(A, aOff + i * aSM, B, bOff + j * bSN, K)
  return true
}
