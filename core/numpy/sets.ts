/**
 * Sets (jax.numpy): unique and its array-API forms, isin, union1d, intersect1d, setdiff1d and
 * setxor1d, computed the way JAX computes them (sort, then compare neighbours), so values, index
 * choices and paddings are JAX's. Results whose size depends on the values take JAX's static `size`
 * (and `fillValue`) to work under jit; without it they read the values (concrete arrays only).
 */
import type { Array } from "../array.js"
import { isFloat } from "../dtype.js"
import { ValueError } from "../errors.js"
import { checkOneOf, checkOptions, optionKeys } from "../options.js"
import { sortP } from "../primitives/bits.js"
import { constant } from "../primitives/common.js"
import { convertElementType, ne } from "../primitives/elementwise.js"
import { gather, scatter } from "../primitives/indexing.js"
import { cumsum as laxCumsum, reduceMax, reduceMin, reduceSum } from "../primitives/reduce.js"
import { broadcastInDim, concatenate, iota, reshape, slice } from "../primitives/shape-ops.js"
import { checkFlag, checkInt, normalizeAxis, showShape } from "../shape.js"
import { bind } from "../trace.js"
import { type ArrayLike, asArray, promoteDtypes, scalarArray } from "./coerce.js"
import { concreteCount } from "./concrete.js"
import { logicalAnd, logicalNot, logicalOr, where } from "./math.js"
import { moveaxis } from "./shape.js"

// ---------------------------------------------------------------------------------------------
// Helpers

const count = (mask: Array): Array => reduceSum(convertElementType(mask, "int32"), [0])

/** The positions of the first `size` true elements of a 1-D mask, padded with `pad` (default 0). */
const trueIndices = (mask: Array, size: number, pad = 0): Array => {
  const n = mask.shape[0]!
  const slot = where(mask, laxCumsum(convertElementType(mask, "int32"), 0).sub(1), size)
  return scatter(constant(pad, "int32", [size]), slot, iota("int32", [n], 0), 0, "set")
}

/** `x[idx]` along axis 0, with `fill` where the index is outside [0, n) (JAX's mode="fill"). */
const takeFill = (x: Array, idx: Array, fill: number): Array => {
  const n = x.shape[0]!
  if (n === 0) return constant(fill, x.dtype, [idx.shape[0]!, ...x.shape.slice(1)])
  const inside = logicalAnd(idx.ge(0), idx.lt(n))
  const g = gather(x, idx, 0)
  return where(reshape(inside, [idx.shape[0]!, ...x.shape.slice(1).map(() => 1)]), g, fill)
}

const first = (x: Array, k: number): Array => slice(x, [0], [k])
const drop1 = (x: Array): Array => slice(x, [1, ...x.shape.slice(1).map(() => 0)], x.shape)
const dropLast = (x: Array): Array =>
  slice(
    x,
    x.shape.map(() => 0),
    [x.shape[0]! - 1, ...x.shape.slice(1)]
  )

const checkSize = (fn: string, size: number | undefined): number | undefined => {
  if (size === undefined) return undefined
  const s = checkInt(size, `${fn}: size`)
  if (s < 0) throw new ValueError(`${fn}: size must be >= 0, got ${s}.`)
  return s
}

const ravel = (x: Array): Array => reshape(x, [x.size])

// ---------------------------------------------------------------------------------------------
// unique

interface UniqueParts {
  readonly values: Array
  readonly index: Array
  readonly inverse: Array
  readonly counts: Array
  readonly trueSize: Array
}

/**
 * Unique slices along axis 0 of `arr` (JAX's `_unique`): lexicographically sorted, the first
 * `size` of them (padded with the smallest, or `fillValue`).
 */
