/**
 * A tiny WebAssembly binary encoder: just enough to generate the CPU backend's SIMD kernels at
 * load time without a toolchain. It writes a module with (optionally) one imported memory, a list
 * of functions (some exported), and their bodies, built with `Code`, an instruction emitter that
 * knows the handful of opcodes the kernels use (i32 arithmetic, scalar f32/f64 memory access,
 * structured control flow, and the 128-bit SIMD subset for f32x4 / f64x2 arithmetic).
 *
 * Binary format reference: the WebAssembly core specification, chapter 5 (binary format), and the
 * fixed-width SIMD proposal's opcode table (prefix 0xFD, LEB128-encoded sub-opcode).
 */

/** Value types (their binary encodings). */
export const ValType = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const
export type ValType = (typeof ValType)[keyof typeof ValType]

// uleb/sleb throw a plain RangeError: an internal invariant (the kernels are generated once, at
// load time, from this folder's constants; no user value is ever encoded).

/** Unsigned LEB128. */
export const uleb = (out: number[], n: number): void => {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`uleb: ${n}`)
  do {
    let byte = n & 0x7f
    n = Math.floor(n / 128)
    if (n !== 0) byte |= 0x80
    out.push(byte)
  } while (n !== 0)
}

/** Signed LEB128 of a 32-bit integer. */
export const sleb = (out: number[], n: number): void => {
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0xffffffff) throw new RangeError(`sleb: ${n}`)
  n |= 0 // values above 2^31 wrap, as i32.const expects
  for (;;) {
    const byte = n & 0x7f
    n >>= 7
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)
    out.push(done ? byte : byte | 0x80)
    if (done) return
  }
}

const utf8 = (s: string): number[] => Array.from(new TextEncoder().encode(s))

const name = (out: number[], s: string): void => {
  const b = utf8(s)
  uleb(out, b.length)
  for (const x of b) out.push(x)
}

/** A block's type: no result, or one value type. */
type BlockType = ValType | "void"
const blockType = (t: BlockType): number => (t === "void" ? 0x40 : t)

/** Alignment hint of a memory access: log2 of its natural size. */
const log2 = (bytes: number): number => Math.log2(bytes)

/**
 * An instruction sequence. Each method appends one instruction and returns `this`, so bodies read
 * like the text format: `c.localGet(p).i32Const(16).i32Add().localSet(p)`.
 */
export class Code {
  readonly bytes: number[] = []

  private op(...bs: number[]): this {
    for (const b of bs) this.bytes.push(b)
    return this
  }
  private simd(sub: number): this {
    this.bytes.push(0xfd)
    uleb(this.bytes, sub)
    return this
  }
  private memarg(align: number, offset: number): this {
    uleb(this.bytes, align)
    uleb(this.bytes, offset)
    return this
  }

  // control
  unreachable(): this {
    return this.op(0x00)
  }
  nop(): this {
    return this.op(0x01)
  }
  block(t: BlockType = "void"): this {
    return this.op(0x02, blockType(t))
  }
  loop(t: BlockType = "void"): this {
    return this.op(0x03, blockType(t))
  }
  if(t: BlockType = "void"): this {
    return this.op(0x04, blockType(t))
  }
  else(): this {
    return this.op(0x05)
  }
  end(): this {
    return this.op(0x0b)
  }
  br(depth: number): this {
    this.op(0x0c)
    uleb(this.bytes, depth)
    return this
  }
  brIf(depth: number): this {
    this.op(0x0d)
    uleb(this.bytes, depth)
    return this
  }
  return(): this {
    return this.op(0x0f)
  }
  call(func: number): this {
    this.op(0x10)
    uleb(this.bytes, func)
    return this
  }
  drop(): this {
    return this.op(0x1a)
  }
  select(): this {
    return this.op(0x1b)
  }

  // locals
  localGet(i: number): this {
    this.op(0x20)
    uleb(this.bytes, i)
    return this
  }
  localSet(i: number): this {
    this.op(0x21)
    uleb(this.bytes, i)
    return this
  }
  localTee(i: number): this {
    this.op(0x22)
    uleb(this.bytes, i)
    return this
  }

  // scalar memory
  f32Load(offset = 0): this {
    return this.op(0x2a).memarg(2, offset)
  }
  f64Load(offset = 0): this {
    return this.op(0x2b).memarg(3, offset)
  }
  f32Store(offset = 0): this {
    return this.op(0x38).memarg(2, offset)
  }
  f64Store(offset = 0): this {
    return this.op(0x39).memarg(3, offset)
  }

