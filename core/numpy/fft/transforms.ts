/**
 * The transforms of `np.fft` (JAX's jax.numpy.fft): one core, as JAX's `_fft_core`, moves the
 * requested axes last, crops or zero-pads them to `s` (for the inverse real transforms the
 * last axis to s[-1]/2 + 1), binds lax.fft over them, scales by the `norm` convention and moves
 * the axes back. hfft and ihfft are irfft and rfft of the conjugate, as in JAX.
 */
import type { Array } from "../../array.js"
import { isComplex } from "../../dtype.js"
import { ValueError } from "../../errors.js"
import { fft as laxFft, type FftType } from "../../lax/fft.js"
import { checkOneOf, checkOptions, optionKeys } from "../../options.js"
import { conj as laxConj } from "../../primitives/complex.js"
import { slice } from "../../primitives/shape-ops.js"
import { normalizeAxis } from "../../shape.js"
import { type ArrayLike, asArray } from "../coerce.js"
import { moveaxis, pad } from "../shape.js"

/** jnp.conj: the conjugate of a complex array, a real one as it is. */
const conj = (x: Array): Array => (isComplex(x.dtype) ? laxConj(x) : x)

export type FftNorm = "backward" | "ortho" | "forward"
const NORMS: ReadonlyArray<FftNorm> = ["backward", "ortho", "forward"]

export interface FftOptions {
  /** The length of the transformed axis: the input is cropped or zero-padded to it (default: its length). */
  readonly n?: number | null | undefined
  /** The axis to transform (default -1). */
  readonly axis?: number | undefined
  /** Which direction is scaled: "backward" (default: the inverse divides by n), "ortho" (both by sqrt n), "forward". */
  readonly norm?: FftNorm | null | undefined
}
export interface FftnOptions {
  /** The lengths of the transformed axes (default: their lengths). */
  readonly s?: ReadonlyArray<number> | null | undefined
  /** The axes to transform (default: the last len(s) axes, or all of them). */
  readonly axes?: ReadonlyArray<number> | null | undefined
  readonly norm?: FftNorm | null | undefined
}
const FFT_KEYS = optionKeys<FftOptions>()("n", "axis", "norm")
const FFTN_KEYS = optionKeys<FftnOptions>()("s", "axes", "norm")

/** The scale factor of a norm convention for the transform of total length `size` (JAX's _fft_norm, in float32 like its complex64 scale). */
const normScale = (norm: FftNorm, size: number, inverse: boolean, f64: boolean): number => {
  const r = f64 ? (v: number) => v : Math.fround
  if (norm === "backward") return 1
  const p = r(size)
  if (norm === "ortho") return inverse ? r(Math.sqrt(p)) : r(1 / r(Math.sqrt(p)))
  return inverse ? p : r(1 / p)
}

