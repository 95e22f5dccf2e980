/**
 * lax's bit counting on 32-bit integers: `population_count` (set bits) and `clz` (leading zero
 * bits), by shifts and masks on the uint32 bits (int32 is bitcast), in the operand's dtype.
 */
import type { Array } from "../array.js"
import { DTypeError } from "../errors.js"
import { bitcastConvertType, shiftLeft, shiftRightLogical } from "../primitives/bits.js"
import { constant } from "../primitives/common.js"
import { add, and, eq, select, sub } from "../primitives/elementwise.js"

const u = (v: number): Array => constant(v >>> 0, "uint32", [], true)
const asBits = (what: string, x: Array): Array => {
  if (x.dtype !== "int32" && x.dtype !== "uint32") throw new DTypeError(`${what} takes int32 or uint32 operands, got ${x.dtype}.`)
  return bitcastConvertType(x, "uint32")
}
const back = (bits: Array, x: Array): Array => bitcastConvertType(bits, x.dtype)

/**
 * `lax.population_count(x)`: the number of set bits of each element (two's complement for int32).
 *
 * @example
 * lax.populationCount(np.array([0, 7, -1])) // [0, 3, 32]
 */
export const populationCount = (x: Array): Array => {
  let v = asBits("lax.populationCount", x)
  v = sub(v, and(shiftRightLogical(v, u(1)), u(0x55555555)))
  v = add(and(v, u(0x33333333)), and(shiftRightLogical(v, u(2)), u(0x33333333)))
  v = and(add(v, shiftRightLogical(v, u(4))), u(0x0f0f0f0f))
  v = add(v, shiftRightLogical(v, u(8)))
  v = add(v, shiftRightLogical(v, u(16)))
  return back(and(v, u(0x3f)), x)
}

/**
 * `lax.clz(x)`: the number of leading zero bits of each element (32 for 0, 0 for negative int32).
 *
 * @example
 * lax.clz(np.array([1, 0, 255])) // [31, 32, 24]
 */
export const clz = (x: Array): Array => {
  let v = asBits("lax.clz", x)
  let n = u(0)
  for (const k of [16, 8, 4, 2, 1]) {
    // Where the top k bits are zero, count them and shift them out.
    const top = eq(shiftRightLogical(v, u(32 - k)), u(0))
    n = select(top, add(n, u(k)), n)
    v = select(top, shiftLeft(v, u(k)), v)
  }
  // Now the top bit is set unless v was 0 (then all 32 are zero).
  n = select(eq(v, u(0)), add(n, u(1)), n)
  return back(n, x)
}
