/**
 * `lax.complex`, `lax.real`, `lax.imag`, `lax.conj`: building and taking apart complex arrays.
 * JS numbers are weak (Python scalars in JAX): `lax.complex(0, 1)` is the weakly typed `1j`.
 */
import { Array } from "../array.js"
import { complexDTypeOf, isComplex, isFloat } from "../dtype.js"
import { DTypeError } from "../errors.js"
import { type Operand, promoteDtypes } from "../numpy/coerce.js"
import * as P from "../primitives/complex.js"
import { convertElementType } from "../primitives/elementwise.js"

/**
 * `lax.complex(x, y)`: the complex array x + y·i from real parts x and y (float32 parts give
 * complex64, float64 parts complex128; integers count as float32). Operands broadcast as in
 * `lax` (equal rank, or rank 0).
 *
 * @example
 * lax.complex(np.array([1, 3], { dtype: "float32" }), np.array([2, -4], { dtype: "float32" }))
 * // Array([1.+2.j, 3.-4.j], dtype=complex64)
 * lax.complex(0, 1) // Array(0.+1.j, dtype=complex64, weak_type=True): JAX's 1j
 */
export const complex = (x: Operand, y: Operand): Array => {
  for (const v of [x, y]) {
    if (v instanceof Array && isComplex(v.dtype)) throw new DTypeError(`lax.complex takes real parts, got a ${v.dtype} operand; use np.real / np.imag first.`)
  }
  let [a, b] = promoteDtypes([x, y], "float")
  if (a!.dtype === "float16" || a!.dtype === "bfloat16") {
    a = convertElementType(a!, "float32", a!.weakType)
    b = convertElementType(b!, "float32", b!.weakType)
  }
  if (!isFloat(a!.dtype)) throw new DTypeError(`lax.complex: cannot make complex parts of ${a!.dtype}.`)
  return P.complex(a!, b!)
}

/**
 * `lax.real(x)`: the real part of a complex array.
 *
 * @example
 * lax.real(lax.complex(1, 2)) // Array(1., dtype=float32, weak_type=True)
 */
export const real = (x: Array): Array => P.real(x)

/**
 * `lax.imag(x)`: the imaginary part of a complex array.
 *
 * @example
 * lax.imag(lax.complex(1, 2)) // Array(2., dtype=float32, weak_type=True)
 */
export const imag = (x: Array): Array => P.imag(x)

/**
 * `lax.conj(x)`: the complex conjugate; a real array becomes complex first (as JAX's lax.conj).
 *
 * @example
 * lax.conj(lax.complex(1, 2)) // Array(1.-2.j, dtype=complex64, weak_type=True)
 */
export const conj = (x: Array): Array => (isComplex(x.dtype) ? P.conj(x) : convertElementType(x, complexDTypeOf(x.dtype), x.weakType))
