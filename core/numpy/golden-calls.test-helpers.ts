/**
 * For golden tests whose cases are calls: `{ fn, args, opts, out }` as golden/sorting.py (and the
 * other generators of np's sorting, sets and statistics) write them. Arrays in `args` are decoded to
 * jaxfx arrays (lists of them too), the named jaxfx function is called, and each output is compared
 * with JAX's: dtype, shape, and every element (exactly, -0 distinct from +0, or within a tolerance).
 */
import { expect } from "vitest"
import type { Array } from "../array.js"
import { type GoldenArray, goldenValues } from "../../golden/load.js"
import { close, fromGolden, type Tol } from "../scipy/test-helpers.js"

export interface CallCase {
  readonly fn: string
  readonly args: ReadonlyArray<unknown>
  readonly opts: Readonly<Record<string, unknown>>
  readonly out: GoldenArray | ReadonlyArray<GoldenArray>
}

export type Call = (args: ReadonlyArray<unknown>, opts: Record<string, unknown>) => Array | ReadonlyArray<Array>

const isGolden = (v: unknown): v is GoldenArray => typeof v === "object" && v !== null && "dtype" in v && "data" in v

/** Golden arrays (at any depth of lists) as jaxfx arrays; other values as they are. */
export const decode = (v: unknown): unknown => (isGolden(v) ? fromGolden(v) : globalThis.Array.isArray(v) ? v.map(decode) : v)

/** A one-line name for a case. */
export const caseLabel = (c: CallCase, i: number): string =>
  `#${i} ${c.fn}(${c.args.map((a) => (isGolden(a) ? `${a.dtype}[${a.shape.join(",")}]` : JSON.stringify(a)?.slice(0, 40))).join(", ")}) ${JSON.stringify(c.opts)}`

const same = (got: number, want: number, tol: Tol | undefined): boolean =>
  tol === undefined ? Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)) : close(got, want, tol)

/** Check one case: the outputs' dtypes, shapes and values against JAX's. */
export const checkCall = (c: CallCase, label: string, call: Call, tol?: Tol): void => {
  const got = call(c.args.map(decode), { ...c.opts })
  const gots = globalThis.Array.isArray(got) ? (got as ReadonlyArray<Array>) : [got as Array]
  const wants = globalThis.Array.isArray(c.out) ? (c.out as ReadonlyArray<GoldenArray>) : [c.out as GoldenArray]
  expect(gots.length, `${label}: number of outputs`).toBe(wants.length)
  wants.forEach((w, k) => {
    const g = gots[k]!
    expect(`${g.dtype}[${g.shape.join(",")}]`, `${label}: output ${k}`).toBe(`${w.dtype}[${w.shape.join(",")}]`)
    const gv = [...g.data()].map(Number)
    const wv = goldenValues(w)
    const bad = gv
      .map((v, i) => (same(v, wv[i]!, w.dtype.startsWith("float") ? tol : undefined) ? null : `[${i}] got ${v}, JAX ${wv[i]}`))
      .filter((m) => m !== null)
    expect(bad, `${label}: output ${k}`).toEqual([])
  })
}
