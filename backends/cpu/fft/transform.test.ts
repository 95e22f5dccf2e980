import { describe, expect, it } from "vitest"
import { fftBuffer, type FftType } from "./transform.js"
import { factorize, planFor, smoothAtLeast } from "./plan.js"

/** A float64 direct DFT over the last axis of lines of length n (reference). */
const dft = (x: Float64Array, n: number, dir: number): Float64Array => {
  const lines = x.length / (2 * n)
  const out = new Float64Array(x.length)
  for (let l = 0; l < lines; l++) {
    for (let k = 0; k < n; k++) {
      let sr = 0
      let si = 0
      for (let j = 0; j < n; j++) {
        const a = (2 * Math.PI * ((j * k) % n)) / n
        const c = Math.cos(a),
          s = dir * Math.sin(a)
        const xr = x[2 * (l * n + j)]!,
          xi = x[2 * (l * n + j) + 1]!
        sr += xr * c - xi * s
        si += xr * s + xi * c
      }
      out[2 * (l * n + k)] = sr
      out[2 * (l * n + k) + 1] = si
    }
  }
  return out
}

let seed = 7
const rand = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648 - 0.5
}
const randoms = (len: number): Float64Array => Float64Array.from({ length: len }, rand)

const maxRelErr = (got: ArrayLike<number>, want: ArrayLike<number>): number => {
  let err = 0
  let norm = 0
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i]! - want[i]!))
    norm = Math.max(norm, Math.abs(want[i]!))
  }
  expect(got.length).toBe(want.length)
  return err / Math.max(norm, 1e-300)
}

const lengths = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 25, 30, 31, 37, 49, 60, 64, 97, 100, 121, 128, 210, 243, 256, 360, 1009]

describe("complex FFT on interleaved buffers", () => {
  it.each(lengths)("n=%i forward and inverse match a float64 DFT (float64 and float32)", (n) => {
    const x = randoms(2 * n * 2)
    for (const [type, dir] of [
      ["FFT", -1],
      ["IFFT", 1]
    ] as const) {
      const want = dft(x, n, dir).map((v) => (dir === 1 ? v / n : v))
      expect(maxRelErr(fftBuffer(x, [2, n], type, [n]), want)).toBeLessThan(1e-13)
      expect(maxRelErr(fftBuffer(Float32Array.from(x), [2, n], type, [n]), want)).toBeLessThan(5e-6)
    }
  })
  it("uses Bluestein for large prime factors and 5-smooth padding", () => {
    expect(factorize(1009)).toBeUndefined()
    expect(factorize(31 * 8)).toEqual([4, 2, 31])
    expect(smoothAtLeast(2017)).toBe(2025)
    expect(planFor(1009).kind).toBe("bluestein")
    expect(planFor(1000).kind).toBe("stockham")
  })
  it("transforms over two trailing axes (FFT then inverse round trip)", () => {
    const x = randoms(2 * 3 * 5 * 6)
    const y = fftBuffer(x, [3, 5, 6], "FFT", [5, 6])
    // reference: 1-D DFT along the last axis, then along the middle one
    const rows = dft(x, 6, -1)
    const want = new Float64Array(rows.length)
    for (let b = 0; b < 3; b++) {
      for (let c = 0; c < 6; c++) {
        const col = new Float64Array(10)
        for (let r = 0; r < 5; r++) col.set(rows.subarray(2 * ((b * 5 + r) * 6 + c), 2 * ((b * 5 + r) * 6 + c) + 2), 2 * r)
        const t = dft(col, 5, -1)
        for (let r = 0; r < 5; r++) want.set(t.subarray(2 * r, 2 * r + 2), 2 * ((b * 5 + r) * 6 + c))
      }
    }
    expect(maxRelErr(y, want)).toBeLessThan(1e-13)
    expect(maxRelErr(fftBuffer(y, [3, 5, 6], "IFFT", [5, 6]), x)).toBeLessThan(1e-13)
  })
})

describe("real FFT on interleaved buffers", () => {
  it.each([1, 2, 3, 4, 5, 8, 9, 10, 14, 31, 64, 74, 101, 1018])("n=%i rfft matches the DFT's first n/2+1 and irfft inverts it", (n) => {
    const re = randoms(3 * n)
    const cx = new Float64Array(6 * n)
    re.forEach((v, i) => (cx[2 * i] = v))
    const full = dft(cx, n, -1)
    const h = Math.floor(n / 2) + 1
    const want = new Float64Array(3 * 2 * h)
    for (let l = 0; l < 3; l++) want.set(full.subarray(2 * l * n, 2 * (l * n + h)), 2 * l * h)
    const got = fftBuffer(re, [3, n], "RFFT", [n])
    expect(maxRelErr(got, want)).toBeLessThan(1e-13)
    expect(maxRelErr(fftBuffer(Float32Array.from(re), [3, n], "RFFT", [n]), want)).toBeLessThan(5e-6)
    expect(maxRelErr(fftBuffer(got, [3, h], "IRFFT", [n]), re)).toBeLessThan(1e-13)
  })
  it("irfft ignores the imaginary parts of the zero and Nyquist frequencies", () => {
    const a = fftBuffer(Float64Array.from([1, 5, 2, 0, 3, -7]), [3], "IRFFT", [4])
    expect(Array.from(a)).toEqual([2, -0.5, 0, -0.5]) // numpy.fft.irfft([1+1j, 2, 3+1j])
  })
  it("rfft over two axes equals the complex FFT's first columns", () => {
    const re = randoms(4 * 6)
    const cx = new Float64Array(48)
    re.forEach((v, i) => (cx[2 * i] = v))
    const full = fftBuffer(cx, [4, 6], "FFT", [4, 6])
    const got = fftBuffer(re, [4, 6], "RFFT", [4, 6])
    const want = new Float64Array(4 * 4 * 2)
    for (let r = 0; r < 4; r++) want.set(full.subarray(2 * r * 6, 2 * (r * 6 + 4)), 2 * r * 4)
    expect(maxRelErr(got, want)).toBeLessThan(1e-13)
    expect(maxRelErr(fftBuffer(got, [4, 4], "IRFFT", [4, 6]), re)).toBeLessThan(1e-13)
  })
})

describe("float32 accuracy at larger lengths", () => {
  // float64 transforms (checked against the DFT above) are the reference; the float32 error
  // should grow like log n, as for XLA's ducc FFT (about 1e-6 relative to the largest value).
  it.each([2 ** 14, 3 ** 9, 16411, 2 * 8209])("n=%i", (n) => {
    const x = randoms(2 * n)
    const want = fftBuffer(x, [n], "FFT", [n])
    expect(maxRelErr(fftBuffer(Float32Array.from(x), [n], "FFT", [n]), want)).toBeLessThan(3e-6)
    const re = randoms(n)
    expect(maxRelErr(fftBuffer(Float32Array.from(re), [n], "RFFT", [n]), fftBuffer(re, [n], "RFFT", [n]))).toBeLessThan(3e-6)
  })
})
