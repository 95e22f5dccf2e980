/** `sem`: the standard error of the mean. */
import type { Array } from "../../array.js"
import { ValueError } from "../../errors.js"
import { type ArrayLike, asArray } from "../../numpy/coerce.js"
import { isnan, logicalNot, sqrt } from "../../numpy/math.js"
import { nanstd } from "../../numpy/nan-reductions.js"
import { std, sum } from "../../numpy/reductions.js"
import { isFloat } from "../../dtype.js"
import { checkOptions, optionKeys } from "../../options.js"
import { describe } from "../../shape.js"

export interface SemOptions {
  /** The axis (default 0; null: the flattened array). */
  readonly axis?: number | null
  /** Delta degrees of freedom (default 1). */
  readonly ddof?: number
  /** "propagate" (default) or "omit" (NaNs left out of the count and the deviation). */
  readonly nanPolicy?: "propagate" | "omit"
  /** Keep the reduced axis as a dimension of size 1 (default false). */
  readonly keepdims?: boolean
}
const SEM_KEYS = optionKeys<SemOptions>()("axis", "ddof", "nanPolicy", "keepdims")

/**
 * `jax.scipy.stats.sem`: the standard error of the mean along `axis`, std(a, ddof) / sqrt(n).
 *
 * @example
 * scipy.stats.sem([1, 2, 3, 4]) // 0.6454972
 */
export const sem = (a: ArrayLike, options?: SemOptions): Array => {
  const { axis = 0, ddof = 1, nanPolicy = "propagate", keepdims = false } = checkOptions("scipy.stats.sem", options, SEM_KEYS) ?? {}
  const x0 = asArray(a)
  const b = isFloat(x0.dtype) ? x0 : x0.astype("float32")
  if (nanPolicy === "propagate") {
    const size = axis === null ? b.size : b.shape.at(axis)!
    return std(b, { axis, ddof, keepdims }).div(sqrt(size).astype(b.dtype))
  }
  if (nanPolicy === "omit") {
    const count = sum(logicalNot(isnan(b)), { axis, keepdims })
    return nanstd(b, { axis, ddof, keepdims }).div(sqrt(count).astype(b.dtype))
  }
  throw new ValueError(`scipy.stats.sem: nanPolicy must be "propagate" or "omit", got ${describe(nanPolicy)}.`)
}
