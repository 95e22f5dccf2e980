/**
 * scipy.linalg against real JAX (golden/scipy_linalg.py): values, and gradients against JAX's
 * (float32) and its float64 reference at the same inputs.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../../golden/load.js"
import { type Array, grad, np, scipy } from "../../../index.js"

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

const golden = loadGolden<Case>("scipy_linalg")
const S = scipy.linalg
const isGolden = (x: unknown): x is GoldenArray => typeof x === "object" && x !== null && "dtype" in x && "shape" in x
const toArray = (g: GoldenArray): Array => np.array(goldenValues(g), { dtype: g.dtype.startsWith("int") ? "int32" : "float32" }).reshape([...g.shape])
const revive = (a: unknown): unknown => (isGolden(a) ? toArray(a) : globalThis.Array.isArray(a) && a.every(isGolden) ? a.map(toArray) : a)

const call = (c: Case, args: ReadonlyArray<unknown>): Array[] => {
  const [a, b] = args as [Array, Array]
  const o = c.options as never
  switch (c.fn) {
    case "solveTriangular":
      return [S.solveTriangular(a, b, o)]
    case "choFactor":
      return [S.choFactor(a, o)[0]]
    case "choSolve":
      return [S.choSolve(S.choFactor(a, o), b)]
    case "luFactor":
      return S.luFactor(a)
    case "luSolve":
      return [S.luSolve(S.luFactor(a), b, o)]
    case "expm":
      return [S.expm(a)]
    case "blockDiag":
      return [S.blockDiag(...(args[0] as Array[]))]
  }
  throw new Error(`unknown fn ${c.fn}`)
}

const values = (x: Array): number[] => globalThis.Array.from(x.data() as ArrayLike<number>, Number)
const maxAbs = (xs: ReadonlyArray<number>): number => xs.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0)

const closeAsJax = (got: Array, want: GoldenArray, ref: GoldenArray | undefined, tol: number, what: string) => {
  expect(got.shape, what).toEqual(want.shape)
  const g = values(got)
  const w = goldenValues(want)
  const r = ref === undefined ? w : goldenValues(ref)
  const scale = 1 + maxAbs(w)
  w.forEach((v, i) => {
    const ok = Math.abs(g[i]! - v) <= tol * scale || Math.abs(g[i]! - r[i]!) <= 2 * Math.abs(v - r[i]!) + tol * scale
    expect(ok, `${what}[${i}]: ${g[i]} vs JAX ${v} (float64 ${r[i]})`).toBe(true)
  })
}

describe("scipy.linalg matches JAX (golden/scipy_linalg.py)", () => {
  golden.cases.forEach((c, idx) => {
    it(`${idx}: ${c.fn} ${JSON.stringify(c.options)}`, () => {
      const args = c.args.map(revive)
      const outs = call(c, args)
      expect(outs.length).toBe(c.outs.length)
      outs.forEach((o, i) => closeAsJax(o, c.outs[i]!, undefined, 1e-4, `out ${i}`))
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
