import { describe, expect, it } from "vitest"
import type { DType } from "../../core/dtype.js"
import { eagerCacheSize } from "../../core/devices/eager.js"
import { kernelCacheSize } from "./compile/executable.js"
import { erf } from "./mathfns.js"
import { ShapedArray } from "../../core/array.js"
import { arr, list, randomF32, ravel, run, same, sizeOf, unravel } from "./test-helpers.js"

/** Naive broadcasting reference: out[i] = f(x[bcast(i)], y[bcast(i)]), each dim equal or 1. */
const refBinary = (
  x: ArrayLike<number>,
  xs: number[],
  y: ArrayLike<number>,
  ys: number[],
  f: (a: number, b: number) => number
): { out: number[]; shape: number[] } => {
  const shape = xs.map((d, i) => Math.max(d, ys[i]!))
  const out: number[] = []
  for (let i = 0; i < sizeOf(shape); i++) {
    const idx = unravel(i, shape)
    const a =
      x[
        ravel(
          idx.map((v, d) => (xs[d] === 1 ? 0 : v)),
          xs
        )
      ]!
    const b =
      y[
        ravel(
          idx.map((v, d) => (ys[d] === 1 ? 0 : v)),
          ys
        )
      ]!
    out.push(f(a, b))
  }
  return { out, shape }
}

describe("binary float32 arithmetic", () => {
  const ops: Array<[string, (a: number, b: number) => number]> = [
    ["add", (a, b) => a + b],
    ["sub", (a, b) => a - b],
    ["mul", (a, b) => a * b],
    ["div", (a, b) => a / b],
    ["max", Math.max],
    ["min", Math.min],
    ["atan2", Math.atan2]
  ]
  const shapes: Array<[number[], number[]]> = [
    [[7], [7]],
    [[5], [1]],
    [[1], [6]],
    [
      [3, 1],
      [1, 4]
    ],
    [
      [2, 3, 4],
      [1, 3, 1]
    ],
    [
      [2, 1, 3],
      [1, 4, 1]
    ],
    [
      [2, 3, 1, 5],
      [2, 1, 4, 1]
    ],
    [
      [4, 1],
      [4, 6]
    ],
    [
      [1, 1],
      [1, 1]
    ],
    [[], []]
  ]
  for (const [name, f] of ops) {
    it(`${name} matches fround(double op) with broadcasting`, () => {
      let seed = 1
      for (const [xs, ys] of shapes) {
        const x = randomF32(sizeOf(xs), seed++, -3, 3)
        const y = randomF32(sizeOf(ys), seed++, 0.5, 3)
        const ref = refBinary(x, xs, y, ys, (a, b) => Math.fround(f(a, b)))
        const out = run(name, [arr("float32", xs, x), arr("float32", ys, y)], {}, ref.shape, "float32")
        expect(out).toBeInstanceOf(Float32Array)
        expect(list(out)).toEqual(ref.out)
      }
    })
  }

  it("rounds each operation to float32 (not float64 then rounded at the end)", () => {
    const a = arr("float32", [1], [0.1])
    const b = arr("float32", [1], [0.2])
    const s = run("add", [a, b], {}, [1], "float32")
    expect(s[0]).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)))
    const t = run("mul", [arr("float32", [1], s), arr("float32", [1], [3])], {}, [1], "float32")
    expect(t[0]).toBe(Math.fround(s[0]! * 3))
    expect(t[0]).not.toBe(Math.fround((0.1 + 0.2) * 3))
  })

  it("max/min propagate NaN; comparisons with NaN are false (ne true)", () => {
    const x = arr("float32", [3], [NaN, 1, 2])
    const y = arr("float32", [3], [1, NaN, 3])
    expect(list(run("max", [x, y], {}, [3], "float32"))).toEqual([NaN, NaN, 3])
    expect(list(run("min", [x, y], {}, [3], "float32"))).toEqual([NaN, NaN, 2])
    expect(list(run("lt", [x, y], {}, [3], "bool"))).toEqual([0, 0, 1])
    expect(list(run("eq", [x, x], {}, [3], "bool"))).toEqual([0, 1, 1])
    expect(list(run("ne", [x, x], {}, [3], "bool"))).toEqual([1, 0, 0])
  })

  it("float rem is C fmod (sign of the dividend); pow follows C for pow(1, y) and pow(-1, inf)", () => {
    const x = arr("float64", [4], [5.5, -5.5, 5.5, 1])
    const y = arr("float64", [4], [2, 2, -2, 0])
    expect(list(run("rem", [x, y], {}, [4], "float64"))).toEqual([1.5, -1.5, 1.5, NaN])
    const p = run("pow", [arr("float64", [4], [1, -1, 2, 0]), arr("float64", [4], [NaN, Infinity, 0.5, 0])], {}, [4], "float64")
    expect(list(p)).toEqual([1, 1, Math.SQRT2, 1])
  })
})

