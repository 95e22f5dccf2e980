/**
 * Statistics (jax.numpy): quantile, percentile, median and their NaN-ignoring forms (every method
 * JAX has), average, cov, corrcoef, histogram and histogramBinEdges. Computed as JAX computes them
 * (sort, then pick or interpolate; weighted sums; a matrix product), in the input's float dtype
 * (integers become float32), so they differentiate, batch and jit like any composition.
 */
import type { Array } from "../array.js"
import { type DType, isComplex, isFloat } from "../dtype.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { checkOneOf, checkOptions, optionKeys } from "../options.js"
import { sortP } from "../primitives/bits.js"
import { constant } from "../primitives/common.js"
import { convertElementType, div, floor, ceil, max as laxMax, min as laxMin } from "../primitives/elementwise.js"
import { gather, scatter } from "../primitives/indexing.js"
import { cumsum as laxCumsum, reduceMax, reduceMin, reduceSum } from "../primitives/reduce.js"
import { broadcastInDim, concatenate, iota, reshape, slice, transpose } from "../primitives/shape-ops.js"
import { checkInt, normalizeAxes, shapeEqual, showShape } from "../shape.js"
import { bind } from "../trace.js"
import { type ArrayLike, asArray, promoteDtypes, scalarArray } from "./coerce.js"
import { matmul } from "./linalg.js"
import { clip, isnan, logicalNot, logicalOr, sqrt, where } from "./math.js"
import { type AxisLike, any, mean, sum } from "./reductions.js"
import { searchsorted } from "./searching.js"

/** The float dtype statistics compute in: the array's, or float32 for ints and bools. */
const floatDType = (d: DType): DType => (isFloat(d) ? d : "float32")
const toFloat = (x: Array): Array => (isFloat(x.dtype) ? x : convertElementType(x, "float32"))

/** `x` with `axes` moved last and flattened: [rows..., m] as [R, m], with the kept shape. */
const rowsOf = (x: Array, axes: ReadonlyArray<number>): { rows: Array; kept: number[] } => {
  const keep = x.shape.map((_, i) => i).filter((i) => !axes.includes(i))
  const kept = keep.map((i) => x.shape[i]!)
  let m = 1
  for (const i of axes) m *= x.shape[i]!
  const r = kept.reduce((p, q) => p * q, 1)
  return { rows: reshape(transpose(x, [...keep, ...axes]), [r, m]), kept }
}

/** `v[r, idx[q, r]]` for v [R, m] and idx [Q, R] (int32): [Q, R]. */
const takeRows = (v: Array, idx: Array): Array => {
  const [R, m] = v.shape as [number, number]
  const flat = reshape(v, [R * m])
  const offsets = broadcastInDim(iota("int32", [R], 0).mul(m), idx.shape, [1])
  return gather(flat, idx.add(offsets), 0)
}

// ---------------------------------------------------------------------------------------------
// Quantiles

export type QuantileMethod = "linear" | "lower" | "higher" | "midpoint" | "nearest" | "inverted_cdf"
const METHODS: ReadonlyArray<QuantileMethod> = ["linear", "lower", "higher", "midpoint", "nearest", "inverted_cdf"]

export interface QuantileOptions {
  /** The axes to reduce (default: all). */
  readonly axis?: AxisLike
  /** How to pick between the two nearest order statistics (default "linear"). */
  readonly method?: QuantileMethod | undefined
  /** Keep the reduced axes as size 1 (default false). */
  readonly keepdims?: boolean | undefined
  /** Per-element weights (of `a`'s shape, or of the reduced axes' shape); only with "inverted_cdf". */
  readonly weights?: ArrayLike | undefined
}
const QUANTILE_KEYS = optionKeys<QuantileOptions>()("axis", "method", "keepdims", "weights")

