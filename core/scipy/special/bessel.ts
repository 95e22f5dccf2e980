/**
 * Modified Bessel functions of the first kind, orders 0 and 1, and their exponentially scaled
 * forms (JAX's `i0`, `i0e`, `i1`, `i1e`, `lax.bessel_i0e`, `lax.bessel_i1e`). The scaled forms are
 * Chebyshev series (fits.ts) in x/4 - 1 on [0, 8] and in 16/x - 1 above, the usual split; i0 and
 * i1 multiply by exp(|x|), as JAX does. i0e and i1e differentiate by JAX's closed-form rules.
 */
import type { Array } from "../../array.js"
import { abs, add, div, exp, gt, le, mul, select, sign, sqrt, sub } from "../../primitives/elementwise.js"
import { customJvp } from "../../transforms/custom.js"
import { type Operand } from "../../numpy/coerce.js"
import { c, chebyshev, checkLaxFloats, finfo, float1 } from "./common.js"
import { I0E_LARGE, I0E_SMALL, I1E_LARGE, I1E_SMALL } from "./fits.js"

/** The argument of the [0, 8] series and of the [8, inf) series (safe where unused). */
const arguments_ = (u: Array): [Array, Array, Array] => {
  const small = le(u, c(u, 8))
  const sSmall = sub(mul(select(small, u, c(u, 0)), c(u, 0.25)), c(u, 1))
  const uLarge = select(small, c(u, 8), u)
  return [small, sSmall, sub(div(c(u, 16), uLarge), c(u, 1))]
}

const i0eImpl = (x: Array): Array => {
  const u = abs(x)
  const [small, sSmall, sLarge] = arguments_(u)
  return select(small, chebyshev(I0E_SMALL, sSmall), div(chebyshev(I0E_LARGE, sLarge), sqrt(u)))
}

const i1eImpl = (x: Array): Array => {
  const u = abs(x)
  const [small, sSmall, sLarge] = arguments_(u)
  // i1e is odd: x times an even series near 0, sign(x) times the large-argument form
  return select(small, mul(x, chebyshev(I1E_SMALL, sSmall)), mul(sign(x), div(chebyshev(I1E_LARGE, sLarge), sqrt(u))))
}

export const i0eRaw = customJvp((x: Array): Array => i0eImpl(x), { name: "bessel_i0e" })
export const i1eRaw = customJvp((x: Array): Array => i1eImpl(x), { name: "bessel_i1e" })

// d i0e = i1e(x) - sign(x) i0e(x)
i0eRaw.defjvp(([x], [t]) => {
  const y = i0eRaw(x)
  return [y, mul(t, sub(i1eRaw(x), mul(sign(x), y)))]
})
// d i1e = i0e(x) - i1e(x) (sign(x) + 1/x), 1/2 at x = 0 (JAX's rule, with its eps guard)
i1eRaw.defjvp(([x], [t]) => {
  const y = i1eRaw(x)
  const eps = finfo(x.dtype).eps
  const notTiny = gt(abs(x), c(x, eps))
  const safe = select(notTiny, x, c(x, eps))
  const d = sub(i0eRaw(safe), mul(y, add(sign(safe), div(c(x, 1), safe))))
  return [y, mul(t, select(notTiny, d, c(x, 0.5)))]
})

/**
 * The exponentially scaled modified Bessel function of order 0, i0e(x) = exp(-|x|) I0(x) (JAX's
 * `i0e`, `lax.bessel_i0e`).
 *
 * @example
 * scipy.special.i0e(np.array([0, 1, 10])) // Array([1.0000001 , 0.4657596 , 0.12783332], dtype=float32)
 */
export const i0e = (x: Operand): Array => i0eRaw(float1(x))

/**
 * The modified Bessel function of the first kind of order 0, I0(x) = exp(|x|) i0e(x) (JAX's `i0`).
 *
 * @example
 * scipy.special.i0(np.array([0, 1, 2])) // Array([1.0000001, 1.2660658, 2.2795854], dtype=float32)
 */
export const i0 = (x: Operand): Array => {
  const a = float1(x)
  return mul(exp(abs(a)), i0eRaw(a))
}

/**
 * The exponentially scaled modified Bessel function of order 1, i1e(x) = exp(-|x|) I1(x) (JAX's
 * `i1e`, `lax.bessel_i1e`); odd in x.
 *
 * @example
 * scipy.special.i1e(np.array([0, 1, -10])) // Array([ 0.        ,  0.20791042, -0.12126268], dtype=float32)
 */
export const i1e = (x: Operand): Array => i1eRaw(float1(x))

/**
 * The modified Bessel function of the first kind of order 1, I1(x) = exp(|x|) i1e(x) (JAX's `i1`).
 *
 * @example
 * scipy.special.i1(np.array([0, 1, 2])) // Array([0.       , 0.5651591, 1.5906371], dtype=float32)
 */
export const i1 = (x: Operand): Array => {
  const a = float1(x)
  return mul(exp(abs(a)), i1eRaw(a))
}

/**
 * `lax.besselI0e(x)`: exp(-|x|) I0(x) on a float array (no promotion).
 *
 * @example
 * lax.besselI0e(np.array([1], { dtype: "float32" })) // Array([0.4657596], dtype=float32)
 */
export const laxBesselI0e = (x: Array): Array => {
  checkLaxFloats("besselI0e", x)
  return i0eRaw(x)
}

/**
 * `lax.besselI1e(x)`: exp(-|x|) I1(x) on a float array (no promotion).
 *
 * @example
 * lax.besselI1e(np.array([1], { dtype: "float32" })) // Array([0.20791042], dtype=float32)
 */
export const laxBesselI1e = (x: Array): Array => {
  checkLaxFloats("besselI1e", x)
  return i1eRaw(x)
}
