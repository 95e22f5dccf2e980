/**
 * np elementwise math. Expected values are computed independently: by hand, or with float64 JS
 * math rounded to float32 (Math.fround) for float32 results. Gradients are checked against
 * central finite differences evaluated in float64.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as jaxfx from "../../index.js"
import { type Array, DTypeError, grad, np, ValueError } from "../../index.js"

const f32 = (xs: ReadonlyArray<number>): Array => np.array(xs, { dtype: "float32" })
const f64 = (xs: ReadonlyArray<number>): Array => np.array(xs, { dtype: "float64" })
const i32 = (xs: ReadonlyArray<number>): Array => np.array(xs, { dtype: "int32" })
const vals = (a: Array): number[] => [...a.data()]
/** Values with -0 read as 0 (the sign of a zero result is not part of these checks). */
const unsignedZero = (a: Array): number[] => vals(a).map((v) => v + 0)
const bools = (a: Array): boolean[] => vals(a).map((v) => v !== 0)

/** Relative closeness for transcendental float32 results (the backend's libm may differ by an ulp). */
const expectClose = (got: ReadonlyArray<number>, want: ReadonlyArray<number>, rtol = 2e-7, atol = 1e-7): void => {
  expect(got.length).toBe(want.length)
  got.forEach((g, i) => {
    const w = want[i]!
    if (Number.isNaN(w)) expect(g).toBeNaN()
    else if (!Number.isFinite(w)) expect(g).toBe(w)
    else expect(Math.abs(g - w)).toBeLessThanOrEqual(atol + rtol * Math.abs(w))
  })
}

// ---------------------------------------------------------------------------------------------
// Finite differences in float64

const H = 1e-6
/** Central differences of a scalar function of one float64 vector. */
const numericGrad = (F: (x: Array) => Array, xs: ReadonlyArray<number>): number[] =>
  xs.map((_, i) => {
    const up = [...xs]
    const dn = [...xs]
    up[i] = up[i]! + H
    dn[i] = dn[i]! - H
    return (F(f64(up)).item() - F(f64(dn)).item()) / (2 * H)
  })

const expectGradClose = (got: Array, want: ReadonlyArray<number>): void => {
  expect(got.dtype).toBe("float64")
  expectClose(vals(got), want, 1e-5, 1e-6)
}

const weights = [0.7, -1.3, 2.1, 0.4]
/** A weighted sum, so each output element's derivative is checked separately. */
const weighted = (y: Array): Array => np.sum(np.multiply(f64(weights.slice(0, y.size)), y))

const vec = (lo: number, hi: number) => fc.array(fc.double({ min: lo, max: hi, noNaN: true }), { minLength: 1, maxLength: 4 })
const frac = (x: number): number => x - Math.floor(x)
/** Inputs near a kink are moved off it (fast-check favours special values such as 0 and the bounds). */
const NUDGE = 0.037
const nudge = (avoid: ((x: number) => boolean) | undefined, x: number): number => (avoid?.(x) === true ? x + NUDGE : x)
const RUNS = { seed: 20240601, numRuns: 12 }

interface UnaryCase {
  readonly name: string
  readonly f: (x: Array) => Array
  readonly lo: number
  readonly hi: number
  /** Inputs to skip (kinks, discontinuities). */
  readonly avoid?: (x: number) => boolean
}

