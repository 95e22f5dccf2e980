/**
 * float16 and bfloat16 as exact 16-bit words: conversions from numbers rounded to nearest, ties to
 * even (NaN stays NaN, what overflows becomes infinity, subnormals are kept), and back.
 *
 * float16: 1 sign, 5 exponent, 10 mantissa bits (IEEE binary16). bfloat16: the top half of a
 * float32 (1 sign, 8 exponent, 7 mantissa bits).
 */

const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

/** Round half to even (for values that are exact doubles, as here). */
const roundEven = (v: number): number => {
  const f = Math.floor(v)
  const d = v - f
  return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1
}

/**
 * The float16 word nearest to a float32 value (any float32, as arithmetic in float32 produces).
 *
 * @example
 * float16FromFloat32(1)      // 0x3c00
 * float16FromFloat32(65520)  // 0x7c00 (rounds up to infinity)
 */
export const float16FromFloat32 = (x: number): number => {
  f32[0] = x
  const u = u32[0]!
  const sign = (u >>> 16) & 0x8000
  const exp = (u >>> 23) & 0xff
  const mant = u & 0x7fffff
  if (exp === 255) return sign | (mant !== 0 ? 0x7e00 : 0x7c00)
  const e = exp - 112 // exp - 127 + 15
  if (e >= 31) return sign | 0x7c00
  if (e <= 0) {
    if (e < -10) return sign
    const m = mant | 0x800000
    const shift = 14 - e
    let h = m >>> shift
    const rem = m & ((1 << shift) - 1)
    const halfway = 1 << (shift - 1)
    if (rem > halfway || (rem === halfway && (h & 1) === 1)) h++
    return sign | h
  }
  let h = (e << 10) | (mant >>> 13)
  const rem = mant & 0x1fff
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1) === 1)) h++
  return sign | h
}

/**
 * The float16 word nearest to a double (one rounding, as NumPy converts a Python float).
 *
 * @example
 * float16FromNumber(0.1) // 0x2e66
 */
export const float16FromNumber = (x: number): number => {
  if (Number.isNaN(x)) return 0x7e00
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0
  const a = Math.abs(x)
  if (a >= 65520) return sign | 0x7c00
  if (a < 2 ** -14) return sign | roundEven(a * 2 ** 24)
  let e = Math.floor(Math.log2(a))
  if (2 ** e > a) e--
  else if (2 ** (e + 1) <= a) e++
  const q = roundEven((a / 2 ** e - 1) * 1024)
  return sign | (((e + 15) << 10) + q)
}

let f16Table: Float32Array | undefined

/**
 * The value of a float16 word.
 *
 * @example
 * float16ToNumber(0x3c00) // 1
 */
export const float16ToNumber = (h: number): number => {
  if (f16Table === undefined) {
    f16Table = new Float32Array(65536)
    for (let i = 0; i < 65536; i++) {
      const s = i & 0x8000 ? -1 : 1
      const e = (i >>> 10) & 0x1f
      const m = i & 0x3ff
      f16Table[i] = e === 31 ? (m !== 0 ? NaN : s * Infinity) : e === 0 ? s * m * 2 ** -24 : s * (1 + m / 1024) * 2 ** (e - 15)
    }
  }
  return f16Table[h & 0xffff]!
}

/**
 * The bfloat16 word nearest to a float32 value.
 *
 * @example
 * bfloat16FromFloat32(1) // 0x3f80
 */
export const bfloat16FromFloat32 = (x: number): number => {
  f32[0] = x
  const u = u32[0]!
  if ((u & 0x7f800000) === 0x7f800000 && (u & 0x7fffff) !== 0) return ((u >>> 16) & 0x8000) | 0x7fc0
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff
}

/**
 * The bfloat16 word for a double: rounded to float32 first, then to bfloat16, as ml_dtypes (JAX's
 * bfloat16 for NumPy) converts a Python float.
 *
 * @example
 * bfloat16FromNumber(0.1) // 0x3dcd
 */
export const bfloat16FromNumber = (x: number): number => bfloat16FromFloat32(Math.fround(x))

/**
 * The value of a bfloat16 word.
 *
 * @example
 * bfloat16ToNumber(0x3f80) // 1
 */
export const bfloat16ToNumber = (h: number): number => {
  u32[0] = (h & 0xffff) << 16
  return f32[0]!
}