const core = (
  name: string,
  type: FftType,
  a: ArrayLike,
  s: ReadonlyArray<number> | null | undefined,
  axesIn: ReadonlyArray<number> | null | undefined,
  norm: FftNorm | null | undefined
): Array => {
  const full = `np.fft.${name}`
  let arr = asArray(a)
  checkOneOf(full, "norm", norm ?? undefined, NORMS)
  if (s !== null && s !== undefined) {
    for (const d of s) if (!Number.isInteger(d) || d <= 0) throw new ValueError(`${full}: every length in s must be a positive integer, got [${s.join(", ")}].`)
    if (axesIn !== null && axesIn !== undefined && s.length !== axesIn.length) {
      throw new ValueError(`${full}: s has ${s.length} lengths but axes has ${axesIn.length} axes; give one length per axis.`)
    }
  }
  const given = axesIn !== null && axesIn !== undefined
  const rank = arr.ndim
  let axes = given
    ? axesIn.map((d) => normalizeAxis(d, rank, `${full} axes`))
    : globalThis.Array.from({ length: s == null ? rank : s.length }, (_, i) => rank - (s == null ? rank : s.length) + i)
  if (axes.length > rank) throw new ValueError(`${full}: ${axes.length} lengths in s for an array of rank ${rank}.`)
  if (new Set(axes).size !== axes.length) throw new ValueError(`${full} does not support repeated axes, got axes [${axesIn!.join(", ")}].`)
  const orig = axes
  if (given) {
    axes = axes.map((_, i) => rank - axes.length + i)
    arr = moveaxis(arr, orig, axes)
  }
  let lengths: number[]
  if (s !== null && s !== undefined) {
    const inS = [...arr.shape]
    axes.forEach((ax, i) => (inS[ax] = s[i]!))
    if (type === "IRFFT" && inS.length > 0) inS[inS.length - 1] = Math.floor(inS[inS.length - 1]! / 2) + 1
    arr = slice(
      arr,
      arr.shape.map(() => 0),
      arr.shape.map((d, i) => Math.min(d, inS[i]!))
    )
    if (arr.shape.some((d, i) => d < inS[i]!))
      arr = pad(
        arr,
        arr.shape.map((d, i) => [0, inS[i]! - d] as [number, number])
      )
    lengths = [...s]
  } else if (type === "IRFFT") {
    lengths = axes.slice(0, -1).map((ax) => arr.shape[ax]!)
    if (axes.length > 0) lengths.push(Math.max(0, 2 * (arr.shape[axes[axes.length - 1]!]! - 1)))
  } else lengths = axes.map((ax) => arr.shape[ax]!)
  let out = laxFft(arr, type, lengths)
  if (norm !== null && norm !== undefined && norm !== "backward") {
    const size = lengths.reduce((x, y) => x * y, 1)
    const f64 = out.dtype === "complex128" || out.dtype === "float64"
    out = out.mul(normScale(norm, size, name.startsWith("i"), f64))
  }
  return given ? moveaxis(out, axes, orig) : out
}

const oneD = (name: string, type: FftType, a: ArrayLike, options: FftOptions | undefined): Array => {
  checkOptions(`np.fft.${name}`, options, FFT_KEYS)
  const axis = options?.axis ?? -1
  if (typeof axis !== "number") throw new ValueError(`np.fft.${name} takes one axis (got ${String(axis)}); use np.fft.${name}n for several.`)
  const n = options?.n ?? null
  return core(name, type, a, n === null ? null : [n], [axis], options?.norm)
}
const nD = (name: string, type: FftType, a: ArrayLike, options: FftnOptions | undefined, twoD: boolean): Array => {
  checkOptions(`np.fft.${name}`, options, FFTN_KEYS)
  const axes = options?.axes ?? (twoD ? [-2, -1] : null)
  if (twoD && axes!.length !== 2) throw new ValueError(`np.fft.${name} only supports 2 axes, got axes [${axes!.join(", ")}]; use np.fft.${name.slice(0, -1)}n.`)
  return core(name, type, a, options?.s, axes, options?.norm)
}

/**
 * `jnp.fft.fft(a, n=None, axis=-1, norm=None)`: the one-dimensional discrete Fourier transform.
 *
 * @example
 * np.fft.fft(np.array([1, 2, 3, 4]))  // Array([10+0j, -2+2j, -2+0j, -2-2j], dtype=complex64)
 */
export const fft = (a: ArrayLike, options?: FftOptions): Array => oneD("fft", "FFT", a, options)
/**
 * `jnp.fft.ifft`: the one-dimensional inverse transform (divided by n with the default norm).
 *
 * @example
 * np.fft.ifft(np.fft.fft(np.array([1, 2, 3])))  // Array([1+0j, 2+0j, 3+0j], dtype=complex64)
 */
export const ifft = (a: ArrayLike, options?: FftOptions): Array => oneD("ifft", "IFFT", a, options)
/**
 * `jnp.fft.rfft`: the transform of a real input, its n/2 + 1 non-negative frequencies.
 *
 * @example
 * np.fft.rfft(np.array([1, 2, 3, 4]))  // Array([10+0j, -2+2j, -2+0j], dtype=complex64)
 */
export const rfft = (a: ArrayLike, options?: FftOptions): Array => oneD("rfft", "RFFT", a, options)
/**
 * `jnp.fft.irfft`: the real inverse of rfft; the output length defaults to 2 (m - 1) for m inputs.
 *
 * @example
 * np.fft.irfft(np.fft.rfft(np.array([1, 2, 3, 4])))  // Array([1, 2, 3, 4], dtype=float32)
 */
