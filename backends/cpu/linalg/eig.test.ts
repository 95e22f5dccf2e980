/**
 * eig of real and complex matrices (the dgeev and zgeev ports, called on raw buffers) against
 * real JAX on CPU (golden/eig.py): for float64 and complex inputs the eigenvalues in LAPACK's order
 * and both eigenvector matrices entry for entry (the same normalization and signs); for float32
 * inputs, whose LAPACK run (sgeev) rounds differently, the eigenvalues in JAX's order within
 * float32 error and the eigenvectors up to a unit complex factor. Plus the defining equations
 * A v = w v and u^H A = w u^H.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, loadGolden } from "../../../golden/load.js"
import { eigComplex } from "./eig-complex.js"
import { eigReal } from "./eig-real.js"

interface Case {
  readonly id: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: ReadonlyArray<GoldenArray> | GoldenArray
}

const flat = (a: GoldenArray): number[] => a.data.flatMap((v) => (Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v)]))
const cases = loadGolden<Case>("eig").cases.filter((c) => !c.id.startsWith("roots"))

/** max |A x_k - w_k x_k| (right) or |x_k^H A - w_k x_k^H| (left) over k, A complex n x n (interleaved). */
const residual = (a: ArrayLike<number>, n: number, w: Float64Array, v: Float64Array, left: boolean): number => {
  let worst = 0
  for (let k = 0; k < n; k++) {
    const [wr, wi] = [w[2 * k]!, w[2 * k + 1]!]
    for (let i = 0; i < n; i++) {
      let sr = 0
      let si = 0
      for (let l = 0; l < n; l++) {
        // left: A^T conj(u) = w conj(u) with conj(A^T) = A^H: sum_l conj(A[l, i]) ... conjugated
        const at = left ? l * n + i : i * n + l
        const ar = a[2 * at]!
        const ai = left ? -a[2 * at + 1]! : a[2 * at + 1]!
        const xr = v[2 * (l * n + k)]!
        const xi = v[2 * (l * n + k) + 1]!
        sr += ar * xr - ai * xi
        si += ar * xi + ai * xr
      }
      if (left) si = -si
      // left: A^H u = conj(w) u, conjugated: conj(A^H u) = w conj(u)
      const xr = v[2 * (i * n + k)]!
      const xi = left ? -v[2 * (i * n + k) + 1]! : v[2 * (i * n + k) + 1]!
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

describe("eig of real and complex matrices matches JAX (golden/eig.py)", () => {
  for (const c of cases) {
    it(c.id, () => {
      const a = c.args[0]!
      const n = a.shape.at(-1)!
      const B = a.shape.length === 3 ? a.shape[0]! : 1
      const [w, vl, vr] = (c.out as ReadonlyArray<GoldenArray>).map(flat) as [number[], number[], number[]]
      const complex = a.dtype.startsWith("complex")
      const exact = a.dtype === "float64" || complex
      const tol = a.dtype === "float64" || a.dtype === "complex128" ? 1e-12 : 2e-5
      const data = flat(a)
      const per = n * n * (complex ? 2 : 1)
      for (let b = 0; b < B; b++) {
        const m = data.slice(b * per, (b + 1) * per)
        const r = (complex ? eigComplex : eigReal)(m, n, true, true)
        const mc = complex ? m : m.flatMap((v) => [v, 0])
        const scale = 1 + Math.max(...m.map(Math.abs))
        const wJax = w.slice(b * 2 * n, (b + 1) * 2 * n)
        r.w.forEach((v, i) => expect(Math.abs(v - wJax[i]!), `w[${i}]`).toBeLessThanOrEqual(tol * scale))
        expect(residual(mc, n, r.w, r.vr!, false), "A v - w v").toBeLessThan(1e-12 * scale)
        expect(residual(mc, n, r.w, r.vl!, true), "u^H A - w u^H").toBeLessThan(1e-12 * scale)
        const vlJax = vl.slice(b * 2 * n * n, (b + 1) * 2 * n * n)
        const vrJax = vr.slice(b * 2 * n * n, (b + 1) * 2 * n * n)
        if (exact) {
          r.vr!.forEach((v, i) => expect(Math.abs(v - vrJax[i]!), `vr[${i}]`).toBeLessThan(tol * scale))
          r.vl!.forEach((v, i) => expect(Math.abs(v - vlJax[i]!), `vl[${i}]`).toBeLessThan(tol * scale))
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
    expect(eigComplex([1, 0, NaN, 0, 0, 0, 1, 0], 2, false, true).vr!.every(Number.isNaN)).toBe(true)
  })
})
