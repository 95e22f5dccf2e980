/**
 * `np.polyfit`: the least-squares polynomial fit, as JAX computes it (a Vandermonde matrix whose
 * columns are scaled to unit norm, solved by `np.linalg.lstsq`).
 */
import { Array } from "../array.js"
import { ShapeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { type ArrayLike, asArray, promoteDtypes } from "./coerce.js"
import { epsOf } from "./linalg/common.js"
import { inv, lstsq } from "./linalg/solve.js"
import { matmul, outer } from "./linalg.js"
import { divide, multiply, sqrt } from "./math.js"
import { sum } from "./reductions.js"
import { expandDims, reshape, transpose } from "./shape.js"
import { vander } from "./poly.js"

export interface PolyfitOptions {
  /** Relative cutoff for small singular values (default `len(x) * eps` of x's dtype). */
  readonly rcond?: number
  /** Also return the residuals, rank, singular values and rcond (default false). */
  readonly full?: boolean
  /** Weights applied to the unsquared residuals, one per sample. */
  readonly w?: ArrayLike
  /** Also return the coefficients' covariance matrix: scaled by the residuals (true) or "unscaled". */
  readonly cov?: boolean | "unscaled"
}
const POLYFIT_KEYS = optionKeys<PolyfitOptions>()("rcond", "full", "w", "cov")

const show = (s: ReadonlyArray<number>): string => `(${s.join(", ")}${s.length === 1 ? "," : ""})`

/**
 * `jnp.polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False)`: the coefficients (highest
 * power first) of the degree-`deg` polynomial that best fits the points (x, y) in least squares;
 * y may be 2-D, one fit per column. With `full` it returns `[p, residuals, rank, s, rcond]`, with
 * `cov` `[p, covariance]` (shape (deg+1, deg+1), or (deg+1, deg+1, k) for a 2-D y).
 *
 * @example
 * np.polyfit(np.array([0, 1, 2, 3]), np.array([1, 3, 5, 7]), 1) // ≈ [2, 1]
 */
export function polyfit(x: ArrayLike, y: ArrayLike, deg: number, options: PolyfitOptions & { readonly full: true }): [Array, Array, Array, Array, Array]
export function polyfit(x: ArrayLike, y: ArrayLike, deg: number, options: PolyfitOptions & { readonly cov: true | "unscaled" }): [Array, Array]
export function polyfit(x: ArrayLike, y: ArrayLike, deg: number, options?: PolyfitOptions): Array
export function polyfit(x: ArrayLike, y: ArrayLike, deg: number, options?: PolyfitOptions): Array | Array[] {
  checkOptions("np.polyfit", options, POLYFIT_KEYS)
  if (!Number.isInteger(deg) || deg < 0) throw new ValueError(`np.polyfit: deg must be a non-negative integer, got ${deg}.`)
  const order = deg + 1
  const xa0 = x instanceof Array ? x : asArray(x)
  const ya0 = y instanceof Array ? y : asArray(y)
  if (xa0.ndim !== 1) throw new ShapeError(`np.polyfit: x must be a 1-D vector, got shape ${show(xa0.shape)}.`)
  if (xa0.shape[0] === 0) throw new ShapeError("np.polyfit: x is empty; give at least one sample.")
  if (ya0.ndim < 1 || ya0.ndim > 2) throw new ShapeError(`np.polyfit: y must be 1-D or 2-D, got shape ${show(ya0.shape)}.`)
  if (xa0.shape[0] !== ya0.shape[0]) throw new ShapeError(`np.polyfit: x ${show(xa0.shape)} and y ${show(ya0.shape)} must have the same length.`)
  const [xa] = promoteDtypes([xa0], "float") as [Array]
  const n = xa.shape[0]!
  const rcond = options?.rcond ?? n * epsOf(xa)
  let lhs = vander(xa, { N: order })
  let rhs = ya0
  if (options?.w !== undefined) {
    const [w] = promoteDtypes([options.w instanceof Array ? options.w : asArray(options.w)], "float") as [Array]
    if (w.ndim !== 1) throw new ShapeError(`np.polyfit: the weights w must be 1-D, got shape ${show(w.shape)}.`)
    if (w.shape[0] !== n) throw new ShapeError(`np.polyfit: w ${show(w.shape)} and y ${show(ya0.shape)} must have the same length.`)
    lhs = multiply(lhs, expandDims(w, 1))
    rhs = multiply(rhs, rhs.ndim === 2 ? expandDims(w, 1) : w)
  }
  const scale = sqrt(sum(multiply(lhs, lhs), { axis: 0 }))
  lhs = divide(lhs, expandDims(scale, 0))
  const [c0, resids, rank, s] = lstsq(lhs, rhs, { rcond })
  const c = c0.ndim > 1 ? divide(c0, expandDims(scale, 1)) : divide(c0, scale)
  if (options?.full === true) return [c, resids, rank, s, asArray(rcond, xa.dtype)]
  const cov = options?.cov ?? false
  if (cov === false) return c
  const vbase = divide(inv(matmul(transpose(lhs), lhs)), outer(scale, scale))
  let fac: Array
  if (cov === "unscaled") fac = reshape(asArray(1, vbase.dtype), [1])
  else {
    if (n <= order) throw new ValueError(`np.polyfit: scaling the covariance needs more data points (${n}) than coefficients (${order}); pass cov: "unscaled".`)
    fac = divide(resids, n - order)
  }
  return ya0.ndim === 1 ? [c, multiply(vbase, fac)] : [c, multiply(expandDims(vbase, 2), reshape(fac, [1, 1, fac.size]))]
}
