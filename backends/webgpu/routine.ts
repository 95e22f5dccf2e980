/**
 * The signature of a WebGPU routine: a primitive the loop-level kernel IR cannot express
 * (dot_general, threefry2x32, cumulative sums, ...), recorded as dispatches of its own WGSL.
 * A routine returns fresh buffers (never one of its inputs).
 */
import type { ShapedArray } from "../../core/array.js"
import type { Params } from "../../core/primitive.js"
import type { GpuBuffer } from "./buffer.js"
import type { Recording } from "./context.js"

export interface RoutineInput {
  readonly buffer: GpuBuffer
  readonly aval: ShapedArray
}

export type Routine = (rec: Recording, inputs: ReadonlyArray<RoutineInput>, params: Params, outs: ReadonlyArray<ShapedArray>) => ReadonlyArray<GpuBuffer>