export const irfft = (a: ArrayLike, options?: FftOptions): Array => oneD("irfft", "IRFFT", a, options)
/**
 * `jnp.fft.hfft`: the transform of a Hermitian-symmetric signal given by its first half (a real spectrum).
 *
 * @example
 * np.fft.hfft(np.array([1, 2, 3]))  // Array([8, -2, 0, -2], dtype=float32)
 */
export const hfft = (a: ArrayLike, options?: FftOptions): Array => {
  checkOptions("np.fft.hfft", options, FFT_KEYS)
  const x = asArray(a)
  const axis = options?.axis ?? -1
  const nn = options?.n ?? (x.shape[normalizeAxis(axis, x.ndim, "np.fft.hfft axis")]! - 1) * 2
  return oneD("hfft", "IRFFT", conj(x), options).mul(nn)
}
/**
 * `jnp.fft.ihfft`: the inverse of hfft (the conjugate of rfft divided by n).
 *
 * @example
 * np.fft.ihfft(np.array([8, -2, 0, -2]))  // Array([1-0j, 2-0j, 3-0j], dtype=complex64)
 */
export const ihfft = (a: ArrayLike, options?: FftOptions): Array => {
  checkOptions("np.fft.ihfft", options, FFT_KEYS)
  const x = asArray(a)
  const axis = options?.axis ?? -1
  const nn = options?.n ?? x.shape[normalizeAxis(axis, x.ndim, "np.fft.ihfft axis")]!
  return conj(oneD("ihfft", "RFFT", x, options)).mul(1 / nn)
}
/**
 * `jnp.fft.fft2(a, s=None, axes=(-2, -1), norm=None)`: the two-dimensional transform.
 *
 * @example
 * np.fft.fft2(np.ones([2, 2]))  // Array([[4+0j, 0j], [0j, 0j]], dtype=complex64)
 */
export const fft2 = (a: ArrayLike, options?: FftnOptions): Array => nD("fft2", "FFT", a, options, true)
/** `jnp.fft.ifft2`: the two-dimensional inverse transform. @example np.fft.ifft2(np.fft.fft2(x)) // x as complex64 */
export const ifft2 = (a: ArrayLike, options?: FftnOptions): Array => nD("ifft2", "IFFT", a, options, true)
/** `jnp.fft.rfft2`: the two-dimensional transform of a real input. @example np.fft.rfft2(np.ones([2, 4])).shape // [2, 3] */
export const rfft2 = (a: ArrayLike, options?: FftnOptions): Array => nD("rfft2", "RFFT", a, options, true)
/** `jnp.fft.irfft2`: the real inverse of rfft2. @example np.fft.irfft2(np.fft.rfft2(x)) // x */
export const irfft2 = (a: ArrayLike, options?: FftnOptions): Array => nD("irfft2", "IRFFT", a, options, true)
/** `jnp.fft.fftn(a, s=None, axes=None, norm=None)`: the transform over several (default all) axes. @example np.fft.fftn(np.ones([2, 2, 2])) */
export const fftn = (a: ArrayLike, options?: FftnOptions): Array => nD("fftn", "FFT", a, options, false)
/** `jnp.fft.ifftn`: the inverse of fftn. @example np.fft.ifftn(np.fft.fftn(x)) // x as complex */
export const ifftn = (a: ArrayLike, options?: FftnOptions): Array => nD("ifftn", "IFFT", a, options, false)
/** `jnp.fft.rfftn`: fftn of a real input, the last axis halved. @example np.fft.rfftn(np.ones([2, 4])).shape // [2, 3] */
export const rfftn = (a: ArrayLike, options?: FftnOptions): Array => nD("rfftn", "RFFT", a, options, false)
/** `jnp.fft.irfftn`: the real inverse of rfftn. @example np.fft.irfftn(np.fft.rfftn(x)) // x */
export const irfftn = (a: ArrayLike, options?: FftnOptions): Array => nD("irfftn", "IRFFT", a, options, false)
