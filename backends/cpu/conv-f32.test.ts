/**
 * The float32 convolution path (conv-f32.ts: im2col laid out per layout, built by blocks, into the
 * Wasm GEMM) against the same convolutions in float64, which take conv.ts's JS loops (float64
 * accumulation): outputs and both gradients, in each layout the path distinguishes (features
 * innermost with the output written in place or scattered, batch innermost, channels-first), with
 * groups, batch groups, strides, dilations and padding, and a product big enough to be built in
 * several blocks of rows.
 */
import { describe, expect, it } from "vitest"
import { type Array, grad, jit, lax, np, random } from "../../index.js"

interface Case {
  readonly name: string
  readonly lhs: ReadonlyArray<number>
  readonly rhs: ReadonlyArray<number>
  readonly strides: ReadonlyArray<number>
  readonly padding: "SAME" | "VALID" | ReadonlyArray<readonly [number, number]>
  readonly options: Parameters<typeof lax.convGeneralDilated>[4]
}

const cases: ReadonlyArray<Case> = [
  {
    name: "NHWC, output in place",
    lhs: [2, 7, 6, 5],
    rhs: [3, 3, 5, 4],
    strides: [1, 1],
    padding: "SAME",
    options: { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] }
  },
  {
    name: "NHWC, several blocks of rows",
    lhs: [4, 16, 16, 32],
    rhs: [3, 3, 32, 8],
    strides: [1, 1],
    padding: "SAME",
    options: { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] }
  },
  {
    name: "NHWC, feature groups, strides and dilations",
    lhs: [2, 9, 8, 6],
    rhs: [3, 2, 3, 4],
    strides: [2, 1],
    padding: [
      [1, 2],
      [0, 1]
    ],
    options: { dimensionNumbers: ["NHWC", "HWIO", "NHWC"], featureGroupCount: 2, rhsDilation: [1, 2], lhsDilation: [2, 1] }
  },
  {
    name: "NHWC, batch groups",
    lhs: [4, 6, 6, 3],
    rhs: [2, 2, 3, 4],
    strides: [1, 1],
    padding: "VALID",
    options: { dimensionNumbers: ["NHWC", "HWIO", "NHWC"], batchGroupCount: 2 }
  },
  { name: "NCHW", lhs: [2, 3, 7, 7], rhs: [4, 3, 3, 3], strides: [1, 1], padding: "SAME", options: { dimensionNumbers: ["NCHW", "OIHW", "NCHW"] } },
  {
    name: "NHWC in, NCHW out",
    lhs: [2, 5, 5, 3],
    rhs: [3, 3, 3, 4],
    strides: [2, 2],
    padding: "SAME",
    options: { dimensionNumbers: ["NHWC", "HWIO", "NCHW"] }
  },
  {
    name: "CNHW (batch innermost)",
    lhs: [3, 5, 5, 2],
    rhs: [2, 2, 3, 4],
    strides: [1, 1],
    padding: "SAME",
    options: { dimensionNumbers: ["CHWN", "HWIO", "NHWC"] }
  }
]

const close = (a: Array, b: Array): void => {
  const x = a.astype("float64").data() as Float64Array
  const y = b.data() as Float64Array
  expect(x.length).toBe(y.length)
  const scale = Math.max(1, ...[...y].map(Math.abs))
  let worst = 0
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!))
  expect(worst / scale).toBeLessThan(1e-5)
}

describe("the float32 convolution path agrees with the float64 JS loops", () => {
  for (const c of cases) {
    it(c.name, () => {
      const [k1, k2, k3] = random.split(random.key(7), 3)
      const x32 = random.normal(k1!, c.lhs)
      const w32 = random.normal(k2!, c.rhs)
      const conv = (a: Array, b: Array): Array => lax.convGeneralDilated(a, b, c.strides, c.padding, c.options)
      const y32 = jit(conv)(x32, w32)
      const ct32 = random.normal(k3!, y32.shape)
      const loss = (a: Array, b: Array, t: Array): Array => np.sum(conv(a, b).mul(t))
      const grads = jit(grad(loss, { argnums: [0, 1] }))
      const [gx32, gw32] = grads(x32, w32, ct32)
      const [x64, w64, ct64] = [x32, w32, ct32].map((a) => a.astype("float64")) as [Array, Array, Array]
      const [gx64, gw64] = grads(x64, w64, ct64)
      close(y32, conv(x64, w64))
      close(gx32, gx64)
      close(gw32, gw64)
    })
  }
})
