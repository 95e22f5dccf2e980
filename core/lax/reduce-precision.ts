/**
 * `lax.reduce_precision`: round a float32 array to a narrower float format (fewer exponent and
 * mantissa bits) and back, with XLA's bit-level algorithm: round the mantissa to nearest even,
 * then flush exponents out of the narrower range to signed zero or infinity. The gradient
 * rounds the cotangent the same way, as JAX's rule does (reverse mode only).
 */
import type { Array } from "../array.js"
import { DTypeError, ValueError } from "../errors.js"
import { bitcastConvertType, shiftRightLogical } from "../primitives/bits.js"
import { constant } from "../primitives/common.js"
import { add, and, gt, le, ne, or, select } from "../primitives/elementwise.js"
import { customVjp } from "../transforms/custom.js"

const u = (v: number): Array => constant(v >>> 0, "uint32", [], true)

const roundBits = (x: Array, exponentBits: number, mantissaBits: number): Array => {
  let bits = bitcastConvertType(x, "uint32")
  if (mantissaBits < 23) {
    const lastBit = 2 ** (23 - mantissaBits)
    const bias = lastBit / 2 - 1
    const xLast = shiftRightLogical(and(bits, u(lastBit)), u(23 - mantissaBits))
    bits = and(add(bits, add(xLast, u(bias))), u(~(lastBit - 1)))
  }
  if (exponentBits < 8) {
    const expMask = 0xff << 23
    const reducedBias = 2 ** (exponentBits - 1) - 1
    const exponent = and(bits, u(expMask))
    const overflows = gt(exponent, u((127 + reducedBias) * 2 ** 23))
    const underflows = le(exponent, u((127 - reducedBias) * 2 ** 23))
    const signedZero = and(bits, u(0x80000000))
    const signedInf = or(signedZero, u(expMask))
    bits = select(overflows, signedInf, select(underflows, signedZero, bits))
  }
  const out = bitcastConvertType(bits, "float32")
  // NaN stays NaN.
  return select(ne(x, x), x, out)
}

const cache = new Map<string, (x: Array) => Array>()
const rounder = (exponentBits: number, mantissaBits: number): ((x: Array) => Array) => {
  const key = `${exponentBits},${mantissaBits}`
  let f = cache.get(key)
  if (f === undefined) {
    // JAX's rule is linear: the cotangent is rounded the same way (reverse mode; forward mode
    // of a custom vjp is refused, as JAX refuses it for custom_vjp functions).
    const g = customVjp((x: Array): Array => roundBits(x, exponentBits, mantissaBits), { name: "reduce_precision" })
    g.defvjp(
      (x: Array) => [g(x), null] as const,
      (_r: null, ct: Array) => [roundBits(ct, exponentBits, mantissaBits)] as const
    )
    f = g
    cache.set(key, f)
  }
  return f
}

/**
 * `lax.reduce_precision(operand, exponent_bits, mantissa_bits)`: float32 values rounded to a
 * format with the given exponent and mantissa widths (bfloat16 is 8 and 7, float16 5 and 10),
 * still stored as float32.
 *
 * @example
 * lax.reducePrecision(np.array([1.00390625], { dtype: "float32" }), 8, 7) // [1] (bfloat16 rounding)
 */
export const reducePrecision = (operand: Array, exponentBits: number, mantissaBits: number): Array => {
  if (operand.dtype !== "float32") {
    throw new DTypeError(`lax.reducePrecision takes float32 operands here (float64 needs 64-bit integers, which jaxfx does not offer), got ${operand.dtype}.`)
  }
  if (!Number.isInteger(exponentBits) || exponentBits < 1 || exponentBits > 8)
    throw new ValueError(`lax.reducePrecision: exponentBits must be an integer in [1, 8] for float32, got ${exponentBits}.`)
  if (!Number.isInteger(mantissaBits) || mantissaBits < 0 || mantissaBits > 23)
    throw new ValueError(`lax.reducePrecision: mantissaBits must be an integer in [0, 23] for float32, got ${mantissaBits}.`)
  return rounder(exponentBits, mantissaBits)(operand)
}
