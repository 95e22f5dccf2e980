/**
 * `lax`'s small shape helpers, written with the numpy-level operations that already carry every
 * transformation: `tile`, `split`, `broadcastToRank`, `broadcastLike`, `broadcastShapes`, `empty`,
 * `indexTake`, plus `nextafter` and `optimizationBarrier`.
 */
import { Array } from "../array.js"
import type { DType } from "../dtype.js"
import { ShapeError, ValueError } from "../errors.js"
import { broadcastShapes as broadcast, normalizeAxis, showShape } from "../shape.js"
import { asArray, type ArrayLike, type Operand } from "../numpy/coerce.js"
import { zeros } from "../numpy/creation.js"
import { nextafter as npNextafter } from "../numpy/math-extra.js"
import { add, mod, multiply } from "../numpy/math.js"
import { broadcastTo, reshape, take, tile as npTile, transpose } from "../numpy/shape.js"
import { sliceInDim } from "./slicing.js"

/**
 * `lax.tile(operand, reps)`: repeat the array `reps[i]` times along dimension i (one rep per
 * dimension, as JAX requires).
 *
 * @example
 * lax.tile(np.arange(3), [2]) // [0, 1, 2, 0, 1, 2]
 */
export const tile = (operand: ArrayLike, reps: ReadonlyArray<number>): Array => {
  const x = asArray(operand)
  if (reps.length !== x.ndim)
    throw new ShapeError(`lax.tile: reps has length ${reps.length} but the operand has rank ${x.ndim}; give one rep per dimension (np.tile pads them).`)
  return npTile(x, reps)
}

/**
 * `lax.split(operand, sizes, axis=0)`: consecutive pieces of the given sizes along `axis` (they
 * must add up to the dimension).
 *
 * @example
 * lax.split(np.arange(6), [1, 2, 3]) // [[0], [1, 2], [3, 4, 5]]
 */
export const split = (operand: ArrayLike, sizes: ReadonlyArray<number>, axis = 0): Array[] => {
  const x = asArray(operand)
  const ax = normalizeAxis(axis, x.ndim)
  const total = sizes.reduce((a, b) => a + b, 0)
  if (sizes.some((s) => !Number.isInteger(s) || s < 0)) throw new ValueError(`lax.split: sizes must be non-negative integers, got [${sizes.join(", ")}].`)
  if (total !== x.shape[ax]) throw new ShapeError(`lax.split: the sizes add up to ${total} but dimension ${ax} of ${showShape(x.shape)} is ${x.shape[ax]}.`)
  let start = 0
  return sizes.map((s) => {
    const piece = sliceInDim(x, start, start + s, 1, ax)
    start += s
    return piece
  })
}

/**
 * `lax.broadcast_to_rank(x, rank)`: add leading dimensions of size 1 up to `rank` (an array of
 * that rank or more is returned as is).
 *
 * @example
 * lax.broadcastToRank(np.arange(3), 3).shape // [1, 1, 3]
 */
export const broadcastToRank = (x: ArrayLike, rank: number): Array => {
  const a = asArray(x)
  return a.ndim >= rank ? a : reshape(a, [...new globalThis.Array<number>(rank - a.ndim).fill(1), ...a.shape])
}

/**
 * `lax.broadcast_like(arr, likeArr)`: `arr` broadcast to the shape of `likeArr`.
 *
 * @example
 * lax.broadcastLike(np.arange(3), np.zeros([2, 3])).shape // [2, 3]
 */
export const broadcastLike = (arr: ArrayLike, likeArr: ArrayLike): Array => broadcastTo(asArray(arr), asArray(likeArr).shape)

/**
 * `lax.broadcast_shapes(*shapes)`: the shape NumPy broadcasting gives the shapes.
 *
 * @example
 * lax.broadcastShapes([2, 1], [3]) // [2, 3]
 */
export const broadcastShapes = (...shapes: ReadonlyArray<ReadonlyArray<number>>): number[] => broadcast(...shapes)

/**
 * `lax.empty(shape, dtype)`: an array of the shape and dtype; XLA has no uninitialised memory, so
 * it holds zeros, as JAX's does.
 *
 * @example
 * lax.empty([2], "int32") // [0, 0]
 */
export const empty = (shape: ReadonlyArray<number>, dtype: DType): Array => zeros(shape, { dtype })

/**
 * `lax.nextafter(x1, x2)`: the next float after x1 in the direction of x2, elementwise.
 *
 * @example
 * lax.nextafter(np.array(1, { dtype: "float32" }), np.array(2, { dtype: "float32" })) // 1.0000001
 */
export const nextafter = (x1: Operand, x2: Operand): Array => npNextafter(x1, x2)

/**
 * `lax.optimization_barrier(operand)`: in XLA it keeps computations from moving across it; jaxfx
 * does not reorder across function boundaries, so it returns its operand (a pytree of arrays
 * works too, as in JAX).
 *
 * @example
 * lax.optimizationBarrier(np.array([1, 2])) // [1, 2]
 */
export const optimizationBarrier = <T>(operand: T): T => operand

/**
 * `lax.index_take(src, idxs, axes)`: `src[idxs[0], idxs[1], ...]` on the given axes (indices
 * wrap modulo each dimension, as JAX's do), the taken entries first and the untouched axes after.
 *
 * @example
 * lax.indexTake(np.arange(12).reshape([3, 4]), [np.array([0, -1]), np.array([1, 3])], [0, 1]) // [1, 11]
 */
export const indexTake = (src: ArrayLike, idxs: ReadonlyArray<ArrayLike>, axes: ReadonlyArray<number>): Array => {
  const x = asArray(src)
  if (idxs.length !== axes.length) throw new ShapeError(`lax.indexTake: ${idxs.length} index arrays for ${axes.length} axes; give one per axis.`)
  const ax = axes.map((a) => normalizeAxis(a, x.ndim))
  if (new Set(ax).size !== ax.length) throw new ValueError(`lax.indexTake: the axes [${axes.join(", ")}] repeat one.`)
  const rest = x.shape.map((_, i) => i).filter((i) => !ax.includes(i))
  const moved = transpose(x, [...ax, ...rest])
  const flat = reshape(moved, [ax.reduce((n, a) => n * x.shape[a]!, 1), ...rest.map((i) => x.shape[i]!)])
  let linear: Array | undefined
  ax.forEach((a, k) => {
    const i = asArray(idxs[k]!)
    if (i.ndim !== 1) throw new ShapeError(`lax.indexTake: index array ${k} must be 1-D, got shape ${showShape(i.shape)}.`)
    const wrapped = mod(i, x.shape[a]!)
    linear = linear === undefined ? wrapped : add(multiply(linear, x.shape[a]!), wrapped)
  })
  if (linear === undefined) throw new ValueError("lax.indexTake: give at least one axis.")
  return take(flat, linear, { axis: 0 })
}
