/**
 * float32 matrix multiplication in WebAssembly SIMD, generated at first use with `encoder.ts`.
 *
 * D[M, N] = A[M, K] B[K, N] per batch element, for any strides of A and B (the dot_general views).
 *
 * Memory: one WebAssembly.Memory per kernel instance, grown as needed and reused across calls.
 * Per call, JS copies the operands in and the result out; in between they are arranged for the
 * micro-kernel: A into tiles of mr = 4 rows and B into panels of nr = 8 columns, both k-major
 * (the 4 or 8 values of one k-step contiguous). Dense operands are copied in as is (one memcpy)
 * and then read in place (A^T with few panels, B with K <= 384) or packed by the Wasm packers
 * (`pack.ts`: a straight 16-byte copy for A^T / B, a 4 x 4 shuffle transpose for A / B^T); other
 * strided views are packed straight from their strides in JS. No transposed copy is ever made.
 *
 * Loops (the exported driver): blocks of rows whose A part fits L2, then B panels, then the
 * block's row tiles; the panel (K x 8 floats) stays in L1 while the tiles stream past it. The
 * micro-kernel keeps a 4 x 8 block of D in eight f32x4 locals and per k-step loads two B vectors
 * and splats one A value per row (`v128.load32_splat`): 8 `f32x4.mul` + 8 `f32x4.add` (Wasm SIMD
 * has no fused multiply-add), about the issue limit of 128-bit SIMD without FMA. Edges: a last
 * tile of 1..3 rows has its own micro-kernel (no wasted rows); a last panel of fewer than 8
 * columns computes all 8 lanes (the extra ones read slack or neighbouring values) and stores only
 * the valid columns.
 *
 * Accumulation: products are summed in float32 lanes within a chunk of kc = 256 k-steps; each
 * chunk's sums are widened (`f64x2.promote_low_f32x4`) and added into a float64 block in a small
 * scratch area (L1-resident), which is rounded to float32 once at the end. So the float32 error
 * grows with 256, not with K (a long contraction is a float64 sum of float32 chunk sums), for
 * about 1.5% more work. JAX's CPU matmul accumulates in float32 throughout; this is at least as
 * accurate, but not the exactly rounded result of the JS float64 path, which dot.ts keeps for
 * vector dot products and matrix-vector products. The order of the operations depends only on
 * (M, N, K), never on the operands' layout, so every layout gives the same bits.
 */
import { type WasmMemory, wasmApi } from "./api.js"
import { Code, encodeModule, type FuncDef, Locals, ValType } from "./encoder.js"
import { type PackExport, packModuleBytes } from "./pack.js"

const { i32, v128 } = ValType

export interface GemmConfig {
  /** Rows of the micro-kernel's C block. */
  readonly mr: number
  /** Columns of the micro-kernel's C block (a multiple of 4). */
  readonly nr: number
  /** Terms summed in float32 before a chunk's sums are added into the float64 block. */
  readonly kc: number
}

export const defaultConfig: GemmConfig = { mr: 4, nr: 8, kc: 256 }

/** Bytes at address 0 of linear memory where a micro-kernel widens its chunk sums (mr * nr f64). */
const SCRATCH = 0

/**
 * micro_mr(aP, bP, dP, K, ldd, aks, bks, w): D[r, c] = float32(sum_{k < K} A(r, k) * B(k, c)) for
 * r < mr, c < w (w <= nr), with A(r, k) at aP + k * aks + 4 r, B(k, c) at bP + k * bks + 4 c and
 * D(r, c) at dP + r * ldd + 4 c (float32, bytes). The block lives in mr * nr / 4 f32x4 locals
 * for a chunk of kc k-steps, then is widened and added into the float64 scratch block.
 */
