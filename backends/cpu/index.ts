/**
 * The eager CPU backend. Buffers are plain TypedArrays (row-major, contiguous, the dtype's storage
 * type: Float32Array, Float64Array, Int32Array, Uint32Array, Uint8Array of 0/1 for bool); reads
 * are synchronous and free. `execute` dispatches a primitive to its kernel:
 *   elementwise.ts  unary/binary math, comparisons, logic, select_n, convert_element_type, integer_pow
 *   reduce.ts       reduce_sum/max/min/prod, argmax/argmin, cumsum/cumprod
 *   shape-ops.ts    broadcast_in_dim, reshape, transpose, slice, pad, concatenate, rev, iota
 *   indexing.ts     gather, scatter
 *   dot.ts          dot_general
 *   bits.ts         shifts, bitcast_convert_type, erf_inv, threefry2x32, sort
 * Kernels never mutate their inputs and may return an input buffer when the result is identical.
 */
import type { ShapedArray } from "../../core/array.js"
import type { Backend, DeviceBuffer, KernelInput } from "../../core/backend.js"
import type { AnyTypedArray, DType } from "../../core/dtype.js"
import type { Jaxpr } from "../../core/ir.js"
import { bitsKernels } from "./bits.js"
import { compileJaxpr, releaseJaxpr } from "./compile/index.js"
import { dotKernels } from "./dot.js"
import { elementwiseKernels } from "./elementwise.js"
import { indexingKernels } from "./indexing.js"
import type { Kernel, Params } from "./kernel.js"
import { reduceKernels } from "./reduce.js"
import { shapeKernels } from "./shape-ops.js"
import { toTypedArray } from "../../core/dtype.js"
import { ValueError } from "../../core/errors.js"

/** Every kernel, by primitive name. */
export const kernels: Readonly<Record<string, Kernel>> = {
  ...elementwiseKernels,
  ...reduceKernels,
  ...shapeKernels,
  ...indexingKernels,
  ...dotKernels,
  ...bitsKernels
}

const kernelTable = new Map<string, Kernel>(Object.entries(kernels))

const storageMatches = (data: AnyTypedArray, dtype: DType): boolean => {
  switch (dtype) {
    case "float32":
      return data instanceof Float32Array
    case "float64":
      return data instanceof Float64Array
    case "int32":
      return data instanceof Int32Array
    case "uint32":
      return data instanceof Uint32Array
    case "bool":
      return data instanceof Uint8Array
  }
}

const toStorage = (data: AnyTypedArray, dtype: DType): AnyTypedArray => toTypedArray(data, dtype)

export const cpuBackend: Backend = {
  name: "cpu",
  synchronous: true,
  fromHost(data: AnyTypedArray, aval: ShapedArray): DeviceBuffer {
    // Callers hand over ownership and never mutate the data afterwards: keep it as it is.
    if (storageMatches(data, aval.dtype)) return data
    return toStorage(data, aval.dtype)
  },
  read(buffer: DeviceBuffer): AnyTypedArray {
    return buffer as AnyTypedArray
  },
  execute(
    primitive: string,
    inputs: ReadonlyArray<KernelInput>,
    params: Params,
    outs: ReadonlyArray<ShapedArray>
  ): ReadonlyArray<DeviceBuffer> {
    const k = kernelTable.get(primitive)
    if (k === undefined) {
      throw new ValueError(
        `jaxfx cpu backend: no kernel for primitive "${primitive}"; give the primitive an impl rule ` +
          "in terms of other primitives, or add a kernel in backends/cpu."
      )
    }
    return k(inputs, params, outs)
  },
  /** jit: fused kernels generated as JavaScript (compile/), cached per program. */
  compile(jaxpr: Jaxpr) {
    return compileJaxpr(jaxpr, cpuBackend)
  },
  release(jaxpr: Jaxpr) {
    releaseJaxpr(jaxpr, cpuBackend)
  },
  synchronize(): void {}
}

export type { Kernel } from "./kernel.js"
