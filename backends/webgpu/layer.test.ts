/**
 * The Effect layer over the WebGPU device (effects/device.ts): `Device.webgpu` acquires the GPU in
 * a scope and releases it, `Device.warmup` compiles ahead of time, and what fails on the device
 * (a primitive without a kernel, a shader that does not compile) is a DeviceError in the Effect
 * channel. This file acquires the GPU through the layer only (not test-helpers' shared device).
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { type Array, defaultDevice, DeviceError, devicePut, devices, init, jit, lax, np } from "../../index.js"
import { forgetPlatform } from "../../core/devices/registry.js"
import { Device } from "../../effects/index.js"
import type { WebGpuBackend } from "./backend.js"
import { useLavapipe } from "./test-helpers.js"

useLavapipe()
const available = await Effect.runPromise(Effect.provide(Effect.succeed(true), Device.webgpu).pipe(Effect.orElseSucceed(() => false)))
if (!available && process.env.JAXFX_REQUIRE_WEBGPU === "1") throw new Error("JAXFX_REQUIRE_WEBGPU=1 but Device.webgpu found no adapter")

describe.skipIf(!available)("Device.webgpu", { timeout: 120_000 }, () => {
  it("acquires the GPU for the layer's scope, as the default device, and releases it after", async () => {
    const before = defaultDevice()
    const program = Effect.gen(function* () {
      const d = yield* Device
      const x = yield* Device.put([0.5, -1, 2], { dtype: "float32" })
      const y = np.tanh(x).mul(2)
      const host = yield* Device.read(y)
      return { platform: d.device.platform, onGpu: y.device.platform, isDefault: defaultDevice() === d.device, host: [...(host as Float32Array)] }
    })
    const r = await Effect.runPromise(Effect.provide(program, Device.webgpu))
    expect(r.platform).toBe("webgpu")
    expect(r.onGpu).toBe("webgpu")
    expect(r.isDefault).toBe(true)
    r.host.forEach((v, i) => expect(v).toBeCloseTo(2 * Math.tanh([0.5, -1, 2][i]!), 5))
    expect(() => devices("webgpu")).toThrow(/not initialized/)
    expect(defaultDevice()).toBe(before)
  })

  it("warmup compiles ahead of time (a host round trip too); a shader that does not compile is a DeviceError in the channel", async () => {
    const f = jit((x: Array) => np.sin(x).add(1).sum())
    const host = jit((x: Array) => np.linalg.eigvals(x))
    const program = Effect.gen(function* () {
      yield* Device.warmup(f, np.zeros([8], { dtype: "float32" }))
      yield* Device.warmup(host, np.eye(2, 2, { dtype: "float32" }))
      const d = yield* Device
      ;(d.backend as WebGpuBackend).context.pipelines.get("fn main( {", 0, 1)
      const broken = yield* Effect.flip(d.synchronize)
      return { broken }
    })
    const { broken } = await Effect.runPromise(Effect.provide(program, Device.webgpu))
    expect(broken).toBeInstanceOf(DeviceError)
    expect(broken.message).toMatch(/reported an error/)
  })
})

describe.skipIf(!available)("a lost WebGPU device", { timeout: 120_000 }, () => {
  it("is a DeviceError in the Effect channel, and the next acquisition (the layer, init) gets a new device", async () => {
    const destroyGpu = (d: { readonly backend: unknown }): void => (d.backend as WebGpuBackend).context.device.destroy()
    const lost = Effect.gen(function* () {
      const d = yield* Device
      const x = yield* Device.put([0.5, -1, 2], { dtype: "float32" })
      destroyGpu(d.device)
      const first = yield* Effect.flip(Device.read(np.tanh(x)))
      // every later call fails too, until the device is acquired again
      const later = yield* Effect.flip(Device.read(x))
      return { first, later, lostDevice: d.device }
    })
    const { first, later, lostDevice } = await Effect.runPromise(Effect.provide(lost, Device.webgpu))
    for (const e of [first, later]) {
      expect(e).toBeInstanceOf(DeviceError)
      expect(e.message).toMatch(/was lost \(destroyed/)
    }
    const again = Effect.gen(function* () {
      const d = yield* Device
      const y = yield* Device.put([1, 2], { dtype: "float32" })
      return { device: d.device, host: [...((yield* Device.read(y.mul(3))) as Float32Array)] }
    })
    const r = await Effect.runPromise(Effect.provide(again, Device.webgpu))
    expect(r.device).not.toBe(lostDevice)
    expect(r.host).toEqual([3, 6])
    // the plain API: init acquires anew once the device it holds is lost
    const [g1] = await init("webgpu")
    destroyGpu(g1!)
    await expect(devicePut(np.ones([2]), g1!).dataAsync()).rejects.toThrow(/was lost/)
    const [g2] = await init("webgpu")
    expect(g2).not.toBe(g1)
    expect([
      ...(await devicePut(np.ones([2]), g2!)
        .mul(2)
        .dataAsync())
    ]).toEqual([2, 2])
    forgetPlatform("webgpu")
    ;(g2!.backend as WebGpuBackend).destroy()
  })
})

describe("the WebGPU dtypes", () => {
  it("float16 is refused with a DTypeError that names the adapter feature shader-f16", async () => {
    const { unsupportedDTypeError } = await import("./wgsl.js")
    expect(unsupportedDTypeError("float16").message).toMatch(/"shader-f16"/)
    expect(unsupportedDTypeError("int8").message).not.toMatch(/shader-f16/)
  })
})
