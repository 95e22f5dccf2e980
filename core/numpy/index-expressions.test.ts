/**
 * Index expressions against real JAX (golden/index_expressions.py): integers, slices with any
 * bounds and steps, new axes, an ellipsis and integer index arrays, mixed as a NumPy subscript
 * mixes them; `x[idx]` and `x.at[idx].add(u)` eagerly and under jit. The laws check that indexing
 * agrees with itself across transformations; this checks that it agrees with JAX.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../golden/load.js"
import { type Array, jit, np } from "../../index.js"

type Item = number | string | null | { readonly indices: ReadonlyArray<number>; readonly shape: ReadonlyArray<number> }

interface Case {
  readonly shape: ReadonlyArray<number>
  readonly items: ReadonlyArray<Item>
  readonly get: GoldenArray
  readonly add: GoldenArray
}

const golden = loadGolden<Case>("index_expressions")

const toItem = (it: Item): number | string | null | Array =>
  it === null || typeof it === "number" || typeof it === "string" ? it : np.reshape(np.array(it.indices, { dtype: "int32" }), it.shape)

const show = (items: ReadonlyArray<Item>): string =>
  `[${items.map((it) => (it === null ? "None" : typeof it === "object" ? `i${JSON.stringify(it.indices)}` : String(it))).join(", ")}]`

const expectArray = (y: Array, g: GoldenArray, how: string): void => {
  expect({ how, shape: y.shape }).toEqual({ how, shape: g.shape })
  expect({ how, values: [...y.data()] }).toEqual({ how, values: goldenValues(g) })
}

describe("index expressions match JAX", () => {
  it("the golden file has advanced, basic and mixed expressions", () => {
    expect(golden.cases.length).toBe(160)
    expect(golden.cases.some((c) => c.items.some((i) => typeof i === "object" && i !== null))).toBe(true)
  })
  for (const c of golden.cases) {
    it(`x${JSON.stringify(c.shape)}${show(c.items)}`, () => {
      const x = np.reshape(
        np.arange(
          c.shape.reduce((a, b) => a * b, 1),
          { dtype: "float32" }
        ),
        c.shape
      )
      const items = c.items.map(toItem)
      expectArray(x.index(...items), c.get, "x[idx]")
      expectArray(jit((a: Array) => a.index(...items))(x), c.get, "jit x[idx]")
      const u = np.reshape(
        np
          .arange(
            c.get.shape.reduce((a, b) => a * b, 1),
            { dtype: "float32" }
          )
          .add(1)
          .mul(100),
        c.get.shape
      )
      expectArray(x.at(...items).add(u), c.add, "x.at[idx].add(u)")
      expectArray(jit((a: Array, v: Array) => a.at(...items).add(v))(x, u), c.add, "jit x.at[idx].add(u)")
    })
  }
})
