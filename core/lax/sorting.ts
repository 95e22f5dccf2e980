/**
 * `lax.sort`, `lax.sortKeyVal` and `lax.topK` with JAX's signatures. All three bind the one `sort`
 * primitive (core/primitives/bits.ts), so they differentiate (tangents ride along as extra
 * operands), batch and compile as that primitive does.
 *
 * Orders: `sort` compares floats with -0 == +0 and every NaN after +inf (JAX's comparator), stably.
 * `topK` follows XLA's TopK instead: the total order of the float's bits, so +NaN is the largest
 * value, -NaN the smallest, and +0 ranks above -0; among equal values the lower index comes first.
 */
import type { Array } from "../array.js"
import { isComplex, isFloat } from "../dtype.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { bitcastConvertType, sortP } from "../primitives/bits.js"
import { constant } from "../primitives/common.js"
import { convertElementType, lt, select, xor } from "../primitives/elementwise.js"
import { iota, reshape, rev, slice } from "../primitives/shape-ops.js"
import { checkFlag, checkInt, describe, normalizeAxis } from "../shape.js"
import { bind } from "../trace.js"

export interface SortOptions {
  /** The dimension to sort along (default -1, the last). */
  readonly dimension?: number | undefined
  /** Keep the input order of equal keys (default true; jaxfx's sort is always stable). */
  readonly isStable?: boolean | undefined
  /** How many of the leading operands are keys, compared lexicographically (default 1). */
  readonly numKeys?: number | undefined
}
const SORT_KEYS = optionKeys<SortOptions>()("dimension", "isStable", "numKeys")

export interface SortKeyValOptions {
  /** The dimension to sort along (default -1, the last). */
  readonly dimension?: number | undefined
  /** Keep the input order of equal keys (default true). */
  readonly isStable?: boolean | undefined
}
const SORT_KEY_VAL_KEYS = optionKeys<SortKeyValOptions>()("dimension", "isStable")

export interface TopKOptions {
  /** The axis to search (default -1, the last). */
  readonly axis?: number | undefined
}
const TOP_K_KEYS = optionKeys<TopKOptions>()("axis")

const sortAll = (name: string, operands: ReadonlyArray<Array>, dimension: number, isStable: boolean, numKeys: number): Array[] => {
  if (operands.length === 0) throw new ValueError(`${name}: give at least one operand to sort.`)
  const rank = operands[0]!.ndim
  if (rank === 0) throw new ShapeError(`${name}: cannot sort a rank-0 array; give an array of rank >= 1 (e.g. reshape it to [1]).`)
  const d = normalizeAxis(checkInt(dimension, `${name}: dimension`), rank, `${name}: dimension`)
  return [...bind(sortP, operands, { dimension: d, isStable: checkFlag(isStable, `${name}: isStable`), numKeys })]
}

/**
 * `lax.sort`: sort one array, or several arrays of one shape by their first `numKeys` arrays
 * (lexicographically), along `dimension`. Floats order as -inf < ... < -0 == +0 < ... < inf < NaN.
 * One array in, one array out; a list in, a list out.
 *
 * @example
 * lax.sort(np.array([3, 1, 2])) // Array([1, 2, 3], dtype=int32)
 * lax.sort([np.array([2, 1]), np.array([10, 20])]) // [Array([1, 2]), Array([20, 10])]
 */
export function sort(operand: Array, options?: SortOptions): Array
export function sort(operands: ReadonlyArray<Array>, options?: SortOptions): Array[]
export function sort(operand: Array | ReadonlyArray<Array>, options?: SortOptions): Array | Array[] {
  checkOptions("lax.sort", options, SORT_KEYS)
  const single = !globalThis.Array.isArray(operand)
  const operands = single ? [operand as Array] : (operand as ReadonlyArray<Array>)
  const out = sortAll("lax.sort", operands, options?.dimension ?? -1, options?.isStable ?? true, options?.numKeys ?? 1)
  return single ? out[0]! : out
}

/**
 * `lax.sort_key_val`: sort `values` by `keys` along `dimension`; returns both, permuted alike.
 *
 * @example
 * lax.sortKeyVal(np.array([3, 1, 2]), np.array([30, 10, 20])) // [Array([1, 2, 3]), Array([10, 20, 30])]
 */
