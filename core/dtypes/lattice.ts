/**
 * JAX's type-promotion lattice over every dtype and the three weak types, and the functions read
 * from it: `promoteTypes` (`jnp.promote_types`) and `resultType` (`jnp.result_type`).
 *
 *   bool -> weakInt -> uint8 -> uint16 -> uint32 -> uint64 -> weakFloat
 *                   -> int8  -> int16  -> int32  -> int64  -> weakFloat
 *   (uintN -> int2N: uint8 -> int16, uint16 -> int32, uint32 -> int64)
 *   weakFloat -> bfloat16, float16 -> float32 -> float64 -> complex128
 *   weakFloat -> weakComplex -> complex64 -> complex128;  float32 -> complex64
 *
 * The result of two types is their least upper bound. With x64 off JAX replaces the one edge that
 * makes a 64-bit type from 32-bit ones, uint32 -> int64, by uint32 -> int32, so int32 with uint32
 * is int32.
 */
import { DTypeError } from "../errors.js"
import { canonicalize, checkDTypeName, type DTypeName, dtypeKind, isDTypeName, isWeakTypeName, type WeakTypeName } from "./names.js"
import { x64Enabled } from "./x64.js"

/** A node of the lattice: a dtype or a weak type. */
export type LatticeNode = DTypeName | WeakTypeName

const edges = (x64: boolean): Readonly<Record<LatticeNode, ReadonlyArray<LatticeNode>>> => ({
  bool: ["weakInt"],
  weakInt: ["uint8", "int8"],
  uint8: ["int16", "uint16"],
  uint16: ["int32", "uint32"],
  uint32: x64 ? ["int64", "uint64"] : ["int32", "uint64"],
  uint64: ["weakFloat"],
  int8: ["int16"],
  int16: ["int32"],
  int32: ["int64"],
  int64: ["weakFloat"],
  weakFloat: ["bfloat16", "float16", "weakComplex"],
  bfloat16: ["float32"],
  float16: ["float32"],
  float32: ["float64", "complex64"],
  float64: ["complex128"],
  weakComplex: ["complex64"],
  complex64: ["complex128"],
  complex128: []
})

type UpperBounds = ReadonlyMap<LatticeNode, ReadonlySet<LatticeNode>>

/** Each node's upper bounds (itself included): the transitive closure of the edges. */
const upperBounds = (x64: boolean): UpperBounds => {
  const e = edges(x64)
  const out = new Map<LatticeNode, ReadonlySet<LatticeNode>>()
  for (const n of Object.keys(e) as LatticeNode[]) {
    const seen = new Set<LatticeNode>([n])
    const stack = [n]
    while (stack.length > 0) {
      for (const u of e[stack.pop()!]) {
        if (!seen.has(u)) {
          seen.add(u)
          stack.push(u)
        }
      }
    }
    out.set(n, seen)
  }
  return out
}

const bounds32 = upperBounds(false)
const bounds64 = upperBounds(true)

/**
 * The least upper bound of nodes: the common upper bound below every other common upper bound.
 *
 * @example
 * leastUpperBound(["int8", "uint8"], false) // "int16"
 */
export const leastUpperBound = (nodes: ReadonlyArray<LatticeNode>, x64: boolean): LatticeNode => {
  const ub = x64 ? bounds64 : bounds32
  let common: Set<LatticeNode> | undefined
  for (const n of nodes) {
    const b = ub.get(n)!
    common = common === undefined ? new Set(b) : new Set([...common].filter((c) => b.has(c)))
  }
  if (common === undefined) throw new DTypeError("leastUpperBound: at least one type is required.")
  const inputs = nodes.filter((n) => common.has(n))
  if (inputs.length > 0) return inputs[0]!
  for (const c of common) {
    const b = ub.get(c)!
    if ([...common].every((d) => b.has(d))) return c
  }
  // Unreachable: complex128 bounds every node.
  throw new DTypeError(`no common type for ${nodes.join(", ")}.`)
}

/** The dtype NumPy gives a weak type (`np.dtype(int)` is int64). */
const weakAsDType: Readonly<Record<WeakTypeName, DTypeName>> = { weakInt: "int64", weakFloat: "float64", weakComplex: "complex128" }

const nodeOf = (x: unknown, what: string): LatticeNode => (isWeakTypeName(x) ? x : checkDTypeName(x, what))

/**
 * `jnp.promote_types(a, b)`: the dtype a binary operation casts both operands to. A weak type
 * ("weakInt", "weakFloat", "weakComplex", JAX's Python `int`, `float`, `complex`) keeps the width
 * of the dtype it meets. As in JAX the result is not canonicalized (float32 with float64 is float64
 * even with x64 off), but with x64 off int32 with uint32 is int32.
 *
 * @example
 * np.promoteTypes("int8", "uint8")       // "int16"
 * np.promoteTypes("float16", "weakFloat") // "float16"
 * np.promoteTypes("bfloat16", "float16")  // "float32"
 */
