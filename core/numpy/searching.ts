/**
 * Searching and counting (jax.numpy): nonzero, flatnonzero, argwhere, countNonzero, searchsorted,
 * digitize and bincount. Functions whose output size depends on the values take JAX's static
 * `size` (and `fillValue`), which makes them work under jit and vmap; without it they read the
 * values, so they need concrete arrays.
 */
import type { Array } from "../array.js"
import { isFloat } from "../dtype.js"
import { ConcretizationError, DTypeError, ShapeError, ValueError } from "../errors.js"
import { checkOneOf, checkOptions, optionKeys } from "../options.js"
import { constant } from "../primitives/common.js"
import { convertElementType, ne } from "../primitives/elementwise.js"
import { gather, scatter } from "../primitives/indexing.js"
import { cumsum as laxCumsum, reduceMax, reduceSum } from "../primitives/reduce.js"
import { broadcastInDim, iota, reshape, rev } from "../primitives/shape-ops.js"
import { checkInt, normalizeAxes, shapeEqual, showShape } from "../shape.js"
import { type ArrayLike, asArray, promoteDtypes } from "./coerce.js"
import { concreteCount, truthy } from "./concrete.js"
import { logicalAnd, logicalNot, logicalOr, where } from "./math.js"
import { sum } from "./reductions.js"

const checkSize = (fn: string, size: number | undefined): number | undefined =>
  size === undefined
    ? undefined
    : (() => {
        const s = checkInt(size, `${fn}: size`)
        if (s < 0) throw new ValueError(`${fn}: size must be >= 0, got ${s}.`)
        return s
      })()

export interface NonzeroOptions {
  /** The static number of results (for jit): extra entries are padded, missing ones dropped. */
  readonly size?: number | undefined
  /** The index padding when `size` exceeds the count: one for all dims, or one per dim (default 0). */
  readonly fillValue?: number | ReadonlyArray<number> | undefined
}
const NONZERO_KEYS = optionKeys<NonzeroOptions>()("size", "fillValue")

/**
 * The flat positions of the first `size` true elements of a flattened mask, padded with 0
 * (a scatter of positions into their rank among the true elements).
 */
const flatTrueIndices = (mask: Array, size: number): Array => {
  const flat = reshape(mask, [mask.size])
  const asInt = convertElementType(flat, "int32")
  const rank = laxCumsum(asInt, 0)
  const slot = where(flat, rank.sub(1), size) // out-of-range slots are dropped by scatter
  return scatter(constant(0, "int32", [size]), slot, iota("int32", [mask.size], 0), 0, "set")
}

const nonzeroImpl = (fn: string, x: ArrayLike, options: NonzeroOptions | undefined): Array[] => {
  checkOptions(fn, options, NONZERO_KEYS)
  const a = asArray(x)
  if (a.ndim === 0) {
    throw new ShapeError(`${fn}: calling nonzero on a rank-0 array is not allowed (as in JAX); use np.atleast1d / reshape to [1] first.`)
  }
  const mask = truthy(a)
  const total = reduceSum(convertElementType(reshape(mask, [mask.size]), "int32"), [0])
  const size = checkSize(fn, options?.size) ?? concreteCount(total, fn)
  // An empty input gives zeros whatever fillValue says (as JAX does).
  if (a.size === 0) return a.shape.map(() => constant(0, "int32", [size]))
  const flat = flatTrueIndices(mask, size)
  const fill = options?.fillValue
  const fills = fill === undefined ? undefined : typeof fill === "number" ? a.shape.map(() => fill) : [...fill]
  if (fills !== undefined && (fills.length !== a.ndim || fills.some((f) => !Number.isSafeInteger(f)))) {
    throw new ValueError(`${fn}: fillValue must be an integer or a list of ${a.ndim} integers (one per dimension), got ${JSON.stringify(fill)}.`)
  }
  const padded = fills === undefined ? undefined : iota("int32", [size], 0).ge(broadcastInDim(total, [size], []))
  return a.shape.map((d, k) => {
    const stride = a.shape.slice(k + 1).reduce((p, q) => p * q, 1)
    let idx = flat.floorDiv(stride).mod(d)
    if (padded !== undefined) idx = where(padded, fills![k]!, idx)
    return idx
  })
}

/**
 * `jnp.nonzero`: the indices of the nonzero (true) elements, one int32 array per dimension, in
 * row-major order. Pass `size` (and `fillValue`, default 0) to use it under jit.
 *
 * @example
 * np.nonzero(np.array([[0, 3], [5, 0]])) // [Array([0, 1]), Array([1, 0])]
 * np.nonzero(np.array([0, 3, 5]), { size: 3, fillValue: -1 }) // [Array([1, 2, -1])]
 */
export const nonzero = (x: ArrayLike, options?: NonzeroOptions): Array[] => nonzeroImpl("np.nonzero", x, options)

/**
 * `jnp.flatnonzero`: the indices of the nonzero elements of the flattened array (`size` and
 * `fillValue` as in `nonzero`).
 *
 * @example
 * np.flatnonzero(np.array([[0, 3], [5, 0]])) // Array([1, 2], dtype=int32)
 */