const uniqueParts = (fn: string, arr: Array, equalNan: boolean, sizeOpt: number | undefined, fillValue: number | undefined): UniqueParts => {
  const n = arr.shape[0]!
  const rest = arr.shape.slice(1)
  let restSize = 1
  for (const d of rest) restSize *= d
  if (n === 0 || restSize === 0) {
    if (restSize === 0 && n !== 0)
      throw new ValueError(`${fn}: unique slices of zero size (shape ${showShape(arr.shape)}) are not supported; drop the empty axes first.`)
    const size = sizeOpt ?? 0
    if (size > 0 && fillValue === undefined) throw new ValueError(`${fn}: for a zero-size input with a nonzero size, give fillValue (as in JAX).`)
    const values = size > 0 ? scalarArray(fillValue!, arr.dtype, [size, ...rest]) : arr
    const empty = constant(0, "int32", [0])
    return { values, index: empty, inverse: empty, counts: empty, trueSize: constant(0, "int32") }
  }
  // Sort the slices lexicographically (first element primary), stably.
  const flat = reshape(arr, [n, restSize])
  const cols = restSize === 1 ? [reshape(arr, [n])] : globalThis.Array.from({ length: restSize }, (_, j) => reshape(slice(flat, [0, j], [n, j + 1]), [n]))
  const perm = bind(sortP, [...cols, iota("int32", [n], 0)], { dimension: 0, isStable: true, numKeys: cols.length })[cols.length]!
  const aux = gather(flat, perm, 0) // [n, restSize]
  let differs = ne(drop1(aux), dropLast(aux))
  if (equalNan && isFloat(arr.dtype)) {
    const a = drop1(aux)
    const b = dropLast(aux)
    differs = logicalAnd(differs, logicalNot(logicalAnd(a.ne(a), b.ne(b))))
  }
  const mask = concatenate([constant(1, "bool", [1]), n > 1 ? reduceMax(differs, [1]) : constant(0, "bool", [0])], 0)
  const trueSize = count(mask)
  const size = sizeOpt ?? concreteCount(trueSize, fn)
  const ind = trueIndices(mask, size)
  let values = reshape(gather(aux, ind, 0), [size, ...rest])
  if (sizeOpt !== undefined && fillValue !== undefined) {
    const valid = reshape(iota("int32", [size], 0).lt(broadcastInDim(trueSize, [size], [])), [size, ...rest.map(() => 1)])
    values = where(valid, values, scalarArray(fillValue, values.dtype))
  }
  const index = gather(perm, ind, 0)
  const rank = laxCumsum(convertElementType(mask, "int32"), 0).sub(1)
  const inverse = scatter(constant(0, "int32", [n]), perm, rank, 0, "set")
  const ends = trueIndices(mask, size + 1)
  const tail = drop1(ends)
  const bounds = concatenate([first(ends, 1), where(tail.ne(0), tail, n)], 0)
  const counts = drop1(bounds).sub(dropLast(bounds))
  return { values, index, inverse, counts, trueSize }
}

export interface UniqueOptions {
  /** Also return the index of each unique value's first occurrence. */
  readonly returnIndex?: boolean | undefined
  /** Also return, for each element, the index of its value among the unique values. */
  readonly returnInverse?: boolean | undefined
  /** Also return how often each unique value occurs. */
  readonly returnCounts?: boolean | undefined
  /** Unique slices along this axis (default: unique elements of the flattened array). */
  readonly axis?: number | null | undefined
  /** Count all NaNs as one value (default true). */
  readonly equalNan?: boolean | undefined
  /** The static number of unique values to return (needed under jit): truncated or padded. */
  readonly size?: number | undefined
  /** The padding value when `size` exceeds the count (default: the smallest unique value). */
  readonly fillValue?: number | undefined
}
const UNIQUE_KEYS = optionKeys<UniqueOptions>()("returnIndex", "returnInverse", "returnCounts", "axis", "equalNan", "size", "fillValue")

type NoExtras = UniqueOptions & {
  readonly returnIndex?: false | undefined
  readonly returnInverse?: false | undefined
  readonly returnCounts?: false | undefined
}

const uniqueImpl = (fn: string, x: ArrayLike, options: UniqueOptions | undefined): UniqueParts & { readonly inverseShaped: Array } => {
  const a = asArray(x)
  const size = checkSize(fn, options?.size)
  const equalNan = checkFlag(options?.equalNan ?? true, `${fn}: equalNan`)
  const axisOpt = options?.axis
  if (axisOpt === undefined || axisOpt === null) {
    const parts = uniqueParts(fn, ravel(a), equalNan, size, options?.fillValue)
    return { ...parts, inverseShaped: parts.inverse.size === a.size ? reshape(parts.inverse, a.shape) : parts.inverse }
  }
  const axis = normalizeAxis(checkInt(axisOpt, `${fn}: axis`), a.ndim, `${fn}: axis`)
  const parts = uniqueParts(fn, moveaxis(a, axis, 0), equalNan, size, options?.fillValue)
  return { ...parts, values: moveaxis(parts.values, 0, axis), inverseShaped: parts.inverse }
}

