/** Helpers for the CPU kernel tests: build inputs, run one primitive, naive index arithmetic. */
import { ShapedArray } from "../../core/array.js"
import type { KernelInput } from "../../core/backend.js"
import type { AnyTypedArray, DType } from "../../core/dtype.js"
import { ArrayImpl } from "../../core/array.js"
import type { Backend, Executable } from "../../core/backend.js"
import { Device } from "../../core/devices/device.js"
import { hostDevice, withDefaultDevice } from "../../core/devices/registry.js"
import type { Jaxpr } from "../../core/ir.js"
import { lookupPrimitive } from "../../core/primitive.js"
import { evalPrimitive } from "../../core/trace.js"
import { makeCpuBackend } from "./index.js"
import "../../index.js"
import { mulberry32 } from "../../laws/host-random.js"
import { toTypedArray } from "../../core/dtype.js"

export const typed = (dtype: DType, values: ArrayLike<number>): AnyTypedArray => toTypedArray(values, dtype)

/** A kernel input of the given dtype and shape. */
export const arr = (dtype: DType, shape: ReadonlyArray<number>, values: ArrayLike<number>): KernelInput => ({
  buffer: typed(dtype, values),
  aval: new ShapedArray(shape, dtype)
})

/**
 * Run a primitive eagerly on CPU device 0 (its one-equation program, compiled); the test states the
 * output's shape and dtype, which are checked.
 */
export const run = (
  prim: string,
  inputs: ReadonlyArray<KernelInput>,
  params: Readonly<Record<string, unknown>>,
  outShape: ReadonlyArray<number>,
  outDtype: DType
): AnyTypedArray => {
  const p = lookupPrimitive(prim)
  if (p === undefined) throw new Error(`no primitive ${prim}`)
  // These tests are about the calling thread's CPU kernels: run there whatever the default device is.
  const d = hostDevice()
  const args = inputs.map((x) => new ArrayImpl(x.aval, d.backend.fromHost(x.buffer as AnyTypedArray, x.aval), d))
  const out = withDefaultDevice(d, () => evalPrimitive(p, args, params))[0]!
  const want = new ShapedArray(outShape, outDtype)
  if (out.shape.join(",") !== want.shape.join(",") || out.dtype !== want.dtype) {
    throw new Error(`${prim}: expected ${want.str()}, got ${out.aval.str()}`)
  }
  // The output's own buffer (not a copy), so tests can see which results share their input's memory.
  return (out as ArrayImpl).buffer as AnyTypedArray
}

let fakeIds = 1000

/**
 * A device for tests: the CPU's compiler and buffers behind a backend that can answer reads only
 * asynchronously (`async`, like WebGPU), and whose programs' results can be tampered with
 * (`tamper(jaxpr)` returns a function applied to each output buffer, or undefined).
 */
export const fakeDevice = (
  options: {
    readonly name?: string
    readonly async?: boolean
    readonly readDelayMs?: number
    readonly failReads?: boolean
    readonly tamper?: (jaxpr: Jaxpr) => ((b: AnyTypedArray) => AnyTypedArray) | undefined
    readonly log?: string[]
    readonly synchronize?: () => Promise<void>
  } = {}
): Device => {
  const cpu = makeCpuBackend()
  const log = options.log
  const backend: Backend = {
    ...cpu,
    platform: options.name ?? "fake",
    readSync: options.async === true ? undefined : cpu.readSync,
    synchronizeSync: options.async === true ? undefined : cpu.synchronizeSync,
    // an asynchronous device's work is never known to be done without asking it (as on a GPU)
    isReady: options.async === true ? () => false : cpu.isReady,
    read: (buffer, aval) => {
      log?.push("read")
      if (options.failReads === true) return Promise.reject(new Error("device lost"))
      const data = (buffer as AnyTypedArray).slice()
      void aval
      return new Promise((resolve) => setTimeout(() => resolve(data), options.readDelayMs ?? 1))
    },
    compile: (jaxpr): Executable => {
      const exe = cpu.compile(jaxpr)
      const t = options.tamper?.(jaxpr)
      return t === undefined ? exe : (ins) => exe(ins).map((b) => t(b as AnyTypedArray))
    },
    synchronize:
      options.synchronize ??
      (() => {
        log?.push("sync")
        return new Promise((resolve) => setTimeout(resolve, 1))
      })
  }
  const d = new Device(fakeIds++, options.name ?? "fake", "test device", backend, 0)
  cpu.device = d
  return d
}

export const list = (x: ArrayLike<number>): number[] => Array.from(x)

/** Deterministic uniform numbers in [0, 1). */
export const rng = mulberry32

/** `n` float32 values uniform in [lo, hi). */
export const randomF32 = (n: number, seed: number, lo = -1, hi = 1): Float32Array => {
  const r = rng(seed)
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r()
  return out
}

export const sizeOf = (shape: ReadonlyArray<number>): number => shape.reduce((a, b) => a * b, 1)

/** Row-major multi-index of a flat position. */
export const unravel = (flat: number, shape: ReadonlyArray<number>): number[] => {
  const idx = new Array<number>(shape.length).fill(0)
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!
    idx[d] = flat % n
    flat = Math.floor(flat / n)
  }
  return idx
}

export const ravel = (idx: ReadonlyArray<number>, shape: ReadonlyArray<number>): number => {
  let flat = 0
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d]! + idx[d]!
  return flat
}

/** Compare element-wise with Object.is (distinguishes -0 and matches NaN). */
export const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false
  return true
}
