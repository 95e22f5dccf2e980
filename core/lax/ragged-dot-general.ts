/**
 * `lax.raggedDotGeneral` (JAX's `ragged_dot_general` with `RaggedDotDimensionNumbers`): `dotGeneral`
 * with one ragged dimension of lhs split into consecutive groups by `groupSizes`. Built as JAX's
 * reference implementation builds it: the ragged operand is expanded to a leading group axis with
 * everything outside each group masked to zero, then one `dotGeneral` contracts (or batches) that
 * axis. Differentiable in lhs and rhs, batchable and jittable through its primitives.
 */
import type { Array } from "../array.js"
import { isInt } from "../dtype.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { and, convertElementType, ge, lt, select, sub } from "../primitives/elementwise.js"
import { dotGeneral, type DotDimensionNumbers } from "../primitives/dot.js"
import { broadcastInDim } from "../primitives/layout.js"
import { cumsum } from "../primitives/reduce.js"
import { iota } from "../primitives/shape-ops.js"
import { constant } from "../primitives/common.js"
import { showShape } from "../shape.js"

/** JAX's `RaggedDotDimensionNumbers`. */
export interface RaggedDotDimensionNumbers {
  /** The `dotGeneral` dimension numbers: `{ contracting: [lhs, rhs], batch: [lhs, rhs] }`. */
  readonly dotDimensionNumbers: DotDimensionNumbers
  /** The one ragged dimension of lhs (a non-contracting, contracting or batch dimension). */
  readonly lhsRaggedDimensions: readonly [number]
  /** rhs's group dimension: one when the ragged dimension is non-contracting, none otherwise. */
  readonly rhsGroupDimensions: readonly [] | readonly [number]
}
const DIMS_KEYS = optionKeys<RaggedDotDimensionNumbers>()("dotDimensionNumbers", "lhsRaggedDimensions", "rhsGroupDimensions")

const remaining = (n: number, ...used: ReadonlyArray<ReadonlyArray<number>>): number[] =>
  globalThis.Array.from({ length: n }, (_, i) => i).filter((i) => !used.some((u) => u.includes(i)))
const incr = (ds: ReadonlyArray<number>): number[] => ds.map((d) => d + 1)

/**
 * `x` with a leading group axis: `out[j, ...] = x[...]` where the index along `dim` lies in group j
 * (for the group sizes at the matching `prefix` indices of x), else 0.
 */
const expand = (x: Array, dim: number, starts: Array, ends: Array, prefix: ReadonlyArray<number>): Array => {
  const g = starts.shape[starts.ndim - 1]!
  const shape = [g, ...x.shape]
  // starts / ends: [prefix..., g] -> [g, x...]
  const gsDims = [...incr(prefix), 0]
  const lo = broadcastInDim(starts, shape, gsDims)
  const hi = broadcastInDim(ends, shape, gsDims)
  const idx = iota("int32", shape, dim + 1)
  const mask = and(ge(idx, lo), lt(idx, hi))
  const xs = broadcastInDim(x, shape, incr(x.shape.map((_, i) => i)))
  return select(mask, xs, constant(0, x.dtype, shape))
}

/**
 * `lax.ragged_dot_general(lhs, rhs, groupSizes, dims)`: JAX's three modes, by the kind of lhs's
 * ragged dimension (`g` groups; `groupSizes` integer, shape `[g]` or `[prefix..., g]` as below):
 * 1. non-contracting `m`: `[b..., m..., k...], [g, b..., k..., n...] -> [b..., m..., n...]` (rhs's
 *    group dimension picks each group's matrix; rows past the last group are zero);
 * 2. contracting `k`: `[b..., m..., k...], [b..., k..., n...] -> [g, b..., m..., n...]` (one product
 *    per group of the contracted positions);
 * 3. batch `b`: `[b..., m..., k...], [b..., k..., n...] -> [b..., m..., n...]` (a plain dotGeneral).
 * `prefix...` are lhs's batch dims then the dims of the ragged dim's kind outer to it (JAX's
 * broadcasting of `[g]`). Output dims are laid out as `dotGeneral`'s.
 *
 * @example
 * const lhs = np.ones([2, 4])                 // ragged contracting dim of size 4
 * const rhs = np.ones([4, 3])
 * const dims = { dotDimensionNumbers: { contracting: [[1], [0]], batch: [[], []] }, lhsRaggedDimensions: [1], rhsGroupDimensions: [] } as const
 * lax.raggedDotGeneral(lhs, rhs, np.array([1, 3]), dims).shape // [2, 2, 3]: group 0 sums 1 position, group 1 three
 */
