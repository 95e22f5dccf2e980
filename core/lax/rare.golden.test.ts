import { afterEach, describe, expect, it } from "vitest"
import { loadGolden } from "../../golden/load.js"
import { type Array as JArray, config, DTypeError, grad, jit, lax, np, ShapeError, ValueError, vmap } from "../../index.js"
import { setX64Warner } from "../dtypes/x64.js"
import { describeGoldenCalls, type GoldenCalls } from "../numpy/golden-helpers.js"

interface ShapeCase {
  readonly id: string
  readonly out: unknown
}
const shapes = loadGolden<ShapeCase>("lax_rare") as unknown as { shapes: ReadonlyArray<ShapeCase> }
const NHWC = ["NHWC", "HWIO", "NHWC"] as const

// Each id names the call golden/lax_rare.py makes in JAX (x64 off there).
const shapeCalls: Readonly<Record<string, () => unknown>> = {
  "perm NHWC": () => lax.convGeneralPermutations(NHWC),
  "perm NCHW": () => lax.convGeneralPermutations(["NCHW", "OIHW", "NCHW"]),
  "perm 3d": () => lax.convGeneralPermutations(["NDHWC", "DHWIO", "NCDHW"]),
  "perm swapped": () => lax.convGeneralPermutations(["NWHC", "HWIO", "CNHW"]),
  "convShape SAME": () => lax.convShapeTuple([2, 3, 9, 9], [8, 3, 3, 3], [2, 2], "SAME"),
  "convShape VALID": () => lax.convShapeTuple([2, 3, 9, 8], [8, 3, 3, 2], [2, 3], "VALID"),
  "convShape SAME_LOWER": () => lax.convShapeTuple([1, 1, 7], [4, 1, 4], [3], "SAME_LOWER"),
  "convShape pads": () =>
    lax.convShapeTuple(
      [2, 3, 9, 9],
      [8, 3, 3, 3],
      [1, 2],
      [
        [1, 2],
        [0, -1]
      ]
    ),
  "convShape batch groups": () => lax.convShapeTuple([6, 3, 5], [8, 3, 2], [1], [[0, 0]], 3),
  "convShape window larger": () => lax.convShapeTuple([1, 1, 2], [1, 1, 5], [1], "VALID"),
  "convGeneralShape NHWC VALID": () => lax.convGeneralShapeTuple([1, 9, 9, 3], [3, 3, 3, 8], [1, 1], "VALID", NHWC),
  "convGeneralShape NHWC SAME strided": () => lax.convGeneralShapeTuple([2, 10, 7, 3], [3, 2, 3, 4], [3, 2], "SAME", ["NHWC", "HWIO", "NCHW"]),
  "convGeneralShape pads": () =>
    lax.convGeneralShapeTuple(
      [2, 3, 10, 7],
      [4, 3, 3, 2],
      [1, 1],
      [
        [2, 0],
        [1, 1]
      ],
      ["NCHW", "OIHW", "NHWC"]
    ),
  "convTransposeShape SAME": () => lax.convTransposeShapeTuple([1, 4, 4, 3], [3, 3, 3, 8], [2, 2], "SAME", NHWC),
  "convTransposeShape VALID": () => lax.convTransposeShapeTuple([1, 4, 5, 3], [3, 2, 3, 8], [2, 3], "VALID", NHWC),
  "convTransposeShape VALID small stride": () => lax.convTransposeShapeTuple([1, 3, 6], [4, 3, 5], [2], "VALID", ["NCH", "OIH", "NCH"]),
  "convTransposeShape pads": () =>
    lax.convTransposeShapeTuple(
      [2, 3, 5, 5],
      [4, 3, 3, 3],
      [1, 2],
      [
        [1, 1],
        [2, 0]
      ],
      ["NCHW", "OIHW", "NCHW"]
    ),
  reduceWindowShape: () =>
    lax.reduceWindowShapeTuple(
      [4, 6],
      [2, 3],
      [2, 1],
      [
        [0, 0],
        [1, 1]
      ]
    ),
  "reduceWindowShape dilations": () =>
    lax.reduceWindowShapeTuple(
      [5, 7, 3],
      [2, 3, 1],
      [1, 2, 2],
      [
        [1, 0],
        [0, 2],
        [0, 0]
      ],
      [2, 1, 1],
      [1, 2, 1]
    ),
  "reduceWindowShape empty": () =>
    lax.reduceWindowShapeTuple(
      [2, 0],
      [3, 1],
      [1, 1],
      [
        [0, 0],
        [0, 0]
      ]
    ),
  "dtype int": () => lax.dtype(1),
  "dtype float": () => lax.dtype(2.5),
  "dtype bool": () => lax.dtype(true),
  "dtype int8 array": () => lax.dtype(np.zeros([2], { dtype: "int8" })),
  "dtype float16 array": () => lax.dtype(np.zeros([2], { dtype: "float16" })),
  "dtype float64 name": () => lax.dtype("float64"),
  "dtype uint16 name": () => lax.dtype("uint16"),
  "dtype int64 name": () => lax.dtype("int64"),
  "dtype bfloat16 name": () => lax.dtype("bfloat16"),
  shapeAsValue: () => {
    const a = lax.shapeAsValue([2, 3])
    return [a.dtype, a.toJs()]
  },
  "shapeAsValue empty": () => {
    const a = lax.shapeAsValue([])
    return [a.dtype, a.toJs()]
  }
}

