/**
 * The convolution and pooling layers against real JAX written as Haiku computes them
 * (golden/conv_layers.py): outputs and gradients with respect to the params and the input; the
 * initial parameters' shapes, names and Haiku's w scale; the option checks.
 */
import { describe, expect, it } from "vitest"
import { type Array, grad, np, random, ValueError } from "../../index.js"
import { type GoldenArray, loadGolden } from "../../golden/load.js"
import { expectGolden, fromGolden } from "../optim/test-helpers.js"
import { AvgPool, Conv1D, Conv1DTranspose, Conv2D, Conv2DTranspose, Conv3D, Conv3DTranspose, type Layer, MaxPool, type Params, transform } from "../index.js"

interface Case {
  readonly layer: string
  readonly options: Readonly<Record<string, unknown>>
  readonly input: GoldenArray
  readonly params: Readonly<Record<string, GoldenArray>>
  readonly out: GoldenArray
  readonly w: GoldenArray
  readonly grads: Readonly<Record<string, GoldenArray>>
  readonly gradInput: GoldenArray
}

const golden = loadGolden<Case>("conv_layers")
const TOL = 2e-5
const makers: Record<string, (o: never) => Layer> = { Conv1D, Conv2D, Conv3D, Conv1DTranspose, Conv2DTranspose, Conv3DTranspose, MaxPool, AvgPool }
const record = (r: Readonly<Record<string, GoldenArray>>): Params => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, fromGolden(v)]))

describe("convolution and pooling layers give Haiku's numbers (golden/conv_layers.py)", () => {
  golden.cases.forEach((c, i) => {
    it(`${i}: ${c.layer} ${JSON.stringify(c.options)}`, () => {
      const layer = makers[c.layer]!(c.options as never)
      const model = transform((x: Array) => layer(x))
      const params = record(c.params)
      const x = fromGolden(c.input)
      expectGolden(model.apply(params, null, x), c.out, TOL, "output")
      const w = fromGolden(c.w)
      const loss = (p: Params, a: Array) => np.sum(model.apply(p, null, a).mul(w))
      const [gp, gx] = grad(loss, { argnums: [0, 1] })(params, x)
      for (const [k, v] of Object.entries(c.grads)) expectGolden(gp[k]!, v, TOL, `d/d ${k}`)
      expectGolden(gx, c.gradInput, TOL, "d/d input")
      // init makes the same parameter names and shapes
      const init = model.init(random.key(0), x)
      expect(Object.keys(init).sort()).toEqual(Object.keys(c.params).sort())
      for (const [k, v] of Object.entries(c.params)) expect(init[k]!.shape).toEqual(v.shape)
    })
  })
})

describe("Haiku's defaults", () => {
  it("names, shapes and w's truncated-normal scale 1 / sqrt(fan in)", () => {
    const model = transform((x: Array) => Conv2D({ outputChannels: 64, kernelShape: 3 })(x))
    const p = model.init(random.key(1), np.ones([1, 8, 8, 32]))
    expect(Object.keys(p).sort()).toEqual(["conv2_d/b", "conv2_d/w"])
    expect(p["conv2_d/w"]!.shape).toEqual([3, 3, 32, 64])
    const w = [...p["conv2_d/w"]!.data()].map(Number)
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length)
    // a normal truncated at ±2σ has standard deviation 0.8796σ (σ = 1 / sqrt(288))
    expect(std * Math.sqrt(288)).toBeGreaterThan(0.85)
    expect(std * Math.sqrt(288)).toBeLessThan(0.91)
    expect(Math.max(...w.map(Math.abs)) * Math.sqrt(288)).toBeLessThanOrEqual(2)
    const t = transform((x: Array) => Conv2DTranspose({ outputChannels: 3, kernelShape: 2, stride: 2 })(x))
    const pt = t.init(random.key(0), np.ones([1, 4, 4, 5]))
    expect(pt["conv2_d_transpose/w"]!.shape).toEqual([2, 2, 3, 5])
    expect(t.apply(pt, null, np.ones([1, 4, 4, 5])).shape).toEqual([1, 8, 8, 3])
  })
  it("options are checked", () => {
    expect(() => Conv2D({ outputChannels: 2, kernelShape: 3, strides: 2 } as never)).toThrow(/did you mean "stride"/)
    expect(() => Conv2D({ outputChannels: 2 } as never)).toThrow(/kernelShape is required/)
    expect(() => Conv2D({ outputChannels: 2, kernelShape: [3] })).toThrow(ValueError)
    expect(() => Conv2D({ outputChannels: 2, kernelShape: 3, padding: "FULL" as never })).toThrow(/padding/)
    expect(() => MaxPool({ windowShape: 2, strides: 2 } as never)).toThrow(/padding is required/)
    expect(() => AvgPool({ windowShape: 0, strides: 2, padding: "SAME" })).toThrow(ValueError)
  })
})
