/**
 * Fused elementwise chains match eager evaluation bit for bit: every unary and binary primitive,
 * every dtype it takes, broadcasting (rank-0 scalars, size-1 dimensions), casts, and structural
 * views (transpose, reshape, slice, rev, broadcast_in_dim) inside fused chains.
 */
import { describe, expect, it } from "vitest"
import { type Array, type DType, jit, lax, makeJaxpr, np } from "../../../index.js"
import { selectNP } from "../../../core/primitives/elementwise.js"
import { bind1 } from "../../../core/trace.js"
import { lowerJaxpr } from "../../../core/kernel/lower.js"
import { generateKernel } from "./codegen.js"
import { compileReport } from "./index.js"
import { expectSameBits, input } from "./test-util.js"

type Un = (x: Array) => Array
type Bin = (x: Array, y: Array) => Array

const floats: ReadonlyArray<DType> = ["float32", "float64"]
const ints: ReadonlyArray<DType> = ["int32", "uint32"]
const numbers: ReadonlyArray<DType> = [...floats, ...ints]

const unary: ReadonlyArray<readonly [string, Un, ReadonlyArray<DType>]> = [
  ["neg", lax.neg, numbers],
  ["sign", lax.sign, numbers],
  ["floor", lax.floor, floats],
  ["ceil", lax.ceil, floats],
  ["round", lax.round, floats],
  ["is_finite", lax.isFinite, floats],
  ["not", lax.not, [...ints, "bool"]],
  ["exp", lax.exp, floats],
  ["exp2", lax.exp2, floats],
  ["log", lax.log, floats],
  ["log1p", lax.log1p, floats],
  ["expm1", lax.expm1, floats],
  ["tanh", lax.tanh, floats],
  ["logistic", lax.logistic, floats],
  ["sin", lax.sin, floats],
  ["cos", lax.cos, floats],
  ["tan", lax.tan, floats],
  ["asin", lax.asin, floats],
  ["acos", lax.acos, floats],
  ["atan", lax.atan, floats],
  ["sinh", lax.sinh, floats],
  ["cosh", lax.cosh, floats],
  ["sqrt", lax.sqrt, floats],
  ["rsqrt", lax.rsqrt, floats],
  ["erf", lax.erf, floats],
  ["abs", lax.abs, numbers]
]

const binary: ReadonlyArray<readonly [string, Bin, ReadonlyArray<DType>]> = [
  ["add", lax.add, numbers],
  ["sub", lax.sub, numbers],
  ["mul", lax.mul, numbers],
  ["div", lax.div, numbers],
  ["rem", lax.rem, numbers],
  ["pow", lax.pow, numbers],
  ["max", lax.max, [...numbers, "bool"]],
  ["min", lax.min, [...numbers, "bool"]],
  ["atan2", lax.atan2, floats],
  ["and", lax.and, [...ints, "bool"]],
  ["or", lax.or, [...ints, "bool"]],
  ["xor", lax.xor, [...ints, "bool"]]
]

const comparisons: ReadonlyArray<readonly [string, Bin]> = [
  ["eq", lax.eq],
  ["ne", lax.ne],
  ["lt", lax.lt],
  ["le", lax.le],
  ["gt", lax.gt],
  ["ge", lax.ge]
]

/** jit(f) and f agree bit for bit, and f's jaxpr became a single kernel. */
const check = (f: (...xs: Array[]) => Array, xs: ReadonlyArray<Array>, what: string, kernels = 1): void => {
  const want = f(...xs)
  const got = jit(f)(...xs)
  expectSameBits(got, want, what)
  const report = compileReport(makeJaxpr(f)(...xs))
  expect(report.kernels.length, `${what}\n${report.toString()}`).toBe(kernels)
  expect(report.calls, what).toEqual([])
}

describe("unary primitives in fused chains", () => {
  for (const [name, op, dts] of unary) {
    for (const d of dts) {
      it(`${name} ${d}`, () => {
        const x = input(d, [6, 9], 2)
        const y = input(d, [6, 9], 7)
        // the op's result is rounded before it is used again, then combined with a second chain
        const f = (a: Array, b: Array): Array => {
          const u = op(a)
          const v = op(b)
          if (u.dtype === "bool") return lax.select(u, a, b)
          return d === "bool" ? lax.or(u, v) : lax.max(op(u), v)
        }
        check(f, [x, y], `${name}:${d}`)
      })
    }
  }
})

