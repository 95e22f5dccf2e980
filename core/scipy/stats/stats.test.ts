/**
 * scipy.stats beyond the golden values: how optional parameters are passed, gradients against
 * float64 central differences, jit and vmap against eager evaluation, and argument errors.
 */
import { describe, expect, it } from "vitest"
import { type Array, grad, jit, np, scipy, ShapeError, ValueError, vmap } from "../../../index.js"
import * as laws from "../../../laws/index.js"

const { arb } = laws
const st = scipy.stats
const f32 = (xs: ReadonlyArray<number>): Array => np.array(xs, { dtype: "float32" })
const vals = (a: Array): number[] => [...a.data()]
const run = { seed: 29, numRuns: 4 }
const vector = (min: number, max: number) => arb.array({ shape: [3], min, max })
const total = <A extends ReadonlyArray<Array>>(f: (...xs: A) => Array): ((...xs: A) => Array) => {
  const j = jit((...xs: A) => np.sum(f(...xs)))
  return (...xs: A): Array => j(...xs) as Array
}

describe("optional parameters", () => {
  it("loc and scale positionally, as options, or left out", () => {
    const x = f32([-1, 0.5, 2])
    const positional = vals(st.norm.logpdf(x, 1, 2))
    expect(vals(st.norm.logpdf(x, { loc: 1, scale: 2 }))).toEqual(positional)
    expect(vals(st.norm.logpdf(x, { scale: 2, loc: 1 }))).toEqual(positional)
    expect(vals(st.norm.logpdf(x, 1))).toEqual(vals(st.norm.logpdf(x, { loc: 1 })))
    expect(vals(st.norm.logpdf(x))).toEqual(vals(st.norm.logpdf(x, 0, 1)))
    expect(vals(st.beta.cdf(f32([0.5, 1.5]), 2, 3, { loc: 0.5, scale: 2 }))).toEqual(vals(st.beta.cdf(f32([0.5, 1.5]), 2, 3, 0.5, 2)))
    expect(vals(st.poisson.logpmf(f32([3, 4]), 2, { loc: 1 }))).toEqual(vals(st.poisson.logpmf(f32([3, 4]), 2, 1)))
    // the shifted distributions agree with shifting by hand
    expect(vals(st.poisson.logpmf(f32([3, 4]), 2, 1))).toEqual(vals(st.poisson.logpmf(f32([2, 3]), 2)))
  })

  it("broadcasts parameters like np", () => {
    expect(st.norm.logpdf(f32([0, 1, 2]), f32([0, 1]).reshape([2, 1]), 1).shape).toEqual([2, 3])
    expect(() => st.norm.logpdf(f32([0, 1, 2]), f32([0, 1]))).toThrow(ShapeError)
  })
})

describe("gradients match float64 central differences", () => {
  const opts = { rtol: 5e-3, atol: 1e-4 }
  it("norm.logpdf, norm.logcdf and t.logpdf in x, loc and scale", () => {
    laws.check(laws.gradMatchesFiniteDifferences(total(st.norm.logpdf), [vector(-3, 3), vector(-1, 1), vector(0.5, 2)], opts), run)
    laws.check(laws.gradMatchesFiniteDifferences(total(st.norm.logcdf), [vector(-8, 3), vector(-1, 1), vector(0.5, 2)], opts), run)
    laws.check(
      laws.gradMatchesFiniteDifferences(
        total((x: Array, df: Array) => st.t.logpdf(x, df)),
        [vector(-3, 3), vector(1, 10)],
        opts
      ),
      run
    )
  })
  it("gamma.cdf in x and a, beta.cdf in x, a and b", () => {
    laws.check(
      laws.gradMatchesFiniteDifferences(
        total((x: Array, a: Array) => st.gamma.cdf(x, a)),
        [vector(0.2, 8), vector(0.5, 6)],
        opts
      ),
      run
    )
    laws.check(
      laws.gradMatchesFiniteDifferences(
        total((x: Array, a: Array, b: Array) => st.beta.cdf(x, a, b)),
        [vector(0.05, 0.95), vector(0.5, 5), vector(0.5, 5)],
        opts
      ),
      run
    )
  })
  it("multivariateNormal.logpdf in x, mean and a covariance", () => {
    // cov = A Aᵀ + I is positive definite for any A
    const logpdf = (x: Array, mean: Array, a: Array): Array => {
      const m = a.reshape([3, 3])
      return st.multivariateNormal.logpdf(x, mean, np.add(np.matmul(m, m.transpose()), np.eye(3)))
    }
    laws.check(laws.gradMatchesFiniteDifferences(total(logpdf), [vector(-2, 2), vector(-1, 1), arb.array({ shape: [9], min: -1, max: 1 })], opts), run)
  })
})

