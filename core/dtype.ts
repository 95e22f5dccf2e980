/**
 * dtypes and JAX's type-promotion lattice.
 *
 * Lattice (JAX, with weak types for JS numbers standing in for Python scalars):
 *   bool -> i* (weak int) -> int32, uint32 -> f* (weak float) -> float32 -> float64
 * A JS number is "weak": it takes the dtype of the array it meets, so `x.mul(2)` keeps x's dtype
 * and an int32 array plus 1.5 is float32.
 */
import { bfloat16FromNumber, bfloat16ToNumber, float16FromNumber, float16ToNumber } from "./dtypes/half.js"
import { type LatticeNode, leastUpperBound } from "./dtypes/lattice.js"
import { DeviceError, DTypeError, OverflowError, ValueError } from "./errors.js"

export type DType =
  "float32" | "float64" | "int32" | "uint32" | "bool" | "int8" | "int16" | "uint8" | "uint16" | "float16" | "bfloat16" | "complex64" | "complex128"

export const dtypes: ReadonlyArray<DType> = [
  "float32",
  "float64",
  "int32",
  "uint32",
  "bool",
  "int8",
  "int16",
  "uint8",
  "uint16",
  "float16",
  "bfloat16",
  "complex64",
  "complex128"
]

/**
 * complex64 and complex128: stored as interleaved (real, imaginary) pairs of float32 / float64, so
 * an array of n elements has a Float32Array / Float64Array of 2n numbers.
 */
export const isComplex = (d: DType): d is "complex64" | "complex128" => d === "complex64" || d === "complex128"

/**
 * The real dtype of a complex dtype's parts (complex64 -> float32, complex128 -> float64); any
 * other dtype is returned as it is (JAX's `real` dtype of a real array is its own).
 *
 * @example
 * complexPartDType("complex64") // "float32"
 */
export const complexPartDType = (d: DType): DType => (d === "complex64" ? "float32" : d === "complex128" ? "float64" : d)

/**
 * The complex dtype whose parts are of dtype `d`: float64 -> complex128, anything else complex64
 * (JAX's `complex` of float32 parts).
 *
 * @example
 * complexDTypeOf("float32") // "complex64"
 */
export const complexDTypeOf = (d: DType): "complex64" | "complex128" => (d === "float64" || d === "complex128" ? "complex128" : "complex64")

/** Numbers stored per element: 2 for complex dtypes (interleaved pairs), 1 for the others. */
export const lanes = (d: DType): 1 | 2 => (isComplex(d) ? 2 : 1)

/** float16 and bfloat16: stored as exact 16-bit words (Uint16Array), computed in float32 and rounded after each operation. */
export const isHalf = (d: DType): d is "float16" | "bfloat16" => d === "float16" || d === "bfloat16"

/** The 8- and 16-bit integers: computed in 32 bits and wrapped after each operation. */
export const isNarrowInt = (d: DType): d is "int8" | "int16" | "uint8" | "uint16" => d === "int8" || d === "int16" || d === "uint8" || d === "uint16"

/** JAX's short names, used when printing jaxprs (`f32[3]`). */
export const shortName: Readonly<Record<DType, string>> = {
  float32: "f32",
  float64: "f64",
  int32: "i32",
  uint32: "u32",
  bool: "bool",
  int8: "i8",
  int16: "i16",
  uint8: "u8",
  uint16: "u16",
  float16: "f16",
  bfloat16: "bf16",
  complex64: "c64",
  complex128: "c128"
}

export type TypedArrayFor<D extends DType> = D extends "float32" | "complex64"
  ? Float32Array
  : D extends "float64" | "complex128"
    ? Float64Array
    : D extends "int32"
      ? Int32Array
      : D extends "uint32"
        ? Uint32Array
        : D extends "int8"
          ? Int8Array
          : D extends "int16"
            ? Int16Array
            : D extends "uint16" | "float16" | "bfloat16"
              ? Uint16Array
              : Uint8Array

export type AnyTypedArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array | Int8Array | Int16Array | Uint16Array

