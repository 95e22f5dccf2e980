/**
 * np creation functions. Expected values are hand-derived or taken from NumPy/JAX documentation
 * examples; float32 results are float64 math rounded once with Math.fround.
 */
import { describe, expect, it } from "vitest"
import { type Array, DTypeError, grad, np, ShapeError, ValueError } from "../../index.js"

const vals = (a: Array): number[] => [...a.data()]

describe("array / asarray", () => {
  it("infers int32, float32 and bool; dtype casts", () => {
    expect(np.array([1, 2]).dtype).toBe("int32")
    expect(np.array([1.5, 2]).dtype).toBe("float32")
    expect(np.array([true]).dtype).toBe("bool")
    const a = np.array([1, 2], { dtype: "float32" })
    expect(a.dtype).toBe("float32")
    expect(vals(a)).toEqual([1, 2])
    expect(np.array(3.5).shape).toEqual([])
    expect(np.array(3.5).weakType).toBe(false)
    expect(vals(np.array([1.7, -1.7], { dtype: "int32" }))).toEqual([1, -1])
    expect(np.asarray(a)).toBe(a)
    expect(np.asarray(a, { dtype: "float64" }).dtype).toBe("float64")
    expect(() => np.array([1], { dtype: "int64" as never })).toThrow(DTypeError)
  })
})

describe("zeros, ones, full and the *Like functions", () => {
  it("zeros / ones: float32 by default, number or list shapes", () => {
    const z = np.zeros(3)
    expect(z.shape).toEqual([3])
    expect(z.dtype).toBe("float32")
    expect(z.weakType).toBe(false)
    expect(vals(z)).toEqual([0, 0, 0])
    const o = np.ones([2, 2], { dtype: "int32" })
    expect(o.shape).toEqual([2, 2])
    expect(o.dtype).toBe("int32")
    expect(vals(o)).toEqual([1, 1, 1, 1])
    expect(np.zeros([]).shape).toEqual([])
    expect(np.zeros([0, 3]).size).toBe(0)
    expect(() => np.zeros(-1)).toThrow(ShapeError)
    expect(() => np.ones([2.5])).toThrow(ShapeError)
  })
  it("full takes the fill value's dtype (weak for JS numbers), or dtype", () => {
    const a = np.full([2], 7)
    expect(a.dtype).toBe("int32")
    expect(a.weakType).toBe(true)
    expect(vals(a)).toEqual([7, 7])
    expect(np.full(2, 0.5).dtype).toBe("float32")
    expect(np.full(2, true).dtype).toBe("bool")
    const b = np.full([2], 7, { dtype: "float32" })
    expect(b.dtype).toBe("float32")
    expect(b.weakType).toBe(false)
    // an array fill value broadcasts
    const c = np.full([2, 3], np.array([1, 2, 3]))
    expect(c.shape).toEqual([2, 3])
    expect(c.dtype).toBe("int32")
    expect(vals(c)).toEqual([1, 2, 3, 1, 2, 3])
    expect(() => np.full([2], np.array([1, 2, 3]))).toThrow(ShapeError)
  })
  it("zerosLike / onesLike / fullLike copy dtype, weak type and shape", () => {
    const x = np.array([[1, 2, 3]], { dtype: "int32" })
    const z = np.zerosLike(x)
    expect(z.shape).toEqual([1, 3])
    expect(z.dtype).toBe("int32")
    expect(vals(z)).toEqual([0, 0, 0])
    expect(vals(np.onesLike(x, { dtype: "float64" }))).toEqual([1, 1, 1])
    expect(np.onesLike(x, { dtype: "float64" }).dtype).toBe("float64")
    const f = np.fullLike(x, 2.7)
    expect(f.dtype).toBe("int32")
    expect(vals(f)).toEqual([2, 2, 2])
    expect(np.fullLike(x, 1, { shape: [2] }).shape).toEqual([2])
    expect(np.zerosLike(1.5).weakType).toBe(true)
    expect(np.zerosLike(1.5).dtype).toBe("float32")
  })
})

