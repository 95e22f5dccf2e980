/**
 * The bit-level primitives random is built on: threefry2x32 against Random123's known-answer
 * vectors, shifts and bitcasts with XLA's semantics, erf_inv, sort, and their rules (jvp,
 * transpose, batching, staging).
 */
import { describe, expect, it } from "vitest"
import { type Array, grad, jit, jvp, lax, makeJaxpr, np, vmap } from "../../index.js"
import { erfInv32, erfInv64, threefry2x32Host } from "../../backends/cpu/bits.js"
import {
  bitcastConvertType, erfInv, shiftLeft, shiftRightArithmetic, shiftRightLogical, sort, sortKeyVal, threefry2x32
} from "../primitives/bits.js"

type Nest = Parameters<typeof np.asarray>[0]
const u32 = (xs: Nest) => np.asarray(xs, { dtype: "uint32" })
const i32 = (xs: Nest) => np.asarray(xs, { dtype: "int32" })
const hex = (x: Array) => [...x.data()].map((v) => "0x" + (v >>> 0).toString(16))

// Random123's kat_vectors for threefry2x32_20 (the ones JAX's test suite checks).
const KAT: ReadonlyArray<readonly [number[], number[], string[]]> = [
  [[0, 0], [0, 0], ["0x6b200159", "0x99ba4efe"]],
  [[0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], ["0x1cb996fc", "0xbb002be7"]],
  [[0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3], ["0xc4923a9c", "0x483df7a0"]]
]

describe("threefry2x32 (20 rounds)", () => {
  it("matches Random123's known-answer vectors", () => {
    for (const [key, ctr, expected] of KAT) {
      const [y0, y1] = threefry2x32(u32(key[0]!), u32(key[1]!), u32(ctr[0]!), u32(ctr[1]!))
      expect([...hex(y0), ...hex(y1)]).toEqual(expected)
      expect(threefry2x32Host(key[0]!, key[1]!, ctr[0]!, ctr[1]!).map((v) => "0x" + v.toString(16))).toEqual(expected)
    }
  })
  it("hashes elementwise over broadcast operands (a scalar key against many counters)", () => {
    const n = 1000
    const [y0, y1] = threefry2x32(u32(0x13198a2e), u32(0x03707344), np.full([n], 0x243f6a88, { dtype: "uint32" }), np.full([n], 0x85a308d3, { dtype: "uint32" }))
    expect(y0.shape).toEqual([n])
    expect(new Set(y0.data()).size).toBe(1)
    expect(hex(y0)[n - 1]).toBe("0xc4923a9c")
    expect(hex(y1)[0]).toBe("0x483df7a0")
    // [2, 1] keys against [1, 3] counters: every pair is the scalar hash of its operands
    const k0 = u32([0, 0x13198a2e]).reshape([2, 1])
    const k1 = u32([0, 0x03707344]).reshape([2, 1])
    const x0 = u32([0, 0x243f6a88, 7]).reshape([1, 3])
    const x1 = u32([0, 0x85a308d3, 9]).reshape([1, 3])
    const [z0, z1] = threefry2x32(k0, k1, x0, x1)
    expect(z0.shape).toEqual([2, 3])
    const a = z0.data()
    const b = z1.data()
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) {
        const [e0, e1] = threefry2x32Host(k0.data()[i]!, k1.data()[i]!, x0.data()[j]!, x1.data()[j]!)
        expect([a[i * 3 + j], b[i * 3 + j]]).toEqual([e0, e1])
      }
    }
  })
  it("is the same under jit and vmap, and prints as JAX's jaxpr", () => {
    const f = (x0: Array, x1: Array) => threefry2x32(u32(1), u32(2), x0, x1)
    const x0 = u32([1, 2, 3])
    const x1 = u32([4, 5, 6])
    const [a0, a1] = f(x0, x1)
    const [b0, b1] = jit(f)(x0, x1)
    const [c0, c1] = vmap(f)(x0, x1)
    expect([...b0.data(), ...b1.data()]).toEqual([...a0.data(), ...a1.data()])
    expect([...c0.data(), ...c1.data()]).toEqual([...a0.data(), ...a1.data()])
    expect(makeJaxpr(f)(x0, x1).toString()).toContain("threefry2x32 1:u32[] 2:u32[] a b")
  })
})

describe("shifts", () => {
  it("follow XLA: shift amounts >= 32 give 0 (left, logical) or the sign fill (arithmetic)", () => {
    expect([...shiftLeft(u32([1, 1, 0xffffffff, 5]), u32([0, 31, 4, 32])).data()]).toEqual([1, 0x80000000, 0xfffffff0, 0])
    expect([...shiftRightLogical(u32([0x80000000, 0xffffffff, 7]), u32([31, 40, 1])).data()]).toEqual([1, 0, 3])
    expect([...shiftRightLogical(i32([-1, -8]), i32([28, 33])).data()]).toEqual([15, 0])
    expect([...shiftRightArithmetic(i32([-8, -8, 8, -1]), i32([1, 40, 40, 31])).data()]).toEqual([-4, -1, 0, -1])
    expect([...shiftRightArithmetic(u32([0x80000000, 0x80000000]), u32([4, 99])).data()]).toEqual([0xf8000000, 0xffffffff])
    expect([...shiftLeft(i32([3]), i32([-1])).data()]).toEqual([0]) // negative amounts read as unsigned
  })
  it("broadcast, batch and refuse mixed dtypes", () => {
    const x = u32([[1, 2], [3, 4]])
    expect(shiftLeft(x, u32(1)).toJs()).toEqual([[2, 4], [6, 8]])
    expect(vmap((a: Array) => shiftLeft(a, u32([1, 2])))(x).toJs()).toEqual([[2, 8], [6, 16]])
    expect(() => shiftLeft(u32([1]), i32([1]))).toThrow(/int32 or two uint32/)
  })
})

