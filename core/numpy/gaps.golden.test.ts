import { describe, expect, it } from "vitest"
import { Array as JArray, grad, jit, np, ShapeError, ValueError, vmap } from "../../index.js"
import { describeGoldenCalls, type GoldenCalls } from "./golden-helpers.js"

// Each golden id names the call (golden/numpy_gaps.py makes the same one in JAX); tol: relative.
const calls: GoldenCalls = {
  "polyfit deg2": [(a, b) => np.polyfit(a!, b!, 2), 2e-4],
  "polyfit deg0": [(a, b) => np.polyfit(a!, b!, 0), 1e-5],
  "polyfit 2d deg1": [(a, b) => np.polyfit(a!, b!, 1), 2e-4],
  "polyfit w": [(a, b, c) => np.polyfit(a!, b!, 2, { w: c! }), 2e-4],
  "polyfit full": [(a, b) => np.polyfit(a!, b!, 2, { full: true }), 2e-3],
  "polyfit cov": [(a, b) => np.polyfit(a!, b!, 2, { cov: true }), 2e-3],
  "polyfit cov unscaled 2d": [(a, b) => np.polyfit(a!, b!, 1, { cov: "unscaled" }), 2e-4],
  "polyfit int": [(a, b) => np.polyfit(a!, b!, 1), 2e-4],
  "polyfit rank-deficient": [(a, b) => np.polyfit(a!, b!, 3, { full: true }), 2e-3],
  "cumulativeSum 1d": [(a) => np.cumulativeSum(a!), 0],
  "cumulativeSum axis1 initial": [(a) => np.cumulativeSum(a!, { axis: 1, includeInitial: true }), 0],
  "cumulativeSum axis0": [(a) => np.cumulativeSum(a!, { axis: 0 }), 0],
  "cumulativeSum bool": [(a) => np.cumulativeSum(a!), 0],
  "cumulativeSum empty initial": [(a) => np.cumulativeSum(a!, { includeInitial: true }), 0],
  "cumulativeProd axis-1 initial": [(a) => np.cumulativeProd(a!, { axis: -1, includeInitial: true }), 0],
  "cumulativeProd axis0 float32": [(a) => np.cumulativeProd(a!, { axis: 0, dtype: "float32" }), 0],
  vecdot: [(a, b) => np.vecdot(a!, b!), 1e-6],
  "vecdot axis0": [(a, b) => np.vecdot(a!, b!, { axis: 0 }), 0],
  matvec: [(a, b) => np.matvec(a!, b!), 1e-6],
  "matvec batch": [(a, b) => np.matvec(a!, b!), 0],
  vecmat: [(a, b) => np.vecmat(a!, b!), 1e-6],
  logspace: [(a, b) => np.logspace(a!, b!, 5), 1e-6],
  "logspace base2 noend": [(a, b) => np.logspace(a!, b!, 4, { endpoint: false, base: 2 }), 1e-6],
  "logspace int32": [(a, b) => np.logspace(a!, b!, 4, { dtype: "int32" }), 0],
  "logspace array axis1": [(a, b) => np.logspace(a!, b!, 3, { axis: 1 }), 1e-6],
  geomspace: [(a, b) => np.geomspace(a!, b!, 4), 1e-6],
  "geomspace neg noend": [(a, b) => np.geomspace(a!, b!, 5, { endpoint: false }), 1e-6],
  "geomspace array axis1": [(a, b) => np.geomspace(a!, b!, 3, { axis: 1 }), 1e-6],
  "geomspace int32": [(a, b) => np.geomspace(a!, b!, 3, { dtype: "int32" }), 0],
  "trimZeros 1d": [(a) => np.trimZeros(a!), 0],
  "trimZeros f": [(a) => np.trimZeros(a!, { trim: "f" }), 0],
  "trimZeros b": [(a) => np.trimZeros(a!, { trim: "b" }), 0],
  "trimZeros all zero": [(a) => np.trimZeros(a!), 0],
  "trimZeros 2d": [(a) => np.trimZeros(a!), 0],
  "trimZeros 2d axis1 f": [(a) => np.trimZeros(a!, { trim: "f", axis: 1 }), 0],
  spacing: [(a) => np.spacing(a!), 0],
  "spacing int": [(a) => np.spacing(a!), 0]
}

describeGoldenCalls("np.polyfit, cumulativeSum/Prod, vecdot/matvec/vecmat, logspace/geomspace equal JAX's", "numpy_gaps", calls)