const quantileImpl = (fn: string, x: ArrayLike, qIn: ArrayLike, options: QuantileOptions | undefined, squashNans: boolean, percent: boolean): Array => {
  checkOptions(fn, options, QUANTILE_KEYS)
  checkOneOf(fn, "method", options?.method, METHODS)
  const method = options?.method ?? "linear"
  const raw = asArray(x)
  if (isComplex(raw.dtype))
    throw new DTypeError(`${fn} does not support complex input, as the operation is poorly defined (as in JAX); apply it to np.real(x) or np.abs(x).`)
  const a0 = toFloat(raw)
  const dtype = a0.dtype
  let q = convertElementType(asArray(qIn), dtype)
  if (q.ndim > 1) throw new ShapeError(`${fn}: q must have rank <= 1, got shape ${showShape(q.shape)}.`)
  // XLA rewrites JAX's q / 100 as q * 0.01 (rounded to the dtype); do the same to pick the same order statistics.
  if (percent) q = q.mul(constant(0.01, dtype, [], true))
  const axes = normalizeAxes(options?.axis, a0.ndim)
  if (new Set(axes).size !== axes.length) throw new ValueError(`${fn}: repeated axis in ${JSON.stringify(options?.axis)}.`)
  const { rows, kept } = rowsOf(a0, axes)
  const [R, m] = rows.shape as [number, number]
  let w: Array | undefined
  if (options?.weights !== undefined) {
    if (method !== "inverted_cdf") throw new ValueError(`${fn}: weights are supported only with method "inverted_cdf" (as in JAX), got method "${method}".`)
    let wa = convertElementType(asArray(options.weights), dtype)
    if (!shapeEqual(wa.shape, a0.shape)) {
      const want = axes.map((i) => a0.shape[i]!)
      if (options.axis === undefined || options.axis === null || !shapeEqual(wa.shape, want)) {
        throw new ShapeError(
          `${fn}: weights of shape ${showShape(wa.shape)} must have a's shape ${showShape(a0.shape)} or the reduced axes' shape ${showShape(want)}.`
        )
      }
      wa = broadcastInDim(wa, a0.shape, axes)
    }
    w = rowsOf(wa, axes).rows
  }
  const Q = q.ndim === 0 ? 1 : q.shape[0]!
  const qv = reshape(q, [Q, 1])
  const nan = constant(NaN, dtype, [], true)
  let a = rows
  if (!squashNans) a = where(any(isnan(rows), { axis: 1, keepdims: true }), nan, rows)
  let sorted: Array
  if (w !== undefined) [sorted, w] = bind(sortP, [a, w], { dimension: 1, isStable: true, numKeys: 1 }) as [Array, Array]
  else sorted = bind(sortP, [a], { dimension: 1, isStable: true, numKeys: 1 })[0]!
  // Counts per row: m, or the non-NaN count when NaNs are ignored (they sort last).
  const counts = squashNans ? reshape(sum(logicalNot(isnan(sorted)), { axis: 1, dtype }), [1, R]) : constant(m, dtype, [1, R])
  let result: Array
  if (method === "inverted_cdf") {
    const wts = w ?? constant(1, dtype, [R, m])
    const bad = logicalOr(wts.lt(0), isnan(wts))
    const nanData = isnan(sorted)
    const clean = where(logicalOr(bad, nanData), 0, wts)
    const cum = laxCumsum(clean, 1)
    const total = reshape(slice(cum, [0, m - 1], [R, m]), [1, R])
    const target = qv.mul(total) // [Q, R]
    const less = broadcastInDim(cum, [Q, R, m], [1, 2]).lt(broadcastInDim(target, [Q, R, m], [0, 1]))
    let idx = reduceSum(convertElementType(less, "int32"), [2])
    const limit = convertElementType(counts.sub(1), "int32")
    idx = laxMax(constant(0, "int32", [], true), laxMin(idx, broadcastInDim(reshape(limit, [R]), [Q, R], [1])))
    result = takeRows(sorted, idx)
    const anyBad = reduceMax(bad, [1])
    const force = squashNans ? logicalOr(anyBad, counts.eq(0)) : logicalOr(anyBad, reduceMax(nanData, [1]))
    result = where(reshape(force, [1, R]), nan, result)
  } else {
    const pos = qv.mul(counts.sub(1)) // [Q, R]
    const lowF = floor(pos)
    const highF = ceil(pos)
    const highWeight = pos.sub(lowF)
    const lowWeight = constant(1, dtype, [], true).sub(highWeight)
    const hi = counts.sub(1)
    const clampIdx = (v: Array) => convertElementType(laxMax(constant(0, dtype, [], true), laxMin(v, broadcastInDim(reshape(hi, [R]), [Q, R], [1]))), "int32")
    const low = takeRows(sorted, clampIdx(lowF))
    const high = takeRows(sorted, clampIdx(highF))
    switch (method) {
      case "linear":
        result = low.mul(lowWeight).add(high.mul(highWeight))
        break
      case "lower":
        result = low
        break
      case "higher":
        result = high
        break
      case "nearest":
        result = where(highWeight.le(0.5), low, high)
        break
      case "midpoint":
        result = low.add(high).mul(0.5)
        break
    }
  }
  const keptShape = options?.keepdims === true ? a0.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : kept
  return reshape(result, q.ndim === 0 ? keptShape : [Q, ...keptShape])
}

