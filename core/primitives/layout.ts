/**
 * The layout primitives every other primitive's rules need: broadcast_in_dim, reshape, transpose
 * and reduce_sum (the transpose of broadcasting), with the batch-axis moves built on them. They sit
 * below elementwise.ts and shape-ops.ts (which re-exports them) so that no primitive module imports
 * one that imports it back.
 */
import { type Array, ShapedArray } from "../array.js"
import { DTypeError, ShapeError } from "../errors.js"
import { definePrimitive } from "../primitive.js"
import { checkAxes, checkIntList, checkShape, describe, shapeEqual, showShape, sizeOf } from "../shape.js"
import { bind1 } from "../trace.js"
import { range } from "./common.js"
import { defLinear } from "./rules.js"

const tuple = (xs: ReadonlyArray<number>): string => `(${xs.join(", ")}${xs.length === 1 ? "," : ""})`

// ---------------------------------------------------------------------------------------------

export interface BroadcastParams {
  readonly shape: ReadonlyArray<number>
  readonly broadcastDimensions: ReadonlyArray<number>
  readonly [k: string]: unknown
}
export const broadcastInDimP = definePrimitive<BroadcastParams>("broadcast_in_dim", ([x], { shape, broadcastDimensions }) => {
  const out = checkShape(shape, "broadcast_in_dim: shape")
  if (out.length < x!.ndim) {
    throw new ShapeError(
      `broadcast_in_dim: cannot broadcast shape ${showShape(x!.shape)} to the lower-rank ${showShape(out)}; the target needs at least the operand's rank.`
    )
  }
  const dims = checkAxes(broadcastDimensions, out.length, "broadcast_in_dim: broadcastDimensions")
  if (dims.length !== x!.ndim) {
    throw new ShapeError(
      `broadcast_in_dim: broadcastDimensions ${tuple(dims)} must give one output dimension per operand dimension ` +
        `(${x!.ndim} for shape ${showShape(x!.shape)}).`
    )
  }
  dims.forEach((d, i) => {
    const od = x!.shape[i]!
    if (od !== 1 && od !== out[d]) {
      throw new ShapeError(
        `broadcast_in_dim: cannot broadcast shape ${showShape(x!.shape)} to ${showShape(out)} with broadcastDimensions ${tuple(dims)}: ` +
          `operand dimension ${i} (${od}) goes to output dimension ${d} (${out[d]}); each must be 1 or equal to its target.`
      )
    }
  })
  return [new ShapedArray(out, x!.dtype, x!.weakType)]
})
broadcastInDimP.printParams = (p) => [
  ["broadcast_dimensions", tuple(p.broadcastDimensions)],
  ["shape", tuple(p.shape)]
]
/**
 * `lax.broadcast_in_dim`: operand dimension `i` becomes output dimension `broadcastDimensions[i]`
 * (its size equal to the target's, or 1 to broadcast); the other output dimensions are new.
 *
 * @example
 * lax.broadcastInDim(np.array([1, 2, 3]), [3, 2], [0]) // [[1, 1], [2, 2], [3, 3]]
 */
export const broadcastInDim = (x: Array, shape: ReadonlyArray<number>, broadcastDimensions: ReadonlyArray<number>): Array => {
  const out = checkShape(shape, "broadcastInDim: shape")
  const dims = checkIntList(broadcastDimensions, "broadcastInDim: broadcastDimensions")
  const identity = shapeEqual(x.shape, out) && dims.every((d, i) => d === i) && dims.length === x.ndim
  return identity ? x : bind1(broadcastInDimP, [x], { shape: out, broadcastDimensions: dims })
}
/** NumPy-style broadcast (`np.broadcastTo` without its checks): x's dimensions align with the trailing dimensions of `shape`. */
export const broadcastTo = (x: Array, shape: ReadonlyArray<number>): Array => {
  const out = checkShape(shape, "broadcastTo: shape")
  if (x.ndim > out.length) throw new ShapeError(`cannot broadcast shape ${showShape(x.shape)} to the lower-rank ${showShape(out)}`)
  const off = out.length - x.ndim
  return broadcastInDim(
    x,
    out,
    range(x.ndim).map((i) => i + off)
  )
}
defLinear(broadcastInDimP, (ct, [x], { shape, broadcastDimensions }) => {
  const aval = x!.aval
  const summed = range(shape.length).filter((d) => {
    const i = broadcastDimensions.indexOf(d)
    return i < 0 || (aval.shape[i] === 1 && shape[d] !== 1)
  })
  return [reshape(reduceSum(ct, summed), aval.shape)]
})
broadcastInDimP.batch = ([x], [d], { shape, broadcastDimensions }, size) => [
  [bind1(broadcastInDimP, [batchFirst(x!, d!)], { shape: [size, ...shape], broadcastDimensions: [0, ...broadcastDimensions.map((b) => b + 1)] })],
  [0]
]

// ---------------------------------------------------------------------------------------------

export interface ReshapeParams {
  readonly newSizes: ReadonlyArray<number>
  readonly [k: string]: unknown
}
export const reshapeP = definePrimitive<ReshapeParams>("reshape", ([x], { newSizes }) => {
  const out = checkShape(newSizes, "reshape: newSizes")
  if (sizeOf(out) !== x!.size) {
    throw new ShapeError(
      `cannot reshape an array of shape ${showShape(x!.shape)} (size ${x!.size}) into shape ${showShape(out)} (size ${sizeOf(out)}); the sizes must match.`
    )
  }
  return [new ShapedArray(out, x!.dtype, x!.weakType)]
})
reshapeP.printParams = (p) => [
  ["dimensions", "None"],
  ["new_sizes", tuple(p.newSizes)]
]
/**
 * `lax.reshape`: the elements of `x` (row-major) in the shape `newSizes`, which must have as many elements; `np.reshape` adds `-1` and order options.
 *
 * @example
 * lax.reshape(np.arange(6), [2, 3]) // Array([[0, 1, 2], [3, 4, 5]], dtype=int32)
 */
