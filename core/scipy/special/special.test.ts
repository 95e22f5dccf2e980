/**
 * scipy.special beyond the golden values: gradients against float64 central differences (the
 * laws), jit and vmap against eager evaluation, dtypes and weak types, the lax spellings, and the
 * errors for bad arguments.
 */
import { describe, expect, it } from "vitest"
import { type Array, DTypeError, grad, jit, lax, np, scipy, ShapeError, ValueError, vmap } from "../../../index.js"
import * as laws from "../../../laws/index.js"

const { arb } = laws
const sp = scipy.special
const f32 = (xs: ReadonlyArray<number>): Array => np.array(xs, { dtype: "float32" })
const vals = (a: Array): number[] => [...a.data()]
const run = { seed: 13, numRuns: 4 }

const vector = (min: number, max: number, dtype: "float32" | "float64" = "float32") => arb.array({ shape: [3], min, max, dtype })
/** sum(f), jitted: the laws evaluate it many times at one shape, so it compiles once. */
const total = <A extends ReadonlyArray<Array>>(f: (...xs: A) => Array): ((...xs: A) => Array) => {
  const j = jit((...xs: A) => np.sum(f(...xs)))
  return (...xs: A): Array => j(...xs) as Array
}

describe("gradients match float64 central differences", () => {
  const cases: ReadonlyArray<readonly [string, (...xs: Array[]) => Array, ReadonlyArray<ReturnType<typeof vector>>]> = [
    ["gammaln", sp.gammaln, [vector(0.2, 12)]],
    ["gammaln, negative", sp.gammaln, [vector(-3.9, -3.1)]],
    ["digamma", sp.digamma, [vector(0.2, 12)]],
    ["polygamma(2, x)", (x) => sp.polygamma(2, x), [vector(0.3, 6)]],
    ["zeta", sp.zeta, [vector(1.5, 5), vector(0.5, 4)]],
    ["betaln", sp.betaln, [vector(0.3, 20), vector(0.3, 20)]],
    ["gammainc", sp.gammainc, [vector(0.3, 15), vector(0.1, 20)]],
    ["gammaincc", sp.gammaincc, [vector(0.3, 15), vector(0.1, 20)]],
    // JAX refuses d/da and d/db; here they are checked as well
    ["betainc", sp.betainc, [vector(0.3, 8), vector(0.3, 8), vector(0.05, 0.95)]],
    ["erfc", sp.erfc, [vector(-4, 4)]],
    ["erfcx", sp.erfcx, [vector(-2, 8)]],
    ["logNdtr", (x) => sp.logNdtr(x), [vector(-30, 5)]],
    ["ndtri", sp.ndtri, [vector(0.02, 0.98)]],
    ["i0e", sp.i0e, [vector(-12, 12)]],
    ["i1e", sp.i1e, [vector(-12, 12)]],
    ["poch", sp.poch, [vector(0.5, 5), vector(0.2, 3)]],
    ["xlogy", sp.xlogy, [vector(-2, 2), vector(0.2, 4)]],
    ["logsumexp with b", (a, b) => sp.logsumexp(a, { b }), [vector(-3, 3), vector(0.1, 2)]]
  ]
  for (const [name, f, arbs] of cases) {
    it(name, () => {
      laws.check(laws.gradMatchesFiniteDifferences(total(f), arbs as never, { rtol: 5e-3, atol: 1e-4 }), run)
    })
  }

  it("float64 gradients agree with differences to 1e-6 (lgamma, igamma, betainc)", () => {
    const opts = { rtol: 1e-6, atol: 1e-9, gradDtype: "float64" as const }
    laws.check(laws.gradMatchesFiniteDifferences(total(sp.gammaln), [vector(0.2, 12, "float64")], opts), run)
    laws.check(laws.gradMatchesFiniteDifferences(total(sp.gammainc), [vector(0.5, 10, "float64"), vector(0.2, 15, "float64")], opts), run)
    laws.check(
      laws.gradMatchesFiniteDifferences(total(sp.betainc), [vector(0.5, 6, "float64"), vector(0.5, 6, "float64"), vector(0.1, 0.9, "float64")], opts),
      run
    )
  })

  it("d/da of gammainc at integer a, where the continued fraction terminates but its derivative does not", () => {
    // JAX: lax.igamma_grad_a([2, 3], [3, 3.5]) = [-0.19742535, -0.21098424]
    const g = grad((a: Array) => np.sum(sp.gammainc(a, f32([3, 3.5]))))(f32([2, 3]))
    vals(g).forEach((v, i) => expect(v).toBeCloseTo([-0.19742535, -0.21098424][i]!, 6))
    // d/db of betainc(1, b, 0.3) = -(0.7^b) log(0.7) at b = 1, where the fraction has two terms
    const db = grad((b: Array) => np.sum(sp.betainc(1, b, 0.3)))(f32([1]))
    expect(vals(db)[0]).toBeCloseTo(-0.7 * Math.log(0.7), 6)
  })
})