const microKernel = (mr: number, cfg: GemmConfig): FuncDef => {
  const { nr, kc: KC } = cfg
  const V = nr / 4
  const params = [i32, i32, i32, i32, i32, i32, i32, i32]
  const [aP, bP, dP, K, ldd, aks, bks, w] = [0, 1, 2, 3, 4, 5, 6, 7]
  const L = new Locals(params)
  const acc = Array.from({ length: mr * V }, () => L.add(v128)) // acc[r * V + v]; locals start at zero
  const b = Array.from({ length: V }, () => L.add(v128))
  const a = L.add(v128)
  const end = L.add(i32)
  const left = L.add(i32)
  const kc = L.add(i32)
  const dR = L.add(i32)
  const col = L.add(i32)
  const zero = L.add(v128) // never written: locals start at zero (shorter than a 16-byte v128.const)
  const c = new Code()
  /** Byte offset of scratch element (r, j), j < nr. */
  const sOff = (r: number, j: number): number => SCRATCH + (r * nr + j) * 8

  for (let q = 0; q < (mr * nr) / 2; q++)
    c.i32Const(0)
      .localGet(zero)
      .v128Store(SCRATCH + 16 * q)
  c.localGet(K).localSet(left)
  c.loop() // chunks of at most KC k-steps
  {
    // kc = min(KC, left); left -= kc; end = bP + kc * bks
    c.i32Const(KC).localGet(left).i32Const(KC).localGet(left).i32LtU().select().localTee(kc)
    c.localGet(left).localGet(kc).i32Sub().localSet(left)
    c.localGet(bks).i32Mul().localGet(bP).i32Add().localSet(end)
    c.loop() // k-steps: do { ... } while (bP != end), kc >= 1
    for (let v = 0; v < V; v++)
      c.localGet(bP)
        .v128Load(16 * v)
        .localSet(b[v]!)
    for (let r = 0; r < mr; r++) {
      c.localGet(aP)
        .v128Load32Splat(4 * r)
        .localSet(a)
      for (let v = 0; v < V; v++) {
        const x = acc[r * V + v]!
        c.localGet(x).localGet(a).localGet(b[v]!).f32x4Mul().f32x4Add().localSet(x)
      }
    }
    c.localGet(aP).localGet(aks).i32Add().localSet(aP)
    c.localGet(bP).localGet(bks).i32Add().localTee(bP).localGet(end).i32Ne().brIf(0)
    c.end()
    // scratch (float64) += the chunk's sums, lanes 0,1 then 2,3 of each f32x4; restart at zero
    const hi = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]
    for (let r = 0; r < mr; r++) {
      for (let v = 0; v < V; v++) {
        const x = acc[r * V + v]!
        for (const half of [0, 1]) {
          const off = sOff(r, 4 * v + 2 * half)
          c.i32Const(0)
          c.i32Const(0).v128Load(off)
          c.localGet(x)
          if (half === 1) c.localGet(x).i8x16Shuffle(hi)
          c.f64x2PromoteLowF32x4().f64x2Add().v128Store(off)
        }
        c.localGet(zero).localSet(x)
      }
    }
    c.localGet(left).brIf(0)
  }
  c.end()

  // D = float32(scratch): whole rows of nr four at a time, or the first w columns one at a time
  const join = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]
  c.localGet(dP).localSet(dR)
  c.localGet(w).i32Const(nr).i32Eq().if()
  for (let r = 0; r < mr; r++) {
    if (r > 0) c.localGet(dR).localGet(ldd).i32Add().localSet(dR)
    for (let v = 0; v < V; v++) {
      c.localGet(dR)
      c.i32Const(0)
        .v128Load(sOff(r, 4 * v))
        .f32x4DemoteF64x2Zero()
      c.i32Const(0)
        .v128Load(sOff(r, 4 * v + 2))
        .f32x4DemoteF64x2Zero()
      c.i8x16Shuffle(join).v128Store(16 * v)
    }
  }
  c.else()
  for (let r = 0; r < mr; r++) {
    if (r > 0) c.localGet(dR).localGet(ldd).i32Add().localSet(dR)
    c.i32Const(0).localSet(col)
    c.loop()
    c.localGet(dR).localGet(col).i32Const(4).i32Mul().i32Add()
    c.localGet(col).i32Const(8).i32Mul().f64Load(sOff(r, 0)).f32DemoteF64().f32Store(0)
    c.localGet(col).i32Const(1).i32Add().localTee(col).localGet(w).i32LtU().brIf(0)
    c.end()
  }
  c.end()
  return { params, results: [], locals: L.locals, body: c }
}

