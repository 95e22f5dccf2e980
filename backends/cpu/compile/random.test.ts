/**
 * jit(f) = f on random programs: compositions of elementwise primitives, broadcasts, views
 * (transpose, rev, slice, reshape), pad, concatenate, iota, casts and reductions feeding back into
 * elementwise chains. Programs without sums must agree bit for bit; sums may round differently by
 * accumulation order (relative 1e-4).
 */
import fc from "fast-check"
import { describe, it } from "vitest"
import { type Array, type DType, jit, lax } from "../../../index.js"
import { expectClose, expectSameBits, input } from "./test-util.js"

type Instr =
  | { readonly t: "unary"; readonly op: number; readonly a: number }
  | { readonly t: "binary"; readonly op: number; readonly a: number; readonly b: number }
  | { readonly t: "row"; readonly op: number; readonly a: number; readonly b: number }
  | { readonly t: "scalar"; readonly op: number; readonly a: number; readonly c: number }
  | { readonly t: "select"; readonly cmp: number; readonly a: number; readonly b: number; readonly c: number }
  | { readonly t: "view"; readonly kind: number; readonly a: number }
  | { readonly t: "pad"; readonly a: number; readonly lo: boolean }
  | { readonly t: "concat"; readonly a: number; readonly b: number }
  | { readonly t: "reduce"; readonly op: number; readonly axis: number; readonly a: number; readonly b: number }
  | { readonly t: "iota"; readonly a: number; readonly axis: number }
  | { readonly t: "cast"; readonly a: number }
  | { readonly t: "pow"; readonly a: number; readonly y: number }

const unaries: ReadonlyArray<(x: Array) => Array> = [lax.neg, lax.exp, lax.tanh, lax.sin, lax.abs, lax.floor, lax.logistic, lax.sqrt, lax.log1p, lax.round]
const binaries: ReadonlyArray<(x: Array, y: Array) => Array> = [lax.add, lax.sub, lax.mul, lax.div, lax.max, lax.min, lax.atan2, lax.rem]
const cmps: ReadonlyArray<(x: Array, y: Array) => Array> = [lax.lt, lax.ge, lax.eq, lax.ne]

const S: readonly [number, number] = [3, 4]

const instr = (n: number): fc.Arbitrary<Instr> => {
  const v = fc.nat({ max: n - 1 })
  return fc.oneof(
    fc.record({ t: fc.constant("unary" as const), op: fc.nat({ max: unaries.length - 1 }), a: v }),
    fc.record({ t: fc.constant("binary" as const), op: fc.nat({ max: binaries.length - 1 }), a: v, b: v }),
    fc.record({ t: fc.constant("row" as const), op: fc.nat({ max: binaries.length - 1 }), a: v, b: v }),
    fc.record({ t: fc.constant("scalar" as const), op: fc.nat({ max: binaries.length - 1 }), a: v, c: fc.constantFrom(0.5, -2, 3.25, 1e-3) }),
    fc.record({ t: fc.constant("select" as const), cmp: fc.nat({ max: cmps.length - 1 }), a: v, b: v, c: v }),
    fc.record({ t: fc.constant("view" as const), kind: fc.nat({ max: 4 }), a: v }),
    fc.record({ t: fc.constant("pad" as const), a: v, lo: fc.boolean() }),
    fc.record({ t: fc.constant("concat" as const), a: v, b: v }),
    fc.record({ t: fc.constant("reduce" as const), op: fc.nat({ max: 3 }), axis: fc.nat({ max: 1 }), a: v, b: v }),
    fc.record({ t: fc.constant("iota" as const), a: v, axis: fc.nat({ max: 1 }) }),
    fc.record({ t: fc.constant("cast" as const), a: v }),
    fc.record({ t: fc.constant("pow" as const), a: v, y: fc.constantFrom(2, 3, -1) })
  )
}

/** Programs of 1..12 instructions over 2 inputs; instruction i may read any earlier value. */
const program: fc.Arbitrary<Instr[]> = fc
  .integer({ min: 1, max: 12 })
  .chain((len) => fc.tuple(...globalThis.Array.from({ length: len }, (_, i) => instr(i + 2))))
  .map((xs): Instr[] => [...xs])

