import { describe, expect, it } from "vitest"
import { loadGolden } from "../../golden/load.js"
import { type Array as JArray, DTypeError, grad, jit, lax, np, ShapeError, vmap } from "../../index.js"
import { describeGoldenCalls, fromGolden, type GoldenCallCase, type GoldenCalls } from "../numpy/golden-helpers.js"

const cot = fromGolden(loadGolden<GoldenCallCase>("lax_ragged_dot").cases.find((c) => c.id === "cotangent")!.args[0]!)
const G = np.array([2, 1, 3, 0])
const loss = (l: JArray, w: JArray): JArray => np.sum(lax.raggedDot(l, w, G).mul(cot))

// Each id names the call golden/lax_ragged_dot.py makes in JAX; tol: relative.
const calls: GoldenCalls = {
  exact: [(l, w, g) => lax.raggedDot(l!, w!, g!), 2e-6],
  "fewer rows grouped": [(l, w, g) => lax.raggedDot(l!, w!, g!), 2e-6],
  "more than the rows": [(l, w, g) => lax.raggedDot(l!, w!, g!), 2e-6],
  int32: [(l, w, g) => lax.raggedDot(l!, w!, g!), 0],
  "grad lhs": [(l, w) => grad(loss)(l!, w!), 2e-6],
  "grad rhs": [(l, w) => grad((b: JArray) => loss(l!, b))(w!), 2e-6],
  cotangent: [(c) => c!, 0]
}
describeGoldenCalls("lax.raggedDot equals JAX's (values and gradients)", "lax_ragged_dot", calls)

describe("lax.raggedDot: vmap, jit and errors", () => {
  const l = np.arange(8, { dtype: "float32" }).reshape([4, 2])
  const w = np.arange(8, { dtype: "float32" }).reshape([2, 2, 2])
  it("vmap over lhs equals a loop; jit equals eager", () => {
    const f = (a: JArray): JArray => lax.raggedDot(a, w, np.array([1, 3]))
    expect(
      vmap(f)(np.stack([l, l.mul(3)]))
        .index(1)
        .toJs()
    ).toEqual(f(l.mul(3)).toJs())
    expect(jit(f)(l).toJs()).toEqual(f(l).toJs())
  })
  it("refuses mismatched shapes and float group sizes", () => {
    expect(() => lax.raggedDot(l, np.ones([2, 3, 2]), np.array([1, 3]))).toThrow(ShapeError)
    expect(() => lax.raggedDot(l, w, np.array([1.5, 2.5]))).toThrow(DTypeError)
  })
})