describe("arange", () => {
  it("integers give int32", () => {
    const a = np.arange(5)
    expect(a.dtype).toBe("int32")
    expect(vals(a)).toEqual([0, 1, 2, 3, 4])
    expect(vals(np.arange(2, 8, 2))).toEqual([2, 4, 6])
    expect(vals(np.arange(5, 1, -1))).toEqual([5, 4, 3, 2])
    expect(vals(np.arange(3, 3))).toEqual([])
    expect(np.arange(0).shape).toEqual([0])
    expect(vals(np.arange(-2, 2))).toEqual([-2, -1, 0, 1])
  })
  it("any fraction gives float32; dtype overrides", () => {
    const a = np.arange(0, 1, 0.25)
    expect(a.dtype).toBe("float32")
    expect(vals(a)).toEqual([0, 0.25, 0.5, 0.75])
    expect(vals(np.arange(0.5, 3))).toEqual([0.5, 1.5, 2.5])
    expect(vals(np.arange(2.5))).toEqual([0, 1, 2])
    // NumPy: arange(0, 1, 0.1) has 10 values i * 0.1 (float64), then rounded to float32
    expect(vals(np.arange(0, 1, 0.1))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => Math.fround(i * 0.1)))
    const f = np.arange(3, { dtype: "float32" })
    expect(f.dtype).toBe("float32")
    expect(vals(f)).toEqual([0, 1, 2])
    expect(vals(np.arange(1, 2, 0.5, { dtype: "float64" }))).toEqual([1, 1.5])
    expect(np.arange(1, 3, { dtype: "float32" }).dtype).toBe("float32")
    expect(vals(np.arange(1, 3, { dtype: "float32" }))).toEqual([1, 2])
    // with dtype float32 NumPy accumulates in float32: 9 * float32(0.1) = 0.90000004
    expect(vals(np.arange(0, 1, 0.1, { dtype: "float32" })).at(-1)).toBe(Math.fround(9 * Math.fround(0.1)))
  })
  it("a zero step is an error", () => {
    expect(() => np.arange(0, 1, 0)).toThrow(ValueError)
  })
})

describe("linspace", () => {
  it("known values (NumPy / JAX documentation examples)", () => {
    const a = np.linspace(2, 3, 5)
    expect(a.dtype).toBe("float32")
    expect(vals(a)).toEqual([2, 2.25, 2.5, 2.75, 3])
    expect(vals(np.linspace(0, 10, 8, { endpoint: false }))).toEqual([0, 1.25, 2.5, 3.75, 5, 6.25, 7.5, 8.75])
    expect(vals(np.linspace(0, 1, 4))).toEqual([0, Math.fround(1 / 3), Math.fround(2 / 3), 1])
    expect(np.linspace(0, 1).shape).toEqual([50])
    expect(vals(np.linspace(0, 1, 50)).at(-1)).toBe(1)
  })
  it("degenerate sizes, integer dtypes, array bounds", () => {
    expect(vals(np.linspace(3, 7, 1))).toEqual([3])
    expect(np.linspace(3, 7, 0).shape).toEqual([0])
    const i = np.linspace(0, 10, 4, { dtype: "int32" })
    expect(i.dtype).toBe("int32")
    expect(vals(i)).toEqual([0, 3, 6, 10])
    expect(np.linspace(0, 1, 3, { dtype: "float64" }).dtype).toBe("float64")
    const m = np.linspace(np.array([0, 5]), np.array([5, 10]), 5)
    expect(m.shape).toEqual([5, 2])
    expect(vals(m)).toEqual([0, 5, 1.25, 6.25, 2.5, 7.5, 3.75, 8.75, 5, 10])
    expect(np.linspace(np.array([0, 5]), 1, 3, { axis: 1 }).shape).toEqual([2, 3])
    expect(() => np.linspace(0, 1, -1)).toThrow(ValueError)
  })
  it("is differentiable in start and stop", () => {
    // sum over i of start*(1 - i/4) for i = 0..3, plus the appended endpoint (stop only)
    const ds = grad((s: Array) => np.sum(np.linspace(s, 1, 5)))(np.array(0.0, { dtype: "float32" }))
    expect(ds.item()).toBe(2.5)
    const de = grad((e: Array) => np.sum(np.linspace(0, e, 5)))(np.array(2.0, { dtype: "float32" }))
    expect(de.item()).toBe(2.5)
  })
})

describe("eye and identity", () => {
  it("ones on the k-th diagonal", () => {
    expect(vals(np.eye(3))).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1])
    expect(np.eye(3).dtype).toBe("float32")
    const r = np.eye(2, 3, { k: 1 })
    expect(r.shape).toEqual([2, 3])
    expect(vals(r)).toEqual([0, 1, 0, 0, 0, 1])
    const l = np.eye(3, null, { k: -1, dtype: "int32" })
    expect(l.dtype).toBe("int32")
    expect(vals(l)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0])
    expect(vals(np.eye(2, 2, { k: 5 }))).toEqual([0, 0, 0, 0])
    expect(vals(np.identity(2, { dtype: "bool" }))).toEqual([1, 0, 0, 1])
    expect(() => np.eye(-1)).toThrow(ShapeError)
  })
  it("complex and 16-bit dtypes: ones as values, not as raw storage", () => {
    const c = np.eye(2, 3, { k: 1, dtype: "complex64" })
    expect(c.dtype).toBe("complex64")
    expect(vals(np.real(c))).toEqual([0, 1, 0, 0, 0, 1])
    expect(vals(np.imag(c))).toEqual([0, 0, 0, 0, 0, 0])
    expect(vals(np.identity(2, { dtype: "float16" }).astype("float32"))).toEqual([1, 0, 0, 1])
  })
})
