/**
 * np.linalg.eig / eigvals and lax.linalg.eig through the public API against real JAX on CPU
 * (golden/eig.py): eigenvalues in JAX's order, right and left eigenvectors entry for entry where
 * LAPACK's rounding is reproduced (float64 and complex inputs), eager, under jit and vmap; and the
 * derivative of the eigenvalues against central finite differences in float64.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, loadGolden } from "../../../golden/load.js"
import { type Array, grad, jit, lax, np, vmap } from "../../../index.js"
import { pairs, toArray } from "./eig-golden.test-helpers.js"

interface Case {
  readonly id: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: ReadonlyArray<GoldenArray>
}

const cases = loadGolden<Case>("eig").cases.filter((c) => !c.id.startsWith("roots"))
const close = (got: Array, want: GoldenArray, tol: number, what: string) => {
  expect(got.shape, what).toEqual(want.shape)
  expect(got.dtype, what).toBe(want.dtype)
  const g = globalThis.Array.from(got.data() as ArrayLike<number>)
  const w = pairs(want)
  const scale = 1 + Math.max(...w.map(Math.abs))
  w.forEach((v, i) => expect(Math.abs(g[i]! - v), `${what}[${i}]: ${g[i]} vs ${v}`).toBeLessThanOrEqual(tol * scale))
}

describe("eig through the public API matches JAX (golden/eig.py)", () => {
  for (const c of cases) {
    it(c.id, () => {
      const a = toArray(c.args[0]!)
      const exact = c.args[0]!.dtype !== "float32"
      const tol = c.args[0]!.dtype.endsWith("64") && c.args[0]!.dtype !== "complex64" ? 1e-12 : 2e-5
      const [w, vl, vr] = lax.linalg.eig(a)
      close(w!, c.out[0]!, tol, "w")
      if (exact) {
        close(vl!, c.out[1]!, tol, "vl")
        close(vr!, c.out[2]!, tol, "vr")
      }
      close(np.linalg.eigvals(a), c.out[0]!, tol, "eigvals")
      const [w2, v2] = np.linalg.eig(a)
      close(w2, c.out[0]!, tol, "np w")
      if (exact) close(v2, c.out[2]!, tol, "np v")
    })
  }

  it("under jit and vmap", () => {
    const c = cases.find((x) => x.id === "batch f64")!
    const a = toArray(c.args[0]!)
    close(jit((x: Array) => np.linalg.eigvals(x))(a), c.out[0]!, 1e-12, "jit")
    close(vmap((x: Array) => np.linalg.eig(x)[1])(a), c.out[2]!, 1e-12, "vmap")
  })

  it("the eigenvalues' derivative matches central finite differences (float64, real and complex pairs)", () => {
    const a = toArray(cases.find((x) => x.id === "random5 f64")!.args[0]!)
    const cRe = np.array([0.3, -0.7, 0.5, 1.1, -0.2], { dtype: "float64" })
    const cIm = np.array([0.9, 0.4, -0.6, 0.25, 0.8], { dtype: "float64" })
    const loss = (x: Array) => {
      const w = np.linalg.eigvals(x)
      return np.sum(lax.real(w).mul(cRe).add(lax.imag(w).mul(cIm)))
    }
    const g = grad(loss)(a).data() as Float64Array
    const base = a.data() as Float64Array
    const h = 1e-6
    for (let i = 0; i < 25; i++) {
      const at = (d: number) => {
        const b = Float64Array.from(base)
        b[i] = b[i]! + d
        return loss(np.array(b, { dtype: "float64" }).reshape([5, 5])).item() as number
      }
      expect(Math.abs(g[i]! - (at(h) - at(-h)) / (2 * h)), `entry ${i}`).toBeLessThan(1e-6)
    }
  })
})
