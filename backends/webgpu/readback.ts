/// <reference types="@webgpu/types" />
/**
 * Reading buffers of the WebGPU device back to the host: the recording `rec` (with whatever work it
 * holds) is submitted together with copies of the buffers into mappable staging buffers, and the
 * staging buffers are mapped once the queue has finished. Used by the backend's asynchronous read
 * (`dataAsync`, `Device.read`), by the control flow that must see a value (a while loop's
 * predicate, cond's index when a branch waits on the host) and by the host round trips (host.ts).
 *
 * Inside an asynchronous step of the context (context.ts `runAsync`) this runs in the step's own
 * queue order (its synchronous part goes to the queue directly); elsewhere the caller first awaits
 * `ctx.idle()` (the backend's read does).
 */
import type { ShapedArray } from "../../core/array.js"
import type { AnyTypedArray } from "../../core/dtype.js"
import { DeviceError } from "../../core/errors.js"
import type { GpuBuffer } from "./buffer.js"
import type { Recording } from "./context.js"
import { Usage } from "./pool.js"

/** GPUMapMode.READ */
const MAP_READ = 1

/** The host array of `aval` (stored as 32-bit words; bool as u32, read back as Uint8Array) from its words. */
const fromWords = (bytes: ArrayBuffer, aval: ShapedArray): AnyTypedArray => {
  const n = aval.size
  const words = aval.dtype === "int32" ? new Int32Array(n) : aval.dtype === "float32" ? new Float32Array(n) : new Uint32Array(n)
  new Uint8Array(words.buffer).set(new Uint8Array(bytes, 0, n * 4))
  return aval.dtype === "bool" ? Uint8Array.from(words as Uint32Array) : words
}

/**
 * Submit `rec` with copies of `buffers` (each `avals[i]`'s elements, as stored) and read them back.
 * `what` names the read in the error of a failed mapping.
 */
export const readBuffers = async (
  rec: Recording,
  buffers: ReadonlyArray<GpuBuffer>,
  avals: ReadonlyArray<ShapedArray>,
  what = "reading from the WebGPU device"
): Promise<AnyTypedArray[]> => {
  const ctx = rec.ctx
  const [staging, s] = ctx.directly(() => {
    const st = buffers.map((b, i) => {
      const bytes = avals[i]!.size * 4
      if (bytes === 0) return undefined
      const t = ctx.device.createBuffer({ size: Math.max(16, bytes), usage: Usage.MAP_READ | Usage.COPY_DST })
      rec.copyRaw(b.gpu, t, bytes)
      return t
    })
    return [st, rec.submit()] as const
  })
  try {
    // Wait for the queue first: on lavapipe a mapAsync issued while work is pending resolves
    // seconds late (seen: 4 to 10 s for a 5 x 3 svd's readback), after it at once.
    await ctx.hold(ctx.device.queue.onSubmittedWorkDone())
    await ctx.hold(Promise.all(staging.map((t, i) => t?.mapAsync(MAP_READ, 0, avals[i]!.size * 4))))
  } catch (e) {
    for (const t of staging) t?.destroy()
    await ctx.detectLoss()
    ctx.check()
    throw new DeviceError(`${what} (${ctx.name}) failed: ${String(e)}`)
  }
  const out = staging.map((t, i) => {
    if (t === undefined) return fromWords(new ArrayBuffer(0), avals[i]!)
    const data = fromWords(t.getMappedRange(0, avals[i]!.size * 4), avals[i]!)
    t.unmap()
    t.destroy()
    return data
  })
  // the queue runs in order: every submission up to this one has finished
  if (s > ctx.completed) ctx.completed = s
  ctx.check()
  return out
}
