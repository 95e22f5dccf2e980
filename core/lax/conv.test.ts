/**
 * The convolutions against real JAX (golden/conv.py): outputs and the gradients with respect to
 * both operands, eagerly and under jit, in every layout, with strides, dilations, groups and every
 * padding mode; vmap (the batching rule) against the per-example loop; the tagged errors.
 */
import { describe, expect, it } from "vitest"
import { type Array, grad, jit, lax, np, ShapeError, ValueError, vmap } from "../../index.js"
import { type GoldenArray, loadGolden } from "../../golden/load.js"
import { expectGolden, fromGolden } from "../../effects/optim/test-helpers.js"
import type { ConvPadding } from "./conv.js"

interface Case {
  readonly name: string
  readonly fn: "convGeneralDilated" | "convTranspose" | "convGeneralDilatedPatches"
  readonly lhs: GoldenArray
  readonly rhs?: GoldenArray
  readonly filterShape?: ReadonlyArray<number>
  readonly strides: ReadonlyArray<number>
  readonly padding: ConvPadding
  readonly options: Readonly<Record<string, unknown>>
  readonly out: GoldenArray
  readonly w: GoldenArray
  readonly gradLhs: GoldenArray
  readonly gradRhs?: GoldenArray
}

const golden = loadGolden<Case>("conv")
const TOL = 2e-5

const fnOf = (c: Case): ((a: Array, b: Array) => Array) => {
  switch (c.fn) {
    case "convGeneralDilated":
      return (a, b) => lax.convGeneralDilated(a, b, c.strides, c.padding, c.options as never)
    case "convTranspose":
      return (a, b) => lax.convTranspose(a, b, c.strides, c.padding, c.options as never)
    case "convGeneralDilatedPatches":
      return (a) => lax.convGeneralDilatedPatches(a, c.filterShape!, c.strides, c.padding, c.options as never)
  }
}

describe("convolutions give JAX's numbers (golden/conv.py)", () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const f = fnOf(c)
      const lhs = fromGolden(c.lhs)
      const rhs = c.rhs === undefined ? np.zeros([1]) : fromGolden(c.rhs)
      const w = fromGolden(c.w)
      expectGolden(f(lhs, rhs), c.out, TOL, "out")
      expectGolden(jit(f)(lhs, rhs), c.out, TOL, "jit out")
      const loss = (a: Array, b: Array) => np.sum(f(a, b).mul(w))
      expectGolden(grad(loss)(lhs, rhs), c.gradLhs, TOL, "grad lhs")
      if (c.gradRhs !== undefined) {
        expectGolden(grad(loss, { argnums: 1 })(lhs, rhs), c.gradRhs, TOL, "grad rhs")
        expectGolden(jit(grad(loss, { argnums: 1 }))(lhs, rhs), c.gradRhs, TOL, "jit grad rhs")
      }
    })
  }
})

const stackEach = (xs: ReadonlyArray<Array>): Array => np.stack(xs)
const maxDiff = (a: Array, b: Array): number => {
  expect(a.shape).toEqual(b.shape)
  const x = a.data()
  const y = b.data()
  let m = 0
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(Number(x[i]) - Number(y[i])))
  return m
}

describe("vmap of a convolution equals the loop over examples", () => {
  const B = 3
  const cases = golden.cases.filter((c) => c.fn === "convGeneralDilated")
  for (const c of cases) {
    it(c.name, () => {
      const f = fnOf(c)
      const lhs = fromGolden(c.lhs)
      const rhs = fromGolden(c.rhs!)
      const ls = globalThis.Array.from({ length: B }, (_: unknown, i: number) => lhs.mul(1 + i).add(i * 0.1))
      const rs = globalThis.Array.from({ length: B }, (_: unknown, i: number) => rhs.mul(1 - 0.3 * i))
      const L = stackEach(ls)
      const R = stackEach(rs)
      // lhs batched (at axis 1), rhs batched (at its last axis), both batched.
      const wantL = stackEach(ls.map((l) => f(l, rhs)))
      expect(maxDiff(vmap(f, { inAxes: [1, null] })(np.moveaxis(L, 0, 1), rhs), wantL)).toBeLessThan(1e-4)
      const wantR = stackEach(rs.map((r) => f(lhs, r)))
      expect(maxDiff(vmap(f, { inAxes: [null, -1] })(lhs, np.moveaxis(R, 0, -1)), wantR)).toBeLessThan(1e-4)
      const wantB = stackEach(ls.map((l, i) => f(l, rs[i]!)))
      expect(maxDiff(vmap(f)(L, R), wantB)).toBeLessThan(1e-4)
    })
  }
})

