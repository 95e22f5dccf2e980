/**
 * The blocked float32 QR against the unblocked Householder QR run in float64 (the same LAPACK
 * conventions, so the same signs), with block sizes that leave ragged last panels, on tall, wide
 * and square matrices, and Q's reduced and complete forms. Called directly (no device); through
 * the public API, a float32 matrix above the policy's threshold is compared with the float64 one.
 */
import { afterEach, describe, expect, it } from "vitest"
import { np } from "../../../index.js"
import { blockedPolicy } from "./blocked.js"
import { factor, formQ } from "./householder.js"
import { formQBlocked, qrBlocked } from "./qr-blocked.js"

let seed = 987
const rand = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648 - 0.5
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let d = 0
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!))
  return d
}

const nb0 = blockedPolicy.nb
afterEach(() => {
  blockedPolicy.nb = nb0
})

describe("blocked QR", () => {
  for (const [m, n, nb] of [
    [12, 12, 5],
    [23, 9, 4],
    [9, 20, 3],
    [31, 17, 8],
    [6, 6, 6]
  ] as const) {
    it(`m=${m} n=${n} nb=${nb}: R and Q (reduced and complete) match float64`, () => {
      blockedPolicy.nb = nb
      const a = Float32Array.from({ length: m * n }, rand)
      const k = Math.min(m, n)
      const W = Float32Array.from(a)
      const blocks = qrBlocked(W, 0, m, n)
      const R = Float64Array.from(a)
      const refl = factor(R, 0, m, n, (len) => new Float64Array(len))
      for (let i = 0; i < m; i++) for (let j = 0; j < Math.min(i, n); j++) expect(W[i * n + j]).toBe(0)
      expect(maxDiff(W, R)).toBeLessThan(2e-5 * Math.sqrt(m))
      for (const cols of [k, m]) {
        const q = formQBlocked(blocks, m, cols)
        const ref = formQ(refl, m, cols, (len) => new Float64Array(len))
        expect(maxDiff(q, ref), `cols ${cols}`).toBeLessThan(2e-5 * Math.sqrt(m))
      }
    })
  }

  it("a zero column (tau 0) and a matrix of zeros give the identity's reflectors", () => {
    blockedPolicy.nb = 3
    const m = 7
    const n = 5
    const a = Float32Array.from({ length: m * n }, (_, i) => (i % n === 1 ? 0 : rand()))
    const W = Float32Array.from(a)
    const q = formQBlocked(qrBlocked(W, 0, m, n), m, m)
    const R = Float64Array.from(a)
    const ref = formQ(
      factor(R, 0, m, n, (len) => new Float64Array(len)),
      m,
      m,
      (len) => new Float64Array(len)
    )
    expect(maxDiff(q, ref)).toBeLessThan(1e-5)
    expect(maxDiff(W, R)).toBeLessThan(1e-5)
    const Z = new Float32Array(m * n)
    expect(
      maxDiff(
        formQBlocked(qrBlocked(Z, 0, m, n), m, m),
        formQ(
          factor(new Float64Array(m * n), 0, m, n, (len) => new Float64Array(len)),
          m,
          m,
          (len) => new Float64Array(len)
        )
      )
    ).toBe(0)
  })

  it("np.linalg.qr of a float32 matrix above the blocked threshold matches float64", () => {
    const m = blockedPolicy.minN + 31
    const n = blockedPolicy.minN + 3
    const a = np.array(
      Array.from({ length: m }, () => Array.from({ length: n }, rand)),
      { dtype: "float64" }
    )
    for (const mode of ["reduced", "complete"] as const) {
      const [q32, r32] = np.linalg.qr(a.astype("float32"), { mode })
      const [q64, r64] = np.linalg.qr(a, { mode })
      expect(maxDiff(q32.data(), q64.data()), mode).toBeLessThan(1e-4)
      expect(maxDiff(r32.data(), r64.data()), mode).toBeLessThan(1e-4)
    }
  })
})
