/**
 * The WebGPU executable of a program: the program is optimized and lowered to fused kernels and
 * calls (core/kernel, as for the CPU), each kernel becomes a WGSL compute pipeline (cached by
 * source), each call a routine (routines.ts) or, for primitives defined by an impl in terms of other
 * primitives (nested jit, custom_jvp calls, the key-level random primitives), that impl run eagerly
 * on this device. A primitive with neither is a DeviceError when the program is compiled: there
 * is no silent fallback to the CPU (coverage.ts lists what runs).
 *
 * A call records its dispatches into one command buffer and submits it; nothing waits.
 * Intermediates come from the buffer pool and go back to it after their last use; program outputs
 * are fresh buffers that the arrays returned own (an output that is an input, or repeats another
 * output, is copied so that no two arrays release one buffer).
 */
import { ArrayImpl, type ShapedArray } from "../../core/array.js"
import type { DeviceBuffer, Executable, KernelInput } from "../../core/backend.js"
import type { Device } from "../../core/devices/device.js"
import { withDefaultDevice } from "../../core/devices/registry.js"
import { type AnyTypedArray, toTypedArray } from "../../core/dtype.js"
import { DeviceError, UnexpectedTracerError } from "../../core/errors.js"
import type { Jaxpr } from "../../core/ir.js"
import { Lit } from "../../core/jaxpr.js"
import { lowerJaxpr } from "../../core/kernel/lower.js"
import type { Program } from "../../core/kernel/program.js"
import { isEagerProgram } from "../../core/devices/eager.js"
import { dce, optimize, simplify } from "../../core/passes/index.js"
import type { Primitive } from "../../core/primitive.js"
import { whileP, type WhileParams } from "../../core/primitives/control.js"
import { evalPrimitive } from "../../core/trace.js"
import { GpuBuffer } from "./buffer.js"
import { generateKernel } from "./codegen.js"
import type { GpuContext, Recording } from "./context.js"
import type { Recorded } from "./calls.js"
import { controlStep } from "./control.js"
import { hostPrimitives, hostStep } from "./host.js"
import { nestedAsyncError, whileStep } from "./loops.js"
import { missingKernel } from "./missing.js"
import { routineFor } from "./routines.js"
import { upload } from "./storage.js"
import { float64Error } from "./wgsl.js"

const prepared = new WeakMap<Jaxpr, Program>()
const prepare = (jaxpr: Jaxpr): Program => {
  let p = prepared.get(jaxpr)
  if (p === undefined) {
    const optimized = isEagerProgram(jaxpr) ? dce(simplify(jaxpr)) : optimize(jaxpr)
    p = lowerJaxpr(optimized)
    prepared.set(jaxpr, p)
  }
  return p
}

/**
 * The executable of a program recorded by `into`: record it into a fresh command buffer, submit,
 * and stamp the outputs with that submit (reads wait for it).
 */
export const submitting =
  (ctx: GpuContext, into: CompiledProgram["into"]): Executable =>
  (inputs: ReadonlyArray<KernelInput>) => {
    ctx.check()
    const [rec, outs] = into(
      ctx.record(),
      inputs.map((x) => asGpu(x.buffer))
    )
    const s = rec.submit()
    for (const b of outs) b.seq = s
    return outs
  }

/** A step records into `rec` (a while loop's step is asynchronous: loops.ts). */
type StepFn = (rec: Recording, slots: (GpuBuffer | undefined)[]) => Recording | Promise<Recording>

export interface CompiledProgram {
  readonly run: Executable
  /**
   * Whether the program has an asynchronous step (a while loop, loops.ts; a host round trip,
   * host.ts), here or in a sub-program: it records through `intoAsync` only, and `run` returns
   * placeholder outputs filled by an asynchronous step of the context (`runningAsync`).
   */
  readonly async: boolean
  /**
   * Record the program into `rec` (control flow runs sub-programs this way, inside its caller's
   * command buffer); returns the recording to continue (a new one after an impl step submitted) and
   * fresh output buffers that the caller owns. Not for an `async` program.
   */
  readonly into: (rec: Recording, inputs: ReadonlyArray<GpuBuffer>) => Recorded
  /** `into` inside the context's asynchronous step (its synchronous segments go to the queue directly); any program. */
  readonly intoAsync: (rec: Recording, inputs: ReadonlyArray<GpuBuffer>) => Promise<Recorded>
  /** Free what the executable holds (uploaded literals). */
  readonly release: () => void
}

/** An input buffer as the WebGPU device's, or a DeviceError saying what to do. */
export const asGpu = (b: DeviceBuffer): GpuBuffer => {
  if (!(b instanceof GpuBuffer)) throw new DeviceError("jaxfx webgpu: an input buffer is not the WebGPU device's; move it with devicePut first.")
  if (b.released) throw new DeviceError("jaxfx webgpu: an input buffer was already released (its array was deleted).")
  return b
}

