/**
 * Eager float32 elementwise operations in WebAssembly SIMD: add, sub, mul, div, the six
 * comparisons (to bool) and select_n with a bool predicate, four or sixteen lanes per step.
 *
 * Results are the JS kernels' bit for bit: a float32 sum, difference, product or quotient computed
 * in float64 and rounded once (what the JS kernels' `Math.fround(a op b)` stores) equals the
 * correctly rounded float32 operation (float64 has more than 2 * 24 + 2 bits, so rounding twice is
 * innocuous), which is what f32x4 arithmetic computes; comparisons are IEEE comparisons in both
 * (false with a NaN, except `ne`); select copies the chosen case. So an eager operation run here
 * equals the same operation fused in a jit kernel (compile/codegen.ts).
 *
 * JavaScript arrays are not in linear memory: operands go in by chunks of `CHUNK` elements copied
 * into a staging area that stays in cache (a rank-0 operand is broadcast into its staging row once
 * per call), and results are copied out. The kernels run over whole groups of 16 (the staging rows
 * are padded: lanes past the end compute on stale values and are never copied out).
 */
import type { AnyTypedArray } from "../../../core/dtype.js"
import { type WasmMemory, wasmApi } from "./api.js"
import { Code, encodeModule, type FuncDef, Locals, ValType } from "./encoder.js"
import { EXP_VARIANTS, type ExpVariant, expFunc, JS_FORMULA } from "./exp.js"
import { simdSupported } from "./gemm.js"

const { i32, v128 } = ValType

/** Elements per staging row (a multiple of 16); four rows: three operands and the result. */
export const CHUNK = 8192
const ROW = CHUNK * 4

export type ArithOp = "add" | "sub" | "mul" | "div"
export type CompareOp = "eq" | "ne" | "lt" | "gt" | "le" | "ge"
/** Unary float32 functions (exp.ts: equal to the JS kernels' results, e.g. Math.fround(Math.exp(x))). */
export type UnaryOp = ExpVariant
export const ARITH: ReadonlyArray<ArithOp> = ["add", "sub", "mul", "div"]
export const COMPARE: ReadonlyArray<CompareOp> = ["eq", "ne", "lt", "gt", "le", "ge"]

const arith = (c: Code, op: ArithOp): Code => (op === "add" ? c.f32x4Add() : op === "sub" ? c.f32x4Sub() : op === "mul" ? c.f32x4Mul() : c.f32x4Div())
const compare = (c: Code, op: CompareOp): Code => {
  switch (op) {
    case "eq":
      return c.f32x4Eq()
    case "ne":
      return c.f32x4Ne()
    case "lt":
      return c.f32x4Lt()
    case "gt":
      return c.f32x4Gt()
    case "le":
      return c.f32x4Le()
    case "ge":
      return c.f32x4Ge()
  }
}

/**
 * A loop over `n` elements (rounded up to 16) in steps of 16: `body(c, off)` emits one step, `off`
 * the local holding the step's element index times 4 (the float32 byte offset of its first lane).
 */
const loop16 = (name: string, body: (c: Code, L: Locals, off: number) => void): FuncDef => {
  const params = [i32] // n
  const L = new Locals(params)
  const off = L.add(i32)
  const end = L.add(i32)
  const c = new Code()
  // end = ceil(n / 16) * 64 bytes
  c.localGet(0).i32Const(15).i32Add().i32Const(~15).i32And().i32Const(2).i32Shl().localSet(end)
  c.block().loop()
  c.localGet(off).localGet(end).i32GeU().brIf(1)
  body(c, L, off)
  c.localGet(off).i32Const(64).i32Add().localSet(off)
  c.br(0).end().end()
  return { export: name, params, results: [], locals: L.locals, body: c }
}

/** o = a op b, float32 (rows 0, 1 -> row 3). */
const arithFunc = (op: ArithOp): FuncDef =>
  loop16(op, (c, _L, off) => {
    for (let h = 0; h < 4; h++) {
      c.localGet(off)
      c.localGet(off).v128Load(16 * h)
      c.localGet(off).v128Load(ROW + 16 * h)
      arith(c, op).v128Store(3 * ROW + 16 * h)
    }
  })

/** o = a op b as bool bytes 0/1 (rows 0, 1 -> row 3, one byte per element). */
const compareFunc = (op: CompareOp): FuncDef =>
  loop16(op, (c, L, off) => {
    const m = [L.add(v128), L.add(v128), L.add(v128), L.add(v128)]
    for (let h = 0; h < 4; h++) {
      c.localGet(off).v128Load(16 * h)
      c.localGet(off).v128Load(ROW + 16 * h)
      compare(c, op).localSet(m[h]!)
    }
    // the byte index of the step is off / 4
    c.localGet(off).i32Const(2).i32ShrU()
    c.localGet(m[0]!).localGet(m[1]!).i16x8NarrowI32x4S()
    c.localGet(m[2]!).localGet(m[3]!).i16x8NarrowI32x4S()
    c.i8x16NarrowI16x8S()
    c.i32Const(1).i8x16Splat().v128And()
    c.v128Store(3 * ROW)
  })

