/**
 * Recording procedures that call sub-programs (scan's body, cond's branches, the complex wrapper's
 * real program), written once for both kinds of sub-program: a procedure is a generator that
 * yields each call and receives its result. For sub-programs that only record (`into`), the
 * procedure runs synchronously; when one has an asynchronous step (a while loop, a host round trip:
 * `async`), the procedure runs inside the context's asynchronous step, awaiting each such call, its
 * synchronous segments going to the queue directly (context.ts).
 */
import type { GpuBuffer } from "./buffer.js"
import type { GpuContext, Recording } from "./context.js"
import type { CompiledProgram } from "./executable.js"

/** A recording to continue and fresh output buffers. */
export type Recorded = readonly [Recording, ReadonlyArray<GpuBuffer>]

/** One call of a sub-program on inputs, continuing a recording. */
export type Call = readonly [CompiledProgram, Recording, ReadonlyArray<GpuBuffer>]

export type Procedure<R> = Generator<Call, R, Recorded>

/** Run a procedure whose calls only record (no sub-program is `async`). */
export const runRecording = <R>(p: Procedure<R>): R => {
  let r = p.next(undefined as unknown as Recorded)
  while (!r.done) {
    const [prog, rec, ins] = r.value
    r = p.next(prog.into(rec, ins))
  }
  return r.value
}

/** Run a procedure inside the context's asynchronous step, awaiting each call. */
export const runAwaiting = async <R>(ctx: GpuContext, p: Procedure<R>): Promise<R> => {
  let r = ctx.directly(() => p.next(undefined as unknown as Recorded))
  while (!r.done) {
    const [prog, rec, ins] = r.value
    const res = await prog.intoAsync(rec, ins)
    r = ctx.directly(() => p.next(res))
  }
  return r.value
}
