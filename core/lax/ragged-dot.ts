/**
 * `lax.raggedDot`: a matrix product whose lhs rows are split into consecutive groups, each
 * multiplied by its own rhs matrix (mixture-of-experts layers). Built from primitives: every row
 * against every group's matrix, then each row keeps its own group's result (rows past the sum of
 * the group sizes are zero, as in JAX). Differentiable in lhs and rhs, batchable and jittable.
 */
import type { Array } from "../array.js"
import { isInt } from "../dtype.js"
import { DTypeError, ShapeError } from "../errors.js"
import { and, convertElementType, ge, lt, mul, sub } from "../primitives/elementwise.js"
import { dotGeneral } from "../primitives/dot.js"
import { cumsum, reduceSum } from "../primitives/reduce.js"
import { broadcastInDim, iota } from "../primitives/shape-ops.js"
import { showShape } from "../shape.js"

/**
 * `lax.ragged_dot(lhs, rhs, group_sizes)`: lhs [m, k], rhs [g, k, n] and integer group_sizes [g]
 * give [m, n]: rows `start_j .. start_j + group_sizes[j] - 1` of lhs (consecutive groups from row
 * 0) are multiplied by `rhs[j]`; rows past the last group are zero.
 *
 * @example
 * const lhs = np.ones([3, 2])
 * const rhs = np.stack([np.eye(2), np.eye(2).mul(2)])
 * lax.raggedDot(lhs, rhs, np.array([1, 2])) // [[1, 1], [2, 2], [2, 2]]
 */
export const raggedDot = (lhs: Array, rhs: Array, groupSizes: Array): Array => {
  if (lhs.ndim !== 2 || rhs.ndim !== 3 || groupSizes.ndim !== 1 || rhs.shape[1] !== lhs.shape[1] || rhs.shape[0] !== groupSizes.shape[0]) {
    throw new ShapeError(
      `lax.raggedDot: expected lhs [m, k], rhs [g, k, n] and groupSizes [g], got ${showShape(lhs.shape)}, ${showShape(rhs.shape)} and ${showShape(groupSizes.shape)}.`
    )
  }
  if (!isInt(groupSizes.dtype)) throw new DTypeError(`lax.raggedDot: groupSizes must be integers, got ${groupSizes.dtype}.`)
  if (lhs.dtype !== rhs.dtype) throw new DTypeError(`lax.raggedDot: lhs and rhs must share a dtype, got ${lhs.dtype} and ${rhs.dtype}.`)
  const [m] = lhs.shape as [number, number]
  const g = rhs.shape[0]!
  const sizes = convertElementType(groupSizes, "int32")
  const ends = cumsum(sizes, 0)
  const starts = sub(ends, sizes)
  const rows = iota("int32", [m, g], 0)
  const inGroup = and(ge(rows, broadcastInDim(starts, [m, g], [1])), lt(rows, broadcastInDim(ends, [m, g], [1])))
  // [m, g, n]: each row against every group's matrix.
  const all = dotGeneral(lhs, rhs, { contracting: [[1], [1]], batch: [[], []] })
  const mask = broadcastInDim(convertElementType(inGroup, lhs.dtype), all.shape, [0, 1])
  return reduceSum(mul(all, mask), [1])
}