/**
 * gemm(A, aRs, aks, B, bPs, bks, D, M, N, K, P, mc): D[M, N] (float32, rows 4 N bytes apart) =
 * A[M, K] B[K, N]. Addresses in bytes: the tile of rows i .. i + mr - 1 (i a multiple of mr)
 * starts at A + i * aRs, its element (r, k) at + k * aks + 4 r (packed tiles: aRs = 4 K,
 * aks = 4 mr; a transposed operand A^T[K, M] as is: aRs = 4, aks = 4 M); panel p (of P, nr
 * columns each, the last one possibly narrower) of B starts at B + p * bPs, its element (k, c) at
 * + k * bks + 4 c (packed panels: bPs = 4 K nr, bks = 4 nr; B[K, N] as is: bPs = 4 nr, bks = 4 N).
 * Loops: blocks of mc rows (a multiple of mr; A's block stays in L2), panels (one panel stays in
 * L1 while the block's tiles pass it), tiles of mr rows (the last one may be shorter). Micro-kernel
 * h - 1 handles h rows; the driver is function mr.
 */
const driver = (cfg: GemmConfig): FuncDef => {
  const { mr, nr } = cfg
  const params = [i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32]
  const [A, aRs, aks, B, bPs, bks, D, M, N, K, P, mc] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
  const L = new Locals(params)
  const i0 = L.add(i32)
  const i1 = L.add(i32)
  const p = L.add(i32)
  const i = L.add(i32)
  const ldd = L.add(i32)
  const bP = L.add(i32)
  const dCol = L.add(i32)
  const w = L.add(i32)
  const rem = L.add(i32)
  const c = new Code()

  const callTile = (h: number): void => {
    c.localGet(A).localGet(i).localGet(aRs).i32Mul().i32Add()
    c.localGet(bP)
    c.localGet(dCol).localGet(i).localGet(ldd).i32Mul().i32Add()
    c.localGet(K)
      .localGet(ldd)
      .localGet(aks)
      .localGet(bks)
      .localGet(w)
      .call(h - 1)
  }

  c.localGet(N).i32Const(4).i32Mul().localSet(ldd)
  c.loop() // row blocks
  {
    // i1 = min(i0 + mc, M)
    c.localGet(i0).localGet(mc).i32Add().localTee(i1).localGet(M).localGet(i1).localGet(M).i32LtU().select().localSet(i1)
    c.i32Const(0).localSet(p)
    c.loop() // panels
    {
      // w = min(nr, N - p * nr)
      c.localGet(N).localGet(p).i32Const(nr).i32Mul().i32Sub().localTee(w)
      c.i32Const(nr).localGet(w).i32Const(nr).i32LtU().select().localSet(w)
      c.localGet(B).localGet(p).localGet(bPs).i32Mul().i32Add().localSet(bP)
      c.localGet(D)
        .localGet(p)
        .i32Const(nr * 4)
        .i32Mul()
        .i32Add()
        .localSet(dCol)
      c.localGet(i0).localSet(i)
      c.block().loop()
      {
        c.localGet(i1).localGet(i).i32Sub().i32Const(mr).i32LtU().brIf(1)
        callTile(mr)
        c.localGet(i).i32Const(mr).i32Add().localSet(i)
        c.br(0)
      }
      c.end().end()
      // the remaining rows (fewer than mr; only in the last block)
      c.localGet(i1).localGet(i).i32Sub().localSet(rem)
      for (let h = 1; h < mr; h++) {
        c.localGet(rem).i32Const(h).i32Eq().if()
        callTile(h)
        c.end()
      }
      c.localGet(p).i32Const(1).i32Add().localTee(p).localGet(P).i32LtU().brIf(0)
    }
    c.end()
    c.localGet(i1).localTee(i0).localGet(M).i32LtU().brIf(0)
  }
  c.end()
  return { export: "gemm", params, results: [], locals: L.locals, body: c }
}