describe("comparisons and logic", () => {
  it("compare ints, floats and bools into bool", () => {
    const x = arr("int32", [2, 3], [1, 2, 3, 4, 5, 6])
    const y = arr("int32", [1, 3], [2, 2, 7])
    const shape = [2, 3]
    for (const [name, f] of [
      ["eq", (a: number, b: number) => a === b],
      ["ne", (a: number, b: number) => a !== b],
      ["lt", (a: number, b: number) => a < b],
      ["le", (a: number, b: number) => a <= b],
      ["gt", (a: number, b: number) => a > b],
      ["ge", (a: number, b: number) => a >= b]
    ] as const) {
      const out = run(name, [x, y], {}, shape, "bool")
      expect(out).toBeInstanceOf(Uint8Array)
      const ref = refBinary(x.buffer as Int32Array, [2, 3], y.buffer as Int32Array, [1, 3], (a, b) => (f(a, b) ? 1 : 0))
      expect(list(out)).toEqual(ref.out)
    }
    // uint32 compares as unsigned
    const u = run("lt", [arr("uint32", [2], [1, 4294967295]), arr("uint32", [2], [4294967295, 1])], {}, [2], "bool")
    expect(list(u)).toEqual([1, 0])
  })

  it("and/or/xor/not on bool are logical, on ints bitwise", () => {
    const p = arr("bool", [4], [0, 0, 1, 1])
    const q = arr("bool", [4], [0, 1, 0, 1])
    expect(list(run("and", [p, q], {}, [4], "bool"))).toEqual([0, 0, 0, 1])
    expect(list(run("or", [p, q], {}, [4], "bool"))).toEqual([0, 1, 1, 1])
    expect(list(run("xor", [p, q], {}, [4], "bool"))).toEqual([0, 1, 1, 0])
    expect(list(run("not", [p], {}, [4], "bool"))).toEqual([1, 1, 0, 0])
    const i = arr("int32", [3], [0, 5, -1])
    expect(list(run("not", [i], {}, [3], "int32"))).toEqual([-1, -6, 0])
    expect(list(run("not", [arr("uint32", [2], [0, 5])], {}, [2], "uint32"))).toEqual([4294967295, 4294967290])
    expect(list(run("and", [arr("int32", [2], [12, -1]), arr("int32", [2], [10, 7])], {}, [2], "int32"))).toEqual([8, 7])
    expect(list(run("xor", [arr("uint32", [1], [0xffffffff]), arr("uint32", [1], [1])], {}, [1], "uint32"))).toEqual([0xfffffffe])
    // max/min on bool are or/and
    expect(list(run("max", [p, q], {}, [4], "bool"))).toEqual([0, 1, 1, 1])
    expect(list(run("min", [p, q], {}, [4], "bool"))).toEqual([0, 0, 0, 1])
  })
})