const unaryCases: ReadonlyArray<UnaryCase> = [
  { name: "negative", f: np.negative, lo: -3, hi: 3 },
  { name: "abs", f: np.abs, lo: -3, hi: 3, avoid: (x) => Math.abs(x) < 0.01 },
  { name: "sign", f: np.sign, lo: -3, hi: 3, avoid: (x) => Math.abs(x) < 0.01 },
  { name: "square", f: np.square, lo: -3, hi: 3 },
  { name: "reciprocal", f: np.reciprocal, lo: 0.3, hi: 3 },
  { name: "exp", f: np.exp, lo: -3, hi: 3 },
  { name: "exp2", f: np.exp2, lo: -3, hi: 3 },
  { name: "expm1", f: np.expm1, lo: -3, hi: 3 },
  { name: "log", f: np.log, lo: 0.2, hi: 5 },
  { name: "log1p", f: np.log1p, lo: -0.7, hi: 5 },
  { name: "log2", f: np.log2, lo: 0.2, hi: 5 },
  { name: "log10", f: np.log10, lo: 0.2, hi: 5 },
  { name: "sqrt", f: np.sqrt, lo: 0.2, hi: 5 },
  { name: "sin", f: np.sin, lo: -4, hi: 4 },
  { name: "cos", f: np.cos, lo: -4, hi: 4 },
  { name: "tan", f: np.tan, lo: -1.3, hi: 1.3 },
  { name: "arcsin", f: np.arcsin, lo: -0.9, hi: 0.9 },
  { name: "arccos", f: np.arccos, lo: -0.9, hi: 0.9 },
  { name: "arctan", f: np.arctan, lo: -4, hi: 4 },
  { name: "sinh", f: np.sinh, lo: -3, hi: 3 },
  { name: "cosh", f: np.cosh, lo: -3, hi: 3 },
  { name: "tanh", f: np.tanh, lo: -3, hi: 3 },
  { name: "floor", f: np.floor, lo: -3, hi: 3, avoid: (x) => frac(x) < 0.01 || frac(x) > 0.99 },
  { name: "ceil", f: np.ceil, lo: -3, hi: 3, avoid: (x) => frac(x) < 0.01 || frac(x) > 0.99 },
  { name: "round", f: (x) => np.round(x), lo: -3, hi: 3, avoid: (x) => Math.abs(frac(x) - 0.5) < 0.01 },
  { name: "round(x, 1)", f: (x) => np.round(x, 1), lo: -3, hi: 3, avoid: (x) => Math.abs(frac(x * 10) - 0.5) < 0.01 },
  { name: "power(x, 3)", f: (x) => np.power(x, 3), lo: -3, hi: 3 },
  { name: "power(x, -2)", f: (x) => np.power(x, -2), lo: 0.3, hi: 3 },
  { name: "power(x, 1.5)", f: (x) => np.power(x, 1.5), lo: 0.2, hi: 3 },
  { name: "power(2.5, x)", f: (x) => np.power(2.5, x), lo: -2, hi: 2 },
  { name: "clip(x, -1, 1)", f: (x) => np.clip(x, -1, 1), lo: -3, hi: 3, avoid: (x) => Math.abs(Math.abs(x) - 1) < 0.01 },
  { name: "clip(x, { min: 0 })", f: (x) => np.clip(x, { min: 0 }), lo: -3, hi: 3, avoid: (x) => Math.abs(x) < 0.01 },
  { name: "mod(x, 1.5)", f: (x) => np.mod(x, 1.5), lo: -4, hi: 4, avoid: (x) => frac(x / 1.5) < 0.01 || frac(x / 1.5) > 0.99 },
  { name: "floorDivide(x, 1.5)", f: (x) => np.floorDivide(x, 1.5), lo: -4, hi: 4, avoid: (x) => frac(x / 1.5) < 0.01 || frac(x / 1.5) > 0.99 },
  { name: "where(x > 0, x*x, -x)", f: (x) => np.where(np.greater(x, 0), np.square(x), np.negative(x)), lo: -3, hi: 3, avoid: (x) => Math.abs(x) < 0.01 },
  { name: "add(x, 2)", f: (x) => np.add(x, 2), lo: -3, hi: 3 },
  { name: "subtract(1, x)", f: (x) => np.subtract(1, x), lo: -3, hi: 3 },
  { name: "multiply(x, x)", f: (x) => np.multiply(x, x), lo: -3, hi: 3 },
  { name: "divide(1, x)", f: (x) => np.divide(1, x), lo: 0.3, hi: 3 }
]

interface BinaryCase {
  readonly name: string
  readonly f: (x: Array, y: Array) => Array
  readonly x: readonly [number, number]
  readonly y: readonly [number, number]
  readonly avoid?: (x: number, y: number) => boolean
}

