/**
 * Control flow inside WebGPU programs, recorded into the caller's command buffer: no readback.
 *
 * - scan (a static trip count): the body's dispatches are recorded `length` times in one command
 *   buffer; each iteration copies its rows of xs into row buffers, and its per-iteration outputs
 *   into their rows of ys; the carry passes from one iteration's outputs to the next's inputs.
 * - cond: the predicate lives on the GPU, so every branch is recorded and a select kernel picks
 *   each output by the (clamped) index, as JAX's cond does under vmap. Branches are pure, so the
 *   only cost is the work of the branches not taken.
 * - while: its predicate is data on the GPU; it runs in predicated chunks with one readback per
 *   chunk, as an asynchronous step of the program (loops.ts).
 *
 * A body or branch with an asynchronous step (a while loop, a host round trip) makes the step
 * asynchronous too (calls.ts): scan awaits its body's iterations in turn (an inner while loop still
 * reads its predicate once per chunk, not per iteration), and cond reads its index back and runs
 * only the branch taken (a branch not taken may not terminate on its operands, as a while loop
 * whose condition the predicate guards).
 */
import { ShapedArray } from "../../core/array.js"
import type { Eqn, Jaxpr } from "../../core/ir.js"
import type { Primitive } from "../../core/primitive.js"
import { condP, type CondParams, scanP, type ScanParams, whileP } from "../../core/primitives/control.js"
import { DeviceError } from "../../core/errors.js"
import type { GpuBuffer } from "./buffer.js"
import { type Procedure, type Recorded, runAwaiting, runRecording } from "./calls.js"
import type { Recording } from "./context.js"
import type { CompiledProgram } from "./executable.js"
import { readBuffers } from "./readback.js"
import { dispatchThreads } from "./threads.js"

export interface ControlStep {
  /** Whether a sub-program is asynchronous: the step records through `recordAsync` only. */
  readonly async: boolean
  readonly record: (rec: Recording, inputs: ReadonlyArray<GpuBuffer>) => Recorded
  /** Inside the context's asynchronous step. */
  readonly recordAsync: (rec: Recording, inputs: ReadonlyArray<GpuBuffer>) => Promise<Recorded>
}

/** A step from a procedure: run synchronously, or awaiting its calls when a sub-program is asynchronous. */
const fromProcedure = (async: boolean, proc: (rec: Recording, inputs: ReadonlyArray<GpuBuffer>) => Procedure<Recorded>): ControlStep => ({
  async,
  record: (rec, ins) => runRecording(proc(rec, ins)),
  recordAsync: (rec, ins) => runAwaiting(rec.ctx, proc(rec, ins))
})

const scanStep = (p: ScanParams, eqn: Eqn, compile: (j: Jaxpr) => CompiledProgram): ControlStep => {
  const body = compile(p.jaxpr)
  const { numConsts: nc, numCarry: nk, length, reverse } = p
  const rows = (size: number): number => size / Math.max(1, length)
  const xAvals = eqn.inputs.slice(nc + nk).map((x) => x.aval)
  const yAvals = eqn.outVars.slice(nk).map((v) => v.aval)
  return fromProcedure(body.async, function* (first, ins) {
    const ctx = first.ctx
    const consts = ins.slice(0, nc)
    const inCarry = ins.slice(nc, nc + nk)
    const xs = ins.slice(nc + nk)
    const xRows = xAvals.map((a) => ctx.alloc(a.dtype, rows(a.size)))
    const ys = yAvals.map((a) => ctx.alloc(a.dtype, a.size))
    let rec = first
    let carry: ReadonlyArray<GpuBuffer> = inCarry
    for (let k = 0; k < length; k++) {
      const t = reverse ? length - 1 - k : k
      xs.forEach((x, j) => rec.copyElements(x, t * xRows[j]!.size, xRows[j]!, 0, xRows[j]!.size))
      const [next, outs] = yield [body, rec, [...consts, ...carry, ...xRows]]
      rec = next
      yAvals.forEach((a, j) => {
        const y = outs[nk + j]!
        rec.copyElements(y, 0, ys[j]!, t * rows(a.size), rows(a.size))
        ctx.release(y)
      })
      if (carry !== inCarry) for (const c of carry) ctx.release(c)
      carry = outs.slice(0, nk)
    }
    for (const r of xRows) ctx.release(r)
    // no iteration: the carry is returned as a copy (a routine's outputs are fresh buffers)
    const own =
      carry === inCarry
        ? carry.map((c) => {
            const b = ctx.alloc(c.dtype, c.size)
            rec.copy(c, b)
            return b
          })
        : carry
    return [rec, [...own, ...ys]] as const
  })
}