describe("integer arithmetic", () => {
  const I32_MIN = -2147483648
  const I32_MAX = 2147483647
  const wrap32 = (v: bigint): number => Number(BigInt.asIntN(32, v))

  it("int32 add/sub/mul/neg/abs wrap", () => {
    const x = arr("int32", [4], [I32_MAX, I32_MIN, 123456789, 65536])
    const y = arr("int32", [4], [1, 1, 987654321, 65536])
    expect(list(run("add", [x, y], {}, [4], "int32"))).toEqual([I32_MIN, I32_MIN + 1, 1111111110, 131072])
    expect(list(run("sub", [y, x], {}, [4], "int32"))).toEqual([wrap32(1n - 2147483647n), wrap32(1n + 2147483648n), 864197532, 0])
    expect(list(run("mul", [x, y], {}, [4], "int32"))).toEqual([I32_MAX, I32_MIN, wrap32(123456789n * 987654321n), 0])
    expect(list(run("neg", [x], {}, [4], "int32"))).toEqual([-I32_MAX, I32_MIN, -123456789, -65536])
    expect(list(run("abs", [arr("int32", [3], [I32_MIN, -5, 5])], {}, [3], "int32"))).toEqual([I32_MIN, 5, 5])
    expect(list(run("sign", [arr("int32", [3], [-7, 0, 9])], {}, [3], "int32"))).toEqual([-1, 0, 1])
  })

  it("int32 div truncates toward zero, rem has the dividend's sign, XLA's results for 0 and overflow", () => {
    const x = arr("int32", [8], [7, -7, 7, -7, 5, -5, I32_MIN, I32_MIN])
    const y = arr("int32", [8], [2, 2, -2, -2, 0, 0, -1, 1])
    expect(list(run("div", [x, y], {}, [8], "int32"))).toEqual([3, -3, -3, 3, -1, -1, I32_MIN, I32_MIN])
    expect(list(run("rem", [x, y], {}, [8], "int32"))).toEqual([1, -1, 1, -1, 5, -5, 0, 0])
  })

  it("uint32 arithmetic wraps modulo 2^32", () => {
    const x = arr("uint32", [4], [0, 4294967295, 3000000000, 7])
    const y = arr("uint32", [4], [1, 1, 3000000000, 0])
    expect(list(run("sub", [x, y], {}, [4], "uint32"))).toEqual([4294967295, 4294967294, 0, 7])
    expect(list(run("add", [x, y], {}, [4], "uint32"))).toEqual([1, 0, Number(6000000000n % 4294967296n), 7])
    expect(list(run("mul", [x, y], {}, [4], "uint32"))).toEqual([0, 4294967295, Number((3000000000n * 3000000000n) % 4294967296n), 0])
    expect(list(run("div", [x, y], {}, [4], "uint32"))).toEqual([0, 4294967295, 1, 4294967295])
    expect(list(run("rem", [x, y], {}, [4], "uint32"))).toEqual([0, 0, 0, 7])
    expect(list(run("neg", [arr("uint32", [2], [1, 0])], {}, [2], "uint32"))).toEqual([4294967295, 0])
    expect(list(run("max", [x, y], {}, [4], "uint32"))).toEqual([1, 4294967295, 3000000000, 7])
  })

  it("int pow is exponentiation by squaring with wrap; negative exponents give 0 (1 for base 1)", () => {
    const x = arr("int32", [6], [3, 2, 2, 1, 5, -3])
    const y = arr("int32", [6], [4, 31, 32, -3, -1, 3])
    expect(list(run("pow", [x, y], {}, [6], "int32"))).toEqual([81, I32_MIN, 0, 1, 0, -27])
  })
})

