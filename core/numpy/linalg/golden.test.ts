/**
 * np.linalg against real JAX (golden/np_linalg.py): values of every function on well- and
 * ill-conditioned, batched, singular and edge inputs, and gradients against JAX's (float32) and
 * its float64 reference at the same inputs.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../../golden/load.js"
import { type Array, grad, np } from "../../../index.js"

interface Case {
  readonly fn: string
  readonly args: ReadonlyArray<unknown>
  readonly options: Record<string, unknown>
  readonly outs: ReadonlyArray<GoldenArray>
  readonly weights?: ReadonlyArray<GoldenArray>
  readonly diff?: ReadonlyArray<number>
  readonly grad?: ReadonlyArray<GoldenArray>
  readonly grad64?: ReadonlyArray<GoldenArray>
}

const golden = loadGolden<Case>("np_linalg")
const isGolden = (x: unknown): x is GoldenArray => typeof x === "object" && x !== null && "dtype" in x && "shape" in x
const toArray = (g: GoldenArray): Array => np.array(goldenValues(g), { dtype: g.dtype.startsWith("int") ? "int32" : "float32" }).reshape([...g.shape])
const revive = (a: unknown): unknown => (isGolden(a) ? toArray(a) : globalThis.Array.isArray(a) && a.every(isGolden) ? a.map(toArray) : a)

const la = np.linalg as unknown as Record<string, (...args: unknown[]) => unknown>
/** The functions whose last argument is an options object. */
const noOptions = new Set(["inv", "det", "slogdet", "svdvals", "multiDot", "outer", "matmul", "matrixTranspose", "matrixPower", "cond"])

const call = (c: Case, args: ReadonlyArray<unknown>): Array[] => {
  const f = la[c.fn]
  if (f === undefined) throw new Error(`np.linalg.${c.fn} is missing`)
  const out = noOptions.has(c.fn) ? f(...args) : f(...args, c.options)
  return globalThis.Array.isArray(out) ? (out as Array[]) : [out as Array]
}

const values = (x: Array): number[] => globalThis.Array.from(x.data() as ArrayLike<number>, Number)
const maxAbs = (xs: ReadonlyArray<number>): number => xs.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0)

const close = (got: Array, want: GoldenArray, tol: number, what: string) => {
  expect(got.shape, what).toEqual(want.shape)
  const g = values(got)
  const w = goldenValues(want)
  const scale = 1 + maxAbs(w)
  w.forEach((v, i) => {
    if (!Number.isFinite(v)) expect(g[i], `${what}[${i}]`).toBe(v)
    else expect(Math.abs(g[i]! - v), `${what}[${i}]: ${g[i]} vs ${v}`).toBeLessThanOrEqual(tol * scale)
  })
}

/** Within tol of JAX's float32 result, or no further from the float64 reference than twice JAX's own error. */
const closeAsJax = (got: Array, want: GoldenArray, ref: GoldenArray, tol: number, what: string) => {
  expect(got.shape, what).toEqual(want.shape)
  const g = values(got)
  const w = goldenValues(want)
  const r = goldenValues(ref)
  const scale = 1 + maxAbs(w)
  w.forEach((v, i) => {
    const ok = Math.abs(g[i]! - v) <= tol * scale || Math.abs(g[i]! - r[i]!) <= 2 * Math.abs(v - r[i]!) + tol * scale
    expect(ok, `${what}[${i}]: ${g[i]} vs JAX ${v} (float64 ${r[i]})`).toBe(true)
  })
}

describe("np.linalg matches JAX (golden/np_linalg.py)", () => {
  golden.cases.forEach((c, idx) => {
    const shapes = c.args.map((a) => (isGolden(a) ? `(${a.shape.join(",")})` : JSON.stringify(a))).join(" ")
    it(`${idx}: ${c.fn} ${JSON.stringify(c.options)} on ${shapes}`, () => {
      const args = c.args.map(revive)
      const outs = call(c, args)
      expect(outs.length).toBe(c.outs.length)
      outs.forEach((o, i) => close(o, c.outs[i]!, 1e-4, `out ${i}`))
      if (c.grad !== undefined) {
        const diff = c.diff!
        const weights = c.weights!.map(toArray)
        const loss = (...xs: Array[]) => {
          const full = [...args]
          diff.forEach((d, i) => (full[d] = xs[i]!))
          let total = np.array(0, { dtype: "float32" })
          call(c, full).forEach((o, i) => {
            if (o.dtype === "float32") total = total.add(np.sum(o.mul(weights[i]!)))
          })
          return total
        }
        const g = grad(loss, { argnums: diff.map((_, i) => i) })(...diff.map((d) => args[d] as Array)) as unknown as Array[]
        g.forEach((gi, i) => closeAsJax(gi, c.grad![i]!, c.grad64![i]!, 2e-4, `grad ${i}`))
      }
    })
  })
})
