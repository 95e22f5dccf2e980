/**
 * The "webgpu" platform: one device per process, acquired asynchronously by `await init("webgpu")`
 * (or the Effect layer), after the CPU devices in id order. It prints as `WebGpuDevice(id=N)`.
 */
import { Device } from "../../core/devices/device.js"
import type { Platform } from "../../core/devices/registry.js"
import { acquireGpu } from "./acquire.js"
import { makeWebGpuBackend } from "./backend.js"

export const webgpuPlatform: Platform = {
  name: "webgpu",
  acquire: async (firstId) => {
    const { device, name, owners } = await acquireGpu()
    const backend = makeWebGpuBackend(device, name, owners)
    const d = new Device(firstId, "webgpu", name, backend, 0)
    backend.device = d
    return [d]
  }
}
