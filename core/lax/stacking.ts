/**
 * `lax.stack` / `lax.unstack` (JAX 0.10) and `lax.mulhi`, the high half of an integer product.
 */
import type { Array } from "../array.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { bitcastConvertType, shiftRightArithmetic, shiftRightLogical } from "../primitives/bits.js"
import { constant } from "../primitives/common.js"
import { add, and, convertElementType, lt, mul, select, sub } from "../primitives/elementwise.js"
import { concatenate, reshape, slice } from "../primitives/shape-ops.js"
import { checkInt, normalizeAxis, showShape } from "../shape.js"
import { expandDims } from "./misc.js"

/**
 * `lax.stack(operands, axis)`: arrays of one shape and dtype joined along a new axis.
 *
 * @example
 * lax.stack([np.array([1, 2]), np.array([3, 4])], 1) // [[1, 3], [2, 4]]
 */
export const stack = (operands: ReadonlyArray<Array>, axis = 0): Array => {
  if (operands.length === 0) throw new ValueError("lax.stack: give at least one array to stack.")
  const first = operands[0]!
  const a = normalizeAxis(checkInt(axis, "lax.stack: axis"), first.ndim + 1, "lax.stack: axis")
  for (const x of operands) {
    if (x.ndim !== first.ndim || x.shape.some((d, i) => d !== first.shape[i])) {
      throw new ShapeError(`lax.stack: operands must share a shape, got ${showShape(first.shape)} and ${showShape(x.shape)}.`)
    }
  }
  return concatenate(
    operands.map((x) => expandDims(x, [a])),
    a
  )
}

/**
 * `lax.unstack(x, axis)`: the slices of `x` along `axis`, each without that axis.
 *
 * @example
 * lax.unstack(np.array([[1, 2], [3, 4]]), 1) // [Array([1, 3]), Array([2, 4])]
 */
export const unstack = (x: Array, axis = 0): Array[] => {
  const a = normalizeAxis(checkInt(axis, "lax.unstack: axis"), x.ndim, "lax.unstack: axis")
  const rest = x.shape.filter((_, i) => i !== a)
  return globalThis.Array.from({ length: x.shape[a]! }, (_, k) =>
    reshape(
      slice(
        x,
        x.shape.map((_, i) => (i === a ? k : 0)),
        x.shape.map((d, i) => (i === a ? k + 1 : d))
      ),
      rest
    )
  )
}

const u32 = (v: number): Array => constant(v >>> 0, "uint32", [], true)

/** The high 32 bits of the 64-bit product of two uint32 arrays, from 16-bit halves. */
const mulhiU32 = (a: Array, b: Array): Array => {
  const lo = (v: Array): Array => and(v, u32(0xffff))
  const hi = (v: Array): Array => shiftRightLogical(v, u32(16))
  const [al, ah, bl, bh] = [lo(a), hi(a), lo(b), hi(b)]
  const ll = mul(al, bl)
  const hl = mul(ah, bl)
  const lh = mul(al, bh)
  const cross = add(add(hi(ll), lo(hl)), lo(lh))
  return add(add(add(mul(ah, bh), hi(hl)), hi(lh)), hi(cross))
}

/**
 * `lax.mulhi(x, y)`: the high half of the double-width product of two integer arrays of one dtype
 * (for int32: the top 32 bits of the 64-bit signed product).
 *
 * @example
 * lax.mulhi(np.array([-5, 2 ** 30]), np.array([7, 2 ** 20])) // [-1, 262144]
 */
export const mulhi = (x: Array, y: Array): Array => {
  if (x.dtype !== y.dtype) throw new DTypeError(`lax.mulhi: operands must share a dtype, got ${x.dtype} and ${y.dtype}; lax does not promote.`)
  const d = x.dtype
  if (d === "int8" || d === "int16" || d === "uint8" || d === "uint16") {
    const bits = d.endsWith("8") ? 8 : 16
    const p = mul(convertElementType(x, "int32"), convertElementType(y, "int32"))
    return convertElementType(shiftRightArithmetic(p, constant(bits, "int32", [], true)), d)
  }
  if (d === "uint32") return mulhiU32(x, y)
  if (d !== "int32") throw new DTypeError(`lax.mulhi takes integer operands, got ${d}.`)
  // Signed: the unsigned high half minus y where x < 0 and minus x where y < 0 (mod 2^32).
  const ux = bitcastConvertType(x, "uint32")
  const uy = bitcastConvertType(y, "uint32")
  const zero = u32(0)
  const neg = (v: Array): Array => lt(v, constant(0, "int32", [], true))
  const h = sub(sub(mulhiU32(ux, uy), select(neg(x), uy, zero)), select(neg(y), ux, zero))
  return bitcastConvertType(h, "int32")
}
