/**
 * eig of real matrices (the dgeev port, called on raw buffers) against real JAX on CPU
 * (golden/eig.py): for float64 inputs the eigenvalues in LAPACK's order and both eigenvector
 * matrices entry for entry (the same normalization and signs); for float32 inputs, whose LAPACK
 * run (sgeev) rounds differently, the eigenvalues in JAX's order within float32 error and the
 * eigenvectors up to a unit complex factor. Plus the defining equations A v = w v, u^H A = w u^H.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, loadGolden } from "../../../golden/load.js"
import { eigReal } from "./eig-real.js"

interface Case {
  readonly id: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: ReadonlyArray<GoldenArray> | GoldenArray
}

const flat = (a: GoldenArray): number[] => a.data.flatMap((v) => (Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v)]))
const cases = loadGolden<Case>("eig").cases.filter((c) => !c.id.startsWith("roots"))

/** max |A x_k - w_k x_k| (right) or |x_k^H A - w_k x_k^H| (left) over k, A real n x n. */
const residual = (a: ArrayLike<number>, n: number, w: Float64Array, v: Float64Array, left: boolean): number => {
  let worst = 0
  for (let k = 0; k < n; k++) {
    const [wr, wi] = [w[2 * k]!, w[2 * k + 1]!]
    for (let i = 0; i < n; i++) {
      let sr = 0
      let si = 0
      for (let l = 0; l < n; l++) {
        const aa = left ? a[l * n + i]! : a[i * n + l]!
        sr += aa * v[2 * (l * n + k)]!
        si += aa * (left ? -v[2 * (l * n + k) + 1]! : v[2 * (l * n + k) + 1]!)
      }
      const xr = v[2 * (i * n + k)]!
      const xi = left ? -v[2 * (i * n + k) + 1]! : v[2 * (i * n + k) + 1]!
      // left: A^T conj(u) = w conj(u)
      worst = Math.max(worst, Math.hypot(sr - (wr * xr - wi * xi), si - (wr * xi + wi * xr)))
    }
  }
  return worst
}

/** |<x_k, y_k>| for each column k of two n x n complex matrices. */
const columnOverlaps = (x: ArrayLike<number>, y: ArrayLike<number>, n: number): number[] =>
  Array.from({ length: n }, (_, k) => {
    let re = 0
    let im = 0
    for (let i = 0; i < n; i++) {
      const [a, b] = [x[2 * (i * n + k)]!, x[2 * (i * n + k) + 1]!]
      const [c, d] = [y[2 * (i * n + k)]!, y[2 * (i * n + k) + 1]!]
      re += a * c + b * d
      im += a * d - b * c
    }
    return Math.hypot(re, im)
  })

describe("eig of real matrices matches JAX (golden/eig.py)", () => {
  for (const c of cases) {
    it(c.id, () => {
      const a = c.args[0]!
      const n = a.shape.at(-1)!
      const B = a.shape.length === 3 ? a.shape[0]! : 1
      const [w, vl, vr] = (c.out as ReadonlyArray<GoldenArray>).map(flat) as [number[], number[], number[]]
      const f64 = a.dtype === "float64"
      const data = flat(a)
      for (let b = 0; b < B; b++) {
        const m = data.slice(b * n * n, (b + 1) * n * n)
        const r = eigReal(m, n, true, true)
        const scale = 1 + Math.max(...m.map(Math.abs))
        const wJax = w.slice(b * 2 * n, (b + 1) * 2 * n)
        r.w.forEach((v, i) => expect(Math.abs(v - wJax[i]!), `w[${i}]`).toBeLessThanOrEqual((f64 ? 1e-12 : 2e-5) * scale))
        expect(residual(m, n, r.w, r.vr!, false), "A v - w v").toBeLessThan(1e-12 * scale)
        expect(residual(m, n, r.w, r.vl!, true), "u^H A - w u^H").toBeLessThan(1e-12 * scale)
        const vlJax = vl.slice(b * 2 * n * n, (b + 1) * 2 * n * n)
        const vrJax = vr.slice(b * 2 * n * n, (b + 1) * 2 * n * n)
        if (f64) {
          r.vr!.forEach((v, i) => expect(Math.abs(v - vrJax[i]!), `vr[${i}]`).toBeLessThan(1e-12 * scale))
          r.vl!.forEach((v, i) => expect(Math.abs(v - vlJax[i]!), `vl[${i}]`).toBeLessThan(1e-12 * scale))
        } else {
          for (const o of [...columnOverlaps(r.vr!, vrJax, n), ...columnOverlaps(r.vl!, vlJax, n)]) expect(Math.abs(o - 1)).toBeLessThan(1e-4)
        }
      }
    })
  }

  it("eigenvalues only, and a matrix with a NaN gives NaNs", () => {
    const r = eigReal([2, 1, 0, 3], 2, false, false)
    expect([...r.w]).toEqual([2, 0, 3, 0])
    expect(r.vl).toBeNull()
    expect(r.vr).toBeNull()
    const bad = eigReal([1, NaN, 0, 1], 2, true, false)
    expect(bad.w.every(Number.isNaN)).toBe(true)
    expect(bad.vl!.every(Number.isNaN)).toBe(true)
  })
})
