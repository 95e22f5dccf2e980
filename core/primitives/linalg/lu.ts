/**
 * lu: LU factorization with partial pivoting of each m x n matrix of a batch (LAPACK's getrf):
 * outputs lu (L's strict lower part, unit diagonal implied, and U), pivots (int32, min(m, n):
 * row j was swapped with row pivots[j]) and permutation (int32, m: the rows of A in the order of
 * P A). jvp: JAX's rule, dLU = L tril(L^-1 P dA U^-1, -1) + triu(L^-1 P dA U^-1) U with L and U
 * padded to square. lu_pivots_to_permutation turns pivots into a permutation of a given size.
 */
import { type Array, ShapedArray } from "../../array.js"
import { DTypeError, ShapeError } from "../../errors.js"
import { definePrimitive } from "../../primitive.js"
import { checkDim, showShape } from "../../shape.js"
import { bind, bind1 } from "../../trace.js"
import { constant, zeroOf } from "../common.js"
import { add } from "../elementwise.js"
import { gather } from "../indexing.js"
import { broadcastInDim, iota, pad, reshape, slice } from "../shape-ops.js"
import { checkMatrix, eyeOf, leadingBatch, mm, toRank, tril, triu } from "./common.js"
import { triangularSolve } from "./triangular-solve.js"

export type LuParams = Readonly<Record<string, never>>

export const luP = definePrimitive<LuParams>(
  "lu",
  ([a]) => {
    const [m, n] = checkMatrix(a, "lu", false)
    const batch = a!.shape.slice(0, -2)
    return [new ShapedArray(a!.shape, a!.dtype, a!.weakType), new ShapedArray([...batch, Math.min(m, n)], "int32"), new ShapedArray([...batch, m], "int32")]
  },
  true
)

/** [lu, pivots, permutation] of each matrix. */
export const luRaw = (a: Array): [Array, Array, Array] => {
  const [lu, piv, perm] = bind(luP, [a], {})
  return [lu!, piv!, perm!]
}

/** Rows of x (shape [...batch, m, n]) in the order of perm ([...batch, m]): x[..., perm, :]. */
export const permuteRows = (x: Array, perm: Array): Array => {
  const nb = x.ndim - 2
  const m = x.shape[nb]!
  const n = x.shape[nb + 1]!
  const B = x.shape.slice(0, nb).reduce((p, d) => p * d, 1)
  // Nothing to permute (and gather cannot index a zero-size axis).
  if (B * m * n === 0) return x
  // Flatten the batch: row index b * m + perm[b, i] of a [B * m, n] matrix.
  const offsets = reshape(broadcastInDim(iota("int32", [B], 0), [B, m], [0]), [B * m])
  const rows = add(reshape(perm, [B * m]), offsets.mul(m))
  const flat = reshape(x, [B * m, n])
  return reshape(gather(flat, rows, 0), x.shape)
}

luP.jvp = ([a], [t]) => {
  const [lu, piv, perm] = luRaw(a!)
  const nb = a!.ndim - 2
  const m = a!.shape[nb]!
  const n = a!.shape[nb + 1]!
  const k = Math.min(m, n)
  const batch = a!.shape.slice(0, nb)
  const dtype = a!.dtype
  const x = permuteRows(t!, perm)
  const lo = a!.shape.map(() => 0)
  const sliceOf = (r: number, c: number) => slice(lu, lo, [...batch, r, c])
  const zero = constant(0, dtype)
  const padLast = (y: Array, rows: number, cols: number) =>
    pad(y, zero, [...batch.map(() => [0, 0, 0] as [number, number, number]), [0, rows, 0], [0, cols, 0]])
  const l = add(padLast(tril(sliceOf(m, k), -1), 0, m - k), eyeOf(m, dtype, batch))
  const uEye = pad(eyeOf(n - k, dtype), zero, [
    [k, 0, 0],
    [k, 0, 0]
  ])
  const u = add(padLast(triu(sliceOf(k, n)), n - k, 0), toRank(uEye, a!.ndim))
  const la = triangularSolve(l, x, { leftSide: true, lower: true, unitDiagonal: true })
  const lau = triangularSolve(u, la, { leftSide: false, lower: false })
  const ldot = mm(l, tril(lau, -1))
  const udot = mm(triu(lau), u)
  return [
    [lu, piv, perm],
    [add(ldot, udot), zeroOf(piv), zeroOf(perm)]
  ]
}
luP.batch = leadingBatch(luP)

export interface LuPivotsToPermutationParams {
  readonly permutationSize: number
  readonly [k: string]: unknown
}

export const luPivotsToPermutationP = definePrimitive<LuPivotsToPermutationParams>("lu_pivots_to_permutation", ([p], { permutationSize }) => {
  checkDim(permutationSize, "lu_pivots_to_permutation: permutationSize")
  if (p === undefined || p.ndim < 1)
    throw new ShapeError(`lu_pivots_to_permutation needs pivots of shape (..., k), got ${p === undefined ? "nothing" : showShape(p.shape)}.`)
  if (p.dtype !== "int32") throw new DTypeError(`lu_pivots_to_permutation needs int32 pivots, got ${p.dtype}.`)
  const k = p.shape[p.ndim - 1]!
  if (k > permutationSize) {
    throw new ShapeError(`lu_pivots_to_permutation: permutationSize (${permutationSize}) must be at least the number of pivots (${k}).`)
  }
  return [new ShapedArray([...p.shape.slice(0, -1), permutationSize], "int32")]
})
luPivotsToPermutationP.printParams = (p) => [["permutation_size", String(p.permutationSize)]]
luPivotsToPermutationP.batch = leadingBatch(luPivotsToPermutationP)

export const luPivotsToPermutation = (pivots: Array, permutationSize: number): Array => bind1(luPivotsToPermutationP, [pivots], { permutationSize })