/**
 * The executable of an asynchronous program (`CompiledProgram.async`): placeholder outputs at once
 * (not ready: `seq` Infinity), filled when the context's asynchronous step that records the program
 * through `intoAsync` has run; work issued meanwhile waits behind it (context.ts).
 */
export const runningAsync =
  (ctx: GpuContext, outAvals: ReadonlyArray<ShapedArray>, intoAsync: CompiledProgram["intoAsync"]): Executable =>
  (inputs: ReadonlyArray<KernelInput>) => {
    ctx.check()
    if (ctx.inAsyncStep) throw nestedAsyncError()
    const ins = inputs.map((x) => asGpu(x.buffer))
    const outs = outAvals.map((a) => {
      const b = ctx.alloc(a.dtype, a.size)
      b.seq = Infinity
      return b
    })
    ctx.runAsync(async () => {
      try {
        const [rec, res] = await intoAsync(
          ctx.directly(() => ctx.record()),
          ins
        )
        ctx.directly(() => {
          res.forEach((r, j) => {
            rec.copy(r, outs[j]!)
            ctx.release(r)
          })
          const s = rec.submit()
          for (const b of outs) b.seq = s
        })
      } finally {
        for (const b of outs) if (b.seq === Infinity) b.seq = ctx.submitted
      }
    })
    return outs
  }

