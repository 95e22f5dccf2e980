/**
 * Shared pieces of np.linalg: operands as float arrays (integers and bools promote to float32,
 * as JAX's promote_dtypes_inexact does; complex ones are refused where not supported), the matrix-shape check with a message that says what to
 * do, and the matrix transpose.
 */
import type { Array } from "../../array.js"
import { complexPartDType, type DType, isComplex, isFloat } from "../../dtype.js"
import { conj, real } from "../../primitives/complex.js"
import { DTypeError, ShapeError } from "../../errors.js"
import { showShape } from "../../shape.js"
import { type ArrayLike, asArray } from "../coerce.js"
import { swapaxes } from "../shape.js"

/**
 * The operand as a float array, for the routines that take real matrices only (geqrf's raw QR,
 * expm, scipy.linalg.qr): complex operands are refused (casting would silently drop the
 * imaginary part), where JAX takes complex ones too.
 */
export const inexact = (x: ArrayLike): Array => {
  const a = asArray(x)
  if (isComplex(a.dtype)) {
    throw new DTypeError(
      `this linear-algebra function takes real matrices only, got ${a.dtype}: np.linalg's solvers, norms and decompositions (and lax.linalg's) take complex matrices; for this one take np.real(x) and np.imag(x) explicitly (a complex n x n system is the real 2n x 2n system [[Re, -Im], [Im, Re]]).`
    )
  }
  return isFloat(a.dtype) ? a : a.astype("float32")
}

/** The operand as a float or complex array (integers and bools promote to float32). */
export const inexactOrComplex = (x: ArrayLike): Array => {
  const a = asArray(x)
  return isComplex(a.dtype) ? a : inexact(a)
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