export const flatnonzero = (x: ArrayLike, options?: NonzeroOptions): Array => {
  const a = asArray(x)
  return nonzeroImpl("np.flatnonzero", reshape(a, [a.size]), options)[0]!
}

/**
 * `jnp.argwhere`: the indices of the nonzero elements as rows of an int32 array of shape
 * `[count, ndim]` (`size` and `fillValue` as in `nonzero`).
 *
 * @example
 * np.argwhere(np.array([[0, 3], [5, 0]])) // Array([[0, 1], [1, 0]], dtype=int32)
 */
export const argwhere = (x: ArrayLike, options?: NonzeroOptions): Array => {
  const a = asArray(x)
  if (a.ndim === 0) {
    const n = options?.size ?? (truthy(a).item() !== 0 ? 1 : 0)
    checkOptions("np.argwhere", options, NONZERO_KEYS)
    return constant(0, "int32", [n, 0])
  }
  const cols = nonzeroImpl("np.argwhere", a, options)
  const n = cols[0]!.shape[0]!
  const stacked = cols.map((c) => reshape(c, [n, 1]))
  return stacked.length === 1 ? stacked[0]! : concatenateCols(stacked)
}

const concatenateCols = (cols: ReadonlyArray<Array>): Array => {
  const n = cols[0]!.shape[0]!
  const k = cols.length
  // [n, k]: column j from cols[j]
  let out = constant(0, "int32", [n, k])
  cols.forEach((c, j) => {
    out = where(iota("int32", [n, k], 1).eq(j), broadcastInDim(reshape(c, [n]), [n, k], [0]), out)
  })
  return out
}

export interface CountNonzeroOptions {
  /** The axes to count over (default all). */
  readonly axis?: number | ReadonlyArray<number> | null | undefined
  /** Keep the counted axes as size 1 (default false). */
  readonly keepdims?: boolean | undefined
}
const COUNT_KEYS = optionKeys<CountNonzeroOptions>()("axis", "keepdims")

/**
 * `jnp.count_nonzero`: how many elements are nonzero (true), over `axis` (default all), as int32.
 *
 * @example
 * np.countNonzero(np.array([[0, 1], [2, 3]]), { axis: 0 }) // Array([1, 2], dtype=int32)
 */
export const countNonzero = (x: ArrayLike, options?: CountNonzeroOptions): Array => {
  checkOptions("np.countNonzero", options, COUNT_KEYS)
  const a = asArray(x)
  normalizeAxes(options?.axis, a.ndim)
  return sum(truthy(a), { axis: options?.axis, keepdims: options?.keepdims, dtype: "int32" })
}

// ---------------------------------------------------------------------------------------------

export type SearchSide = "left" | "right"
export type SearchMethod = "scan" | "scan_unrolled" | "sort" | "compare_all"

export interface SearchsortedOptions {
  /** "left" (default): the first index where v fits; "right": the last. */
  readonly side?: SearchSide | undefined
  /** Indices that sort `a` (when `a` itself is not sorted). */
  readonly sorter?: ArrayLike | undefined
  /** JAX's implementation choice; every method gives the same indices here (default "scan"). */
  readonly method?: SearchMethod | undefined
}
const SEARCHSORTED_KEYS = optionKeys<SearchsortedOptions>()("side", "sorter", "method")
const SIDES: ReadonlyArray<SearchSide> = ["left", "right"]
const METHODS: ReadonlyArray<SearchMethod> = ["scan", "scan_unrolled", "sort", "compare_all"]

/** `a < b` in sort's order: NaN above everything, -0 == +0. */
const sortLess = (a: Array, b: Array): Array => {
  const lt = a.lt(b)
  if (!isFloat(a.dtype)) return lt
  return logicalOr(lt, logicalAnd(logicalNot(a.ne(a)), b.ne(b)))
}

/**
 * `jnp.searchsorted`: for each value of `v`, the index in the sorted 1-D `a` where it would be
 * inserted to keep the order: before equal elements (`side: "left"`) or after them ("right").
 * NaNs sort last, as in `np.sort`. Returns int32 of `v`'s shape.
 *
 * @example
 * np.searchsorted(np.array([1, 2, 2, 3]), np.array([2, 0, 5])) // Array([1, 0, 4], dtype=int32)
 * np.searchsorted(np.array([1, 2, 2, 3]), 2, { side: "right" }) // Array(3, dtype=int32)
 */
