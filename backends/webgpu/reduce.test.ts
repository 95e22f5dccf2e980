/** Reductions on the WebGPU device (workgroup tree reductions) against the CPU device. */
import { describe, it } from "vitest"
import { type Array, devicePut, jit, np } from "../../index.js"
import { cpu, expectCloseToCpu, webgpuForTests } from "./test-helpers.js"

const gpu = await webgpuForTests()

const values = (n: number, f: (i: number) => number) => globalThis.Array.from({ length: n }, (_, i) => f(i))

describe.skipIf(gpu === undefined)("WebGPU reductions agree with the CPU", { timeout: 120_000 }, () => {
  it("sum, max, min, prod and argmax over axes, with an epilogue (mean), eager and jitted", async () => {
    // 3 x 5 x 70: a reduced extent above the workgroup's 64 invocations
    const x = np
      .array(
        values(3 * 5 * 70, (i) => Math.sin(i * 0.37) * 3),
        { dtype: "float32" }
      )
      .reshape([3, 5, 70])
    const fs: ((a: Array) => Array)[] = [
      (a) => np.sum(a, { axis: 2 }),
      (a) => np.max(a, { axis: [0, 2] }),
      (a) => np.min(a, { axis: 1 }),
      (a) => np.prod(a.mul(0.5).add(1), { axis: 0 }),
      (a) => np.argmax(a, { axis: 2 }),
      (a) => np.argmin(a, { axis: 1 }),
      (a) => np.mean(a.mul(a), { axis: 2 }),
      (a) => np.sum(a)
    ]
    const xc = devicePut(x, cpu())
    const xg = devicePut(x, gpu!)
    // eagerly: two of them (software adapters compile shaders slowly); jitted: all in one program
    for (const f of [fs[0]!, fs[4]!]) await expectCloseToCpu(f(xg), f(xc), 1e-5, 1e-5)
    const both = jit((a: Array) => fs.map((f) => f(a)))(xg)
    for (let i = 0; i < fs.length; i++) await expectCloseToCpu(both[i]!, fs[i]!(xc), 1e-5, 1e-5)
  })

  it("integer and bool reductions, NaN in max and argmax", async () => {
    const i = np
      .array(
        values(40, (k) => ((k * 7919) % 23) - 11),
        { dtype: "int32" }
      )
      .reshape([4, 10])
    const f = (a: Array) => [np.sum(a, { axis: 1 }), np.max(a, { axis: 0 }), np.any(a.gt(8), { axis: 1 }), np.all(a.gt(-11), { axis: 1 })]
    const want = f(devicePut(i, cpu()))
    const got = jit(f)(devicePut(i, gpu!))
    for (let k = 0; k < want.length; k++) await expectCloseToCpu(got[k]!, want[k]!)
    const n = np.array([1, NaN, 3, 2, 5, 5], { dtype: "float32" }).reshape([2, 3])
    const g = (a: Array) => [np.max(a, { axis: 1 }), np.argmax(a, { axis: 1 }), np.argmax(a, { axis: 0 })]
    const wn = g(devicePut(n, cpu()))
    const gn = jit(g)(devicePut(n, gpu!))
    for (let k = 0; k < wn.length; k++) await expectCloseToCpu(gn[k]!, wn[k]!)
  })

  it("softmax: a reduction, its broadcast back and a second reduction", async () => {
    const x = np
      .array(
        values(6 * 33, (k) => Math.cos(k) * 4),
        { dtype: "float32" }
      )
      .reshape([6, 33])
    const softmax = (a: Array) => {
      const e = np.exp(a.sub(np.max(a, { axis: 1, keepdims: true })))
      return e.div(np.sum(e, { axis: 1, keepdims: true }))
    }
    await expectCloseToCpu(jit(softmax)(devicePut(x, gpu!)), softmax(devicePut(x, cpu())), 1e-5, 1e-7)
  })
})
