/**
 * Shared pieces of the linear-algebra primitives (lax.linalg): operand checks, matrix helpers for
 * the jvp rules (matrix transpose, products, triangles, identities, all batched over leading
 * dimensions), and the batching rule they share: every one of them already maps over leading
 * dimensions, so a batched operand only needs its batch dimension moved to the front.
 */
import { type Array, ShapedArray } from "../../array.js"
import { complexPartDType, isComplex, isInexact } from "../../dtype.js"
import { DTypeError, ShapeError } from "../../errors.js"
import { moveBatchAxis } from "../../interpreters/batch.js"
import { matmul } from "../../numpy/linalg.js"
import { type BatchRule, type Params, type Primitive } from "../../primitive.js"
import { showShape } from "../../shape.js"
import { bind } from "../../trace.js"
import { conj, real } from "../complex.js"
import { add, convertElementType, div, eq, ge, le, select, sub } from "../elementwise.js"
import { broadcastInDim, iota, reshape, transpose } from "../shape-ops.js"
import { constant } from "../common.js"

/** A float or complex operand of rank >= 2 (square when asked), or a typed error naming the primitive. */
export const checkMatrix = (a: ShapedArray | undefined, name: string, square: boolean): readonly [number, number] => {
  if (a === undefined) throw new ShapeError(`${name} needs an operand`)
  if (a.ndim < 2)
    throw new ShapeError(`${name} needs an operand of shape (..., m, n), got shape ${showShape(a.shape)}; add a matrix axis (e.g. reshape to (1, n)).`)
  if (!isInexact(a.dtype)) throw new DTypeError(`${name} takes float or complex operands, got ${a.dtype}; cast with astype("float32") first.`)
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

/** The conjugate transpose of the last two axes (the transpose for real dtypes, which stay conj-free). */
export const mH = (x: Array): Array => (isComplex(x.dtype) ? conj(mT(x)) : mT(x))

/** The real part of a complex array as an array of the complex dtype (identity for real ones). */
export const realOf = (x: Array): Array => (isComplex(x.dtype) ? convertElementType(real(x), x.dtype) : x)

/** A real array (eigenvalues, singular values) cast to the dtype of a complex one (identity for real ones). */
export const asDTypeOf = (x: Array, like: Array): Array => (x.dtype === like.dtype ? x : convertElementType(x, like.dtype))

/** The dtype of a real result (eigenvalues, singular values) of a float or complex operand. */
export const realDType = (d: ShapedArray["dtype"]): ShapedArray["dtype"] => complexPartDType(d)

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

/**
 * A symmetric matrix from one triangle of x: tril(x) + tril(x, -1)^T (lower) or the upper analogue;
 * for a complex x the Hermitian one, tril(x, -1) + tril(x, -1)^H plus the real part of the diagonal
 * (what the complex routines read: LAPACK ignores the diagonal's imaginary parts).
 */
export const symmetricFrom = (x: Array, lower: boolean): Array => {
  if (!isComplex(x.dtype)) return lower ? add(tril(x), mT(tril(x, -1))) : add(triu(x), mT(triu(x, 1)))
  const off = lower ? tril(x, -1) : triu(x, 1)
  const d = tril(triu(x))
  return add(add(off, mH(off)), div(add(d, conj(d)), constant(2, x.dtype)))
}

/** The shared batching rule: batch dimensions to the front (unbatched operands broadcast), outputs batched at 0. */
export const leadingBatch =
  <P extends Params>(prim: Primitive<P>): BatchRule<P> =>
  (args, dims, params, size) => {
    const xs = args.map((a, i) => moveBatchAxis(a, dims[i] ?? null, 0, size))
    const outs = bind(prim, xs, params)
    return [outs, outs.map(() => 0)]
  }
