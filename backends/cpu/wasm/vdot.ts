/**
 * Long float32 dot products (vector dots, and each output of a matrix-vector product) in
 * WebAssembly SIMD, generated at first use with `encoder.ts`.
 *
 * Accumulation: float64 throughout, as the JS loop it replaces (dot.ts): each float32 operand is
 * widened (`f64x2.promote_low_f32x4`), so every product is exact, and the terms are summed in eight
 * float64 lanes (term k in lane k mod 8 of its chunk); the chunks' sums are added in float64 in
 * JavaScript and the total is rounded to float32 once. So the result is the float64 sum rounded
 * once, the same guarantee as before (relative error about 2^-24 of |sum| plus K 2^-53 of
 * sum |a_k b_k|), and the order of the operations depends only on K (the same bits whatever the
 * batch or layout around the row). Two float64 lanes per instruction instead of four float32:
 * the kernel is still limited by memory bandwidth for long rows, the case it is used for.
 *
 * JavaScript arrays are not in linear memory: the rows go in by chunks of `CHUNK` terms (a whole
 * number of blocks) copied into a 64 KiB staging area that stays in cache, so the copy streams at
 * memory bandwidth and the kernel reads from L1/L2.
 */
import { type WasmMemory, wasmApi } from "./api.js"
import { Code, encodeModule, type FuncDef, Locals, ValType } from "./encoder.js"
import { simdSupported } from "./gemm.js"

const { i32, f64, v128 } = ValType

/** Terms per step of the SIMD loop (two f32x4 loads per operand). */
export const GROUP = 8
/** Terms per chunk copied into linear memory per kernel call (a multiple of GROUP). */
export const CHUNK = 8192

/**
 * vdot(aP, bP, n) -> f64: sum_{k < n} A[k] B[k] (float32 at byte addresses aP, bP), n >= 0, in
 * float64: term k goes to float64 lane k mod 8 (four f64x2 accumulators over groups of 8 terms)
 * while whole groups remain, the rest to a scalar; the lanes are added pairwise at the end.
 */
const vdotFunc = (): FuncDef => {
  const params = [i32, i32, i32]
  const L = new Locals(params)
  const [aP, bP, n] = [0, 1, 2]
  const off = L.add(i32)
  const endFull = L.add(i32)
  const end = L.add(i32)
  const acc = [L.add(v128), L.add(v128), L.add(v128), L.add(v128)]
  const va = L.add(v128)
  const vb = L.add(v128)
  const s = L.add(f64)
  const c = new Code()
  // endFull = (n & ~(GROUP - 1)) * 4, end = n * 4 (bytes)
  c.localGet(n)
    .i32Const(~(GROUP - 1))
    .i32And()
    .i32Const(2)
    .i32Shl()
    .localSet(endFull)
  c.localGet(n).i32Const(2).i32Shl().localSet(end)
  for (const a of acc) c.v128Zero().localSet(a)
  const HIGH = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]
  // whole groups of 8 terms
  c.block().loop()
  c.localGet(off).localGet(endFull).i32GeU().brIf(1)
  for (let h = 0; h < 2; h++) {
    c.localGet(aP)
      .localGet(off)
      .i32Add()
      .v128Load(16 * h)
      .localSet(va)
    c.localGet(bP)
      .localGet(off)
      .i32Add()
      .v128Load(16 * h)
      .localSet(vb)
    const lo = acc[2 * h]!
    const hi = acc[2 * h + 1]!
    c.localGet(lo).localGet(va).f64x2PromoteLowF32x4().localGet(vb).f64x2PromoteLowF32x4().f64x2Mul().f64x2Add().localSet(lo)
    c.localGet(hi)
    c.localGet(va).localGet(va).i8x16Shuffle(HIGH).f64x2PromoteLowF32x4()
    c.localGet(vb).localGet(vb).i8x16Shuffle(HIGH).f64x2PromoteLowF32x4()
    c.f64x2Mul().f64x2Add().localSet(hi)
  }
  c.localGet(off)
    .i32Const(4 * GROUP)
    .i32Add()
    .localSet(off)
  c.br(0).end().end()
  // the rest
  c.block().loop()
  c.localGet(off).localGet(end).i32GeU().brIf(1)
  c.localGet(s)
  c.localGet(aP).localGet(off).i32Add().f32Load().f64PromoteF32()
  c.localGet(bP).localGet(off).i32Add().f32Load().f64PromoteF32()
  c.f64Mul().f64Add().localSet(s)
  c.localGet(off).i32Const(4).i32Add().localSet(off)
  c.br(0).end().end()
  // ((acc0 + acc2) + (acc1 + acc3)) lane by lane, then (lane 0 + lane 1) + s
  c.localGet(acc[0]!).localGet(acc[2]!).f64x2Add().localGet(acc[1]!).localGet(acc[3]!).f64x2Add().f64x2Add().localSet(va)
  c.localGet(va).f64x2ExtractLane(0).localGet(va).f64x2ExtractLane(1).f64Add()
  c.localGet(s).f64Add()
  return { export: "vdot", params, results: [f64], locals: L.locals, body: c }
}

/** The module's bytes (for tests of the encoder and of validation). */
export const vdotModuleBytes = (): Uint8Array => encodeModule({ memory: { module: "env", name: "memory", minPages: 1 }, functions: [vdotFunc()] })

type VdotExport = (aP: number, bP: number, n: number) => number

/** The compiled kernel with its staging memory (two chunks). */
export class WasmVdot {
  private readonly memory: WasmMemory
  private readonly vdot: VdotExport
  private readonly f32: Float32Array

  constructor() {
    const W = wasmApi()
    if (W === undefined) throw new Error("jaxfx: WebAssembly is unavailable")
    this.memory = new W.Memory({ initial: Math.ceil((2 * CHUNK * 4) / 65536) })
    this.vdot = new W.Instance(new W.Module(vdotModuleBytes()), { env: { memory: this.memory } }).exports["vdot"] as VdotExport
    this.f32 = new Float32Array(this.memory.buffer, 0, 2 * CHUNK)
  }

  /** sum_{k < K} A[aOff + k] B[bOff + k] in float64 (round it once). */
  run(A: Float32Array, aOff: number, B: Float32Array, bOff: number, K: number): number {
    const f32 = this.f32
    const same = A === B && aOff === bOff
    const bP = same ? 0 : CHUNK * 4
    let s = 0
    for (let k = 0; k < K; k += CHUNK) {
      const n = Math.min(CHUNK, K - k)
      f32.set(A.subarray(aOff + k, aOff + k + n), 0)
      if (!same) f32.set(B.subarray(bOff + k, bOff + k + n), CHUNK)
      s += this.vdot(0, bP, n)
    }
    return s
  }
}

let shared: WasmVdot | null | undefined

/** The shared kernel, or null where the engine has no Wasm SIMD. */
export const wasmVdot = (): WasmVdot | null => {
  if (shared === undefined) {
    try {
      shared = simdSupported() ? new WasmVdot() : null
    } catch {
      shared = null
    }
  }
  return shared
}
