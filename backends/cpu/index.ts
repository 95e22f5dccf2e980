/**
 * The CPU backend of the calling thread. Buffers are plain TypedArrays (row-major, contiguous, the
 * dtype's storage type: Float32Array, Float64Array, Int32Array, Uint32Array, Uint8Array of 0/1 for
 * bool); work runs synchronously, so reads are free and every buffer is always ready. Programs
 * (jit programs, and eager operations as one-equation programs) are compiled by compile/ into
 * generated fused kernels plus routines (routines.ts) for what the kernel IR cannot express.
 * Buffers belong to the garbage collector; `release` has nothing to free.
 */
import type { ShapedArray } from "../../core/array.js"
import type { Backend, DeviceBuffer, Executable } from "../../core/backend.js"
import type { Device } from "../../core/devices/device.js"
import type { AnyTypedArray, DType } from "../../core/dtype.js"
import type { Jaxpr } from "../../core/ir.js"
import { toTypedArray } from "../../core/dtype.js"
import { compileJaxpr, releaseJaxpr } from "./compile/index.js"
import { compileComplex, lowerComplex, needsComplex } from "./complex.js"
import { compileNarrow, widen } from "./narrow.js"
import { wasmEagerExecutable } from "./wasm/eager.js"

const storageMatches = (data: AnyTypedArray, dtype: DType): boolean => {
  switch (dtype) {
    case "float32":
    case "complex64":
      return data instanceof Float32Array
    case "float64":
    case "complex128":
      return data instanceof Float64Array
    case "int32":
      return data instanceof Int32Array
    case "uint32":
      return data instanceof Uint32Array
    case "bool":
    case "uint8":
      return data instanceof Uint8Array
    case "int8":
      return data instanceof Int8Array
    case "int16":
      return data instanceof Int16Array
    case "uint16":
    case "float16":
    case "bfloat16":
      return data instanceof Uint16Array
  }
}

/** A CPU backend on the calling thread; `device` is set when its Device is made. */
export interface CpuBackend extends Backend {
  device: Device | undefined
}

/** Make a CPU backend for the calling thread. */
export const makeCpuBackend = (): CpuBackend => {
  // Each program's executable, as compile built it (through the complex and narrow rewrites): a
  // repeated call (every jit call, every eager operation) costs one lookup. releaseProgram drops it.
  const executables = new WeakMap<Jaxpr, Executable>()
  const backend: CpuBackend = {
    platform: "cpu",
    device: undefined,
    fromHost(data: AnyTypedArray, aval: ShapedArray): DeviceBuffer {
      // Callers hand over ownership and never mutate the data afterwards: keep it as it is.
      return storageMatches(data, aval.dtype) ? data : toTypedArray(data, aval.dtype)
    },
    readSync: (buffer: DeviceBuffer): AnyTypedArray => buffer as AnyTypedArray,
    read: (buffer: DeviceBuffer): Promise<AnyTypedArray> => Promise.resolve((buffer as AnyTypedArray).slice()),
    /** Fused kernels generated as JavaScript (compile/), cached per program. */
    compile: (jaxpr: Jaxpr) => {
      let exe = executables.get(jaxpr)
      if (exe === undefined) {
        const js = (): Executable => compileComplex(jaxpr, (c) => compileNarrow(c, (j) => compileJaxpr(j, backend)))
        executables.set(jaxpr, (exe = wasmEagerExecutable(jaxpr, js) ?? js()))
      }
      return exe
    },
    releaseProgram: (jaxpr: Jaxpr) => {
      executables.delete(jaxpr)
      releaseJaxpr(widen(needsComplex(jaxpr) ? lowerComplex(jaxpr) : jaxpr), backend)
    },
    isReady: () => true,
    manualMemory: false,
    release: () => {},
    synchronize: () => Promise.resolve(),
    synchronizeSync: () => {}
  }
  return backend
}

export type { Kernel } from "./kernel.js"
