/**
 * complex64 on the WebGPU device. A complex64 buffer is interleaved float32 (re, im) pairs, as on
 * the CPU (2 words per element), and the GPU itself only ever runs real programs: a program with
 * complex values is rewritten by the CPU backend's rewrite (backends/cpu/complex.ts,
 * `lowerComplex`) into a real one whose complex inputs and outputs are each two real arrays (the
 * parts), and lax.fft into `fft_pairs` over interleaved parts (fft.ts is its GPU routine). The
 * executable here splits each complex input into its parts and interleaves the parts of each
 * complex output, in the same command buffer as the program.
 *
 * complex128 needs float64 parts, which WGSL lacks: it is the device's float64 DTypeError.
 */
import { ShapedArray } from "../../core/array.js"
import type { DeviceBuffer, Executable, KernelInput } from "../../core/backend.js"
import type { Device } from "../../core/devices/device.js"
import { isComplex } from "../../core/dtype.js"
import { DeviceError } from "../../core/errors.js"
import type { Jaxpr } from "../../core/ir.js"
import type { Primitive } from "../../core/primitive.js"
import { complexP, conjP, imagP, realP } from "../../core/primitives/complex.js"
import { fftP } from "../../core/primitives/fft.js"
import { lowerComplex, needsComplex } from "../cpu/complex.js"
import { GpuBuffer } from "./buffer.js"
import type { GpuContext, Recording } from "./context.js"
import { type Procedure, type Recorded, runAwaiting, runRecording } from "./calls.js"
import { asGpu, buildExecutable, type CompiledProgram, runningAsync, submitting } from "./executable.js"
import { dispatchThreads } from "./threads.js"
import { storageAval } from "./storage.js"

/** The primitives that run on the device through the complex rewrite (coverage.ts). */
export const complexPrimitives: ReadonlyArray<Primitive> = [complexP, conjP, realP, imagP, fftP] as unknown as ReadonlyArray<Primitive>

/** Build the executable of `jaxpr`: its complex rewrite wrapped in splits and interleaves when it has complex values. */
export const buildProgram = (jaxpr: Jaxpr, ctx: GpuContext, device: () => Device): CompiledProgram => {
  if (!needsComplex(jaxpr)) return buildExecutable(jaxpr, ctx, device)
  for (const v of [...jaxpr.constVars, ...jaxpr.inVars, ...jaxpr.outs]) storageAval(v.aval)
  const real = buildExecutable(lowerComplex(jaxpr), ctx, device)
  const inComplex = [...jaxpr.constVars, ...jaxpr.inVars].map((v) => isComplex(v.aval.dtype))
  const outComplex = jaxpr.outs.map((v) => isComplex(v.aval.dtype))
  const procedure = function* (first: Recording, inputs: ReadonlyArray<GpuBuffer>): Procedure<Recorded> {
    const ctx = first.ctx
    const parts: GpuBuffer[] = []
    const ins = inputs.flatMap((b, i) => {
      if (!inComplex[i]) return [b]
      const n = b.size / 2
      const re = ctx.alloc("float32", n)
      const im = ctx.alloc("float32", n)
      dispatchThreads(
        first,
        { name: "complex split", n, inputs: ["float32"], outputs: ["float32", "float32"], body: "  out0[g] = in0[2u * g];\n  out1[g] = in0[2u * g + 1u];" },
        [b],
        [re, im]
      )
      parts.push(re, im)
      return [re, im]
    })
    const [rec, outs] = yield [real, first, ins]
    for (const p of parts) ctx.release(p)
    let k = 0
    const result = outComplex.map((complex) => {
      if (!complex) return outs[k++]!
      const re = outs[k++]!
      const im = outs[k++]!
      const o = ctx.alloc("float32", 2 * re.size)
      dispatchThreads(
        rec,
        {
          name: "complex interleave",
          n: re.size,
          inputs: ["float32", "float32"],
          outputs: ["float32"],
          body: "  out0[2u * g] = in0[g];\n  out0[2u * g + 1u] = in1[g];"
        },
        [re, im],
        [o]
      )
      ctx.release(re)
      ctx.release(im)
      return o
    })
    return [rec, result] as const
  }
  const into = (first: Recording, inputs: ReadonlyArray<GpuBuffer>): Recorded => runRecording(procedure(first, inputs))
  const intoAsync = (first: Recording, inputs: ReadonlyArray<GpuBuffer>): Promise<Recorded> => runAwaiting(ctx, procedure(first, inputs))
  const run = real.async
    ? runningAsync(
        ctx,
        jaxpr.outs.map((v) => storageAval(v.aval)),
        intoAsync
      )
    : submitting(ctx, into)
  return { run, async: real.async, into, intoAsync, release: real.release }
}
