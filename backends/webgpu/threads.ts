/**
 * One WGSL invocation per index: the shape of the WebGPU routines that are not elementwise
 * (gather, scatter, cumulative ops, sort, convolution, the select of cond). `body` reads `in0 ..`
 * and writes `out0 ..` at the flat invocation index `g` (< n, as u32); helper functions
 * (wgsl.ts) that it calls are included.
 */
import type { DType } from "../../core/dtype.js"
import type { GpuBuffer } from "./buffer.js"
import { grid, WORKGROUP } from "./codegen.js"
import type { Recording } from "./context.js"
import { helpersFor, storageType } from "./wgsl.js"

export interface ThreadKernel {
  /** A comment naming the kernel (the first line of its source). */
  readonly name: string
  /** Invocations. */
  readonly n: number
  /** Read-only bindings, by dtype. */
  readonly inputs: ReadonlyArray<DType>
  /** Read-write bindings, by dtype. */
  readonly outputs: ReadonlyArray<DType>
  /** Statements run for each `g` in [0, n). */
  readonly body: string
  /** WGSL functions the body calls (besides wgsl.ts's helpers). */
  readonly functions?: string
}

/** The WGSL source of a thread kernel, and its workgroups. */
export const threadSource = (k: ThreadKernel): { readonly source: string; readonly groups: readonly [number, number] } => {
  const g = grid(Math.ceil(k.n / WORKGROUP))
  const functions = k.functions ?? ""
  const source = [
    `// ${k.name}`,
    ...k.inputs.map((d, i) => `@group(0) @binding(${i}) var<storage, read> in${i}: array<${storageType(d)}>;`),
    ...k.outputs.map((d, j) => `@group(0) @binding(${k.inputs.length + j}) var<storage, read_write> out${j}: array<${storageType(d)}>;`),
    helpersFor(functions + "\n" + k.body),
    functions,
    `@compute @workgroup_size(${WORKGROUP})`,
    "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {",
    `  let g = ${g.flat} * ${WORKGROUP}u + lid;`,
    `  if (g >= ${k.n}u) { return; }`,
    k.body,
    "}"
  ].join("\n")
  return { source, groups: g.groups }
}

/** Record a thread kernel over `inputs` and `outputs` (nothing when n is 0). */
export const dispatchThreads = (rec: Recording, k: ThreadKernel, inputs: ReadonlyArray<GpuBuffer>, outputs: ReadonlyArray<GpuBuffer>): void => {
  if (k.n === 0) return
  const { source, groups } = threadSource(k)
  rec.dispatch(source, groups, inputs, outputs)
}

/** [outer, n, inner]: a shape split around `axis`. */
export const aroundAxis = (shape: ReadonlyArray<number>, axis: number): readonly [number, number, number] => {
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1)
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1)
  return [outer, shape[axis]!, inner]
}
