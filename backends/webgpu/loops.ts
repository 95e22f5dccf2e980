/**
 * `while` on the WebGPU device, without a readback per iteration: predicated chunks.
 *
 * A chunk records K iterations into one command buffer; each iteration evaluates the condition on
 * the carry (a bool that stays on the GPU), runs the body, and keeps the body's result only where
 * the condition held (a select kernel per carry value). Once the condition is false the carry stops
 * changing, and the condition stays false (it is a pure function of the carry), so the iterations
 * after the last real one are no-ops. After a chunk, the last condition is read back (4 bytes): if
 * it was false, the carry is the result; else the next chunk runs with K doubled (1, 2, 4, ..., 64).
 * A loop of n iterations thus takes O(log n + n/64) readbacks and at most about max(n, 64) masked
 * iterations more than it needs.
 *
 * A readback is asynchronous on WebGPU, but a program runs synchronously (its outputs are returned
 * at once). So a program with a while loop returns placeholder outputs at once and runs as an
 * asynchronous step of the context (context.ts `runAsync`): work issued after it waits in the
 * context's backlog until the loop is done (queue order is kept), its outputs are not ready
 * (`isReady`) until then, and reads (`dataAsync`, `Device.read`) wait for it. Synchronous reads do
 * not exist on this device anyway (the runtime's DeviceError names the asynchronous ones).
 *
 * A while loop nested in the body of a scan, cond or while loop, or run from inside a loop's body,
 * would need its caller to wait in the middle of its command buffer: it is a DeviceError (run the
 * outer loop as a while loop whose carry holds the inner loop's state instead).
 */
import { DeviceError } from "../../core/errors.js"
import type { Jaxpr } from "../../core/ir.js"
import type { WhileParams } from "../../core/primitives/control.js"
import type { GpuBuffer } from "./buffer.js"
import type { Recording } from "./context.js"
import type { CompiledProgram } from "./executable.js"
import { Usage } from "./pool.js"
import { dispatchThreads } from "./threads.js"

/** GPUMapMode.READ */
const MAP_READ = 1
/** The most iterations recorded between two readbacks of the condition. */
export const MAX_CHUNK = 64

export type AsyncStep = (rec: Recording, inputs: ReadonlyArray<GpuBuffer>) => Promise<readonly [Recording, ReadonlyArray<GpuBuffer>]>

/** The error of a while loop where the device cannot wait for its condition (see the module comment). */
export const nestedWhileError = (where: string): DeviceError =>
  new DeviceError(
    `the WebGPU device runs a while loop at the top level of a program only, not ${where}: make the inner loop's state part of an outer ` +
      'whileLoop\'s carry, use lax.scan or lax.forILoop (static trip counts) for the inner loop, or run the program on a CPU device (devicePut(x, devices("cpu")[0])).'
  )

/** The asynchronous step of a while equation (inputs: condition consts, body consts, carry; outputs: fresh buffers). */
export const whileStep = (p: WhileParams, compile: (j: Jaxpr) => CompiledProgram): AsyncStep => {
  const cond = compile(p.condJaxpr)
  const body = compile(p.bodyJaxpr)
  const nc = p.condNconsts
  const nb = p.bodyNconsts
  return async (first, ins) => {
    const ctx = first.ctx
    const cc = ins.slice(0, nc)
    const bc = ins.slice(nc, nc + nb)
    let rec = first
    let carry: ReadonlyArray<GpuBuffer> = ctx.directly(() =>
      ins.slice(nc + nb).map((c) => {
        const b = ctx.alloc(c.dtype, c.size)
        rec.copy(c, b)
        return b
      })
    )
    for (let chunk = 1; ; chunk = Math.min(MAX_CHUNK, 2 * chunk)) {
      const [staging, submission] = ctx.directly(() => {
        let pred: GpuBuffer | undefined
        for (let i = 0; i < chunk; i++) {
          if (pred !== undefined) ctx.release(pred)
          const [r1, [p1]] = cond.into(rec, [...cc, ...carry])
          const [r2, next] = body.into(r1, [...bc, ...carry])
          rec = r2
          pred = p1!
          const keep = pred
          carry = carry.map((c, j) => {
            const o = ctx.alloc(c.dtype, c.size)
            dispatchThreads(
              rec,
              {
                name: "while select",
                n: c.size,
                inputs: ["bool", c.dtype, c.dtype],
                outputs: [c.dtype],
                body: "  out0[g] = select(in2[g], in1[g], in0[0] != 0u);"
              },
              [keep, next[j]!, c],
              [o]
            )
            ctx.release(next[j]!)
            ctx.release(c)
            return o
          })
        }
        const st = ctx.device.createBuffer({ size: 16, usage: Usage.MAP_READ | Usage.COPY_DST })
        rec.copyRaw(pred!.gpu, st, 4)
        ctx.release(pred!)
        return [st, rec.submit()] as const
      })
      try {
        await ctx.hold(staging.mapAsync(MAP_READ, 0, 4))
      } catch (e) {
        ctx.check()
        throw new DeviceError(`reading a while loop's condition from the WebGPU device (${ctx.name}) failed: ${String(e)}`)
      }
      const go = new Uint32Array(staging.getMappedRange(0, 4))[0] !== 0
      staging.unmap()
      staging.destroy()
      if (submission > ctx.completed) ctx.completed = submission
      ctx.check()
      rec = ctx.directly(() => ctx.record())
      if (!go) return [rec, carry]
    }
  }
}
