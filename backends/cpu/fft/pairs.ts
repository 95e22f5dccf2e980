/**
 * How the CPU runs lax.fft. The CPU computes complex programs as real ones (./complex.ts rewrites
 * every complex value into its two parts), so the fft equation becomes `fft_pairs`, a real
 * primitive over interleaved parts: a complex operand of shape S travels as a real [...S, 2]
 * array (the parts stacked on a new last axis, which is exactly the interleaved layout of a
 * complex buffer), and the routine (./transform.ts) works on those buffers directly.
 */
import type { Array } from "../../../core/array.js"
import { ShapedArray } from "../../../core/array.js"
import { DTypeError, ShapeError } from "../../../core/errors.js"
import type { Eqn } from "../../../core/ir.js"
import { definePrimitive } from "../../../core/primitive.js"
import type { FftParams } from "../../../core/primitives/fft.js"
import { FFT_TYPES } from "../../../core/primitives/fft.js"
import { leadingBatch } from "../../../core/primitives/linalg/common.js"
import { broadcastInDim, reshape } from "../../../core/primitives/layout.js"
import { concatenate, slice } from "../../../core/primitives/shape-ops.js"
import { showShape } from "../../../core/shape.js"
import { bind1 } from "../../../core/trace.js"
import { bufferOf, inputAt, type Kernel } from "../kernel.js"
import type { Floats } from "../linalg/common.js"
import { fftBuffer } from "./transform.js"

const same = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean => a.length === b.length && a.every((d, i) => d === b[i])

/** The complex (logical) shape of the operand, checked against the params. */
const logicalShape = (x: ShapedArray, { fftType, fftLengths }: FftParams): number[] => {
  if (!FFT_TYPES.includes(fftType) || !globalThis.Array.isArray(fftLengths) || fftLengths.length === 0) {
    throw new ShapeError(`fft_pairs: bad params ${JSON.stringify({ fftType, fftLengths })}`)
  }
  const pairs = fftType !== "RFFT"
  if (pairs && x.shape[x.ndim - 1] !== 2) throw new ShapeError(`fft_pairs: a ${fftType} operand needs a last axis of 2 (re, im), got ${showShape(x.shape)}.`)
  const s = pairs ? x.shape.slice(0, -1) : [...x.shape]
  const k = fftLengths.length
  const n = fftLengths[k - 1]!
  const want = fftType === "IRFFT" ? [...fftLengths.slice(0, -1), Math.floor(n / 2) + 1] : fftLengths
  if (k > s.length || !same(s.slice(s.length - k), want))
    throw new ShapeError(`fft_pairs: operand ${showShape(x.shape)} does not fit fftLengths [${fftLengths.join(", ")}].`)
  return s
}

export const fftPairsP = definePrimitive<FftParams>("fft_pairs", ([x], params) => {
  if (x === undefined) throw new ShapeError("fft_pairs needs an operand")
  if (x.dtype !== "float32" && x.dtype !== "float64") throw new DTypeError(`fft_pairs takes float32 or float64 parts, got ${x.dtype}.`)
  const s = logicalShape(x, params)
  const { fftType, fftLengths } = params
  const k = fftLengths.length
  const batch = s.slice(0, s.length - k)
  const n = fftLengths[k - 1]!
  if (fftType === "IRFFT") return [new ShapedArray([...batch, ...fftLengths], x.dtype)]
  if (fftType === "RFFT") return [new ShapedArray([...batch, ...fftLengths.slice(0, -1), Math.floor(n / 2) + 1, 2], x.dtype)]
  return [new ShapedArray(x.shape, x.dtype)]
})
fftPairsP.batch = leadingBatch(fftPairsP)

/** The CPU routine of fft_pairs. */
export const fftPairsKernel: Kernel = (inputs, params) => {
  const x = inputAt(inputs, 0)
  const p = params as unknown as FftParams
  return [fftBuffer(bufferOf(x) as Floats, logicalShape(x.aval, p), p.fftType, p.fftLengths)]
}

interface Pair {
  readonly re: Array
  readonly im: Array
}

const interleave = (z: Pair, shape: ReadonlyArray<number>): Array => {
  const part = (a: Array) => reshape(a.ndim === shape.length ? a : broadcastInDim(a, shape, []), [...shape, 1])
  return concatenate([part(z.re), part(z.im)], shape.length)
}

const split = (y: Array): Pair => {
  const s = y.shape.slice(0, -1)
  const zeros = s.map(() => 0)
  return { re: reshape(slice(y, [...zeros, 0], [...s, 1]), s), im: reshape(slice(y, [...zeros, 1], [...s, 2]), s) }
}

/** The complex rewrite of an fft equation (./complex.ts): complex values as {re, im} pairs. */
export const rewriteFft = (e: Eqn, ins: ReadonlyArray<Array | Pair>): ReadonlyArray<Array | Pair> => {
  const p = e.params as unknown as FftParams
  const x = ins[0]!
  const operand = p.fftType === "RFFT" ? (x as Array) : interleave(x as Pair, e.inputs[0]!.aval.shape)
  const y = bind1(fftPairsP, [operand], { fftType: p.fftType, fftLengths: p.fftLengths })
  return [p.fftType === "IRFFT" ? y : split(y)]
}