const binaryCases: ReadonlyArray<BinaryCase> = [
  { name: "add", f: np.add, x: [-3, 3], y: [-3, 3] },
  { name: "subtract", f: np.subtract, x: [-3, 3], y: [-3, 3] },
  { name: "multiply", f: np.multiply, x: [-3, 3], y: [-3, 3] },
  { name: "divide", f: np.divide, x: [-3, 3], y: [0.3, 3] },
  { name: "power", f: np.power, x: [0.2, 3], y: [-2, 2] },
  { name: "arctan2", f: np.arctan2, x: [-3, 3], y: [0.3, 3] },
  { name: "maximum", f: np.maximum, x: [-3, 3], y: [-3, 3], avoid: (x, y) => Math.abs(x - y) < 0.01 },
  { name: "minimum", f: np.minimum, x: [-3, 3], y: [-3, 3], avoid: (x, y) => Math.abs(x - y) < 0.01 },
  { name: "mod", f: np.mod, x: [-4, 4], y: [0.5, 3], avoid: (x, y) => frac(x / y) < 0.01 || frac(x / y) > 0.99 },
  { name: "where(c, x, y)", f: (x, y) => np.where(f64([1, 0, 1, 0].slice(0, x.size)), x, y), x: [-3, 3], y: [-3, 3] }
]

describe("grad of every elementwise function matches float64 central differences", () => {
  for (const c of unaryCases) {
    it(c.name, () => {
      fc.assert(
        fc.property(
          vec(c.lo, c.hi).map((xs) => xs.map((x) => nudge(c.avoid, x))),
          (xs) => {
            fc.pre(c.avoid === undefined || !xs.some(c.avoid))
            const F = (x: Array) => weighted(c.f(x))
            expectGradClose(grad(F)(f64(xs)), numericGrad(F, xs))
          }
        ),
        RUNS
      )
    })
  }
  for (const c of binaryCases) {
    it(c.name, () => {
      const pairs = fc.array(fc.tuple(fc.double({ min: c.x[0], max: c.x[1], noNaN: true }), fc.double({ min: c.y[0], max: c.y[1], noNaN: true })), {
        minLength: 1,
        maxLength: 4
      })
      const nudged = pairs.map((ps) => ps.map(([x, y]): [number, number] => [c.avoid?.(x, y) === true ? x + NUDGE : x, y]))
      fc.assert(
        fc.property(nudged, (ps) => {
          fc.pre(c.avoid === undefined || !ps.some(([x, y]) => c.avoid!(x, y)))
          const xs = ps.map((p) => p[0])
          const ys = ps.map((p) => p[1])
          const [gx, gy] = grad((x: Array, y: Array) => weighted(c.f(x, y)), { argnums: [0, 1] })(f64(xs), f64(ys))
          expectGradClose(
            gx,
            numericGrad((x) => weighted(c.f(x, f64(ys))), xs)
          )
          expectGradClose(
            gy,
            numericGrad((y) => weighted(c.f(f64(xs), y)), ys)
          )
        }),
        RUNS
      )
    })
  }
})

// ---------------------------------------------------------------------------------------------

