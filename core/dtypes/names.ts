/**
 * The names of JAX's dtypes (all of them, whether jaxfx stores them or not) and their kinds, as
 * NumPy's `dtype.kind` and `itemsize` describe them. The type-promotion lattice, `canCast`,
 * `issubdtype`, `finfo` and `iinfo` are defined over these names.
 */
import { DTypeError } from "../errors.js"

/** Every dtype of JAX's type-promotion lattice (JAX's 8-bit floats, int4 and int2 aside). */
export type DTypeName =
  | "bool"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "bfloat16"
  | "float16"
  | "float32"
  | "float64"
  | "complex64"
  | "complex128"

/** The lattice's dtypes in JAX's order. */
export const dtypeNames: ReadonlyArray<DTypeName> = [
  "bool",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "int8",
  "int16",
  "int32",
  "int64",
  "bfloat16",
  "float16",
  "float32",
  "float64",
  "complex64",
  "complex128"
]

/**
 * JAX's weak types: the types of Python's `int`, `float` and `complex` scalars (a JS number is a
 * weak int when it is an integer, else a weak float). They take the width of what they meet.
 */
export type WeakTypeName = "weakInt" | "weakFloat" | "weakComplex"

export const weakTypeNames: ReadonlyArray<WeakTypeName> = ["weakInt", "weakFloat", "weakComplex"]

/** NumPy's kind letter: b(ool), u(nsigned), i(nteger), f(loat), c(omplex). */
export type Kind = "b" | "u" | "i" | "f" | "c"

const kinds: Readonly<Record<DTypeName, Kind>> = {
  bool: "b",
  uint8: "u",
  uint16: "u",
  uint32: "u",
  uint64: "u",
  int8: "i",
  int16: "i",
  int32: "i",
  int64: "i",
  bfloat16: "f",
  float16: "f",
  float32: "f",
  float64: "f",
  complex64: "c",
  complex128: "c"
}

const sizes: Readonly<Record<DTypeName, number>> = {
  bool: 1,
  uint8: 1,
  uint16: 2,
  uint32: 4,
  uint64: 8,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  bfloat16: 2,
  float16: 2,
  float32: 4,
  float64: 8,
  complex64: 8,
  complex128: 16
}

/**
 * NumPy's `dtype.kind` of a dtype.
 *
 * @example
 * dtypeKind("bfloat16") // "f"
 */
export const dtypeKind = (d: DTypeName): Kind => kinds[d]

/**
 * Bytes per element (NumPy's `itemsize`).
 *
 * @example
 * dtypeItemsize("complex64") // 8
 */
export const dtypeItemsize = (d: DTypeName): number => sizes[d]

export const isDTypeName = (s: unknown): s is DTypeName => typeof s === "string" && Object.hasOwn(kinds, s)

export const isWeakTypeName = (s: unknown): s is WeakTypeName => s === "weakInt" || s === "weakFloat" || s === "weakComplex"

/** `d` if it names a dtype of the lattice, else a DTypeError naming `what` and listing them. */
export const checkDTypeName = (d: unknown, what: string): DTypeName => {
  if (isDTypeName(d)) return d
  const shown = typeof d === "string" ? JSON.stringify(d) : String(d)
  throw new DTypeError(`${what}: unknown dtype ${shown}; the dtypes are ${dtypeNames.join(", ")}.`)
}

/**
 * The 32-bit type JAX uses for a 64-bit one while x64 is off (JAX's `canonicalize_dtype`):
 * int64 -> int32, uint64 -> uint32, float64 -> float32, complex128 -> complex64.
 *
 * @example
 * canonicalize("float64", false) // "float32"
 * canonicalize("float64", true)  // "float64"
 */
export const canonicalize = (d: DTypeName, x64: boolean): DTypeName => {
  if (x64) return d
  switch (d) {
    case "int64":
      return "int32"
    case "uint64":
      return "uint32"
    case "float64":
      return "float32"
    case "complex128":
      return "complex64"
    default:
      return d
  }
}
