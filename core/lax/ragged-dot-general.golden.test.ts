/**
 * lax.raggedDotGeneral against JAX 0.10.2 (golden/lax_ragged_dot_general.py): the three modes, batch
 * dims, per-batch group sizes, group sums below / equal to / above the ragged size, gradients.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, loadGolden } from "../../golden/load.js"
import { type Array as JArray, DTypeError, grad, jit, lax, np, ShapeError, ValueError, vmap } from "../../index.js"
import { expectGolden, fromGolden } from "../numpy/golden-helpers.js"

interface Case {
  readonly id: string
  readonly dims: {
    readonly contracting: [number[], number[]]
    readonly batch: [number[], number[]]
    readonly ragged: number
    readonly group: number[]
  }
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: GoldenArray
  readonly ct?: GoldenArray
  readonly grads?: ReadonlyArray<GoldenArray>
}
const cases = loadGolden<Case>("lax_ragged_dot_general").cases
const dimsOf = (c: Case): lax.RaggedDotDimensionNumbers => ({
  dotDimensionNumbers: { contracting: c.dims.contracting, batch: c.dims.batch },
  lhsRaggedDimensions: [c.dims.ragged],
  rhsGroupDimensions: c.dims.group.length === 0 ? [] : [c.dims.group[0]!]
})

describe("lax.raggedDotGeneral equals JAX's", () => {
  it("has the generator's cases", () => expect(cases.length).toBe(9))
  for (const c of cases) {
    it(c.id, () => {
      const [l, w, g] = c.args.map(fromGolden) as [JArray, JArray, JArray]
      const f = (a: JArray, b: JArray) => lax.raggedDotGeneral(a, b, g, dimsOf(c))
      expectGolden(f(l, w), c.out, c.id, 3e-6)
      expectGolden(jit(f)(l, w), c.out, `${c.id} under jit`, 3e-6)
      if (c.grads !== undefined) {
        const ct = fromGolden(c.ct!)
        const [gl, gw] = grad((a: JArray, b: JArray) => np.sum(f(a, b).mul(ct)), { argnums: [0, 1] })(l, w)
        expectGolden(gl, c.grads[0]!, `${c.id} grad lhs`, 3e-6)
        expectGolden(gw, c.grads[1]!, `${c.id} grad rhs`, 3e-6)
      }
    })
  }
  it("the non-contracting mode with [m, k] x [g, k, n] is lax.raggedDot", () => {
    const c = cases.find((x) => x.id === "noncontracting")!
    const [l, w, g] = c.args.map(fromGolden) as [JArray, JArray, JArray]
    expect(lax.raggedDotGeneral(l, w, g, dimsOf(c)).toJs()).toEqual(lax.raggedDot(l, w, g).toJs())
  })
  it("vmap over lhs equals a loop", () => {
    const c = cases.find((x) => x.id === "contracting")!
    const [l, w, g] = c.args.map(fromGolden) as [JArray, JArray, JArray]
    const f = (a: JArray) => lax.raggedDotGeneral(a, w, g, dimsOf(c))
    const both = vmap(f)(np.stack([l, l.mul(2)]))
    expect(both.index(1).toJs()).toEqual(f(l.mul(2)).toJs())
  })
  it("bad dimension numbers and group sizes are errors that say what to pass", () => {
    const l = np.ones([4, 3])
    const w = np.ones([2, 3, 2])
    const dims: lax.RaggedDotDimensionNumbers = {
      dotDimensionNumbers: { contracting: [[1], [1]], batch: [[], []] },
      lhsRaggedDimensions: [0],
      rhsGroupDimensions: [0]
    }
    expect(() => lax.raggedDotGeneral(l, w, np.array([1.5, 2]), dims)).toThrow(DTypeError)
    expect(() => lax.raggedDotGeneral(l, w, np.array([1, 2, 1]), dims)).toThrow(ShapeError)
    expect(() => lax.raggedDotGeneral(l, w, np.array([1, 3]), { ...dims, rhsGroupDimensions: [] })).toThrow(ValueError)
    expect(() => lax.raggedDotGeneral(l, w, np.array([1, 3]), { ...dims, lhsRaggedDimensions: [5] })).toThrow(ShapeError)
  })
})