describe("known values", () => {
  const xs = [0.5, 1.25, 2, 3.75]
  const fr = (f: (x: number) => number) => xs.map((x) => Math.fround(f(Math.fround(x))))

  it("exact float32 arithmetic (one IEEE rounding per op)", () => {
    const a = [0.1, 1.7, -2.3, 1e-3]
    const b = [0.2, 3.1, 0.7, 3]
    const ra = a.map(Math.fround)
    const rb = b.map(Math.fround)
    expect(vals(np.add(f32(a), f32(b)))).toEqual(ra.map((x, i) => Math.fround(x + rb[i]!)))
    expect(vals(np.subtract(f32(a), f32(b)))).toEqual(ra.map((x, i) => Math.fround(x - rb[i]!)))
    expect(vals(np.multiply(f32(a), f32(b)))).toEqual(ra.map((x, i) => Math.fround(x * rb[i]!)))
    expect(vals(np.divide(f32(a), f32(b)))).toEqual(ra.map((x, i) => Math.fround(x / rb[i]!)))
    // A JS number operand is rounded to float32 first (weak typing): 0.1 is float32(0.1).
    expect(vals(np.add(f32(a), 0.1))).toEqual(ra.map((x) => Math.fround(x + Math.fround(0.1))))
  })

  it("transcendental functions (float32, within an ulp of float64 math)", () => {
    const cases: ReadonlyArray<readonly [(x: Array) => Array, (x: number) => number]> = [
      [np.exp, Math.exp],
      [np.exp2, (x) => 2 ** x],
      [np.expm1, Math.expm1],
      [np.log, Math.log],
      [np.log1p, Math.log1p],
      [np.sqrt, Math.sqrt],
      [np.sin, Math.sin],
      [np.cos, Math.cos],
      [np.tan, Math.tan],
      [np.arctan, Math.atan],
      [np.sinh, Math.sinh],
      [np.cosh, Math.cosh],
      [np.tanh, Math.tanh],
      [np.reciprocal, (x) => 1 / x],
      [np.square, (x) => x * x]
    ]
    for (const [f, ref] of cases) {
      const out = f(f32(xs))
      expect(out.dtype).toBe("float32")
      expectClose(vals(out), fr(ref))
    }
    expectClose(
      vals(np.arcsin(f32([0.5, -0.25]))),
      [0.5, -0.25].map((x) => Math.fround(Math.asin(x)))
    )
    expectClose(
      vals(np.arccos(f32([0.5, -0.25]))),
      [0.5, -0.25].map((x) => Math.fround(Math.acos(x)))
    )
    expectClose(vals(np.arctan2(f32([1, -1, 1, -1]), f32([1, 1, -1, -1]))), [Math.PI / 4, -Math.PI / 4, (3 * Math.PI) / 4, (-3 * Math.PI) / 4].map(Math.fround))
  })

  it("log2 and log10 are log(x) / log(base) computed in float32, as JAX stages them", () => {
    const x = [8, 10, 0.3, 1000]
    const l = (v: number) => Math.fround(Math.log(Math.fround(v)))
    expect(vals(np.log2(f32(x)))).toEqual(x.map((v) => Math.fround(l(v) / l(2))))
    expect(vals(np.log10(f32(x)))).toEqual(x.map((v) => Math.fround(l(v) / l(10))))
    // an int argument is promoted to float32
    expect(np.log2(8).dtype).toBe("float32")
  })

  it("abs, sign, negative on ints and floats", () => {
    expect(vals(np.abs(i32([-3, 0, 4])))).toEqual([3, 0, 4])
    expect(np.abs(i32([-3])).dtype).toBe("int32")
    expect(vals(np.abs(f32([-1.5, 2])))).toEqual([1.5, 2])
    expect(vals(np.sign(f32([-2, 0, 3, NaN])))).toEqual([-1, 0, 1, NaN])
    expect(vals(np.sign(i32([-7, 0, 9])))).toEqual([-1, 0, 1])
    expect(vals(np.negative(i32([1, -2])))).toEqual([-1, 2])
    expect(np.abs(np.array([true, false])).dtype).toBe("bool")
  })

  it("floorDivide and mod follow Python's sign-of-divisor rules", () => {
    const a = [-7, 7, -7, 7, 6, 0]
    const b = [2, 2, -2, -2, 3, -5]
    // Python: -7 // 2 = -4, 7 // 2 = 3, -7 // -2 = 3, 7 // -2 = -4, 6 // 3 = 2, 0 // -5 = 0
    expect(vals(np.floorDivide(i32(a), i32(b)))).toEqual([-4, 3, 3, -4, 2, 0])
    // Python: -7 % 2 = 1, 7 % 2 = 1, -7 % -2 = -1, 7 % -2 = -1, 6 % 3 = 0, 0 % -5 = 0
    expect(vals(np.mod(i32(a), i32(b)))).toEqual([1, 1, -1, -1, 0, 0])
    expect(np.mod(i32(a), i32(b)).dtype).toBe("int32")
    // floats: -7.5 // 2 = -4, -7.5 % 2 = 0.5, 7.5 % -2 = -0.5, 5.25 % 1.5 = 0.75
    expect(vals(np.floorDivide(f32([-7.5, 7.5, 5.25]), f32([2, -2, 1.5])))).toEqual([-4, -4, 3])
    expect(vals(np.mod(f32([-7.5, 7.5, 5.25]), f32([2, -2, 1.5])))).toEqual([0.5, -0.5, 0.75])
    expect(vals(np.remainder(i32([5]), 3))).toEqual([2])
  })

  it("power: integer_pow for JS integers, exact integer powers, float pow otherwise", () => {
    const ip = np.power(i32([2, 3, -2, 0]), i32([3, 2, 3, 0]))
    expect(ip.dtype).toBe("int32")
    expect(vals(ip)).toEqual([8, 9, -8, 1])
    expect(vals(np.power(i32([0, 0, 5]), i32([0, 2, 1])))).toEqual([1, 0, 5])
    expect(vals(np.power(i32([3, -2]), 2))).toEqual([9, 4])
    expect(np.power(i32([3]), 2).dtype).toBe("int32")
    expect(vals(np.power(f32([2, 3]), -1))).toEqual([0.5, Math.fround(1 / 3)])
    const fp = np.power(i32([4, 9]), 0.5)
    expect(fp.dtype).toBe("float32")
    expectClose(vals(fp), [2, 3])
    expect(vals(np.power(2, i32([0, 1, 10])))).toEqual([1, 2, 1024])
    expect(() => np.power(i32([2]), -1)).toThrow(ValueError)
  })

  it("floor, ceil, round (half to even) and decimals", () => {
    expect(vals(np.floor(f32([-1.5, -0.5, 0.5, 2])))).toEqual([-2, -1, 0, 2])
    expect(unsignedZero(np.ceil(f32([-1.5, -0.5, 0.5, 2])))).toEqual([-1, 0, 1, 2])
    expect(unsignedZero(np.round(f32([0.5, 1.5, 2.5, -0.5, -1.5, 2.6])))).toEqual([0, 2, 2, 0, -2, 3])
    // 1.2345 * 100 in float32 = 123.45 -> 123; / 100 -> 1.23 (float32)
    // float32: 1.2345 * 100 = 123.45000457 -> 123 -> 1.23; -2.675 * 100 = -267.5 (rounded) -> -268 (even) -> -2.68
    expect(vals(np.round(f32([1.2345, -2.675]), 2))).toEqual([Math.fround(1.23), Math.fround(-2.68)])
    const ints = i32([1, -2])
    expect(np.floor(ints)).toBe(ints)
    expect(np.round(ints)).toBe(ints)
  })

  it("clip, maximum, minimum", () => {
    expect(vals(np.clip(f32([-2, 0.5, 3]), 0, 1))).toEqual([0, 0.5, 1])
    expect(vals(np.clip(f32([-2, 0.5, 3]), { max: 1 }))).toEqual([-2, 0.5, 1])
    expect(vals(np.clip(i32([-2, 1, 5]), null, 2))).toEqual([-2, 1, 2])
    expect(vals(np.maximum(f32([1, 5]), f32([3, 2])))).toEqual([3, 5])
    expect(vals(np.minimum(i32([1, 5]), 2))).toEqual([1, 2])
    // broadcasting with rank promotion
    const m = np.maximum(np.array([[1], [4]]), np.array([2, 3, 5]))
    expect(m.shape).toEqual([2, 3])
    expect(vals(m)).toEqual([2, 3, 5, 4, 4, 5])
  })

  it("where casts the condition to bool and promotes the branches", () => {
    const w = np.where(i32([1, 0, -2]), i32([1, 2, 3]), 0.5)
    expect(w.dtype).toBe("float32")
    expect(vals(w)).toEqual([1, 0.5, 3])
    const b = np.where(np.array([[true], [false]]), f32([1, 2]), f32([10, 20]))
    expect(b.shape).toEqual([2, 2])
    expect(vals(b)).toEqual([1, 2, 10, 20])
  })

  it("comparisons and logic", () => {
    const a = f32([1, 2, 3])
    expect(bools(np.equal(a, 2))).toEqual([false, true, false])
    expect(bools(np.notEqual(a, 2))).toEqual([true, false, true])
    expect(bools(np.less(a, 2))).toEqual([true, false, false])
    expect(bools(np.lessEqual(a, 2))).toEqual([true, true, false])
    expect(bools(np.greater(a, 2))).toEqual([false, false, true])
    expect(bools(np.greaterEqual(a, 2))).toEqual([false, true, true])
    expect(np.less(i32([1]), 1.5).dtype).toBe("bool")
    expect(bools(np.less(i32([1, 2]), 1.5))).toEqual([true, false])
    const p = np.array([true, true, false, false])
    const q = np.array([true, false, true, false])
    expect(bools(np.logicalAnd(p, q))).toEqual([true, false, false, false])
    expect(bools(np.logicalOr(p, q))).toEqual([true, true, true, false])
    expect(bools(np.logicalXor(p, q))).toEqual([false, true, true, false])
    expect(bools(np.logicalNot(p))).toEqual([false, false, true, true])
    // numbers are true when nonzero
    expect(bools(np.logicalAnd(i32([0, 3, -1]), 2.5))).toEqual([false, true, true])
    expect(bools(np.logicalNot(f32([0, 0.5])))).toEqual([true, false])
  })

  it("isnan, isinf, isfinite", () => {
    const x = f32([NaN, Infinity, -Infinity, 1, 0])
    expect(bools(np.isnan(x))).toEqual([true, false, false, false, false])
    expect(bools(np.isinf(x))).toEqual([false, true, true, false, false])
    expect(bools(np.isfinite(x))).toEqual([false, false, false, true, true])
    const n = i32([1, 2])
    expect(bools(np.isnan(n))).toEqual([false, false])
    expect(bools(np.isinf(n))).toEqual([false, false])
    expect(bools(np.isfinite(n))).toEqual([true, true])
  })

  it("bool add is or, bool multiply is and", () => {
    const p = np.array([true, true, false])
    const q = np.array([true, false, false])
    const s = np.add(p, q)
    expect(s.dtype).toBe("bool")
    expect(bools(s)).toEqual([true, true, false])
    expect(bools(np.multiply(p, q))).toEqual([true, false, false])
  })
})

