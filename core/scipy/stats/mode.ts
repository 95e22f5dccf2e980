/** `mode`: the most frequent value along an axis, and its count. */
import type { Array } from "../../array.js"
import { ValueError } from "../../errors.js"
import { type ArrayLike, asArray } from "../../numpy/coerce.js"
import { full } from "../../numpy/creation.js"
import { argmax, max } from "../../numpy/reductions.js"
import { expandDims, moveaxis, reshape } from "../../numpy/shape.js"
import { takeAlongAxis } from "../../numpy/edit.js"
import { checkOptions, optionKeys } from "../../options.js"
import { describe } from "../../shape.js"
import { runs } from "./ranks.js"

export interface ModeOptions {
  /** The axis (default 0; null: the flattened array). */
  readonly axis?: number | null
  /** Only "propagate" (default) is supported, as in JAX. */
  readonly nanPolicy?: "propagate"
  /** Keep the reduced axis as a dimension of size 1 (default false). */
  readonly keepdims?: boolean
}
const MODE_KEYS = optionKeys<ModeOptions>()("axis", "nanPolicy", "keepdims")

/**
 * `jax.scipy.stats.mode`: `[mode, count]`, the most frequent value along `axis` (the smallest one
 * among equally frequent values; NaNs count as one value) and how often it occurs (int32). An
 * empty axis gives NaN and 0 (float32), as JAX.
 *
 * @example
 * const [m, count] = scipy.stats.mode([3, 1, 3, 2, 1, 3]) // m 3, count 3
 */
export const mode = (a: ArrayLike, options?: ModeOptions): [Array, Array] => {
  const { axis = 0, nanPolicy = "propagate", keepdims = false } = checkOptions("scipy.stats.mode", options, MODE_KEYS) ?? {}
  if (nanPolicy !== "propagate")
    throw new ValueError(`scipy.stats.mode: nanPolicy ${describe(nanPolicy)} is not supported (JAX implements "propagate" only); drop NaNs first.`)
  let x = asArray(a)
  if (x.ndim === 0) x = reshape(x, [1])
  const ax = axis === null ? null : axis < 0 ? axis + x.ndim : axis
  if (ax !== null && (!Number.isInteger(ax) || ax < 0 || ax >= x.ndim))
    throw new ValueError(`scipy.stats.mode: axis ${describe(axis)} is out of range for an array of ${x.ndim} dimensions.`)
  const outShape =
    ax === null ? (keepdims ? x.shape.map(() => 1) : []) : keepdims ? x.shape.map((s, i) => (i === ax ? 1 : s)) : x.shape.filter((_, i) => i !== ax)
  const last = ax === null ? reshape(x, [x.size]) : moveaxis(x, ax, -1)
  if (last.shape.at(-1) === 0) return [full(outShape, Number.NaN, { dtype: "float32" }), full(outShape, 0, { dtype: "float32" })]
  const r = runs(last)
  const counts = r.last.sub(r.first).add(1)
  const at = expandDims(argmax(counts, { axis: -1 }), -1)
  const value = takeAlongAxis(r.sorted, at, -1)
  const count = max(counts, { axis: -1 })
  return [reshape(value, outShape), reshape(count, outShape)]
}