export const searchsorted = (a: ArrayLike, v: ArrayLike, options?: SearchsortedOptions): Array => {
  checkOptions("np.searchsorted", options, SEARCHSORTED_KEYS)
  checkOneOf("np.searchsorted", "side", options?.side, SIDES)
  checkOneOf("np.searchsorted", "method", options?.method, METHODS)
  let arr = asArray(a)
  if (arr.ndim !== 1) throw new ShapeError(`np.searchsorted: a must be 1-D, got shape ${showShape(arr.shape)}; flatten or index it first.`)
  if (options?.sorter !== undefined) {
    const s = asArray(options.sorter)
    if (!shapeEqual(s.shape, arr.shape)) throw new ShapeError(`np.searchsorted: sorter must have a's shape ${showShape(arr.shape)}, got ${showShape(s.shape)}.`)
    if (isFloat(s.dtype) || s.dtype === "bool") throw new DTypeError(`np.searchsorted: sorter must hold integer indices, got ${s.dtype}.`)
    arr = arr.size === 0 ? arr : gather(arr, s, 0)
  }
  const [sa, sv] = promoteDtypes([arr, asArray(v)]) as [Array, Array]
  const n = sa.shape[0]!
  if (n === 0) return constant(0, "int32", sv.shape)
  // [..., n]: compare every value with every element; counts are the insertion points.
  const shape = [...sv.shape, n]
  const vv = broadcastInDim(
    sv,
    shape,
    sv.shape.map((_, i) => i)
  )
  const aa = broadcastInDim(sa, shape, [sv.ndim])
  const before = options?.side === "right" ? logicalNot(sortLess(vv, aa)) : sortLess(aa, vv)
  return reduceSum(convertElementType(before, "int32"), [sv.ndim])
}

export interface DigitizeOptions {
  /** Whether the bins include their right edge instead of their left (default false). */
  readonly right?: boolean | undefined
  /** As `searchsorted`'s method. */
  readonly method?: SearchMethod | undefined
}
const DIGITIZE_KEYS = optionKeys<DigitizeOptions>()("right", "method")

/**
 * `jnp.digitize`: the index of the bin of each `x` for monotonic (increasing or decreasing) `bins`:
 * `i` such that `bins[i-1] <= x < bins[i]` (with `right: true`, `bins[i-1] < x <= bins[i]`).
 *
 * @example
 * np.digitize(np.array([0.5, 1, 2.5]), np.array([1, 2, 3])) // Array([0, 1, 2], dtype=int32)
 */
export const digitize = (x: ArrayLike, bins: ArrayLike, options?: DigitizeOptions): Array => {
  checkOptions("np.digitize", options, DIGITIZE_KEYS)
  const b = asArray(bins)
  const xa = asArray(x)
  if (b.ndim !== 1) throw new ShapeError(`np.digitize: bins must be 1-D, got shape ${showShape(b.shape)}.`)
  const n = b.shape[0]!
  if (n === 0) return constant(0, "int32", xa.shape)
  const side: SearchSide = options?.right === true ? "left" : "right"
  const method = options?.method
  const up = searchsorted(b, xa, { side, method })
  const down = searchsorted(rev(b, [0]), xa, { side, method })
    .mul(-1)
    .add(n)
  const increasing = reshape(b.index(n - 1).ge(b.index(0)), [])
  return where(increasing, up, down)
}

export interface BincountOptions {
  /** A weight per element of x, summed per bin (default 1 each, giving int32 counts). */
  readonly weights?: ArrayLike | undefined
  /** At least this many bins (default 0). */
  readonly minlength?: number | undefined
  /** Exactly this many bins (static: needed under jit); larger values are dropped. */
  readonly length?: number | undefined
}
const BINCOUNT_KEYS = optionKeys<BincountOptions>()("weights", "minlength", "length")

/**
 * `jnp.bincount`: how many times each value 0, 1, ... occurs in the non-negative integers `x`
 * (or the sum of their `weights`). Negative values count as 0 and values past `length` are
 * dropped, as in JAX. Give `length` to use it under jit.
 *
 * @example
 * np.bincount(np.array([0, 1, 1, 3])) // Array([1, 2, 0, 1], dtype=int32)
 */
export const bincount = (x: ArrayLike, options?: BincountOptions): Array => {
  checkOptions("np.bincount", options, BINCOUNT_KEYS)
  const a = asArray(x)
  if (a.ndim !== 1) throw new ShapeError(`np.bincount: x must be 1-D, got shape ${showShape(a.shape)}.`)
  if (isFloat(a.dtype) || a.dtype === "bool") throw new DTypeError(`np.bincount: x must hold integers, got ${a.dtype}; cast with astype("int32").`)
  const minlength = checkInt(options?.minlength ?? 0, "np.bincount: minlength")
  if (minlength < 0) throw new ValueError(`np.bincount: minlength must be >= 0, got ${minlength}.`)
  let length = options?.length === undefined ? undefined : checkInt(options.length, "np.bincount: length")
  if (length === undefined) {
    const top = a.size === 0 ? 0 : concreteCount(reduceMax(convertElementType(a, "int32"), [0]), "np.bincount") + 1
    length = Math.max(minlength, top)
  }
  const w = options?.weights === undefined ? constant(1, "int32", a.shape) : asArray(options.weights)
  if (!shapeEqual(w.shape, a.shape)) throw new ShapeError(`np.bincount: weights must have x's shape ${showShape(a.shape)}, got ${showShape(w.shape)}.`)
  const wv = w.dtype === "bool" ? convertElementType(w, "int32") : w
  const idx = where(a.lt(0), 0, a)
  return scatter(constant(0, wv.dtype, [length]), idx, wv, 0, "add")
}
