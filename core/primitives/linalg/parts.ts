/**
 * linalg_parts: a complex decomposition or solve of lax.linalg (cholesky, triangular_solve, lu, qr,
 * eigh, svd, tridiagonal_solve) on real arrays: every complex operand given as its two parts
 * (re, im), every complex result returned as two parts, real results (lu's pivots, eigh's
 * eigenvalues, svd's singular values) as they are. `routine` names the primitive, whose own params
 * come alongside. The CPU's lowering of those primitives inside its complex rewrite
 * (backends/cpu/complex.ts), as eig_parts is eig's; only that rewrite binds it, so it has no
 * derivative (the complex primitive's jvp applies before the rewrite).
 */
import { ShapedArray } from "../../array.js"
import { complexDTypeOf, isComplex, isFloat } from "../../dtype.js"
import { DTypeError, ShapeError } from "../../errors.js"
import { definePrimitive, type Params, type Primitive } from "../../primitive.js"
import { leadingBatch, sameShape } from "./common.js"
import { choleskyP } from "./cholesky.js"
import { eighP } from "./eigh.js"
import { luP } from "./lu.js"
import { qrP } from "./qr.js"
import { svdP } from "./svd.js"
import { triangularSolveP } from "./triangular-solve.js"
import { tridiagonalSolveP } from "./tridiagonal-solve.js"

/** The primitives linalg_parts computes, by name. */
export const partsRoutines: Readonly<Record<string, Primitive<never>>> = {
  cholesky: choleskyP as unknown as Primitive<never>,
  triangular_solve: triangularSolveP as unknown as Primitive<never>,
  lu: luP as unknown as Primitive<never>,
  qr: qrP as unknown as Primitive<never>,
  eigh: eighP as unknown as Primitive<never>,
  svd: svdP as unknown as Primitive<never>,
  tridiagonal_solve: tridiagonalSolveP as unknown as Primitive<never>
}

export interface LinalgPartsParams {
  /** The complex primitive computed (a key of partsRoutines). */
  readonly routine: string
  readonly [k: string]: unknown
}

/** The routine's own params (those besides `routine`). */
export const routineParams = (p: LinalgPartsParams): Params => {
  const { routine: _, ...rest } = p
  return rest
}

/** The complex primitive's output avals for operands given as (re, im) pairs. */
export const complexOutputs = (avals: ReadonlyArray<ShapedArray>, p: LinalgPartsParams): ReadonlyArray<ShapedArray> => {
  const prim = partsRoutines[p.routine]
  if (prim === undefined) throw new DTypeError(`linalg_parts: unknown routine ${JSON.stringify(p.routine)}; one of ${Object.keys(partsRoutines).join(", ")}.`)
  if (avals.length % 2 !== 0 || avals.length === 0) throw new ShapeError(`linalg_parts(${p.routine}) takes each complex operand as two arrays (re, im).`)
  const ops: ShapedArray[] = []
  for (let i = 0; i < avals.length; i += 2) {
    const re = avals[i]!
    const im = avals[i + 1]!
    if (!isFloat(re.dtype) || re.dtype !== im.dtype || !sameShape(re.shape, im.shape))
      throw new DTypeError(`linalg_parts(${p.routine}) takes each complex operand as two real arrays of one shape and dtype (re, im).`)
    ops.push(new ShapedArray(re.shape, complexDTypeOf(re.dtype)))
  }
  return prim.shapeRule(ops, routineParams(p) as never)
}

export const linalgPartsP = definePrimitive<LinalgPartsParams>(
  "linalg_parts",
  (avals, p) =>
    complexOutputs(avals, p).flatMap((o) =>
      isComplex(o.dtype)
        ? [new ShapedArray(o.shape, o.dtype === "complex64" ? "float32" : "float64"), new ShapedArray(o.shape, o.dtype === "complex64" ? "float32" : "float64")]
        : [new ShapedArray(o.shape, o.dtype)]
    ),
  true
)
linalgPartsP.batch = leadingBatch(linalgPartsP)
