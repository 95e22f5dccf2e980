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
 * A while loop nested in the body of a scan, cond or while loop makes that step asynchronous too
 * (calls.ts, control.ts). A loop whose condition or body is asynchronous (it holds a while loop or
 * a host round trip) is not predicated: running its body once more on the final carry could start
 * an inner loop that never ends. It reads its condition before each iteration instead; an inner
 * while loop still reads its own condition once per chunk, so a nest of loops of n outer and m
 * inner iterations takes about n (log m + m/64) readbacks, not n m.
 *
 * An asynchronous program run eagerly from inside another's asynchronous step (an impl of a
 * primitive evaluated in a loop's body) would have to wait for itself: that is a DeviceError.
 */
import { ShapedArray } from "../../core/array.js"
import { DeviceError } from "../../core/errors.js"
import type { Jaxpr } from "../../core/ir.js"
import type { WhileParams } from "../../core/primitives/control.js"
import type { GpuBuffer } from "./buffer.js"
import type { Recording } from "./context.js"
import type { CompiledProgram } from "./executable.js"
import { readBuffers } from "./readback.js"
import { dispatchThreads } from "./threads.js"
/** The most iterations recorded between two readbacks of the condition. */
export const MAX_CHUNK = 64

export type AsyncStep = (rec: Recording, inputs: ReadonlyArray<GpuBuffer>) => Promise<readonly [Recording, ReadonlyArray<GpuBuffer>]>

/** The error of an asynchronous program (a while loop, a host round trip) run eagerly inside another's asynchronous step. */
export const nestedAsyncError = (): DeviceError =>
  new DeviceError(
    "the WebGPU device cannot run a program with a while loop or a host round trip (eig, schur) eagerly from inside another such program " +
      "(an impl of a primitive evaluated in a while loop's body): jit the whole computation, so that the inner program is part of the outer one, " +
      'or run it on a CPU device (devicePut(x, devices("cpu")[0])).'
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
    if (cond.async || body.async) {
      // not predicated: the condition is read before each iteration
      const scalarBool = [new ShapedArray([], "bool")]
      for (;;) {
        const [r1, [pred]] = await cond.intoAsync(rec, [...cc, ...carry])
        const [go] = await readBuffers(r1, [pred!], scalarBool, "reading a while loop's condition")
        ctx.directly(() => ctx.release(pred!))
        rec = ctx.directly(() => ctx.record())
        if (go![0] === 0) return [rec, carry]
        const [r2, next] = await body.intoAsync(rec, [...bc, ...carry])
        ctx.directly(() => {
          for (const c of carry) ctx.release(c)
        })
        carry = next
        rec = r2
      }
    }
    for (let chunk = 1; ; chunk = Math.min(MAX_CHUNK, 2 * chunk)) {
      const last = ctx.directly(() => {
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
        return pred!
      })
      const [go] = await readBuffers(rec, [last], [new ShapedArray([], "bool")], "reading a while loop's condition")
      ctx.directly(() => ctx.release(last))
      rec = ctx.directly(() => ctx.record())
      if (go![0] === 0) return [rec, carry]
    }
  }
}