/**
 * `jnp.unique`: the sorted unique elements (or, with `axis`, unique slices), plus on request the
 * first-occurrence indices, the inverse indices and the counts, in that order. Pass `size` (and
 * `fillValue`) to use it under jit.
 *
 * @example
 * np.unique(np.array([3, 1, 3, 2])) // Array([1, 2, 3], dtype=int32)
 * np.unique(np.array([3, 1, 3]), { returnCounts: true }) // [Array([1, 3]), Array([1, 2])]
 * np.unique(np.array([3, 1, 3]), { size: 4, fillValue: 0 }) // Array([1, 3, 0, 0], dtype=int32)
 */
export function unique(x: ArrayLike, options?: NoExtras): Array
export function unique(x: ArrayLike, options: UniqueOptions): Array | Array[]
export function unique(x: ArrayLike, options?: UniqueOptions): Array | Array[] {
  checkOptions("np.unique", options, UNIQUE_KEYS)
  const p = uniqueImpl("np.unique", x, options)
  const out = [p.values]
  if (options?.returnIndex === true) out.push(p.index)
  if (options?.returnInverse === true) out.push(p.inverseShaped)
  if (options?.returnCounts === true) out.push(p.counts)
  return out.length === 1 ? out[0]! : out
}

export interface UniqueSizeOptions {
  /** The static number of unique values (needed under jit). */
  readonly size?: number | undefined
  /** The padding when `size` exceeds the count (default: the smallest unique value). */
  readonly fillValue?: number | undefined
}
const UNIQUE_SIZE_KEYS = optionKeys<UniqueSizeOptions>()("size", "fillValue")

const arrayApiUnique = (fn: string, x: ArrayLike, options: UniqueSizeOptions | undefined) => {
  checkOptions(fn, options, UNIQUE_SIZE_KEYS)
  return uniqueImpl(fn, x, { equalNan: false, size: options?.size, fillValue: options?.fillValue })
}

/**
 * `jnp.unique_values`: the sorted unique elements of the flattened array (NaNs all kept).
 *
 * @example
 * np.uniqueValues(np.array([2, 1, 2])) // Array([1, 2], dtype=int32)
 */
export const uniqueValues = (x: ArrayLike, options?: UniqueSizeOptions): Array => arrayApiUnique("np.uniqueValues", x, options).values

/**
 * `jnp.unique_counts`: the unique values and how often each occurs.
 *
 * @example
 * np.uniqueCounts(np.array([2, 1, 2])) // { values: Array([1, 2]), counts: Array([1, 2]) }
 */
export const uniqueCounts = (x: ArrayLike, options?: UniqueSizeOptions): { values: Array; counts: Array } => {
  const p = arrayApiUnique("np.uniqueCounts", x, options)
  return { values: p.values, counts: p.counts }
}

/**
 * `jnp.unique_inverse`: the unique values and, for each element (in `x`'s shape), its value's index.
 *
 * @example
 * np.uniqueInverse(np.array([2, 1, 2])) // { values: Array([1, 2]), inverseIndices: Array([1, 0, 1]) }
 */
export const uniqueInverse = (x: ArrayLike, options?: UniqueSizeOptions): { values: Array; inverseIndices: Array } => {
  const p = arrayApiUnique("np.uniqueInverse", x, options)
  return { values: p.values, inverseIndices: p.inverseShaped }
}

/**
 * `jnp.unique_all`: values, first-occurrence indices, inverse indices and counts.
 *
 * @example
 * np.uniqueAll(np.array([2, 1, 2])).counts // Array([1, 2], dtype=int32)
 */
