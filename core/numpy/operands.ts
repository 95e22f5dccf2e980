/**
 * The operands of np's products (dot, matmul, tensordot, einsum, ...): promoted to one dtype, with
 * bool products computed in int32 and cast back, as JAX does. Internal: not part of np.
 */
import { Array } from "../array.js"
import { convertElementType } from "../primitives/elementwise.js"
import { type ArrayLike, asArray, type Operand, promoteDtypes } from "./coerce.js"

/** 0..n-1 shifted by `from`. */
export const seq = (n: number, from = 0): number[] => globalThis.Array.from({ length: n }, (_, i) => from + i)

const toOperand = (x: ArrayLike): Operand => (x instanceof Array || typeof x === "number" || typeof x === "boolean" ? x : asArray(x))

/** Promote operands to their common dtype; `finish` casts a bool product back to bool (einsum's too). */
export const prepare = (xs: ReadonlyArray<ArrayLike>): { readonly arrays: Array[]; readonly finish: (y: Array) => Array } => {
  const arrays = promoteDtypes(xs.map(toOperand))
  if (arrays[0]?.dtype !== "bool") return { arrays, finish: (y) => y }
  return {
    arrays: arrays.map((a) => convertElementType(a, "int32", a.weakType)),
    finish: (y) => convertElementType(y, "bool")
  }
}
