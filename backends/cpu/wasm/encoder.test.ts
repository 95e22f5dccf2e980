import { afterEach, describe, expect, it, vi } from "vitest"
import { wasmApi } from "./api.js"
import { Code, encodeModule, Locals, sleb, uleb, ValType } from "./encoder.js"
import { gemmModuleBytes, simdSupported } from "./gemm.js"
import { packModuleBytes } from "./pack.js"

const WebAssembly = wasmApi()!

afterEach(() => {
  vi.unstubAllGlobals()
})

const { i32, f32, v128 } = ValType

const leb = (f: (out: number[], n: number) => void, n: number): number[] => {
  const out: number[] = []
  f(out, n)
  return out
}

interface Exports {
  readonly [name: string]: (...args: number[]) => number
}

const instantiate = (bytes: Uint8Array, imports: Record<string, Record<string, unknown>> = {}): Exports =>
  new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports as unknown as Exports

describe("LEB128", () => {
  it("unsigned", () => {
    expect(leb(uleb, 0)).toEqual([0])
    expect(leb(uleb, 127)).toEqual([0x7f])
    expect(leb(uleb, 128)).toEqual([0x80, 0x01])
    expect(leb(uleb, 624485)).toEqual([0xe5, 0x8e, 0x26])
    expect(leb(uleb, 0xffffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f])
    expect(() => leb(uleb, -1)).toThrow(RangeError)
  })

  it("signed", () => {
    expect(leb(sleb, 0)).toEqual([0])
    expect(leb(sleb, 63)).toEqual([0x3f])
    expect(leb(sleb, 64)).toEqual([0xc0, 0x00])
    expect(leb(sleb, -1)).toEqual([0x7f])
    expect(leb(sleb, -64)).toEqual([0x40])
    expect(leb(sleb, -65)).toEqual([0xbf, 0x7f])
    expect(leb(sleb, -123456)).toEqual([0xc0, 0xbb, 0x78])
    expect(leb(sleb, 0x80000000)).toEqual(leb(sleb, -0x80000000)) // wraps like i32.const
  })
})

describe("encodeModule", () => {
  it("scalar functions, locals, loops and calls validate and run", () => {
    // sum(n) = 0 + 1 + ... + (n - 1) with a loop; twice(n) = 2 * sum(n) through a call
    const L = new Locals([i32])
    const acc = L.add(i32)
    const k = L.add(i32)
    const body = new Code()
      .block()
      .localGet(0)
      .i32Eqz()
      .brIf(0)
      .loop()
      .localGet(acc)
      .localGet(k)
      .i32Add()
      .localSet(acc)
      .localGet(k)
      .i32Const(1)
      .i32Add()
      .localTee(k)
      .localGet(0)
      .i32LtU()
      .brIf(0)
      .end()
      .end()
      .localGet(acc)
    const twice = new Code().localGet(0).call(0).i32Const(2).i32Mul()
    const bytes = encodeModule({
      functions: [
        { export: "sum", params: [i32], results: [i32], locals: L.locals, body },
        { export: "twice", params: [i32], results: [i32], locals: [], body: twice }
      ]
    })
    expect(WebAssembly.validate(bytes)).toBe(true)
    const ex = instantiate(bytes)
    expect(ex["sum"]!(0)).toBe(0)
    expect(ex["sum"]!(10)).toBe(45)
    expect(ex["twice"]!(100)).toBe(9900)
  })

  it("an invalid body does not validate (the check is meaningful)", () => {
    const body = new Code().i32Const(1).f32x4Splat().drop() // f32x4.splat takes an f32
    expect(WebAssembly.validate(encodeModule({ functions: [{ params: [], results: [], locals: [], body }] }))).toBe(false)
  })

  it("SIMD on an imported memory: load, splat, mul, add, shuffle, store, widen, narrow", () => {
    // f(p, q, s): q[0..3] = p[0..3] * s + p[4..7]; g(p, q): f64 q[0..1] = widen(p[2..3])
    const body = new Code().localGet(1).localGet(0).v128Load(0).localGet(2).f32x4Splat().f32x4Mul().localGet(0).v128Load(16).f32x4Add().v128Store(0)
    const hi = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]
    const widen = new Code().localGet(1).localGet(0).v128Load(0).localGet(0).v128Load(0).i8x16Shuffle(hi).f64x2PromoteLowF32x4().v128Store(0)
    // h(p): sum of the 4 lanes of p[0..3] after a load32_splat of p[4] is added: exercises extract_lane
    const Lh = new Locals([i32])
    const v = Lh.add(v128)
    const h = new Code().localGet(0).v128Load(0).localGet(0).v128Load32Splat(16).f32x4Add().localSet(v)
    for (let l = 0; l < 4; l++) {
      h.localGet(v).f32x4ExtractLane(l)
      if (l > 0) h.f32Add()
    }
    const bytes = encodeModule({
      memory: { module: "env", name: "memory", minPages: 1 },
      functions: [
        { export: "f", params: [i32, i32, f32], results: [], locals: [], body },
        { export: "g", params: [i32, i32], results: [], locals: [], body: widen },
        { export: "h", params: [i32], results: [f32], locals: Lh.locals, body: h }
      ]
    })
    expect(WebAssembly.validate(bytes)).toBe(true)
    const memory = new WebAssembly.Memory({ initial: 1 })
    const ex = instantiate(bytes, { env: { memory } })
    const m = new Float32Array(memory.buffer)
    m.set([1, 2, 3, 4, 10, 20, 30, 40], 0)
    ex["f"]!(0, 64, 0.5)
    expect(Array.from(m.subarray(16, 20))).toEqual([10.5, 21, 31.5, 42])
    ex["g"]!(0, 128)
    expect(Array.from(new Float64Array(memory.buffer, 128, 2))).toEqual([3, 4])
    expect(ex["h"]!(0)).toBe(1 + 2 + 3 + 4 + 4 * 10)
  })

  it("feature detection: no WebAssembly, or one without SIMD, means no kernel (dot.ts keeps its JS loops)", () => {
    vi.stubGlobal("WebAssembly", undefined)
    expect(simdSupported()).toBe(false)
    vi.stubGlobal("WebAssembly", { validate: () => false })
    expect(simdSupported()).toBe(false)
    vi.unstubAllGlobals()
    expect(simdSupported()).toBe(true)
  })

  it("the GEMM module validates for several tile shapes", () => {
    expect(simdSupported()).toBe(true)
    for (const cfg of [
      { mr: 4, nr: 8, kc: 256 },
      { mr: 1, nr: 4, kc: 1 },
      { mr: 6, nr: 8, kc: 64 },
      { mr: 3, nr: 16, kc: 300 }
    ]) {
      expect(WebAssembly.validate(gemmModuleBytes(cfg))).toBe(true)
    }
    // small enough for synchronous compilation on a browser's main thread (4 KB there)
    expect(gemmModuleBytes().length).toBeLessThan(4096)
    expect(WebAssembly.validate(packModuleBytes())).toBe(true)
    expect(packModuleBytes().length).toBeLessThan(4096)
  })
})
