/**
 * Sorting (jax.numpy): sort, argsort, lexsort, partition and argpartition, each built on the
 * `sort` primitive the way JAX builds them (so the outputs, ties, NaN placement and the order of
 * the partitioned halves are JAX's). Floats sort as -inf < ... < -0 == +0 < ... < inf < NaN.
 */
import type { Array } from "../array.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { isComplex } from "../dtype.js"
import { topK } from "../lax/sorting.js"
import { checkOptions, optionKeys } from "../options.js"
import { sortP } from "../primitives/bits.js"
import { constant } from "../primitives/common.js"
import { add, eq, neg, select, sub } from "../primitives/elementwise.js"
import { reduceMax } from "../primitives/reduce.js"
import { broadcastInDim, concatenate, iota, reshape, rev, transpose } from "../primitives/shape-ops.js"
import { checkFlag, checkInt, normalizeAxis, shapeEqual, showShape } from "../shape.js"
import { bind } from "../trace.js"
import { type ArrayLike, asArray } from "./coerce.js"

export interface SortOptions {
  /** The axis to sort along (default -1; null sorts the flattened array). */
  readonly axis?: number | null | undefined
  /** Keep the order of equal elements (default true; jaxfx always sorts stably). */
  readonly stable?: boolean | undefined
  /** Sort from largest to smallest (default false). */
  readonly descending?: boolean | undefined
}
const SORT_KEYS = optionKeys<SortOptions>()("axis", "stable", "descending")

export interface PartitionOptions {
  /** The axis to partition along (default -1). */
  readonly axis?: number | undefined
}
const PARTITION_KEYS = optionKeys<PartitionOptions>()("axis")

export interface LexsortOptions {
  /** The axis to sort along (default -1). */
  readonly axis?: number | undefined
}
const LEXSORT_KEYS = optionKeys<LexsortOptions>()("axis")

/** The array and the axis to sort: `axis: null` flattens. */
const sortTarget = (name: string, x: ArrayLike, axis: number | null | undefined): [Array, number] => {
  let a = asArray(x)
  if (axis === null) a = reshape(a, [a.size])
  if (a.ndim === 0) throw new ShapeError(`np.${name}: cannot sort a rank-0 array; pass an array of rank >= 1, or axis: null.`)
  return [a, normalizeAxis(checkInt(axis ?? -1, `np.${name}: axis`), a.ndim, `np.${name}: axis`)]
}

/**
 * `jnp.sort`: a sorted copy of `x` along `axis` (default -1; `null` flattens first). NaNs go last
 * (first with `descending: true`, which reverses the ascending result, as JAX does).
 *
 * @example
 * np.sort(np.array([3, 1, 2])) // Array([1, 2, 3], dtype=int32)
 * np.sort(np.array([[3, 1], [0, 2]]), { axis: 0 }) // Array([[0, 1], [3, 2]], dtype=int32)
 */
export const sort = (x: ArrayLike, options?: SortOptions): Array => {
  checkOptions("np.sort", options, SORT_KEYS)
  const [a, axis] = sortTarget("sort", x, options?.axis)
  const stable = checkFlag(options?.stable ?? true, "np.sort: stable")
  const sorted = bind(sortP, [a], { dimension: axis, isStable: stable, numKeys: 1 })[0]!
  return options?.descending === true ? rev(sorted, [axis]) : sorted
}

/**
 * `jnp.argsort`: the int32 indices that sort `x` along `axis` (default -1; `null` flattens).
 * Stable: equal elements keep their order, also with `descending: true`.
 *
 * @example
 * np.argsort(np.array([3, 1, 2])) // Array([1, 2, 0], dtype=int32)
 * np.argsort(np.array([1, 2, 1]), { descending: true }) // Array([1, 0, 2], dtype=int32)
 */
export const argsort = (x: ArrayLike, options?: SortOptions): Array => {
  checkOptions("np.argsort", options, SORT_KEYS)
  let [a, axis] = sortTarget("argsort", x, options?.axis)
  const stable = checkFlag(options?.stable ?? true, "np.argsort: stable")
  const descending = options?.descending === true
  let idx = iota("int32", a.shape, axis)
  if (descending && stable) {
    a = rev(a, [axis])
    idx = rev(idx, [axis])
  }
  const out = bind(sortP, [a, idx], { dimension: axis, isStable: stable, numKeys: 1 })[1]!
  return descending ? rev(out, [axis]) : out
}

/**
 * `jnp.lexsort`: the indices that sort by several keys, the LAST key primary (NumPy's order), along
 * `axis` (default -1). Every key has one shape.
 *
 * @example
 * // sort by surname, then first name
 * np.lexsort([np.array([1, 2, 1]), np.array([0, 0, 1])]) // Array([0, 1, 2], dtype=int32)
 */
