/** Helpers for the CPU kernel tests: build inputs, run one primitive, naive index arithmetic. */
import { ShapedArray } from "../../core/array.js"
import type { KernelInput } from "../../core/backend.js"
import type { AnyTypedArray, DType } from "../../core/dtype.js"
import { cpuBackend } from "./index.js"
import { mulberry32 } from "../../laws/host-random.js"
import { toTypedArray } from "../../core/dtype.js"

export const typed = (dtype: DType, values: ArrayLike<number>): AnyTypedArray => toTypedArray(values, dtype)

/** A kernel input of the given dtype and shape. */
export const arr = (dtype: DType, shape: ReadonlyArray<number>, values: ArrayLike<number>): KernelInput => ({
  buffer: typed(dtype, values),
  aval: new ShapedArray(shape, dtype)
})

/** Run a primitive on the CPU backend; the output aval is given by the test. */
export const run = (
  prim: string,
  inputs: ReadonlyArray<KernelInput>,
  params: Readonly<Record<string, unknown>>,
  outShape: ReadonlyArray<number>,
  outDtype: DType
): AnyTypedArray => cpuBackend.execute(prim, inputs, params, [new ShapedArray(outShape, outDtype)])[0] as AnyTypedArray

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
