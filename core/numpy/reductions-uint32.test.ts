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

type Reduce = (x: Array, o: { axis: number | null; keepdims: boolean }) => Array
const reductions: Readonly<Record<Exclude<Case["op"], "cumsum" | "cumprod">, Reduce>> = {
  sum: np.sum,
  prod: np.prod,
  max: np.max,
  min: np.min,
  argmax: np.argmax,
  argmin: np.argmin,
  mean: np.mean
}

const apply = (c: Case, x: Array): Array => {
  if (c.op === "cumsum") return np.cumsum(x, { axis: c.axis ?? 0 })
  if (c.op === "cumprod") return np.cumprod(x, { axis: c.axis ?? 0 })
  return reductions[c.op](x, { axis: c.axis, keepdims: c.keepdims })
}

const input = (g: GoldenArray): Array => np.reshape(np.array(goldenValues(g), { dtype: "uint32" }), g.shape)
/** x + 0 (uint32), so the reduction reads a fused elementwise value rather than the input buffer. */
const viaProducer =
  (c: Case) =>
  (x: Array): Array =>
    apply(c, x.add(np.zeros([], { dtype: "uint32" })))

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
