/** Control flow on the WebGPU device (control.ts): scan and cond recorded without readback, against the CPU. */
import { describe, expect, it } from "vitest"
import { type Array, DeviceError, devicePut, jit, lax, np } from "../../index.js"
import { cpu, expectCloseToCpu, webgpuForTests } from "./test-helpers.js"

const gpu = await webgpuForTests()

describe.skipIf(gpu === undefined)("WebGPU control flow agrees with the CPU", { timeout: 120_000 }, () => {
  it("scan (carry, xs rows, ys rows, reverse, consts, length 0) and forILoop, jitted", async () => {
    const x = np.array([0.5, -1, 2, 0.25, 3, -0.5], { dtype: "float32" }).reshape([3, 2])
    const w = np.array([1.5, -0.5], { dtype: "float32" })
    const f = (xs: Array, v: Array) => {
      const step = (c: Array, r: Array): readonly [Array, Array] => [np.tanh(c.mul(v).add(r)), c.sum()]
      const [c1, ys] = lax.scan(step, np.zeros([2]), xs)
      const [c2, ys2] = lax.scan(step, np.ones([2]), xs, { reverse: true })
      const [c3] = lax.scan(step, v, lax.sliceInDim(xs, 0, 0))
      const c4 = lax.forILoop(0, 5, (i, c: Array) => c.mul(1.1).add(i.astype("float32")), v)
      return [c1, ys, c2, ys2, c3, c4]
    }
    const want = f(devicePut(x, cpu()), devicePut(w, cpu()))
    const got = jit(f)(devicePut(x, gpu!), devicePut(w, gpu!))
    for (let k = 0; k < want.length; k++) await expectCloseToCpu(got[k]!, want[k]!, 1e-5, 1e-6)
  })

  it("cond and switch pick by a predicate on the GPU (index clamped), eager and jitted", async () => {
    const f = (p: Array, i: Array, v: Array) => [
      lax.cond(
        p,
        (a: Array) => a.mul(2),
        (a: Array) => a.sub(1),
        v
      ),
      lax.switch(i, [(a: Array) => a.add(10), (a: Array) => a.mul(a), (a: Array) => np.sin(a)], v)
    ]
    const v = np.array([1, 2, 3], { dtype: "float32" })
    for (const [p, i] of [
      [true, -4],
      [false, 1],
      [true, 7]
    ] as const) {
      const args = [np.array(p), np.array(i, { dtype: "int32" }), v] as const
      const want = f(...(args.map((a) => devicePut(a, cpu())) as [Array, Array, Array]))
      const g = args.map((a) => devicePut(a, gpu!)) as [Array, Array, Array]
      const got = jit(f)(...g)
      for (let k = 0; k < want.length; k++) await expectCloseToCpu(got[k]!, want[k]!)
    }
    await expectCloseToCpu(
      lax.cond(
        devicePut(np.array(false), gpu!),
        (a: Array) => a.mul(2),
        (a: Array) => a.sub(1),
        devicePut(v, gpu!)
      ),
      v.sub(1)
    )
  })

  it("a while loop with a data-dependent predicate is a DeviceError that names scan", () => {
    const x = devicePut(np.array(1, { dtype: "float32" }), gpu!)
    expect(() =>
      lax.whileLoop(
        (c: Array) => c.lt(10),
        (c: Array) => c.mul(2),
        x
      )
    ).toThrow(DeviceError)
    expect(() =>
      lax.whileLoop(
        (c: Array) => c.lt(10),
        (c: Array) => c.mul(2),
        x
      )
    ).toThrow(/lax\.scan or lax\.forILoop/)
  })
})
