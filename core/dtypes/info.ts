/**
 * `finfo` and `iinfo`: the machine limits of the float and integer dtypes, with the fields and
 * values of JAX's `jnp.finfo` / `jnp.iinfo` (NumPy's, with ml_dtypes' bfloat16).
 */
import { DTypeError } from "../errors.js"
import { bfloat16FromNumber, bfloat16ToNumber, float16FromNumber, float16ToNumber } from "./half.js"
import { checkDTypeName, type DTypeName, dtypeKind } from "./names.js"

/** The float dtypes `finfo` describes. */
export type FloatDTypeName = "bfloat16" | "float16" | "float32" | "float64"

/** Machine limits of a float dtype (field names as NumPy's, in camelCase). */
export interface FInfo {
  readonly dtype: FloatDTypeName
  readonly bits: number
  /** The gap between 1 and the next larger value. */
  readonly eps: number
  /** The gap between 1 and the next smaller value. */
  readonly epsneg: number
  readonly max: number
  readonly min: number
  /** The smallest positive normal value (`smallestNormal`). */
  readonly tiny: number
  readonly smallestNormal: number
  readonly smallestSubnormal: number
  /** `10 ** -precision`, rounded to the dtype. */
  readonly resolution: number
  /** Decimal digits of precision. */
  readonly precision: number
  readonly nexp: number
  readonly nmant: number
  readonly iexp: number
  readonly machep: number
  readonly negep: number
  readonly minexp: number
  readonly maxexp: number
}

const layout: Readonly<Record<FloatDTypeName, readonly [nmant: number, nexp: number]>> = {
  bfloat16: [7, 8],
  float16: [10, 5],
  float32: [23, 8],
  float64: [52, 11]
}

const roundTo = (d: FloatDTypeName, x: number): number =>
  d === "float64" ? x : d === "float32" ? Math.fround(x) : d === "float16" ? float16ToNumber(float16FromNumber(x)) : bfloat16ToNumber(bfloat16FromNumber(x))

/**
 * `jnp.finfo(dtype)`: the limits of a float dtype.
 *
 * @example
 * np.finfo("float16").max  // 65504
 * np.finfo("bfloat16").eps // 0.0078125
 */
export const finfo = (dtype: DTypeName): FInfo => {
  const d = checkDTypeName(dtype, "np.finfo")
  if (!Object.hasOwn(layout, d)) {
    throw new DTypeError(`np.finfo: ${d} is not a float dtype; use np.iinfo for integers (finfo takes ${Object.keys(layout).join(", ")}).`)
  }
  const f = d as FloatDTypeName
  const [nmant, nexp] = layout[f]
  const maxexp = 2 ** (nexp - 1)
  const minexp = 2 - maxexp
  const eps = 2 ** -nmant
  const max = (2 - eps) * 2 ** (maxexp - 1)
  const precision = Math.floor(-Math.log10(eps))
  return {
    dtype: f,
    bits: 1 + nexp + nmant,
    eps,
    epsneg: 2 ** -(nmant + 1),
    max,
    min: -max,
    tiny: 2 ** minexp,
    smallestNormal: 2 ** minexp,
    smallestSubnormal: 2 ** (minexp - nmant),
    resolution: roundTo(f, 10 ** -precision),
    precision,
    nexp,
    nmant,
    iexp: nexp,
    machep: -nmant,
    negep: -(nmant + 1),
    minexp,
    maxexp
  }
}

/** The integer dtypes `iinfo` describes (the 64-bit ones are not offered: see `jax_enable_x64`). */
export type IntDTypeName = "uint8" | "uint16" | "uint32" | "int8" | "int16" | "int32"

/** Limits of an integer dtype. */
export interface IInfo {
  readonly dtype: IntDTypeName
  readonly bits: number
  readonly min: number
  readonly max: number
  /** "i" (signed) or "u" (unsigned). */
  readonly kind: "i" | "u"
}

const intBits: Readonly<Record<IntDTypeName, number>> = { uint8: 8, uint16: 16, uint32: 32, int8: 8, int16: 16, int32: 32 }

/**
 * `jnp.iinfo(dtype)`: the limits of an integer dtype.
 *
 * @example
 * np.iinfo("int8").min   // -128
 * np.iinfo("uint16").max // 65535
 */
export const iinfo = (dtype: DTypeName): IInfo => {
  const d = checkDTypeName(dtype, "np.iinfo")
  if (d === "int64" || d === "uint64") {
    throw new DTypeError(`np.iinfo: ${d} is not offered: jaxfx has no 64-bit integers (their limits are not JS numbers); use int32 or uint32.`)
  }
  if (!Object.hasOwn(intBits, d)) {
    throw new DTypeError(`np.iinfo: ${d} is not an integer dtype; use np.finfo for floats (iinfo takes ${Object.keys(intBits).join(", ")}).`)
  }
  const i = d as IntDTypeName
  const bits = intBits[i]
  const kind = dtypeKind(i) === "u" ? "u" : "i"
  return kind === "u" ? { dtype: i, bits, min: 0, max: 2 ** bits - 1, kind } : { dtype: i, bits, min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1, kind }
}