  // i32
  i32Const(n: number): this {
    this.op(0x41)
    sleb(this.bytes, n)
    return this
  }
  i32Eqz(): this {
    return this.op(0x45)
  }
  i32Eq(): this {
    return this.op(0x46)
  }
  i32Ne(): this {
    return this.op(0x47)
  }
  i32LtS(): this {
    return this.op(0x48)
  }
  i32LtU(): this {
    return this.op(0x49)
  }
  i32GtS(): this {
    return this.op(0x4a)
  }
  i32GtU(): this {
    return this.op(0x4b)
  }
  i32LeS(): this {
    return this.op(0x4c)
  }
  i32LeU(): this {
    return this.op(0x4d)
  }
  i32GeS(): this {
    return this.op(0x4e)
  }
  i32GeU(): this {
    return this.op(0x4f)
  }
  i32Add(): this {
    return this.op(0x6a)
  }
  i32Sub(): this {
    return this.op(0x6b)
  }
  i32Mul(): this {
    return this.op(0x6c)
  }
  i32And(): this {
    return this.op(0x71)
  }
  i32Or(): this {
    return this.op(0x72)
  }
  i32Shl(): this {
    return this.op(0x74)
  }
  i32ShrU(): this {
    return this.op(0x76)
  }

  // scalar float
  f32Add(): this {
    return this.op(0x92)
  }
  f32Mul(): this {
    return this.op(0x94)
  }
  f64Add(): this {
    return this.op(0xa0)
  }
  f64Mul(): this {
    return this.op(0xa2)
  }
  f32DemoteF64(): this {
    return this.op(0xb6)
  }
  f64PromoteF32(): this {
    return this.op(0xbb)
  }

  // SIMD (prefix 0xFD)
  v128Load(offset = 0, bytes = 16): this {
    return this.simd(0x00).memarg(log2(Math.min(bytes, 16)), offset)
  }
  v128Load32Splat(offset = 0): this {
    return this.simd(0x09).memarg(2, offset)
  }
  v128Load64Splat(offset = 0): this {
    return this.simd(0x0a).memarg(3, offset)
  }
  v128Store(offset = 0, bytes = 16): this {
    return this.simd(0x0b).memarg(log2(Math.min(bytes, 16)), offset)
  }
  /** v128.const from 16 little-endian bytes. */
  v128Const(bytes: ReadonlyArray<number>): this {
    if (bytes.length !== 16) throw new RangeError("v128.const needs 16 bytes")
    return this.simd(0x0c).op(...bytes)
  }
  v128Zero(): this {
    return this.v128Const(new Array<number>(16).fill(0))
  }
  /** i8x16.shuffle of the two operands' bytes (lanes 0..15 the first, 16..31 the second). */
  i8x16Shuffle(lanes: ReadonlyArray<number>): this {
    if (lanes.length !== 16 || lanes.some((l) => l < 0 || l > 31)) throw new RangeError("i8x16.shuffle needs 16 lanes < 32")
    return this.simd(0x0d).op(...lanes)
  }
  f32x4Splat(): this {
    return this.simd(0x13)
  }
  f64x2Splat(): this {
    return this.simd(0x14)
  }
  f32x4ExtractLane(lane: number): this {
    return this.simd(0x1f).op(lane)
  }
  f64x2ExtractLane(lane: number): this {
    return this.simd(0x21).op(lane)
  }
  v128Load32Zero(offset = 0): this {
    return this.simd(0x5c).memarg(2, offset)
  }
  v128Load64Zero(offset = 0): this {
    return this.simd(0x5d).memarg(3, offset)
  }
  f32x4DemoteF64x2Zero(): this {
    return this.simd(0x5e)
  }
  f64x2PromoteLowF32x4(): this {
    return this.simd(0x5f)
  }
  f32x4Add(): this {
    return this.simd(0xe4)
  }
  f32x4Sub(): this {
    return this.simd(0xe5)
  }
  f32x4Mul(): this {
    return this.simd(0xe6)
  }
  f32x4Div(): this {
    return this.simd(0xe7)
  }
  f32x4Eq(): this {
    return this.simd(0x41)
  }
  f32x4Ne(): this {
    return this.simd(0x42)
  }
  f32x4Lt(): this {
    return this.simd(0x43)
  }
  f32x4Gt(): this {
    return this.simd(0x44)
  }
  f32x4Le(): this {
    return this.simd(0x45)
  }
  f32x4Ge(): this {
    return this.simd(0x46)
  }
  v128And(): this {
    return this.simd(0x4e)
  }
  /** v128.bitselect(a, b, mask): the bits of a where mask is 1, of b elsewhere. */
  v128Bitselect(): this {
    return this.simd(0x52)
  }
  i8x16Splat(): this {
    return this.simd(0x0f)
  }
  i8x16Ne(): this {
    return this.simd(0x24)
  }
  i8x16NarrowI16x8S(): this {
    return this.simd(0x65)
  }
  i16x8NarrowI32x4S(): this {
    return this.simd(0x85)
  }
  i16x8ExtendLowI8x16S(): this {
    return this.simd(0x87)
  }
  i16x8ExtendHighI8x16S(): this {
    return this.simd(0x88)
  }
  i32x4ExtendLowI16x8S(): this {
    return this.simd(0xa7)
  }
  i32x4ExtendHighI16x8S(): this {
    return this.simd(0xa8)
  }
  f64x2Add(): this {
    return this.simd(0xf0)
  }
  f64x2Sub(): this {
    return this.simd(0xf1)
  }
  f64x2Mul(): this {
    return this.simd(0xf2)
  }
  f64x2Div(): this {
    return this.simd(0xf3)
  }
  f64x2Lt(): this {
    return this.simd(0x49)
  }
  /** f64x2.nearest: round to the nearest integer, ties to even. */
  f64x2Nearest(): this {
    return this.simd(0x94)
  }
  i64x2Add(): this {
    return this.simd(0xce)
  }
  /** i64x2.shl by an i32 count (on the stack above the vector). */
  i64x2Shl(): this {
    return this.simd(0xcb)
  }
  v128Or(): this {
    return this.simd(0x50)
  }
  i32x4AllTrue(): this {
    return this.simd(0xa3)
  }
  i32x4Bitmask(): this {
    return this.simd(0xa4)
  }
  /** i32.store (alignment 4). */
  i32Store(offset = 0): this {
    return this.op(0x36).memarg(2, offset)
  }
}

