/** `rankdata`: ranks of data, with ties resolved as scipy's methods do. */
import type { Array } from "../../array.js"
import { ValueError } from "../../errors.js"
import { type ArrayLike, asArray } from "../../numpy/coerce.js"
import { full } from "../../numpy/creation.js"
import { isnan, where } from "../../numpy/math.js"
import { any, cumsum } from "../../numpy/reductions.js"
import { moveaxis, reshape } from "../../numpy/shape.js"
import { takeAlongAxis } from "../../numpy/edit.js"
import { checkOneOf, checkOptions, optionKeys } from "../../options.js"
import { describe } from "../../shape.js"
import { argsort } from "../linalg/common.js"
import { runs } from "./ranks.js"

export type RankMethod = "average" | "min" | "max" | "dense" | "ordinal"

export interface RankdataOptions {
  /** How ties are ranked (default "average"): "min", "max", "dense" (consecutive) or "ordinal" (by position). */
  readonly method?: RankMethod
  /** Rank along this axis (default null: the flattened array). */
  readonly axis?: number | null
  /** Only "propagate" (default) is supported, as in JAX: a NaN makes every rank of its slice NaN. */
  readonly nanPolicy?: "propagate"
}
const RANKDATA_KEYS = optionKeys<RankdataOptions>()("method", "axis", "nanPolicy")

/** Ranks (1-based, float32) along the last axis. */
const ranksAlongLast = (x: Array, method: RankMethod): Array => {
  const r = runs(x)
  const inv = argsort(r.sorter)
  const back = (v: Array): Array => takeAlongAxis(v, inv, -1)
  const byPosition =
    method === "ordinal"
      ? inv.add(1)
      : method === "dense"
        ? back(cumsum(r.starts.astype("int32"), { axis: -1 }))
        : method === "min"
          ? back(r.first.add(1))
          : method === "max"
            ? back(r.last.add(1))
            : back(r.first.add(r.last).astype("float32").mul(0.5).add(1))
  const ranks = byPosition.astype("float32")
  return where(any(isnan(x), { axis: -1, keepdims: true }), full([], Number.NaN, { dtype: "float32" }), ranks)
}

/**
 * `jax.scipy.stats.rankdata`: the ranks (from 1, float32) of the data, flattened unless `axis` is
 * given; ties take the average of their ranks by default (`method` "min", "max", "dense" or
 * "ordinal" otherwise). A NaN makes the ranks of its slice NaN, as JAX's "propagate".
 *
 * @example
 * scipy.stats.rankdata([10, 20, 20, 5]).toJs() // [2, 3.5, 3.5, 1]
 */
export const rankdata = (a: ArrayLike, options?: RankdataOptions): Array => {
  const { method = "average", axis = null, nanPolicy = "propagate" } = checkOptions("scipy.stats.rankdata", options, RANKDATA_KEYS) ?? {}
  checkOneOf("scipy.stats.rankdata", "method", method, ["average", "min", "max", "dense", "ordinal"])
  if (nanPolicy !== "propagate")
    throw new ValueError(`scipy.stats.rankdata: nanPolicy ${describe(nanPolicy)} is not supported (JAX implements "propagate" only); drop NaNs before ranking.`)
  const x = asArray(a)
  if (axis === null) {
    const flat = reshape(x, [x.size])
    return x.size === 0 ? flat.astype("float32") : ranksAlongLast(flat, method)
  }
  const moved = moveaxis(x, axis, -1)
  if (x.size === 0) return x.astype("float32")
  return moveaxis(ranksAlongLast(moved, method), -1, axis)
}