/** o = p ? t : f with p bool bytes (row 2), f row 0, t row 1 -> row 3. */
const selectFunc = (): FuncDef =>
  loop16("select", (c, L, off) => {
    const p = L.add(v128)
    const half = L.add(v128)
    c.localGet(off)
      .i32Const(2)
      .i32ShrU()
      .v128Load(2 * ROW)
      .v128Zero()
      .i8x16Ne()
      .localSet(p)
    for (let q = 0; q < 4; q++) {
      if (q % 2 === 0) {
        c.localGet(p)
        if (q === 0) c.i16x8ExtendLowI8x16S()
        else c.i16x8ExtendHighI8x16S()
        c.localSet(half)
      }
      c.localGet(off)
      c.localGet(off).v128Load(ROW + 16 * q)
      c.localGet(off).v128Load(16 * q)
      c.localGet(half)
      if (q % 2 === 0) c.i32x4ExtendLowI16x8S()
      else c.i32x4ExtendHighI16x8S()
      c.v128Bitselect().v128Store(3 * ROW + 16 * q)
    }
  })

/** The module's bytes (for tests of validation). */
export const elementwiseModuleBytes = (): Uint8Array =>
  encodeModule({
    memory: { module: "env", name: "memory", minPages: Math.ceil((4 * ROW) / 65536) },
    // exp and kin: row 0 -> row 3, the indices they leave to JS in row 2
    functions: [...ARITH.map(arithFunc), ...COMPARE.map(compareFunc), selectFunc(), ...EXP_VARIANTS.map((v) => expFunc(v, 0, 3 * ROW, 2 * ROW))]
  })

type Kernel = (n: number) => number | undefined

/** An operand: its buffer, and whether it is rank 0 (one value broadcast to every element). */
export interface Operand {
  readonly data: Float32Array | Uint8Array
  readonly scalar: boolean
}

/** The compiled kernels with their staging memory. */
export class WasmElementwise {
  private readonly kernels: Record<string, Kernel>
  private readonly f32: ReadonlyArray<Float32Array>
  private readonly u8: ReadonlyArray<Uint8Array>
  private readonly list: Int32Array
  /** Elements the unary kernels left to the JS formula since construction (tests check it stays rare). */
  fallbacks = 0

  constructor() {
    const W = wasmApi()
    if (W === undefined) throw new Error("jaxfx: WebAssembly is unavailable")
    const memory: WasmMemory = new W.Memory({ initial: Math.ceil((4 * ROW) / 65536) })
    this.kernels = new W.Instance(new W.Module(elementwiseModuleBytes()), { env: { memory } }).exports as Record<string, Kernel>
    this.f32 = [0, 1, 2, 3].map((r) => new Float32Array(memory.buffer, r * ROW, CHUNK))
    this.u8 = [0, 1, 2, 3].map((r) => new Uint8Array(memory.buffer, r * ROW, CHUNK))
    this.list = new Int32Array(memory.buffer, 2 * ROW, CHUNK)
  }

  /**
   * Run `op` ("add".."div", "eq".."ge", "exp", "expm1", "logistic", "tanh", or "select" with operands (pred, false case, true case))
   * over `n` elements into `out` (Float32Array, or Uint8Array for comparisons).
   */
  run(op: ArithOp | CompareOp | UnaryOp | "select", operands: ReadonlyArray<Operand>, out: AnyTypedArray, n: number): void {
    const kernel = this.kernels[op]!
    // staging rows: select reads the predicate from row 2 and the cases from rows 0 and 1
    const rows = op === "select" ? [2, 0, 1] : [0, 1]
    const stage = (j: number, k: number, m: number): void => {
      const x = operands[j]!
      const r = rows[j]!
      const row = x.data instanceof Uint8Array ? this.u8[r]! : this.f32[r]!
      if (x.scalar) {
        if (k === 0) row.fill(x.data[0]!)
      } else row.set(x.data.subarray(k, k + m))
    }
    const result = out instanceof Uint8Array ? this.u8[3]! : this.f32[3]!
    for (let k = 0; k < n; k += CHUNK) {
      const m = Math.min(CHUNK, n - k)
      for (let j = 0; j < operands.length; j++) stage(j, k, m)
      const left = kernel(m)
      if (left !== undefined) {
        // the lanes exp.ts leaves to the JS formula (out of range, NaN, ±0, or near a rounding boundary)
        const f = JS_FORMULA[op as UnaryOp]
        const x = operands[0]!
        const list = this.list
        this.fallbacks += left
        for (let j = 0; j < left; j++) {
          const i = list[j]!
          if (i < m) result[i] = f(x.scalar ? x.data[0]! : x.data[k + i]!)
        }
      }
      out.set(m === CHUNK ? result : result.subarray(0, m), k)
    }
  }
}

let shared: WasmElementwise | null | undefined

/** The shared kernels, or null where the engine has no Wasm SIMD. */
export const wasmElementwise = (): WasmElementwise | null => {
  if (shared === undefined) {
    try {
      shared = simdSupported() ? new WasmElementwise() : null
    } catch {
      shared = null
    }
  }
  return shared
}
