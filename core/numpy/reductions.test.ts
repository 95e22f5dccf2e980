/**
 * np reductions. Expected values are hand-derived (exactly representable data, so the summation
 * order does not matter); gradients are checked against float64 central differences.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Array, DTypeError, grad, lax, np, ShapeError, ValueError } from "../../index.js"

const f32 = (xs: ReadonlyArray<number>): Array => np.array(xs, { dtype: "float32" })
const f64 = (xs: ReadonlyArray<number>): Array => np.array(xs, { dtype: "float64" })
const i32 = (xs: ReadonlyArray<number>): Array => np.array(xs, { dtype: "int32" })
const vals = (a: Array): number[] => [...a.data()]
const bools = (a: Array): boolean[] => vals(a).map((v) => v !== 0)
const m22 = np.array([
  [1, 2],
  [3, 4]
])
const m23 = np.array([
  [1, 5, 3],
  [4, 2, 6]
])

describe("sum and prod", () => {
  it("sum over all axes, one axis, several axes, negative axes, keepdims", () => {
    expect(np.sum(m22).dtype).toBe("int32")
    expect(np.sum(m22).shape).toEqual([])
    expect(np.sum(m22).item()).toBe(10)
    expect(vals(np.sum(m22, { axis: 0 }))).toEqual([4, 6])
    expect(vals(np.sum(m22, { axis: 1 }))).toEqual([3, 7])
    expect(vals(np.sum(m22, { axis: -1 }))).toEqual([3, 7])
    expect(np.sum(m22, { axis: [0, 1] }).item()).toBe(10)
    expect(np.sum(m22, { axis: null }).item()).toBe(10)
    const k = np.sum(m22, { axis: 1, keepdims: true })
    expect(k.shape).toEqual([2, 1])
    expect(vals(k)).toEqual([3, 7])
    expect(np.sum(m22, { keepdims: true }).shape).toEqual([1, 1])
  })
  it("dtypes: ints stay int32, bools count as int32, dtype option casts first", () => {
    expect(np.sum(np.array([true, true, false])).dtype).toBe("int32")
    expect(np.sum(np.array([true, true, false])).item()).toBe(2)
    expect(np.sum(np.array([1, 2], { dtype: "uint32" })).dtype).toBe("uint32")
    const s = np.sum(m22, { dtype: "float32" })
    expect(s.dtype).toBe("float32")
    expect(s.item()).toBe(10)
    expect(np.sum(f64([0.5, 0.25])).dtype).toBe("float64")
  })
  it("prod, and the identities of empty reductions", () => {
    expect(np.prod(i32([1, 2, 3, 4])).item()).toBe(24)
    expect(vals(np.prod(m23, { axis: 0 }))).toEqual([4, 10, 18])
    expect(np.sum(f32([])).item()).toBe(0)
    expect(np.prod(f32([])).item()).toBe(1)
    expect(vals(np.sum(np.zeros([2, 0]), { axis: 1 }))).toEqual([0, 0])
  })
  it("nanSum ignores NaNs", () => {
    expect(np.nanSum(f32([1, NaN, 2.5])).item()).toBe(3.5)
    expect(
      vals(
        np.nanSum(
          np.array([
            [NaN, 1],
            [2, NaN]
          ]),
          { axis: 0 }
        )
      )
    ).toEqual([2, 1])
  })
  it("bad axes are ShapeErrors", () => {
    expect(() => np.sum(m22, { axis: 2 })).toThrow(ShapeError)
    expect(() => np.sum(m22, { axis: [0, 0] })).toThrow(ShapeError)
  })
})

describe("mean, var, std", () => {
  it("mean of ints is float32", () => {
    const m = np.mean(i32([1, 2, 3, 4]))
    expect(m.dtype).toBe("float32")
    expect(m.item()).toBe(2.5)
    expect(vals(np.mean(m23, { axis: 0 }))).toEqual([2.5, 3.5, 4.5])
    expect(vals(np.mean(m23, { axis: 1 }))).toEqual([3, 4])
    expect(np.mean(m23, { axis: 1, keepdims: true }).shape).toEqual([2, 1])
    expect(np.mean(f64([1, 2])).dtype).toBe("float64")
  })
  it("var with ddof, std", () => {
    // [1,2,3,4]: mean 2.5, squared deviations 2.25+0.25+0.25+2.25 = 5
    expect(np.var(i32([1, 2, 3, 4])).item()).toBe(1.25)
    expect(np.var(i32([1, 2, 3, 4])).dtype).toBe("float32")
    expect(np.var(f32([1, 2, 3, 4]), { ddof: 1 }).item()).toBe(Math.fround(5 / 3))
    expect(np.std(f32([1, 2, 3, 4])).item()).toBe(Math.fround(Math.sqrt(1.25)))
    // rows [1,5,3] (mean 3, dev² 4+4+0 = 8) and [4,2,6] (mean 4, dev² 0+4+4 = 8)
    expect(vals(np.var(m23, { axis: 1 }))).toEqual([Math.fround(8 / 3), Math.fround(8 / 3)])
    expect(vals(np.var(m23, { axis: 1, ddof: 1 }))).toEqual([4, 4])
    expect(np.var(m23, { axis: 0, keepdims: true }).shape).toEqual([1, 3])
    expect(np.var(f64([1, 2])).dtype).toBe("float64")
    expect(() => np.var(m23, { dtype: "int32" })).toThrow(DTypeError)
  })
})

describe("max, min, argmax, argmin", () => {
  it("max and min over axes, with keepdims and initial", () => {
    expect(np.max(m23).item()).toBe(6)
    expect(np.min(m23).item()).toBe(1)
    expect(vals(np.max(m23, { axis: 0 }))).toEqual([4, 5, 6])
    expect(vals(np.min(m23, { axis: 1 }))).toEqual([1, 2])
    expect(np.max(m23, { axis: 1, keepdims: true }).shape).toEqual([2, 1])
    expect(vals(np.max(lax.reshape(f32([1, 5, 3, 4, 2, 6]), [2, 3]), { axis: 1, initial: 5.5 }))).toEqual([5.5, 6])
    expect(np.max(m23, { axis: 1, initial: 5 }).dtype).toBe("int32")
    expect(vals(np.amax(f32([-1, -3])))).toEqual([-1])
    expect(vals(np.amin(f32([-1, -3])))).toEqual([-3])
  })
  it("an empty axis is a ValueError unless initial is given", () => {
    expect(() => np.max(f32([]))).toThrow(ValueError)
    expect(() => np.min(np.zeros([0, 2]), { axis: 0 })).toThrow(ValueError)
    expect(vals(np.max(np.zeros([0, 2]), { axis: 0, initial: -1 }))).toEqual([-1, -1])
    // reducing the non-empty axis of an empty array is fine
    expect(np.max(np.zeros([0, 2]), { axis: 1 }).shape).toEqual([0])
  })
  it("argmax / argmin: first occurrence, flattened by default, int32", () => {
    expect(np.argmax(f32([1, 3, 3, 2])).item()).toBe(1)
    expect(np.argmin(f32([2, 0, 5, 0])).item()).toBe(1)
    expect(np.argmax(m23).dtype).toBe("int32")
    expect(np.argmax(m23).item()).toBe(5)
    expect(vals(np.argmax(m23, { axis: 0 }))).toEqual([1, 0, 1])
    expect(vals(np.argmin(m23, { axis: 1 }))).toEqual([0, 1])
    expect(vals(np.argmin(m23, { axis: -1 }))).toEqual([0, 1])
    expect(np.argmax(m23, { axis: 1, keepdims: true }).shape).toEqual([2, 1])
    expect(np.argmax(m23, { keepdims: true }).shape).toEqual([1, 1])
    expect(() => np.argmax(f32([]))).toThrow(ValueError)
  })
})

describe("all, any", () => {
  it("reduce truthiness over axes; empty axes give the identities", () => {
    const b = np.array([
      [true, false],
      [true, true]
    ])
    expect(np.all(b).item()).toBe(0)
    expect(np.any(b).item()).toBe(1)
    expect(np.all(b).dtype).toBe("bool")
    expect(bools(np.all(b, { axis: 0 }))).toEqual([true, false])
    expect(bools(np.any(b, { axis: 1 }))).toEqual([true, true])
    expect(bools(np.all(i32([1, -2, 0])))).toEqual([false])
    expect(bools(np.any(f32([0, 0, 0.5])))).toEqual([true])
    expect(np.all(f32([])).item()).toBe(1)
    expect(np.any(f32([])).item()).toBe(0)
    expect(np.all(b, { axis: 1, keepdims: true }).shape).toEqual([2, 1])
  })
})

describe("cumsum, cumprod", () => {
  it("flattened by default, along an axis otherwise", () => {
    expect(vals(np.cumsum(m22))).toEqual([1, 3, 6, 10])
    expect(np.cumsum(m22).shape).toEqual([4])
    const c = np.cumsum(m22, { axis: 1 })
    expect(c.shape).toEqual([2, 2])
    expect(vals(c)).toEqual([1, 3, 3, 7])
    expect(vals(np.cumsum(m22, { axis: 0 }))).toEqual([1, 2, 4, 6])
    expect(np.cumsum(np.array([true, false, true])).dtype).toBe("int32")
    expect(vals(np.cumsum(np.array([true, false, true])))).toEqual([1, 1, 2])
    expect(np.cumsum(m22, { dtype: "float32" }).dtype).toBe("float32")
    expect(vals(np.cumprod(i32([1, 2, 3, 4])))).toEqual([1, 2, 6, 24])
    expect(vals(np.cumprod(m23, { axis: 1 }))).toEqual([1, 5, 15, 4, 8, 48])
  })
})

// ---------------------------------------------------------------------------------------------

const H = 1e-6
const mat = (flat: ReadonlyArray<number>): Array => lax.reshape(f64(flat), [2, 3])
const numericGrad = (F: (x: Array) => Array, xs: ReadonlyArray<number>): number[] =>
  xs.map((_, i) => {
    const up = [...xs]
    const dn = [...xs]
    up[i] = up[i]! + H
    dn[i] = dn[i]! - H
    return (F(mat(up)).item() - F(mat(dn)).item()) / (2 * H)
  })
/** sum(w * y) with fixed distinct weights of y's shape. */
const weighted = (y: Array): Array => {
  const w = f64(globalThis.Array.from({ length: y.size }, (_, i) => 0.6 + 0.45 * i - 0.2 * (i % 3)))
  return np.sum(np.multiply(lax.reshape(w, y.shape), y))
}