/** Build the executable of `jaxpr` for the device `device` (whose backend owns `ctx`). */
export const buildExecutable = (jaxpr: Jaxpr, ctx: GpuContext, device: () => Device): CompiledProgram => {
  const program = prepare(jaxpr)
  const n = program.slots.length
  const lastUse = new globalThis.Array<number>(n).fill(-1)
  program.steps.forEach((s, i) => {
    for (const x of s.inputs) if (typeof x === "number") lastUse[x] = i
  })
  const isOutput = new globalThis.Array<boolean>(n).fill(false)
  for (const o of program.outputs) if (typeof o === "number") isOutput[o] = true
  const held: GpuBuffer[] = []
  const children: CompiledProgram[] = []
  let isAsync = false
  const sub = (j: Jaxpr): CompiledProgram => {
    const c = buildExecutable(j, ctx, device)
    children.push(c)
    return c
  }
  const literal = (l: Lit): GpuBuffer => {
    const b = upload(ctx, toTypedArray([l.val], l.aval.dtype), l.aval.size === 1 ? l.aval : l.aval)
    held.push(b)
    return b
  }

  const steps: StepFn[] = program.steps.map((step) => {
    if (step.kind === "kernel") {
      const gen = generateKernel(step.kernel)
      const outAvals = step.outputs.map((o) => program.slots[o]!)
      if (gen !== undefined) ctx.pipelines.get(gen.source, gen.inputs, gen.outputs)
      return (rec, slots) => {
        const outs = outAvals.map((a) => ctx.alloc(a.dtype, a.size))
        if (gen !== undefined)
          rec.dispatch(
            gen.source,
            gen.groups,
            step.inputs.map((x) => slots[x]!),
            outs
          )
        step.outputs.forEach((o, j) => (slots[o] = outs[j]))
        return rec
      }
    }
    const eqn = step.eqn
    const prim = eqn.primitive as Primitive
    const outAvals: ReadonlyArray<ShapedArray> = eqn.outVars.map((v) => v.aval)
    const asyncStep =
      prim === (whileP as unknown as Primitive) ? whileStep(eqn.params as WhileParams, sub) : hostPrimitives.includes(prim) ? hostStep(eqn) : undefined
    if (asyncStep !== undefined) {
      isAsync = true
      const lits = step.inputs.map((x) => (x instanceof Lit ? literal(x) : undefined))
      return async (rec, slots) => {
        const [next, outs] = await asyncStep(
          rec,
          step.inputs.map((x, i) => (typeof x === "number" ? slots[x]! : lits[i]!))
        )
        step.outputs.forEach((o, j) => (slots[o] = outs[j]))
        return next
      }
    }
    const control = controlStep(eqn, sub)
    if (control !== undefined) {
      const lits = step.inputs.map((x) => (x instanceof Lit ? literal(x) : undefined))
      const fill = ([next, outs]: Recorded, slots: (GpuBuffer | undefined)[]): Recording => {
        step.outputs.forEach((o, j) => (slots[o] = outs[j]))
        return next
      }
      const args = (slots: (GpuBuffer | undefined)[]) => step.inputs.map((x, i) => (typeof x === "number" ? slots[x]! : lits[i]!))
      if (control.async) {
        isAsync = true
        return async (rec, slots) => fill(await control.recordAsync(rec, args(slots)), slots)
      }
      return (rec, slots) => fill(control.record(rec, args(slots)), slots)
    }
    const routine = routineFor(prim)
    if (routine !== undefined) {
      const lits = step.inputs.map((x) => (x instanceof Lit ? literal(x) : undefined))
      return (rec, slots) => {
        const ins = step.inputs.map((x, i) => ({ buffer: typeof x === "number" ? slots[x]! : lits[i]!, aval: eqn.inputs[i]!.aval }))
        const outs = routine(rec, ins, eqn.params, outAvals)
        step.outputs.forEach((o, j) => (slots[o] = outs[j]))
        return rec
      }
    }
    if (prim.impl !== undefined) {
      // Defined in terms of other primitives: run them eagerly here (each is a program of its own).
      return (rec, slots) => {
        rec.submit()
        const d = device()
        const arrays = step.inputs.map((x, i) => (x instanceof Lit ? x.value : new ArrayImpl(eqn.inputs[i]!.aval, slots[x]!, d)))
        // with this device as the default: constants the impl makes are placed here too
        const res = withDefaultDevice(d, () => evalPrimitive(prim, arrays, eqn.params))
        const next = ctx.record()
        res.forEach((a, j) => {
          if (!(a instanceof ArrayImpl)) {
            throw new UnexpectedTracerError(
              `the impl of ${prim.name} returned a traced value (${a.aval.str()}) at run time; compute the outputs from the impl's arguments only.`
            )
          }
          // A copy: the array returned owns its buffer (and releases it when it is collected).
          const src = a.device === d ? asGpu(a.buffer) : upload(ctx, a.data(), a.aval)
          const own = ctx.alloc(a.aval.dtype, a.aval.size)
          next.copy(src, own)
          slots[step.outputs[j]!] = own
        })
        return next
      }
    }
    throw missingKernel(prim.name)
  })

  // Literal outputs: uploaded once, copied into each call's fresh output (an upload in the middle of
  // a recording could overwrite a pooled buffer that recorded work still reads).
  const outLits = program.outputs.map((o) => (o instanceof Lit ? literal(o) : undefined))
  /** After step i: intermediates go back to the pool after their last reader (queue order keeps this safe). */
  const afterStep = (i: number, slots: (GpuBuffer | undefined)[]): void => {
    const s = program.steps[i]!
    for (const x of s.inputs) {
      if (typeof x === "number" && x >= program.inputs && lastUse[x] === i && !isOutput[x]) ctx.release(slots[x]!)
    }
    for (const o of s.outputs) if (lastUse[o] === -1 && !isOutput[o]) ctx.release(slots[o]!)
  }
  const outputsOf = (rec: Recording, slots: (GpuBuffer | undefined)[]): ReadonlyArray<GpuBuffer> => {
    const seen = new Set<GpuBuffer>()
    return program.outputs.map((o, j) => {
      const b = o instanceof Lit ? outLits[j]! : slots[o]!
      if (o instanceof Lit || o < program.inputs || seen.has(b)) {
        const c = ctx.alloc(b.dtype, b.size)
        rec.copy(b, c)
        return c
      }
      seen.add(b)
      return b
    })
  }
  const slotsOf = (inputs: ReadonlyArray<GpuBuffer>): (GpuBuffer | undefined)[] => {
    const slots = new globalThis.Array<GpuBuffer | undefined>(n)
    for (let i = 0; i < program.inputs; i++) slots[i] = inputs[i]!
    return slots
  }
  const into = (first: Recording, inputs: ReadonlyArray<GpuBuffer>): readonly [Recording, ReadonlyArray<GpuBuffer>] => {
    if (isAsync) throw new Error("jaxfx webgpu: an asynchronous program was recorded synchronously (use intoAsync)")
    const slots = slotsOf(inputs)
    let rec = first
    steps.forEach((f, i) => {
      rec = f(rec, slots) as Recording
      afterStep(i, slots)
    })
    return [rec, outputsOf(rec, slots)]
  }
  const intoAsync = async (first: Recording, inputs: ReadonlyArray<GpuBuffer>): Promise<Recorded> => {
    if (!isAsync) return ctx.directly(() => into(first, inputs))
    const slots = slotsOf(inputs)
    let rec = first
    for (let i = 0; i < steps.length; i++) {
      const r = ctx.directly(() => steps[i]!(rec, slots))
      rec = r instanceof Promise ? await r : r
      ctx.directly(() => afterStep(i, slots))
    }
    return [rec, ctx.directly(() => outputsOf(rec, slots))]
  }
  return {
    run: isAsync
      ? runningAsync(
          ctx,
          program.outputs.map((o) => (o instanceof Lit ? o.aval : program.slots[o]!)),
          intoAsync
        )
      : submitting(ctx, into),
    async: isAsync,
    into,
    intoAsync,
    // after the loops in flight, which may still use the literals
    release: () =>
      ctx.inOrder(() => {
        for (const b of held) ctx.release(b)
        held.length = 0
        for (const c of children) c.release()
        children.length = 0
      })
  }
}
