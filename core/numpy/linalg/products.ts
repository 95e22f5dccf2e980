/**
 * np.linalg's array-API duplicates of np's products (matmul, outer, tensordot, vecdot, cross),
 * diagonal, trace and matrixTranspose over the last two axes, and multiDot.
 */
import type { Array } from "../../array.js"
import { ShapeError, ValueError } from "../../errors.js"
import { checkOptions } from "../../options.js"
import { normalizeAxis, showShape } from "../../shape.js"
import { type ArrayLike, asArray, promoteDtypes } from "../coerce.js"
import * as P from "../linalg.js"
import { sum } from "../reductions.js"
import { broadcastArrays, moveaxis, reshape, stack, take } from "../shape.js"
import { mT } from "./common.js"

/**
 * `jnp.linalg.matmul`: np.matmul (the array API's name in linalg).
 *
 * @example
 * np.linalg.matmul([[1, 2]], [[3], [4]]) // [[11]]
 */
export const matmul = (a: ArrayLike, b: ArrayLike): Array => P.matmul(a, b)

/**
 * `jnp.linalg.outer`: the outer product of two 1-D arrays.
 *
 * @example
 * np.linalg.outer([1, 2], [3, 4]) // [[3, 4], [6, 8]]
 */
export const outer = (a: ArrayLike, b: ArrayLike): Array => {
  const [x, y] = [asArray(a), asArray(b)]
  if (x.ndim !== 1 || y.ndim !== 1)
    throw new ShapeError(`np.linalg.outer takes 1-D arrays, got shapes ${showShape(x.shape)} and ${showShape(y.shape)}; use np.outer to flatten.`)
  return P.outer(x, y)
}

/**
 * `jnp.linalg.tensordot`: np.tensordot with the axes as an option (default 2).
 *
 * @example
 * np.linalg.tensordot(np.ones([2, 3]), np.ones([3, 4]), { axes: 1 }).shape // [2, 4]
 */
export const tensordot = (a: ArrayLike, b: ArrayLike, options?: { readonly axes?: P.TensordotAxes }): Array => {
  const { axes = 2 } = checkOptions("np.linalg.tensordot", options, ["axes"]) ?? {}
  return P.tensordot(a, b, axes)
}

/**
 * `jnp.linalg.vecdot`: the dot product of vectors along `axis` (default -1), broadcasting the others.
 *
 * @example
 * np.linalg.vecdot([[1, 2], [3, 4]], [1, 1]) // [3, 7]
 */
export const vecdot = (x1: ArrayLike, x2: ArrayLike, options?: { readonly axis?: number }): Array => {
  const { axis = -1 } = checkOptions("np.linalg.vecdot", options, ["axis"]) ?? {}
  const [a, b] = broadcastArrays(...promoteDtypes([asArray(x1), asArray(x2)]))
  return sum(a!.mul(b!), { axis: normalizeAxis(axis, a!.ndim, "np.linalg.vecdot: axis") })
}

/**
 * `jnp.linalg.cross`: the cross product of 3-vectors along `axis` (default -1), broadcasting the others.
 *
 * @example
 * np.linalg.cross([1, 0, 0], [0, 1, 0]) // [0, 0, 1]
 */
export const cross = (x1: ArrayLike, x2: ArrayLike, options?: { readonly axis?: number }): Array => {
  const { axis = -1 } = checkOptions("np.linalg.cross", options, ["axis"]) ?? {}
  const [a0, b0] = broadcastArrays(...promoteDtypes([asArray(x1), asArray(x2)]))
  const ax = normalizeAxis(axis, a0!.ndim, "np.linalg.cross: axis")
  if (a0!.shape[ax] !== 3) throw new ValueError(`np.linalg.cross needs 3-vectors along axis ${axis}, got shape ${showShape(a0!.shape)}.`)
  const a = moveaxis(a0!, ax, -1)
  const b = moveaxis(b0!, ax, -1)
  const c = (x: Array, i: number) => reshape(take(x, [i], { axis: -1 }), x.shape.slice(0, -1))
  const out = stack(
    [
      c(a, 1)
        .mul(c(b, 2))
        .sub(c(a, 2).mul(c(b, 1))),
      c(a, 2)
        .mul(c(b, 0))
        .sub(c(a, 0).mul(c(b, 2))),
      c(a, 0)
        .mul(c(b, 1))
        .sub(c(a, 1).mul(c(b, 0)))
    ],
    -1
  )
  return moveaxis(out, -1, ax)
}

/**
 * `jnp.linalg.diagonal`: the diagonal (shifted by `offset`) of each matrix of a stack.
 *
 * @example
 * np.linalg.diagonal([[1, 2], [3, 4]]) // [1, 4]
 */
export const diagonal = (x: ArrayLike, options?: { readonly offset?: number }): Array => {
  const { offset = 0 } = checkOptions("np.linalg.diagonal", options, ["offset"]) ?? {}
  const a = asArray(x)
  if (a.ndim < 2) throw new ShapeError(`np.linalg.diagonal needs an array of rank >= 2, got shape ${showShape(a.shape)}.`)
  const m = a.shape[a.ndim - 2]!
  const n = a.shape[a.ndim - 1]!
  const idx: number[] = []
  for (let i = Math.max(0, -offset); i < m && i + offset < n; i++) idx.push(i * n + i + offset)
  return take(reshape(a, [...a.shape.slice(0, -2), m * n]), asArray(idx, "int32"), { axis: -1 })
}

/**
 * `jnp.linalg.trace`: the sum of each matrix's diagonal (shifted by `offset`).
 *
 * @example
 * np.linalg.trace([[1, 2], [3, 4]]) // 5
 */
export const trace = (x: ArrayLike, options?: { readonly offset?: number }): Array => {
  const { offset = 0 } = checkOptions("np.linalg.trace", options, ["offset"]) ?? {}
  return sum(diagonal(x, { offset }), { axis: -1 })
}

/**
 * `jnp.linalg.matrix_transpose`: swap the last two axes.
 *
 * @example
 * np.linalg.matrixTranspose(np.ones([2, 3, 4])).shape // [2, 4, 3]
 */
export const matrixTranspose = (x: ArrayLike): Array => {
  const a = asArray(x)
  if (a.ndim < 2) throw new ShapeError(`np.linalg.matrixTranspose needs an array of rank >= 2, got shape ${showShape(a.shape)}.`)
  return mT(a)
}

/**
 * `jnp.linalg.multi_dot`: the product of a chain of matrices (a 1-D first operand is a row
 * vector, a 1-D last one a column vector, as in NumPy).
 *
 * @example
 * np.linalg.multiDot([np.ones([2, 3]), np.ones([3, 4]), np.ones([4])]).shape // [2]
 */
export const multiDot = (arrays: ReadonlyArray<ArrayLike>): Array => {
  if (arrays.length < 2) throw new ValueError(`np.linalg.multiDot needs at least two arrays, got ${arrays.length}.`)
  return arrays.map((a) => asArray(a)).reduce((acc, x) => P.matmul(acc, x))
}
