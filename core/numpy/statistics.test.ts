/**
 * np's statistics and NaN-ignoring reductions against real JAX (golden/statistics.py): quantiles
 * with every method (weights for inverted_cdf), medians, average, cov, corrcoef, histograms, the
 * nan* reductions and ptp, on float32 with NaN/±inf and on int32, within a few float32 roundings
 * (XLA may sum in another order); then grad vs finite differences (float64) and vmap for the
 * differentiable ones.
 */
import { describe, expect, it } from "vitest"
import { type Array, grad, np, ShapeError, ValueError, vmap } from "../../index.js"
import { loadGolden } from "../../golden/load.js"
import { type Call, type CallCase, caseLabel, checkCall, decode } from "./golden-calls.test-helpers.js"

const golden = loadGolden<CallCase>("statistics")
const A = (v: unknown): Array => v as Array
const o2 = (o: Record<string, unknown>): never => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decode(v)])) as never
const CALLS: Readonly<Record<string, Call>> = {
  "np.quantile": ([x, q], o) => np.quantile(A(x), q as Array, o2(o)),
  "np.percentile": ([x, q], o) => np.percentile(A(x), q as Array, o2(o)),
  "np.nanquantile": ([x, q], o) => np.nanquantile(A(x), q as Array, o2(o)),
  "np.nanpercentile": ([x, q], o) => np.nanpercentile(A(x), q as Array, o2(o)),
  "np.median": ([x], o) => np.median(A(x), o2(o)),
  "np.nanmedian": ([x], o) => np.nanmedian(A(x), o2(o)),
  "np.average": ([x], o) => np.average(A(x), o2(o)),
  "np.cov": ([m, y], o) => np.cov(A(m), y as Array | null, o2(o)),
  "np.corrcoef": ([m, y], o) => np.corrcoef(A(m), y as Array | null, o2(o)),
  "np.histogram": ([x], o) => np.histogram(A(x), o2(o)),
  "np.histogramdd": ([x], o) => {
    const [h, edges] = np.histogramdd(A(x), o2(o))
    return [h, ...edges]
  },
  "np.histogram2d": ([x, y], o) => np.histogram2d(A(x), A(y), o2(o)),
  "np.histogramBinEdges": ([x], o) => np.histogramBinEdges(A(x), o2(o)),
  "np.nanmax": ([x], o) => np.nanmax(A(x), o2(o)),
  "np.nanmin": ([x], o) => np.nanmin(A(x), o2(o)),
  "np.nansum": ([x], o) => np.nansum(A(x), o2(o)),
  "np.nanprod": ([x], o) => np.nanprod(A(x), o2(o)),
  "np.nanmean": ([x], o) => np.nanmean(A(x), o2(o)),
  "np.nanvar": ([x], o) => np.nanvar(A(x), o2(o)),
  "np.nanstd": ([x], o) => np.nanstd(A(x), o2(o)),
  "np.ptp": ([x], o) => np.ptp(A(x), o2(o)),
  "np.nanargmax": ([x], o) => np.nanargmax(A(x), o2(o)),
  "np.nanargmin": ([x], o) => np.nanargmin(A(x), o2(o)),
  "np.nancumsum": ([x], o) => np.nancumsum(A(x), o2(o)),
  "np.nancumprod": ([x], o) => np.nancumprod(A(x), o2(o))
}

describe("statistics against JAX (golden/statistics.py)", () => {
  it(`every case (${golden.cases.length}, JAX ${golden.jax_version})`, () => {
    golden.cases.forEach((c, i) => checkCall(c, caseLabel(c, i), CALLS[c.fn]!, { rtol: 2e-6, atol: 1e-6 }))
  })
})

