/**
 * Collectives (psum, pmax, pmin, all_gather, reduce_scatter, ppermute, all_to_all, axis_index) on
 * the WebGPU device. A collective reaches a backend only inside a per-device program of pmap
 * (core/parallel/device-program.ts); vmap and pmap under other transformations batch collectives
 * away into ordinary array operations, which run here like any program.
 *
 * There is one GPU per WebGPU device and GPUs share no memory with each other or with CPU devices
 * here, so the device runs a per-device program as the only member of its axes (pmap over one
 * WebGPU device). Over an axis of size 1 every collective is its operand's data unchanged (a sum,
 * maximum or gather over one member; a permutation that maps member 0 to itself, else zeros; an
 * all_to_all of one chunk; a ragged_all_to_all copies the operand's slices into its output), and
 * axis_index is 0. An axis with more members is a DeviceError.
 */
import { DeviceError } from "../../core/errors.js"
import type { Params } from "../../core/primitive.js"
import { memberFor } from "../../core/parallel/communicator.js"
import { allGatherP, allToAllP, axisIndexP, pmaxP, pminP, ppermuteP, psumP, reduceScatterP } from "../../core/parallel/collectives.js"
import { raggedAllToAllP } from "../../core/parallel/ragged-all-to-all.js"
import type { Primitive } from "../../core/primitive.js"
import type { Routine } from "./routine.js"
import { dispatchThreads } from "./threads.js"
import { constant, storageType } from "./wgsl.js"

/** The axes a collective's params name. */
const axesOf = (params: Params): ReadonlyArray<string> =>
  globalThis.Array.isArray(params.axes) ? (params.axes as ReadonlyArray<string>) : [params.axisName as string]

/** Check that this program is the only member of each axis; returns its rank (0). */
const soleMember = (name: string, params: Params): number => {
  for (const axis of axesOf(params)) {
    const m = memberFor(axis, `lax.${name}`)
    if (m.comm.size !== 1) {
      throw new DeviceError(
        `lax.${name} over axis "${axis}" with ${m.comm.size} members: WebGPU devices share no memory, so a pmap with collectives runs on one WebGPU device ` +
          "only; use vmap with axisName on the GPU (collectives become array operations), or pmap over CPU devices."
      )
    }
  }
  return 0
}

/** The operand's data unchanged, in a fresh buffer. */
const identity =
  (name: string): Routine =>
  (rec, [x], params, [out]) => {
    soleMember(name, params)
    const o = rec.ctx.alloc(out!.dtype, out!.size)
    rec.copy(x!.buffer, o)
    return [o]
  }

const ppermute: Routine = (rec, [x], params, [out]) => {
  soleMember("ppermute", params)
  const perm = params.perm as ReadonlyArray<readonly [number, number]>
  const o = rec.ctx.alloc(out!.dtype, out!.size)
  if (perm.some(([s, d]) => s === 0 && d === 0)) rec.copy(x!.buffer, o)
  else
    dispatchThreads(rec, { name: "ppermute zeros", n: out!.size, inputs: [], outputs: [out!.dtype], body: `  out0[g] = ${constant(out!.dtype, 0)};` }, [], [o])
  return [o]
}

/**
 * ragged_all_to_all over one member: the output with, slice by slice in order, recvSizes[i] rows of
 * the operand from inputOffsets[i] written at outputOffsets[i] (clamped to both arrays, as the CPU
 * routine does): each output element takes the last slice that covers its row.
 */
const raggedAllToAll: Routine = (rec, [x, output, io, , oo, rs], params, [out]) => {
  soleMember("ragged_all_to_all", params)
  const shape = out!.shape
  const inner = shape.slice(1).reduce((a, b) => a * b, 1)
  const N = x!.aval.shape[0]!
  const M = shape[0]!
  const K = io!.aval.shape[0]!
  const o = rec.ctx.alloc(out!.dtype, out!.size)
  const body = [
    `  let row = i32(g / ${inner}u);`,
    `  var v = in1[g];`,
    `  for (var i = 0u; i < ${K}u; i++) {`,
    `    let src = i32(in2[i]);`,
    `    let dst = i32(in3[i]);`,
    `    let rows = min(min(i32(in4[i]), ${N} - src), ${M} - dst);`,
    `    if (rows > 0 && src >= 0 && dst >= 0 && row >= dst && row < dst + rows) { v = in0[u32(src + row - dst) * ${inner}u + g % ${inner}u]; }`,
    `  }`,
    `  out0[g] = v;`
  ].join("\n")
  const dtypes = [x!.aval.dtype, output!.aval.dtype, io!.aval.dtype, oo!.aval.dtype, rs!.aval.dtype]
  dispatchThreads(
    rec,
    { name: "ragged_all_to_all", n: out!.size, inputs: dtypes, outputs: [out!.dtype], body },
    [x!, output!, io!, oo!, rs!].map((b) => b.buffer),
    [o]
  )
  return [o]
}

const axisIndex: Routine = (rec, _inputs, params, [out]) => {
  const rank = soleMember("axis_index", params)
  const o = rec.ctx.alloc(out!.dtype, out!.size)
  dispatchThreads(rec, { name: "axis_index", n: 1, inputs: [], outputs: [out!.dtype], body: `  out0[g] = ${storageType(out!.dtype)}(${rank});` }, [], [o])
  return [o]
}

/** The collectives' routines, by primitive (registered in routines.ts). */
export const collectiveRoutines: ReadonlyArray<readonly [Primitive, Routine]> = [
  [psumP, identity("psum")],
  [pmaxP, identity("pmax")],
  [pminP, identity("pmin")],
  [allGatherP, identity("all_gather")],
  [reduceScatterP, identity("reduce_scatter")],
  [allToAllP, identity("all_to_all")],
  [ppermuteP, ppermute],
  [raggedAllToAllP, raggedAllToAll],
  [axisIndexP, axisIndex]
] as unknown as ReadonlyArray<readonly [Primitive, Routine]>
