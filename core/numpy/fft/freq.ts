/**
 * The helpers of `np.fft` that need no transform: the sample frequencies of a transform
 * (`fftfreq`, `rfftfreq`) and the shifts that center the zero frequency (`fftshift`,
 * `ifftshift`). As in JAX, frequencies are k / (d n) computed in the result's float dtype.
 */
import type { Array } from "../../array.js"
import { type DType, isFloat } from "../../dtype.js"
import { ValueError } from "../../errors.js"
import { checkOptions, optionKeys } from "../../options.js"
import { normalizeAxis } from "../../shape.js"
import { roll } from "../arrange.js"
import { astype } from "../astype.js"
import { type ArrayLike, asArray } from "../coerce.js"
import { array } from "../creation.js"

export interface FftFreqOptions {
  /** The dtype of the result (default float32); integer dtypes truncate the float frequencies. */
  readonly dtype?: DType | undefined
}
const FREQ_KEYS = optionKeys<FftFreqOptions>()("dtype")

const checkFreqArgs = (what: string, n: number, d: number): void => {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`np.fft.${what}: n must be a non-negative integer (the window length), got ${String(n)}.`)
  if (typeof d !== "number") throw new ValueError(`np.fft.${what}: d must be a single number (the sample spacing), got ${String(d)}.`)
}

/** k[i] / (d n) in the float dtype of `dtype`, then cast to `dtype`, as JAX computes it. */
const frequencies = (what: string, k: ReadonlyArray<number>, n: number, d: number, options: FftFreqOptions | undefined): Array => {
  checkOptions(`np.fft.${what}`, options, FREQ_KEYS)
  const dtype = options?.dtype ?? "float32"
  const work: DType = isFloat(dtype) ? dtype : "float32"
  const den = array(d * n, { dtype: work })
  return astype(array(k, { dtype: work }).div(den), dtype)
}

/**
 * `jnp.fft.fftfreq(n, d=1.0)`: the frequencies of an n-point transform with sample spacing d,
 * in FFT order: [0, 1, ..., ceil(n/2) - 1, -floor(n/2), ..., -1] / (d n).
 *
 * @example
 * np.fft.fftfreq(4)        // Array([0, 0.25, -0.5, -0.25], dtype=float32)
 * np.fft.fftfreq(5, 0.1)   // Array([0, 2, 4, -4, -2], dtype=float32)
 */
export const fftfreq = (n: number, d = 1, options?: FftFreqOptions): Array => {
  checkFreqArgs("fftfreq", n, d)
  const h = Math.floor(n / 2)
  const k = globalThis.Array.from({ length: n }, (_, i) => ((i + h) % n) - h)
  return frequencies("fftfreq", k, n, d, options)
}

/**
 * `jnp.fft.rfftfreq(n, d=1.0)`: the n/2 + 1 non-negative frequencies of an n-point real
 * transform (`rfft`) with sample spacing d.
 *
 * @example
 * np.fft.rfftfreq(4)       // Array([0, 0.25, 0.5], dtype=float32)
 * np.fft.rfftfreq(5, 2)    // Array([0, 0.1, 0.2], dtype=float32)
 */
export const rfftfreq = (n: number, d = 1, options?: FftFreqOptions): Array => {
  checkFreqArgs("rfftfreq", n, d)
  const k = globalThis.Array.from({ length: Math.floor(n / 2) + 1 }, (_, i) => i)
  return frequencies("rfftfreq", k, n, d, options)
}

export interface FftShiftOptions {
  /** The axes to shift (default null: all of them). */
  readonly axes?: number | ReadonlyArray<number> | null | undefined
}
const SHIFT_KEYS = optionKeys<FftShiftOptions>()("axes")

const shift = (what: string, x: ArrayLike, options: FftShiftOptions | undefined, sign: number): Array => {
  checkOptions(`np.fft.${what}`, options, SHIFT_KEYS)
  const a = asArray(x)
  const given = options?.axes ?? null
  const axes = given === null ? a.shape.map((_, i) => i) : typeof given === "number" ? [given] : [...given]
  if (axes.length === 0) return a
  const norm = axes.map((ax) => normalizeAxis(ax, a.ndim, `np.fft.${what} axes`))
  return roll(
    a,
    norm.map((ax) => sign * Math.floor(a.shape[ax]! / 2)),
    { axis: norm }
  )
}

/**
 * `jnp.fft.fftshift(x, axes=None)`: move the zero frequency to the center (roll each axis by
 * half its length).
 *
 * @example
 * np.fft.fftshift(np.fft.fftfreq(5))  // Array([-0.4, -0.2, 0, 0.2, 0.4], dtype=float32)
 */
export const fftshift = (x: ArrayLike, options?: FftShiftOptions): Array => shift("fftshift", x, options, 1)

/**
 * `jnp.fft.ifftshift(x, axes=None)`: the inverse of `fftshift` (they differ for odd lengths).
 *
 * @example
 * np.fft.ifftshift(np.fft.fftshift(np.arange(5)))  // Array([0, 1, 2, 3, 4], dtype=int32)
 */
export const ifftshift = (x: ArrayLike, options?: FftShiftOptions): Array => shift("ifftshift", x, options, -1)