/** The storage used for a dtype (bool is one byte per element, 0 or 1; complex dtypes two numbers per element). */
export const typedArrayCtor = (
  d: DType
): {
  new (n: number): AnyTypedArray
  from(xs: ArrayLike<number>): AnyTypedArray
} => {
  switch (d) {
    case "float32":
    case "complex64":
      return Float32Array
    case "float64":
    case "complex128":
      return Float64Array
    case "int32":
      return Int32Array
    case "uint32":
      return Uint32Array
    case "bool":
    case "uint8":
      return Uint8Array
    case "int8":
      return Int8Array
    case "int16":
      return Int16Array
    case "uint16":
    case "float16":
    case "bfloat16":
      return Uint16Array
  }
}

/**
 * The host array that holds values of dtype `d` before they go to a device: the storage type,
 * except float16 / bfloat16, whose values are held in a Float32Array (a backend's `fromHost`
 * encodes them into 16-bit words).
 *
 * @example
 * new (valueArrayCtor("float16"))(3) // Float32Array(3)
 */
export const valueArrayCtor = (
  d: DType
): {
  new (n: number): AnyTypedArray
  from(xs: ArrayLike<number>): AnyTypedArray
} => (isHalf(d) ? Float32Array : typedArrayCtor(d))

/**
 * What an allocation that the engine refused (a RangeError: more elements than a typed array can
 * hold, or no memory) becomes: a DeviceError that says how big the buffer was. Other errors pass.
 */
export const allocationFailure = (e: unknown, d: DType, n: number): unknown =>
  e instanceof RangeError && /typed array length|array buffer|allocation failed|out of memory/i.test(e.message)
    ? new DeviceError(
        `cannot allocate ${n} elements of ${d} (${n * itemsize(d)} bytes): ${e.message}. ` +
          "The CPU device holds at most a few billion elements per array, and only what memory allows; use smaller arrays, or reduce them inside jit."
      )
    : e

/** Storage for `n` elements of dtype `d` (zeros; 2n numbers for a complex dtype), or a DeviceError when it cannot be allocated. */
export const allocTyped = (d: DType, n: number): AnyTypedArray => {
  try {
    return new (typedArrayCtor(d))(isComplex(d) ? 2 * n : n)
  } catch (e) {
    throw allocationFailure(e, d, n)
  }
}

/**
 * Values in the dtype's storage type (bools stored as 0/1). Values are converted, not rounded by
 * castScalar. For a complex dtype `values` are the interleaved (re, im) pairs already.
 */
export const toTypedArray = (values: ArrayLike<number>, d: DType): AnyTypedArray =>
  d === "bool"
    ? Uint8Array.from(values, (v) => (v !== 0 ? 1 : 0))
    : d === "float16"
      ? Uint16Array.from(values, float16FromNumber)
      : d === "bfloat16"
        ? Uint16Array.from(values, bfloat16FromNumber)
        : typedArrayCtor(d).from(values)

/**
 * The values of a buffer of dtype `d` as numbers: float16 and bfloat16 words decoded into a
 * Float32Array (every value is exact there); any other storage is returned as it is.
 *
 * @example
 * storedValues(Uint16Array.of(0x3c00), "float16") // Float32Array [1]
 */
export const storedValues = (data: AnyTypedArray, d: DType): AnyTypedArray => {
  if (d === "float16") return Float32Array.from(data, float16ToNumber)
  if (d === "bfloat16") return Float32Array.from(data, bfloat16ToNumber)
  return data
}

export const isFloat = (d: DType): boolean => d === "float32" || d === "float64" || d === "float16" || d === "bfloat16"
/** Float or complex (NumPy's `inexact`): the dtypes that carry derivatives. */
export const isInexact = (d: DType): boolean => isFloat(d) || isComplex(d)
export const isInt = (d: DType): boolean => d === "int32" || d === "uint32" || d === "int8" || d === "int16" || d === "uint8" || d === "uint16"
export const itemsize = (d: DType): number =>
  d === "complex128"
    ? 16
    : d === "float64" || d === "complex64"
      ? 8
      : d === "bool" || d === "int8" || d === "uint8"
        ? 1
        : d === "int16" || d === "uint16" || d === "float16" || d === "bfloat16"
          ? 2
          : 4

