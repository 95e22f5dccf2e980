/**
 * `canCast` (`jnp.can_cast`, NumPy's casting rules with ml_dtypes' bfloat16) and `issubdtype`
 * (`jnp.issubdtype`, with NumPy's abstract kinds).
 */
import { ValueError } from "../errors.js"
import { checkDTypeName, type DTypeName, dtypeItemsize, dtypeKind, isDTypeName } from "./names.js"

/** NumPy's casting rules, from strictest to loosest. */
export type Casting = "no" | "equiv" | "safe" | "same_kind" | "unsafe"

const castings: ReadonlyArray<Casting> = ["no", "equiv", "safe", "same_kind", "unsafe"]

/** NumPy's "safe" rule: every value of `a` is a value of `b`. */
const safeCast = (a: DTypeName, b: DTypeName): boolean => {
  if (a === b || a === "bool") return true
  const ka = dtypeKind(a)
  const kb = dtypeKind(b)
  const sa = dtypeItemsize(a)
  const sb = dtypeItemsize(b)
  switch (kb) {
    case "b":
      return false
    case "u":
      return ka === "u" && sb >= sa
    case "i":
      return ka === "u" ? sb > sa : ka === "i" && sb >= sa
    case "f":
      // Integers: a wider float (and any 64-bit integer into float64, as NumPy allows); floats:
      // a wider float (bfloat16 and float16 do not cast safely into each other).
      if (ka === "u" || ka === "i") return sb > sa || (sa === 8 && b === "float64")
      return ka === "f" && sb > sa
    case "c":
      if (ka === "u" || ka === "i") return sb / 2 > sa || (sa === 8 && b === "complex128")
      if (ka === "f") return sb / 2 >= sa
      return sb >= sa
  }
}

const kindRank = { b: 0, u: 1, i: 2, f: 3, c: 4 } as const

const sameKindCast = (a: DTypeName, b: DTypeName): boolean => {
  if (safeCast(a, b)) return true
  // ml_dtypes registers bfloat16 as castable "same kind" from every numeric type, and from
  // bfloat16 only safely.
  if (b === "bfloat16") return true
  if (a === "bfloat16") return false
  return kindRank[dtypeKind(a)] <= kindRank[dtypeKind(b)]
}

/**
 * `jnp.can_cast(from, to, casting)`: whether NumPy's `casting` rule allows converting `from` to
 * `to` ("safe" by default: every value survives). bfloat16 follows ml_dtypes (the NumPy
 * extension JAX uses), which lets every numeric type cast to bfloat16 under "same_kind".
 *
 * @example
 * np.canCast("int8", "float16")            // true
 * np.canCast("int32", "float32")           // false: float32 cannot hold every int32
 * np.canCast("float32", "int8", "unsafe")  // true
 */
export const canCast = (from: DTypeName, to: DTypeName, casting: Casting = "safe"): boolean => {
  const a = checkDTypeName(from, "np.canCast")
  const b = checkDTypeName(to, "np.canCast")
  switch (casting) {
    case "no":
    case "equiv":
      return a === b
    case "safe":
      return safeCast(a, b)
    case "same_kind":
      return sameKindCast(a, b)
    case "unsafe":
      return true
    default:
      throw new ValueError(`np.canCast: unknown casting ${JSON.stringify(casting)}; the castings are ${castings.join(", ")}.`)
  }
}

/** NumPy's abstract dtype kinds, for `issubdtype`. */
export type AbstractDType = "generic" | "number" | "inexact" | "floating" | "complexfloating" | "integer" | "signedinteger" | "unsignedinteger"

const abstracts: Readonly<Record<AbstractDType, (d: DTypeName) => boolean>> = {
  generic: () => true,
  number: (d) => d !== "bool",
  inexact: (d) => dtypeKind(d) === "f" || dtypeKind(d) === "c",
  floating: (d) => dtypeKind(d) === "f",
  complexfloating: (d) => dtypeKind(d) === "c",
  integer: (d) => dtypeKind(d) === "u" || dtypeKind(d) === "i",
  signedinteger: (d) => dtypeKind(d) === "i",
  unsignedinteger: (d) => dtypeKind(d) === "u"
}

/**
 * `jnp.issubdtype(a, b)`: whether dtype `a` is `b` or one of the dtypes of the abstract kind `b`
 * (NumPy's hierarchy: generic > number > inexact > floating / complexfloating, number > integer >
 * signedinteger / unsignedinteger; bool is only a generic). bfloat16 is a floating type.
 *
 * @example
 * np.issubdtype("bfloat16", "floating") // true
 * np.issubdtype("uint8", "signedinteger") // false
 * np.issubdtype("int32", "int32")        // true
 */
export const issubdtype = (a: DTypeName, b: DTypeName | AbstractDType): boolean => {
  const d = checkDTypeName(a, "np.issubdtype")
  if (isDTypeName(b)) return d === b
  if (typeof b === "string" && Object.hasOwn(abstracts, b)) return abstracts[b](d)
  throw new ValueError(`np.issubdtype: unknown dtype or kind ${JSON.stringify(b)}; give a dtype name or one of ${Object.keys(abstracts).join(", ")}.`)
}