describe("unary math", () => {
  it("round (roundingMethod 1) is half to even and keeps -0, NaN and infinities", () => {
    const x = arr("float32", [12], [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6, NaN, Infinity, 8388609])
    const out = run("round", [x], { roundingMethod: 1 }, [12], "float32")
    expect(same(out, [0, 2, 2, -0, -2, -2, 2, 3, -3, NaN, Infinity, 8388609])).toBe(true)
  })

  it("round (roundingMethod 0, JAX's default) sends halves away from zero and keeps -0, NaN and infinities", () => {
    const x = arr("float32", [14], [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6, -0.4, -0, NaN, -Infinity, 8388609])
    const out = run("round", [x], { roundingMethod: 0 }, [14], "float32")
    expect(same(out, [1, 2, 3, -1, -2, -3, 2, 3, -3, -0, -0, NaN, -Infinity, 8388609])).toBe(true)
  })

  it("floor, ceil, sign (keeps -0 and NaN), is_finite", () => {
    const x = arr("float32", [6], [-1.5, -0, 0, 2.5, NaN, -Infinity])
    expect(same(run("floor", [x], {}, [6], "float32"), [-2, -0, 0, 2, NaN, -Infinity])).toBe(true)
    expect(same(run("ceil", [x], {}, [6], "float32"), [-1, -0, 0, 3, NaN, -Infinity])).toBe(true)
    expect(same(run("sign", [x], {}, [6], "float32"), [-1, -0, 0, 1, NaN, -1])).toBe(true)
    expect(list(run("is_finite", [x], {}, [6], "bool"))).toEqual([1, 1, 1, 1, 0, 0])
  })

  it("transcendental functions are the float32 rounding of the double result", () => {
    const x = randomF32(64, 7, 0.05, 0.95)
    const fns: Array<[string, (v: number) => number]> = [
      ["exp", Math.exp],
      ["exp2", (v) => 2 ** v],
      ["log", Math.log],
      ["log1p", Math.log1p],
      ["expm1", Math.expm1],
      ["tanh", Math.tanh],
      ["logistic", (v) => 1 / (1 + Math.exp(-v))],
      ["sin", Math.sin],
      ["cos", Math.cos],
      ["tan", Math.tan],
      ["asin", Math.asin],
      ["acos", Math.acos],
      ["atan", Math.atan],
      ["sinh", Math.sinh],
      ["cosh", Math.cosh],
      ["sqrt", Math.sqrt],
      ["rsqrt", (v) => 1 / Math.sqrt(v)],
      ["abs", Math.abs],
      ["neg", (v) => -v]
    ]
    for (const [name, f] of fns) {
      const out = run(name, [arr("float32", [64], x)], {}, [64], "float32")
      expect(list(out), name).toEqual(list(x).map((v) => Math.fround(f(v))))
    }
    const big = run("logistic", [arr("float32", [3], [-1000, 0, 1000])], {}, [3], "float32")
    expect(list(big)).toEqual([0, 0.5, 1])
  })

  it("erf matches reference values in float64", () => {
    const xs = [0, 1e-10, 0.1, 0.5, 1, 1.5, 2, 2.5, 3, 4, -0.5, -3, 7, NaN]
    const ref = [
      0,
      1.1283791670955126e-10,
      0.1124629160182849,
      0.5204998778130465,
      0.8427007929497149,
      0.9661051464753108,
      0.9953222650189527,
      0.999593047982555,
      0.9999779095030014,
      0.9999999845827421,
      -0.5204998778130465,
      -0.9999779095030014,
      1,
      NaN
    ]
    const out = run("erf", [arr("float64", [xs.length], xs)], {}, [xs.length], "float64")
    for (let i = 0; i < xs.length; i++) {
      if (Number.isNaN(ref[i])) expect(out[i]).toBeNaN()
      else expect(Math.abs(out[i]! - ref[i]!)).toBeLessThanOrEqual(4 * Number.EPSILON * Math.max(Math.abs(ref[i]!), 1e-300))
    }
    expect(erf(-0)).toBe(-0)
    const f = run("erf", [arr("float32", [2], [0.5, 2])], {}, [2], "float32")
    expect(list(f)).toEqual([Math.fround(0.5204998778130465), Math.fround(0.9953222650189527)])
  })

  it("integer_pow multiplies in the dtype step by step, like JAX's lowering", () => {
    const x = randomF32(32, 11, -2, 2)
    const f = Math.fround
    const cube = run("integer_pow", [arr("float32", [32], x)], { y: 3 }, [32], "float32")
    expect(list(cube)).toEqual(list(x).map((v) => f(v * f(v * v))))
    const p5 = run("integer_pow", [arr("float32", [32], x)], { y: 5 }, [32], "float32")
    expect(list(p5)).toEqual(list(x).map((v) => f(v * f(f(v * v) * f(v * v)))))
    const inv2 = run("integer_pow", [arr("float32", [32], x)], { y: -2 }, [32], "float32")
    expect(list(inv2)).toEqual(list(x).map((v) => f(1 / f(v * v))))
    const zero = run("integer_pow", [arr("float32", [2], [NaN, 3])], { y: 0 }, [2], "float32")
    expect(list(zero)).toEqual([1, 1])
    const ints = run("integer_pow", [arr("int32", [3], [3, 65536, -2])], { y: 2 }, [3], "int32")
    expect(list(ints)).toEqual([9, 0, 4])
    const one = arr("float32", [2], [1, 2])
    expect(run("integer_pow", [one], { y: 1 }, [2], "float32")).toBe(one.buffer)
  })
})

describe("select_n", () => {
  it("bool predicate picks case1 where true, with broadcasting", () => {
    const pred = arr("bool", [2, 1], [1, 0])
    const c0 = arr("float32", [1, 3], [10, 20, 30])
    const c1 = arr("float32", [2, 3], [1, 2, 3, 4, 5, 6])
    expect(list(run("select_n", [pred, c0, c1], {}, [2, 3], "float32"))).toEqual([1, 2, 3, 10, 20, 30])
    const scalarPred = arr("bool", [1, 1], [1])
    expect(list(run("select_n", [scalarPred, c1, c0], {}, [2, 3], "float32"))).toEqual([10, 20, 30, 10, 20, 30])
  })

  it("int32 predicate indexes the cases (clamped)", () => {
    const which = arr("int32", [5], [0, 1, 2, 5, -1])
    const cs = [0, 1, 2].map((k) => arr("int32", [5], [k * 10, k * 10 + 1, k * 10 + 2, k * 10 + 3, k * 10 + 4]))
    expect(list(run("select_n", [which, ...cs], {}, [5], "int32"))).toEqual([0, 11, 22, 23, 4])
  })
})