/**
 * `jnp.quantile`: the `q`-th quantiles (q in [0, 1], a number or a 1-D array, which leads the result's
 * shape) over `axis` (default all). A NaN anywhere in a slice makes its quantile NaN.
 *
 * @example
 * np.quantile(np.array([1, 2, 3, 4]), 0.5) // Array(2.5, dtype=float32)
 * np.quantile(np.array([1, 2, 3, 4]), [0.25, 1], { method: "lower" }) // Array([1, 4], dtype=float32)
 */
export const quantile = (a: ArrayLike, q: ArrayLike, options?: QuantileOptions): Array => quantileImpl("np.quantile", a, q, options, false, false)

/**
 * `jnp.percentile`: `quantile` with `q` in percent (0 to 100).
 *
 * @example
 * np.percentile(np.array([1, 2, 3, 4]), 50) // Array(2.5, dtype=float32)
 */
export const percentile = (a: ArrayLike, q: ArrayLike, options?: QuantileOptions): Array => quantileImpl("np.percentile", a, q, options, false, true)

/**
 * `jnp.nanquantile`: `quantile` ignoring NaNs (a slice of NaNs only gives NaN).
 *
 * @example
 * np.nanquantile(np.array([1, NaN, 3]), 0.5) // Array(2, dtype=float32)
 */
export const nanquantile = (a: ArrayLike, q: ArrayLike, options?: QuantileOptions): Array => quantileImpl("np.nanquantile", a, q, options, true, false)

/**
 * `jnp.nanpercentile`: `percentile` ignoring NaNs.
 *
 * @example
 * np.nanpercentile(np.array([1, NaN, 3]), 50) // Array(2, dtype=float32)
 */
export const nanpercentile = (a: ArrayLike, q: ArrayLike, options?: QuantileOptions): Array => quantileImpl("np.nanpercentile", a, q, options, true, true)

export interface MedianOptions {
  /** The axes to reduce (default: all). */
  readonly axis?: AxisLike
  /** Keep the reduced axes as size 1 (default false). */
  readonly keepdims?: boolean | undefined
}
const MEDIAN_KEYS = optionKeys<MedianOptions>()("axis", "keepdims")

/**
 * `jnp.median`: the middle value over `axis` (default all); the mean of the two middle values for
 * an even count. NaN where a slice holds a NaN.
 *
 * @example
 * np.median(np.array([[1, 5, 2], [4, 3, 6]]), { axis: 1 }) // Array([2, 4], dtype=float32)
 */
export const median = (a: ArrayLike, options?: MedianOptions): Array => {
  checkOptions("np.median", options, MEDIAN_KEYS)
  return quantileImpl("np.median", a, 0.5, { ...options, method: "midpoint" }, false, false)
}

/**
 * `jnp.nanmedian`: `median` ignoring NaNs.
 *
 * @example
 * np.nanmedian(np.array([1, NaN, 3, 10])) // Array(3, dtype=float32)
 */
export const nanmedian = (a: ArrayLike, options?: MedianOptions): Array => {
  checkOptions("np.nanmedian", options, MEDIAN_KEYS)
  return quantileImpl("np.nanmedian", a, 0.5, { ...options, method: "midpoint" }, true, false)
}

// ---------------------------------------------------------------------------------------------
// average, cov, corrcoef