/** The module's bytes: micro-kernels for 1 .. mr rows, then the exported driver. */
export const gemmModuleBytes = (cfg: GemmConfig = defaultConfig, memory = { module: "env", name: "memory" }): Uint8Array => {
  if (cfg.nr % 4 !== 0 || cfg.mr < 1 || cfg.kc < 1) throw new Error("bad gemm config")
  const functions = Array.from({ length: cfg.mr }, (_, r) => microKernel(r + 1, cfg))
  functions.push(driver(cfg))
  return encodeModule({ memory: { ...memory, minPages: 1 }, functions })
}

/** Whether this engine runs Wasm SIMD (a module using v128 validates). */
export const simdSupported = (): boolean => {
  try {
    const W = wasmApi()
    if (W === undefined || typeof W.validate !== "function") return false
    const body = new Code().v128Zero().v128Zero().f32x4Add().f64x2PromoteLowF32x4().drop()
    return W.validate(encodeModule({ functions: [{ params: [], results: [], locals: [], body }] }))
  } catch {
    return false
  }
}

// --- the JS side: packing, memory, batches --------------------------------------------------

/** A strided float32 operand: element (b, i, j) at off + b * sB + i * s0 + j * s1. */
export interface StridedF32 {
  readonly data: Float32Array
  readonly off: number
  readonly sB: number
  readonly s0: number
  readonly s1: number
}

/**
 * Pack A[M, K] (element (i, k) at src[off + i * sM + k * sK]) into tiles of mr rows, k-major:
 * tile t at dst[dOff + t * mr * K], its element (r, k) at + k * mr + r (a last, shorter tile
 * leaves its missing rows unwritten: the kernel for its height never reads them).
 */
const packA = (dst: Float32Array, dOff: number, src: Float32Array, off: number, sM: number, sK: number, M: number, K: number, mr: number): void => {
  for (let i0 = 0; i0 < M; i0 += mr) {
    const h = M - i0 < mr ? M - i0 : mr
    const base = off + i0 * sM
    let o = dOff + i0 * K
    if (h === 4 && mr === 4) {
      // the common full tile, unrolled
      for (let k = 0, s = base; k < K; k++, s += sK) {
        dst[o] = src[s]!
        dst[o + 1] = src[s + sM]!
        dst[o + 2] = src[s + 2 * sM]!
        dst[o + 3] = src[s + 3 * sM]!
        o += 4
      }
    } else {
      for (let k = 0, s = base; k < K; k++, s += sK, o += mr) {
        for (let r = 0, q = s; r < h; r++, q += sM) dst[o + r] = src[q]!
      }
    }
  }
}

/**
 * Pack B[K, N] (element (k, j) at src[off + k * sK + j * sN]) into panels of nr columns:
 * panel p at dst[dOff + p * K * nr], element (k, c) at + k * nr + c; columns past N are zero.
 */
