/**
 * Helpers shared by the special functions: operand promotion (integers become float32, JS numbers
 * stay weakly typed, ranks aligned as in `np`), dtype limits, masks, broadcasting for loops, and
 * Clenshaw evaluation of the Chebyshev series in `fits.ts`.
 */
import type { Array } from "../../array.js"
import { type DType, isFloat, shortName } from "../../dtype.js"
import { DTypeError } from "../../errors.js"
import { broadcastShapes } from "../../shape.js"
import { constLike } from "../../primitives/common.js"
import { add, and, convertElementType, eq, mul, ne, not, or, select, sub } from "../../primitives/elementwise.js"
import { broadcastTo } from "../../primitives/shape-ops.js"
import { type Operand, promote } from "../../numpy/coerce.js"
import type { ChebyshevSeries } from "./fits.js"

/** A weak scalar of x's dtype (broadcasts against x in the elementwise primitives). */
export const c = (x: Array, value: number): Array => constLike(x, value)

/** One operand as a float Array: integers and bools become float32, as in JAX's promote_args_inexact. */
export const float1 = (x: Operand): Array => promote([x], "float")[0]!

/** Operands promoted to one float dtype with aligned ranks. */
export const floats = (...xs: ReadonlyArray<Operand>): Array[] => promote(xs, "float")

/** Operands broadcast to one full shape (loop carries need a fixed shape). */
export const broadcastAll = (xs: ReadonlyArray<Array>): Array[] => {
  const shape = broadcastShapes(...xs.map((x) => x.shape))
  return xs.map((x) => (x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i]) ? x : broadcastTo(x, shape)))
}

/** Machine epsilon, smallest normal and largest finite value of a float dtype. */
export const finfo = (dtype: DType): { readonly eps: number; readonly tiny: number; readonly max: number } =>
  dtype === "float64" ? { eps: 2 ** -52, tiny: 2 ** -1022, max: Number.MAX_VALUE } : { eps: 2 ** -23, tiny: 2 ** -126, max: (2 - 2 ** -23) * 2 ** 127 }

export const isNan = (x: Array): Array => ne(x, x)
export const anyOf = (...ms: ReadonlyArray<Array>): Array => ms.reduce((a, b) => or(a, b))
export const allOf = (...ms: ReadonlyArray<Array>): Array => ms.reduce((a, b) => and(a, b))
export const isInf = (x: Array): Array => eq(x, c(x, Infinity))
export const isNegInf = (x: Array): Array => eq(x, c(x, -Infinity))
export { not }

/** `out` with the weak type of `like` (a result built from constants alone would be weak). */
export const weakAs = (out: Array, like: Array): Array => (out.weakType === like.weakType ? out : convertElementType(out, out.dtype, like.weakType))

/** `where(mask, value, x)` with a scalar value of x's dtype. */
export const replace = (mask: Array, value: number, x: Array): Array => select(mask, c(x, value), x)

/**
 * Sum of `coefficients[j] T_j(s)` over the first `f32`/`f64` terms (by s's dtype), by Clenshaw's
 * recurrence, which is stable for |s| <= 1.
 */
export const chebyshev = (series: ChebyshevSeries, s: Array): Array => {
  const n = s.dtype === "float64" ? series.f64 : series.f32
  const cs = series.coefficients
  const twoS = add(s, s)
  let b1 = c(s, 0)
  let b2 = c(s, 0)
  for (let j = n - 1; j >= 1; j--) {
    const b0 = add(sub(mul(twoS, b1), b2), c(s, cs[j]!))
    b2 = b1
    b1 = b0
  }
  return add(sub(mul(s, b1), b2), c(s, cs[0]!))
}

/** Horner evaluation of `sum coefficients[j] x^j` (ascending powers). */
export const polynomial = (coefficients: ReadonlyArray<number>, x: Array): Array => {
  let acc = c(x, coefficients[coefficients.length - 1]!)
  for (let j = coefficients.length - 2; j >= 0; j--) acc = add(mul(acc, x), c(x, coefficients[j]!))
  return acc
}

/** lax-level operand check: float arrays of one dtype (lax does not promote). */
export const checkLaxFloats = (name: string, ...xs: ReadonlyArray<Array>): void => {
  const d = xs[0]!.dtype
  for (const x of xs) {
    if (!isFloat(x.dtype)) {
      throw new DTypeError(`lax.${name} takes float operands, got ${x.dtype}; convert with x.astype("float32") or use scipy.special, which promotes.`)
    }
    if (x.dtype !== d) {
      throw new DTypeError(
        `lax.${name} needs operands of one dtype, got ${shortName[d]} and ${shortName[x.dtype]}; cast one with astype, or use scipy.special, which promotes.`
      )
    }
  }
}