export interface AverageOptions {
  /** The axes to average over (default: all). */
  readonly axis?: AxisLike
  /** A weight per element (a's shape, or the averaged axes' shape). */
  readonly weights?: ArrayLike | undefined
  /** Also return the sum of the weights (broadcast to the average's shape). */
  readonly returned?: boolean | undefined
  /** Keep the reduced axes as size 1 (default false). */
  readonly keepdims?: boolean | undefined
}
const AVERAGE_KEYS = optionKeys<AverageOptions>()("axis", "weights", "returned", "keepdims")

const averageImpl = (x: ArrayLike, options: AverageOptions | undefined): [Array, Array] => {
  checkOptions("np.average", options, AVERAGE_KEYS)
  const axisOpt = options?.axis
  const keepdims = options?.keepdims
  if (options?.weights === undefined) {
    const a = toFloat(asArray(x))
    const axes = normalizeAxes(axisOpt, a.ndim)
    const avg = mean(a, { axis: axisOpt, keepdims })
    const n = axes.reduce((p, i) => p * a.shape[i]!, 1)
    return [avg, scalarArray(n, avg.dtype, avg.shape)]
  }
  const [a, w0] = promoteDtypes([asArray(x), asArray(options.weights)], "float") as [Array, Array]
  let w = w0
  const axes = normalizeAxes(axisOpt, a.ndim)
  if (!shapeEqual(a.shape, w.shape)) {
    if (axisOpt === undefined || axisOpt === null) throw new ShapeError("np.average: give axis when the shapes of a and weights differ.")
    const want = axes.map((i) => a.shape[i]!)
    if (!shapeEqual(w.shape, want)) {
      throw new ShapeError(`np.average: weights of shape ${showShape(w.shape)} must match a's shape along the axes, ${showShape(want)}.`)
    }
    w = broadcastInDim(w, a.shape, axes)
  }
  const wSum = sum(w, { axis: axisOpt, keepdims })
  const avg = div(sum(a.mul(w), { axis: axisOpt, keepdims }), wSum)
  return [avg, wSum]
}

/**
 * `jnp.average`: the (weighted) mean over `axis`; with `returned: true`, also the sum of the weights.
 *
 * @example
 * np.average(np.array([1, 2, 4]), { weights: np.array([3, 1, 0]) }) // Array(1.25, dtype=float32)
 */
export function average(a: ArrayLike, options?: AverageOptions & { readonly returned?: false | undefined }): Array
export function average(a: ArrayLike, options: AverageOptions): Array | [Array, Array]
export function average(a: ArrayLike, options?: AverageOptions): Array | [Array, Array] {
  const [avg, wSum] = averageImpl(a, options)
  if (options?.returned !== true) return avg
  return [avg, shapeEqual(wSum.shape, avg.shape) ? wSum : broadcastInDim(wSum, avg.shape, [])]
}

export interface CovOptions {
  /** Each row is a variable and each column an observation (default true); false: the transpose. */
  readonly rowvar?: boolean | undefined
  /** Normalize by N instead of N - 1 (default false). */
  readonly bias?: boolean | undefined
  /** Delta degrees of freedom (overrides bias). */
  readonly ddof?: number | undefined
  /** Integer frequency weights, one per observation. */
  readonly fweights?: ArrayLike | undefined
  /** Observation weights, one per observation. */
  readonly aweights?: ArrayLike | undefined
  /** The float dtype to compute in. */
  readonly dtype?: DType | undefined
}
const COV_KEYS = optionKeys<CovOptions>()("rowvar", "bias", "ddof", "fweights", "aweights", "dtype")

const atLeast2d = (x: Array): Array => (x.ndim === 0 ? reshape(x, [1, 1]) : x.ndim === 1 ? reshape(x, [1, x.shape[0]!]) : x)
const t2 = (x: Array): Array => transpose(x, [1, 0])

/**
 * `jnp.cov`: the covariance matrix of the variables in the rows of `m` (and of `y`, stacked below),
 * with optional frequency and observation weights. One variable gives a scalar.
 *
 * @example
 * np.cov(np.array([[0, 1, 2], [2, 1, 0]])) // Array([[1, -1], [-1, 1]], dtype=float32)
 */