interface ReductionCase {
  readonly name: string
  readonly f: (x: Array) => Array
  /** Values must be pairwise distinct (for max/min). */
  readonly distinct?: boolean
}

const cases: ReadonlyArray<ReductionCase> = [
  { name: "sum", f: (x) => np.sum(x) },
  { name: "sum axis 0", f: (x) => np.sum(x, { axis: 0 }) },
  { name: "sum axis 1 keepdims", f: (x) => np.sum(x, { axis: 1, keepdims: true }) },
  { name: "nanSum", f: (x) => np.nanSum(x, { axis: 1 }) },
  { name: "prod", f: (x) => np.prod(x) },
  { name: "prod axis 1", f: (x) => np.prod(x, { axis: 1 }) },
  { name: "mean", f: (x) => np.mean(x) },
  { name: "mean axis 0", f: (x) => np.mean(x, { axis: 0 }) },
  { name: "var", f: (x) => np.var(x) },
  { name: "var axis 1 ddof 1", f: (x) => np.var(x, { axis: 1, ddof: 1 }) },
  { name: "std axis 0", f: (x) => np.std(x, { axis: 0 }), distinct: true },
  { name: "std", f: (x) => np.std(x), distinct: true },
  { name: "max", f: (x) => np.max(x), distinct: true },
  { name: "max axis 1", f: (x) => np.max(x, { axis: 1 }), distinct: true },
  { name: "min axis 0 keepdims", f: (x) => np.min(x, { axis: 0, keepdims: true }), distinct: true },
  { name: "max with initial", f: (x) => np.max(x, { axis: 1, initial: 0 }), distinct: true },
  { name: "cumsum", f: (x) => np.cumsum(x) },
  { name: "cumsum axis 0", f: (x) => np.cumsum(x, { axis: 0 }) },
  { name: "cumprod axis 1", f: (x) => np.cumprod(x, { axis: 1 }) }
]

