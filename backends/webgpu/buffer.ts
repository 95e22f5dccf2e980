/**
 * A buffer of the WebGPU device: a pooled GPU storage buffer holding `size` elements of `dtype`
 * (bool as u32 0/1), written by the submission numbered `seq`. Released once, back to the pool.
 */
/// <reference types="@webgpu/types" />
import type { DType } from "../../core/dtype.js"

export class GpuBuffer {
  released = false
  constructor(
    readonly gpu: GPUBuffer,
    readonly dtype: DType,
    readonly size: number,
    /** The submission that writes it (0: written by a queue write, ready with the next submission). */
    public seq: number
  ) {}
  /** Bytes of data (4 per element; bool is stored as u32). */
  get bytes(): number {
    return this.size * 4
  }
}
