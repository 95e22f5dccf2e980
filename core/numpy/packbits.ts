/**
 * Bits of integers in `np`: `bitwise_count` (set bits of |x|), `packbits` (truthy elements to the
 * bits of uint8 bytes) and `unpackbits` (uint8 bytes to 0/1 uint8 elements), with NumPy's
 * `axis`, `bitorder` and `count`. All are shifts, masks and sums of existing primitives.
 */
import type { Array } from "../array.js"
import { isFloat, isInt } from "../dtype.js"
import { DTypeError } from "../errors.js"
import { shiftRightLogical } from "../primitives/bits.js"
import { constant } from "../primitives/common.js"
import { abs, and, convertElementType, mul, ne } from "../primitives/elementwise.js"
import { reduceSum } from "../primitives/reduce.js"
import { broadcastInDim, pad, reshape, slice } from "../primitives/shape-ops.js"
import { populationCount } from "../lax/bit-count.js"
import { checkOneOf, checkOptions, optionKeys } from "../options.js"
import { checkInt, normalizeAxis } from "../shape.js"
import { type ArrayLike, asArray } from "./coerce.js"

const toArray = (x: ArrayLike): Array => asArray(x)

/**
 * `jnp.bitwise_count(x)`: the number of set bits of each element's absolute value, as uint8.
 *
 * @example
 * np.bitwiseCount(np.array([-16, -7, 7])) // Array([1, 3, 3], dtype=uint8)
 */
export const bitwiseCount = (x: ArrayLike): Array => {
  const a = toArray(x)
  if (isFloat(a.dtype) || !(isInt(a.dtype) || a.dtype === "bool")) throw new DTypeError(`np.bitwiseCount takes integer or bool arrays, got ${a.dtype}.`)
  const signed = a.dtype.startsWith("int")
  const wide = signed ? abs(convertElementType(a, "int32")) : convertElementType(a, "uint32")
  return convertElementType(populationCount(wide), "uint8")
}

export interface PackbitsOptions {
  /** The axis to pack along (default: the flattened array). */
  readonly axis?: number | null | undefined
  /** "big" (default: the first element is the byte's top bit) or "little". */
  readonly bitorder?: "big" | "little" | undefined
}
const PACK_KEYS = optionKeys<PackbitsOptions>()("axis", "bitorder")

export interface UnpackbitsOptions extends PackbitsOptions {
  /** How many bits to keep along the axis: fewer than 8n cuts, more pads with zeros, negative drops that many from the end. */
  readonly count?: number | null | undefined
}
const UNPACK_KEYS = optionKeys<UnpackbitsOptions>()("axis", "bitorder", "count")

const along = (name: string, a: Array, axis: number | null | undefined): [Array, number] =>
  axis === null || axis === undefined ? [reshape(a, [a.size]), 0] : [a, normalizeAxis(checkInt(axis, `${name}: axis`), a.ndim, `${name}: axis`)]

/** The shifts of bit j (0..7) of a byte, in the order `bitorder` gives. */
const shifts = (bitorder: "big" | "little"): number[] => globalThis.Array.from({ length: 8 }, (_, j) => (bitorder === "big" ? 7 - j : j))

/**
 * `jnp.packbits(a, axis, bitorder)`: the elements of `a` (nonzero = 1) packed 8 to a uint8 byte
 * along `axis` (the flattened array by default), zero-padded to a multiple of 8.
 *
 * @example
 * np.packbits(np.array([1, 0, 1, 1, 0, 0, 0, 1, 1, 1])) // Array([177, 192], dtype=uint8)
 */
export const packbits = (a: ArrayLike, options?: PackbitsOptions): Array => {
  checkOptions("np.packbits", options, PACK_KEYS)
  checkOneOf("np.packbits", "bitorder", options?.bitorder, ["big", "little"])
  const x0 = toArray(a)
  if (isFloat(x0.dtype)) throw new DTypeError(`np.packbits takes integer or bool arrays, got ${x0.dtype}.`)
  const [x, axis] = along("np.packbits", x0, options?.axis)
  const n = x.shape[axis]!
  const bytes = Math.ceil(n / 8)
  const bits = convertElementType(ne(x, constant(0, x.dtype, [], true)), "uint32")
  const padded = pad(
    bits,
    constant(0, "uint32"),
    x.shape.map((_, i) => [0, i === axis ? bytes * 8 - n : 0, 0] as const)
  )
  const split = reshape(padded, [...x.shape.slice(0, axis), bytes, 8, ...x.shape.slice(axis + 1)])
  const w = broadcastInDim(
    asArray(
      shifts(options?.bitorder ?? "big").map((k) => 2 ** k),
      "uint32"
    ),
    split.shape,
    [axis + 1]
  )
  return convertElementType(reduceSum(mul(split, w), [axis + 1]), "uint8")
}

/**
 * `jnp.unpackbits(a, axis, count, bitorder)`: each uint8 byte of `a` as 8 elements of 0/1 (uint8)
 * along `axis` (the flattened array by default); `count` keeps that many bits.
 *
 * @example
 * np.unpackbits(np.array([5], { dtype: "uint8" })) // Array([0, 0, 0, 0, 0, 1, 0, 1], dtype=uint8)
 */
export const unpackbits = (a: ArrayLike, options?: UnpackbitsOptions): Array => {
  checkOptions("np.unpackbits", options, UNPACK_KEYS)
  checkOneOf("np.unpackbits", "bitorder", options?.bitorder, ["big", "little"])
  const x0 = toArray(a)
  if (x0.dtype !== "uint8") throw new DTypeError(`np.unpackbits takes a uint8 array, got ${x0.dtype}; cast with astype("uint8").`)
  const [x, axis] = along("np.unpackbits", x0, options?.axis)
  const n = x.shape[axis]!
  const wide = convertElementType(x, "uint32")
  const outShape = [...x.shape.slice(0, axis + 1), 8, ...x.shape.slice(axis + 1)]
  const spread = broadcastInDim(
    wide,
    outShape,
    x.shape.map((_, i) => (i <= axis ? i : i + 1))
  )
  const sh = broadcastInDim(asArray(shifts(options?.bitorder ?? "big"), "uint32"), outShape, [axis + 1])
  const bits = and(shiftRightLogical(spread, sh), constant(1, "uint32", [], true))
  let out = reshape(bits, [...x.shape.slice(0, axis), n * 8, ...x.shape.slice(axis + 1)])
  const count = options?.count
  if (count !== null && count !== undefined) {
    const c = checkInt(count, "np.unpackbits: count")
    const keep = c >= 0 ? c : Math.max(0, n * 8 + c)
    if (keep <= n * 8)
      out = slice(
        out,
        out.shape.map(() => 0),
        out.shape.map((d, i) => (i === axis ? keep : d))
      )
    else
      out = pad(
        out,
        constant(0, "uint32"),
        out.shape.map((_, i) => [0, i === axis ? keep - n * 8 : 0, 0] as const)
      )
  }
  return convertElementType(out, "uint8")
}
