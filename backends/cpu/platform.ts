/**
 * The CPU platform: device 0 runs on the calling thread (synchronous, free reads); devices
 * 1..N-1 each run on a worker thread of their own (worker/), with buffers in shared memory.
 */
import { Device } from "../../core/devices/device.js"
import type { Platform } from "../../core/devices/registry.js"
import { makeCpuBackend } from "./index.js"
import { makeWorkerBackend } from "./worker/backend.js"

export const cpuPlatform: Platform = {
  name: "cpu",
  create: (firstId, count) => {
    const main = makeCpuBackend()
    const d0 = new Device(firstId, "cpu", "cpu", main, 0)
    main.device = d0
    const out = [d0]
    for (let i = 1; i < count; i++) out.push(new Device(firstId + i, "cpu", "worker cpu", makeWorkerBackend(i), i))
    return out
  }
}
