/**
 * The blocked float32 decompositions (cholesky, triangular substitution, LU) against float64
 * unblocked references computed here, with block sizes that leave ragged last blocks and with
 * rectangular LU. They are called directly (no device), so the test means the same on a worker
 * device. Through the public API the golden files cover them at the default policy's sizes.
 */
import { afterEach, describe, expect, it } from "vitest"
import { blockedPolicy } from "./blocked.js"
import { choleskyBlocked } from "./cholesky-blocked.js"
import { luBlocked } from "./lu-blocked.js"
import { substituteBlocked } from "./triangular-solve-blocked.js"

let seed = 12345
const rand = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648 - 0.5
}
const randn = (len: number): Float64Array => Float64Array.from({ length: len }, rand)

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let d = 0
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!))
  return d
}

const nb0 = blockedPolicy.nb
afterEach(() => {
  blockedPolicy.nb = nb0
})

describe("blocked cholesky", () => {
  for (const [n, nb] of [
    [7, 3],
    [20, 6],
    [33, 8]
  ] as const) {
    it(`n=${n} nb=${nb} matches float64 and keeps the upper triangle`, () => {
      blockedPolicy.nb = nb
      const b = randn(n * n)
      const a = new Float64Array(n * n)
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let s = i === j ? n : 0
          for (let k = 0; k < n; k++) s += b[i * n + k]! * b[j * n + k]!
          a[i * n + j] = s
        }
      const ref = new Float64Array(n * n)
      for (let j = 0; j < n; j++) {
        let s = a[j * n + j]!
        for (let k = 0; k < j; k++) s -= ref[j * n + k]! ** 2
        ref[j * n + j] = Math.sqrt(s)
        for (let i = j + 1; i < n; i++) {
          let t = a[i * n + j]!
          for (let k = 0; k < j; k++) t -= ref[i * n + k]! * ref[j * n + k]!
          ref[i * n + j] = t / ref[j * n + j]!
        }
      }
      const W = Float32Array.from(a)
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) W[i * n + j] = 99
      expect(choleskyBlocked(W, 0, n)).toBe(true)
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(W[i * n + j]).toBe(99)
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) W[i * n + j] = 0
      expect(maxDiff(W, ref)).toBeLessThan(1e-5 * n)
    })
  }

  it("reports a matrix that is not positive definite, also when the failing pivot is in a later block", () => {
    blockedPolicy.nb = 2
    const n = 5
    const W = new Float32Array(n * n)
    for (let i = 0; i < n; i++) W[i * n + i] = i === 3 ? -1 : 1
    expect(choleskyBlocked(W, 0, n)).toBe(false)
  })
})

describe("blocked triangular substitution", () => {
  for (const lower of [true, false]) {
    for (const [m, n, nb] of [
      [9, 4, 4],
      [25, 7, 6],
      [12, 1, 5]
    ] as const) {
      it(`${lower ? "lower" : "upper"} m=${m} n=${n} nb=${nb}: M Y = C`, () => {
        blockedPolicy.nb = nb
        const M = Float32Array.from(randn(m * m), (v, i) => (i % (m + 1) === 0 ? 2 + v : v))
        // garbage in the other triangle must not be read
        for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (lower ? j > i : j < i) M[i * m + j] = NaN
        const C = Float32Array.from(randn(m * n))
        const Y = Float32Array.from(C)
        substituteBlocked(M, Y, m, n, lower)
        // residual M Y - C in float64
        for (let i = 0; i < m; i++)
          for (let c = 0; c < n; c++) {
            let s = 0
            for (let k = lower ? 0 : i; k <= (lower ? i : m - 1); k++) s += M[i * m + k]! * Y[k * n + c]!
            expect(Math.abs(s - C[i * n + c]!)).toBeLessThan(1e-5)
          }
      })
    }
  }
})

describe("blocked LU", () => {
  for (const [m, n, nb] of [
    [10, 10, 3],
    [17, 9, 4],
    [8, 19, 3],
    [30, 30, 7]
  ] as const) {
    it(`m=${m} n=${n} nb=${nb}: P A = L U with the unblocked pivots`, () => {
      blockedPolicy.nb = nb
      const a = randn(m * n)
      const k = Math.min(m, n)
      const W = Float32Array.from(a)
      const piv = new Int32Array(k)
      const perm = Int32Array.from({ length: m }, (_, i) => i)
      luBlocked(W, 0, m, n, piv, 0, perm, 0)
      // the unblocked float64 factorization chooses the same pivots (no near ties here)
      const R = Float64Array.from(Float32Array.from(a))
      const rpiv: number[] = []
      for (let j = 0; j < k; j++) {
        let best = j
        for (let i = j + 1; i < m; i++) if (Math.abs(R[i * n + j]!) > Math.abs(R[best * n + j]!)) best = i
        rpiv.push(best)
        for (let c = 0; c < n; c++) [R[j * n + c], R[best * n + c]] = [R[best * n + c]!, R[j * n + c]!]
        for (let i = j + 1; i < m; i++) {
          R[i * n + j] = R[i * n + j]! / R[j * n + j]!
          for (let c = j + 1; c < n; c++) R[i * n + c] = R[i * n + c]! - R[i * n + j]! * R[j * n + c]!
        }
      }
      expect([...piv]).toEqual(rpiv)
      expect(maxDiff(W, R)).toBeLessThan(1e-4)
      // perm is the row order of P A
      const rows = Array.from({ length: m }, (_, i) => i)
      rpiv.forEach((p, j) => ([rows[j], rows[p]] = [rows[p]!, rows[j]!]))
      expect([...perm]).toEqual(rows)
    })
  }
})