const initial = config.read("jax_enable_x64")
afterEach(() => {
  config.update("jax_enable_x64", initial)
})

describe("lax's shape helpers, lax.dtype and lax.shapeAsValue equal JAX's", () => {
  it("every golden case has a call and every call a case", () => {
    expect(shapes.shapes.map((c) => c.id).sort()).toEqual(Object.keys(shapeCalls).sort())
  })
  for (const c of shapes.shapes) {
    it(c.id, () => {
      config.update("jax_enable_x64", false)
      const restore = setX64Warner(() => {})
      try {
        expect(shapeCalls[c.id]!()).toEqual(c.out)
      } finally {
        setX64Warner(restore)
      }
    })
  }
  it("with x64 on, lax.dtype keeps 64-bit names and JS floats are float64", () => {
    config.update("jax_enable_x64", true)
    expect(lax.dtype(2.5)).toBe("float64")
    expect(lax.dtype("float64")).toBe("float64")
  })
  it("refuses bad shapes and layouts with what to do", () => {
    expect(() => lax.convGeneralPermutations(["NHWC", "HWIO"] as never)).toThrow(/three layout strings/)
    expect(() => lax.convGeneralPermutations(["NHW", "HWIO", "NHWC"])).toThrow(ValueError)
    expect(() => lax.convShapeTuple([1, 1, 4], [1, 1, 2], [1], [[0, 0, 1]] as never)).toThrow(ShapeError)
    expect(() => lax.convShapeTuple([1, 1, 2], [1, 1, 2], [1], [[-3, 0]])).toThrow(/negative padding/i)
    expect(() => lax.convShapeTuple([5, 1, 2], [1, 1, 2], [1], "VALID", 2)).toThrow(/multiple of batchGroupCount/)
    expect(() => lax.convTransposeShapeTuple([1, 4, 4, 3], [3, 3, 3, 8], [2, 2], "SAME_LOWER" as never, NHWC)).toThrow(/invalid padding/)
    expect(() => lax.reduceWindowShapeTuple([4], [2], [1], "VALID" as never)).toThrow(ShapeError)
    expect(() => lax.dtype([1, 2] as never)).toThrow(DTypeError)
  })
  it("stage lifts values into a trace", () => {
    expect(lax.stage([1, 2]).toJs()).toEqual([1, 2])
    expect(jit((x: JArray) => x.add(lax.stage(3)))(np.array([1, 2])).toJs()).toEqual([4, 5])
  })
})

