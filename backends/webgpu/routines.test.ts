/** The WebGPU routines beyond dot and threefry (gather, scatter, cumulative ops, sort, erf_inv, convolution) against the CPU. */
import { describe, it } from "vitest"
import { type Array, devicePut, jit, lax, np } from "../../index.js"
import { erfInv, sort } from "../../core/primitives/bits.js"
import { gather, scatter } from "../../core/primitives/indexing.js"
import { cumprod, cumsum } from "../../core/primitives/reduce.js"
import { cpu, expectCloseToCpu, webgpuForTests } from "./test-helpers.js"

const gpu = await webgpuForTests()

const values = (n: number, f: (i: number) => number) => globalThis.Array.from({ length: n }, (_, i) => f(i))
const both = (x: Array): [Array, Array] => [devicePut(x, cpu()), devicePut(x, gpu!)]

describe.skipIf(gpu === undefined)("WebGPU routines agree with the CPU", { timeout: 120_000 }, () => {
  it("gather (clamped indices) and scatter in every mode (duplicates, dropped indices), jitted", async () => {
    const [xc, xg] = both(
      np
        .array(
          values(24, (i) => Math.cos(i * 0.7) * 4),
          { dtype: "float32" }
        )
        .reshape([2, 4, 3])
    )
    const [ic, ig] = both(np.array([3, 0, -2, 9, 1, 1], { dtype: "int32" }))
    const [uc, ug] = both(
      np
        .array(
          values(36, (i) => (i % 7) - 2.5),
          { dtype: "float32" }
        )
        .reshape([2, 6, 3])
    )
    const f = (x: Array, i: Array, u: Array) => [
      gather(x, i, 1),
      ...(["set", "add", "mul", "min", "max"] as const).map((m) => scatter(x, i, u, 1, m)),
      scatter(x.astype("int32"), i, u.astype("int32"), 1, "add")
    ]
    const want = f(xc, ic, uc)
    const got = jit(f)(xg, ig, ug)
    for (let k = 0; k < want.length; k++) await expectCloseToCpu(got[k]!, want[k]!, 0, 0)
  })

  it("cumsum and cumprod (reverse, exclusive, integers), erf_inv", async () => {
    const [xc, xg] = both(
      np
        .array(
          values(30, (i) => 1 + Math.sin(i) * 0.3),
          { dtype: "float32" }
        )
        .reshape([3, 10])
    )
    const [ec, eg] = both(np.array([-1, -0.999, -0.5, -1e-3, 0, 0.25, 0.9, 0.99999, 1, 1.5, NaN], { dtype: "float32" }))
    const f = (x: Array, e: Array) => [
      cumsum(x, 1),
      cumsum(x, 0, true),
      cumprod(x, 1),
      cumprod(x, 1, true, true),
      cumsum(x.mul(100).astype("int32"), 1),
      erfInv(e)
    ]
    const want = f(xc, ec)
    const got = jit(f)(xg, eg)
    for (let k = 0; k < want.length; k++) await expectCloseToCpu(got[k]!, want[k]!, 2e-6, 1e-6)
  })

  it("sort: multi-operand, stable, NaN last and -0 == 0, along an inner axis", async () => {
    const keys = np.array([3, NaN, -0, 1, 0, 3, -Infinity, 1, NaN, 2, 0, -0], { dtype: "float32" }).reshape([2, 6])
    const [kc, kg] = both(keys)
    const [tc, tg] = both(
      np
        .array(
          values(12, (i) => i % 3),
          { dtype: "int32" }
        )
        .reshape([2, 6])
    )
    const [vc, vg] = both(
      np
        .array(
          values(12, (i) => i),
          { dtype: "int32" }
        )
        .reshape([2, 6])
    )
    const f = (k: Array, t: Array, v: Array) => [...sort([k, v], -1, 1), ...sort([t, k, v], -1, 2), ...sort([k.transpose(), v.transpose()], 0, 1)]
    const want = f(kc, tc, vc)
    const got = jit(f)(kg, tg, vg)
    for (let k = 0; k < want.length; k++) await expectCloseToCpu(got[k]!, want[k]!, 0, 0)
  })

  it("conv_general_dilated: strides, padding, both dilations, feature and batch groups, NHWC", async () => {
    const [xc, xg] = both(
      np
        .array(
          values(2 * 4 * 5 * 5, (i) => Math.sin(i * 0.3)),
          { dtype: "float32" }
        )
        .reshape([2, 4, 5, 5])
    )
    const [wc, wg] = both(
      np
        .array(
          values(6 * 2 * 3 * 2, (i) => Math.cos(i * 0.2)),
          { dtype: "float32" }
        )
        .reshape([6, 2, 3, 2])
    )
    const [bc, bg] = both(
      np
        .array(
          values(4 * 2 * 3 * 3, (i) => Math.cos(i * 0.1)),
          { dtype: "float32" }
        )
        .reshape([4, 2, 3, 3])
    )
    const f = (x: Array, w: Array, b: Array) => [
      lax.convGeneralDilated(
        x,
        w,
        [2, 1],
        [
          [1, 2],
          [0, 1]
        ],
        { featureGroupCount: 2, rhsDilation: [1, 2] }
      ),
      lax.convGeneralDilated(
        x,
        w,
        [1, 1],
        [
          [1, 1],
          [2, 0]
        ],
        { lhsDilation: [2, 1], featureGroupCount: 2 }
      ),
      lax.convGeneralDilated(x.transpose([1, 0, 2, 3]), b, [1, 1], "SAME", { batchGroupCount: 2 }),
      lax.convGeneralDilated(x.transpose([0, 2, 3, 1]), w.transpose([2, 3, 1, 0]), [1, 1], "VALID", {
        dimensionNumbers: ["NHWC", "HWIO", "NHWC"],
        featureGroupCount: 2
      })
    ]
    const want = f(xc, wc, bc)
    const got = jit(f)(xg, wg, bg)
    for (let k = 0; k < want.length; k++) await expectCloseToCpu(got[k]!, want[k]!, 1e-5, 1e-5)
  })
})
