/**
 * uint32 reductions of values above 2^31, against real JAX (golden/uint32_reductions.py): as int32
 * these values are negative, so a reduction that accumulates or compares through int32 (or a
 * kernel that reads uint32 storage as signed) sums, picks or orders them wrongly. Every case runs
 * eagerly, under jit, and under jit with an elementwise producer fused into the reduction kernel.
 */
import { describe, expect, it } from "vitest"
import { goldenValues, loadGolden, type GoldenArray } from "../../golden/load.js"
import { type Array, jit, np } from "../../index.js"

interface Case {
  readonly input: string
  readonly x: GoldenArray
  readonly op: "sum" | "prod" | "max" | "min" | "argmax" | "argmin" | "mean" | "cumsum" | "cumprod"
  readonly axis: number | null
  readonly keepdims: boolean
  readonly y: GoldenArray
}

const golden = loadGolden<Case>("uint32_reductions")

const apply = (c: Case, x: Array): Array => {
  const axis = c.axis
  switch (c.op) {
    case "sum":
      return np.sum(x, { axis, keepdims: c.keepdims })
    case "prod":
      return np.prod(x, { axis, keepdims: c.keepdims })
    case "max":
      return np.max(x, { axis, keepdims: c.keepdims })
    case "min":
      return np.min(x, { axis, keepdims: c.keepdims })
    case "argmax":
      return np.argmax(x, { axis, keepdims: c.keepdims })
    case "argmin":
      return np.argmin(x, { axis, keepdims: c.keepdims })
    case "mean":
      return np.mean(x, { axis, keepdims: c.keepdims })
    case "cumsum":
      return np.cumsum(x, { axis: axis ?? 0 })
    case "cumprod":
      return np.cumprod(x, { axis: axis ?? 0 })
  }
}

const input = (g: GoldenArray): Array => np.reshape(np.array(goldenValues(g), { dtype: "uint32" }), g.shape)
/** x + 0 (uint32), so the reduction reads a fused elementwise value rather than the input buffer. */
const viaProducer = (c: Case) => (x: Array): Array => apply(c, x.add(np.zeros([], { dtype: "uint32" })))

describe("uint32 reductions above 2^31 match JAX", () => {
  it("the golden file has every reduction on both inputs", () => {
    expect(new Set(golden.cases.map((c) => c.op)).size).toBe(9)
    expect(golden.cases.length).toBeGreaterThan(80)
  })
  for (const c of golden.cases) {
    const label = `${c.op}(${c.input}, axis ${c.axis === null ? "None" : c.axis}${c.keepdims ? ", keepdims" : ""})`
    it(label, () => {
      const x = input(c.x)
      const runs: ReadonlyArray<readonly [string, Array]> = [
        ["eager", apply(c, x)],
        ["jit", jit((a: Array) => apply(c, a))(x)],
        ["jit, fused producer", jit(viaProducer(c))(x)]
      ]
      for (const [how, y] of runs) {
        expect({ how, dtype: y.dtype, shape: y.shape }).toEqual({ how, dtype: c.y.dtype, shape: c.y.shape })
        expect({ how, values: [...y.data()] }).toEqual({ how, values: goldenValues(c.y) })
      }
    })
  }
})
