/**
 * What the WebGPU decompositions share: one invocation per matrix of a batch (the sequential
 * algorithms of the CPU's small-matrix kernels, backends/cpu/linalg, in float32), scratch buffers
 * from the pool that go back to it once their dispatch is recorded (the queue runs in order, so a
 * later user of a reused buffer writes after this dispatch has read it), and the float32 check.
 */
import type { DType } from "../../../core/dtype.js"
import { DTypeError } from "../../../core/errors.js"
import type { GpuBuffer } from "../buffer.js"
import type { Recording } from "../context.js"
import { dispatchThreads } from "../threads.js"

/** The decompositions compute in float32 only (float16 and others: a DTypeError saying what to do). */
export const float32Only = (name: string, d: DType): void => {
  if (d !== "float32") {
    throw new DTypeError(
      `${name} on the WebGPU device takes float32, got ${d}; cast with astype("float32") or run it on a CPU device (devicePut(x, devices("cpu")[0])).`
    )
  }
}

/** Matrices in a batch of shape [...batch, r, c] (`core` trailing axes per item). */
export const batchCount = (shape: ReadonlyArray<number>, core = 2): number => shape.slice(0, shape.length - core).reduce((a, b) => a * b, 1)

export interface PerMatrix {
  readonly name: string
  /** Matrices (invocations). */
  readonly batch: number
  readonly inputs: ReadonlyArray<{ readonly buffer: GpuBuffer; readonly dtype: DType }>
  /** The routine's results, then scratch buffers (float32 elements per matrix). */
  readonly outputs: ReadonlyArray<GpuBuffer>
  readonly scratch: ReadonlyArray<number>
  /** Statements for the matrix `g` (results are out0.., scratch the outputs after them). */
  readonly body: string
}

/** Record one invocation per matrix; scratch buffers are released once recorded. */
export const perMatrix = (rec: Recording, k: PerMatrix): void => {
  const scratch = k.scratch.map((n) => rec.ctx.alloc("float32", Math.max(1, n * k.batch)))
  dispatchThreads(
    rec,
    {
      name: k.name,
      n: k.batch,
      inputs: k.inputs.map((x) => x.dtype),
      outputs: [...k.outputs.map((o) => o.dtype), ...scratch.map(() => "float32" as const)],
      body: opaqueZero + k.body
    },
    k.inputs.map((x) => x.buffer),
    [...k.outputs, ...scratch]
  )
  for (const s of scratch) rec.ctx.release(s)
}

/**
 * A size in a kernel's loops and offsets: the literal plus `z`, a zero the shader compiler cannot
 * see through (it reads the first input's length). With constant trip counts lavapipe's compiler
 * unrolls the nested loops of these kernels and takes 10 to 50 s per pipeline; with opaque ones,
 * under a second.
 */
export const u = (n: number): string => `(${n}u + z)`

/** The statement that defines `z` (first in every body that uses `u`). */
const opaqueZero = "  let z = select(0u, 1u, arrayLength(&in0) == 0xffffffffu);\n"
