/**
 * np.linalg's norms with JAX's definitions: `norm` (a vector norm over one axis, a matrix norm
 * over two, and for axis null the 2-norm of everything when ord is null), `vectorNorm` and
 * `matrixNorm` (the array API's); complex arrays give real norms (of |x|).
 */
import type { Array } from "../../array.js"
import { ValueError } from "../../errors.js"
import * as L from "../../lax/linalg.js"
import { checkOptions } from "../../options.js"
import { normalizeAxis } from "../../shape.js"
import type { ArrayLike } from "../coerce.js"
import { abs, power, sqrt } from "../math.js"
import { max, min, sum } from "../reductions.js"
import { expandDims, moveaxis } from "../shape.js"
import { absSquared, inexactOrComplex, realDTypeOf } from "./common.js"

/** A norm's order: a number (Infinity and -Infinity included), "fro", "nuc", or null (the default). */
export type NormOrd = number | "fro" | "f" | "nuc" | null

export interface NormOptions {
  /** The order (default null: 2 for vectors, Frobenius for matrices). */
  readonly ord?: NormOrd
  /** One axis (a vector norm), two (a matrix norm), or null (every axis). */
  readonly axis?: number | readonly [number] | readonly [number, number] | null
  /** Keep the reduced axes with size 1 (default false). */
  readonly keepdims?: boolean
}

const vectorNormOf = (x: Array, ord: NormOrd, axis: ReadonlyArray<number> | null, keepdims: boolean): Array => {
  const o = axis === null ? { keepdims } : { axis: [...axis], keepdims }
  if (ord === null || ord === 2) return sqrt(sum(absSquared(x), o))
  if (ord === Infinity) return max(abs(x), o)
  if (ord === -Infinity) return min(abs(x), o)
  if (ord === 0) return sum(x.ne(0), o).astype(realDTypeOf(x))
  if (ord === 1) return sum(abs(x), o)
  if (typeof ord === "string") throw new ValueError(`np.linalg.norm: invalid order "${ord}" for a vector norm; use a number (Infinity for the max norm).`)
  return power(sum(power(abs(x), ord), o), 1 / ord)
}

const matrixNormOf = (x: Array, ord: NormOrd, axes: readonly [number, number], keepdims: boolean): Array => {
  let [row, col] = axes
  if (ord === null || ord === "fro" || ord === "f") return sqrt(sum(absSquared(x), { axis: [row, col], keepdims }))
  if (ord === 1 || ord === -1) {
    if (!keepdims && col > row) col -= 1
    const s = sum(abs(x), { axis: row, keepdims })
    return ord === 1 ? max(s, { axis: col, keepdims }) : min(s, { axis: col, keepdims })
  }
  if (ord === Infinity || ord === -Infinity) {
    if (!keepdims && row > col) row -= 1
    const s = sum(abs(x), { axis: col, keepdims })
    return ord === Infinity ? max(s, { axis: row, keepdims }) : min(s, { axis: row, keepdims })
  }
  if (ord === "nuc" || ord === 2 || ord === -2) {
    const s = L.svd(moveaxis(x, [row, col], [-2, -1]), { computeUv: false })
    const y = ord === 2 ? max(s, { axis: -1 }) : ord === -2 ? min(s, { axis: -1 }) : sum(s, { axis: -1 })
    return keepdims
      ? expandDims(
          y,
          [...axes].sort((a, b) => a - b)
        )
      : y
  }
  throw new ValueError(`np.linalg.norm: invalid order ${JSON.stringify(ord)} for a matrix norm; use null, "fro", "nuc", 1, -1, 2, -2, Infinity or -Infinity.`)
}

/**
 * `jnp.linalg.norm`: a vector norm (one axis, or a 1-D array), a matrix norm (two axes, or a
 * 2-D array), or with axis and ord null the 2-norm of all elements.
 *
 * @example
 * np.linalg.norm([3, 4]) // 5
 * np.linalg.norm([[1, 2], [3, 4]], { ord: 1 }) // 6
 */
export const norm = (x: ArrayLike, options?: NormOptions): Array => {
  const { ord = null, axis = null, keepdims = false } = checkOptions("np.linalg.norm", options, ["ord", "axis", "keepdims"]) ?? {}
  const a = inexactOrComplex(x)
  if (axis === null && ord === null) return sqrt(sum(absSquared(a), { keepdims }))
  const axes =
    axis === null ? a.shape.map((_, i) => i) : (typeof axis === "number" ? [axis] : [...axis]).map((d) => normalizeAxis(d, a.ndim, "np.linalg.norm: axis"))
  if (axes.length === 1) return vectorNormOf(a, ord ?? 2, axes, keepdims)
  if (axes.length === 2) return matrixNormOf(a, ord, [axes[0]!, axes[1]!], keepdims)
  throw new ValueError(
    `np.linalg.norm: ${axes.length} axes; pass one axis for a vector norm or two for a matrix norm (an array of rank ${a.ndim} with ord given needs axis).`
  )
}

export interface VectorNormOptions {
  /** The axes reduced (default null: all). */
  readonly axis?: number | ReadonlyArray<number> | null
  /** Keep the reduced axes with size 1 (default false). */
  readonly keepdims?: boolean
  /** The order (default 2). */
  readonly ord?: number
}

/**
 * `jnp.linalg.vector_norm`: the vector norm of order `ord` over `axis` (all axes by default,
 * the array taken as one vector).
 *
 * @example
 * np.linalg.vectorNorm([[3, 4], [0, 0]]) // 5
 */
export const vectorNorm = (x: ArrayLike, options?: VectorNormOptions): Array => {
  const { axis = null, keepdims = false, ord = 2 } = checkOptions("np.linalg.vectorNorm", options, ["axis", "keepdims", "ord"]) ?? {}
  const a = inexactOrComplex(x)
  const axes = axis === null ? null : (typeof axis === "number" ? [axis] : [...axis]).map((d) => normalizeAxis(d, a.ndim, "np.linalg.vectorNorm: axis"))
  return vectorNormOf(a, ord, axes, keepdims)
}

export interface MatrixNormOptions {
  /** Keep the reduced axes with size 1 (default false). */
  readonly keepdims?: boolean
  /** The order (default "fro"). */
  readonly ord?: NormOrd
}

/**
 * `jnp.linalg.matrix_norm`: the matrix norm of order `ord` (default Frobenius) over the last two axes.
 *
 * @example
 * np.linalg.matrixNorm([[1, 2], [3, 4]], { ord: Infinity }) // 7
 */
export const matrixNorm = (x: ArrayLike, options?: MatrixNormOptions): Array => {
  const { keepdims = false, ord = "fro" } = checkOptions("np.linalg.matrixNorm", options, ["keepdims", "ord"]) ?? {}
  const a = inexactOrComplex(x)
  if (a.ndim < 2) throw new ValueError(`np.linalg.matrixNorm needs an array of rank >= 2, got rank ${a.ndim}.`)
  return matrixNormOf(a, ord, [a.ndim - 2, a.ndim - 1], keepdims)
}
