/**
 * Shared pieces of np.linalg: operands as float or complex arrays (integers and bools promote to
 * float32, as JAX's promote_dtypes_inexact does), the matrix-shape check with a message that says
 * what to do, the matrix (conjugate) transpose, and the real quantities of complex arrays.
 */
import type { Array } from "../../array.js"
import { complexPartDType, type DType, isComplex, isFloat } from "../../dtype.js"
import { conj, real } from "../../primitives/complex.js"
import { ShapeError } from "../../errors.js"
import { showShape } from "../../shape.js"
import { type ArrayLike, asArray } from "../coerce.js"
import { swapaxes } from "../shape.js"

/** The operand as a float or complex array (integers and bools promote to float32, as JAX's promote_dtypes_inexact). */
export const inexactOrComplex = (x: ArrayLike): Array => {
  const a = asArray(x)
  return isFloat(a.dtype) || isComplex(a.dtype) ? a : a.astype("float32")
}

/** A stack of matrices [..., m, n] (square when asked), or a ShapeError naming the function. */
export const checkMatrices = (x: Array, caller: string, square = false): readonly [number, number] => {
  if (x.ndim < 2) {
    throw new ShapeError(
      `${caller} needs an array of shape (..., m, n) (a stack of matrices), got shape ${showShape(x.shape)}; reshape a vector to (1, n) or (n, 1).`
    )
  }
  const m = x.shape[x.ndim - 2]!
  const n = x.shape[x.ndim - 1]!
  if (square && m !== n) throw new ShapeError(`${caller} needs square matrices (shape (..., n, n)), got shape ${showShape(x.shape)}.`)
  return [m, n]
}

/** Swap the last two axes. */
export const mT = (x: Array): Array => swapaxes(x, -1, -2)

/** The conjugate transpose of the last two axes (the transpose of a real array). */
export const mH = (x: Array): Array => (isComplex(x.dtype) ? conj(mT(x)) : mT(x))

/** The machine epsilon of a float or complex dtype (numpy's finfo.eps, of the parts' dtype). */
export const epsOf = (x: Array): number => (x.dtype === "float64" || x.dtype === "complex128" ? 2 ** -52 : 2 ** -23)

/** The real dtype of a float or complex array's values (the parts' dtype for complex ones). */
export const realDTypeOf = (x: Array): DType => complexPartDType(x.dtype)

/** |x|^2 elementwise, real: x * x, or real(x * conj(x)) for complex x (JAX's norms). */
export const absSquared = (x: Array): Array => (isComplex(x.dtype) ? real(x.mul(conj(x))) : x.mul(x))
