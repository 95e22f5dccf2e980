/**
 * `np.topK` (JAX's `jax.numpy.top_k`, added after JAX 0.10): the k largest or smallest elements
 * along an axis, built on `lax.topK` as JAX builds it. The smallest are the largest of the
 * negated values (bitwise NOT for bool and unsigned integers), so their order and NaN placement
 * are JAX's.
 */
import type { Array } from "../array.js"
import { isComplex } from "../dtype.js"
import { ValueError } from "../errors.js"
import { topK as laxTopK } from "../lax/sorting.js"
import { checkOneOf, checkOptions, optionKeys } from "../options.js"
import { neg, not } from "../primitives/elementwise.js"
import { checkFlag, checkInt, normalizeAxis } from "../shape.js"
import { type ArrayLike, asArray } from "./coerce.js"

export interface TopKOptions {
  /** The axis to search along (default -1). */
  readonly axis?: number | undefined
  /** "largest" (default) or "smallest". */
  readonly mode?: "largest" | "smallest" | undefined
  /** Return the elements in sorted order (default true; they always are). */
  readonly sorted?: boolean | undefined
}
const TOP_K_KEYS = optionKeys<TopKOptions>()("axis", "mode", "sorted")

/**
 * `jnp.top_k(a, k, axis=-1, mode="largest", sorted=True)`: the `k` largest (or smallest) elements
 * along `axis` and their int32 indices, in order, ties to the lower index. For "smallest" a value
 * is ranked by its negation (bitwise NOT for bool and unsigned), as JAX does.
 *
 * @example
 * const a = np.array([[1, 2, 3, 4, 5], [5, 4, 3, 2, 1]])
 * np.topK(a, 2)                                    // [[[5, 4], [5, 4]], [[4, 3], [0, 1]]]
 * np.topK(a, 2, { axis: 0, mode: "smallest" })[0]  // [[1, 2, 3, 2, 1], [5, 4, 3, 4, 5]]
 */
export const topK = (a: ArrayLike, k: number, options?: TopKOptions): [Array, Array] => {
  checkOptions("np.topK", options, TOP_K_KEYS)
  const arr = asArray(a)
  if (isComplex(arr.dtype)) throw new ValueError("np.topK is not compatible with complex inputs.")
  const mode = options?.mode ?? "largest"
  checkOneOf("np.topK", "mode", mode, ["largest", "smallest"])
  if (options?.sorted !== undefined) checkFlag(options.sorted, "np.topK: sorted")
  if (arr.ndim === 0) return laxTopK(arr, k) // lax's error for a scalar
  const axis = normalizeAxis(checkInt(options?.axis ?? -1, "np.topK: axis"), arr.ndim, "np.topK: axis")
  if (mode === "largest") return laxTopK(arr, k, { axis })
  // -(x + 1) for an unsigned integer wraps to ~x: both are bitwise NOT.
  const flip = arr.dtype === "bool" || arr.dtype.startsWith("uint") ? not : neg
  const [vals, idx] = laxTopK(flip(arr), k, { axis })
  return [flip(vals), idx]
}