/** A dtype together with JAX's weak-type flag. */
export interface TypeInfo {
  readonly dtype: DType
  readonly weakType: boolean
}

/**
 * JAX's `promote_types` with weak types over the stored dtypes: the least upper bound in JAX's
 * lattice (core/dtypes/lattice.ts) as it is with x64 off, so int32 with uint32 is int32. float64,
 * which jaxfx stores, is not canonicalized here. A weak result keeps the width of its weak operand
 * (a weak float32 with int8 is a weak float32).
 */
export const promoteTypes = (a: TypeInfo, b: TypeInfo): TypeInfo => {
  if (a.dtype === b.dtype && a.weakType === b.weakType) return a
  const join = leastUpperBound([toNode(a), toNode(b)], false)
  if (join === "weakFloat") {
    const w = a.weakType && isFloat(a.dtype) ? a.dtype : b.weakType && isFloat(b.dtype) ? b.dtype : "float32"
    return { dtype: w, weakType: true }
  }
  if (join === "weakInt") {
    const w = a.weakType && isInt(a.dtype) ? a.dtype : b.weakType && isInt(b.dtype) ? b.dtype : "int32"
    return { dtype: w, weakType: true }
  }
  if (join === "weakComplex") {
    const w = a.weakType && isComplex(a.dtype) ? a.dtype : b.weakType && isComplex(b.dtype) ? b.dtype : "complex64"
    return { dtype: w, weakType: true }
  }
  if (!isDType(join)) {
    throw new DTypeError(`cannot promote ${a.dtype} with ${b.dtype}: their common type ${join} is not offered by jaxfx (no 64-bit integer arrays).`)
  }
  return { dtype: join, weakType: false }
}

const toNode = (t: TypeInfo): LatticeNode => {
  if (!t.weakType || t.dtype === "bool") return t.dtype
  return isComplex(t.dtype) ? "weakComplex" : isFloat(t.dtype) ? "weakFloat" : "weakInt"
}

/** `jnp.result_type`: promotion folded over several operands. */
export const resultType = (...ts: ReadonlyArray<TypeInfo>): TypeInfo => {
  if (ts.length === 0) return { dtype: "float32", weakType: false }
  return ts.reduce(promoteTypes)
}

/** The dtype a JS number takes when it meets nothing else (Python-scalar rules). */
export const scalarType = (x: number | boolean): TypeInfo =>
  typeof x === "boolean" ? { dtype: "bool", weakType: false } : Number.isInteger(x) ? { dtype: "int32", weakType: true } : { dtype: "float32", weakType: true }

/** Round a JS number to what the dtype stores (float32 rounding, int wrap, bool). */
export const castScalar = (x: number, d: DType): number => {
  switch (d) {
    case "float32":
    case "complex64":
      return Math.fround(x)
    case "float64":
    case "complex128":
      return x
    case "int32":
      return Number.isFinite(x) ? Math.trunc(x) | 0 : 0
    case "uint32":
      return Number.isFinite(x) ? Math.trunc(x) >>> 0 : 0
    case "bool":
      return x !== 0 ? 1 : 0
    case "int8":
      return Number.isFinite(x) ? (Math.trunc(x) << 24) >> 24 : 0
    case "int16":
      return Number.isFinite(x) ? (Math.trunc(x) << 16) >> 16 : 0
    case "uint8":
      return Number.isFinite(x) ? Math.trunc(x) & 0xff : 0
    case "uint16":
      return Number.isFinite(x) ? Math.trunc(x) & 0xffff : 0
    case "float16":
      return float16ToNumber(float16FromNumber(x))
    case "bfloat16":
      return bfloat16ToNumber(bfloat16FromNumber(x))
  }
}

/** The integer dtypes. */
export type IntDType = "int32" | "uint32" | "int8" | "int16" | "uint8" | "uint16"

/** The values an integer dtype holds. */
export const intBounds: Readonly<Record<IntDType, readonly [number, number]>> = {
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  int8: [-128, 127],
  int16: [-32768, 32767],
  uint8: [0, 255],
  uint16: [0, 65535]
}