export const uniqueAll = (x: ArrayLike, options?: UniqueSizeOptions): { values: Array; indices: Array; inverseIndices: Array; counts: Array } => {
  const p = arrayApiUnique("np.uniqueAll", x, options)
  return { values: p.values, indices: p.index, inverseIndices: p.inverseShaped, counts: p.counts }
}

// ---------------------------------------------------------------------------------------------
// Membership

export type IsinMethod = "auto" | "compare_all" | "binary_search" | "sort"
export interface IsinOptions {
  /** Both inputs hold unique values (a hint; the result is the same). */
  readonly assumeUnique?: boolean | undefined
  /** Return "not in" instead (default false). */
  readonly invert?: boolean | undefined
  /** JAX's implementation choice; every method gives the same result here (default "auto"). */
  readonly method?: IsinMethod | undefined
}
const ISIN_KEYS = optionKeys<IsinOptions>()("assumeUnique", "invert", "method")
const ISIN_METHODS: ReadonlyArray<IsinMethod> = ["auto", "compare_all", "binary_search", "sort"]

/** Whether each element of `x` (flat) equals some element of `y` (flat). */
const in1d = (x: Array, y: Array, invert: boolean): Array => {
  const [a, b] = promoteDtypes([ravel(x), ravel(y)]) as [Array, Array]
  if (a.size === 0 || b.size === 0) return constant(invert ? 1 : 0, "bool", [a.size])
  const shape = [a.size, b.size]
  const eq = broadcastInDim(a, shape, [0]).eq(broadcastInDim(b, shape, [1]))
  const any = reduceMax(eq, [1])
  return invert ? logicalNot(any) : any
}

/**
 * `jnp.isin`: whether each element of `element` occurs in `testElements` (bool, `element`'s shape).
 *
 * @example
 * np.isin(np.array([1, 2, 3, 4]), np.array([1, 3, 7])) // Array([true, false, true, false], dtype=bool)
 */
export const isin = (element: ArrayLike, testElements: ArrayLike, options?: IsinOptions): Array => {
  checkOptions("np.isin", options, ISIN_KEYS)
  checkOneOf("np.isin", "method", options?.method, ISIN_METHODS)
  const e = asArray(element)
  return reshape(in1d(e, asArray(testElements), options?.invert === true), e.shape)
}

// ---------------------------------------------------------------------------------------------
// Set operations on flattened arrays

export interface SetSizeOptions {
  /** The static length of the result (needed under jit): truncated or padded. */
  readonly size?: number | undefined
  /** The padding when `size` exceeds the count. */
  readonly fillValue?: number | undefined
}
const SET_SIZE_KEYS = optionKeys<SetSizeOptions>()("size", "fillValue")

export interface SetOpOptions extends SetSizeOptions {
  /** Both inputs hold unique values already (faster; wrong results otherwise). */
  readonly assumeUnique?: boolean | undefined
}
const SET_OP_KEYS = optionKeys<SetOpOptions>()("size", "fillValue", "assumeUnique")

export interface Intersect1dOptions extends SetOpOptions {
  /** Also return the indices of the common values in each (flattened) input. */
  readonly returnIndices?: boolean | undefined
}
const INTERSECT_KEYS = optionKeys<Intersect1dOptions>()("size", "fillValue", "assumeUnique", "returnIndices")

/**
 * `jnp.union1d`: the sorted unique values found in either array (flattened).
 *
 * @example
 * np.union1d(np.array([1, 2, 3]), np.array([3, 4])) // Array([1, 2, 3, 4], dtype=int32)
 */
export const union1d = (ar1: ArrayLike, ar2: ArrayLike, options?: SetSizeOptions): Array => {
  checkOptions("np.union1d", options, SET_SIZE_KEYS)
  const [a, b] = promoteDtypes([asArray(ar1), asArray(ar2)]) as [Array, Array]
  return uniqueImpl("np.union1d", concatenate([ravel(a), ravel(b)], 0), { size: options?.size, fillValue: options?.fillValue }).values
}

/**
 * `jnp.setdiff1d`: the sorted unique values of `ar1` that are not in `ar2` (padding: 0 by default).
 *
 * @example
 * np.setdiff1d(np.array([1, 2, 3, 4]), np.array([3, 4, 5])) // Array([1, 2], dtype=int32)
 */