export const cov = (m: ArrayLike, y?: ArrayLike | null, options?: CovOptions): Array => {
  checkOptions("np.cov", options, COV_KEYS)
  const rowvar = options?.rowvar ?? true
  const dtypeOpt = options?.dtype
  if (dtypeOpt !== undefined && !isFloat(dtypeOpt)) throw new ValueError(`np.cov: dtype must be a float dtype, got ${dtypeOpt}.`)
  const [m0, y0] = (y === undefined || y === null ? promoteDtypes([asArray(m)], "float") : promoteDtypes([asArray(m), asArray(y)], "float")) as [
    Array,
    Array | undefined
  ]
  if (m0.ndim > 2) throw new ShapeError(`np.cov: m has more than 2 dimensions (shape ${showShape(m0.shape)}).`)
  let X = atLeast2d(m0)
  if (!rowvar && m0.ndim !== 1) X = t2(X)
  if (X.shape[0] === 0) return constant(0, X.dtype, [0, 0])
  if (y0 !== undefined) {
    if (y0.ndim > 2) throw new ShapeError(`np.cov: y has more than 2 dimensions (shape ${showShape(y0.shape)}).`)
    let ya = atLeast2d(y0)
    if (!rowvar && ya.shape[0] !== 1) ya = t2(ya)
    X = concatenate([X, ya], 0)
  }
  const [V, N] = X.shape as [number, number]
  if (N === 0) return scalarArray(NaN, X.dtype, V === 1 ? [] : [V, V])
  const ddof = options?.ddof === undefined ? (options?.bias === true ? 0 : 1) : checkInt(options.ddof, "np.cov: ddof")
  let w: Array | undefined
  let aw: Array | undefined
  const checkW = (name: string, v: ArrayLike): Array => {
    const a = asArray(v)
    if (a.ndim > 1) throw new ShapeError(`np.cov: ${name} must be 1-D (one weight per observation), got shape ${showShape(a.shape)}.`)
    if (a.shape[0] !== N) throw new ShapeError(`np.cov: ${name} has ${a.shape[0]} weights for ${N} observations.`)
    return a
  }
  if (options?.fweights !== undefined) {
    const f = checkW("fweights", options.fweights)
    if (isFloat(f.dtype) || f.dtype === "bool") throw new ValueError(`np.cov: fweights must be integers, got ${f.dtype}.`)
    w = f.dtype === "uint32" ? f : where(f.lt(0), f.mul(-1), f)
  }
  if (options?.aweights !== undefined) {
    const a = checkW("aweights", options.aweights)
    aw = where(a.lt(0), a.mul(-1), a)
    w = w === undefined ? aw : w.mul(aw)
  }
  if (dtypeOpt !== undefined) {
    X = convertElementType(X, dtypeOpt)
    if (w !== undefined) w = convertElementType(w, dtypeOpt)
  }
  const [avg, wSumAll] = averageImpl(X, { axis: 1, weights: w, returned: true })
  const wSum = reshape(slice(reshape(wSumAll, [wSumAll.size]), [0], [1]), [])
  let f: Array | number
  if (w === undefined) f = N - ddof
  else if (ddof === 0) f = wSum
  else if (aw === undefined) f = wSum.sub(ddof)
  else f = wSum.sub(div(sum(w.mul(aw)), wSum).mul(ddof))
  const Xc = X.sub(reshape(avg, [V, 1]))
  const XT = w === undefined ? t2(Xc) : t2(Xc.mul(reshape(convertElementType(w, Xc.dtype), [1, N])))
  const c = matmul(Xc, XT)
  const out = typeof f === "number" ? c.div(f) : div(c, convertElementType(f, c.dtype))
  return V === 1 ? reshape(out, []) : out
}

export interface CorrcoefOptions {
  /** Each row is a variable (default true). */
  readonly rowvar?: boolean | undefined
  /** The float dtype to compute in. */
  readonly dtype?: DType | undefined
}
const CORRCOEF_KEYS = optionKeys<CorrcoefOptions>()("rowvar", "dtype")

/**
 * `jnp.corrcoef`: Pearson correlation coefficients of the variables in the rows of `x` (and `y`),
 * clipped to [-1, 1].
 *
 * @example
 * np.corrcoef(np.array([[0, 1, 2], [2, 1, 0]])) // Array([[1, -1], [-1, 1]], dtype=float32)
 */