describe("their errors and transformations", () => {
  it("polyfit refuses bad degrees, shapes and weights, and too few points for a scaled covariance", () => {
    const x = np.array([0, 1, 2])
    expect(() => np.polyfit(x, x, -1)).toThrow(ValueError)
    expect(() => np.polyfit(np.ones([2, 2]), x, 1)).toThrow(ShapeError)
    expect(() => np.polyfit(x, np.ones([2]), 1)).toThrow(/same length/)
    expect(() => np.polyfit(x, x, 1, { w: np.ones([2]) })).toThrow(/w \(2,\)/)
    expect(() => np.polyfit(x, x, 2, { cov: true })).toThrow(/cov: "unscaled"/)
  })
  it("polyfit is differentiable in y and jits (the fit of y = 2x + 1 is linear in y)", () => {
    const x = np.array([0, 1, 2, 3])
    const slope = (y: JArray) => np.polyfit(x, y, 1).at(0).get()
    const g = grad(slope)(np.array([1, 3, 5, 7], { dtype: "float32" }))
    // d slope / d y_i = (x_i - mean x) / sum (x - mean x)^2
    const want = [-1.5, -0.5, 0.5, 1.5].map((d) => d / 5)
    Array.from(g.data(), Number).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4))
    expect(Array.from(jit((y: JArray) => np.polyfit(x, y, 1))(np.array([1, 3, 5, 7])).data(), (v) => Math.round(Number(v) * 1e4) / 1e4)).toEqual([2, 1])
  })
  it("trimZeros needs concrete values", () => {
    expect(() => jit((a: JArray) => np.trimZeros(a))(np.array([0, 1, 0]))).toThrow(/call it outside jit/)
  })
  it("cumulativeSum needs an axis beyond 1-D and a non-scalar input", () => {
    expect(() => np.cumulativeSum(np.ones([2, 2]))).toThrow(/pass \{ axis \}/)
    expect(() => np.cumulativeSum(np.array(1))).toThrow(ShapeError)
  })
  it("vmap of vecdot and matvec equals the batched call", () => {
    const m = np.arange(12).reshape([3, 4]).astype("float32")
    const v = np.array([1, 2, 3, 4], { dtype: "float32" })
    expect(vmap((r: JArray) => np.vecdot(r, v))(m).toJs()).toEqual(np.vecdot(m, v).toJs())
    expect(vmap((r: JArray) => np.matvec(m, r))(np.stack([v, v])).toJs()).toEqual(np.stack([np.matvec(m, v), np.matvec(m, v)]).toJs())
  })
  it("logspace and geomspace are differentiable in start", () => {
    // d/ds sum(10 ** linspace(s, 2, 3)) at s = 0: 10^s ln10 * (1 + 0.5 * 10^0.5 ... ) via finite differences
    const f = (s: JArray) => np.sum(np.logspace(s, 2, 3))
    const h = 1e-3
    const fd = (np.sum(np.logspace(h, 2, 3, { dtype: "float64" })).item() - np.sum(np.logspace(-h, 2, 3, { dtype: "float64" })).item()) / (2 * h)
    expect(grad(f)(np.array(0, { dtype: "float32" })).item()).toBeCloseTo(fd, 1)
    expect(grad((s: JArray) => np.sum(np.geomspace(s, 8, 4)))(np.array(1, { dtype: "float32" })).item()).toBeGreaterThan(0)
  })
  it("host questions: ndim, shape, size, isscalar, broadcastShapes, empty, emptyLike, copy", () => {
    expect(np.ndim([[1, 2]])).toBe(2)
    expect(np.shape(np.zeros([2, 3]))).toEqual([2, 3])
    expect(np.size(np.zeros([2, 3]))).toBe(6)
    expect(np.size(np.zeros([2, 3]), { axis: -1 })).toBe(3)
    expect(np.size(np.zeros([2, 3, 4]), { axis: [0, 2] })).toBe(8)
    expect([np.isscalar(1), np.isscalar(np.array(1)), np.isscalar(np.array([1])), np.isscalar("a")]).toEqual([true, true, false, false])
    expect(np.broadcastShapes([2, 1], [3], [])).toEqual([2, 3])
    expect(() => np.broadcastShapes([2], [3])).toThrow(ShapeError)
    expect(np.empty([2], { dtype: "int32" }).toJs()).toEqual([0, 0])
    expect(np.emptyLike(np.ones([2, 1])).shape).toEqual([2, 1])
    expect(np.copy([1, 2]).toJs()).toEqual([1, 2])
  })
})