export const setdiff1d = (ar1: ArrayLike, ar2: ArrayLike, options?: SetOpOptions): Array => {
  checkOptions("np.setdiff1d", options, SET_OP_KEYS)
  let a = ravel(asArray(ar1))
  const b = ravel(asArray(ar2))
  const size = checkSize("np.setdiff1d", options?.size)
  const fill = options?.fillValue ?? 0
  if (a.size === 0) return scalarArray(fill, a.dtype, [size ?? 0])
  const assumeUnique = options?.assumeUnique === true
  if (!assumeUnique) a = uniqueImpl("np.setdiff1d", a, { size: size === undefined ? undefined : a.size }).values
  let mask = in1d(a, b, true)
  if (size === undefined) return gather(a, trueIndices(mask, concreteCount(count(mask), "np.setdiff1d")), 0)
  if (!assumeUnique) {
    const nUnique = count(a.eq(reshape(first(a, 1), [])))
      .mul(-1)
      .add(a.size + 1)
    mask = logicalAnd(mask, iota("int32", [a.size], 0).lt(broadcastInDim(nUnique, [a.size], [])))
  }
  const picked = gather(a, trueIndices(mask, size), 0)
  return where(iota("int32", [size], 0).lt(broadcastInDim(count(mask), [size], [])), picked, scalarArray(fill, a.dtype))
}

/** Padding of a sized result: `fillValue`, or the smallest valid value (0 when none), as JAX pads. */
const padResult = (vals: Array, valid: Array, fillValue: number | undefined): Array => {
  if (fillValue !== undefined) return where(valid, vals, scalarArray(fillValue, vals.dtype))
  if (vals.size === 0) return vals
  const up = where(valid, vals, reduceMax(vals, [0]))
  return where(valid, up, reduceMin(up, [0]))
}

/**
 * `jnp.intersect1d`: the sorted unique values found in both arrays (flattened); with
 * `returnIndices`, also where each first occurs in `ar1` and in `ar2`.
 *
 * @example
 * np.intersect1d(np.array([1, 2, 3, 4]), np.array([3, 4, 5])) // Array([3, 4], dtype=int32)
 */
export function intersect1d(ar1: ArrayLike, ar2: ArrayLike, options?: Intersect1dOptions & { readonly returnIndices?: false | undefined }): Array
export function intersect1d(ar1: ArrayLike, ar2: ArrayLike, options: Intersect1dOptions): Array | [Array, Array, Array]
export function intersect1d(ar1: ArrayLike, ar2: ArrayLike, options?: Intersect1dOptions): Array | [Array, Array, Array] {
  checkOptions("np.intersect1d", options, INTERSECT_KEYS)
  const fn = "np.intersect1d"
  const [x1, x2] = promoteDtypes([asArray(ar1), asArray(ar2)]) as [Array, Array]
  let a = ravel(x1)
  let b = ravel(x2)
  const n1 = a.size
  const n2 = b.size
  const size = checkSize(fn, options?.size)
  const withIndices = options?.returnIndices === true
  const assumeUnique = options?.assumeUnique === true
  let ind1 = iota("int32", [n1], 0)
  let ind2 = iota("int32", [n2], 0)
  let valid1 = constant(1, "bool", [n1])
  let valid2 = constant(1, "bool", [n2])
  if (!assumeUnique) {
    // Unique values of each, padded to the input's length (the padding is masked out below).
    const u1 = uniqueImpl(fn, a, { size: size === undefined ? undefined : n1, fillValue: size === undefined ? undefined : 0 })
    const u2 = uniqueImpl(fn, b, { size: size === undefined ? undefined : n2, fillValue: size === undefined ? undefined : 0 })
    a = u1.values
    b = u2.values
    ind1 = u1.index
    ind2 = u2.index
    valid1 = iota("int32", [a.size], 0).lt(broadcastInDim(u1.trueSize, [a.size], []))
    valid2 = iota("int32", [b.size], 0).lt(broadcastInDim(u2.trueSize, [b.size], []))
  }
  const m = a.size + b.size
  const arr = concatenate([a, b], 0)
  const valid = concatenate([valid1, valid2], 0)
  const [sortedValid, aux, order] = bind(sortP, [logicalNot(valid), arr, iota("int32", [m], 0)], { dimension: 0, isStable: true, numKeys: 2 }) as [
    Array,
    Array,
    Array
  ]
  if (m === 0) {
    const empty = constant(0, arr.dtype, [size ?? 0])
    const none = constant(0, "int32", [size ?? 0])
    return withIndices ? [empty, none, none] : empty
  }
  const auxMask = logicalAnd(drop1(aux).eq(dropLast(aux)), logicalNot(drop1(sortedValid)))
  const numResults = count(auxMask)
  const k = size ?? concreteCount(numResults, fn)
  const valIdx = trueIndices(auxMask, k, m)
  const inRange = iota("int32", [k], 0).lt(broadcastInDim(numResults, [k], []))
  const vals = padResult(takeFill(aux, valIdx, 0), inRange, options?.fillValue)
  if (!withIndices) return vals
  // Positions in `arr`: the first of each pair is from ar1, the second from ar2 (offset by a.size).
  let i1 = where(inRange, takeFill(order, valIdx, n1), n1)
  let i2 = where(inRange, takeFill(order, valIdx.add(1), n2 + a.size).sub(a.size), n2)
  if (!assumeUnique) {
    i1 = takeFill(ind1, i1, n1)
    i2 = takeFill(ind2, i2, n2)
  }
  return [vals, i1, i2]
}

