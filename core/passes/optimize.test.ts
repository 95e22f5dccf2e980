/**
 * optimize end to end, and the property that matters: on random small programs every pass and
 * `optimize` give bit-for-bit the same results, never add equations, and produce programs the
 * verifier accepts.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Array, jit, lax, makeJaxpr, np } from "../../index.js"
import type { DType } from "../dtype.js"
import { evalJaxpr, type Jaxpr } from "../ir.js"
import { countEqns, cse, dce, foldConstants, inlineJit, optimize, simplify, verifyJaxpr } from "./index.js"
import { concrete, sameResults } from "./test-helpers.js"

describe("optimize", () => {
  it("combines the passes to a fixed point", () => {
    const g = jit((y: Array) => np.sin(y).mul(1))
    const j = makeJaxpr((x: Array) => {
      const a = g(x).add(np.array(2).astype("float32").mul(np.array(3).astype("float32")))
      const b = g(x).add(np.array(6).astype("float32"))
      np.exp(x)
      return np.transpose(np.transpose(a.mul(b).reshape([3, 1]).reshape([1, 3]))).reshape([3])
    })(np.zeros([3])).jaxpr
    const out = optimize(j)
    verifyJaxpr(out)
    expect(out.toString({ compact: true })).toBe("{ lambda ; a:f32[3]. let b:f32[3] = sin a; c:f32[3] = add b 6.0:f32[]; d:f32[3] = mul c c in (d,) }")
    expect(optimize(out)).toBe(out)
  })

  it("stops after maxIterations rounds", () => {
    const j = makeJaxpr((x: Array) => np.negative(np.negative(np.negative(np.negative(x)))))(np.zeros([2])).jaxpr
    expect(optimize(j, { maxIterations: 0 })).toBe(j)
    expect(optimize(j).toString({ compact: true })).toBe("{ lambda ; a:f32[2]. let in (a,) }")
  })
})

// ---------------------------------------------------------------------------------------------
// Random programs: a pool of values, each instruction appends one. Operand indices are taken
// modulo the pool size, so every instruction list is a valid program.

type Instr =
  | { readonly kind: "unary"; readonly f: number; readonly a: number }
  | { readonly kind: "scalar"; readonly f: number; readonly a: number; readonly c: number }
  | { readonly kind: "binary"; readonly f: number; readonly a: number; readonly b: number }
  | { readonly kind: "reduce"; readonly f: number; readonly a: number }
  | { readonly kind: "shape"; readonly f: number; readonly a: number }
  | { readonly kind: "const"; readonly f: number; readonly a: number; readonly c: number }
  | { readonly kind: "call"; readonly a: number }
  | { readonly kind: "cond"; readonly f: number; readonly g: number; readonly a: number }
  | { readonly kind: "dup"; readonly k: number }

const called = jit((y: Array) => np.cos(y).mul(1).add(np.sin(y)))

const UNARY: ReadonlyArray<(x: Array) => Array> = [
  np.sin,
  np.exp,
  np.tanh,
  np.negative,
  np.abs,
  np.sqrt,
  np.log,
  (x) => np.negative(np.negative(x)),
  (x) => x.astype("int32").astype("float32"),
  (x) => lax.convertElementType(x, x.dtype, x.weakType)
]
const CONSTS = [0, 1, -0, 2.5, 2, -1]
const SCALAR: ReadonlyArray<(x: Array, c: number) => Array> = [
  (x, c) => x.add(c),
  (x, c) => x.mul(c),
  (x, c) => x.sub(c),
  (x, c) => x.div(c),
  (x, c) => np.add(c, x),
  (x, c) => np.multiply(c, x)
]
const BINARY: ReadonlyArray<(x: Array, y: Array) => Array> = [np.add, np.multiply, np.subtract, np.maximum, (x, y) => np.where(np.greater(x, y), x, y)]
const REDUCE: ReadonlyArray<(x: Array) => Array> = [
  (x) => np.sum(x),
  (x) => np.sum(x, { axis: 0 }),
  (x) => np.max(x, { axis: -1 }),
  (x) => np.sum(x, { axis: 0, keepdims: true })
]
const SHAPE: ReadonlyArray<(x: Array) => Array> = [
  (x) => np.transpose(x),
  (x) => np.transpose(np.transpose(x)),
  (x) => x.reshape([x.size]),
  (x) => x.reshape([x.size]).reshape(x.shape),
  (x) => x.reshape([1, x.size]).reshape([x.size, 1])
]
const CONST: ReadonlyArray<(x: Array, c: number) => Array> = [
  (x, c) => x.mul(np.sin(np.array(c).astype("float32"))),
  (x, c) => x.add(np.array(c).astype("float32").mul(np.array(c).astype("float32")).sub(np.array(1).astype("float32"))),
  (x, c) => x.add(np.sum(np.full([3], c)))
]

/** Branches that keep a float32 operand's aval. */
const BRANCH: ReadonlyArray<(x: Array) => Array> = [
  (x) => np.sin(x).mul(1),
  (x) => x.add(0).add(np.sin(x)).add(np.sin(x)),
  (x) => np.negative(np.negative(x)),
  (x) => x.mul(x),
  (x) => called(x)
]

