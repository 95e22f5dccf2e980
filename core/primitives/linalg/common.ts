/**
 * Shared pieces of the linear-algebra primitives (lax.linalg): operand checks, matrix helpers for
 * the jvp rules (matrix transpose, products, triangles, identities, all batched over leading
 * dimensions), and the batching rule they share: every one of them already maps over leading
 * dimensions, so a batched operand only needs its batch dimension moved to the front.
 */
import { type Array, ShapedArray } from "../../array.js"
import { isFloat } from "../../dtype.js"
import { DTypeError, ShapeError } from "../../errors.js"
import { moveBatchAxis } from "../../interpreters/batch.js"
import { matmul } from "../../numpy/linalg.js"
import { type BatchRule, type Params, type Primitive } from "../../primitive.js"
import { showShape } from "../../shape.js"
import { bind } from "../../trace.js"
import { add, convertElementType, eq, ge, le, select, sub } from "../elementwise.js"
import { broadcastInDim, iota, reshape, transpose } from "../shape-ops.js"
import { constant } from "../common.js"

/** A float operand of rank >= 2 (square when asked), or a typed error naming the primitive. */
export const checkMatrix = (a: ShapedArray | undefined, name: string, square: boolean): readonly [number, number] => {
  if (a === undefined) throw new ShapeError(`${name} needs an operand`)
  if (a.ndim < 2)
    throw new ShapeError(`${name} needs an operand of shape (..., m, n), got shape ${showShape(a.shape)}; add a matrix axis (e.g. reshape to (1, n)).`)
  if (!isFloat(a.dtype)) throw new DTypeError(`${name} takes float32 or float64 operands, got ${a.dtype}; cast with astype("float32") first.`)
  const m = a.shape[a.ndim - 2]!
  const n = a.shape[a.ndim - 1]!
  if (square && m !== n) throw new ShapeError(`${name} needs square matrices (shape (..., n, n)), got shape ${showShape(a.shape)}.`)
  return [m, n]
}

/** The batch dimensions of a matrix operand. */
export const batchDims = (a: ShapedArray): number[] => a.shape.slice(0, -2)

export const sameShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean => a.length === b.length && a.every((d, i) => d === b[i])

/** Swap the last two axes. */
export const mT = (x: Array): Array => {
  const perm = x.shape.map((_, i) => i)
  perm[x.ndim - 2] = x.ndim - 1
  perm[x.ndim - 1] = x.ndim - 2
  return transpose(x, perm)
}

/** x with leading axes of size 1 up to rank r (lax's binary operations need equal ranks). */
export const toRank = (x: Array, r: number): Array => reshape(x, [...globalThis.Array<number>(r - x.ndim).fill(1), ...x.shape])

/** Batched matrix product. */
export const mm = (a: Array, b: Array): Array => matmul(a, b)

/** Where column - row compares with k (the mask of a triangle), broadcast to x's shape. */
const triangle = (x: Array, k: number, lower: boolean): Array => {
  const m = x.shape[x.ndim - 2]!
  const n = x.shape[x.ndim - 1]!
  const rows = iota("int32", [m, n], 0)
  const cols = iota("int32", [m, n], 1)
  const diff = sub(cols, rows)
  const kk = constant(k, "int32", [m, n])
  const mask = lower ? le(diff, kk) : ge(diff, kk)
  const full = broadcastInDim(mask, x.shape, [x.ndim - 2, x.ndim - 1])
  return select(full, x, constant(0, x.dtype, x.shape))
}
/** The lower triangle (entries with column - row <= k), zeros elsewhere. */
export const tril = (x: Array, k = 0): Array => triangle(x, k, true)
/** The upper triangle (entries with column - row >= k), zeros elsewhere. */
export const triu = (x: Array, k = 0): Array => triangle(x, k, false)

/** The n x n identity of a dtype, broadcast to a batch of them. */
export const eyeOf = (n: number, dtype: ShapedArray["dtype"], batch: ReadonlyArray<number> = []): Array => {
  const id = convertElementType(eq(iota("int32", [n, n], 0), iota("int32", [n, n], 1)), dtype)
  return batch.length === 0 ? id : broadcastInDim(id, [...batch, n, n], [batch.length, batch.length + 1])
}

/** A symmetric matrix from one triangle of x: tril(x) + tril(x, -1)^T (lower) or the upper analogue. */
export const symmetricFrom = (x: Array, lower: boolean): Array => (lower ? add(tril(x), mT(tril(x, -1))) : add(triu(x), mT(triu(x, 1))))

/** The shared batching rule: batch dimensions to the front (unbatched operands broadcast), outputs batched at 0. */
export const leadingBatch =
  <P extends Params>(prim: Primitive<P>): BatchRule<P> =>
  (args, dims, params, size) => {
    const xs = args.map((a, i) => moveBatchAxis(a, dims[i] ?? null, 0, size))
    const outs = bind(prim, xs, params)
    return [outs, outs.map(() => 0)]
  }
