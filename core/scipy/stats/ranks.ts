/**
 * Ties in sorted data, shared by `rankdata` and `mode`: sort along the last axis and, for each
 * sorted position, the first and last positions of its run of equal values.
 */
import type { Array } from "../../array.js"
import { cummax, cummin } from "../../lax/scans.js"
import { full, zeros } from "../../numpy/creation.js"
import { isnan, logicalAnd, logicalNot, notEqual, where } from "../../numpy/math.js"
import { concatenate, take } from "../../numpy/shape.js"
import { sortKeyVal } from "../../primitives/bits.js"
import { iota } from "../../primitives/shape-ops.js"

export interface Runs {
  /** The values sorted along the last axis (NaNs last). */
  readonly sorted: Array
  /** sorted = take_along_axis(x, sorter, -1). */
  readonly sorter: Array
  /** Whether each sorted position starts a new run (bool). */
  readonly starts: Array
  /** The first position of each sorted position's run (int32). */
  readonly first: Array
  /** The last position of each sorted position's run (int32). */
  readonly last: Array
}

/** The runs of equal values along the last axis of x (n > 0); NaNs are equal to each other, as jnp.unique's equal_nan. */
export const runs = (x: Array): Runs => {
  const n = x.shape.at(-1)!
  const axis = x.ndim - 1
  const pos = iota("int32", x.shape, axis)
  const [sorted, sorter] = sortKeyVal(x, pos, -1)
  const head = take(sorted, iota("int32", [n - 1], 0), { axis: -1 })
  const next = take(sorted, iota("int32", [n - 1], 0).add(1), { axis: -1 })
  const differs = logicalAnd(notEqual(head, next), logicalNot(logicalAnd(isnan(head), isnan(next))))
  const batch = x.shape.slice(0, -1)
  const starts = concatenate([full([...batch, 1], true, { dtype: "bool" }), differs], -1)
  const ends = concatenate([differs, full([...batch, 1], true, { dtype: "bool" })], -1)
  const first = cummax(where(starts, pos, zeros([], { dtype: "int32" })), axis)
  const last = cummin(where(ends, pos, full([], n, { dtype: "int32" })), axis, true)
  return { sorted, sorter, starts, first, last }
}
