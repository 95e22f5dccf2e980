/**
 * eig of matrices that LAPACK's balancing changes (permutations isolating eigenvalues, badly
 * scaled rows and columns) and np.roots, against real JAX on CPU (golden/eig_extra.py): the
 * eigenvalues in JAX's order and, for float64 and complex inputs, the eigenvectors entry for entry.
 */
import { describe, expect, it } from "vitest"
import { loadGolden } from "../../../golden/load.js"
import { type Array, jit, lax, np } from "../../../index.js"
import { type Case, close, pairs, toArray } from "./eig-golden.test-helpers.js"

const cases = loadGolden<Case>("eig_extra").cases

// Eigenvectors of a defective eigenvalue (the double zero of this companion matrix) are not
// determined; LAPACK's perturbed substitution and ours give different (parallel or zero) columns.
const defective = new Set(["eig companion_zero_roots f64"])
// The eigenvectors of a matrix whose rows span 17 orders of magnitude (its tiny eigenvalue -2.7e-8
// beside 9.3e8) are ill-conditioned: they agree with LAPACK's to 1e-7.
const illConditioned = new Set(["eig badly_scaled_rows f64"])

/** The eigenvalues as a list of [re, im], sorted (for comparing as multisets). */
type Array2 = [number, number]
const sortedPairs = (p: ReadonlyArray<number>): Array2[] =>
  globalThis.Array.from({ length: p.length / 2 }, (_, i): [number, number] => [p[2 * i]!, p[2 * i + 1]!]).sort((a, b) => a[0] - b[0] || a[1] - b[1])

describe("eig after LAPACK's balancing matches JAX (golden/eig_extra.py)", () => {
  for (const c of cases.filter((x) => x.id.startsWith("eig ") && !x.id.endsWith("f32"))) {
    it(c.id, () => {
      const a = toArray(c.args[0]!)
      const [w, vl, vr] = lax.linalg.eig(a)
      close(w!, c.out[0]!, 1e-11, "w")
      if (defective.has(c.id)) return
      const tol = illConditioned.has(c.id) ? 1e-6 : 1e-11
      close(vl!, c.out[1]!, tol, "vl")
      close(vr!, c.out[2]!, tol, "vr")
    })
  }
  // float32 input is decomposed in float64 and rounded: JAX's float32 sgeev loses accuracy on these
  // badly scaled matrices (3% on "badly_scaled") and may converge in another order, so the
  // eigenvalues are compared, as sets, with JAX's float64 ones.
  for (const c of cases.filter((x) => x.id.startsWith("eig ") && x.id.endsWith("f32"))) {
    it(`${c.id} (against JAX's float64 eigenvalues)`, () => {
      const want = sortedPairs(pairs(cases.find((x) => x.id === c.id.replace("f32", "f64"))!.out[0]!))
      const got = sortedPairs(globalThis.Array.from(np.linalg.eigvals(toArray(c.args[0]!)).data() as Float32Array))
      const scale = Math.max(...want.map(([re, im]) => Math.hypot(re, im)))
      got.forEach(([re, im], i) => expect(Math.hypot(re - want[i]![0], im - want[i]![1]), `w[${i}]`).toBeLessThanOrEqual(1e-6 * scale))
    })
  }
})

describe("np.roots matches JAX (golden/eig_extra.py)", () => {
  for (const c of cases.filter((x) => x.id.startsWith("roots "))) {
    it(c.id, () => {
      const p = toArray(c.args[0]!)
      const tol = c.args[0]!.dtype === "float32" ? 2e-5 : 1e-12
      const stripZeros = !c.id.endsWith("nostrip")
      close(np.roots(p, { stripZeros }), c.out as never, tol, "roots")
      if (!stripZeros) close(jit((x: Array) => np.roots(x, { stripZeros: false }))(p), c.out as never, tol, "roots under jit")
    })
  }

  it("refuses a traced count of leading zeros and a 2-D input, with what to do", () => {
    expect(() => jit((x: Array) => np.roots(x))(np.array([0, 1, 2], { dtype: "float32" }))).toThrow(/stripZeros: false/)
    expect(() => np.roots(np.zeros([2, 2]))).toThrow(/1-D/)
    expect(() => np.roots([1, 2], { strip: true } as never)).toThrow(/strip/)
  })
})
