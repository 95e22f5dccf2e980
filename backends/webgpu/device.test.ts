/** The WebGPU device in the devices runtime: naming, default device by platform name, lifetimes. */
import { describe, expect, it } from "vitest"
import { config, defaultDevice, devicePut, devices, jit, np, scope } from "../../index.js"
import type { WebGpuBackend } from "./backend.js"
import { cpu, expectCloseToCpu, webgpuForTests } from "./test-helpers.js"

const gpu = await webgpuForTests()

describe.skipIf(gpu === undefined)("the WebGPU device", { timeout: 120_000 }, () => {
  it('prints as JAX names devices, and devices("webgpu") lists it after the CPUs', () => {
    expect(gpu!.platform).toBe("webgpu")
    expect(String(gpu)).toBe(`WebGpuDevice(id=${gpu!.id})`)
    expect(devices("webgpu")).toEqual([gpu])
    expect(gpu!.id).toBe(devices("cpu").length)
  })

  it("is the default device when jaxDefaultDevice names its platform; uncommitted work then runs there", async () => {
    const want = np.sin(devicePut(np.arange(6).astype("float32"), cpu())).mul(2)
    const before = config.read("jaxDefaultDevice")
    config.update("jaxDefaultDevice", "webgpu")
    try {
      expect(defaultDevice()).toBe(gpu)
      const y = jit((x: ReturnType<typeof np.arange>) => np.sin(x).mul(2))(np.arange(6).astype("float32"))
      expect(y.device).toBe(gpu)
      await expectCloseToCpu(y, want)
    } finally {
      config.update("jaxDefaultDevice", before)
    }
    expect(() => config.update("jaxDefaultDevice", "Web GPU")).toThrow(/a platform name \("cpu", "webgpu"\)/)
  })

  it("synchronous reads and waits are the runtime's errors naming the asynchronous APIs", async () => {
    const x = devicePut(np.arange(3), gpu!)
    expect(() => x.data()).toThrow(/`await x.dataAsync\(\)`/)
    expect(() => x.add(1).toString()).toThrow(/Device.read\(x\)/)
    expect(await (await x.add(1).blockUntilReadyAsync()).dataAsync()).toEqual(Int32Array.from([1, 2, 3]))
  })

  it("buffers go back to the pool when arrays are deleted or their scope closes, and are reused", async () => {
    const pool = (gpu!.backend as WebGpuBackend).context.pool.stats
    const x = devicePut(np.arange(1000).astype("float32"), gpu!)
    const released = pool.released
    const kept = scope(() => {
      const t = np.exp(x)
      return t.add(np.cos(t)).sum()
    })
    expect(pool.released).toBeGreaterThan(released)
    const reused = pool.reused
    np.exp(x)
    expect(pool.reused).toBeGreaterThan(reused)
    await expectCloseToCpu(
      kept,
      (() => {
        const t = np.exp(devicePut(np.arange(1000).astype("float32"), cpu()))
        return t.add(np.cos(t)).sum()
      })(),
      1e-5
    )
  })
})
