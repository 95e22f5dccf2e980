import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Array, DTypeError, grad, jvp, linearize, NonScalarOutputError, np, UnexpectedTracerError, ValueError, valueAndGrad, vjp } from "../../index.js"

const f32 = (xs: ReadonlyArray<number>) => np.asarray(xs, { dtype: "float32" })
const f64 = (xs: ReadonlyArray<number>) => np.asarray(xs, { dtype: "float64" })
const vals = (a: Array): number[] => [...a.data()]

describe("the seed's grad examples (JAX's printed float32 numbers)", () => {
  const x = f32([1, 2, 3, 4])
  const y = np.asarray([1.1, 2.1, 3.1, 4.1])
  const sumSquaredError = (x: Array, y: Array) => np.sum(x.sub(y).pow(2))
  // JAX printed these; Math.fround of the printed decimal is the float32 JAX held.
  const jaxGrad = [-0.20000005, -0.19999981, -0.19999981, -0.19999981].map(Math.fround)

  it("sum_of_squares is 30 and its gradient is 2x", () => {
    const sumOfSquares = (x: Array) => np.sum(x.pow(2))
    expect(sumOfSquares(x).item()).toBe(30)
    expect(vals(grad(sumOfSquares)(x))).toEqual([2, 4, 6, 8])
  })

  it("sum_squared_error gradient matches JAX bit for bit, and a hand float32 derivation", () => {
    const g = grad(sumSquaredError)(x, y)
    expect(g.dtype).toBe("float32")
    expect(vals(g)).toEqual(jaxGrad)
    // by hand: d/dx sum((x-y)^2) = 2 (x - y), each op rounded to float32
    const hand = [1, 2, 3, 4].map((xi, i) => Math.fround(2 * Math.fround(xi - Math.fround([1.1, 2.1, 3.1, 4.1][i]!))))
    expect(vals(g)).toEqual(hand)
  })

  it("argnums=(0, 1) gives both gradients", () => {
    const [gx, gy] = grad(sumSquaredError, { argnums: [0, 1] })(x, y)
    expect(vals(gx)).toEqual(jaxGrad)
    expect(vals(gy)).toEqual(jaxGrad.map((v) => -v))
  })

  it("value_and_grad returns 0.03999995 (as JAX prints it) and the gradient", () => {
    const [v, g] = valueAndGrad(sumSquaredError)(x, y)
    expect(v.toString()).toBe("Array(0.03999995, dtype=float32)")
    // by hand: squares rounded to float32, summed exactly, rounded once (0.039999947 in float32)
    const d = [1, 2, 3, 4].map((xi, i) => Math.fround(xi - Math.fround([1.1, 2.1, 3.1, 4.1][i]!)))
    expect(v.item()).toBe(Math.fround(d.reduce((a, di) => a + Math.fround(di * di), 0)))
    expect(vals(g)).toEqual(jaxGrad)
  })

  it("grad of a tuple without hasAux is a NonScalarOutputError that names hasAux; with hasAux it works", () => {
    const withAux = (x: Array, y: Array): [Array, Array] => [sumSquaredError(x, y), x.sub(y)]
    // @ts-expect-error a tuple output needs hasAux
    const bad = () => grad(withAux)(x, y)
    expect(bad).toThrow(NonScalarOutputError)
    expect(bad).toThrow(/hasAux/)
    const [g, aux] = grad(withAux, { hasAux: true })(x, y)
    expect(vals(g)).toEqual(jaxGrad)
    // JAX printed [-0.10000002, -0.0999999 , -0.0999999 , -0.0999999 ]: 8 digits of x - fround(y)
    expect(aux.toString()).toBe("Array([-0.10000002, -0.0999999 , -0.0999999 , -0.0999999 ], dtype=float32)")
    expect(vals(aux)).toEqual([1, 2, 3, 4].map((xi, i) => Math.fround(xi - Math.fround([1.1, 2.1, 3.1, 4.1][i]!))))
  })

  it("grad of a vector output, and with respect to an integer input, fail with tagged errors", () => {
    expect(() => grad((x: Array) => x.mul(2) as Array)(x)).toThrow(NonScalarOutputError)
    expect(() => grad((x: Array) => np.sum(x))(np.array([1, 2, 3]))).toThrow(DTypeError)
    expect(() => grad((x: Array) => np.sum(x))(np.array([1, 2, 3]))).toThrow(/float/)
    expect(() => grad((x: Array) => np.sum(x), { argnums: 3 })(x)).toThrow(ValueError)
  })
})

