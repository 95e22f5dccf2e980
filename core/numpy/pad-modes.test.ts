/**
 * np.pad in every mode against real JAX (golden/pad_modes.py), with widths up to twice the axis
 * size (the reflecting modes then reflect more than once), eagerly and under jit.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../golden/load.js"
import { type Array, jit, np } from "../../index.js"

interface Case {
  readonly shape: ReadonlyArray<number>
  readonly widths: ReadonlyArray<readonly [number, number]>
  readonly mode: "constant" | "edge" | "reflect" | "symmetric" | "wrap"
  readonly y: GoldenArray
}

const golden = loadGolden<Case>("pad_modes")

describe("np.pad matches JAX in every mode", () => {
  it("the golden file has every mode", () => {
    expect(new Set(golden.cases.map((c) => c.mode)).size).toBe(5)
  })
  for (const c of golden.cases) {
    it(`${c.mode} ${JSON.stringify(c.shape)} by ${JSON.stringify(c.widths)}`, () => {
      const x = np.reshape(
        np
          .arange(
            c.shape.reduce((a, b) => a * b, 1),
            { dtype: "float32" }
          )
          .add(1),
        c.shape
      )
      const pad = (a: Array): Array => np.pad(a, c.widths, { mode: c.mode })
      for (const [how, y] of [
        ["eager", pad(x)],
        ["jit", jit(pad)(x)]
      ] as const) {
        expect({ how, shape: y.shape }).toEqual({ how, shape: c.y.shape })
        expect({ how, values: [...y.data()] }).toEqual({ how, values: goldenValues(c.y) })
      }
    })
  }
})