/**
 * `jnp.setxor1d`: the sorted values found in exactly one of the arrays (flattened).
 *
 * @example
 * np.setxor1d(np.array([1, 2, 3]), np.array([2, 3, 4])) // Array([1, 4], dtype=int32)
 */
export const setxor1d = (ar1: ArrayLike, ar2: ArrayLike, options?: SetOpOptions): Array => {
  checkOptions("np.setxor1d", options, SET_OP_KEYS)
  const fn = "np.setxor1d"
  const [x1, x2] = promoteDtypes([asArray(ar1), asArray(ar2)]) as [Array, Array]
  let a = ravel(x1)
  let b = ravel(x2)
  const size = checkSize(fn, options?.size)
  let valid1 = constant(1, "bool", [a.size])
  let valid2 = constant(1, "bool", [b.size])
  if (options?.assumeUnique !== true) {
    const u1 = uniqueImpl(fn, a, { size: size === undefined ? undefined : a.size, fillValue: size === undefined ? undefined : 0 })
    const u2 = uniqueImpl(fn, b, { size: size === undefined ? undefined : b.size, fillValue: size === undefined ? undefined : 0 })
    valid1 = iota("int32", [u1.values.size], 0).lt(broadcastInDim(u1.trueSize, [u1.values.size], []))
    valid2 = iota("int32", [u2.values.size], 0).lt(broadcastInDim(u2.trueSize, [u2.values.size], []))
    a = u1.values
    b = u2.values
  }
  const m = a.size + b.size
  if (m === 0) return constant(0, a.dtype, [size ?? 0])
  const valid = concatenate([valid1, valid2], 0)
  const [invalidSorted, aux] = bind(sortP, [logicalNot(valid), concatenate([a, b], 0)], { dimension: 0, isStable: true, numKeys: 2 }) as [Array, Array]
  const ok = logicalNot(invalidSorted)
  // A value is kept when it differs from both neighbours (among the valid ones).
  const t = constant(1, "bool", [1])
  const diffPrev = concatenate([t, drop1(aux).ne(dropLast(aux))], 0)
  const diffNext = concatenate([drop1(aux).ne(dropLast(aux)), t], 0)
  const nextOk = concatenate([drop1(ok), constant(0, "bool", [1])], 0)
  const keep = logicalAnd(logicalAnd(ok, diffPrev), logicalOr(diffNext, logicalNot(nextOk)))
  const numResults = count(keep)
  const k = size ?? concreteCount(numResults, fn)
  const vals = takeFill(aux, trueIndices(keep, k, m), 0)
  return padResult(vals, iota("int32", [k], 0).lt(broadcastInDim(numResults, [k], [])), options?.fillValue)
}