const pick = <T>(xs: ReadonlyArray<T>, i: number): T => xs[i % xs.length]!

const instr: fc.Arbitrary<Instr> = fc.oneof(
  fc.record({ kind: fc.constant("unary" as const), f: fc.nat(UNARY.length - 1), a: fc.nat(20) }),
  fc.record({ kind: fc.constant("scalar" as const), f: fc.nat(SCALAR.length - 1), a: fc.nat(20), c: fc.nat(CONSTS.length - 1) }),
  fc.record({ kind: fc.constant("binary" as const), f: fc.nat(BINARY.length - 1), a: fc.nat(20), b: fc.nat(20) }),
  fc.record({ kind: fc.constant("reduce" as const), f: fc.nat(REDUCE.length - 1), a: fc.nat(20) }),
  fc.record({ kind: fc.constant("shape" as const), f: fc.nat(SHAPE.length - 1), a: fc.nat(20) }),
  fc.record({ kind: fc.constant("const" as const), f: fc.nat(CONST.length - 1), a: fc.nat(20), c: fc.nat(CONSTS.length - 1) }),
  fc.record({ kind: fc.constant("call" as const), a: fc.nat(20) }),
  fc.record({ kind: fc.constant("cond" as const), f: fc.nat(BRANCH.length - 1), g: fc.nat(BRANCH.length - 1), a: fc.nat(20) }),
  fc.record({ kind: fc.constant("dup" as const), k: fc.nat(20) })
)

const sameShape = (x: Array, y: Array): boolean => x.ndim === y.ndim && x.shape.every((d, i) => d === y.shape[i])

/** Run the instructions on `x`; returns the chosen values of the pool. */
const program =
  (instrs: ReadonlyArray<Instr>, outs: ReadonlyArray<number>) =>
  (x: Array): Array[] => {
    const pool: Array[] = [x]
    const step = (ins: Instr): Array => {
      const at = (i: number): Array => pick(pool, i)
      switch (ins.kind) {
        case "unary":
          return pick(UNARY, ins.f)(at(ins.a))
        case "scalar":
          return pick(SCALAR, ins.f)(at(ins.a), pick(CONSTS, ins.c))
        case "binary": {
          const a = at(ins.a)
          const b = at(ins.b)
          return pick(BINARY, ins.f)(a, sameShape(a, b) || b.ndim === 0 ? b : a)
        }
        case "reduce": {
          const a = at(ins.a)
          return a.ndim === 0 ? np.sum(a) : pick(REDUCE, ins.f)(a)
        }
        case "shape":
          return pick(SHAPE, ins.f)(at(ins.a))
        case "const":
          return pick(CONST, ins.f)(at(ins.a), pick(CONSTS, ins.c))
        case "call": {
          const a = at(ins.a)
          return called(a.dtype === "float32" ? a : a.astype("float32"))
        }
        case "cond": {
          const a0 = at(ins.a)
          const a = a0.dtype === "float32" && !a0.weakType ? a0 : a0.astype("float32")
          return lax.cond(np.sum(a).gt(0), pick(BRANCH, ins.f), pick(BRANCH, ins.g), a)
        }
        case "dup":
          return step(
            pick(
              instrs.filter((i) => i.kind !== "dup"),
              ins.k
            ) ?? { kind: "unary", f: 0, a: 0 }
          )
      }
    }
    for (const ins of instrs) pool.push(step(ins))
    return [pool[pool.length - 1]!, ...outs.map((i) => pick(pool, i))]
  }

const element = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -4, max: 4 }) },
  { weight: 4, arbitrary: fc.float({ min: -10, max: 10, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, NaN, Infinity, -Infinity) }
)

describe("optimize on random programs", () => {
  it("preserves results exactly, never adds equations, and verifies", () => {
    const passes: ReadonlyArray<(j: Jaxpr) => Jaxpr> = [inlineJit, simplify, foldConstants, cse, dce, optimize]
    fc.assert(
      fc.property(
        fc.array(instr, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(20), { maxLength: 2 }),
        fc.constantFrom<DType>("float32", "int32"),
        fc.array(element, { minLength: 6, maxLength: 6 }),
        (instrs, outs, dtype, data) => {
          const x = concrete(dtype === "int32" ? data.map((v) => (Number.isFinite(v) ? Math.trunc(v) : 0)) : data, dtype, [2, 3])
          const closed = makeJaxpr(program(instrs, outs))(x)
          const j = closed.jaxpr
          verifyJaxpr(j)
          const want = evalJaxpr(j, closed.consts, [x])
          for (const pass of passes) {
            const out = pass(j)
            verifyJaxpr(out)
            expect(countEqns(out)).toBeLessThanOrEqual(countEqns(j))
            expect(out.inVars).toEqual(j.inVars)
            expect(out.constVars).toEqual(j.constVars)
            const got = evalJaxpr(out, closed.consts, [x])
            if (!sameResults(got, want)) {
              throw new Error(
                `${pass === optimize ? "optimize" : "a pass"} changed results:\n${j.toString({ compact: true })}\n->\n${out.toString({ compact: true })}`
              )
            }
          }
          const opt = optimize(j)
          expect(optimize(opt)).toBe(opt)
        }
      ),
      { seed: 20240611, numRuns: 150 }
    )
  })
})
