/**
 * The paths eigh and svd take for larger matrices (eigh-tridiagonal.ts: tridiagonal reduction +
 * implicit QL; svd-precondition.ts: Jacobi sweeps after rotating by the Gram matrix's
 * eigenvectors), checked by what defines the result: A V = V diag(w) with V orthonormal, and
 * A = U S V^T with orthonormal U, V and descending S; plus the QL routine alone in float64 on
 * edge cases (repeated eigenvalues, diagonal, 1 x 1, 0 x 0).
 */
import { describe, expect, it } from "vitest"
import { type Array, np, random } from "../../../index.js"
import { blockedPolicy } from "./blocked.js"
import { eighTridiagonal } from "./eigh-tridiagonal.js"

const maxAbs = (x: Array): number => np.max(np.abs(x)).item() as number

describe("eighTridiagonal (float64)", () => {
  const check = (a: Float64Array, n: number, tol: number) => {
    const res = eighTridiagonal(Float64Array.from(a), n)
    expect(res).not.toBeNull()
    const [w, z] = res!
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < n; r++) {
        let av = 0
        for (let k = 0; k < n; k++) av += a[r * n + k]! * z[i * n + k]!
        expect(Math.abs(av - w[i]! * z[i * n + r]!)).toBeLessThan(tol)
      }
      for (let j = 0; j < n; j++) {
        let d = 0
        for (let k = 0; k < n; k++) d += z[i * n + k]! * z[j * n + k]!
        expect(Math.abs(d - (i === j ? 1 : 0))).toBeLessThan(tol)
      }
    }
    return [...w].sort((x, y) => x - y)
  }

  it("random symmetric 17 x 17", () => {
    const n = 17
    const a = new Float64Array(n * n)
    let s = 7
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        s = (s * 16807) % 2147483647
        a[i * n + j] = a[j * n + i] = s / 2147483647 - 0.5
      }
    check(a, n, 1e-12)
  })

  it("repeated eigenvalues, a diagonal matrix, 1 x 1 and 0 x 0", () => {
    // Q diag(1, 1, 1, 2) Q^T with a Householder Q
    const v = [0.5, -0.5, 0.5, 0.5]
    const q = (i: number, j: number) => (i === j ? 1 : 0) - 2 * v[i]! * v[j]!
    const d = [1, 1, 1, 2]
    const a = new Float64Array(16)
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 4; k++) a[i * 4 + j] = a[i * 4 + j]! + q(i, k) * d[k]! * q(j, k)
    const w = check(a, 4, 1e-12)
    w.forEach((x, i) => expect(x).toBeCloseTo(d[i]!, 12))
    expect(check(Float64Array.from([3, 0, 0, 0, -1, 0, 0, 0, 2]), 3, 1e-15)).toEqual([-1, 2, 3])
    expect(check(Float64Array.from([5]), 1, 1e-15)).toEqual([5])
    expect(eighTridiagonal(new Float64Array(0), 0)![0].length).toBe(0)
  })

  it("refuses non-finite input (null: the kernel returns NaNs)", () => {
    expect(eighTridiagonal(Float64Array.from([1, NaN, NaN, 1]), 2)).toBeNull()
  })
})

describe("eigh and svd above the thresholds (float32, through np.linalg)", () => {
  it(`eigh of a ${blockedPolicy.eighTridiagonalMinN + 2} x same symmetric matrix: A V = V diag(w), V orthonormal, w ascending`, () => {
    const n = blockedPolicy.eighTridiagonalMinN + 2
    const b = random.normal(random.key(1), [n, n])
    const a = b.add(np.swapaxes(b, 0, 1))
    const [w, v] = np.linalg.eigh(a)
    expect(maxAbs(np.matmul(a, v).sub(v.mul(w)))).toBeLessThan(1e-4 * maxAbs(w))
    expect(maxAbs(np.matmul(np.swapaxes(v, 0, 1), v).sub(np.eye(n)))).toBeLessThan(1e-5)
    const ws = w.toJs() as number[]
    ws.slice(1).forEach((x, i) => expect(x).toBeGreaterThanOrEqual(ws[i]!))
  })

  it("svd of a tall and a wide matrix: A = U S V^T, orthonormal factors, S descending", () => {
    const k = blockedPolicy.svdPreconditionMinN + 2
    for (const shape of [
      [k + 7, k],
      [k, k + 5]
    ]) {
      const a = random.normal(random.key(shape[0]!), shape)
      const [u, s, vt] = np.linalg.svd(a, { fullMatrices: false })
      expect(maxAbs(np.matmul(u.mul(s), vt).sub(a))).toBeLessThan(1e-5 * maxAbs(s))
      expect(maxAbs(np.matmul(np.swapaxes(u, 0, 1), u).sub(np.eye(k)))).toBeLessThan(1e-5)
      expect(maxAbs(np.matmul(vt, np.swapaxes(vt, 0, 1)).sub(np.eye(k)))).toBeLessThan(1e-5)
      const ss = s.toJs() as number[]
      ss.slice(1).forEach((x, i) => expect(x).toBeLessThanOrEqual(ss[i]!))
    }
  })
})
