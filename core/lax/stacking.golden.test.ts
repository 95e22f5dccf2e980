import { describe, expect, it } from "vitest"
import { type Array as JArray, grad, jit, lax, np, ShapeError, vmap } from "../../index.js"
import { describeGoldenCalls, type GoldenCalls } from "../numpy/golden-helpers.js"

// Each golden id names the call (golden/lax_stacking.py makes the same one in JAX); tol: relative.
const calls: GoldenCalls = {
  "stack 0": [(a, b) => lax.stack([a!, b!]), 0],
  "stack -1": [(a, b) => lax.stack([a!, b!], -1), 0],
  "unstack 1": [(a) => lax.unstack(a!, 1), 0],
  "unstack 0 int": [(a) => lax.unstack(a!), 0],
  "mulhi int32": [(a, b) => lax.mulhi(a!, b!), 0],
  "mulhi uint32": [(a, b) => lax.mulhi(a!, b!), 0],
  "mulhi int8": [(a, b) => lax.mulhi(a!, b!), 0],
  "mulhi uint16": [(a, b) => lax.mulhi(a!, b!), 0]
}

describeGoldenCalls("lax.stack/unstack/mulhi equal JAX's", "lax_stacking", calls)

describe("stack, unstack and mulhi: errors and transformations", () => {
  it("refuses mismatched shapes and dtypes", () => {
    expect(() => lax.stack([np.ones([2]), np.ones([3])])).toThrow(ShapeError)
    expect(() => lax.mulhi(np.array([1]), np.array([1], { dtype: "uint32" }))).toThrow(/share a dtype/)
    expect(() => lax.mulhi(np.array([1.5]), np.array([1.5]))).toThrow(/integer/)
  })
  it("differentiates, jits and vmaps", () => {
    const x = np.array([1, 2, 3], { dtype: "float32" })
    expect(grad((a: JArray) => np.sum(lax.unstack(lax.stack([a, a.mul(a)], 1), 1)[1]!))(x).toJs()).toEqual([2, 4, 6])
    expect(jit((a: JArray, b: JArray) => lax.mulhi(a, b))(np.array([-5]), np.array([7])).toJs()).toEqual([-1])
    expect(vmap((a: JArray) => lax.stack([a, a], 0))(np.ones([4, 2])).shape).toEqual([4, 2, 2])
  })
})
