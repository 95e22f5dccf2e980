import { describe, expect, it } from "vitest"
import { type Array as JArray, grad, jit, lax, np, ShapeError, ValueError, vmap } from "../../index.js"
import { describeGoldenCalls, type GoldenCalls } from "../numpy/golden-helpers.js"

// Each golden id names the call (golden/lax_gaps.py makes the same one in JAX); tol: relative.
const calls: GoldenCalls = {
  tile: [(a) => lax.tile(a!, [2, 1, 3]), 0],
  "tile int": [(a) => lax.tile(a!, [1, 2]), 0],
  "split axis1": [(a) => lax.split(a!, [1, 0, 2], 1), 0],
  "split axis-1": [(a) => lax.split(a!, [3, 1], -1), 0],
  "indexTake 2 axes": [(a, i, j) => lax.indexTake(a!, [i!, j!], [0, 1]), 0],
  "indexTake axis1": [(a, i) => lax.indexTake(a!, [i!], [1]), 0],
  "indexTake axes 0,2": [(a, i, j) => lax.indexTake(a!, [i!, j!], [0, 2]), 0],
  nextafter: [(a, b) => lax.nextafter(a!, b!), 0],
  broadcastToRank: [(a) => lax.broadcastToRank(a!, 4), 0],
  "broadcastToRank same": [(a) => lax.broadcastToRank(a!, 1), 0],
  broadcastLike: [(a, b) => lax.broadcastLike(a!, b!), 0],
  "rollaxis 2": [(a) => np.rollaxis(a!, 2), 0],
  "rollaxis 0 to 2": [(a) => np.rollaxis(a!, 0, 2), 0],
  "rollaxis -1 to 3": [(a) => np.rollaxis(a!, -1, 3), 0],
  "rollaxis 1 to -3": [(a) => np.rollaxis(a!, 1, -3), 0],
  i0: [(a) => np.i0(a!), 2e-6],
  "i0 int": [(a) => np.i0(a!), 2e-6]
}

describeGoldenCalls("lax.tile/split/indexTake/nextafter/broadcastToRank/broadcastLike, np.rollaxis/i0 equal JAX's", "lax_gaps", calls)

describe("their errors and transformations", () => {
  it("refuses what JAX refuses", () => {
    expect(() => lax.tile(np.arange(3), [2, 2])).toThrow(/one rep per dimension/)
    expect(() => lax.split(np.arange(6), [1, 2])).toThrow(ShapeError)
    expect(() => lax.indexTake(np.ones([2, 2]), [np.array([0])], [0, 1])).toThrow(ShapeError)
    expect(() => np.rollaxis(np.ones([2, 2]), 0, 3)).toThrow(ValueError)
  })
  it("grad flows through split, indexTake and i0 (i0' = i1), and they jit and vmap", () => {
    const x = np.array([1, 2, 3, 4], { dtype: "float32" })
    const g = grad((a: JArray) => np.sum(lax.split(a, [1, 3])[1]!.mul(lax.indexTake(a, [np.array([0, 0, 3])], [0]))))(x)
    // sum(a[1:4] * [a0, a0, a3]) = a1 a0 + a2 a0 + a3 a3
    expect(g.toJs()).toEqual([5, 1, 1, 8])
    expect(grad((a: JArray) => np.i0(a))(np.array(1.5, { dtype: "float32" })).item()).toBeCloseTo(0.9816664, 5)
    expect(jit((a: JArray) => lax.tile(a, [2]))(x).toJs()).toEqual([1, 2, 3, 4, 1, 2, 3, 4])
    expect(vmap((a: JArray) => lax.indexTake(a, [np.array([3, 0])], [0]))(np.stack([x, x.mul(2)])).toJs()).toEqual([
      [4, 1],
      [8, 2]
    ])
  })
  it("empty, broadcastShapes and optimizationBarrier", () => {
    expect(lax.empty([2], "int32").toJs()).toEqual([0, 0])
    expect(lax.broadcastShapes([1, 3], [2, 1])).toEqual([2, 3])
    const t = { a: np.array([1]) }
    expect(lax.optimizationBarrier(t)).toBe(t)
  })
})
