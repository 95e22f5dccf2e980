/**
 * `jnp.isdtype` (the Array API's dtype kind test).
 */
import { ValueError } from "../errors.js"
import { checkDTypeName, type DTypeName, dtypeKind, isDTypeName } from "./names.js"

/** The Array API's dtype kinds. */
export type DTypeKind = "bool" | "signed integer" | "unsigned integer" | "integral" | "real floating" | "complex floating" | "numeric"

const kinds: Readonly<Record<DTypeKind, (d: DTypeName) => boolean>> = {
  bool: (d) => d === "bool",
  "signed integer": (d) => dtypeKind(d) === "i",
  "unsigned integer": (d) => dtypeKind(d) === "u",
  integral: (d) => dtypeKind(d) === "i" || dtypeKind(d) === "u",
  "real floating": (d) => dtypeKind(d) === "f",
  "complex floating": (d) => dtypeKind(d) === "c",
  numeric: (d) => d !== "bool"
}

/**
 * `jnp.isdtype(dtype, kind)`: whether `dtype` is `kind`, a dtype name or one of the Array API's
 * kinds ("bool", "signed integer", "unsigned integer", "integral", "real floating",
 * "complex floating", "numeric"), or any of a list of them.
 *
 * @example
 * np.isdtype("float32", "real floating")          // true
 * np.isdtype("int8", ["unsigned integer", "bool"]) // false
 * np.isdtype("int32", "int32")                    // true
 */
export const isdtype = (dtype: DTypeName, kind: DTypeName | DTypeKind | ReadonlyArray<DTypeName | DTypeKind>): boolean => {
  const d = checkDTypeName(dtype, "np.isdtype")
  const one = (k: unknown): boolean => {
    if (isDTypeName(k)) return d === k
    if (typeof k === "string" && Object.hasOwn(kinds, k)) return kinds[k as DTypeKind](d)
    throw new ValueError(
      `np.isdtype: unknown kind ${JSON.stringify(k)}; give a dtype name or one of ${Object.keys(kinds)
        .map((s) => JSON.stringify(s))
        .join(", ")}.`
    )
  }
  return globalThis.Array.isArray(kind) ? (kind as ReadonlyArray<unknown>).some(one) : one(kind)
}
