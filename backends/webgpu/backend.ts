/**
 * The WebGPU backend of one GPU device. Buffers are pooled GPU storage buffers (pool.ts) that the
 * runtime releases explicitly (`manualMemory`: finalization, scopes, program liveness); programs
 * (eager operations are one-equation programs) compile to WGSL pipelines and routines
 * (executable.ts), and a call submits one command buffer without waiting. Reads are asynchronous
 * only (`read`, i.e. `x.dataAsync()` / the Effect API `Device.read`): `readSync` is absent, so a
 * synchronous read is the runtime's DeviceError naming those APIs.
 */
/// <reference types="@webgpu/types" />
import type { ShapedArray } from "../../core/array.js"
import type { Backend, DeviceBuffer, Executable } from "../../core/backend.js"
import type { Device } from "../../core/devices/device.js"
import type { AnyTypedArray } from "../../core/dtype.js"
import { DeviceError } from "../../core/errors.js"
import type { Jaxpr } from "../../core/ir.js"
import { GpuBuffer } from "./buffer.js"
import { GpuContext } from "./context.js"
import { buildProgram } from "./complex.js"
import { storageAval, upload } from "./storage.js"
import type { CompiledProgram } from "./executable.js"
import { readBuffers } from "./readback.js"
import { float64Error } from "./wgsl.js"

export interface WebGpuBackend extends Backend {
  /** Set when the Device is made. */
  device: Device | undefined
  readonly context: GpuContext
  /** Destroy the GPU device (its buffers and pipelines); the backend is unusable afterwards. */
  destroy(): void
}

const gpuBuffer = (b: DeviceBuffer): GpuBuffer => {
  if (!(b instanceof GpuBuffer)) throw new DeviceError("jaxfx webgpu: not a buffer of the WebGPU device.")
  return b
}

/** Make the backend of a WebGPU device. */
export const makeWebGpuBackend = (gpu: GPUDevice, name: string, owners: ReadonlyArray<object> = []): WebGpuBackend => {
  const ctx = new GpuContext(gpu, name, owners)
  const programs = new WeakMap<Jaxpr, CompiledProgram>()
  const device = (): Device => {
    if (backend.device === undefined) throw new Error("jaxfx webgpu: the backend has no device")
    return backend.device
  }
  const read = async (b: DeviceBuffer, logical: ShapedArray): Promise<AnyTypedArray> => {
    const buf = gpuBuffer(b)
    const aval = storageAval(logical)
    ctx.check()
    if (buf.released) throw new DeviceError("jaxfx webgpu: reading a released buffer (its array was deleted).")
    // after the asynchronous steps (while loops) in flight and the work queued behind them
    await ctx.idle()
    const [data] = await readBuffers(ctx.record(), [buf], [aval], "reading from the WebGPU device")
    return data!
  }
  const compile = (jaxpr: Jaxpr): Executable => {
    let c = programs.get(jaxpr)
    if (c === undefined) programs.set(jaxpr, (c = buildProgram(jaxpr, ctx, device)))
    return c.run
  }
  const backend: WebGpuBackend = {
    platform: "webgpu",
    device: undefined,
    context: ctx,
    fromHost: (data: AnyTypedArray, aval: ShapedArray): DeviceBuffer => {
      if (aval.dtype === "float64") throw float64Error()
      return upload(ctx, data, storageAval(aval))
    },
    readSync: undefined,
    read,
    compile,
    releaseProgram: (jaxpr: Jaxpr) => {
      programs.get(jaxpr)?.release()
      programs.delete(jaxpr)
    },
    isReady: (b) => gpuBuffer(b).seq <= ctx.completed,
    get lost() {
      return ctx.lost !== undefined
    },
    manualMemory: true,
    release: (b) => ctx.release(gpuBuffer(b)),
    synchronize: () => ctx.synchronize(),
    synchronizeSync: undefined,
    destroy: () => {
      ctx.pool.clear()
      gpu.destroy()
    }
  }
  return backend
}
