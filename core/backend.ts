/**
 * The interface every backend implements. Core knows only this; concrete backends live in
 * `backends/` and are wired in by the package entry point. Read-back may be asynchronous
 * (WebGPU): `read` returns the data or a promise of it.
 */
import type { ShapedArray } from "./array.js"
import type { Jaxpr } from "./ir.js"
import type { AnyTypedArray } from "./dtype.js"
import { DeviceError } from "./errors.js"

/** An opaque handle to memory owned by a backend. */
export type DeviceBuffer = object

/** One input of a kernel: its buffer and abstract value. */
export interface KernelInput {
  readonly buffer: DeviceBuffer
  readonly aval: ShapedArray
}

export interface Backend {
  readonly name: string
  /** Whether `read` answers synchronously (the CPU does; WebGPU does not). */
  readonly synchronous: boolean
  /** Copy host data (already in the dtype's storage type) to a new device buffer. */
  fromHost(data: AnyTypedArray, aval: ShapedArray): DeviceBuffer
  /** Read a buffer back to the host, as the dtype's storage type, row-major. */
  read(buffer: DeviceBuffer, aval: ShapedArray): AnyTypedArray | Promise<AnyTypedArray>
  /**
   * Run one primitive eagerly. `outs` are the abstract values the primitive's shape rule computed.
   * Returns one buffer per output.
   */
  execute(
    primitive: string,
    inputs: ReadonlyArray<KernelInput>,
    params: Readonly<Record<string, unknown>>,
    outs: ReadonlyArray<ShapedArray>
  ): ReadonlyArray<DeviceBuffer>
  /**
   * Compile a staged program (inputs and outputs as buffers). Optional: without it, jit runs
   * the program one primitive at a time.
   */
  compile?(jaxpr: Jaxpr): (inputs: ReadonlyArray<KernelInput>) => ReadonlyArray<DeviceBuffer>
  /**
   * Forget what `compile(jaxpr)` built and free what it holds (pooled buffers, kernels no other
   * program uses). jit calls it when a program leaves its cache. A call of that program still
   * running finishes correctly, and a later `compile(jaxpr)` builds it again.
   */
  release?(jaxpr: Jaxpr): void
  /** Resolves when every kernel issued so far has finished (a no-op on synchronous devices). */
  synchronize(): void | Promise<void>
}

let defaultBackend: Backend | undefined

/** Install the backend that eager operations run on (the package entry installs the CPU). */
export const setDefaultBackend = (b: Backend): void => {
  defaultBackend = b
}

export const getDefaultBackend = (): Backend => {
  if (defaultBackend === undefined) {
    throw new DeviceError("jaxfx: no backend installed; import from the package entry point \"jaxfx\" (index.ts), which installs the CPU backend")
  }
  return defaultBackend
}
