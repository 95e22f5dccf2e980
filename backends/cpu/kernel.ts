/** The signature every CPU kernel has, and small accessors used by all of them. */
import type { ShapedArray } from "../../core/array.js"
import type { DeviceBuffer, KernelInput } from "../../core/backend.js"
import type { AnyTypedArray } from "../../core/dtype.js"

export type Params = Readonly<Record<string, unknown>>

export type Kernel = (inputs: ReadonlyArray<KernelInput>, params: Params, outs: ReadonlyArray<ShapedArray>) => ReadonlyArray<DeviceBuffer>

/** The storage of an input: the CPU's buffers are the TypedArrays themselves. */
export const bufferOf = (input: KernelInput): AnyTypedArray => input.buffer as AnyTypedArray

/** The `i`-th input; the shape rules have validated arity before a kernel runs (plain Errors: internal invariants). */
export const inputAt = (inputs: ReadonlyArray<KernelInput>, i: number): KernelInput => {
  const x = inputs[i]
  if (x === undefined) throw new Error(`jaxfx cpu backend: missing input ${i}`)
  return x
}

export const outAt = (outs: ReadonlyArray<ShapedArray>, i = 0): ShapedArray => {
  const o = outs[i]
  if (o === undefined) throw new Error(`jaxfx cpu backend: missing output aval ${i}`)
  return o
}
