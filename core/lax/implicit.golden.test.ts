import { describe, expect, it } from "vitest"
import { type Array as JArray, grad, jit, jvp, lax, np, ValueError, vmap } from "../../index.js"
import { describeGoldenCalls, type GoldenCalls } from "../numpy/golden-helpers.js"

const newton = (f: (x: JArray) => JArray, x0: JArray): JArray => lax.forILoop(0, 30, (_i, x: JArray) => x.sub(f(x).div(x.mul(2))), x0)
const sqrtRoot = (a: JArray): JArray =>
  lax.customRoot(
    (x: JArray) => x.mul(x).sub(a),
    np.onesLike(a),
    newton,
    (g, y) => y.div(g(np.onesLike(y)))
  )
const solveSym = (a: JArray, b: JArray): JArray =>
  lax.customLinearSolve(
    (v: JArray) => np.matmul(a, v),
    b,
    (_mv, r) => np.linalg.solve(a, r),
    { symmetric: true }
  )
const solveT = (a: JArray, b: JArray): JArray =>
  lax.customLinearSolve(
    (v: JArray) => np.matmul(a, v),
    b,
    (_mv, r) => np.linalg.solve(a, r),
    { transposeSolve: (_vm, r) => np.linalg.solve(a.T, r) }
  )
const solvePlain = (a: JArray, b: JArray): JArray =>
  lax.customLinearSolve(
    (v: JArray) => np.matmul(a, v),
    b,
    (_mv, r) => np.linalg.solve(a, r)
  )
const f32 = (v: number): JArray => np.array(v, { dtype: "float32" })

// Each golden id names the call (golden/lax_implicit.py makes the same one in JAX); tol: relative.
const calls: GoldenCalls = {
  "root value": [(a) => vmap(sqrtRoot)(a!), 1e-6],
  "root grad": [(a) => vmap(grad(sqrtRoot))(a!), 1e-6],
  "root jvp": [(a) => jvp(sqrtRoot, [a!.index(0)], [f32(1)])[1], 1e-6],
  "solve symmetric": [(a, b) => solveSym(a!, b!), 1e-6],
  "solve symmetric grad": [(a, b, w) => grad((p: JArray, q: JArray) => np.sum(solveSym(p, q).mul(w!)), { argnums: [0, 1] })(a!, b!), 1e-5],
  "solve transpose grad": [(a, b, w) => grad((p: JArray, q: JArray) => np.sum(solveT(p, q).mul(w!)), { argnums: [0, 1] })(a!, b!), 1e-5],
  "solve jvp": [(a, b) => jvp(solvePlain, [a!, b!], [np.onesLike(a!), np.array([1, 2, -1], { dtype: "float32" })])[1], 1e-5]
}

describeGoldenCalls("lax.customRoot / customLinearSolve equal JAX's values and implicit derivatives", "lax_implicit", calls)

describe("customRoot and customLinearSolve", () => {
  it("never differentiates the solver: a solver with a non-differentiable step still gets the implicit gradient", () => {
    // sign() has a zero derivative; differentiating the iterations would give 0, not 1/(2 sqrt a)
    const root = (a: JArray) =>
      lax.customRoot(
        (x: JArray) => x.mul(x).sub(a),
        f32(1),
        (f, x0) => lax.forILoop(0, 30, (_i, x: JArray) => x.sub(f(x).div(x.mul(2))).mul(np.sign(x)), x0),
        (g, y) => y.div(g(f32(1)))
      )
    expect(grad(root)(f32(16)).item()).toBeCloseTo(0.125, 6)
    expect(jit(grad(root))(f32(16)).item()).toBeCloseTo(0.125, 6)
  })
  it("hasAux returns the solver's aux; unknown options are refused", () => {
    const [x, aux] = lax.customLinearSolve(
      (v: JArray) => v.mul(2),
      f32(3),
      (_mv, r) => [r.div(2), "done"] as const,
      { hasAux: true }
    )
    expect([x.item(), aux]).toEqual([1.5, "done"])
    expect(() =>
      lax.customLinearSolve(
        (v: JArray) => v,
        f32(1),
        (_mv, r) => r,
        { symetric: true } as never
      )
    ).toThrow(ValueError)
    expect(() =>
      lax.customLinearSolve(
        (v: JArray) => v,
        f32(1),
        (_mv, r) => r as never,
        { hasAux: true }
      )
    ).toThrow(/\[x, aux\]/)
  })
})