export const lexsort = (keys: ReadonlyArray<ArrayLike>, options?: LexsortOptions): Array => {
  checkOptions("np.lexsort", options, LEXSORT_KEYS)
  if (!globalThis.Array.isArray(keys) || keys.length === 0) throw new ValueError("np.lexsort: give a non-empty list of key arrays.")
  const ks = keys.map((k) => asArray(k))
  const shape = ks[0]!.shape
  if (ks.some((k) => !shapeEqual(k.shape, shape))) {
    throw new ShapeError(`np.lexsort: all keys need one shape, got ${ks.map((k) => showShape(k.shape)).join(", ")}.`)
  }
  if (shape.length === 0) return constant(0, "int32")
  const axis = normalizeAxis(checkInt(options?.axis ?? -1, "np.lexsort: axis"), shape.length, "np.lexsort: axis")
  const outs = bind(sortP, [...[...ks].reverse(), iota("int32", shape, axis)], { dimension: axis, isStable: true, numKeys: ks.length })
  return outs[outs.length - 1]!
}

const partitionTarget = (name: string, x: ArrayLike, kth: number, axisOpt: number | undefined): [Array, number, number] => {
  const a0 = asArray(x)
  if (a0.ndim === 0) throw new ShapeError(`np.${name}: cannot partition a rank-0 array; pass an array of rank >= 1.`)
  if (isComplex(a0.dtype))
    throw new DTypeError(`np.${name} of complex values is not implemented (as in JAX); use np.sort or np.argsort, which order them lexicographically.`)
  const axis = normalizeAxis(checkInt(axisOpt ?? -1, `np.${name}: axis`), a0.ndim, `np.${name}: axis`)
  const n = a0.shape[axis]!
  const k = normalizeAxis(checkInt(kth, `np.${name}: kth`), n, `np.${name}: kth (for an axis of size ${n})`)
  return [moveToLast(a0, axis), axis, k]
}

const moveToLast = (a: Array, axis: number): Array => swap(a, axis)
/** Swap `axis` and the last axis (its own inverse). */
const swap = (a: Array, axis: number): Array => {
  const last = a.ndim - 1
  if (axis === last) return a
  const perm = a.shape.map((_, i) => (i === axis ? last : i === last ? axis : i))
  return transpose(a, perm)
}

/** `-x`, with unsigned values shifted by one first as JAX does (so 0 stays below everything). */
const negForBottom = (a: Array): [Array, (v: Array) => Array] => {
  if (a.dtype === "uint32") {
    const one = constant(1, "uint32", [], true)
    return [neg(add(a, one)), (v) => sub(neg(v), one)]
  }
  if (a.dtype === "bool") throw new ValueError('np.partition does not take bool arrays; convert with astype("int32") first.')
  return [neg(a), neg]
}

/**
 * `jnp.partition`: along `axis` (default -1), the `kth + 1` smallest values in ascending order,
 * then the rest in descending order (JAX's layout; NumPy leaves both sides unordered). The element
 * at `kth` is the one a full sort would put there.
 *
 * @example
 * np.partition(np.array([5, 1, 4, 2, 3]), 1) // Array([1, 2, 5, 4, 3], dtype=int32)
 */
export const partition = (x: ArrayLike, kth: number, options?: PartitionOptions): Array => {
  checkOptions("np.partition", options, PARTITION_KEYS)
  const [a, axis, k] = partitionTarget("partition", x, kth, options?.axis)
  const [negated, back] = negForBottom(a)
  const bottom = back(topK(negated, k + 1)[0])
  const top = topK(a, a.shape[a.ndim - 1]! - k - 1)[0]
  return swap(concatenate([bottom, top], a.ndim - 1), axis)
}

/**
 * `jnp.argpartition`: the indices that `partition` would arrange: those of the `kth + 1` smallest
 * values (ascending), then the remaining indices in increasing order.
 *
 * @example
 * np.argpartition(np.array([5, 1, 4, 2, 3]), 1) // Array([1, 3, 0, 2, 4], dtype=int32)
 */
export const argpartition = (x: ArrayLike, kth: number, options?: PartitionOptions): Array => {
  checkOptions("np.argpartition", options, PARTITION_KEYS)
  const [a, axis, k] = partitionTarget("argpartition", x, kth, options?.axis)
  const [negated] = negForBottom(a)
  const bottomIdx = topK(negated, k + 1)[1]
  // The others, in increasing order: rank positions not among the bottom ones above them.
  const n = a.shape[a.ndim - 1]!
  const lead = a.shape.slice(0, -1)
  const positions = iota("int32", [...lead, n, k + 1], lead.length)
  const chosen = broadcastInDim(bottomIdx, [...lead, n, k + 1], [...lead.map((_, i) => i), lead.length + 1])
  const taken = reduceMax(eq(positions, chosen), [lead.length + 1])
  const proxy = select(taken, constant(0, "float32", [...lead, n]), constant(1, "float32", [...lead, n]))
  const topIdx = topK(proxy, n - k - 1)[1]
  return swap(concatenate([bottomIdx, topIdx], a.ndim - 1), axis)
}
