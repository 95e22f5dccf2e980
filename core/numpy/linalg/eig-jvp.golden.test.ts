/**
 * The jvp of lax.linalg.eig as JAX defines it, against real JAX (golden/eig_extra.py): the
 * eigenvalues' tangent always (diag(V^-1 dA V)), the left and right eigenvectors' tangents with
 * `enableEigvecDerivs` (LAPACK's normalization differentiated); and against central finite
 * differences of the eigenvectors themselves, in float64.
 */
import { describe, expect, it } from "vitest"
import { loadGolden } from "../../../golden/load.js"
import { type Array, grad, jvp, lax, np, vmap } from "../../../index.js"
import { type Case, close, toArray } from "./eig-golden.test-helpers.js"

const cases = loadGolden<Case>("eig_extra").cases
const eigAll = (x: Array): Array[] => lax.linalg.eig(x, { enableEigvecDerivs: true })
const eigvals = (x: Array): Array => lax.linalg.eig(x, { computeLeftEigenvectors: false, computeRightEigenvectors: false })[0]!

describe("eig's jvp matches JAX's (golden/eig_extra.py)", () => {
  for (const c of cases.filter((x) => x.id.startsWith("jvp "))) {
    it(`${c.id}: w, vl, vr and their tangents with enableEigvecDerivs`, () => {
      const [a, da] = [toArray(c.args[0]!), toArray(c.args[1]!)]
      const [outs, tans] = jvp(eigAll, [a], [da])
      const names = ["w", "vl", "vr"]
      outs.forEach((o, i) => close(o, c.out[i]!, 1e-11, names[i]!))
      tans.forEach((t, i) => close(t, c.out[3 + i]!, 1e-9, `d${names[i]}`))
    })
  }
  for (const c of cases.filter((x) => x.id.startsWith("jvpvals "))) {
    it(`${c.id}: the eigenvalues' tangent`, () => {
      const [w, dw] = jvp(eigvals, [toArray(c.args[0]!)], [toArray(c.args[1]!)])
      close(w, c.out[0]!, 1e-11, "w")
      close(dw, c.out[1]!, 1e-9, "dw")
    })
  }

  it("under vmap, the batch's tangents equal JAX's", () => {
    const c = cases.find((x) => x.id === "jvp batch")!
    const [a, da] = [toArray(c.args[0]!), toArray(c.args[1]!)]
    const tans = vmap((x: Array, t: Array) => jvp(eigAll, [x], [t])[1])(a, da)
    tans.forEach((t, i) => close(t, c.out[3 + i]!, 1e-9, `batched tangent ${i}`))
  })

  it("the eigenvectors' tangent equals central finite differences (float64)", () => {
    const c = cases.find((x) => x.id === "jvp random4")!
    const [a, da] = [toArray(c.args[0]!), toArray(c.args[1]!)]
    const [, tans] = jvp(eigAll, [a], [da])
    const h = 1e-6
    const plus = eigAll(a.add(da.mul(h)))
    const minus = eigAll(a.sub(da.mul(h)))
    tans.forEach((t, i) => {
      const fd = plus[i]!.sub(minus[i]!).div(2 * h)
      const err = np.max(np.abs(t.sub(fd))).item() as number
      expect(err, `output ${i}`).toBeLessThan(1e-6)
    })
  })

  it("grad of a real function of the eigenvectors equals finite differences", () => {
    const a = toArray(cases.find((x) => x.id === "jvp random5")!.args[0]!)
    const loss = (x: Array) => np.sum(np.abs(eigAll(x)[2]!).mul(np.arange(25).astype("float64").reshape([5, 5])))
    const g = grad(loss)(a).data() as Float64Array
    const base = a.data() as Float64Array
    const h = 1e-6
    for (let i = 0; i < 25; i += 3) {
      const at = (d: number) => {
        const b = Float64Array.from(base)
        b[i] = b[i]! + d
        return loss(np.array(b, { dtype: "float64" }).reshape([5, 5])).item() as number
      }
      expect(Math.abs(g[i]! - (at(h) - at(-h)) / (2 * h)), `entry ${i}`).toBeLessThan(1e-5)
    }
  })

  it("refuses the eigenvectors' derivative unless enableEigvecDerivs, saying how to opt in", () => {
    const a = toArray(cases.find((x) => x.id === "jvp random4")!.args[0]!)
    expect(() => jvp((x: Array) => lax.linalg.eig(x), [a], [a])).toThrow(/enableEigvecDerivs: true/)
    expect(() => lax.linalg.eig(a, { enableEigvecDeriv: true } as never)).toThrow(/enableEigvecDeriv/)
  })
})