export const promoteTypes = (a: DTypeName | WeakTypeName, b: DTypeName | WeakTypeName): DTypeName => {
  const n = leastUpperBound([nodeOf(a, "np.promoteTypes"), nodeOf(b, "np.promoteTypes")], x64Enabled())
  return isWeakTypeName(n) ? weakAsDType[n] : n
}

/** A dtype with JAX's weak-type flag. */
export interface WeakDType {
  readonly dtype: DTypeName
  readonly weakType: boolean
}

/** The lattice node of a (dtype, weak) pair: a weak non-bool dtype is the weak type of its kind. */
const jaxType = (t: WeakDType): LatticeNode => {
  if (!t.weakType || t.dtype === "bool") return t.dtype
  const k = dtypeKind(t.dtype)
  return k === "c" ? "weakComplex" : k === "f" ? "weakFloat" : "weakInt"
}

/**
 * The default dtype of a kind (JAX's `default_types`): what a weak result is stored as.
 *
 * @example
 * defaultDType("f", false) // "float32"
 */
export const defaultDType = (k: "b" | "u" | "i" | "f" | "c", x64: boolean): DTypeName =>
  canonicalize(k === "b" ? "bool" : k === "u" ? "uint64" : k === "i" ? "int64" : k === "f" ? "float64" : "complex128", x64)

/**
 * JAX's `result_type` with the weak-type flag (`return_weak_type_flag=True`): the dtypes are
 * canonicalized first (x64 off: 64-bit to 32-bit), then joined; a weak result has its kind's
 * default dtype.
 *
 * @example
 * resultWeakType([{ dtype: "int8", weakType: false }, { dtype: "float32", weakType: true }], false)
 * // { dtype: "float32", weakType: true }: a weak float beside int8 stays weak
 */
export const resultWeakType = (ts: ReadonlyArray<WeakDType>, x64: boolean = x64Enabled()): WeakDType => {
  if (ts.length === 0) throw new DTypeError("np.resultType: at least one array or dtype is required.")
  const cs = ts.map((t) => ({ dtype: canonicalize(t.dtype, x64), weakType: t.weakType }))
  let dtype: DTypeName
  let weakType: boolean
  if (cs.length === 1) {
    dtype = cs[0]!.dtype
    weakType = cs[0]!.weakType
  } else if (cs.every((c) => c.dtype === cs[0]!.dtype) && !cs.every((c) => c.weakType)) {
    dtype = cs[0]!.dtype
    weakType = false
  } else if (cs.every((c) => c.weakType)) {
    // All weak: join the strong counterparts and make the result weak (JAX's special case).
    const n = leastUpperBound(
      cs.map((c) => c.dtype),
      x64
    )
    dtype = isWeakTypeName(n) ? weakAsDType[n] : n
    weakType = true
  } else {
    const n = leastUpperBound(cs.map(jaxType), x64)
    weakType = isWeakTypeName(n)
    dtype = isWeakTypeName(n) ? weakAsDType[n] : n
  }
  return { dtype: weakType ? defaultDType(dtypeKind(dtype), x64) : dtype, weakType }
}

/** What `resultType` takes: arrays (anything with a dtype and weak flag), dtypes, weak types, JS scalars. */
export type ResultTypeArg = { readonly dtype: string; readonly weakType?: boolean } | DTypeName | WeakTypeName | number | boolean

const argType = (x: ResultTypeArg, x64: boolean): WeakDType => {
  if (typeof x === "boolean") return { dtype: "bool", weakType: false }
  if (typeof x === "number") return { dtype: defaultDType(Number.isInteger(x) ? "i" : "f", x64), weakType: true }
  if (typeof x === "string") {
    if (isWeakTypeName(x)) return { dtype: defaultDType(x === "weakInt" ? "i" : x === "weakFloat" ? "f" : "c", x64), weakType: true }
    return { dtype: checkDTypeName(x, "np.resultType"), weakType: false }
  }
  if (typeof x === "object" && x !== null && isDTypeName(x.dtype)) return { dtype: x.dtype, weakType: x.weakType === true }
  throw new DTypeError(`np.resultType: cannot read a dtype from ${String(x)}; give Arrays, dtype names, weak type names or JS scalars.`)
}

/**
 * `jnp.result_type(*args)`: the dtype of an operation's result on these operands, with JAX's
 * rules: JS numbers are weak (an integer a weak int, else a weak float), booleans are bool, and
 * with x64 off 64-bit dtypes count as their 32-bit counterparts.
 *
 * @example
 * np.resultType("int8", 2)              // "int8"
 * np.resultType("int8", 2.5)            // "float32"
 * np.resultType(np.ones([2]), "int32") // "float32"
 */
export const resultType = (...args: ReadonlyArray<ResultTypeArg>): DTypeName => {
  const x64 = x64Enabled()
  return resultWeakType(
    args.map((a) => argType(a, x64)),
    x64
  ).dtype
}
