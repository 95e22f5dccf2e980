/**
 * cholesky: the lower Cholesky factor L (L L^H = A) of each real symmetric or complex Hermitian
 * matrix of a batch, reading A's lower triangle (for complex A the real parts of its diagonal);
 * NaNs where A is not positive definite (JAX's CPU behaviour). jvp: JAX's rule (Murray 2016),
 * L_dot = L phi(L^-1 A_dot L^-H) with phi taking the lower triangle and halving the diagonal;
 * A_dot is first made symmetric (Hermitian) from its lower triangle, the part the primitive reads.
 */
import { type Array, ShapedArray } from "../../array.js"
import { isComplex } from "../../dtype.js"
import { definePrimitive } from "../../primitive.js"
import { bind1 } from "../../trace.js"
import { constant } from "../common.js"
import { add, div } from "../elementwise.js"
import { checkMatrix, eyeOf, leadingBatch, mm, symmetricFrom, toRank, tril } from "./common.js"
import { triangularSolve } from "./triangular-solve.js"

export type CholeskyParams = Readonly<Record<string, never>>

export const choleskyP = definePrimitive<CholeskyParams>("cholesky", ([a]) => {
  checkMatrix(a, "cholesky", true)
  return [new ShapedArray(a!.shape, a!.dtype, a!.weakType)]
})

/** The Cholesky factor of each matrix (lower triangle read), without symmetrizing. */
export const choleskyRaw = (a: Array): Array => bind1(choleskyP, [a], {})

/** JAX's tangent of the Cholesky factor L for an input tangent sigma, used as given: L phi(L^-1 sigma L^-H). */
export const choleskyTangent = (L: Array, sigma: Array): Array => {
  const n = L.shape[L.ndim - 1]!
  const tmp = triangularSolve(L, sigma, { leftSide: false, lower: true, transposeA: true, conjugateA: isComplex(L.dtype) })
  const inner = triangularSolve(L, tmp, { leftSide: true, lower: true })
  const phi = div(tril(inner), toRank(add(constant(1, L.dtype, [n, n]), eyeOf(n, L.dtype)), L.ndim))
  return mm(L, phi)
}

choleskyP.jvp = ([a], [t]) => {
  const L = choleskyRaw(a!)
  return [[L], [choleskyTangent(L, symmetricFrom(t!, true))]]
}
choleskyP.batch = leadingBatch(choleskyP)
