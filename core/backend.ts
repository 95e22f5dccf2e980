/**
 * The interface every backend implements. Core knows only this; concrete backends live in
 * `backends/` and are wired in by the package entry point (`core/devices/registry.ts`).
 *
 * One execution path: eager operations and jit programs alike reach a backend as a staged
 * program (`compile(jaxpr)`, a one-equation program for an eager operation, cached per signature
 * by core). A backend lowers it through `core/kernel` and runs the result with its own kernels and
 * its routines for what the loop IR cannot express (GEMM, gather/scatter, sort, threefry, ...),
 * registered by primitive object.
 *
 * Dispatch never waits: `compile(...)(inputs)` returns buffers that may still be being computed.
 * Reads are asynchronous (`read`); `readSync` exists where the platform can block the calling
 * thread until the data is there (the main-thread CPU; Node waiting on a worker device).
 */
import type { ShapedArray } from "./array.js"
import type { AnyTypedArray } from "./dtype.js"
import type { Jaxpr } from "./ir.js"

/** An opaque handle to memory owned by a backend. */
export type DeviceBuffer = object

/** One input of a program: its buffer and abstract value. */
export interface KernelInput {
  readonly buffer: DeviceBuffer
  readonly aval: ShapedArray
}

/** A compiled program: input buffers (constants, then arguments) to output buffers. */
export type Executable = (inputs: ReadonlyArray<KernelInput>) => ReadonlyArray<DeviceBuffer>

export interface Backend {
  /** The platform of the devices this backend serves: "cpu", "webgpu". */
  readonly platform: string
  /** Copy host data (already in the dtype's storage type; ownership passes to the backend) to a new buffer. */
  fromHost(data: AnyTypedArray, aval: ShapedArray): DeviceBuffer
  /**
   * The buffer's elements, waiting for pending work, where the platform can block this thread.
   * The result may be the buffer's own memory: callers copy before handing it out. Absent where a
   * synchronous read is impossible (a GPU from a browser's main thread).
   */
  readonly readSync: ((buffer: DeviceBuffer, aval: ShapedArray) => AnyTypedArray) | undefined
  /** The buffer's elements once the work that produces them has finished (a copy the caller owns). */
  read(buffer: DeviceBuffer, aval: ShapedArray): Promise<AnyTypedArray>
  /** Compile a staged program (inputs: constvars, then invars). Cached by the caller per program. */
  compile(jaxpr: Jaxpr): Executable
  /** Whether the work producing `buffer` has finished (reads would not wait). */
  isReady(buffer: DeviceBuffer): boolean
  /**
   * Whether buffers must be given back (`release`) rather than left to the garbage collector: the
   * runtime then releases the buffers of unreachable arrays through a FinalizationRegistry.
   */
  readonly manualMemory: boolean
  /** Give the buffer's memory back now; later use of the buffer is an error the caller reports. */
  release(buffer: DeviceBuffer): void
  /**
   * Forget what `compile(jaxpr)` built and free what it holds (pooled buffers, kernels no other
   * program uses). jit calls it when a program leaves its cache. A call of that program still
   * running finishes correctly, and a later `compile(jaxpr)` builds it again.
   */
  releaseProgram(jaxpr: Jaxpr): void
  /** Resolves when every piece of work issued so far has finished. */
  synchronize(): Promise<void>
  /** Blocks until every piece of work issued so far has finished, where the platform can block. */
  readonly synchronizeSync: (() => void) | undefined
  /**
   * Whether the device is gone for good (a GPU device lost: driver reset, `destroy()`): its arrays
   * are unreadable and `init` acquires the platform's devices again. Absent: never.
   */
  readonly lost?: boolean
}