describe("transformations", () => {
  const x = np.array(
    [
      [0.3, -1.2, 2.5, 0.7, 1.9],
      [1.1, 0.4, -0.6, 3.0, 0.2],
      [-2.0, 0.9, 0.1, 0.8, -0.3]
    ],
    { dtype: "float64" }
  )
  const w = np.array(
    [
      [1, 2, 3, 4, 5],
      [-1, 0.5, 2, 1, 0],
      [0.25, 3, -2, 1, 2]
    ],
    { dtype: "float64" }
  )
  const fd = (f: (a: Array) => Array, a: Array): number[] => {
    const base = [...a.data()]
    const eps = 1e-6
    return base.map((_, i) => {
      const p = [...base]
      const m = [...base]
      p[i]! += eps
      m[i]! -= eps
      const at = (v: number[]) => f(np.array(v, { dtype: "float64" }).reshape(a.shape)).item()
      return (at(p) - at(m)) / (2 * eps)
    })
  }
  const expectGradFd = (f: (a: Array) => Array, a: Array): void => {
    const g = [...grad(f)(a).data()]
    fd(f, a).forEach((v, i) => expect(g[i]).toBeCloseTo(v, 5))
  }
  it("grad vs finite differences: median, quantile (each method), average, cov, corrcoef, nanvar", () => {
    expectGradFd((a) => np.sum(np.median(a, { axis: 1 }).mul(np.array([1, -2, 3], { dtype: "float64" }))), x)
    for (const method of ["linear", "lower", "higher", "midpoint", "nearest"] as const) {
      expectGradFd((a) => np.sum(np.quantile(a, np.array([0.2, 0.7], { dtype: "float64" }), { axis: 0, method }).mul(np.arange(10).reshape([2, 5]))), x)
    }
    expectGradFd((a) => np.average(a, { axis: 1, weights: np.array([1, 2, 0.5, 1, 3], { dtype: "float64" }) }).sum(), x)
    expectGradFd(
      (a) =>
        np.sum(
          np.cov(a).mul(
            np.array(
              [
                [1, 2, 3],
                [0, 1, -1],
                [2, 2, 1]
              ],
              { dtype: "float64" }
            )
          )
        ),
      x
    )
    expectGradFd(
      (a) =>
        np.sum(
          np.corrcoef(a).mul(
            np.array(
              [
                [1, 2, 3],
                [0, 1, -1],
                [2, 2, 1]
              ],
              { dtype: "float64" }
            )
          )
        ),
      x
    )
    expectGradFd((a) => np.sum(np.nanvar(a, { axis: 0 }).mul(np.arange(5))), x)
    expectGradFd((a) => np.sum(np.average(a.mul(w), { axis: 0 })), x)
  })
  it("vmap equals the per-example loop", () => {
    const fs: ReadonlyArray<(a: Array) => Array> = [
      (a) => np.median(a),
      (a) => np.quantile(a, [0.1, 0.9]),
      (a) => np.nanpercentile(a, 30),
      (a) => np.average(a, { weights: np.arange(5).add(1) }),
      (a) => np.cov(np.stack([a, a.mul(a)])),
      (a) => np.histogram(a, { bins: 3, range: [-2, 3] })[0],
      (a) => np.nanargmax(a),
      (a) => np.ptp(a)
    ]
    for (const f of fs) {
      const got = vmap(f)(x).toJs()
      const want = np.stack([0, 1, 2].map((i) => f(x.index(i)))).toJs()
      expect(got).toEqual(want)
    }
  })
  it("bad arguments say what to do", () => {
    expect(() => np.quantile(x, 0.5, { method: "linera" as never })).toThrow(/did you mean "linear"/)
    expect(() => np.quantile(x, 0.5, { weights: x })).toThrow(/inverted_cdf/)
    expect(() => np.quantile(x, [[0.5]])).toThrow(ShapeError)
    expect(() => np.average(x, { weights: np.ones([3]) })).toThrow(/give axis/)
    expect(() => np.cov(np.ones([2, 2, 2]))).toThrow(/more than 2 dimensions/)
    expect(() => np.histogram(x, { bins: 0 })).toThrow(ValueError)
  })
})