const condStep = (p: CondParams, compile: (j: Jaxpr) => CompiledProgram): ControlStep => {
  const branches = p.branches.map(compile)
  const last = branches.length - 1
  const constsOf = (ins: ReadonlyArray<GpuBuffer>, i: number): ReadonlyArray<GpuBuffer> => {
    const off = 1 + p.constCounts.slice(0, i).reduce((a, b) => a + b, 0)
    return ins.slice(off, off + p.constCounts[i]!)
  }
  if (branches.some((b) => b.async)) {
    // read the index, run the branch taken only
    return {
      async: true,
      record: () => {
        throw new Error("jaxfx webgpu: an asynchronous cond was recorded synchronously")
      },
      recordAsync: async (first, ins) => {
        const index = ins[0]!
        const [data] = await readBuffers(first, [index], [new ShapedArray([], index.dtype)], "reading a cond's index")
        const i = Math.min(Math.max(0, Number(data![0])), last)
        const operands = ins.slice(1 + p.constCounts.reduce((a, b) => a + b, 0))
        const ctx = first.ctx
        return branches[i]!.intoAsync(
          ctx.directly(() => ctx.record()),
          [...constsOf(ins, i), ...operands]
        )
      }
    }
  }
  const record = (first: Recording, ins: ReadonlyArray<GpuBuffer>): Recorded => {
    const ctx = first.ctx
    const limit = ctx.device.limits.maxStorageBuffersPerShaderStage
    if (branches.length + 2 > limit) {
      throw new DeviceError(
        `cond with ${branches.length} branches needs ${branches.length + 2} storage buffers per select; this WebGPU adapter binds ${limit}. Nest conds with fewer branches.`
      )
    }
    const index = ins[0]!
    const operands = ins.slice(1 + p.constCounts.reduce((a, b) => a + b, 0))
    let rec = first
    let off = 1
    const results = branches.map((b, i) => {
      const consts = ins.slice(off, off + p.constCounts[i]!)
      off += p.constCounts[i]!
      const [next, outs] = b.into(rec, [...consts, ...operands])
      rec = next
      return outs
    })
    const pick = index.dtype === "int32" ? `u32(clamp(in0[0], 0, ${last}))` : `min(in0[0], ${last}u)`
    const outs = results[0]!.map((o0, j) => {
      const out = ctx.alloc(o0.dtype, o0.size)
      const body = `  let i = ${pick};\n  switch i {\n${branches.map((_, b) => `    case ${b}u: { out0[g] = in${b + 1}[g]; }`).join("\n")}\n    default: {}\n  }`
      dispatchThreads(
        rec,
        { name: "cond select", n: o0.size, inputs: [index.dtype, ...branches.map(() => o0.dtype)], outputs: [o0.dtype], body },
        [index, ...results.map((r) => r[j]!)],
        [out]
      )
      return out
    })
    for (const r of results) for (const b of r) ctx.release(b)
    return [rec, outs]
  }
  return { async: false, record, recordAsync: async (rec, ins) => rec.ctx.directly(() => record(rec, ins)) }
}

/** The recorded step of a control-flow equation (cond, scan), or undefined for other primitives. */
export const controlStep = (eqn: Eqn, compile: (j: Jaxpr) => CompiledProgram): ControlStep | undefined => {
  const prim: Primitive = eqn.primitive
  if (prim === (condP as unknown as Primitive)) return condStep(eqn.params as CondParams, compile)
  if (prim === (scanP as unknown as Primitive)) return scanStep(eqn.params as ScanParams, eqn, compile)
  return undefined
}

/** The control-flow primitives the WebGPU device records (coverage.ts; while: loops.ts). */
export const controlPrimitives: ReadonlyArray<Primitive> = [condP as unknown as Primitive, scanP as unknown as Primitive, whileP as unknown as Primitive]
