/**
 * jax.numpy's bitwise functions on integer and bool arrays: `bitwise_and`/`or`/`xor`/`not`
 * (`invert`), shifts, and NumPy 2's `bitwise_invert`/`bitwise_left_shift`/`bitwise_right_shift`.
 * Operands are promoted as for arithmetic; floats are refused.
 */
import type { Array } from "../array.js"
import { isFloat } from "../dtype.js"
import { DTypeError } from "../errors.js"
import * as lax from "../primitives/elementwise.js"
import { shiftLeft, shiftRightArithmetic, shiftRightLogical } from "../primitives/bits.js"
import { broadcastTo } from "../primitives/shape-ops.js"
import { type Operand, promote, promoteDtypes } from "./coerce.js"

const ints2 = (what: string, x: Operand, y: Operand): [Array, Array] => {
  const [a, b] = promote([x, y]) as [Array, Array]
  if (isFloat(a.dtype)) throw new DTypeError(`np.${what} takes integer or bool operands, got ${a.dtype}; cast with astype("int32").`)
  if (a.ndim === 0 || b.ndim === 0 || a.shape.every((d, i) => d === b.shape[i])) return [a, b]
  const shape = a.shape.map((d, i) => (d === 1 ? b.shape[i]! : d))
  return [broadcastTo(a, shape), broadcastTo(b, shape)]
}

/** `jnp.bitwise_and(x1, x2)`: `x1 & x2` (logical and on bools). @example np.bitwiseAnd(12, 10) // 8 */
export const bitwiseAnd = (x1: Operand, x2: Operand): Array => lax.and(...ints2("bitwiseAnd", x1, x2))

/** `jnp.bitwise_or(x1, x2)`: `x1 | x2`. @example np.bitwiseOr(12, 10) // 14 */
export const bitwiseOr = (x1: Operand, x2: Operand): Array => lax.or(...ints2("bitwiseOr", x1, x2))

/** `jnp.bitwise_xor(x1, x2)`: `x1 ^ x2`. @example np.bitwiseXor(12, 10) // 6 */
export const bitwiseXor = (x1: Operand, x2: Operand): Array => lax.xor(...ints2("bitwiseXor", x1, x2))

/** `jnp.bitwise_not(x)`: `~x` (logical not on bools). @example np.bitwiseNot(np.array(0)) // -1 */
export const bitwiseNot = (x: Operand): Array => {
  const a = promoteDtypes([x])[0]!
  if (isFloat(a.dtype)) throw new DTypeError(`np.bitwiseNot takes integer or bool operands, got ${a.dtype}.`)
  return lax.not(a)
}
/** `jnp.invert(x)`: the same as `bitwiseNot`. @example np.invert(np.array(true)) // false */
export const invert = bitwiseNot
/** NumPy 2's name of `bitwiseNot`. @example np.bitwiseInvert(np.array(5)) // -6 */
export const bitwiseInvert = bitwiseNot

/**
 * `jnp.left_shift(x1, x2)`: `x1 << x2`; shifts of the bit width or more give 0.
 *
 * @example
 * np.leftShift(1, np.array([0, 3])) // [1, 8]
 */
export const leftShift = (x1: Operand, x2: Operand): Array => {
  const [a, b] = ints2("leftShift", x1, x2)
  if (a.dtype === "bool") throw new DTypeError('np.leftShift does not take bool operands; cast with astype("int32").')
  return shiftLeft(a, b)
}
/** NumPy 2's name of `leftShift`. @example np.bitwiseLeftShift(3, 2) // 12 */
export const bitwiseLeftShift = leftShift

/**
 * `jnp.right_shift(x1, x2)`: `x1 >> x2`, arithmetic (sign-filling) for signed integers and
 * logical for unsigned ones.
 *
 * @example
 * np.rightShift(np.array([-8, 8]), 1) // [-4, 4]
 */
export const rightShift = (x1: Operand, x2: Operand): Array => {
  const [a, b] = ints2("rightShift", x1, x2)
  if (a.dtype === "bool") throw new DTypeError('np.rightShift does not take bool operands; cast with astype("int32").')
  return a.dtype === "uint32" ? shiftRightLogical(a, b) : shiftRightArithmetic(a, b)
}
/** NumPy 2's name of `rightShift`. @example np.bitwiseRightShift(12, 2) // 3 */
export const bitwiseRightShift = rightShift
