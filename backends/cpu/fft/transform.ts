/**
 * lax.fft on interleaved buffers: the transform over the trailing `lengths.length` axes of a
 * row-major array, for each of the four FFT types. FFT and IFFT map complex to complex (IFFT
 * divides by the product of the lengths); RFFT maps reals to the non-negative frequencies of
 * the last axis (n/2 + 1 of them), then transforms the other axes; IRFFT inverts that. The
 * result has the input's element type (float32 work for complex64, float64 for complex128).
 */
import type { Floats } from "../linalg/common.js"
import { irfftLine, rfftLine } from "./real.js"
import { transformLine, Workspace } from "./line.js"

export type FftType = "FFT" | "IFFT" | "RFFT" | "IRFFT"

const like = (x: Floats, len: number): Floats => (x instanceof Float32Array ? new Float32Array(len) : new Float64Array(len))
const product = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a * b, 1)

/**
 * Transform complex axis `axis` of the complex array `x` of shape `shape` in place, scaling by
 * `scale`. Contiguous lines are transformed where they lie; strided ones through a line buffer.
 */
const complexAxis = (x: Floats, shape: ReadonlyArray<number>, axis: number, dir: number, scale: number, ws: Workspace): void => {
  const n = shape[axis]!
  const inner = product(shape.slice(axis + 1))
  const outer = product(shape.slice(0, axis))
  if (n <= 1 && scale === 1) return
  const line = inner === 1 ? undefined : like(x, 2 * n)
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i
      if (line === undefined) {
        const view = x.subarray(2 * base, 2 * (base + n))
        transformLine(view, n, dir, ws)
        if (scale !== 1) for (let k = 0; k < 2 * n; k++) view[k] = view[k]! * scale
        continue
      }
      for (let k = 0; k < n; k++) {
        const at = 2 * (base + k * inner)
        line[2 * k] = x[at]!
        line[2 * k + 1] = x[at + 1]!
      }
      transformLine(line, n, dir, ws)
      for (let k = 0; k < n; k++) {
        const at = 2 * (base + k * inner)
        x[at] = line[2 * k]! * scale
        x[at + 1] = line[2 * k + 1]! * scale
      }
    }
  }
}

/**
 * The FFT of `x` (interleaved complex, or reals for RFFT) of shape `shape` over its trailing
 * axes of lengths `lengths`. For IRFFT the input's last axis has lengths[-1] / 2 + 1 entries;
 * for the others the trailing axes equal `lengths`. Returns a new buffer.
 */
export const fftBuffer = (x: Floats, shape: ReadonlyArray<number>, type: FftType, lengths: ReadonlyArray<number>): Floats => {
  const ws = new Workspace()
  const r = shape.length
  const k = lengths.length
  const batchShape = shape.slice(0, r - k)
  if (type === "FFT" || type === "IFFT") {
    const out = like(x, x.length)
    out.set(x)
    if (product(shape) === 0) return out
    const dir = type === "FFT" ? -1 : 1
    for (let a = r - k; a < r; a++) complexAxis(out, shape, a, dir, dir === 1 ? 1 / shape[a]! : 1, ws)
    return out
  }
  const n = lengths[k - 1]!
  const h = Math.floor(n / 2) + 1
  const cShape = [...batchShape, ...lengths.slice(0, -1), h]
  const lines = product(cShape) / h
  if (type === "RFFT") {
    const out = like(x, 2 * product(cShape))
    if (lines === 0 || n === 0) return out
    const line = like(x, 2 * n)
    for (let l = 0; l < lines; l++) rfftLine(x, l * n, n, out, 2 * l * h, line, ws)
    for (let a = r - k; a < r - 1; a++) complexAxis(out, cShape, a, -1, 1, ws)
    return out
  }
  const outLen = lines * n
  const out = like(x, outLen)
  if (outLen === 0) return out
  const tmp = like(x, x.length)
  tmp.set(x)
  for (let a = r - k; a < r - 1; a++) complexAxis(tmp, cShape, a, 1, 1 / cShape[a]!, ws)
  const line = like(x, 2 * n)
  for (let l = 0; l < lines; l++) irfftLine(tmp, 2 * l * h, n, out, l * n, line, ws)
  const s = 1 / n
  for (let i = 0; i < outLen; i++) out[i] = out[i]! * s
  return out
}
