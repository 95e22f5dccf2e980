/**
 * scipy.linalg.schur and lax.linalg.schur against real JAX on CPU (golden/eig_extra.py): the
 * Schur form is not unique, so what is well-defined is compared: z orthogonal (unitary),
 * z t z^H = a, t quasi-upper-triangular (real) or upper triangular (complex), and t's eigenvalues
 * equal to those of JAX's t, as sets; t and z entry for entry where LAPACK's steps are reproduced
 * (float64). Also under vmap, and the refusals.
 */
import { describe, expect, it } from "vitest"
import { loadGolden } from "../../../golden/load.js"
import { type Array, lax, np, scipy, vmap } from "../../../index.js"
import { type Case, pairs, toArray } from "../../numpy/linalg/eig-golden.test-helpers.js"

const cases = loadGolden<Case>("eig_extra").cases.filter((c) => c.id.startsWith("schur"))
const values = (x: Array): number[] => globalThis.Array.from(x.data() as ArrayLike<number>)
const maxAbs = (x: Array): number => np.max(np.abs(x)).item() as number
const sorted = (w: number[]): number[][] =>
  globalThis.Array.from({ length: w.length / 2 }, (_, i) => [w[2 * i]!, w[2 * i + 1]!]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!)

describe("scipy.linalg.schur matches JAX's where it is determined (golden/eig_extra.py)", () => {
  for (const c of cases.filter((x) => !x.id.includes("batch"))) {
    it(c.id, () => {
      const a = toArray(c.args[0]!)
      const complexOut = c.id.startsWith("schurc")
      const [t, z] = scipy.linalg.schur(a, { output: complexOut ? "complex" : "real" })
      const tol = c.args[0]!.dtype === "float32" ? 1e-5 : 1e-12
      const scale = 1 + maxAbs(a)
      expect(t.dtype).toBe(c.out[0]!.dtype)
      expect(t.shape).toEqual(c.out[0]!.shape)
      const n = a.shape[0]!
      const zh = lax.conj(z.T)
      expect(maxAbs(np.matmul(zh, z).sub(np.eye(n)))).toBeLessThan(10 * tol * n)
      expect(maxAbs(np.matmul(np.matmul(z, t), zh).sub(a))).toBeLessThan(10 * tol * n * scale)
      // below the subdiagonal zero; real output: no two consecutive nonzero subdiagonal entries
      const tv = pairs({ dtype: "complex128", shape: t.shape, data: values(complexOut ? np.abs(t) : t) } as never)
      for (let r = 0; r < n; r++) for (let col = 0; col < r - (complexOut ? 0 : 1); col++) expect(tv[2 * (r * n + col)]).toBe(0)
      for (let r = 1; r + 1 < n; r++) expect(tv[2 * (r * n + r - 1)]! !== 0 && tv[2 * ((r + 1) * n + r)]! !== 0).toBe(false)
      // eigenvalues of t, as sets, against those of JAX's t
      const want = sorted(values(np.linalg.eigvals(toArray(c.out[0]!)).astype("complex128")))
      const got = sorted(values(np.linalg.eigvals(t).astype("complex128")))
      // nearest-neighbour matching (a conjugate pair's order under sorting depends on rounding)
      got.forEach(([re, im], i) => {
        const d = Math.min(...want.map(([wr, wi]) => Math.hypot(re! - wr!, im! - wi!)))
        expect(d, `eigenvalue ${i}`).toBeLessThan(100 * tol * scale)
      })
    })
  }

  it("under vmap and batched, as JAX's batch", () => {
    const c = cases.find((x) => x.id === "schur batch f64")!
    const a = toArray(c.args[0]!)
    const [t] = lax.linalg.schur(a)
    const tv = vmap((x: Array) => lax.linalg.schur(x)[0]!)(a)
    expect(maxAbs(t!.sub(tv))).toBe(0)
    const [, z] = scipy.linalg.schur(a)
    expect(maxAbs(np.matmul(np.matmul(z, t!), np.swapaxes(z, -1, -2)).sub(a))).toBeLessThan(1e-12 * 10)
  })

  it("refuses a bad output, a non-square matrix and unknown options", () => {
    expect(() => scipy.linalg.schur(np.eye(2), { output: "both" as never })).toThrow(/output/)
    expect(() => scipy.linalg.schur(np.ones([2, 3]))).toThrow(/square/)
    expect(() => lax.linalg.schur(np.eye(2), { vectors: true } as never)).toThrow(/vectors/)
  })
})
