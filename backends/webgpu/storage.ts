/** How the WebGPU device stores values: complex64 as a trailing pair of float32 (re, im), bool as u32; uploads. */
import { ShapedArray } from "../../core/array.js"
import type { AnyTypedArray } from "../../core/dtype.js"
import type { GpuBuffer } from "./buffer.js"
import type { GpuContext } from "./context.js"
import { isComplex } from "../../core/dtype.js"
import { float64Error } from "./wgsl.js"

/** How a value of `aval` is stored on the device: complex64 as float32 pairs (a trailing axis of 2). */
export const storageAval = (aval: ShapedArray): ShapedArray => {
  if (!isComplex(aval.dtype)) return aval
  if (aval.dtype !== "complex64") throw float64Error()
  return new ShapedArray([...aval.shape, 2], "float32")
}

/** Copy host data into a new device buffer (bool as u32). */
export const upload = (ctx: GpuContext, data: AnyTypedArray, aval: ShapedArray): GpuBuffer => {
  if (aval.dtype === "float64") throw float64Error()
  const b = ctx.alloc(aval.dtype, aval.size)
  b.seq = ctx.submitted + 1
  if (aval.size > 0) {
    const words = aval.dtype === "bool" ? Uint32Array.from(data as Uint8Array) : data
    ctx.write(b.gpu, words, aval.size * 4)
  }
  return b
}