export const reshape = (x: Array, newSizes: ReadonlyArray<number>): Array => {
  const out = checkShape(newSizes, "reshape: newSizes")
  return shapeEqual(x.shape, out) ? x : bind1(reshapeP, [x], { newSizes: out })
}
defLinear(reshapeP, (ct, [x]) => [reshape(ct, x!.aval.shape)])
reshapeP.batch = ([x], [d], { newSizes }, size) => [[reshape(batchFirst(x!, d!), [size, ...newSizes])], [0]]

// ---------------------------------------------------------------------------------------------

export interface TransposeParams {
  readonly permutation: ReadonlyArray<number>
  readonly [k: string]: unknown
}
export const transposeP = definePrimitive<TransposeParams>("transpose", ([x], { permutation }) => {
  const n = x!.ndim
  const perm = checkAxes(permutation, n, "transpose: permutation")
  if (perm.length !== n) {
    throw new ShapeError(
      `transpose: ${describe(permutation)} is not a permutation of the ${n} axes of shape ${showShape(x!.shape)}; give each axis 0..${n - 1} once.`
    )
  }
  return [
    new ShapedArray(
      perm.map((p) => x!.shape[p]!),
      x!.dtype,
      x!.weakType
    )
  ]
})
transposeP.printParams = (p) => [["permutation", tuple(p.permutation)]]
/**
 * `lax.transpose`: permute the axes of `x`: axis i of the result is axis `permutation[i]` of `x`.
 *
 * @example
 * lax.transpose(np.zeros([2, 3, 4]), [2, 0, 1]).shape // [4, 2, 3]
 */
export const transpose = (x: Array, permutation: ReadonlyArray<number>): Array => {
  const perm = checkIntList(permutation, "transpose: permutation")
  return perm.length === x.ndim && perm.every((p, i) => p === i) ? x : bind1(transposeP, [x], { permutation: perm })
}
defLinear(transposeP, (ct, _args, { permutation }) => {
  const inv = new globalThis.Array<number>(permutation.length)
  permutation.forEach((p, i) => (inv[p] = i))
  return [transpose(ct, inv)]
})
transposeP.batch = ([x], [d], { permutation }) => [[transpose(batchFirst(x!, d!), [0, ...permutation.map((p) => p + 1)])], [0]]

// ---------------------------------------------------------------------------------------------
// reduce_sum (the other reductions are in reduce.ts, which re-exports this one)

export interface AxesParams {
  readonly axes: ReadonlyArray<number>
  readonly [k: string]: unknown
}

/** `shape` without the reduced `axes`. */
export const reducedShape = (shape: ReadonlyArray<number>, axes: ReadonlyArray<number>): number[] => shape.filter((_, i) => !axes.includes(i))

/** Shape of `x` with the reduced axes kept as size 1 (to broadcast results back). */
export const keptShape = (shape: ReadonlyArray<number>, axes: ReadonlyArray<number>): number[] => shape.map((d, i) => (axes.includes(i) ? 1 : d))

export const reduceSumP = definePrimitive<AxesParams>("reduce_sum", ([x], { axes }) => {
  if (x!.dtype === "bool") throw new DTypeError("reduce_sum does not take bool operands; cast with astype first")
  return [new ShapedArray(reducedShape(x!.shape, checkAxes(axes, x!.ndim, "reduce_sum: axes")), x!.dtype, x!.weakType)]
})
reduceSumP.printParams = ({ axes }) => [["axes", tuple(axes)]]
/**
 * `lax.reduce_sum`: the sum over `axes` (removed from the shape); no axes is `x` itself.
 *
 * @example
 * lax.reduceSum(np.array([[1, 2], [3, 4]]), [1]) // Array([3, 7], dtype=int32)
 */
export const reduceSum = (x: Array, axes: ReadonlyArray<number>): Array => {
  const list = checkIntList(axes, "reduce_sum: axes")
  return list.length === 0 ? x : bind1(reduceSumP, [x], { axes: list })
}
// The cotangent goes back along the kept axes in one broadcast (as JAX's transpose of reduce_sum).
defLinear(reduceSumP, (ct, [x], { axes }) => [
  broadcastInDim(
    ct,
    x!.aval.shape,
    range(x!.aval.ndim).filter((i) => !axes.includes(i))
  )
])
reduceSumP.batch = ([x], [d], { axes }) => [[bind1(reduceSumP, [batchFirst(x!, d!)], { axes: axes.map((a) => a + 1) })], [0]]

// ---------------------------------------------------------------------------------------------
// Moving batch axes (used by the batching rules and the batching interpreter)

/** Move the batch dimension of `x` to `to` (broadcasting an unbatched value to `size`). */
export const moveBatchAxis = (x: Array, from: number | null, to: number, size: number): Array => {
  if (from === null) {
    const shape = [...x.shape]
    shape.splice(to, 0, size)
    const dims = x.shape.map((_, i) => (i < to ? i : i + 1))
    return broadcastInDim(x, shape, dims)
  }
  if (from === to) return x
  const perm = x.shape.map((_, i) => i).filter((i) => i !== from)
  perm.splice(to, 0, from)
  return transpose(x, perm)
}

/** Batched values with the batch dimension first; unbatched ones stay as they are. */
export const batchFirst = (x: Array, d: number | null): Array => (d === null || d === 0 ? x : moveBatchAxis(x, d, 0, 0))

/** Insert a size-1 leading dimension (for unbatched operands that must line up with batched ones). */
export const leadingOne = (x: Array): Array => reshape(x, [1, ...x.shape])