export const corrcoef = (x: ArrayLike, y?: ArrayLike | null, options?: CorrcoefOptions): Array => {
  checkOptions("np.corrcoef", options, CORRCOEF_KEYS)
  const c = cov(x, y, { rowvar: options?.rowvar, dtype: options?.dtype })
  if (c.ndim === 0) return div(c, c)
  const n = c.shape[0]!
  const d = gather(reshape(c, [n * n]), iota("int32", [n], 0).mul(n + 1), 0)
  const s = sqrt(d)
  const out = c.div(reshape(s, [n, 1])).div(reshape(s, [1, n]))
  return clip(out, -1, 1)
}

// ---------------------------------------------------------------------------------------------
// histograms

export interface HistogramOptions {
  /** The number of equal-width bins (default 10), or the bin edges (1-D, increasing). */
  readonly bins?: number | ArrayLike | undefined
  /** The lower and upper range of the bins (default: the data's min and max). */
  readonly range?: readonly [number, number] | ArrayLike | undefined
  /** A weight per element, summed per bin instead of counting. */
  readonly weights?: ArrayLike | undefined
  /** Return a probability density (integrates to 1) instead of counts (default false). */
  readonly density?: boolean | undefined
}
const HISTOGRAM_KEYS = optionKeys<HistogramOptions>()("bins", "range", "weights", "density")
const EDGES_KEYS = optionKeys<HistogramOptions>()("bins", "range", "weights", "density")

const binEdges = (fn: string, a: Array, bins: number | ArrayLike | undefined, range: HistogramOptions["range"]): Array => {
  const dtype = floatDType(a.dtype)
  if (bins !== undefined && typeof bins !== "number") {
    const e = asArray(bins)
    if (e.ndim !== 1) throw new ShapeError(`${fn}: bins must be a number of bins or a 1-D array of edges, got shape ${showShape(e.shape)}.`)
    return convertElementType(e, dtype)
  }
  const n = checkInt(bins ?? 10, `${fn}: bins`)
  if (n < 1) throw new ValueError(`${fn}: bins must be >= 1, got ${n}.`)
  let lo: Array
  let hi: Array
  if (range === undefined) {
    if (a.size === 0) {
      lo = constant(0, dtype)
      hi = constant(1, dtype)
    } else {
      const flat = reshape(toFloat(a), [a.size])
      lo = reshape(convertElementType(reduceMin(flat, [0]), dtype), [])
      hi = reshape(convertElementType(reduceMax(flat, [0]), dtype), [])
    }
  } else {
    const r = convertElementType(asArray(range as ArrayLike), dtype)
    if (!shapeEqual(r.shape, [2])) throw new ValueError(`${fn}: range must be [lower, upper], got shape ${showShape(r.shape)}.`)
    lo = reshape(slice(r, [0], [1]), [])
    hi = reshape(slice(r, [1], [2]), [])
  }
  const same = lo.eq(hi)
  lo = where(same, lo.sub(0.5), lo)
  hi = where(same, hi.add(0.5), hi)
  // JAX's linspace: lo * (1 - step) + hi * step with step = i / n, and the last edge exactly hi.
  const step = div(iota(dtype, [n + 1], 0), constant(n, dtype, [], true))
  const edges = lo.mul(constant(1, dtype, [], true).sub(step)).add(hi.mul(step))
  return where(iota("int32", [n + 1], 0).eq(n), hi, edges)
}

/**
 * `jnp.histogram_bin_edges`: the bin edges `histogram` would use.
 *
 * @example
 * np.histogramBinEdges(np.array([0, 1, 2, 4]), { bins: 2 }) // Array([0, 2, 4], dtype=float32)
 */
export const histogramBinEdges = (a: ArrayLike, options?: HistogramOptions): Array => {
  checkOptions("np.histogramBinEdges", options, EDGES_KEYS)
  return binEdges("np.histogramBinEdges", asArray(a), options?.bins, options?.range)
}

/**
 * `jnp.histogram`: counts (or summed weights, or a density) of the flattened `a` in `bins`, and the
 * bin edges. Bins are half-open [e_i, e_i+1) except the last, which includes its right edge; values
 * outside the edges are not counted.
 *
 * @example
 * np.histogram(np.array([0, 1, 1, 4]), { bins: 2 }) // [Array([3, 1], dtype=float32), Array([0, 2, 4], dtype=float32)]
 */