describe("convert_element_type", () => {
  const conv = (from: DType, to: DType, xs: number[]): number[] =>
    list(run("convert_element_type", [arr(from, [xs.length], xs)], { newDtype: to, weakType: false }, [xs.length], to))

  it("float to int truncates toward zero, saturates, NaN -> 0 (XLA)", () => {
    expect(conv("float32", "int32", [1.9, -1.9, 0.5, -0, 3e9, -3e9, NaN, Infinity])).toEqual([1, -1, 0, 0, 2147483647, -2147483648, 0, 2147483647])
    expect(conv("float64", "uint32", [1.9, -1.9, 5e9, 4294967295.5, NaN])).toEqual([1, 0, 4294967295, 4294967295, 0])
  })

  it("int <-> int wraps, to bool is x != 0, float64 -> float32 rounds", () => {
    expect(conv("int32", "uint32", [-1, 5])).toEqual([4294967295, 5])
    expect(conv("uint32", "int32", [4294967295, 2147483648])).toEqual([-1, -2147483648])
    expect(conv("float32", "bool", [0, -0, NaN, 0.1])).toEqual([0, 0, 1, 1])
    expect(conv("int32", "bool", [0, -3])).toEqual([0, 1])
    expect(conv("bool", "float32", [0, 1])).toEqual([0, 1])
    expect(conv("float64", "float32", [0.1, 16777217])).toEqual([Math.fround(0.1), 16777216])
    expect(conv("int32", "float32", [16777217, -3])).toEqual([16777216, -3])
    expect(conv("uint32", "float64", [4294967295])).toEqual([4294967295])
  })

  it("to the same dtype returns the buffer", () => {
    const x = arr("float32", [2], [1, 2])
    expect(run("convert_element_type", [x], { newDtype: "float32", weakType: true }, [2], "float32")).toBe(x.buffer)
  })
})

describe("eager dispatch", () => {
  it("chained small adds stay correct (fast path reuse)", () => {
    let x = arr("float32", [4], [0, 0, 0, 0])
    const one = arr("float32", [4], [1, 2, 3, 4])
    for (let i = 0; i < 1000; i++) x = { buffer: run("add", [x, one], {}, [4], "float32"), aval: x.aval }
    expect(list(x.buffer as Float32Array)).toEqual([1000, 2000, 3000, 4000])
  })

  it("an eager operation is compiled once per (operation, signature) and reused", () => {
    const x = arr("float64", [3], [1, 2, 3])
    const y = arr("float64", [1], [2])
    run("atan2", [x, y], {}, [3], "float64")
    const n = eagerCacheSize()
    const k = kernelCacheSize()
    for (let i = 0; i < 10; i++) run("atan2", [x, y], {}, [3], "float64")
    expect(eagerCacheSize()).toBe(n)
    expect(kernelCacheSize()).toBe(k)
  })

  it("zero-size operands give empty results", () => {
    const out = run("add", [arr("float32", [0, 3], []), arr("float32", [1, 3], [1, 2, 3])], {}, [0, 3], "float32")
    expect(out.length).toBe(0)
    expect(run("exp", [arr("float32", [0], [])], {}, [0], "float32").length).toBe(0)
  })
})

describe("rank-0 operands on the strided path", () => {
  it("select_n with a broadcast predicate and a rank-0 case reads the scalar everywhere", () => {
    const pred = new ShapedArray([2, 1], "bool")
    const x = new ShapedArray([2, 3], "float32")
    const s = new ShapedArray([], "float32")
    const out = new ShapedArray([2, 3], "float32")
    const buf = run(
      "select_n",
      [
        { buffer: Uint8Array.of(1, 0), aval: pred },
        { buffer: Float32Array.of(7), aval: s },
        { buffer: Float32Array.of(0, 1, 2, 3, 4, 5), aval: x }
      ],
      {},
      out.shape,
      out.dtype
    )
    // pred true picks case 1 (x), false picks case 0 (the scalar 7)
    expect([...(buf as Float32Array)]).toEqual([0, 1, 2, 7, 7, 7])
  })
})