/**
 * How a JS number the user wrote becomes an element of dtype `d`, refusing what JAX refuses
 * instead of wrapping it around. For an integer dtype the number is truncated toward zero (as
 * Python's `int()`), and must then fit:
 * - `"exact"` (np.array, np.asarray and list elements, as `jnp.array(v, dtype)`): `d`'s range;
 * - `"weak"` (a scalar meeting an array: binary ops, `np.where`, `np.full`, `.at().set`, as JAX
 *   converts a Python int to a weak int32 first): `d`'s range or int32's, so `u32.add(-1)` wraps
 *   to `u32 - 1` as in JAX. (JAX without x64 also refuses 2^31..2^32-1 against uint32, only
 *   because its Python ints pass through int32; a JS number has no such detour.)
 * Float and bool dtypes take any number (float32 rounds, bool tests for non-zero). The result is
 * ready for `castScalar`.
 *
 * @example
 * literalElement(1.7, "int32")        // 1
 * literalElement(2 ** 31, "int32")    // throws OverflowError
 * literalElement(-1, "uint32", "weak") // -1 (castScalar wraps it to 4294967295)
 */
export const literalElement = (x: number, d: DType, rule: "exact" | "weak" = "exact"): number => {
  if (!isInt(d)) return x
  if (Number.isNaN(x)) {
    throw new ValueError(`cannot convert NaN to the integer dtype ${d}; use a float dtype (float32) for NaN, or replace it first.`)
  }
  const v = Math.trunc(x)
  const [lo, hi] = intBounds[d as IntDType]
  const [wlo, whi] = rule === "weak" ? intBounds.int32 : intBounds[d as IntDType]
  if ((v < lo || v > hi) && (v < wlo || v > whi)) {
    const range = rule === "weak" && d === "uint32" ? `${wlo} to ${hi}` : `${lo} to ${hi}`
    throw new OverflowError(
      `the JS number ${x} does not fit in ${d} (${range}) and would wrap around (JAX raises OverflowError ` +
        `too). Use a value in range, or a float dtype: np.array(${x}, { dtype: "float32" }) for a literal, ` +
        `x.astype("float32") for an array x that meets it.`
    )
  }
  return v
}

/**
 * One element converted from dtype `from` to `to` as `convert_element_type` (XLA) does it: floats
 * to integers saturate (NaN gives 0), integers wrap, anything non-zero is `true`.
 */
export const convertElement = (x: number, from: DType, to: DType): number => {
  // A complex element's real part is what the caller passes (the imaginary part is dropped).
  from = complexPartDType(from)
  if (isInt(to) && isFloat(from)) {
    const [lo, hi] = intBounds[to as IntDType]
    return Number.isNaN(x) ? 0 : x <= lo ? lo : x >= hi ? hi : Math.trunc(x)
  }
  return castScalar(x, to)
}

export const isDType = (s: unknown): s is DType => typeof s === "string" && (dtypes as ReadonlyArray<string>).includes(s)

/** `d` if it is one of jaxfx's dtypes, else a DTypeError naming `what` and listing them. */
export const checkDType = (d: unknown, what: string): DType => {
  // The common case first, without a search (this runs for every abstract value).
  if (d === "float32" || d === "int32" || d === "bool" || d === "float64" || d === "uint32" || d === "complex64") return d
  if (isDType(d)) return d
  const shown = typeof d === "string" ? JSON.stringify(d) : d === null ? "null" : typeof d === "object" ? "an object" : String(d)
  throw new DTypeError(
    `${what}: unknown dtype ${shown}; jaxfx supports ${dtypes.join(", ")}` +
      (typeof d === "string" && /^(int64|uint64)$/.test(d)
        ? ` (${d} is not offered here: jaxfx has no 64-bit integers; use int32 or uint32. np.zeros/np.array/np.astype and ` +
          "the other dtype requests narrow it to int32 / uint32 with jax_enable_x64 off, as JAX does)."
        : ".")
  )
}