describe("jit and vmap agree with eager evaluation", () => {
  const tolerance = { rtol: 1e-6, atol: 1e-7 }
  it("a sample of distributions", () => {
    const cases: ReadonlyArray<readonly [(...xs: Array[]) => Array, ReadonlyArray<ReturnType<typeof vector>>]> = [
      [(x, l, s) => st.norm.logcdf(x, l, s), [vector(-10, 10), vector(-1, 1), vector(0.5, 2)]],
      [(x, a) => st.gamma.sf(x, a), [vector(0, 20), vector(0.5, 10)]],
      [(x, a, b) => st.truncnorm.logpdf(x, a, b), [vector(-1, 1), vector(-2, -1), vector(1, 3)]],
      [(k, mu) => st.poisson.logpmf(np.round(k), mu), [vector(0, 10), vector(0.5, 5)]]
    ]
    for (const [f, arbs] of cases) {
      laws.check(laws.jitMatchesEager(f, arbs as never, { tolerance }), run)
      laws.check(laws.vmapMatchesStack(f, arbs as never, { tolerance }), run)
    }
  })

  it("multivariateNormal.logpdf batched over x and over covariances", () => {
    const cov = f32([2, 0.3, 0.3, 1]).reshape([2, 2])
    const x = f32([0.5, -1, 1, 2, 0, 0]).reshape([3, 2])
    const batched = st.multivariateNormal.logpdf(x, f32([0, 0]), cov)
    const each = [0, 1, 2].map((i) => st.multivariateNormal.logpdf(x.index(i), f32([0, 0]), cov).item())
    vals(batched).forEach((v, i) => expect(v).toBeCloseTo(each[i]!, 5))
    const viaVmap = vmap((xi: Array) => st.multivariateNormal.logpdf(xi, f32([0, 0]), cov))(x)
    vals(viaVmap).forEach((v, i) => expect(v).toBeCloseTo(each[i]!, 5))
    // not positive definite: NaN, as a failed Cholesky factor in JAX
    expect(Number.isNaN(st.multivariateNormal.logpdf(f32([0, 0]), f32([0, 0]), f32([1, 2, 2, 1]).reshape([2, 2])).item())).toBe(true)
  })
})

describe("argument errors", () => {
  it("say what to pass instead", () => {
    expect(() => st.dirichlet.logpdf(f32([0.2, 0.8]), f32([1, 2, 3, 4]))).toThrow(/entries along its first axis/)
    expect(() => st.dirichlet.logpdf(f32([0.2, 0.8]), np.ones([2, 2]))).toThrow(/one-dimensional/)
    expect(() => st.multinomial.logpmf(f32([1, 2]), 3, f32([0.5, 0.5]))).toThrow(ValueError)
    expect(() => st.multivariateNormal.logpdf(f32([0, 0]), f32([0, 0]), np.eye(3))).toThrow(/cov must have shape/)
    expect(() => st.multivariateNormal.logpdf(f32([0]), f32([0]), np.eye(1), { allowSingular: true as never })).toThrow(/allowSingular/)
  })

  it("gradients of poisson.logpmf in mu and of the scale of gamma.logpdf", () => {
    const g = grad((mu: Array) => np.sum(st.poisson.logpmf(f32([0, 3]), mu)))(f32([2, 2]))
    expect(vals(g)).toEqual([-1, 0.5]) // k / mu - 1
    const gs = grad((s: Array) => st.gamma.logpdf(2, 3, 0, s))(np.array(1, { dtype: "float32" }))
    expect(gs.item()).toBeCloseTo(-1, 6) // (x/s - a) / s at s = 1: 2 - 3
  })
})