const packB = (dst: Float32Array, dOff: number, src: Float32Array, off: number, sK: number, sN: number, K: number, N: number, nr: number): void => {
  let o = dOff
  for (let j0 = 0; j0 < N; j0 += nr) {
    const w = N - j0 < nr ? N - j0 : nr
    const base = off + j0 * sN
    if (w === 8 && nr === 8) {
      for (let k = 0, s = base; k < K; k++, s += sK) {
        dst[o] = src[s]!
        dst[o + 1] = src[s + sN]!
        dst[o + 2] = src[s + 2 * sN]!
        dst[o + 3] = src[s + 3 * sN]!
        dst[o + 4] = src[s + 4 * sN]!
        dst[o + 5] = src[s + 5 * sN]!
        dst[o + 6] = src[s + 6 * sN]!
        dst[o + 7] = src[s + 7 * sN]!
        o += 8
      }
    } else {
      for (let k = 0, s = base; k < K; k++, s += sK) {
        let c = 0
        for (let q = s; c < w; c++, q += sN) dst[o + c] = src[q]!
        for (; c < nr; c++) dst[o + c] = 0
        o += nr
      }
    }
  }
}

const align = (n: number): number => (n + 63) & ~63

type GemmExport = (
  a: number,
  aRs: number,
  aks: number,
  b: number,
  bPs: number,
  bks: number,
  d: number,
  m: number,
  n: number,
  k: number,
  p: number,
  mc: number
) => void

/** How each operand gets into linear memory (see `run`). */
export type Mode = "direct" | "copy" | "transpose" | "js"

/** A compiled kernel with its memory. */
export class WasmGemm {
  private readonly memory: WasmMemory
  private readonly gemm: GemmExport
  private readonly pack: { readonly copy4: PackExport; readonly copy8: PackExport; readonly transpose4: PackExport; readonly transpose8: PackExport }
  private f32: Float32Array
  readonly cfg: GemmConfig
  /** Read A / B in place (after a plain copy) when their layout allows, instead of packing. */
  readonly direct: { readonly a: boolean; readonly b: boolean }
  /** Pack dense operands with the Wasm packers (else in JS). */
  readonly wasmPack: boolean
  /** Bytes of A (mc rows x K) a row block may span: the block stays in L2 across the panels. */
  blockBytes = 512 * 1024
  /** How the last call brought each operand in (for tests): "js" only for scattered strides. */
  lastModes: { readonly a: Mode; readonly b: Mode } = { a: "js", b: "js" }

  constructor(cfg: GemmConfig = defaultConfig, direct: boolean | { readonly a: boolean; readonly b: boolean } = true, wasmPack = true) {
    this.cfg = cfg
    this.direct = typeof direct === "boolean" ? { a: direct, b: direct } : direct
    this.wasmPack = wasmPack && cfg.mr === 4 && cfg.nr === 8
    const W = wasmApi()
    if (W === undefined) throw new Error("jaxfx: WebAssembly is unavailable")
    this.memory = new W.Memory({ initial: 1 })
    const env = { env: { memory: this.memory } }
    this.gemm = new W.Instance(new W.Module(gemmModuleBytes(cfg)), env).exports["gemm"] as GemmExport
    const ex = new W.Instance(new W.Module(packModuleBytes()), env).exports
    this.pack = {
      copy4: ex["copy4"] as PackExport,
      copy8: ex["copy8"] as PackExport,
      transpose4: ex["transpose4"] as PackExport,
      transpose8: ex["transpose8"] as PackExport
    }
    this.f32 = new Float32Array(this.memory.buffer)
  }

