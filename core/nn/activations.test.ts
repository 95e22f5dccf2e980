/**
 * nn activations. Expected values are float64 formulas rounded to float32 (compared within a
 * couple of ulps, since several float32 operations are involved), JAX's documented outputs, and
 * hand-derived special cases. Gradients are checked against float64 central differences.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Array, grad, lax, nn, np, ShapeError } from "../../index.js"

const f32 = (xs: ReadonlyArray<number>): Array => np.array(xs, { dtype: "float32" })
const f64 = (xs: ReadonlyArray<number>): Array => np.array(xs, { dtype: "float64" })
const vals = (a: Array): number[] => [...a.data()]

const expectClose = (got: ReadonlyArray<number>, want: ReadonlyArray<number>, rtol = 5e-7, atol = 1e-7): void => {
  expect(got.length).toBe(want.length)
  got.forEach((g, i) => {
    const w = want[i]!
    if (Number.isNaN(w)) expect(g).toBeNaN()
    else if (!Number.isFinite(w)) expect(g).toBe(w)
    else expect(Math.abs(g - w)).toBeLessThanOrEqual(atol + rtol * Math.abs(w))
  })
}

const erf = (x: number): number => {
  // Series for small |x| and continued fraction otherwise, accurate to float64 for our inputs.
  const t = Math.abs(x)
  if (t < 3) {
    let sum = t
    let term = t
    for (let n = 1; n < 80; n++) {
      term *= (-t * t) / n
      sum += term / (2 * n + 1)
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum
  }
  let f = 0
  for (let n = 60; n >= 1; n--) f = n / 2 / (t + f)
  return Math.sign(x) * (1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f))
}

const sigmoidRef = (x: number) => 1 / (1 + Math.exp(-x))
const softplusRef = (x: number) => Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0)
const geluTanhRef = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)))
const geluErfRef = (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2))
const eluRef = (x: number, a = 1) => (x > 0 ? x : a * Math.expm1(x))
const SELU_ALPHA = 1.6732632423543772
const SELU_SCALE = 1.0507009873554805

describe("known values", () => {
  const xs = [-3, -1.5, -0.25, 0, 0.5, 2, 4]
  const ref = (f: (x: number) => number) => xs.map((x) => Math.fround(f(x)))

  it("relu, leakyRelu, relu6", () => {
    expect(vals(nn.relu(f32(xs)))).toEqual(xs.map((x) => Math.max(x, 0)))
    expect(vals(nn.relu(np.array([-2, 3])))).toEqual([0, 3])
    expect(nn.relu(np.array([-2, 3])).dtype).toBe("int32")
    expect(vals(nn.relu(f32([NaN])))).toEqual([NaN])
    expect(vals(nn.leakyRelu(f32([-2, 0, 3])))).toEqual([Math.fround(-0.02), 0, 3])
    expect(vals(nn.leakyRelu(f32([-2]), 0.5))).toEqual([-1])
    expect(vals(nn.relu6(f32([-1, 3, 7])))).toEqual([0, 3, 6])
  })

  it("sigmoid, softplus, logSigmoid, silu", () => {
    expectClose(vals(nn.sigmoid(f32(xs))), ref(sigmoidRef))
    expectClose(vals(nn.softplus(f32(xs))), ref(softplusRef))
    expectClose(
      vals(nn.logSigmoid(f32(xs))),
      ref((x) => -softplusRef(-x))
    )
    expectClose(
      vals(nn.silu(f32(xs))),
      ref((x) => x * sigmoidRef(x))
    )
    expect(nn.swish).toBe(nn.silu)
    // stable for large magnitudes
    expect(vals(nn.softplus(f32([1000, -1000])))).toEqual([1000, 0])
    expect(nn.softplus(f32([0])).item()).toBe(Math.fround(Math.LN2))
  })

  it("gelu: tanh approximation by default, erf when approximate is false", () => {
    expectClose(vals(nn.gelu(f32(xs))), ref(geluTanhRef), 2e-6, 2e-7)
    expectClose(vals(nn.gelu(f32(xs), { approximate: false })), ref(geluErfRef), 2e-6, 2e-7)
    // jax.nn.gelu(1.0) = 0.841192 (tanh form); exact 0.8413447
    expectClose(vals(nn.gelu(f32([1]))), [0.841192], 1e-6)
    expectClose(vals(nn.gelu(f32([1]), { approximate: false })), [0.8413447], 1e-6)
  })

  it("elu and selu", () => {
    expectClose(
      vals(nn.elu(f32(xs))),
      ref((x) => eluRef(x))
    )
    expectClose(
      vals(nn.elu(f32(xs), 0.5)),
      ref((x) => eluRef(x, 0.5))
    )
    expectClose(
      vals(nn.selu(f32(xs))),
      ref((x) => SELU_SCALE * eluRef(x, SELU_ALPHA)),
      1e-6
    )
    // no overflow into NaN on the unused branch
    expect(vals(nn.elu(f32([100])))).toEqual([100])
    expect(vals(grad((x: Array) => np.sum(nn.elu(x)))(f32([1000])))).toEqual([1])
  })

  it("logsumexp, softmax, logSoftmax", () => {
    const x = f32([1, 2, 3])
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3))
    expectClose([nn.logsumexp(x).item()], [Math.fround(lse)])
    // jax.nn.softmax(jnp.array([1., 2., 3.])) = [0.09003057, 0.24472848, 0.66524094]
    expectClose(vals(nn.softmax(x)), [0.09003057, 0.24472848, 0.66524094], 3e-7)
    expectClose(
      vals(nn.logSoftmax(x)),
      [1, 2, 3].map((v) => Math.fround(v - lse)),
      5e-7
    )
    // stable: huge inputs do not overflow
    expectClose(vals(nn.softmax(f32([1000, 1000]))), [0.5, 0.5])
    expectClose([nn.logsumexp(f32([1000, 1000])).item()], [Math.fround(1000 + Math.LN2)])
    // -inf everywhere: logsumexp is -inf, not NaN
    expect(nn.logsumexp(f32([-Infinity, -Infinity])).item()).toBe(-Infinity)
    // axes and keepdims
    const m = np.array(
      [
        [0, 0],
        [1, 1]
      ],
      { dtype: "float32" }
    )
    expectClose(vals(nn.logsumexp(m, { axis: 1 })), [Math.fround(Math.LN2), Math.fround(1 + Math.LN2)])
    expect(nn.logsumexp(m, { axis: 0, keepdims: true }).shape).toEqual([1, 2])
    const s0 = 1 / (1 + Math.E)
    expectClose(vals(nn.softmax(m, { axis: 0 })), [s0, s0, 1 - s0, 1 - s0].map(Math.fround))
    expectClose(vals(nn.softmax(m)), [0.5, 0.5, 0.5, 0.5])
    expect(() => nn.softmax(np.array(1.5))).toThrow(ShapeError)
  })

  it("oneHot", () => {
    const h = nn.oneHot(np.array([0, 2, 5, -1]), 3)
    expect(h.dtype).toBe("float32")
    expect(h.shape).toEqual([4, 3])
    expect(vals(h)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])
    const b = nn.oneHot([1, 0], 2, { dtype: "bool", axis: 0 })
    expect(b.dtype).toBe("bool")
    expect(vals(b)).toEqual([0, 1, 1, 0])
    expect(nn.oneHot(np.array([[1, 2]]), 4).shape).toEqual([1, 2, 4])
  })

  it("relu's derivative at 0 is 0, like JAX; leakyRelu's is 1", () => {
    expect(vals(grad((x: Array) => np.sum(nn.relu(x)))(f32([-1, 0, 2])))).toEqual([0, 0, 1])
    expect(vals(grad((x: Array) => np.sum(nn.leakyRelu(x)))(f32([-1, 0, 2])))).toEqual([Math.fround(0.01), 1, 1])
  })
})

// ---------------------------------------------------------------------------------------------

const H = 1e-6
const numericGrad = (F: (x: Array) => Array, xs: ReadonlyArray<number>, shape: ReadonlyArray<number>): number[] =>
  xs.map((_, i) => {
    const up = [...xs]
    const dn = [...xs]
    up[i] = up[i]! + H
    dn[i] = dn[i]! - H
    return (F(lax.reshape(f64(up), shape)).item() - F(lax.reshape(f64(dn), shape)).item()) / (2 * H)
  })
const weighted = (y: Array): Array => {
  const w = f64(globalThis.Array.from({ length: y.size }, (_, i) => 0.8 - 0.35 * i + 0.1 * (i % 2)))
  return np.sum(np.multiply(lax.reshape(w, y.shape), y))
}

interface Case {
  readonly name: string
  readonly f: (x: Array) => Array
  readonly shape: ReadonlyArray<number>
  readonly avoid?: (x: number) => boolean
}
const nearZero = (x: number) => Math.abs(x) < 0.01

const cases: ReadonlyArray<Case> = [
  { name: "relu", f: nn.relu, shape: [4], avoid: nearZero },
  { name: "leakyRelu", f: (x) => nn.leakyRelu(x, 0.2), shape: [4], avoid: nearZero },
  { name: "relu6", f: nn.relu6, shape: [4], avoid: (x) => nearZero(x) || Math.abs(x - 6) < 0.01 },
  { name: "sigmoid", f: nn.sigmoid, shape: [4] },
  { name: "softplus", f: nn.softplus, shape: [4] },
  { name: "logSigmoid", f: nn.logSigmoid, shape: [4] },
  { name: "gelu (tanh)", f: (x) => nn.gelu(x), shape: [4] },
  { name: "gelu (erf)", f: (x) => nn.gelu(x, { approximate: false }), shape: [4] },
  { name: "silu", f: nn.silu, shape: [4] },
  { name: "elu", f: (x) => nn.elu(x, 0.7), shape: [4], avoid: nearZero },
  { name: "selu", f: nn.selu, shape: [4], avoid: nearZero },
  { name: "logsumexp", f: (x) => nn.logsumexp(x), shape: [2, 3] },
  { name: "logsumexp axis 1", f: (x) => nn.logsumexp(x, { axis: 1 }), shape: [2, 3] },
  { name: "logsumexp axis 0 keepdims", f: (x) => nn.logsumexp(x, { axis: 0, keepdims: true }), shape: [2, 3] },
  { name: "softmax", f: (x) => nn.softmax(x), shape: [2, 3] },
  { name: "softmax axis 0", f: (x) => nn.softmax(x, { axis: 0 }), shape: [2, 3] },
  { name: "logSoftmax", f: (x) => nn.logSoftmax(x), shape: [2, 3] },
  { name: "logSoftmax axis 0", f: (x) => nn.logSoftmax(x, { axis: 0 }), shape: [2, 3] }
]

describe("grad of every nn function matches float64 central differences", () => {
  for (const c of cases) {
    it(c.name, () => {
      const n = c.shape.reduce((a, b) => a * b, 1)
      const arb = fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: n, maxLength: n })
      fc.assert(
        fc.property(
          arb.map((xs) => xs.map((x) => (c.avoid?.(x) === true ? x + 0.037 : x))),
          (xs) => {
            fc.pre(c.avoid === undefined || !xs.some(c.avoid))
            const F = (x: Array) => weighted(c.f(x))
            const g = grad(F)(lax.reshape(f64(xs), c.shape))
            expect(g.dtype).toBe("float64")
            const want = numericGrad(F, xs, c.shape)
            vals(g).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(want[i]!)))
          }
        ),
        { seed: 99, numRuns: 10 }
      )
    })
  }
})