describe("staging", () => {
  it("log2 stages exactly as JAX's jnp.log2: log a; log 2.0; div", () => {
    const jaxpr = jaxfx.makeJaxpr((x: Array) => np.log2(x))(np.array(3.0, { dtype: "float32" }))
    expect(jaxpr.toString({ compact: true })).toBe("{ lambda ; a:f32[]. let b:f32[] = log a; c:f32[] = log 2.0:f32[]; d:f32[] = div b c in (d,) }")
  })
})

describe("type promotion through the np functions", () => {
  it("int32 + 1.5 is float32; float32 * 2 stays float32", () => {
    const a = np.add(i32([1, 2]), 1.5)
    expect(a.dtype).toBe("float32")
    // JAX's lattice: a strong int joined with a weak float is the weak float type f*
    expect(a.weakType).toBe(true)
    expect(vals(a)).toEqual([2.5, 3.5])
    expect(np.multiply(f32([1, 2]), 2).dtype).toBe("float32")
    expect(np.add(i32([1, 2]), 2).dtype).toBe("int32")
  })
  it("int32 + uint32 is int32; int / int divides to float32", () => {
    expect(np.add(i32([1]), np.array([2], { dtype: "uint32" })).dtype).toBe("int32")
    const d = np.divide(i32([1, 3]), i32([2, 4]))
    expect(d.dtype).toBe("float32")
    expect(vals(d)).toEqual([0.5, 0.75])
  })
  it("float32 with float64 is float64; bool with int is int", () => {
    expect(np.add(f32([1]), f64([1])).dtype).toBe("float64")
    expect(np.add(np.array([true]), i32([1])).dtype).toBe("int32")
  })
  it("transcendentals promote ints to float32; square keeps ints; JS scalars stay weak", () => {
    expect(np.exp(i32([1])).dtype).toBe("float32")
    expect(np.sqrt(4).dtype).toBe("float32")
    expect(np.square(i32([3])).dtype).toBe("int32")
    const s = np.add(2, 3)
    expect(s.dtype).toBe("int32")
    expect(s.weakType).toBe(true)
    expect(np.add(f64([1]), 2.5).dtype).toBe("float64")
  })
  it("lax-level dtype errors name the fix", () => {
    expect(() => np.subtract(np.array([true]), np.array([false]))).toThrow(DTypeError)
  })
})
