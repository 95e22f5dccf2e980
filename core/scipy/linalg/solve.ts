/**
 * scipy.linalg's triangular, Cholesky and LU solvers (JAX's jax.scipy.linalg): solveTriangular,
 * choFactor/choSolve, luFactor/luSolve. A 1-D right-hand side is a vector; otherwise b is
 * [..., n, k] with the factors' batch dimensions.
 */
import type { Array } from "../../array.js"
import { isComplex } from "../../dtype.js"
import { ShapeError, ValueError } from "../../errors.js"
import * as L from "../../lax/linalg.js"
import { checkOptions } from "../../options.js"
import { type ArrayLike, promoteDtypes } from "../../numpy/coerce.js"
import { checkMatrices, inexactOrComplex, mH } from "../../numpy/linalg/common.js"
import { permuteRows } from "../../primitives/linalg/lu.js"
import { triangularSolve } from "../../primitives/linalg/triangular-solve.js"
import { argsort } from "./common.js"
import { reshape } from "../../numpy/shape.js"
import { describe, showShape } from "../../shape.js"

/** Whether trans asks for the conjugate transpose (2 / "C"). */
const conjugated = (trans: unknown): boolean => trans === 2 || trans === "C"

/** The factor and the right-hand side as one float or complex dtype (JAX's promotion). */
const promotePair = (a: Array, b: ArrayLike): [Array, Array] => {
  const [x, y] = promoteDtypes([a, inexactOrComplex(b)])
  return [x!, y!]
}

/** b as [..., n, k] (a vector becomes one column), and how to undo it. */
const asColumns = (b: Array, n: number, caller: string): [Array, (x: Array) => Array] => {
  const vec = b.ndim === 1
  const bm = vec ? reshape(b, [b.shape[0]!, 1]) : b
  if (bm.shape[bm.ndim - 2] !== n)
    throw new ShapeError(
      `${caller}: b of shape ${showShape(b.shape)} does not fit matrices of size ${n} (b's ${vec ? "length" : "second-to-last axis"} must be ${n}).`
    )
  return [bm, (x) => (vec ? reshape(x, [n]) : x)]
}

/** trans: 0 / "N" (a x = b), 1 / "T" (a^T x = b), 2 / "C" (a^H x = b; real: as "T"). */
export type Trans = 0 | 1 | 2 | "N" | "T" | "C"
const transposed = (trans: unknown, caller: string): boolean => {
  if (trans === 0 || trans === "N") return false
  if (trans === 1 || trans === 2 || trans === "T" || trans === "C") return true
  throw new ValueError(`${caller}: trans must be 0, 1, 2, "N", "T" or "C", got ${describe(trans)}.`)
}

export interface SolveTriangularOptions {
  /** 0 / "N" (default): a x = b; 1 / "T": a^T x = b; 2 / "C": a^H x = b. */
  readonly trans?: Trans
  /** Read a's lower triangle (default false: the upper one). */
  readonly lower?: boolean
  /** Take a's diagonal as ones (default false). */
  readonly unitDiagonal?: boolean
}

/**
 * `jax.scipy.linalg.solve_triangular`: x with a x = b (or a^T x = b, a^H x = b) for triangular a,
 * real or complex.
 *
 * @example
 * scipy.linalg.solveTriangular([[2, 0], [1, 1]], [2, 3], { lower: true }) // [1, 2]
 */
export const solveTriangular = (a: ArrayLike, b: ArrayLike, options?: SolveTriangularOptions): Array => {
  const { trans = 0, lower = false, unitDiagonal = false } = checkOptions("scipy.linalg.solveTriangular", options, ["trans", "lower", "unitDiagonal"]) ?? {}
  const t = transposed(trans, "scipy.linalg.solveTriangular")
  const [x, y] = promotePair(inexactOrComplex(a), b)
  const [n] = checkMatrices(x, "scipy.linalg.solveTriangular", true)
  const [bm, back] = asColumns(y, n, "scipy.linalg.solveTriangular")
  return back(triangularSolve(x, bm, { leftSide: true, lower, transposeA: t, conjugateA: conjugated(trans) && isComplex(x.dtype), unitDiagonal }))
}

export interface ChoFactorOptions {
  /** Return the lower factor (default false: the upper one, a = U^H U). */
  readonly lower?: boolean
}

