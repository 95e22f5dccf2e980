/**
 * triangular_solve: X with op(A) X = B (leftSide) or X op(A) = B for triangular A (the triangle
 * named by `lower` is read; `unitDiagonal` takes the diagonal as ones; op transposes with
 * `transposeA`, and `conjugateA` conjugates, the identity on real dtypes). Batched over leading
 * dimensions, which must be equal; real or complex. Linear in B (its transpose solves with op
 * transposed, conjugation kept, as JAX's); the jvp in A is JAX's: -op(A)^-1 op(dA) X (left) or
 * -X op(dA) op(A)^-1 (right).
 */
import { type Array, ShapedArray } from "../../array.js"
import { isComplex } from "../../dtype.js"
import { DTypeError, ShapeError } from "../../errors.js"
import { definePrimitive, UndefPrimal, Zero } from "../../primitive.js"
import { checkFlag, showShape } from "../../shape.js"
import { bind1 } from "../../trace.js"
import { conj } from "../complex.js"
import { add, neg } from "../elementwise.js"
import { batchDims, checkMatrix, leadingBatch, mm, mT, sameShape, tril, triu } from "./common.js"

export interface TriangularSolveParams {
  readonly leftSide: boolean
  readonly lower: boolean
  readonly transposeA: boolean
  readonly conjugateA: boolean
  readonly unitDiagonal: boolean
  readonly [k: string]: unknown
}

export const triangularSolveP = definePrimitive<TriangularSolveParams>("triangular_solve", ([a, b], p) => {
  for (const k of ["leftSide", "lower", "transposeA", "conjugateA", "unitDiagonal"] as const) checkFlag(p[k], `triangular_solve: ${k}`)
  const [m] = checkMatrix(a, "triangular_solve", true)
  checkMatrix(b, "triangular_solve", false)
  if (a!.dtype !== b!.dtype) throw new DTypeError(`triangular_solve needs a and b of one dtype, got ${a!.dtype} and ${b!.dtype}.`)
  const bm = b!.shape[b!.ndim - (p.leftSide ? 2 : 1)]!
  if (!sameShape(batchDims(a!), batchDims(b!)) || bm !== m) {
    throw new ShapeError(
      `triangular_solve: a of shape ${showShape(a!.shape)} and b of shape ${showShape(b!.shape)} do not fit: b's ` +
        `${p.leftSide ? "second-to-last" : "last"} axis must be a's size ${m} (leftSide ${p.leftSide}) and their batch dimensions equal.`
    )
  }
  return [new ShapedArray(b!.shape, b!.dtype, a!.weakType && b!.weakType)]
})
triangularSolveP.printParams = (p) => [
  ["left_side", p.leftSide ? "True" : "False"],
  ["lower", p.lower ? "True" : "False"],
  ["transpose_a", p.transposeA ? "True" : "False"],
  ["conjugate_a", p.conjugateA ? "True" : "False"],
  ["unit_diagonal", p.unitDiagonal ? "True" : "False"]
]

/** triangular_solve with JAX's defaults for the flags not given (all false). */
export const triangularSolve = (
  a: Array,
  b: Array,
  flags: Partial<Pick<TriangularSolveParams, "leftSide" | "lower" | "transposeA" | "conjugateA" | "unitDiagonal">> = {}
): Array =>
  bind1(triangularSolveP, [a, b], {
    leftSide: flags.leftSide ?? false,
    lower: flags.lower ?? false,
    transposeA: flags.transposeA ?? false,
    conjugateA: flags.conjugateA ?? false,
    unitDiagonal: flags.unitDiagonal ?? false
  })

triangularSolveP.jvp = ([a, b], [ta, tb], p) => {
  const x = bind1(triangularSolveP, [a!, b!], p)
  const k = p.unitDiagonal ? 1 : 0
  let ga = neg(p.lower ? tril(ta!, -k) : triu(ta!, k))
  if (p.transposeA) ga = mT(ga)
  if (p.conjugateA && isComplex(ga.dtype)) ga = conj(ga)
  const fromA = bind1(triangularSolveP, [a!, p.leftSide ? mm(ga, x) : mm(x, ga)], p)
  const fromB = bind1(triangularSolveP, [a!, tb!], p)
  return [[x], [add(fromA, fromB)]]
}
triangularSolveP.transpose = ([ct], [a, b], p) => {
  if (a instanceof UndefPrimal) throw new Error("triangular_solve is not linear in a") // internal invariant
  if (!(b instanceof UndefPrimal)) return [null, null]
  if (ct instanceof Zero) return [null, new Zero(b.aval)]
  return [null, bind1(triangularSolveP, [a as Array, ct!], { ...p, transposeA: !p.transposeA })]
}
triangularSolveP.batch = leadingBatch(triangularSolveP)
