import { describe, expect, it } from "vitest"
import { type Array as JArray, grad, jit, jvp, lax, np, ShapeError, ValueError, vmap } from "../../index.js"
import { describeGoldenCalls, type GoldenCalls } from "../numpy/golden-helpers.js"

type G = lax.GatherDimensionNumbers
type S = lax.ScatterDimensionNumbers
const rows: G = { offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0] }
const points: G = { offsetDims: [], collapsedSliceDims: [0, 1], startIndexMap: [0, 1] }
const win: G = { offsetDims: [1, 2], collapsedSliceDims: [], startIndexMap: [0, 1] }
const bat: G = { offsetDims: [2], collapsedSliceDims: [1], startIndexMap: [1], operandBatchingDims: [0], startIndicesBatchingDims: [0] }
const one: S = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
const rowsS: S = { updateWindowDims: [1], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
const winS: S = { updateWindowDims: [1], insertedWindowDims: [], scatterDimsToOperandDims: [0] }
const batS: S = { updateWindowDims: [2], insertedWindowDims: [1], scatterDimsToOperandDims: [1], operandBatchingDims: [0], scatterIndicesBatchingDims: [0] }
const ar6 = np.arange(6, { dtype: "float32" })

type ScatterFn = (x: JArray, i: JArray, u: JArray, d: S, o?: lax.ScatterOptions) => JArray
const jvpCase = (fn: ScatterFn): readonly [(...a: JArray[]) => JArray, number] => [
  (x, i, u, tx, tu) => jvp((a: JArray, b: JArray) => fn(a, i!, b, one, { uniqueIndices: true }), [x!, u!], [tx!, tu!])[1],
  1e-6
]

// Each golden id names the call (golden/lax_gather_scatter.py makes the same one in JAX); tol: relative.
const calls: GoldenCalls = {
  "gather rows": [(x, i) => lax.gather(x!, i!, rows, [1, 4]), 0],
  "gather points": [(x, i) => lax.gather(x!, i!, points, [1, 1]), 0],
  "gather points swapped map": [(x, i) => lax.gather(x!, i!, { offsetDims: [], collapsedSliceDims: [0, 1], startIndexMap: [1, 0] }, [1, 1]), 0],
  "gather windows default": [(x, i) => lax.gather(x!, i!, win, [2, 3]), 0],
  "gather windows clip": [(x, i) => lax.gather(x!, i!, win, [2, 3], { mode: "clip" }), 0],
  "gather windows fill int": [(x, i) => lax.gather(x!, i!, win, [2, 3], { mode: "fill" }), 0],
  "gather windows fill -1": [(x, i) => lax.gather(x!, i!, win, [2, 3], { mode: "fill", fillValue: -1 }), 0],
  "gather rows fill nan": [(x, i) => lax.gather(x!, i!, rows, [1, 4], { mode: "fill" }), 0],
  "gather offset first": [(x, i) => lax.gather(x!, i!, { offsetDims: [0], collapsedSliceDims: [1], startIndexMap: [1] }, [3, 1]), 0],
  "gather 2d batch of indices": [(x, i) => lax.gather(x!, i!, { offsetDims: [2], collapsedSliceDims: [0], startIndexMap: [0] }, [1, 2]), 0],
  "gather batching": [(x, i) => lax.gather(x!, i!, bat, [1, 1, 3]), 0],
  "gather uint32 indices": [(x, i) => lax.gather(x!, i!, rows, [1, 2]), 0],
  "grad gather": [(x, i, w) => grad((y: JArray) => np.sum(lax.gather(y, i!, win, [2, 2], { mode: "clip" }).mul(w!)))(x!), 0],
  "grad gather fill": [(x, i) => grad((y: JArray) => np.sum(lax.gather(y, i!, rows, [1, 4], { mode: "fill", fillValue: 0 }).pow(2)))(x!), 0],
  "scatterAdd 1d": [(x, i, u) => lax.scatterAdd(x!, i!, u!, one), 0],
  "scatterAdd 1d clip": [(x, i, u) => lax.scatterAdd(x!, i!, u!, one, { mode: "clip" }), 0],
  "scatterSub 1d": [(x, i, u) => lax.scatterSub(x!, i!, u!, one), 0],
  "scatterMul 1d": [(x, i, u) => lax.scatterMul(x!, i!, u!, one), 0],
  "scatterMin 1d": [(x, i, u) => lax.scatterMin(x!, i!, u!, one), 0],
  "scatterMax 1d": [(x, i, u) => lax.scatterMax(x!, i!, u!, one), 0],
  "scatter 1d unique": [(x, i, u) => lax.scatter(x!, i!, u!, one), 0],
  "scatterAdd rows": [(x, i, u) => lax.scatterAdd(x!, i!, u!, rowsS), 0],
  "scatterAdd windows drop": [(x, i, u) => lax.scatterAdd(x!, i!, u!, winS), 0],
  "scatterAdd windows clip": [(x, i, u) => lax.scatterAdd(x!, i!, u!, winS, { mode: "clip" }), 0],
  "scatter windows first": [(x, i, u) => lax.scatter(x!, i!, u!, { updateWindowDims: [0], insertedWindowDims: [1], scatterDimsToOperandDims: [1] }), 0],
  "scatterMax points": [(x, i, u) => lax.scatterMax(x!, i!, u!, { updateWindowDims: [], insertedWindowDims: [0, 1], scatterDimsToOperandDims: [1, 0] }), 0],
  "scatterAdd batching": [(x, i, u) => lax.scatterAdd(x!, i!, u!, batS), 0],
  scatterApply: [(x, i) => lax.scatterApply(x!, i!, (v) => v.mul(2).add(1), one, { updateShape: [4] }), 0],
  "jvp scatterMul": jvpCase(lax.scatterMul),
  "jvp scatterMin": jvpCase(lax.scatterMin),
  "jvp scatterMax": jvpCase(lax.scatterMax),
  "jvp scatterAdd": jvpCase(lax.scatterAdd),
  "jvp scatter": jvpCase(lax.scatter),
  "grad scatter": [(x, i, u) => grad((a: JArray, b: JArray) => np.sum(lax.scatter(a, i!, b, one).mul(ar6)), { argnums: [0, 1] })(x!, u!), 0],
  "vmap gather rows": [(x, i) => vmap((a: JArray, b: JArray) => lax.gather(a, b, rows, [1, 4]))(x!, i!), 0],
  "vmap scatterAdd": [(x, i, u) => vmap((a: JArray, b: JArray, c: JArray) => lax.scatterAdd(a, b, c, one))(x!, i!, u!), 0]
}

describeGoldenCalls("lax.gather / lax.scatter* with dimension numbers equal JAX's", "lax_gather_scatter", calls)

describe("gather and scatter with dimension numbers: errors, jit, batching", () => {
  const x = np.arange(12, { dtype: "float32" }).reshape([3, 4])
  it("refuses malformed dimension numbers and options as JAX does", () => {
    expect(() => lax.gather(x, np.array([[0]]), rows, [2, 4])).toThrow(/collapsed dimension 0 has slice size 2/)
    expect(() => lax.gather(x, np.array([[0, 1]]), rows, [1, 4])).toThrow(ShapeError)
    expect(() => lax.gather(x, np.array([[0]]), rows, [1, 5])).toThrow(/outside \[0, 4\]/)
    expect(() => lax.gather(x, np.array([[0]]), { ...rows, offsetDims: [2, 1] }, [1, 4])).toThrow(ShapeError)
    expect(() => lax.gather(x, np.array([[0]]), rows, [1, 4], { mode: "wrap" as never })).toThrow(ValueError)
    expect(() => lax.gather(x, np.array([[0.5]]), rows, [1, 4])).toThrow(/integer indices/)
    expect(() => lax.scatterAdd(x, np.array([[0]]), np.ones([1, 5]), rowsS)).toThrow(ShapeError)
    expect(() => lax.scatterAdd(x, np.array([[0]]), np.ones([1, 4], { dtype: "int32" }), rowsS)).toThrow(/dtype/)
    expect(() => lax.scatterAdd(x, np.array([[0]]), np.ones([1, 4]), rowsS, { uniqueIndice: true } as never)).toThrow(/did you mean "uniqueIndices"/)
  })
  it("the one-axis forms still work", () => {
    expect(lax.gather(x, np.array([2, 0]), 1).toJs()).toEqual([
      [2, 0],
      [6, 4],
      [10, 8]
    ])
    expect(lax.scatter(np.zeros([3]), np.array([1]), np.array([5], { dtype: "float32" }), 0, "add").toJs()).toEqual([0, 5, 0])
  })
  it("jit equals eager; vmap over the indices only and over the updates only equals a loop", () => {
    const i = np.array([[2], [0], [2]])
    const f = (a: JArray, b: JArray) => lax.gather(a, b, win, [2, 2], { mode: "fill" })
    const wi = np.array([
      [0, 0],
      [2, 3],
      [1, 2]
    ])
    expect(jit(f)(x, wi).toJs()).toEqual(f(x, wi).toJs())
    const g = (b: JArray) => lax.scatterAdd(x, b, np.ones([3, 4]), rowsS)
    const is = np.stack([i, np.array([[0], [0], [1]])])
    expect(vmap(g)(is).toJs()).toEqual([g(i).toJs(), g(np.array([[0], [0], [1]])).toJs()])
    const h = (u: JArray) => lax.scatterMul(x, i, u, rowsS)
    const us = np.stack([np.full([3, 4], 2, { dtype: "float32" }), np.full([3, 4], -1, { dtype: "float32" })])
    expect(vmap(h)(us).toJs()).toEqual([h(us.index(0)).toJs(), h(us.index(1)).toJs()])
    expect(jit((a: JArray) => lax.scatterApply(a, np.array([[1], [1]]), (v) => v.add(1), one, { updateShape: [2] }))(ar6).toJs()).toEqual([0, 3, 2, 3, 4, 5])
  })
})