describe("bitcast_convert_type", () => {
  it("reinterprets float32 <-> uint32 <-> int32 bits", () => {
    expect([...bitcastConvertType(np.asarray([1, -2, 0.5], { dtype: "float32" }), "uint32").data()]).toEqual([0x3f800000, 0xc0000000, 0x3f000000])
    expect([...bitcastConvertType(u32([0x3f800000, 0x7f800000]), "float32").data()]).toEqual([1, Infinity])
    expect([...bitcastConvertType(u32([0xffffffff]), "int32").data()]).toEqual([-1])
  })
  it("splits float64 into little-endian uint32 words and joins them back", () => {
    const w = bitcastConvertType(np.asarray([1, -2], { dtype: "float64" }), "uint32")
    expect(w.shape).toEqual([2, 2])
    expect(w.toJs()).toEqual([[0, 0x3ff00000], [0, 0xc0000000]])
    expect([...bitcastConvertType(w, "float64").data()]).toEqual([1, -2])
  })
  it("has a zero derivative and stages with JAX's name", () => {
    const f = (x: Array) => bitcastConvertType(x, "uint32")
    expect(makeJaxpr(f)(np.asarray([1], { dtype: "float32" })).toString()).toContain("bitcast_convert_type[new_dtype=uint32]")
  })
})

describe("erf_inv", () => {
  // erfinv at float32-representable points (references: Newton iteration on a double erf)
  const ref: ReadonlyArray<readonly [number, number]> = [
    [0, 0], [0.5, 0.4769362762044699], [-0.875, -1.0847870400692832], [0.25, 0.2253120550121781],
    [0.9900000095367432, 1.8213866009002782], [0.9990000128746033, 2.326756326796154], [2 ** -20, 8.451718573121729e-7]
  ]
  it("float32 follows XLA's single-precision polynomial (Giles): within a few ulp of the true value", () => {
    for (const [x, y] of ref) {
      const got = erfInv32(x)
      expect(Math.fround(got)).toBe(got)
      expect(Math.abs(got - Math.fround(y))).toBeLessThanOrEqual(8 * Math.max(2 ** -149, Math.abs(y) * 2 ** -23))
    }
    expect(erfInv32(1)).toBe(Infinity)
    expect(erfInv32(-1)).toBe(-Infinity)
    expect(Number.isNaN(erfInv32(1.5))).toBe(true)
  })
  it("float64 follows the double-precision polynomials to ~1e-15", () => {
    for (const [x, y] of ref) expect(Math.abs(erfInv64(x) - y)).toBeLessThan(1e-13 * Math.max(1e-6, Math.abs(y)))
  })
  it("is a primitive with the derivative sqrt(pi)/2 exp(erfinv(x)^2)", () => {
    const x = np.asarray([0.25, -0.5], { dtype: "float64" })
    const [y, t] = jvp((a: Array) => erfInv(a), [x], [np.ones([2], { dtype: "float64" })])
    const ys = y.data()
    const ts = t.data()
    for (let i = 0; i < 2; i++) expect(ts[i]).toBeCloseTo((Math.sqrt(Math.PI) / 2) * Math.exp(ys[i]! ** 2), 12)
    expect(lax.erf(erfInv(np.asarray([0.3], { dtype: "float64" }))).item()).toBeCloseTo(0.3, 14)
    expect(vmap(erfInv)(np.asarray([[0.1, 0.2]], { dtype: "float32" })).shape).toEqual([1, 2])
  })
})

describe("sort", () => {
  it("sorts stably along a dimension, floats with -0 == 0 and NaN last", () => {
    const [k, v] = sortKeyVal(np.asarray([3, NaN, -0, 0, -1, 3], { dtype: "float32" }), np.arange(6))
    expect([...v.data()]).toEqual([4, 2, 3, 0, 5, 1])
    expect(Number.isNaN(k.data()[5])).toBe(true)
    const [, w] = sortKeyVal(u32([[5, 1], [2, 9], [2, 0]]), np.asarray([[0, 1], [2, 3], [4, 5]]), 0)
    expect(w.toJs()).toEqual([[2, 5], [4, 1], [0, 3]])
  })
  it("sorts several keys lexicographically", () => {
    const outs = sort([i32([1, 0, 1, 0]), i32([2, 9, 1, 3]), i32([0, 1, 2, 3])], -1, 2)
    expect([...outs[2]!.data()]).toEqual([3, 1, 2, 0])
  })
  it("differentiates (values ride along) and batches", () => {
    const keys = u32([3, 1, 2])
    const f = (x: Array) => np.sum(sortKeyVal(keys, x)[1].mul(np.asarray([1, 10, 100], { dtype: "float32" })))
    // out = x[[1, 2, 0]], so d/dx = [100, 1, 10]
    expect([...grad(f)(np.asarray([1, 2, 3], { dtype: "float32" })).data()]).toEqual([100, 1, 10])
    const b = vmap((k: Array, x: Array) => sortKeyVal(k, x)[1])(u32([[2, 1], [1, 2]]), np.asarray([[10, 20], [30, 40]]))
    expect(b.toJs()).toEqual([[20, 10], [30, 40]])
    expect(makeJaxpr((x: Array) => sortKeyVal(keys, x)[1])(np.arange(3)).toString()).toContain("sort[dimension=0 is_stable=True num_keys=1]")
  })
})