// JAX on CPU (golden/lax_rare.py); jnp.top_k with JAX main's definition.
const calls: GoldenCalls = {
  approxMaxK: [(a) => lax.approxMaxK(a!, 3), 0],
  "approxMaxK all": [(a) => lax.approxMaxK(a!, 8), 0],
  approxMinK: [(a) => lax.approxMinK(a!, 5), 0],
  "approxMinK axis0": [(a) => lax.approxMinK(a!, 1, { reductionDimension: 0 }), 0],
  "approxMaxK axis0 recall": [(a) => lax.approxMaxK(a!, 2, { reductionDimension: 0, recallTarget: 0.5 }), 0],
  "approxMaxK zeros": [(a) => lax.approxMaxK(a!, 5), 0],
  "approxMinK zeros": [(a) => lax.approxMinK(a!, 5), 0],
  "approxMaxK float16": [(a) => lax.approxMaxK(a!, 2), 0],
  "approxMaxK not aggregated": [(a) => lax.approxMaxK(a!, 4, { aggregateToTopk: false }), 0],
  "approxMinK not aggregated override": [(a) => lax.approxMinK(a!, 3, { aggregateToTopk: false, reductionInputSizeOverride: 9000, recallTarget: 0.9 }), 0],
  "approxMaxK not aggregated k1": [(a) => lax.approxMaxK(a!, 1, { aggregateToTopk: false }), 0],
  "approxMaxK not aggregated rank2": [(a) => lax.approxMaxK(a!, 5, { aggregateToTopk: false, recallTarget: 0.8 }), 0],
  topK: [(a) => np.topK(a!, 2), 0],
  "topK smallest axis0": [(a) => np.topK(a!, 2, { axis: 0, mode: "smallest" }), 0],
  "topK smallest float": [(a) => np.topK(a!, 4, { mode: "smallest" }), 0],
  "topK largest float": [(a) => np.topK(a!, 4), 0],
  "topK smallest nan": [(a) => np.topK(a!, 4, { mode: "smallest" }), 0],
  "topK largest nan": [(a) => np.topK(a!, 3), 0],
  "topK smallest uint8": [(a) => np.topK(a!, 3, { mode: "smallest" }), 0],
  "topK smallest uint32": [(a) => np.topK(a!, 2, { mode: "smallest" }), 0],
  "topK smallest int8": [(a) => np.topK(a!, 3, { mode: "smallest" }), 0],
  "topK smallest bool": [(a) => np.topK(a!, 2, { mode: "smallest" }), 0],
  "topK bool": [(a) => np.topK(a!, 3), 0],
  "topK k0": [(a) => np.topK(a!, 0, { axis: 1 }), 0]
}
describeGoldenCalls("lax.approxMaxK / approxMinK (exact off TPU) and np.topK equal JAX's", "lax_rare", calls)

describe("approxMaxK / approxMinK / np.topK: errors and transformations", () => {
  const x = np.array([3, 1, 4, 1, 5, 9, 2, 6], { dtype: "float32" })
  it("refuses what JAX refuses", () => {
    expect(() => lax.approxMaxK(np.arange(5), 2)).toThrow(DTypeError)
    expect(() => lax.approxMaxK(x, 0)).toThrow(/k must be positive/)
    expect(() => lax.approxMaxK(x, 9)).toThrow(ValueError)
    expect(() => lax.approxMaxK(np.arange(3000, { dtype: "float32" }), 2, { aggregateToTopk: false, recallTarget: 1.5 })).toThrow(/recallTarget/)
    expect(() => lax.approxMaxK(x, 2, { recall: 0.9 } as never)).toThrow(/unknown option "recall"/)
    expect(() => np.topK(x, 2, { mode: "biggest" as never })).toThrow(/mode/)
    expect(() => np.topK(np.array([{ re: 1, im: 1 }]), 1)).toThrow(/complex/)
  })
  it("the gradient reaches the chosen elements; vmap and jit agree", () => {
    const g = grad((a: JArray) => np.sum(lax.approxMaxK(a, 2)[0].mul(np.array([1, 10], { dtype: "float32" }))))(x)
    const plain = (a: JArray): number[] => globalThis.Array.from(a.data(), (e) => Number(e) + 0)
    expect(plain(g)).toEqual([0, 0, 0, 0, 0, 1, 0, 10])
    const gm = grad((a: JArray) => np.sum(np.topK(a, 3, { mode: "smallest" })[0]))(x)
    expect(plain(gm)).toEqual([0, 1, 0, 1, 0, 0, 1, 0])
    const rows = np.stack([x, x.mul(-1)])
    const v = vmap((a: JArray) => lax.approxMinK(a, 2)[1])(rows)
    expect(v.toJs()).toEqual([
      [1, 3],
      [5, 7]
    ])
    expect(jit((a: JArray) => lax.approxMaxK(a, 3)[0])(x).toJs()).toEqual([9, 6, 5])
  })
})