describe("higher order and pytrees", () => {
  it("grad(grad(grad(x^3 + 2x^2 - 3x + 1))) at 1 is 6, and the chain 4, 10, 6", () => {
    const f = (x: Array) => x.pow(3).add(x.pow(2).mul(2)).sub(x.mul(3)).add(1)
    const x = np.asarray(1, { dtype: "float32" })
    const d1 = grad(f)
    const d2 = grad((x: Array) => d1(x))
    const d3 = grad((x: Array) => d2(x))
    const d4 = grad((x: Array) => d3(x))
    expect([d1(x).item(), d2(x).item(), d3(x).item(), d4(x).item()]).toEqual([4, 10, 6, 0])
  })

  it("nested derivatives of sin cycle through cos, -sin, -cos (float64)", () => {
    const x = np.asarray(0.7, { dtype: "float64" })
    const d1 = grad((x: Array) => np.sin(x))
    const d2 = grad((x: Array) => d1(x))
    const d3 = grad((x: Array) => d2(x))
    expect(d1(x).item()).toBeCloseTo(Math.cos(0.7), 14)
    expect(d2(x).item()).toBeCloseTo(-Math.sin(0.7), 14)
    expect(d3(x).item()).toBeCloseTo(-Math.cos(0.7), 14)
  })

  it("gradients over a params record keep its structure", () => {
    const params = { w: f32([1, 2]), b: f32([0.5]) }
    const loss = (p: typeof params, x: Array) => np.sum(p.w.mul(x).add(p.b).pow(2))
    const g = grad(loss)(params, f32([3, 4]))
    // d/dw = 2 (w x + b) x, d/db = sum 2 (w x + b)
    expect(vals(g.w)).toEqual([2 * 3.5 * 3, 2 * 8.5 * 4])
    expect(vals(g.b)).toEqual([2 * 3.5 + 2 * 8.5])
  })

  it("a tracer that escapes grad fails with UnexpectedTracerError when used", () => {
    let leaked: Array | undefined
    grad((x: Array) => {
      leaked = x
      return np.sum(x)
    })(f32([1]))
    expect(() => leaked!.add(1)).toThrow(UnexpectedTracerError)
  })
})

describe("jvp, linearize and vjp agree", () => {
  const f = (x: Array) => np.sum(np.sin(x).mul(x))
  it("jvp of sin x · x against the hand derivative", () => {
    const x = f64([0.3, -1.2])
    const t = f64([1, 2])
    const [y, dy] = jvp(f, [x], [t])
    expect(y.item()).toBeCloseTo(Math.sin(0.3) * 0.3 + Math.sin(-1.2) * -1.2, 14)
    const d = (v: number) => Math.cos(v) * v + Math.sin(v)
    expect(dy.item()).toBeCloseTo(d(0.3) * 1 + d(-1.2) * 2, 13)
  })

  it("property: <v, J u> = <Jᵀ v, u> and linearize agrees with jvp (float64)", () => {
    const g = (x: Array) => np.tanh(x.mul(x)).mul(np.exp(x.mul(0.1)))
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (xs, us, vs) => {
          const n = xs.length
          const x = f64(xs)
          const u = f64(us.slice(0, n))
          const v = f64(vs.slice(0, n))
          const [, ju] = jvp(g, [x], [u])
          const [, back] = vjp(g, x)
          const [jtv] = back(v)
          const lhs = np.sum(v.mul(ju)).item()
          const rhs = np.sum(jtv.mul(u)).item()
          expect(lhs).toBeCloseTo(rhs, 10)
          const [, lin] = linearize(g, x)
          expect(vals(lin(u))).toEqual(vals(ju))
        }
      ),
      { seed: 20261121, numRuns: 40 }
    )
  })
})