/**
 * `jax.scipy.linalg.cho_factor`: `[c, lower]`, the Cholesky factor of a (upper unless `lower`,
 * reading that triangle of a) and the flag, for `choSolve`.
 *
 * @example
 * const [c, lower] = scipy.linalg.choFactor([[4, 2], [2, 3]]) // c [[2, 1], [0, 1.4142]], lower false
 */
export const choFactor = (a: ArrayLike, options?: ChoFactorOptions): [Array, boolean] => {
  const { lower = false } = checkOptions("scipy.linalg.choFactor", options, ["lower"]) ?? {}
  const x = inexactOrComplex(a)
  checkMatrices(x, "scipy.linalg.choFactor", true)
  const l = L.cholesky(lower ? x : mH(x), { symmetrizeInput: false })
  return [lower ? l : mH(l), lower]
}

/**
 * `jax.scipy.linalg.cho_solve`: x with a x = b from `choFactor(a)`'s `[c, lower]`.
 *
 * @example
 * scipy.linalg.choSolve(scipy.linalg.choFactor([[4, 2], [2, 3]]), [6, 5]) // [1, 1]
 */
export const choSolve = (factor: readonly [Array, boolean], b: ArrayLike): Array => {
  const [c, y0] = promotePair(factor[0], b)
  const lower = factor[1]
  const [n] = checkMatrices(c, "scipy.linalg.choSolve", true)
  const [bm, back] = asColumns(y0, n, "scipy.linalg.choSolve")
  const cx = isComplex(c.dtype)
  const y = triangularSolve(c, bm, { leftSide: true, lower, transposeA: !lower, conjugateA: cx && !lower })
  return back(triangularSolve(c, y, { leftSide: true, lower, transposeA: lower, conjugateA: cx && lower }))
}

/**
 * `jax.scipy.linalg.lu_factor`: `[lu, piv]`, LU with partial pivoting (LAPACK's getrf; piv int32).
 *
 * @example
 * const [lu, piv] = scipy.linalg.luFactor([[1, 2], [3, 4]]) // piv [1, 1]
 */
export const luFactor = (a: ArrayLike): [Array, Array] => {
  const x = inexactOrComplex(a)
  checkMatrices(x, "scipy.linalg.luFactor")
  const [lu, piv] = L.lu(x)
  return [lu, piv]
}

export interface LuSolveOptions {
  /** 0 / "N" (default): a x = b; 1 / "T": a^T x = b; 2 / "C": a^H x = b. */
  readonly trans?: Trans
}

/**
 * `jax.scipy.linalg.lu_solve`: x with a x = b (or a^T x = b, a^H x = b) from `luFactor(a)`'s `[lu, piv]`.
 *
 * @example
 * scipy.linalg.luSolve(scipy.linalg.luFactor([[1, 2], [3, 4]]), [5, 11]) // [1, 2]
 */
export const luSolve = (factor: readonly [Array, Array], b: ArrayLike, options?: LuSolveOptions): Array => {
  const { trans = 0 } = checkOptions("scipy.linalg.luSolve", options, ["trans"]) ?? {}
  const t = transposed(trans, "scipy.linalg.luSolve")
  const [lu, y0] = promotePair(factor[0], b)
  const piv = factor[1]
  const [n] = checkMatrices(lu, "scipy.linalg.luSolve", true)
  const [bm, back] = asColumns(y0, n, "scipy.linalg.luSolve")
  const conjugateA = conjugated(trans) && isComplex(lu.dtype)
  const perm = L.luPivotsToPermutation(piv, n)
  if (!t) {
    const y = triangularSolve(lu, permuteRows(bm, perm), { leftSide: true, lower: true, unitDiagonal: true })
    return back(triangularSolve(lu, y, { leftSide: true, lower: false }))
  }
  // a = P^T L U, so a^T x = b is U^T L^T (P x) = b (a^H: U^H L^H (P x) = b).
  const y = triangularSolve(lu, bm, { leftSide: true, lower: false, transposeA: true, conjugateA })
  const z = triangularSolve(lu, y, { leftSide: true, lower: true, transposeA: true, conjugateA, unitDiagonal: true })
  return back(permuteRows(z, argsort(perm)))
}
