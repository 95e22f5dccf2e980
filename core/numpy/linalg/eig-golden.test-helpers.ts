/** Helpers of the eig golden tests: golden arrays to jaxfx arrays, and entrywise comparison. */
import { expect } from "vitest"
import type { GoldenArray } from "../../../golden/load.js"
import { type Array, lax, np } from "../../../index.js"

export interface Case {
  readonly id: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: ReadonlyArray<GoldenArray>
}

/** The values of a golden array as (re, im) pairs, flattened (real values get im 0). */
export const pairs = (g: GoldenArray): number[] => g.data.flatMap((v) => (globalThis.Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v), 0]))

/** A golden array (complex ones from their parts) as a jaxfx array of its dtype. */
export const toArray = (g: GoldenArray): Array => {
  if (!g.dtype.startsWith("complex")) return np.array(g.data as number[], { dtype: g.dtype as "float32" }).reshape([...g.shape])
  const part = g.dtype === "complex64" ? "float32" : "float64"
  const p = pairs(g)
  const re = np
    .array(
      p.filter((_, i) => i % 2 === 0),
      { dtype: part }
    )
    .reshape([...g.shape])
  const im = np
    .array(
      p.filter((_, i) => i % 2 === 1),
      { dtype: part }
    )
    .reshape([...g.shape])
  return lax.complex(re, im)
}

/** got equals want (shape, dtype, values within tol relative to 1 + the largest magnitude; NaN matches NaN). */
export const close = (got: Array, want: GoldenArray, tol: number, what: string): void => {
  expect(got.shape, what).toEqual(want.shape)
  expect(got.dtype, what).toBe(want.dtype)
  const g = globalThis.Array.from(got.data() as ArrayLike<number>)
  const w = pairs(want)
  const scale = 1 + Math.max(0, ...w.filter(Number.isFinite).map(Math.abs))
  w.forEach((v, i) => {
    if (Number.isNaN(v)) expect(g[i], `${what}[${i}]`).toBeNaN()
    else expect(Math.abs(g[i]! - v), `${what}[${i}]: ${g[i]} vs ${v}`).toBeLessThanOrEqual(tol * scale)
  })
}