/** Apply one instruction: every value has shape [3, 4] and the program's dtype. */
const step = (vals: ReadonlyArray<Array>, ins: Instr, d: DType): Array => {
  const at = (i: number): Array => vals[i]!
  switch (ins.t) {
    case "unary":
      return unaries[ins.op]!(at(ins.a))
    case "binary":
      return binaries[ins.op]!(at(ins.a), at(ins.b))
    case "row": {
      const row = lax.slice(at(ins.b), [1, 0], [2, 4]) // [1, 4] broadcast over rows
      return binaries[ins.op]!(at(ins.a), row)
    }
    case "scalar":
      return binaries[ins.op]!(at(ins.a), lax.convertElementType(lax.exp(lax.convertElementType(input("float32", [], 1), d)), d))
    case "select":
      return lax.select(cmps[ins.cmp]!(at(ins.a), at(ins.b)), at(ins.c), at(ins.b))
    case "view": {
      const x = at(ins.a)
      switch (ins.kind) {
        case 0:
          return lax.transpose(lax.exp(lax.transpose(x, [1, 0])), [1, 0])
        case 1:
          return lax.rev(x, ins.a % 2 === 0 ? [0, 1] : [1])
        case 2:
          return lax.reshape(lax.rev(lax.reshape(lax.sin(x), [12]), [0]), S)
        case 3:
          return lax.reshape(lax.transpose(lax.reshape(x, [2, 6]), [1, 0]), S)
        default:
          return lax.broadcastInDim(lax.slice(lax.tanh(x), [0, 2], [3, 3]), S, [0, 1])
      }
    }
    case "pad": {
      const x = lax.slice(at(ins.a), [0, 0], [2, 4])
      return lax.pad(
        lax.cos(x),
        lax.convertElementType(input("float32", [], 3), d),
        ins.lo
          ? [
              [1, 0, 0],
              [0, 0, 0]
            ]
          : [
              [0, 1, 0],
              [0, 0, 0]
            ]
      )
    }
    case "concat":
      return lax.concatenate([lax.slice(lax.exp(at(ins.a)), [0, 0], [1, 4]), lax.slice(at(ins.b), [1, 0], [3, 4])], 0)
    case "reduce": {
      const x = at(ins.a)
      const r =
        ins.op === 0
          ? lax.reduceSum(x, [ins.axis])
          : ins.op === 1
            ? lax.reduceMax(x, [ins.axis])
            : ins.op === 2
              ? lax.reduceMin(x, [ins.axis])
              : lax.convertElementType(lax.argmax(x, ins.axis), d)
      const kept = ins.axis === 0 ? [1, 4] : [3, 1]
      return lax.mul(lax.reshape(r, kept), at(ins.b))
    }
    case "iota":
      return lax.add(at(ins.a), lax.convertElementType(lax.iota("int32", S, ins.axis), d))
    case "cast": {
      const other: DType = d === "float32" ? "float64" : "float32"
      return lax.convertElementType(lax.mul(lax.convertElementType(at(ins.a), other), lax.convertElementType(at(ins.a), other)), d)
    }
    case "pow":
      return lax.integerPow(at(ins.a), ins.y)
  }
}

const run =
  (prog: ReadonlyArray<Instr>, d: DType) =>
  (x: Array, y: Array): [Array, Array] => {
    const vals: Array[] = [x, y]
    for (const ins of prog) vals.push(step(vals, ins, d))
    return [vals[vals.length - 1]!, vals[Math.floor(vals.length / 2)]!]
  }

describe("jit(f) = f on random programs", () => {
  for (const d of ["float32", "float64"] as const) {
    it(`${d} programs (50 seeded runs)`, () => {
      fc.assert(
        fc.property(program, fc.nat({ max: 1000 }), (prog, seed) => {
          const f = run(prog, d)
          const x = input(d, S, seed * 2)
          const y = input(d, S, seed * 2 + 1)
          const want = f(x, y)
          const got = jit(f)(x, y)
          const sums = prog.some((i) => i.t === "reduce" && i.op === 0)
          for (let k = 0; k < 2; k++) {
            if (sums) expectClose(got[k]!, want[k]!, 1e-4, `output ${k}`)
            else expectSameBits(got[k]!, want[k]!, `output ${k}`)
          }
        }),
        { seed: d === "float32" ? 20261122 : 7, numRuns: 50 }
      )
    })
  }
})
