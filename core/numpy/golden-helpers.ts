/**
 * Shared by the np golden tests: a golden array as a jaxfx Array, and a comparison of a jaxfx
 * result with JAX's (shape, dtype, and values: exact, or within a relative tolerance; NaN equals
 * NaN and -0 differs from 0 when exact).
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../golden/load.js"
import { Array, np } from "../../index.js"
import type { DType } from "../dtype.js"

/** JAX's dtype names as jaxfx's (JAX's int64/float64 only appear with x64). */
export const dtypeOf = (g: GoldenArray): DType => g.dtype as DType

/** A golden array as an Array of its dtype and shape. */
export const fromGolden = (g: GoldenArray): Array => np.reshape(np.array(goldenValues(g), { dtype: dtypeOf(g) }), g.shape)

const same = (a: number, b: number, tol: number): boolean => {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b)
  if (tol === 0) return Object.is(a, b) || (a === b && a !== 0)
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b))
}

/** Expect `got` to equal JAX's `want` (shape, dtype, values within `tol`, relative). */
export const expectGolden = (got: Array, want: GoldenArray, what: string, tol = 0): void => {
  expect(got.shape, `${what}: shape`).toEqual(want.shape)
  expect(got.dtype, `${what}: dtype`).toBe(dtypeOf(want))
  const g = globalThis.Array.from(got.data(), Number)
  const w = goldenValues(want)
  const bad = g.findIndex((v, i) => !same(v, w[i]!, tol))
  expect(bad, `${what}: element ${bad} is ${g[bad]}, JAX gives ${w[bad]} (got ${JSON.stringify(g.slice(0, 40))})`).toBe(-1)
}

/** Compare one result or a list of results with a golden case's output. */
export const expectGoldenOut = (got: Array | ReadonlyArray<Array>, want: GoldenArray | ReadonlyArray<GoldenArray>, what: string, tol = 0): void => {
  if (got instanceof Array) {
    expect(globalThis.Array.isArray(want), `${what}: JAX returns a list`).toBe(false)
    expectGolden(got, want as GoldenArray, what, tol)
    return
  }
  const ws = want as ReadonlyArray<GoldenArray>
  expect(got.length, `${what}: number of outputs`).toBe(ws.length)
  got.forEach((g, i) => expectGolden(g, ws[i]!, `${what} output ${i}`, tol))
}

/** A golden case of calls by id: JAX's inputs and output(s). */
export interface GoldenCallCase {
  readonly id: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: GoldenArray | ReadonlyArray<GoldenArray>
}

/** Each golden id names a call (the generator makes the same one in JAX) and a relative tolerance. */
export type GoldenCalls = Readonly<Record<string, readonly [(...a: Array[]) => Array | Array[], number]>>

/**
 * One test per case of `golden/<topic>.json`, comparing `calls[id]` on the case's inputs with JAX's
 * output, and a test that the cases and the calls name the same ids.
 */
export const describeGoldenCalls = (title: string, topic: string, calls: GoldenCalls): void => {
  const golden = loadGolden<GoldenCallCase>(topic)
  describe(title, () => {
    it("every golden case has a call and every call a case", () => {
      expect(golden.cases.map((c) => c.id).sort()).toEqual(Object.keys(calls).sort())
    })
    for (const c of golden.cases) {
      it(c.id, () => {
        const [f, tol] = calls[c.id]!
        expectGoldenOut(f(...c.args.map(fromGolden)), c.out, c.id, tol)
      })
    }
  })
}
