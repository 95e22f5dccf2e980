/**
 * jax.numpy's complex-number functions: `real`, `imag`, `conj` / `conjugate`, `angle`,
 * `iscomplex`, `isreal`, `iscomplexobj`, `isrealobj`, `realIfClose` and `sortComplex`. Real
 * operands are accepted as in JAX (their imaginary part is 0).
 */
import type { Array } from "../array.js"
import { complexDTypeOf, isComplex, isFloat } from "../dtype.js"
import { ValueError } from "../errors.js"
import * as C from "../primitives/complex.js"
import { constant } from "../primitives/common.js"
import { atan2, convertElementType, eq, mul, ne } from "../primitives/elementwise.js"
import { checkOptions, optionKeys } from "../options.js"
import { type ArrayLike, asArray } from "./coerce.js"
import { takeAlongAxis } from "./edit.js"
import { lexsort } from "./sorting.js"

/**
 * `np.real(x)`: the real part (x itself for a real array).
 *
 * @example
 * np.real(np.array([{ re: 1, im: 2 }, { re: 3, im: -4 }])) // Array([1., 3.], dtype=float32)
 */
export const real = (x: ArrayLike): Array => {
  const a = asArray(x)
  return isComplex(a.dtype) ? C.real(a) : a
}

/**
 * `np.imag(x)`: the imaginary part (zeros of x's dtype for a real array).
 *
 * @example
 * np.imag(np.array([{ re: 1, im: 2 }, { re: 3, im: -4 }])) // Array([ 2., -4.], dtype=float32)
 */
export const imag = (x: ArrayLike): Array => {
  const a = asArray(x)
  return isComplex(a.dtype) ? C.imag(a) : mul(a, constant(0, a.dtype, [], true))
}

/**
 * `np.conj(x)`: the complex conjugate (x itself for a real array, as JAX's jnp.conjugate).
 *
 * @example
 * np.conj(np.array([{ re: 1, im: 2 }])) // Array([1.-2.j], dtype=complex64)
 */
export const conj = (x: ArrayLike): Array => {
  const a = asArray(x)
  return isComplex(a.dtype) ? C.conj(a) : a
}

/**
 * Alias of `conj`.
 *
 * @example
 * np.conjugate(np.array([{ re: 3, im: -1 }])) // Array([3.+1.j], dtype=complex64)
 */
export const conjugate = conj

export interface AngleOptions {
  /** Degrees instead of radians. */
  readonly deg?: boolean
}
const ANGLE_KEYS = optionKeys<AngleOptions>()("deg")

/**
 * `np.angle(z, { deg })`: the argument of each element, atan2(imag, real), in radians (or
 * degrees). Real inputs give 0 or π; integers are float32.
 *
 * @example
 * np.angle(np.array([{ re: 0, im: 1 }, { re: -1, im: 0 }])) // Array([1.5707964, 3.1415927], dtype=float32)
 * np.angle(np.array([{ re: 1, im: 1 }]), { deg: true })     // Array([45.], dtype=float32)
 */
export const angle = (z: ArrayLike, options?: AngleOptions): Array => {
  checkOptions("np.angle", options, ANGLE_KEYS)
  let a = asArray(z)
  if (!isComplex(a.dtype) && !isFloat(a.dtype)) a = convertElementType(a, "float32")
  const re = isComplex(a.dtype) ? C.real(a) : a
  const im = isComplex(a.dtype) ? C.imag(a) : mul(a, constant(0, a.dtype, [], true))
  const r = atan2(im, re)
  return options?.deg === true ? mul(r, constant(180 / Math.PI, r.dtype, [], true)) : r
}

/**
 * `np.iscomplex(x)`: elementwise, whether the imaginary part is non-zero (false for real arrays).
 *
 * @example
 * np.iscomplex(np.array([{ re: 1, im: 0 }, { re: 1, im: 2 }])) // Array([False,  True], dtype=bool)
 */
export const iscomplex = (x: ArrayLike): Array => {
  const a = asArray(x)
  if (!isComplex(a.dtype)) return constant(0, "bool", a.shape)
  const im = C.imag(a)
  return ne(im, constant(0, im.dtype, [], true))
}

/**
 * `np.isreal(x)`: elementwise, whether the imaginary part is zero (true for real arrays).
 *
 * @example
 * np.isreal(np.array([{ re: 1, im: 0 }, { re: 1, im: 2 }])) // Array([ True, False], dtype=bool)
 */
export const isreal = (x: ArrayLike): Array => {
  const a = asArray(x)
  if (!isComplex(a.dtype)) return constant(1, "bool", a.shape)
  const im = C.imag(a)
  return eq(im, constant(0, im.dtype, [], true))
}

/**
 * `np.iscomplexobj(x)`: whether x has a complex dtype (whatever its values).
 *
 * @example
 * np.iscomplexobj(np.zeros([2], { dtype: "complex64" })) // true
 */
export const iscomplexobj = (x: ArrayLike): boolean => isComplex(asArray(x).dtype)

/**
 * `np.isrealobj(x)`: whether x has a real (not complex) dtype.
 *
 * @example
 * np.isrealobj(np.array([1.5])) // true
 */
export const isrealobj = (x: ArrayLike): boolean => !iscomplexobj(x)

export interface RealIfCloseOptions {
  /** Tolerance in machine epsilons of the dtype (default 100). */
  readonly tol?: number
}
const RIC_KEYS = optionKeys<RealIfCloseOptions>()("tol")

/**
 * `np.realIfClose(x, { tol })`: the real part when every imaginary part is within `tol` machine
 * epsilons of zero, else x unchanged. Concrete arrays only (the result's dtype depends on values).
 *
 * @example
 * np.realIfClose(np.array([{ re: 2.1, im: 1e-10 }])) // Array([2.1], dtype=float32)
 */
export const realIfClose = (x: ArrayLike, options?: RealIfCloseOptions): Array => {
  checkOptions("np.realIfClose", options, RIC_KEYS)
  const a = asArray(x)
  if (!isComplex(a.dtype)) return a
  const tol = options?.tol ?? 100
  if (typeof tol !== "number" || !(tol >= 0)) throw new ValueError(`np.realIfClose: tol must be a non-negative number, got ${String(tol)}.`)
  const eps = a.dtype === "complex64" ? 2 ** -23 : 2 ** -52
  const limit = tol > 1 ? tol * eps : tol
  const d = a.data()
  for (let i = 1; i < d.length; i += 2) if (!(Math.abs(d[i]!) < limit)) return a
  return C.real(a)
}

/**
 * `np.sortComplex(a)`: sorted along the last axis by real part, then imaginary part; the result is
 * complex (complex64 for real inputs of 32 bits or fewer).
 *
 * @example
 * np.sortComplex(np.array([{ re: 1, im: 2 }, { re: 1, im: -1 }, { re: 0, im: 5 }]))
 * // Array([0.+5.j, 1.-1.j, 1.+2.j], dtype=complex64)
 */
export const sortComplex = (a: ArrayLike): Array => {
  let z = asArray(a)
  if (!isComplex(z.dtype)) z = convertElementType(z, complexDTypeOf(z.dtype))
  if (z.ndim === 0) return z
  const order = lexsort([C.imag(z), C.real(z)], { axis: -1 })
  return takeAlongAxis(z, order, -1)
}