describe("library calls on long chains run in loops of their own (fission), bit for bit", () => {
  const calls = unary.filter(([name]) => !["neg", "sign", "floor", "ceil", "round", "is_finite", "not", "sqrt", "rsqrt", "abs"].includes(name))
  for (const [name, op] of calls) {
    for (const d of floats) {
      it(`${name} ${d}`, () => {
        // [5, 350]: rows of 350 (one full block of 256 and a partial one); the call's argument is
        // a chain of four operations and its result feeds three more
        const x = input(d, [5, 350], 12)
        const c = np.asarray(0.75, { dtype: d })
        const f = (x: Array): Array => lax.mul(lax.add(lax.mul(op(lax.mul(lax.add(lax.mul(x, x), x), c)), c), x), x)
        check(f, [x], `${name}:${d}`)
        const k = lowerJaxpr(makeJaxpr(f)(x).jaxpr).steps[0]!
        // (float32 exp is computed inline, not called)
        if (k.kind === "kernel" && !(name === "exp" && d === "float32")) expect(generateKernel(k.kernel).source).toContain("+= 256")
      })
    }
  }
  it("nested lazily computed select cases inside a fissioned loop", () => {
    // The outer select's costly case holds a second lazy select: each stage loop must emit what it
    // reads in dependency order (the inner cases' nodes were once emitted before their arguments).
    const x = input("float32", [3, 300], 12)
    const c = np.asarray(0.75, { dtype: "float32" })
    const zero = np.asarray(0, { dtype: "float32" })
    const f = (x: Array): Array => {
      const t = lax.mul(lax.add(lax.mul(lax.tanh(lax.mul(lax.add(lax.mul(x, x), x), c)), c), x), x)
      const inner = lax.select(lax.gt(x, c), lax.add(lax.log(lax.add(lax.mul(x, x), c)), c), lax.exp(lax.sub(x, c)))
      const outer = lax.select(lax.gt(x, zero), lax.mul(lax.sin(lax.add(inner, x)), c), lax.cos(lax.mul(x, c)))
      return lax.add(lax.mul(outer, t), t)
    }
    check(f, [x], "nested lazy selects")
    const k = lowerJaxpr(makeJaxpr(f)(x).jaxpr).steps[0]!
    const source = k.kind === "kernel" ? generateKernel(k.kernel).source : ""
    expect(source).toContain("+= 256")
    expect(source.match(/if \(v\d+ !== 0\)/g)?.length).toBe(2)
  })
  for (const [name, op] of [
    ["pow", lax.pow],
    ["atan2", lax.atan2],
    ["rem", lax.rem]
  ] as const) {
    it(`${name} float32`, () => {
      const x = input("float32", [3, 300], 13)
      const y = input("float32", [3, 300], 14)
      check((x: Array, y: Array) => lax.sub(lax.mul(op(lax.add(lax.mul(x, x), y), lax.mul(y, y)), x), y), [x, y], name)
    })
  }
})

describe("binary primitives in fused chains", () => {
  for (const [name, op, dts] of binary) {
    for (const d of dts) {
      it(`${name} ${d}`, () => {
        const x = input(d, [5, 8], 4)
        const y = input(d, [5, 8], 9)
        const s = input(d, [], 11)
        check((a: Array, b: Array, c: Array) => op(op(a, b), op(c, a)), [x, y, s], `${name}:${d}`)
      })
    }
  }
  for (const [name, op] of comparisons) {
    for (const d of [...numbers, "bool"] as const) {
      it(`${name} ${d} feeding select_n`, () => {
        const x = input(d, [4, 7], 6)
        const y = input(d, [4, 7], 3)
        check((a: Array, b: Array) => lax.select(op(a, b), a, b), [x, y], `${name}:${d}`)
      })
    }
  }
})

