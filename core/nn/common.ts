/**
 * Helpers shared by the `nn` functions: operand promotion to a float dtype (integers and bools
 * become float32, JS numbers stay weakly typed, as JAX's promote_args_inexact), and masked means
 * for the functions that take JAX's `where` argument.
 */
import type { Array } from "../array.js"
import { ShapeError } from "../errors.js"
import { constLike } from "../primitives/common.js"
import { convertElementType, div, ne, select } from "../primitives/elementwise.js"
import { keptShape, reduceSum } from "../primitives/reduce.js"
import { broadcastInDim, reshape } from "../primitives/shape-ops.js"
import { broadcastShapes, showShape } from "../shape.js"
import { asArray, type Operand, promoteDtypes } from "../numpy/coerce.js"

/** One operand as a float Array (integers and bools become float32). */
export const float1 = (x: Operand): Array => promoteDtypes([x], "float")[0]!

/**
 * `where` as a bool mask of x's full shape (JAX broadcasts it against x, and refuses a mask that
 * would grow x).
 */
export const maskLike = (caller: string, x: Array, where: Operand): Array => {
  const w0 = asArray(where)
  const w = w0.dtype === "bool" ? w0 : ne(w0, constLike(w0, 0))
  const shape = broadcastShapes(x.shape, w.shape)
  if (shape.length !== x.ndim || shape.some((d, i) => d !== x.shape[i])) {
    throw new ShapeError(`${caller}: where of shape ${showShape(w.shape)} does not broadcast to the input's shape ${showShape(x.shape)}.`)
  }
  if (w.ndim === x.ndim && w.shape.every((d, i) => d === x.shape[i])) return w
  return broadcastInDim(
    w,
    x.shape,
    w.shape.map((_, i) => x.ndim - w.ndim + i)
  )
}

/**
 * The mean of x over `axes` with the axes kept, counting only the elements where `mask` is true
 * (all of them when it is undefined), as jnp.mean(x, axis, keepdims=True, where=mask).
 */
export const meanKept = (x: Array, axes: ReadonlyArray<number>, mask: Array | undefined): Array => {
  const kept = keptShape(x.shape, axes)
  if (mask === undefined) {
    let n = 1
    for (const i of axes) n *= x.shape[i]!
    return div(reshape(reduceSum(x, axes), kept), constLike(x, n))
  }
  const s = reshape(reduceSum(select(mask, x, constLike(x, 0)), axes), kept)
  const count = reshape(reduceSum(convertElementType(mask, x.dtype), axes), kept)
  return div(s, count)
}