export const histogram = (a: ArrayLike, options?: HistogramOptions): [Array, Array] => {
  checkOptions("np.histogram", options, HISTOGRAM_KEYS)
  let x = toFloat(asArray(a))
  let w: Array
  if (options?.weights === undefined) w = constant(1, x.dtype, x.shape)
  else {
    ;[x, w] = promoteDtypes([x, asArray(options.weights)], "float") as [Array, Array]
    if (!shapeEqual(x.shape, w.shape)) throw new ShapeError(`np.histogram: weights must have a's shape ${showShape(x.shape)}, got ${showShape(w.shape)}.`)
  }
  const edges = binEdges("np.histogram", x, options?.bins, options?.range)
  const ne = edges.shape[0]!
  const flat = reshape(x, [x.size])
  let idx = searchsorted(edges, flat, { side: "right" })
  idx = where(flat.eq(reshape(slice(edges, [ne - 1], [ne]), [])), ne - 1, idx)
  const wf = reshape(w, [w.size])
  const all = scatter(constant(0, wf.dtype, [ne]), idx, wf, 0, "add")
  let counts = slice(all, [1], [ne])
  if (options?.density === true) {
    const widths = slice(edges, [1], [ne]).sub(slice(edges, [0], [ne - 1]))
    counts = div(div(counts, convertElementType(widths, counts.dtype)), sum(counts))
  }
  return [counts, edges]
}

export interface HistogramddOptions {
  /** Bins per dimension: one count for all, or a count or an edge array per dimension (default 10). */
  readonly bins?: number | ReadonlyArray<number | ArrayLike> | undefined
  /** Per dimension, [lower, upper] or null for the data's range. */
  readonly range?: ReadonlyArray<readonly [number, number] | null> | undefined
  /** A weight per sample (row), summed per bin instead of counting. */
  readonly weights?: ArrayLike | undefined
  /** Return a probability density instead of counts (default false). */
  readonly density?: boolean | undefined
}
const HISTOGRAMDD_KEYS = optionKeys<HistogramddOptions>()("bins", "range", "weights", "density")

const histogramddImpl = (fn: string, sample: Array, options: HistogramddOptions | undefined): [Array, Array[]] => {
  let s = toFloat(sample)
  let w: Array | undefined
  if (options?.weights !== undefined) {
    ;[s, w] = promoteDtypes([s, asArray(options.weights)], "float") as [Array, Array]
    if (!shapeEqual(w.shape, s.shape.slice(0, 1)))
      throw new ShapeError(`${fn}: give one weight per sample: shape ${showShape(s.shape.slice(0, 1))}, got ${showShape(w.shape)}.`)
  }
  if (s.ndim !== 2) throw new ShapeError(`${fn}: sample must be [N, D] (one row per sample), got shape ${showShape(s.shape)}.`)
  const [N, D] = s.shape as [number, number]
  const range = options?.range
  if (range !== undefined && range.length !== D) throw new ValueError(`${fn}: range must hold ${D} pairs or nulls (one per dimension), got ${range.length}.`)
  const binsOpt = options?.bins ?? 10
  const perDim = typeof binsOpt === "number" ? new globalThis.Array<number>(D).fill(binsOpt) : [...binsOpt]
  if (perDim.length !== D) throw new ValueError(`${fn}: give one bins entry per dimension (${D}), got ${perDim.length}.`)
  const idxs: Array[] = []
  const edgesAll: Array[] = []
  for (let i = 0; i < D; i++) {
    const col = reshape(slice(s, [0, i], [N, i + 1]), [N])
    const edges = binEdges(fn, col, perDim[i] as number | ArrayLike, range?.[i] ?? undefined)
    const ne = edges.shape[0]!
    const last = reshape(slice(edges, [ne - 1], [ne]), [])
    const idx = searchsorted(edges, col, { side: "right" })
    idxs.push(where(col.eq(last), idx.sub(1), idx))
    edgesAll.push(edges)
  }
  const nbins = edgesAll.map((e) => e.shape[0]! + 1)
  let flat = constant(0, "int32", [N])
  let stride = 1
  for (let i = D - 1; i >= 0; i--) {
    flat = flat.add(idxs[i]!.mul(stride))
    stride *= nbins[i]!
  }
  const wv = w ?? constant(1, "int32", [N])
  let hist = reshape(scatter(constant(0, wv.dtype, [stride]), flat, wv, 0, "add"), nbins)
  hist = slice(
    hist,
    nbins.map(() => 1),
    nbins.map((n) => n - 1)
  )
  if (options?.density === true) {
    hist = convertElementType(hist, s.dtype)
    hist = div(hist, sum(hist))
    edgesAll.forEach((e, i) => {
      const ne = e.shape[0]!
      const widths = slice(e, [1], [ne]).sub(slice(e, [0], [ne - 1]))
      hist = hist.div(
        reshape(
          widths,
          nbins.map((n, j) => (j === i ? n - 2 : 1))
        )
      )
    })
  }
  return [hist, edgesAll]
}

