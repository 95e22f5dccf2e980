/**
 * `np.roots`: the roots of a polynomial (coefficients highest power first) as the eigenvalues of
 * its companion matrix, as JAX computes them (always complex; leading zeros stripped by default,
 * or kept as NaN roots with `stripZeros: false`, the form that works under jit and vmap).
 */
import { Array } from "../array.js"
import { complexDTypeOf } from "../dtype.js"
import { ConcretizationError, ShapeError } from "../errors.js"
import { sort } from "../lax/sorting.js"
import { checkOptions, optionKeys } from "../options.js"
import { complex } from "../lax/complex.js"
import { slice } from "../primitives/shape-ops.js"
import { type ArrayLike, asArray, promoteDtypes } from "./coerce.js"
import { arange, eye, zeros } from "./creation.js"
import { eigvals } from "./linalg/decompositions.js"
import { imag, real } from "./complex.js"
import { divide, equal, less, negative, subtract, where } from "./math.js"
import { all, argmin } from "./reductions.js"
import { roll } from "./arrange.js"
import { concatenate, expandDims, reshape } from "./shape.js"

export interface RootsOptions {
  /**
   * Strip leading zero coefficients first (default true, as NumPy), which needs their count to be
   * concrete; with false the result has one NaN root per leading zero, and works under jit.
   */
  readonly stripZeros?: boolean
}
const ROOTS_KEYS = optionKeys<RootsOptions>()("stripZeros")

/** The eigenvalues of the companion matrix of p (p[0] nonzero, or NaN roots when it is zero). */
const rootsNoZeros = (p: Array): Array => {
  const n = p.shape[0]!
  if (n < 2) return zeros([0], { dtype: complexDTypeOf(p.dtype) })
  const m = n - 1
  const top = negative(divide(slice(p, [1], [n]), slice(p, [0], [1])))
  const a = concatenate([expandDims(top, 0), eye(m - 1, m, { dtype: p.dtype })], 0)
  return eigvals(a)
}

/**
 * `jnp.roots(p, strip_zeros=True)`: the roots of the polynomial with 1-D coefficients `p`
 * (highest power first), the eigenvalues of its companion matrix in LAPACK's order, always as a
 * complex array (complex64 for float32 coefficients). A constant polynomial has no roots. With
 * `stripZeros: false` the leading zeros are kept and give NaN roots at the end, the zero roots
 * coming just before them, so the result's length is fixed and it works under jit and vmap.
 *
 * @example
 * np.roots(np.array([1, -3, 2], { dtype: "float32" })) // [2+0j, 1+0j]
 */
export const roots = (p: ArrayLike, options?: RootsOptions): Array => {
  const { stripZeros = true } = checkOptions("np.roots", options, ROOTS_KEYS) ?? {}
  const [x0] = promoteDtypes([p instanceof Array ? p : asArray(p)], "float") as [Array]
  const x = x0.ndim === 0 ? reshape(x0, [1]) : x0
  if (x.ndim !== 1) throw new ShapeError(`np.roots: the coefficients must be a 1-D array, got shape (${x.shape.join(", ")}).`)
  const n = x.shape[0]!
  if (n < 2) return zeros([0], { dtype: complexDTypeOf(x.dtype) })
  const isZero = equal(x, 0)
  const leading = where(all(isZero), n, argmin(isZero))
  if (stripZeros) {
    let k: number
    try {
      k = leading.item() as number
    } catch (e) {
      if (e instanceof ConcretizationError)
        throw new ConcretizationError(
          "np.roots: stripping the leading zeros needs their count, which depends on the values of a traced array; " +
            "under jit or vmap pass { stripZeros: false } (each leading zero then gives a NaN root)."
        )
      throw e
    }
    return rootsNoZeros(slice(x, [k], [n]))
  }
  // keep the length: roll the leading zeros to the end, move the zero roots they give last, make them NaN
  const safe = where(equal(leading, n), 1, x)
  const r = rootsNoZeros(roll(safe, negative(leading)))
  // a stable sort on the key "is zero" (complex values travel as their two parts)
  const [, re, im] = sort([equal(r, 0), real(r), imag(r)], { numKeys: 1 }) as [Array, Array, Array]
  const sorted = complex(re, im)
  return where(less(arange(n - 1), subtract(n - 1, leading)), sorted, complex(NaN, NaN))
}
