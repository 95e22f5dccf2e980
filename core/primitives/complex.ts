/**
 * The primitives that build and take apart complex numbers (JAX's `complex_p`, `real_p`, `imag_p`,
 * `conj_p`), with JAX's differentiation rules: all four are linear, and their transposes are
 * JAX's, so `grad` of a real function of complex inputs gives what `jax.grad` gives (the conjugate
 * of the usual gradient: grad(|z|^2)(3+4i) = 6-8i).
 */
import { type Array, ShapedArray } from "../array.js"
import { complexDTypeOf, complexPartDType, isComplex, isFloat } from "../dtype.js"
import { DTypeError } from "../errors.js"
import { definePrimitive } from "../primitive.js"
import { bind1 } from "../trace.js"
import { defBroadcasting, unbroadcast } from "./broadcasting.js"
import { constLike } from "./common.js"
import { broadcastEqualRank, complexHooks, neg, type NoParams } from "./elementwise.js"
import { defLinear, defVectorized } from "./rules.js"

const none: NoParams = {}

const needComplex = (name: string, a: ShapedArray): void => {
  if (!isComplex(a.dtype)) {
    throw new DTypeError(`${name} takes a complex operand (complex64 or complex128), got ${a.dtype}; np.${name} accepts real arrays too.`)
  }
}

/** `lax.complex(x, y)` at the primitive level: x + y·i from two real float arrays of one dtype. */
export const complexP = definePrimitive<NoParams>("complex", ([x, y]) => {
  if (x!.dtype !== y!.dtype || !isFloat(x!.dtype) || x!.dtype === "float16" || x!.dtype === "bfloat16") {
    throw new DTypeError(
      `complex needs two float32 or two float64 operands, got ${x!.dtype} and ${y!.dtype}; lax.complex promotes for you, ` + 'or cast with astype("float32").'
    )
  }
  const shape = broadcastEqualRank("complex", x!.shape, y!.shape)
  return [new ShapedArray(shape, complexDTypeOf(x!.dtype), x!.weakType && y!.weakType)]
})
complexP.paramFree = true
defBroadcasting(complexP)
/** Bind `complex` (operands of one float dtype, equal rank or rank 0). */
export const complex = (x: Array, y: Array): Array => bind1(complexP, [x, y], none)

/** The real part of a complex array (a real array of the parts' dtype). */
export const realP = definePrimitive<NoParams>("real", ([x]) => {
  needComplex("real", x!)
  return [new ShapedArray(x!.shape, complexPartDType(x!.dtype), x!.weakType)]
})
realP.paramFree = true
defVectorized(realP)
/** Bind `real`. */
export const real = (x: Array): Array => bind1(realP, [x], none)

/** The imaginary part of a complex array. */
export const imagP = definePrimitive<NoParams>("imag", ([x]) => {
  needComplex("imag", x!)
  return [new ShapedArray(x!.shape, complexPartDType(x!.dtype), x!.weakType)]
})
imagP.paramFree = true
defVectorized(imagP)
/** Bind `imag`. */
export const imag = (x: Array): Array => bind1(imagP, [x], none)

/** The complex conjugate. */
export const conjP = definePrimitive<NoParams>("conj", ([x]) => {
  needComplex("conj", x!)
  return [x!]
})
conjP.paramFree = true
defVectorized(conjP)
/** Bind `conj`. */
export const conj = (x: Array): Array => bind1(conjP, [x], none)

// JAX's transposes: complex's is [real(t), imag(-t)] (`ad.deflinear2(complex_p, ...)`).
defLinear(complexP, (ct, [x, y]) => {
  const re = real(ct)
  const im = imag(neg(ct))
  return [unbroadcast(re, x!.aval), unbroadcast(im, y!.aval)]
})
// real's transpose: complex(t, 0); imag's: complex(0, -t).
defLinear(realP, (ct) => [complex(ct, constLike(ct, 0))])
defLinear(imagP, (ct) => [complex(constLike(ct, 0), neg(ct))])
defLinear(conjP, (ct) => [conj(ct)])

complexHooks.real = real
complexHooks.conj = conj