/**
 * `jnp.histogramdd`: the D-dimensional histogram of N samples (rows of `sample`, shape [N, D]) and
 * the bin edges per dimension. Counts are int32 unless weighted or `density`.
 *
 * @example
 * np.histogramdd(np.array([[0, 0], [1, 1], [1, 0]]), { bins: 2 })[0] // Array([[1, 0], [1, 1]], dtype=int32)
 */
export const histogramdd = (sample: ArrayLike, options?: HistogramddOptions): [Array, Array[]] => {
  checkOptions("np.histogramdd", options, HISTOGRAMDD_KEYS)
  return histogramddImpl("np.histogramdd", asArray(sample), options)
}

export interface Histogram2dOptions {
  /** Bins: one count, [xBins, yBins] (counts or edges), or one edge array for both (default 10). */
  readonly bins?: number | ArrayLike | ReadonlyArray<number | ArrayLike> | undefined
  /** [[xmin, xmax], [ymin, ymax]], or null per dimension for the data's range. */
  readonly range?: ReadonlyArray<readonly [number, number] | null> | undefined
  /** A weight per sample. */
  readonly weights?: ArrayLike | undefined
  /** Return a probability density instead of counts (default false). */
  readonly density?: boolean | undefined
}
const HISTOGRAM2D_KEYS = optionKeys<Histogram2dOptions>()("bins", "range", "weights", "density")

/**
 * `jnp.histogram2d`: the 2-D histogram of the points (x[i], y[i]), with the x and y bin edges.
 *
 * @example
 * const [h, xe, ye] = np.histogram2d(np.array([0, 1, 1]), np.array([0, 1, 0]), { bins: 2 })
 */
export const histogram2d = (x: ArrayLike, y: ArrayLike, options?: Histogram2dOptions): [Array, Array, Array] => {
  checkOptions("np.histogram2d", options, HISTOGRAM2D_KEYS)
  const [xa, ya] = promoteDtypes([asArray(x), asArray(y)]) as [Array, Array]
  // As JAX: a count, or a pair (per dimension), or anything else as the edges of both dimensions.
  const b = options?.bins
  let bins: HistogramddOptions["bins"]
  if (b === undefined || typeof b === "number") bins = b
  else if (typeof b === "object" && "shape" in b) {
    const arr = b as Array
    bins = arr.ndim === 1 && arr.shape[0] === 2 ? [...arr.data()].map(Number) : [arr, arr]
  } else {
    const list = b as ReadonlyArray<number | ArrayLike>
    bins = list.length === 2 ? list : [list as ArrayLike, list as ArrayLike]
  }
  if (xa.ndim !== 1 || !shapeEqual(xa.shape, ya.shape))
    throw new ShapeError(`np.histogram2d: x and y must be 1-D of one length, got ${showShape(xa.shape)} and ${showShape(ya.shape)}.`)
  const sample = transpose(concatenate([reshape(xa, [1, xa.size]), reshape(ya, [1, ya.size])], 0), [1, 0])
  const [h, edges] = histogramddImpl("np.histogram2d", sample, { bins, range: options?.range, weights: options?.weights, density: options?.density })
  return [h, edges[0]!, edges[1]!]
}
