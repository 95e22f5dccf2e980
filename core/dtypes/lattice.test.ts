import fc from "fast-check"
import { afterEach, describe, expect, it } from "vitest"
import { loadGolden } from "../../golden/load.js"
import * as config from "../config.js"
import { DTypeError } from "../errors.js"
import { canCast, type Casting, issubdtype } from "./casting.js"
import { leastUpperBound, type LatticeNode, promoteTypes, resultType, resultWeakType } from "./lattice.js"
import { type DTypeName, dtypeNames, type WeakTypeName } from "./names.js"

// Real JAX's tables (golden/dtypes.py): every pair of the 15 dtypes and the 3 weak types.
interface Case {
  readonly id: string
  readonly kind: string
  readonly x64?: boolean
  readonly casting?: Casting
  readonly table: Record<string, Record<string, unknown>>
  readonly single?: Record<string, [string, boolean]>
}
const golden = loadGolden<Case>("dtypes").cases
const weakOf: Record<string, WeakTypeName> = { weak_int: "weakInt", weak_float: "weakFloat", weak_complex: "weakComplex" }
const node = (n: string): DTypeName | WeakTypeName => weakOf[n] ?? (n as DTypeName)
// A weak operand of result_type: JAX's Python scalar, whose dtype is its kind's default.
const operand = (n: string, x64: boolean) => {
  const w = weakOf[n]
  if (w === undefined) return { dtype: n as DTypeName, weakType: false }
  const d: DTypeName = w === "weakInt" ? "int64" : w === "weakFloat" ? "float64" : "complex128"
  return { dtype: d, weakType: true, x64 }
}

const initialX64 = config.read("jax_enable_x64")
afterEach(() => config.update("jax_enable_x64", initialX64))

describe("np.promoteTypes equals jnp.promote_types for every pair", () => {
  for (const c of golden.filter((c) => c.kind === "promote_types")) {
    it(c.id, () => {
      config.update("jax_enable_x64", c.x64!)
      const wrong: string[] = []
      for (const [a, row] of Object.entries(c.table)) {
        for (const [b, want] of Object.entries(row)) {
          const got = promoteTypes(node(a), node(b))
          if (got !== want) wrong.push(`${a} + ${b}: ${got}, JAX ${String(want)}`)
        }
      }
      expect(wrong).toEqual([])
      expect(Object.keys(c.table)).toHaveLength(18)
    })
  }
})

describe("resultType with weak types equals jnp.result_type(return_weak_type_flag=True)", () => {
  for (const c of golden.filter((c) => c.kind === "result_type")) {
    it(c.id, () => {
      const x64 = c.x64!
      const wrong: string[] = []
      for (const [a, row] of Object.entries(c.table)) {
        for (const [b, want] of Object.entries(row)) {
          const got = resultWeakType([operand(a, x64), operand(b, x64)], x64)
          const [d, w] = want as [string, boolean]
          if (got.dtype !== d || got.weakType !== w) wrong.push(`${a} + ${b}: ${got.dtype}${got.weakType ? "*" : ""}, JAX ${d}${w ? "*" : ""}`)
        }
      }
      for (const [a, [d, w]] of Object.entries(c.single!)) {
        const got = resultWeakType([operand(a, x64)], x64)
        if (got.dtype !== d || got.weakType !== w) wrong.push(`${a}: ${got.dtype}, JAX ${d}`)
      }
      expect(wrong).toEqual([])
    })
  }
  it("the public form reads JS scalars as weak types and Arrays' weak flags", () => {
    config.update("jax_enable_x64", false)
    expect(resultType("int8", 2)).toBe("int8")
    expect(resultType("int8", 2.5)).toBe("float32")
    expect(resultType("uint8", true)).toBe("uint8")
    expect(resultType(1, 2)).toBe("int32")
    expect(resultType({ dtype: "float16", weakType: true }, "int8")).toBe("float32")
    expect(resultType("float64", "float32")).toBe("float32")
    config.update("jax_enable_x64", true)
    expect(resultType("float64", "float32")).toBe("float64")
    expect(resultType(1.5)).toBe("float64")
    expect(() => resultType()).toThrow(DTypeError)
    expect(() => resultType("float8" as never)).toThrow(/unknown dtype "float8"/)
  })
})

describe("the lattice", () => {
  it("joins are commutative and associative (property)", () => {
    const nodes: LatticeNode[] = [...dtypeNames, "weakInt", "weakFloat", "weakComplex"]
    const arb = fc.constantFrom(...nodes)
    fc.assert(
      fc.property(arb, arb, arb, fc.boolean(), (a, b, c, x64) => {
        expect(leastUpperBound([a, b], x64)).toBe(leastUpperBound([b, a], x64))
        expect(leastUpperBound([leastUpperBound([a, b], x64), c], x64)).toBe(leastUpperBound([a, leastUpperBound([b, c], x64)], x64))
        expect(leastUpperBound([a, b, c], x64)).toBe(leastUpperBound([a, leastUpperBound([b, c], x64)], x64))
      }),
      { seed: 12, numRuns: 300 }
    )
  })
})

describe("np.canCast equals jnp.can_cast for every pair and casting", () => {
  for (const c of golden.filter((c) => c.kind === "can_cast")) {
    it(c.id, () => {
      const wrong: string[] = []
      for (const [a, row] of Object.entries(c.table)) {
        for (const [b, want] of Object.entries(row)) {
          if (canCast(a as DTypeName, b as DTypeName, c.casting) !== want) wrong.push(`${a} -> ${b}: JAX ${String(want)}`)
        }
      }
      expect(wrong).toEqual([])
    })
  }
  it("refuses unknown castings", () => {
    expect(() => canCast("int8", "int8", "sometimes" as never)).toThrow(/unknown casting "sometimes"/)
  })
})

describe("np.issubdtype equals jnp.issubdtype", () => {
  it("every dtype against every kind and dtype", () => {
    const c = golden.find((c) => c.kind === "issubdtype")!
    const wrong: string[] = []
    for (const [a, row] of Object.entries(c.table)) {
      for (const [b, want] of Object.entries(row)) {
        const k = b === "bool" ? "bool" : b
        if (issubdtype(a as DTypeName, k as DTypeName) !== want) wrong.push(`${a} in ${b}: JAX ${String(want)}`)
      }
    }
    expect(wrong).toEqual([])
    expect(() => issubdtype("int8", "floaty" as never)).toThrow(/unknown dtype or kind "floaty"/)
  })
})