describe("bad convolutions are tagged errors that say what to do", () => {
  const x = np.ones([1, 2, 5, 5])
  const k = np.ones([3, 2, 3, 3])
  it("shapes, groups and options", () => {
    expect(() => lax.convGeneralDilated(x, np.ones([3, 4, 3, 3]), [1, 1], "VALID")).toThrow(ShapeError)
    expect(() => lax.convGeneralDilated(x, k, [1], "VALID")).toThrow(/windowStrides must be a list of 2/)
    expect(() => lax.convGeneralDilated(x, k, [1, 1], "SAMEE" as never)).toThrow(ValueError)
    expect(() => lax.convGeneralDilated(x, k, [1, 1], "SAME", { featureGroupCount: 2 })).toThrow(/featureGroupCount/)
    expect(() => lax.convGeneralDilated(x, k, [1, 1], "SAME", { featureGroupCount: 2, batchGroupCount: 2 } as never)).toThrow(ShapeError)
    expect(() => lax.convGeneralDilated(x, k, [1, 1], "SAME", { lhsDilation: [2, 1] })).toThrow(/lax\.convTranspose/)
    expect(() => lax.convGeneralDilated(x, k, [1, 1], "VALID", { dimensionNumbers: ["NHWC", "HWIO", "NHWD"] })).toThrow(ValueError)
    expect(() => lax.convGeneralDilated(x, k, [1, 1], "VALID", { featureGroupCoun: 1 } as never)).toThrow(/did you mean "featureGroupCount"/)
    expect(() => lax.convGeneralDilated(x, k.astype("float64"), [1, 1], "VALID")).toThrow(/one dtype/)
  })
  it("convDimensionNumbers orders the spatial axes as the rhs names them", () => {
    expect(lax.convDimensionNumbers([1, 5, 5, 3], [3, 3, 3, 8], ["NHWC", "HWIO", "NHWC"])).toEqual({
      lhsSpec: [0, 3, 1, 2],
      rhsSpec: [3, 2, 0, 1],
      outSpec: [0, 3, 1, 2]
    })
    expect(lax.convDimensionNumbers([1, 5, 5, 3], [3, 3, 3, 8], ["NHWC", "WHIO", "NHWC"])).toEqual({
      lhsSpec: [0, 3, 2, 1],
      rhsSpec: [3, 2, 0, 1],
      outSpec: [0, 3, 2, 1]
    })
    expect(lax.padtypeToPads([5], [3], [2], "SAME")).toEqual([[1, 1]])
  })
  it("integer convolutions are exact", () => {
    const a = np.arange(10, { dtype: "int32" }).reshape([1, 1, 10])
    const b = np.array([1, -2, 3], { dtype: "int32" }).reshape([1, 1, 3])
    const out = lax.conv(a, b, [1], "VALID")
    expect(out.dtype).toBe("int32")
    expect([...out.data()]).toEqual(globalThis.Array.from({ length: 8 }, (_, i) => i - 2 * (i + 1) + 3 * (i + 2)))
  })
  it("float64 and preferredElementType", () => {
    const a = np.ones([1, 1, 4], { dtype: "float32" })
    const out = lax.conv(a, np.ones([1, 1, 2], { dtype: "float32" }), [1], "VALID", { preferredElementType: "float64" })
    expect(out.dtype).toBe("float64")
    expect([...out.data()]).toEqual([2, 2, 2])
    expect(() =>
      grad((x: Array) => np.sum(lax.conv(x, np.ones([1, 1, 2], { dtype: "float32" }), [1], "VALID", { preferredElementType: "float64" })))(a)
    ).not.toThrow()
  })
})