export const raggedDotGeneral = (lhs: Array, rhs: Array, groupSizes: Array, dims: RaggedDotDimensionNumbers): Array => {
  checkOptions("lax.raggedDotGeneral", dims, DIMS_KEYS)
  const what = "lax.raggedDotGeneral"
  if (!isInt(groupSizes.dtype)) throw new DTypeError(`${what}: groupSizes must be integers, got ${groupSizes.dtype}.`)
  if (lhs.dtype !== rhs.dtype) throw new DTypeError(`${what}: lhs and rhs must share a dtype, got ${lhs.dtype} and ${rhs.dtype}.`)
  const dn = dims.dotDimensionNumbers
  if (dims.lhsRaggedDimensions?.length !== 1) {
    throw new ValueError(`${what}: lhsRaggedDimensions must name exactly one lhs dimension, got ${JSON.stringify(dims.lhsRaggedDimensions)}.`)
  }
  const [lc, rc] = dn.contracting
  const [lb, rb] = dn.batch
  const r = dims.lhsRaggedDimensions[0]
  const lfree = remaining(lhs.ndim, lc, lb)
  const mode = lfree.includes(r) ? "noncontracting" : lc.includes(r) ? "contracting" : lb.includes(r) ? "batch" : undefined
  if (mode === undefined) throw new ShapeError(`${what}: the ragged dimension ${r} is not a dimension of lhs ${showShape(lhs.shape)}.`)
  const groups = dims.rhsGroupDimensions ?? []
  if (mode === "noncontracting" ? groups.length !== 1 : groups.length !== 0) {
    throw new ValueError(
      `${what}: rhsGroupDimensions must be ${mode === "noncontracting" ? "one rhs dimension when the ragged dimension is non-contracting" : "empty when the ragged dimension is contracting or batch"}, got ${JSON.stringify(groups)}.`
    )
  }
  const prefix =
    mode === "noncontracting"
      ? [...lb, ...lfree.slice(0, lfree.indexOf(r))]
      : mode === "contracting"
        ? [...lb, ...lc.slice(0, lc.indexOf(r))]
        : lb.slice(0, lb.indexOf(r))
  const prefixShape = prefix.map((d) => lhs.shape[d]!)
  const g = groupSizes.shape[groupSizes.ndim - 1]
  if (groupSizes.ndim !== 1 && groupSizes.shape.slice(0, -1).join() !== prefixShape.join()) {
    throw new ShapeError(`${what}: groupSizes must have shape [g] or ${showShape([...prefixShape, g ?? 0])}, got ${showShape(groupSizes.shape)}.`)
  }
  if (mode === "noncontracting" && rhs.shape[groups[0]!] !== g) {
    throw new ShapeError(`${what}: rhs's group dimension ${groups[0]} has size ${rhs.shape[groups[0]!]}, but groupSizes has ${g} groups.`)
  }
  if (mode === "batch") return dotGeneral(lhs, rhs, dn)
  const sizes = broadcastInDim(
    convertElementType(groupSizes, "int32"),
    [...prefixShape, g!],
    [...(groupSizes.ndim === 1 ? [] : prefixShape.map((_, i) => i)), prefixShape.length]
  )
  const ends = cumsum(sizes, sizes.ndim - 1)
  const starts = sub(ends, sizes)
  const lx = expand(lhs, r, starts, ends, prefix)
  if (mode === "noncontracting") {
    return dotGeneral(lx, rhs, {
      contracting: [
        [...incr(lc), 0],
        [...rc, groups[0]!]
      ],
      batch: [incr(lb), rb]
    })
  }
  // The rhs's contracting dim paired with the ragged one, masked by the same groups (its prefix:
  // rhs's batch dims and the contracting dims paired with lhs's outer ones).
  const k = lc.indexOf(r)
  const rx = expand(rhs, rc[k]!, starts, ends, [...rb, ...rc.slice(0, k)])
  // The group axis is a batch dim of the product, so it leads the output, as in JAX.
  return dotGeneral(lx, rx, {
    contracting: [incr(lc), incr(rc)],
    batch: [
      [0, ...incr(lb)],
      [0, ...incr(rb)]
    ]
  })
}