  /** Bytes of linear memory now reserved (for tests). */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength
  }

  /** Make linear memory at least `bytes` long; false if the engine refuses to grow it. */
  private ensure(bytes: number): boolean {
    const have = this.memory.buffer.byteLength
    if (bytes <= have) return true
    // grow geometrically so a sequence of growing calls reallocates O(log) times
    const want = Math.max(bytes, Math.min(have * 2, have + 256 * 2 ** 20))
    try {
      this.memory.grow(Math.ceil((want - have) / 65536))
    } catch {
      try {
        this.memory.grow(Math.ceil((bytes - have) / 65536))
      } catch {
        return false
      }
    }
    this.f32 = new Float32Array(this.memory.buffer)
    return true
  }

  /**
   * Byte offsets in linear memory: the micro-kernels' scratch at 0, then A's region (packed tiles,
   * or the operand as is when it is read in place), B's region (likewise), the float32 result D,
   * and a staging area for operands on their way to the packers; and the end. Sizes are in floats
   * (`aFloats`, `bFloats`, `rawFloats`: 0 for the dense packed default), each with slack for the
   * packers' and kernels' overhang (see pack.ts).
   */
  private layout(
    M: number,
    N: number,
    K: number,
    aFloats = 0,
    bFloats = 0,
    rawFloats = 0
  ): { aOff: number; bOff: number; dOff: number; rawOff: number; end: number } {
    const { mr, nr } = this.cfg
    const Mp = Math.ceil(M / mr) * mr
    const Np = Math.ceil(N / nr) * nr
    const aOff = align(SCRATCH + mr * nr * 8)
    const bOff = align(aOff + (Math.max(Mp * K, aFloats) + 4 * mr) * 4)
    const dOff = align(bOff + (Math.max(Np * K, bFloats) + 4 * nr) * 4)
    const rawOff = align(dOff + M * N * 4)
    return { aOff, bOff, dOff, rawOff, end: rawOff + (Math.max(Mp * K, Np * K, rawFloats) + 16) * 4 }
  }

  /** Linear memory one product of this size needs (dense operands). */
  bytesNeeded(M: number, N: number, K: number): number {
    return this.layout(M, N, K).end
  }

  /**
   * out[outOff + b * M * ldo + i * ldo + j] = sum_k A(b, i, k) B(b, k, j) for b < nb, rounded to
   * float32 (rows of out `ldo` floats apart, N by default: a block of columns of a wider result
   * otherwise). A's strides are (sB, s0 = sM, s1 = sK), B's (sB, s0 = sK, s1 = sN); a batch stride
   * of 0 broadcasts the operand (copied once). K >= 1. An operand whose rows (or columns) are
   * contiguous takes the Wasm packers (or is read in place) whatever its row stride, so a block of
   * rows or columns of a larger matrix (the intra-op split, gemm-threads.ts) packs as fast as a
   * whole one; other strides are packed in JS. False (out untouched) if linear memory cannot grow.
   */
  run(out: Float32Array, outOff: number, a: StridedF32, b: StridedF32, nb: number, M: number, N: number, K: number, ldo = N): boolean {
    const { mr, nr } = this.cfg
    const P = Math.ceil(N / nr)
    const TA = Math.ceil(M / mr)
    const Mp = TA * mr
    const Np = P * nr
    // the leading dimension (floats between rows) of each layout, when the layout applies
    const aRows = a.s1 === 1 && (a.s0 >= K || M === 1) // A's rows contiguous: [M, K] rows lda apart
    const aCols = a.s0 === 1 && (a.s1 >= M || K === 1) // A^T's rows contiguous: [K, M] rows lda apart
    const bRows = b.s1 === 1 && (b.s0 >= N || K === 1) // B's rows contiguous: [K, N] rows ldb apart
    const bCols = b.s0 === 1 && (b.s1 >= K || N === 1) // B^T's rows contiguous: [N, K] rows ldb apart
    const wp = this.wasmPack
    // A^T is read in place (rows of A^T are the tiles' k-steps) only for a few panels: every panel
    // reads all of A, and packed tiles stream faster than rows M floats apart (measured: packing
    // wins from about 8 panels on, in-place reads win 2x at 2 panels).
    const aMode: Mode = aCols && this.direct.a && P <= 4 ? "direct" : aCols && wp ? "copy" : aRows && wp ? "transpose" : "js"
    // B is read in place if a panel still fits L1 that way: its K rows of nr floats touch K cache
    // lines (measured: 2.7x slower than packed at K = 2048, slower already at K = 512).
    const bMode: Mode = bRows && this.direct.b && K <= 384 ? "direct" : bRows && wp ? "copy" : bCols && wp ? "transpose" : "js"
    const lda = aMode === "direct" || aMode === "copy" ? (K === 1 ? M : a.s1) : M === 1 ? K : a.s0
    const ldb = bMode === "direct" || bMode === "copy" ? (K === 1 ? N : b.s0) : N === 1 ? K : b.s1
    // floats copied as is (the operand's span), and what the packers or the kernel read from it
    const aSpan = aMode === "direct" || aMode === "copy" ? (K - 1) * lda + M : (M - 1) * lda + K
    const bSpan = bMode === "direct" || bMode === "copy" ? (K - 1) * ldb + N : (N - 1) * ldb + K
    const aRead = aMode === "direct" || aMode === "copy" ? (K - 1) * lda + Mp + 4 : (Mp - 1) * lda + K + 4
    const bRead = bMode === "direct" || bMode === "copy" ? (K - 1) * ldb + Np + 4 : (Np - 1) * ldb + K + 4
    const raw = Math.max(aMode === "copy" || aMode === "transpose" ? aRead : 0, bMode === "copy" || bMode === "transpose" ? bRead : 0)
    const { aOff, bOff, dOff, rawOff, end } = this.layout(M, N, K, aMode === "direct" ? aRead : 0, bMode === "direct" ? bRead : 0, raw)
    if (!this.ensure(end)) return false
    this.lastModes = { a: aMode, b: bMode }
    const f32 = this.f32
    const [aRs, aks] = aMode === "direct" ? [4, lda * 4] : [K * 4, mr * 4]
    const [bPs, bks] = bMode === "direct" ? [nr * 4, ldb * 4] : [K * nr * 4, nr * 4]
    const mc = Math.max(mr, Math.floor(this.blockBytes / (K * 4 * mr)) * mr)
    const { copy4, copy8, transpose4, transpose8 } = this.pack
    for (let bi = 0; bi < nb; bi++) {
      if (bi === 0 || a.sB !== 0) {
        const o = a.off + bi * a.sB
        if (aMode === "js") packA(f32, aOff / 4, a.data, o, a.s0, a.s1, M, K, mr)
        else {
          f32.set(a.data.subarray(o, o + aSpan), (aMode === "direct" ? aOff : rawOff) / 4)
          if (aMode === "copy") copy4(rawOff, lda * 4, aOff, K, TA)
          else if (aMode === "transpose") transpose4(rawOff, lda * 4, aOff, K, TA)
        }
      }
      if (bi === 0 || b.sB !== 0) {
        const o = b.off + bi * b.sB
        if (bMode === "js") packB(f32, bOff / 4, b.data, o, b.s0, b.s1, K, N, nr)
        else {
          f32.set(b.data.subarray(o, o + bSpan), (bMode === "direct" ? bOff : rawOff) / 4)
          if (bMode === "copy") copy8(rawOff, ldb * 4, bOff, K, P)
          else if (bMode === "transpose") transpose8(rawOff, ldb * 4, bOff, K, P)
        }
      }
      this.gemm(aOff, aRs, aks, bOff, bPs, bks, dOff, M, N, K, P, mc)
      if (ldo === N) out.set(f32.subarray(dOff / 4, dOff / 4 + M * N), outOff + bi * M * N)
      else for (let i = 0, d = dOff / 4; i < M; i++, d += N) out.set(f32.subarray(d, d + N), outOff + bi * M * ldo + i * ldo)
    }
    return true
  }
}

let shared: WasmGemm | null | undefined

/** The process-wide kernel, built on first use; null where Wasm SIMD is unavailable. */
export const wasmGemm = (): WasmGemm | null => {
  if (shared === undefined) {
    try {
      shared = simdSupported() ? new WasmGemm() : null
    } catch {
      shared = null
    }
  }
  return shared
}
