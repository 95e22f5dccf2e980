/** grad of a small MLP's loss evaluated on the WebGPU device, against the same on the CPU device. */
import { describe, it } from "vitest"
import { type Array, devicePut, grad, jit, np, valueAndGrad } from "../../index.js"
import { cpu, expectCloseToCpu, webgpuForTests } from "./test-helpers.js"

const gpu = await webgpuForTests()

const filled = (shape: number[], seed: number) => {
  const n = shape.reduce((a, b) => a * b, 1)
  return np
    .array(
      globalThis.Array.from({ length: n }, (_, i) => Math.sin(i * 1.37 + seed) * 0.5),
      { dtype: "float32" }
    )
    .reshape(shape)
}

interface Params {
  readonly w1: Array
  readonly b1: Array
  readonly w2: Array
  readonly b2: Array
}

const loss = (p: Params, x: Array, y: Array): Array => {
  const h = np.tanh(np.matmul(x, p.w1).add(p.b1))
  const out = np.matmul(h, p.w2).add(p.b2)
  return np.mean(np.square(out.sub(y)))
}

describe.skipIf(gpu === undefined)("an MLP's gradient on the WebGPU device", { timeout: 120_000 }, () => {
  it("grad and valueAndGrad, eager and jitted, agree with the CPU", async () => {
    const params: Params = { w1: filled([5, 7], 1), b1: filled([7], 2), w2: filled([7, 3], 3), b2: filled([3], 4) }
    const x = filled([9, 5], 5)
    const y = filled([9, 3], 6)
    const onCpu = devicePut({ params, x, y }, cpu())
    const onGpu = devicePut({ params, x, y }, gpu!)
    const want = grad(loss)(onCpu.params, onCpu.x, onCpu.y)
    const eager = grad(loss)(onGpu.params, onGpu.x, onGpu.y)
    const [value, jitted] = jit(valueAndGrad(loss))(onGpu.params, onGpu.x, onGpu.y)
    await expectCloseToCpu(value, loss(onCpu.params, onCpu.x, onCpu.y), 1e-5, 1e-7)
    for (const k of ["w1", "b1", "w2", "b2"] as const) {
      await expectCloseToCpu(eager[k], want[k], 1e-4, 1e-6)
      await expectCloseToCpu(jitted[k], want[k], 1e-4, 1e-6)
    }
  })
})
