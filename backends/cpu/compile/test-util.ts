/** Helpers for the compiler tests: inputs with the awkward values of each dtype, bitwise comparison. */
import { expect } from "vitest"
import { type Array, type DType, np } from "../../../index.js"
import { mulberry32 } from "../../../laws/host-random.js"
import { type AnyTypedArray, toTypedArray } from "../../../core/dtype.js"

/** Deterministic uniform numbers in [0, 1). */
export const rng = mulberry32

const specials: Readonly<Partial<Record<DType, ReadonlyArray<number>>>> = {
  float32: [
    0,
    -0,
    1,
    -1,
    0.5,
    -0.5,
    1.5,
    2.5,
    -2.5,
    3,
    0.1,
    -0.7,
    1e-40,
    -1e-39,
    3.4e38,
    -3e38,
    1e20,
    88.5,
    -104,
    Infinity,
    -Infinity,
    NaN,
    100,
    -100,
    7,
    1e-7
  ],
  float64: [0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3, 0.1, -0.7, 1e-310, 1.7e308, -1e300, 1e20, 710, -750, Infinity, -Infinity, NaN, 100, -100, 7, 1e-7],
  int32: [0, 1, -1, 2, -2, 3, 7, -7, 31, 100, -100, 65536, 2147483647, -2147483648, 46341, -46341, 123456789],
  uint32: [0, 1, 2, 3, 7, 31, 100, 65536, 2147483647, 2147483648, 4294967295, 4000000000, 46341, 123456789],
  bool: [0, 1]
}

/** `n` values of `dtype`: the awkward ones first, then random ones of every magnitude. */
export const values = (dtype: DType, n: number, seed: number): number[] => {
  const r = rng(seed)
  const sp = specials[dtype] ?? [0, 1]
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    if (i < sp.length && seed % 2 === 0) out.push(sp[i]!)
    else if (r() < 0.3) out.push(sp[Math.floor(r() * sp.length)]!)
    else if (dtype === "bool") out.push(r() < 0.5 ? 0 : 1)
    else if (dtype === "int32") out.push(Math.floor((r() - 0.5) * (r() < 0.5 ? 200 : 4294967296)))
    else if (dtype === "uint32") out.push(Math.floor(r() * (r() < 0.5 ? 200 : 4294967296)))
    else out.push((r() - 0.5) * Math.pow(10, Math.floor(r() * 8) - 3))
  }
  return out
}

export const typed = (dtype: DType, xs: ReadonlyArray<number>): AnyTypedArray => toTypedArray(xs, dtype)

/** An array of `shape` and `dtype` filled with `values(...)`. */
export const input = (dtype: DType, shape: ReadonlyArray<number>, seed: number): Array => {
  const n = shape.reduce((a, b) => a * b, 1)
  const x = np.asarray(typed(dtype, values(dtype, n, seed)), { dtype })
  return x.reshape([...shape])
}

/** Same shape, dtype and bits (NaN equals NaN, -0 differs from 0). */
export const expectSameBits = (got: Array, want: Array, what = ""): void => {
  expect(got.dtype, what).toBe(want.dtype)
  expect([...got.shape], what).toEqual([...want.shape])
  const g = got.data()
  const w = want.data()
  for (let i = 0; i < w.length; i++) {
    if (!Object.is(g[i], w[i])) {
      throw new Error(`${what}: element ${i} differs: jit ${g[i]} vs eager ${w[i]}`)
    }
  }
}

/** Equal within a relative tolerance (float32 reductions may round differently by accumulation order). */
export const expectClose = (got: Array, want: Array, rtol = 1e-5, what = ""): void => {
  expect(got.dtype, what).toBe(want.dtype)
  expect([...got.shape], what).toEqual([...want.shape])
  const g = got.data()
  const w = want.data()
  for (let i = 0; i < w.length; i++) {
    const a = g[i]!
    const b = w[i]!
    if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) continue
    const tol = rtol * Math.max(1, Math.abs(b))
    if (!(Math.abs(a - b) <= tol)) throw new Error(`${what}: element ${i} differs: jit ${a} vs eager ${b}`)
  }
}
