import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type DType, promoteTypes, type TypeInfo } from "./dtype.js"
import { ShapeError } from "./errors.js"
import { broadcastShapes } from "./shape.js"

// JAX's promotion table (jax.numpy type promotion semantics, x64 disabled so int64 is int32),
// restricted to jaxfx's dtypes, written out by hand. i* and f* are weak (Python/JS scalars).
const names = ["b1", "u32", "i32", "f32", "f64", "i*", "f*"] as const
type Name = (typeof names)[number]
const table: Record<Name, Record<Name, Name>> = {
  b1: { b1: "b1", u32: "u32", i32: "i32", f32: "f32", f64: "f64", "i*": "i*", "f*": "f*" },
  u32: { b1: "u32", u32: "u32", i32: "i32", f32: "f32", f64: "f64", "i*": "u32", "f*": "f*" },
  i32: { b1: "i32", u32: "i32", i32: "i32", f32: "f32", f64: "f64", "i*": "i32", "f*": "f*" },
  f32: { b1: "f32", u32: "f32", i32: "f32", f32: "f32", f64: "f64", "i*": "f32", "f*": "f32" },
  f64: { b1: "f64", u32: "f64", i32: "f64", f32: "f64", f64: "f64", "i*": "f64", "f*": "f64" },
  "i*": { b1: "i*", u32: "u32", i32: "i32", f32: "f32", f64: "f64", "i*": "i*", "f*": "f*" },
  "f*": { b1: "f*", u32: "f*", i32: "f*", f32: "f32", f64: "f64", "i*": "f*", "f*": "f*" }
}
const info = (n: Name): TypeInfo => {
  const m: Record<Name, TypeInfo> = {
    b1: { dtype: "bool", weakType: false },
    u32: { dtype: "uint32", weakType: false },
    i32: { dtype: "int32", weakType: false },
    f32: { dtype: "float32", weakType: false },
    f64: { dtype: "float64", weakType: false },
    "i*": { dtype: "int32", weakType: true },
    "f*": { dtype: "float32", weakType: true }
  }
  return m[n]
}

describe("type promotion", () => {
  for (const a of names) {
    for (const b of names) {
      it(`${a} + ${b} -> ${table[a][b]}`, () => {
        expect(promoteTypes(info(a), info(b))).toEqual(info(table[a][b]))
      })
    }
  }
  it("is commutative and associative over the lattice (property)", () => {
    const arb = fc.constantFrom(...names)
    fc.assert(
      fc.property(arb, arb, arb, (a, b, c) => {
        const x = info(a)
        const y = info(b)
        const z = info(c)
        expect(promoteTypes(x, y)).toEqual(promoteTypes(y, x))
        // associativity holds everywhere except through JAX's i32/u32 -> i64 -> i32 canonicalization
        const has = (d: DType) => [x, y, z].some((t) => !t.weakType && t.dtype === d)
        if (!(has("int32") && has("uint32"))) {
          expect(promoteTypes(promoteTypes(x, y), z)).toEqual(promoteTypes(x, promoteTypes(y, z)))
        }
      }),
      { seed: 5, numRuns: 200 }
    )
  })
})

describe("broadcasting", () => {
  // Independent reference: pad both shapes to the same rank on the left, then take dimension by dimension.
  const reference = (a: number[], b: number[]): number[] | "error" => {
    const r = Math.max(a.length, b.length)
    const pa = [...Array(r - a.length).fill(1), ...a]
    const pb = [...Array(r - b.length).fill(1), ...b]
    const out: number[] = []
    for (let i = 0; i < r; i++) {
      if (pa[i] === pb[i]) out.push(pa[i])
      else if (pa[i] === 1) out.push(pb[i])
      else if (pb[i] === 1) out.push(pa[i])
      else return "error"
    }
    return out
  }
  it("matches the reference on random shapes (property)", () => {
    const shape = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 })
    fc.assert(
      fc.property(shape, shape, (a, b) => {
        const ref = reference(a, b)
        if (ref === "error") expect(() => broadcastShapes(a, b)).toThrow(ShapeError)
        else expect(broadcastShapes(a, b)).toEqual(ref)
      }),
      { seed: 9, numRuns: 300 }
    )
  })
  it("names both shapes when they clash", () => {
    expect(() => broadcastShapes([2, 3], [4])).toThrow(/\(2, 3\) and \(4,\)/)
  })
})
