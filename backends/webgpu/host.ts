/**
 * Host round trips: the primitives that the WebGPU device computes on the host CPU, as JAX itself
 * does for GPUs (nonsymmetric eig and schur run on the host in jaxlib: LAPACK's geev and gees, with
 * the operand copied from the device and the results copied back); so do the complex decompositions
 * (linalg_parts: cholesky, lu, qr, eigh, svd, ... of complex matrices as real and imaginary parts). These are iterative QR
 * algorithms with deflation and data-dependent shifts, sequential by nature, on small matrices.
 *
 * The transfer is explicit and ordered, not a fallback: the step submits the program's work so far,
 * reads the operands back asynchronously (readback.ts), runs the CPU backend's routine on the
 * calling thread's CPU device, uploads the results and continues recording. It is an asynchronous
 * step of the program, so the program runs as one asynchronous step of the context: work issued
 * after it waits until the results are uploaded (context.ts `runAsync`, the same gate as a while
 * loop's), and reads of its outputs wait for it.
 */
import { ArrayImpl, type ShapedArray } from "../../core/array.js"
import { hostDevice, withDefaultDevice } from "../../core/devices/registry.js"
import type { Eqn } from "../../core/ir.js"
import type { Primitive } from "../../core/primitive.js"
import { eigP, eigPartsP } from "../../core/primitives/linalg/eig.js"
import { linalgPartsP } from "../../core/primitives/linalg/parts.js"
import { schurP, schurPartsP } from "../../core/primitives/linalg/schur.js"
import { evalPrimitive } from "../../core/trace.js"
import type { GpuBuffer } from "./buffer.js"
import type { Recorded } from "./calls.js"
import { storageAval, upload } from "./storage.js"
import type { Recording } from "./context.js"
import { readBuffers } from "./readback.js"

/** The primitives the WebGPU device runs through a host round trip (coverage.ts: "host"). */
export const hostPrimitives: ReadonlyArray<Primitive> = [eigP, eigPartsP, schurP, schurPartsP, linalgPartsP] as unknown as ReadonlyArray<Primitive>

/** The asynchronous step of an equation of a host primitive: read the operands, run on the CPU, upload. */
export const hostStep =
  (eqn: Eqn) =>
  async (rec: Recording, inputs: ReadonlyArray<GpuBuffer>): Promise<Recorded> => {
    const ctx = rec.ctx
    const prim: Primitive = eqn.primitive
    const avals: ReadonlyArray<ShapedArray> = eqn.inputs.map((x) => x.aval)
    const data = await readBuffers(
      rec,
      inputs,
      avals.map((a) => storageAval(a)),
      `reading the operands of ${prim.name} (computed on the host) from the WebGPU device`
    )
    const cpu = hostDevice()
    const args = data.map((d, i) => new ArrayImpl(avals[i]!, cpu.backend.fromHost(d, avals[i]!), cpu))
    const results = withDefaultDevice(cpu, () => evalPrimitive(prim, args, eqn.params))
    return ctx.directly(() => {
      const outs = results.map((r) => upload(ctx, r.data(), storageAval(r.aval)))
      return [ctx.record(), outs] as const
    })
  }