/** Six values in shuffled, separated bins of [-2, 2.2] (pairwise at least 0.3 apart, none near 0). */
const distinctValues = fc
  .tuple(
    fc.shuffledSubarray([0, 1, 2, 3, 4, 5], { minLength: 6, maxLength: 6 }),
    fc.array(fc.double({ min: 0, max: 0.4, noNaN: true }), { minLength: 6, maxLength: 6 })
  )
  .map(([perm, noise]) => perm.map((k, i) => -2 + 0.7 * k + noise[i]!))

const distinctEnough = (xs: ReadonlyArray<number>): boolean => {
  const s = [...xs, 0].sort((a, b) => a - b)
  for (let i = 1; i < s.length; i++) if (s[i]! - s[i - 1]! < 0.01) return false
  return true
}

describe("grad of every reduction matches float64 central differences", () => {
  for (const c of cases) {
    it(c.name, () => {
      const arb = c.distinct === true ? distinctValues : fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 6, maxLength: 6 })
      fc.assert(
        fc.property(arb, (xs) => {
          fc.pre(c.distinct !== true || distinctEnough(xs))
          const F = (x: Array) => weighted(c.f(x))
          const g = grad(F)(mat(xs))
          expect(g.dtype).toBe("float64")
          expect(g.shape).toEqual([2, 3])
          const want = numericGrad(F, xs)
          vals(g).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(want[i]!)))
        }),
        { seed: 7, numRuns: 10 }
      )
    })
  }
})