export interface FuncDef {
  /** Exported under this name when given. */
  readonly export?: string
  readonly params: ReadonlyArray<ValType>
  readonly results: ReadonlyArray<ValType>
  /** Locals beyond the parameters (indices continue after the params). */
  readonly locals: ReadonlyArray<ValType>
  /** The body without its final `end` (added here). */
  readonly body: Code
}

export interface ModuleDef {
  /** An imported linear memory (index 0). */
  readonly memory?: { readonly module: string; readonly name: string; readonly minPages: number; readonly maxPages?: number }
  /** Functions, indexed in order (no imported functions, so the first is index 0). */
  readonly functions: ReadonlyArray<FuncDef>
}

/** Append without spreading (bodies can exceed the engine's argument-count limit). */
const append = (out: number[], bytes: ReadonlyArray<number>): void => {
  for (const b of bytes) out.push(b)
}

const section = (out: number[], id: number, content: number[]): void => {
  out.push(id)
  uleb(out, content.length)
  append(out, content)
}

const vec = <T>(out: number[], items: ReadonlyArray<T>, each: (out: number[], item: T) => void): number[] => {
  uleb(out, items.length)
  for (const it of items) each(out, it)
  return out
}

/** Run-length encoded local declarations. */
const localDecls = (locals: ReadonlyArray<ValType>): number[] => {
  const runs: Array<[number, ValType]> = []
  for (const t of locals) {
    const last = runs[runs.length - 1]
    if (last !== undefined && last[1] === t) last[0]++
    else runs.push([1, t])
  }
  return vec([], runs, (o, [n, t]) => {
    uleb(o, n)
    o.push(t)
  })
}

/** Encode a module. Function types are deduplicated. */
export const encodeModule = (def: ModuleDef): Uint8Array => {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]

  const typeKeys: string[] = []
  const typeIndex = (f: FuncDef): number => {
    const key = `${f.params.join(",")}->${f.results.join(",")}`
    let i = typeKeys.indexOf(key)
    if (i < 0) {
      i = typeKeys.length
      typeKeys.push(key)
    }
    return i
  }
  const funcTypes = def.functions.map(typeIndex)
  const types = typeKeys.map((k) => {
    const [p, r] = k.split("->") as [string, string]
    const list = (s: string): number[] => (s === "" ? [] : s.split(",").map(Number))
    return [list(p), list(r)] as const
  })

  // 1: types
  section(
    out,
    1,
    vec([], types, (o, [params, results]) => {
      o.push(0x60)
      vec(o, params, (o2, t) => o2.push(t))
      vec(o, results, (o2, t) => o2.push(t))
    })
  )
  // 2: imports
  if (def.memory !== undefined) {
    const m = def.memory
    const imp: number[] = []
    uleb(imp, 1)
    name(imp, m.module)
    name(imp, m.name)
    imp.push(0x02) // memory
    if (m.maxPages === undefined) {
      imp.push(0x00)
      uleb(imp, m.minPages)
    } else {
      imp.push(0x01)
      uleb(imp, m.minPages)
      uleb(imp, m.maxPages)
    }
    section(out, 2, imp)
  }
  // 3: functions
  section(
    out,
    3,
    vec([], funcTypes, (o, t) => uleb(o, t))
  )
  // 7: exports
  const exported = def.functions.map((f, i) => [f.export, i] as const).filter((e): e is readonly [string, number] => e[0] !== undefined)
  section(
    out,
    7,
    vec([], exported, (o, [n, i]) => {
      name(o, n)
      o.push(0x00) // func
      uleb(o, i)
    })
  )
  // 10: code
  section(
    out,
    10,
    vec([], def.functions, (o, f) => {
      const body = localDecls(f.locals)
      append(body, f.body.bytes)
      body.push(0x0b)
      uleb(o, body.length)
      append(o, body)
    })
  )
  return Uint8Array.from(out)
}

/** Allocates local indices for a function body: parameters first, then locals by type. */
export class Locals {
  private readonly params: ValType[]
  readonly locals: ValType[] = []
  constructor(params: ReadonlyArray<ValType>) {
    this.params = [...params]
  }
  /** A fresh local of type `t`; its index. */
  add(t: ValType): number {
    this.locals.push(t)
    return this.params.length + this.locals.length - 1
  }
}
