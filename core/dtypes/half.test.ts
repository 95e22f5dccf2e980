import { describe, expect, it } from "vitest"
import { bfloat16FromFloat32, bfloat16FromNumber, bfloat16ToNumber, float16FromFloat32, float16FromNumber, float16ToNumber } from "./half.js"

// Independent reference: round to nearest even by exact float64 arithmetic over the finite
// float16 values (every float16 is a double; a tie is decided by the even word).
const f16Values = Array.from({ length: 0x7c00 }, (_, w) => float16ToNumber(w))
const nearestF16 = (x: number): number => {
  const a = Math.abs(x)
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0
  if (a >= 65520) return sign | 0x7c00
  let lo = 0
  let hi = 0x7bff
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (f16Values[mid]! <= a) lo = mid
    else hi = mid - 1
  }
  if (f16Values[lo] === a || lo === 0x7bff) return sign | lo
  const dl = a - f16Values[lo]!
  const du = f16Values[lo + 1]! - a
  return sign | (dl < du ? lo : du < dl ? lo + 1 : lo % 2 === 0 ? lo : lo + 1)
}

describe("float16 words", () => {
  it("every word decodes and encodes back to itself (NaNs to the quiet NaN)", () => {
    const bad: number[] = []
    for (let w = 0; w < 65536; w++) {
      const v = float16ToNumber(w)
      // A NaN's sign is not observable in JS: any NaN encodes as the quiet NaN.
      if (Number.isNaN(v)) {
        if ((float16FromFloat32(v) & 0x7fff) !== 0x7e00 || (float16FromNumber(v) & 0x7fff) !== 0x7e00) bad.push(w)
      } else if (float16FromFloat32(v) !== w || float16FromNumber(v) !== w) bad.push(w)
    }
    expect(bad).toEqual([])
  })
  it("midpoints and nearby float32 values round to nearest even, as exact arithmetic does", () => {
    const bad: number[] = []
    for (let w = 0; w < 0x7bff; w += 7) {
      const mid = (f16Values[w]! + f16Values[w + 1]!) / 2
      for (const x of [mid, Math.fround(mid * (1 + 2 ** -20)), Math.fround(mid * (1 - 2 ** -20)), -mid]) {
        if (float16FromFloat32(x) !== nearestF16(x) || float16FromNumber(x) !== nearestF16(x)) bad.push(x)
      }
    }
    expect(bad).toEqual([])
    expect(float16FromFloat32(65519.99)).toBe(0x7bff)
    expect(float16FromFloat32(65520)).toBe(0x7c00)
    expect(float16FromFloat32(2 ** -25)).toBe(0) // a tie between 0 and the smallest subnormal
    expect(float16FromFloat32(2 ** -25 * 1.5)).toBe(1) // 0.75 of the smallest subnormal rounds up to it
  })
})

describe("bfloat16 words", () => {
  it("every word decodes and encodes back to itself", () => {
    const bad: number[] = []
    for (let w = 0; w < 65536; w++) {
      const v = bfloat16ToNumber(w)
      if (!Number.isNaN(v) && bfloat16FromFloat32(v) !== w) bad.push(w)
    }
    expect(bad).toEqual([])
  })
  it("ties go to the even word; overflow to infinity; a double is rounded through float32 (as ml_dtypes)", () => {
    expect(bfloat16FromFloat32(1 + 2 ** -8)).toBe(0x3f80)
    expect(bfloat16FromFloat32(1 + 3 * 2 ** -8)).toBe(0x3f82)
    expect(bfloat16FromFloat32(3.4028234663852886e38)).toBe(0x7f80)
    expect(bfloat16FromNumber(1 + 2 ** -8 + 2 ** -30)).toBe(0x3f80)
    expect(Number.isNaN(bfloat16ToNumber(bfloat16FromFloat32(NaN)))).toBe(true)
  })
})
