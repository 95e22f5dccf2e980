import { describe, expect, it } from "vitest"
import { type Array, checkpoint, customJvp, customVjp, grad, jacfwd, jacrev, jit, jvp, linearize, makeJaxpr, np, ValueError, vmap } from "../../index.js"

const f32 = (v: Parameters<typeof np.asarray>[0]) => np.asarray(v, { dtype: "float32" })

describe("customJvp", () => {
  // The chapter's example: log(1 + e^x) differentiates to e^x / (1 + e^x), which is inf/inf = NaN at x = 100.
  const naive = (x: Array) => np.log1p(np.exp(x))
  const log1pexp = customJvp((x: Array) => np.log1p(np.exp(x)))
  log1pexp.defjvp(([x], [t]) => [log1pexp(x), t.mul(np.subtract(1, np.divide(1, np.add(1, np.exp(x)))))])

  it("the default rule gives NaN at x = 100; the custom rule gives 1", () => {
    expect(Number.isNaN(grad(naive)(f32(100)).item())).toBe(true)
    expect(grad(log1pexp)(f32(100)).item()).toBe(1)
    expect(log1pexp(f32(3)).item()).toBe(naive(f32(3)).item())
  })
  it("composes with jit, vmap, jvp, jacfwd and jacrev", () => {
    expect(jit(grad(log1pexp))(f32(100)).item()).toBe(1)
    expect([...vmap(grad(log1pexp))(f32([0, 100])).data()]).toEqual([0.5, 1])
    expect(jvp(log1pexp, [f32(100)], [f32(2)])[1].item()).toBe(2)
    const x = f32([0, 100])
    expect([...jacfwd(log1pexp)(x).data()]).toEqual([0.5, 0, 0, 1])
    expect([...jacrev(log1pexp)(x).data()]).toEqual([0.5, 0, 0, 1])
  })
  it("differentiating without a rule, or with a rule of the wrong structure, fails clearly", () => {
    const noRule = customJvp((x: Array) => x.mul(2))
    expect(noRule(f32(1)).item()).toBe(2)
    expect(() => grad(noRule)(f32(1))).toThrow(/defjvp/)
    const bad = customJvp((x: Array) => x.mul(2))
    bad.defjvp(([x], [t]) => [x, [t, t]] as unknown as [Array, Array])
    expect(() => grad(bad)(f32(1))).toThrow(ValueError)
  })
})

describe("customVjp", () => {
  const clipGradient = customVjp((lo: number, hi: number, x: Array) => x)
  clipGradient.defvjp(
    (lo, hi, x) => [x, [lo, hi]] as const,
    ([lo, hi], g) => [null, null, np.clip(g, lo, hi)]
  )
  it("uses the backward rule under grad, jit and vmap", () => {
    const loss = (x: Array) => np.sum(clipGradient(-0.5, 0.5, x).mul(3))
    expect([...grad(loss)(f32([1, 2])).data()]).toEqual([0.5, 0.5])
    expect([...jit(grad(loss))(f32([1, 2])).data()]).toEqual([0.5, 0.5])
    expect([...vmap(grad((x: Array) => clipGradient(-0.5, 0.5, x).mul(-3)))(f32([1, 2])).data()]).toEqual([-0.5, -0.5])
  })
  it("refuses forward mode with a message that names the alternatives", () => {
    expect(() => jvp((x: Array) => clipGradient(-1, 1, x), [f32(1)], [f32(1)])).toThrow(/grad\/vjp\/jacrev/)
  })
})

describe("checkpoint", () => {
  const f = (w: Array, x: Array) => np.sin(np.sin(np.sin(x.mul(w))))
  const w = f32([0.5, 0.6])
  const x = f32([1, 2])
  it("gives the same gradients", () => {
    const g = grad((w: Array) => np.sum(f(w, x)))(w)
    const gc = grad((w: Array) => np.sum(checkpoint(f)(w, x)))(w)
    expect([...gc.data()]).toEqual([...g.data()])
    expect([...jit(grad((w: Array) => np.sum(checkpoint(f)(w, x))))(w).data()]).toEqual([...g.data()])
  })
  it("keeps fewer residuals in the linearized program", () => {
    const [, plain] = linearize((w: Array) => np.sum(f(w, x)), w)
    const [, remat] = linearize((w: Array) => np.sum(checkpoint(f)(w, x)), w)
    // residuals are the linear program's constants: the cosines of every layer vs only the inputs
    const count = (lin: (t: Array) => Array) => makeJaxpr(lin)(w).jaxpr.constVars.length
    expect(count(plain)).toBeGreaterThanOrEqual(4)
    expect(count(remat)).toBeLessThan(count(plain))
    expect(makeJaxpr(remat)(w).toString()).toContain("checkpoint[")
  })
})