describe("integer_pow, select_n with an int32 predicate, casts", () => {
  for (const d of numbers) {
    for (const y of [0, 1, 2, 3, 5, -1, -2]) {
      if (y < 0 && !floats.includes(d)) continue
      it(`integer_pow y=${y} ${d}`, () => {
        const x = input(d, [3, 11], 5)
        check((a: Array) => lax.integerPow(lax.add(lax.integerPow(a, y), a), 2), [x], `pow${y}:${d}`)
      })
    }
  }
  it("select_n with an int32 predicate and three cases (clamped)", () => {
    const w = np.asarray(new Int32Array([-3, 0, 1, 2, 5, 1, 0, 2]), { dtype: "int32" })
    const a = input("float32", [8], 2)
    const b = input("float32", [8], 3)
    const c = input("float32", [8], 4)
    const f = (w: Array, a: Array, b: Array, c: Array): Array => lax.exp(bind1(selectNP, [w, a, b, lax.neg(c)], {}))
    check(f, [w, a, b, c], "select_n int32")
  })
  const all: ReadonlyArray<DType> = [...numbers, "bool"]
  for (const from of all) {
    for (const to of all) {
      it(`convert ${from} -> ${to}`, () => {
        const x = input(from, [7, 5], 8)
        const f = (a: Array): Array => {
          const c = lax.convertElementType(a, to)
          return to === "bool" ? lax.xor(c, lax.convertElementType(lax.convertElementType(a, "float64"), to)) : lax.add(c, c)
        }
        check(f, [x], `${from}->${to}`)
      })
    }
  }
})

describe("broadcasting and structural views fuse into one kernel", () => {
  it("rank-0 scalars, size-1 dimensions and broadcast_in_dim", () => {
    const x = input("float32", [3, 4], 2)
    const row = input("float32", [1, 4], 3)
    const col = input("float32", [3, 1], 4)
    const s = input("float32", [], 5)
    const v = input("float32", [4], 6)
    const f = (x: Array, row: Array, col: Array, s: Array, v: Array): Array =>
      lax.mul(lax.add(lax.sub(x, row), lax.mul(col, s)), lax.broadcastInDim(lax.exp(v), [3, 4], [1]))
    check(f, [x, row, col, s, v], "broadcast")
  })
  it("transpose, rev, slice and reshape of fused values and of inputs", () => {
    const x = input("float32", [4, 6], 2)
    const y = input("float32", [6, 4], 3)
    const f = (x: Array, y: Array): Array => {
      const a = lax.transpose(lax.tanh(x), [1, 0]) // [6, 4]
      const b = lax.rev(lax.mul(y, y), [0, 1])
      const c = lax.slice(lax.exp(lax.reshape(x, [24])), [2], [20], [3]) // [6]
      const d = lax.reshape(lax.add(a, b), [3, 2, 4])
      return lax.sub(d, lax.broadcastInDim(lax.reshape(c, [3, 2]), [3, 2, 4], [0, 1]))
    }
    check(f, [x, y], "views")
  })
  it("rank-3 transposes, rank-0 results and size-0 arrays", () => {
    const x = input("float64", [2, 3, 4], 2)
    check((x: Array) => lax.sin(lax.transpose(lax.cos(lax.transpose(x, [2, 0, 1])), [1, 2, 0])), [x], "rank 3")
    const s = input("float32", [], 5)
    check((s: Array) => lax.exp(lax.neg(s)), [s], "rank 0")
    const e = np.zeros([0, 3])
    const got = jit((e: Array) => lax.exp(lax.add(e, e)))(e)
    expect([...got.shape]).toEqual([0, 3])
  })
  it("iota in a fused chain (one-hot)", () => {
    const labels = np.asarray(new Int32Array([2, 0, 3]), { dtype: "int32" })
    const f = (l: Array): Array => lax.convertElementType(lax.eq(lax.iota("int32", [3, 5], 1), lax.broadcastInDim(l, [3, 5], [0])), "float32")
    check(f, [labels], "one-hot")
  })
  it("outputs: an input returned as is, a literal, one value twice", () => {
    const x = input("float32", [3], 2)
    const f = (x: Array): [Array, Array, Array, Array] => {
      const y = lax.exp(x)
      return [x, y, y, np.asarray(2.5)]
    }
    const got = jit(f)(x)
    const want = f(x)
    got.forEach((g, i) => expectSameBits(g, want[i]!, `out ${i}`))
  })
})