export const sortKeyVal = (keys: Array, values: Array, options?: SortKeyValOptions): [Array, Array] => {
  checkOptions("lax.sortKeyVal", options, SORT_KEY_VAL_KEYS)
  const [k, v] = sortAll("lax.sortKeyVal", [keys, values], options?.dimension ?? -1, options?.isStable ?? true, 1)
  return [k!, v!]
}

/**
 * A key whose ascending order is XLA's TopK order: ints and bools as they are, floats by the total
 * order of their bits (-NaN < -inf < ... < -0 < +0 < ... < inf < +NaN), as int32 words (float16 and
 * bfloat16 through float32; float64 gives two keys: the high word signed, the low word unsigned).
 */
const totalOrderKeys = (x: Array): Array[] => {
  if (x.dtype === "bool") return [convertElementType(x, "int32")]
  if (!isFloat(x.dtype)) return [x]
  // Negative floats: flip every bit but the sign, so larger magnitudes sort lower.
  // float16 and bfloat16 widen to float32 exactly (only a NaN's sign may not survive).
  if (x.dtype === "float16" || x.dtype === "bfloat16") return totalOrderKeys(convertElementType(x, "float32"))
  if (x.dtype === "float32") {
    const bits = bitcastConvertType(x, "int32")
    const neg = lt(bits, constant(0, "int32", [], true))
    return [select(neg, xor(bits, constant(0x7fffffff, "int32", [], true)), bits)]
  }
  const words = bitcastConvertType(x, "uint32") // [..., 2]: low, high (little-endian)
  const shape = x.shape
  const lo = reshape(slice(words, [...shape.map(() => 0), 0], [...shape, 1]), shape)
  const hi = bitcastConvertType(reshape(slice(words, [...shape.map(() => 0), 1], [...shape, 2]), shape), "int32")
  const neg = lt(hi, constant(0, "int32", [], true))
  const hiKey = select(neg, xor(hi, constant(0x7fffffff, "int32", [], true)), hi)
  const loKey = select(neg, xor(lo, constant(0xffffffff, "uint32", [], true)), lo)
  return [hiKey, loKey]
}

/**
 * `lax.top_k`: the `k` largest entries along `axis` (default the last) in descending order, and
 * their int32 indices. Ties go to the lower index; +NaN counts as the largest value (XLA's TopK).
 *
 * @example
 * lax.topK(np.array([1, 5, 3, 5]), 2) // [Array([5, 5]), Array([1, 3])]
 */
export const topK = (operand: Array, k: number, options?: TopKOptions): [Array, Array] => {
  checkOptions("lax.topK", options, TOP_K_KEYS)
  if (operand.ndim === 0) throw new ShapeError("lax.topK: the operand must have rank >= 1; give an array, not a scalar.")
  if (isComplex(operand.dtype))
    throw new DTypeError("lax.topK is not compatible with complex inputs (as in JAX); use np.sort, which orders them lexicographically, or topK of np.abs(x).")
  const axis = normalizeAxis(checkInt(options?.axis ?? -1, "lax.topK: axis"), operand.ndim, "lax.topK: axis")
  const n = operand.shape[axis]!
  if (!Number.isSafeInteger(k) || k < 0 || k > n) {
    throw new ValueError(`lax.topK: k must be an integer in [0, ${n}] (the size of axis ${axis}), got ${describe(k)}.`)
  }
  // Descending and stable with the lower index first: sort the reversed array ascending, then reverse.
  const keys = totalOrderKeys(operand).map((key) => rev(key, [axis]))
  const idx = rev(iota("int32", operand.shape, axis), [axis])
  const sorted = bind(sortP, [...keys, rev(operand, [axis]), idx], { dimension: axis, isStable: true, numKeys: keys.length })
  const take = (a: Array): Array => {
    const r = rev(a, [axis])
    return slice(
      r,
      r.shape.map(() => 0),
      r.shape.map((d, i) => (i === axis ? k : d))
    )
  }
  return [take(sorted[keys.length]!), take(sorted[keys.length + 1]!)]
}
