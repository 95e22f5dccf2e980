/**
 * `lax.fft(x, fftType, fftLengths)`: the discrete Fourier transform over the trailing axes, as
 * JAX's lax.fft. The operand is converted first: to complex for FFT, IFFT and IRFFT (integers and
 * float32 to complex64, float64 to complex128), to a float for RFFT (which refuses complex input).
 */
import type { Array } from "../array.js"
import { complexDTypeOf, isComplex, isFloat } from "../dtype.js"
import { ValueError } from "../errors.js"
import { type ArrayLike, asArray } from "../numpy/coerce.js"
import { convertElementType } from "../primitives/elementwise.js"
import { FFT_TYPES, fftRaw, type FftType } from "../primitives/fft.js"

export type { FftType } from "../primitives/fft.js"

const typeOf = (t: string): FftType => {
  const up = typeof t === "string" ? t.toUpperCase() : t
  if ((FFT_TYPES as ReadonlyArray<string>).includes(up) && (t === up || t === up.toLowerCase())) return up as FftType
  throw new ValueError(`lax.fft: unknown FFT type ${JSON.stringify(t)}; use one of "FFT", "IFFT", "RFFT", "IRFFT" (or lower case).`)
}

/**
 * `lax.fft(x, fftType, fftLengths)`: the transform of type "FFT", "IFFT", "RFFT" or "IRFFT" (lower
 * case too) over the last `fftLengths.length` axes; see np.fft for the NumPy-style functions.
 *
 * @example
 * lax.fft(np.array([1, 2, 3, 4]), "RFFT", [4])  // Array([10.+0.j, -2.+2.j, -2.+0.j], dtype=complex64)
 * lax.fft(np.ones([2, 3]), "FFT", [2, 3]).shape  // [2, 3], complex64
 */
export const fft = (x: ArrayLike, fftType: FftType | Lowercase<FftType>, fftLengths: ReadonlyArray<number>): Array => {
  const type = typeOf(fftType)
  let a = asArray(x)
  if (type === "RFFT") {
    if (isComplex(a.dtype)) throw new ValueError("lax.fft: RFFT takes real operands only (got a complex one); use FFT for complex inputs.")
    if (!isFloat(a.dtype)) a = convertElementType(a, "float32")
  } else if (!isComplex(a.dtype)) a = convertElementType(a, complexDTypeOf(a.dtype))
  if (fftLengths.length === 0) return a
  return fftRaw(a, type, fftLengths)
}
