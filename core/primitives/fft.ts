/**
 * fft: lax.fft's primitive, the discrete Fourier transform over the trailing `fftLengths.length`
 * axes, of one of four types (JAX's FftType): FFT and IFFT (complex to complex, IFFT divided by
 * the product of the lengths), RFFT (real to the fftLengths[-1]/2 + 1 non-negative frequencies of
 * the last axis) and IRFFT (its inverse, the input read as a Hermitian spectrum).
 *
 * Linear, with JAX's rules: the jvp transforms the tangent; the DFT matrix is symmetric, so FFT
 * and IFFT are their own transposes; RFFT's transpose is N irfft(conj(t) / mask) and IRFFT's is
 * conj(mask rfft(t) / N), where the mask weights by 2 the frequencies that RFFT keeps once for
 * two (all but the zero frequency and, for even lengths, the Nyquist one). Batching moves the
 * batch axis to the front. The CPU runs it as a routine (backends/cpu/fft).
 */
import { type Array, ShapedArray } from "../array.js"
import { complexDTypeOf, complexPartDType, type DType, isComplex } from "../dtype.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { definePrimitive, UndefPrimal } from "../primitive.js"
import { showShape } from "../shape.js"
import { bind1 } from "../trace.js"
import { constant } from "./common.js"
import { conj } from "./complex.js"
import { mul } from "./elementwise.js"
import { broadcastInDim, concatenate } from "./shape-ops.js"
import { leadingBatch } from "./linalg/common.js"
import { defLinear } from "./rules.js"

/** Which transform (JAX's lax.FftType). */
export type FftType = "FFT" | "IFFT" | "RFFT" | "IRFFT"
export const FFT_TYPES: ReadonlyArray<FftType> = ["FFT", "IFFT", "RFFT", "IRFFT"]

export type FftParams = Readonly<{ fftType: FftType; fftLengths: ReadonlyArray<number> }>

const same = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean => a.length === b.length && a.every((d, i) => d === b[i])
const list = (xs: ReadonlyArray<number>): string => `[${xs.join(", ")}]`

const checkParams = ({ fftType, fftLengths }: FftParams): void => {
  if (!FFT_TYPES.includes(fftType)) {
    throw new ValueError(`fft: fftType must be one of ${FFT_TYPES.map((t) => JSON.stringify(t)).join(", ")}, got ${JSON.stringify(fftType)}.`)
  }
  if (!globalThis.Array.isArray(fftLengths) || fftLengths.length === 0 || fftLengths.some((n) => typeof n !== "number" || !Number.isInteger(n) || n < 0)) {
    throw new ValueError(`fft: fftLengths must be a non-empty list of non-negative integers (the transformed lengths), got ${JSON.stringify(fftLengths)}.`)
  }
}

export const fftP = definePrimitive<FftParams>("fft", ([x], params) => {
  checkParams(params)
  const { fftType, fftLengths } = params
  if (x === undefined) throw new ShapeError("fft needs an operand")
  const k = fftLengths.length
  if (k > x.ndim) {
    throw new ShapeError(
      `fft: an operand of shape ${showShape(x.shape)} has fewer axes than fftLengths ${list(fftLengths)}; the transform runs over trailing axes.`
    )
  }
  const batch = x.shape.slice(0, x.ndim - k)
  const minor = x.shape.slice(x.ndim - k)
  const last = fftLengths[k - 1]!
  if (fftType === "RFFT") {
    if (x.dtype !== "float32" && x.dtype !== "float64")
      throw new DTypeError(`fft: RFFT takes a float32 or float64 operand, got ${x.dtype}; lax.fft casts for you.`)
    if (!same(minor, fftLengths)) throw new ShapeError(`fft: the RFFT operand's trailing axes ${showShape(minor)} must equal fftLengths ${list(fftLengths)}.`)
    return [new ShapedArray([...batch, ...fftLengths.slice(0, -1), Math.floor(last / 2) + 1], complexDTypeOf(x.dtype))]
  }
  if (!isComplex(x.dtype))
    throw new DTypeError(`fft: ${fftType} takes a complex64 or complex128 operand, got ${x.dtype}; lax.fft converts real operands for you.`)
  if (fftType === "IRFFT") {
    const want = [...fftLengths.slice(0, -1), Math.floor(last / 2) + 1]
    if (!same(minor, want)) {
      throw new ShapeError(`fft: the IRFFT operand's trailing axes ${showShape(minor)} must be ${list(want)} (fftLengths with the last one halved, plus one).`)
    }
    return [new ShapedArray([...batch, ...fftLengths], complexPartDType(x.dtype))]
  }
  if (!same(minor, fftLengths))
    throw new ShapeError(`fft: the ${fftType} operand's trailing axes ${showShape(minor)} must equal fftLengths ${list(fftLengths)}.`)
  return [new ShapedArray(x.shape, x.dtype)]
})
// JAX prints fft_type as its IntEnum value (FFT 0, IFFT 1, RFFT 2, IRFFT 3).
fftP.printParams = (p) => [
  ["fft_lengths", `(${p.fftLengths.join(", ")}${p.fftLengths.length === 1 ? "," : ""})`],
  ["fft_type", String(FFT_TYPES.indexOf(p.fftType))]
]

/** Bind fft as it is (lax.fft converts the operand's dtype first). */
export const fftRaw = (x: Array, fftType: FftType, fftLengths: ReadonlyArray<number>): Array => bind1(fftP, [x], { fftType, fftLengths: [...fftLengths] })

/**
 * [1, mid, ..., mid, 1 (even n only)] over the last axis (n/2 + 1 entries) of `shape`, in `dtype`,
 * broadcast to `shape`: JAX's mask of the frequencies that RFFT keeps once for two (mid = 2).
 */
const halfMask = (shape: ReadonlyArray<number>, n: number, dtype: DType, mid: number): Array => {
  const h = shape[shape.length - 1]!
  const odd = n % 2
  const pieces = [constant(1, dtype, [1]), constant(mid, dtype, [h - 2 + odd]), constant(1, dtype, [1 - odd])].filter((p) => p.shape[0]! > 0)
  const mask = h <= 1 ? constant(1, dtype, [h]) : concatenate(pieces, 0)
  return broadcastInDim(mask, shape, [shape.length - 1])
}

const prod = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a * b, 1)

defLinear(fftP, (ct, [x], { fftType, fftLengths }) => {
  if (!(x instanceof UndefPrimal)) throw new Error("fft: transpose without an undefined operand") // internal invariant
  const n = fftLengths[fftLengths.length - 1]!
  const size = prod(fftLengths)
  if (fftType === "RFFT") {
    // N irfft(conj(t) / mask): the frequencies kept once for two get half the cotangent each side.
    const y = fftRaw(mul(conj(ct), halfMask(ct.shape, n, ct.dtype, 0.5)), "IRFFT", fftLengths)
    return [mul(constant(size, y.dtype, [], true), y)]
  }
  if (fftType === "IRFFT") {
    const y = fftRaw(ct, "RFFT", fftLengths)
    return [conj(mul(mul(constant(1 / size, y.dtype, [], true), halfMask(y.shape, n, y.dtype, 2)), y))]
  }
  return [fftRaw(ct, fftType, fftLengths)]
})
fftP.batch = leadingBatch(fftP)
