import { describe, expect, it } from "vitest"
import { type Array, grad, jit, lax, makeJaxpr, np, ValueError, vmap } from "../../index.js"

const f32 = (xs: number[]): Array => np.array(xs, { dtype: "float32" })

describe("lax.platformDependent", () => {
  const branches = { cpu: (x: Array) => x.mul(2), webgpu: (x: Array) => x.add(100), default: (x: Array) => x.add(1) }

  it("calls the branch of the platform the computation runs on (cpu here), eagerly and under jit and grad", () => {
    expect(lax.platformDependent(branches, f32([1, 2])).toJs()).toEqual([2, 4])
    expect(jit((x: Array) => lax.platformDependent(branches, x))(f32([3])).toJs()).toEqual([6])
    expect(grad((x: Array) => np.sum(lax.platformDependent(branches, x)))(f32([1, 1])).toJs()).toEqual([2, 2])
  })

  it("falls back to default, and says what to give when neither the platform nor a default has a branch", () => {
    expect(lax.platformDependent({ default: (x: Array) => x.add(1) }, f32([1])).toJs()).toEqual([2])
    expect(() => lax.platformDependent({ webgpu: (x: Array) => x }, f32([1]))).toThrow(
      /no branch for platform "cpu" and no default; give a cpu branch or a default one/
    )
    expect(() => lax.platformDependent({ cuda: (x: Array) => x } as never, f32([1]))).toThrow(ValueError)
  })
})

describe("lax.composite", () => {
  const tangent = lax.composite((x: Array) => np.sin(x).div(np.cos(x)), "my.tangent")

  it("has its decomposition's values, gradient and batching (against float64 Math.tan)", () => {
    const xs = [0, 0.5, -1.2]
    const y = tangent(f32(xs)).toJs() as number[]
    y.forEach((v, i) => expect(v).toBeCloseTo(Math.tan(xs[i]!), 6))
    const g = grad((x: Array) => np.sum(tangent(x)))(f32(xs)).toJs() as number[]
    g.forEach((v, i) => expect(v).toBeCloseTo(1 / Math.cos(xs[i]!) ** 2, 5))
    const b = vmap(tangent)(np.array([[0.1], [0.2]], { dtype: "float32" })).toJs() as number[][]
    expect(b.map((r) => r[0]!)).toEqual([0.1, 0.2].map((x) => Math.fround(Math.fround(Math.sin(Math.fround(x))) / Math.fround(Math.cos(Math.fround(x))))))
  })

  it("is one call in the jaxpr, named after the composite and its version", () => {
    const text = makeJaxpr((x: Array) => lax.composite((y: Array) => y.mul(2), "double", 3)(x))(f32([1])).toString()
    expect(text).toMatch(/name=double\.v3/)
    expect(text.match(/jit\[/g)?.length).toBe(1)
  })

  it("refuses a bad name or version", () => {
    expect(() => lax.composite((x: Array) => x, "")).toThrow(/name must be a non-empty string/)
    expect(() => lax.composite((x: Array) => x, "a", -1)).toThrow(/version must be a non-negative integer/)
  })
})

describe("lax.pbroadcast", () => {
  it("gives every member the source member's value, and the gradient back to the source only", () => {
    const x = np.array([5, 6, 7], { dtype: "float32" })
    expect(vmap((v: Array) => lax.pbroadcast(v, "i", 2), { axisName: "i" })(x).toJs()).toEqual([7, 7, 7])
    const w = np.array([1, 10, 100], { dtype: "float32" })
    // sum_j w_j * x_source: d/dx_source = sum(w) = 111, the other members 0
    const g = grad((v: Array) => np.sum(vmap((a: Array, b: Array) => lax.pbroadcast(a, "i", 1).mul(b), { axisName: "i" })(v, w)))(x)
    expect(g.toJs()).toEqual([0, 111, 0])
  })

  it("refuses a source that is not a member", () => {
    expect(() => vmap((v: Array) => lax.pbroadcast(v, "i", 3), { axisName: "i" })(np.ones([3]))).toThrow(
      /source must be a member index in 0\.\.2 of axis "i", got 3/
    )
  })
})