describe("jit and vmap agree with eager evaluation", () => {
  const tolerance = { rtol: 1e-6, atol: 1e-7 }
  const cases: ReadonlyArray<readonly [string, (...xs: Array[]) => Array, ReadonlyArray<ReturnType<typeof vector>>]> = [
    ["gammaln", sp.gammaln, [vector(-5, 30)]],
    ["digamma", sp.digamma, [vector(-5, 30)]],
    ["zeta", sp.zeta, [vector(1.1, 6), vector(0.1, 10)]],
    ["gammainc", sp.gammainc, [vector(0.1, 40), vector(0, 50)]],
    ["betainc", sp.betainc, [vector(0.1, 20), vector(0.1, 20), vector(0, 1)]],
    ["erfc", sp.erfc, [vector(-8, 8)]],
    ["ndtri", sp.ndtri, [vector(0, 1)]],
    ["i1e", sp.i1e, [vector(-40, 40)]]
  ]
  for (const [name, f, arbs] of cases) {
    it(name, () => {
      laws.check(laws.jitMatchesEager(f, arbs as never, { tolerance }), run)
      laws.check(laws.vmapMatchesStack(f, arbs as never, { tolerance }), run)
    })
  }

  it("vmap of grad of gammainc matches per-example grads", () => {
    const g = grad((a: Array, x: Array) => sp.gammainc(a, x), { argnums: [0, 1] })
    const a = f32([0.5, 3, 12])
    const x = f32([2, 1, 15])
    const [ga, gx] = vmap(g)(a, x) as unknown as [Array, Array]
    const each = [0, 1, 2].map((i) => g(a.index(i), x.index(i)) as unknown as [Array, Array])
    expect(vals(ga)).toEqual(each.map(([v]) => v.item()))
    expect(vals(gx)).toEqual(each.map(([, v]) => v.item()))
    const [ja] = jit(g)(a.index(1), x.index(1)) as unknown as [Array, Array]
    expect(ja.item()).toBeCloseTo(each[1]![0].item(), 6)
  })
})

describe("dtypes, promotion and broadcasting", () => {
  it("integers promote to float32, float64 stays float64, JS numbers are weak", () => {
    expect(sp.gammaln(np.array([1, 2, 3])).dtype).toBe("float32")
    expect(sp.gammaln(np.array([1.5], { dtype: "float64" })).dtype).toBe("float64")
    expect(sp.gammainc(2, np.array([1], { dtype: "float64" })).dtype).toBe("float64")
    expect(sp.erfc(1).weakType).toBe(true)
    expect(sp.gammasgn(f32([-1.5, 2])).weakType).toBe(false)
    expect(sp.gammasgn(f32([-1.5, 2])).dtype).toBe("float32")
  })

  it("broadcasts like np and loops over the broadcast shape", () => {
    const out = sp.gammainc(f32([0.5, 2, 10]).reshape([3, 1]), f32([1, 5]))
    expect(out.shape).toEqual([3, 2])
    expect(out.index(2, 1).item()).toBeCloseTo(0.031828057, 6) // JAX: gammainc(10, 5)
    expect(() => sp.zeta(f32([2, 3]), f32([1, 2, 3]))).toThrow(ShapeError)
    expect(sp.betainc(2, 3, np.zeros([0])).shape).toEqual([0])
  })

  it("the lax spellings take float operands of one dtype and do not promote", () => {
    expect(vals(lax.lgamma(f32([3])))[0]).toBeCloseTo(Math.log(2), 6)
    expect(() => lax.lgamma(np.array([3]))).toThrow(DTypeError)
    expect(() => lax.igamma(f32([1]), np.array([1], { dtype: "float64" }))).toThrow(DTypeError)
    expect(() => lax.zeta(f32([2]), np.array([1]))).toThrow(DTypeError)
    expect(lax.regularizedIncompleteBeta).toBe(lax.betainc)
  })
})

describe("argument errors", () => {
  it("say what to pass instead", () => {
    expect(() => sp.polygamma(f32([1]), f32([1]))).toThrow(ValueError)
    expect(() => sp.polygamma(1.5, f32([1]))).toThrow(/integer/)
    expect(() => sp.zeta(2)).toThrow(/pass q/)
    expect(() => sp.factorial(3, { exact: true })).toThrow(ValueError)
    expect(() => sp.multigammaln(f32([3]), 0)).toThrow(/positive integer/)
    expect(() => sp.logNdtr(f32([1]), { seriesOrder: 31 })).toThrow(/seriesOrder/)
    expect(() => sp.bernoulli(-1)).toThrow(ValueError)
  })
})

describe("logsumexp and softmax options", () => {
  it("returnSign, b, keepdims, where and the softmax default axis", () => {
    const [out, sign] = sp.logsumexp(f32([1, 2]), { b: f32([1, -1]), returnSign: true })
    expect(out.item()).toBeCloseTo(Math.log(Math.E ** 2 - Math.E), 5)
    expect(sign.item()).toBe(-1)
    expect(Number.isNaN(sp.logsumexp(f32([1, 2]), { b: f32([1, -1]) }).item())).toBe(true)
    expect(sp.logsumexp(np.ones([2, 3]), { axis: 1, keepdims: true }).shape).toEqual([2, 1])
    expect(sp.logsumexp(f32([1, 50]), { where: np.array([true, false]) }).item()).toBeCloseTo(1, 6)
    expect(sp.softmax(np.ones([2, 2])).data()).toEqual(new Float32Array([0.25, 0.25, 0.25, 0.25]))
    expect(sp.softmax(f32([3])).item()).toBe(1)
    expect(sp.softmax(np.array(2)).item()).toBe(1)
  })
})
