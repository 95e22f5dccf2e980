import { describe, expect, it } from "vitest"
import { type GoldenCallCase } from "../numpy/golden-helpers.js"
import { loadGolden } from "../../golden/load.js"
import { type Array as JArray, grad, jit, lax, np, ShapeError, vmap } from "../../index.js"
import { describeGoldenCalls, fromGolden, type GoldenCalls } from "../numpy/golden-helpers.js"

const cot = fromGolden(loadGolden<GoldenCallCase>("lax_conv_local").cases.find((c) => c.id === "cotangent")!.args[0]!)
const loss = (x: JArray, w: JArray): JArray => np.sum(lax.convGeneralDilatedLocal(x, w, [1, 1], "VALID", [2, 3]).mul(cot))

// Each id names the call golden/lax_conv_local.py makes in JAX; tol: relative (float32 sums).
const calls: GoldenCalls = {
  "NCHW VALID": [(x, w) => lax.convGeneralDilatedLocal(x!, w!, [1, 1], "VALID", [2, 3]), 2e-6],
  "NCHW SAME strided": [(x, w) => lax.convGeneralDilatedLocal(x!, w!, [2, 1], "SAME", [3, 2]), 2e-6],
  "NCHW pads dilated": [
    (x, w) =>
      lax.convGeneralDilatedLocal(
        x!,
        w!,
        [1, 2],
        [
          [1, 0],
          [2, 1]
        ],
        [2, 2],
        { rhsDilation: [2, 1] }
      ),
    2e-6
  ],
  "NCHW lhs dilation": [
    (x, w) =>
      lax.convGeneralDilatedLocal(
        x!,
        w!,
        [1, 1],
        [
          [0, 0],
          [1, 1]
        ],
        [2, 2],
        { lhsDilation: [2, 1] }
      ),
    2e-6
  ],
  "NHWC HWIO": [(x, w) => lax.convGeneralDilatedLocal(x!, w!, [1, 1], "VALID", [3, 2], { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] }), 2e-6],
  "NHWC WHIO to NCHW": [(x, w) => lax.convGeneralDilatedLocal(x!, w!, [2, 2], "SAME", [2, 3], { dimensionNumbers: ["NHWC", "WHIO", "NCHW"] }), 2e-6],
  "1d NWC": [(x, w) => lax.convGeneralDilatedLocal(x!, w!, [1], "VALID", [3], { dimensionNumbers: ["NWC", "WIO", "NWC"] }), 2e-6],
  "grad lhs": [(x, w) => grad(loss)(x!, w!), 2e-6],
  "grad rhs": [(x, w) => grad((b: JArray) => loss(x!, b))(w!), 2e-6],
  cotangent: [(c) => c!, 0]
}
describeGoldenCalls("lax.convGeneralDilatedLocal equals JAX's (values and gradients)", "lax_conv_local", calls)

describe("lax.convGeneralDilatedLocal: vmap, jit and errors", () => {
  const x = np.arange(2 * 1 * 4, { dtype: "float32" }).reshape([2, 1, 4])
  const w = np.arange(2 * 2 * 3, { dtype: "float32" }).reshape([2, 2, 3])
  it("vmap equals a loop; jit equals eager", () => {
    const f = (a: JArray): JArray => lax.convGeneralDilatedLocal(a, w, [1], "VALID", [2])
    const batched = vmap(f)(np.stack([x, x.mul(2)]))
    expect(batched.index(1).toJs()).toEqual(f(x.mul(2)).toJs())
    expect(jit(f)(x).toJs()).toEqual(f(x).toJs())
  })
  it("refuses mismatched ranks and unknown options", () => {
    expect(() => lax.convGeneralDilatedLocal(x, np.ones([2, 2]), [1], "VALID", [2])).toThrow(ShapeError)
    expect(() => lax.convGeneralDilatedLocal(x, w, [1], "VALID", [2], { precision: "HIGH" } as never)).toThrow(/unknown option/)
  })
})
