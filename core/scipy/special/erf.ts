/**
 * Error functions: erf and erfinv (the existing lax primitives, with promotion), erfc and erfcx
 * (JAX's `erfc`, `lax.erfc`, `erfcx`).
 *
 * erfcx(x) = exp(x²) erfc(x) for x >= 0 is a Chebyshev series in s = (x - 4) / (x + 4) (fits.ts),
 * which covers [0, inf) with full relative accuracy; erfc(x) = exp(-x²) erfcx(x) for |x| >= 1/2
 * (with exp(-x²) split so that the square is exact) and 1 - erf(x) inside. Their derivatives are
 * the closed forms, through customJvp (JAX's erfc_p and _erfcx rules).
 */
import type { Array } from "../../array.js"
import { abs, add, div, erf as laxErf, exp, gt, lt, min, mul, neg, round, select, sub } from "../../primitives/elementwise.js"
import { erfInv } from "../../primitives/bits.js"
import { customJvp } from "../../transforms/custom.js"
import { type Operand } from "../../numpy/coerce.js"
import { c, chebyshev, checkLaxFloats, float1 } from "./common.js"
import { ERFCX_SCALED } from "./fits.js"

/** The centre of the map s = (x - K) / (x + K) used by the erfcx series. */
const K = 4

/** erfcx(u) for u >= 0 (including inf, where it is 0). */
export const erfcxPositive = (u: Array): Array => {
  const uk = add(u, c(u, K))
  const s = sub(c(u, 1), div(c(u, 2 * K), uk)) // (u - K) / (u + K), 1 at u = inf
  return div(chebyshev(ERFCX_SCALED, s), uk)
}

/**
 * exp(sign * u²) for u >= 0 with u = h + l, h a multiple of 1/16 (so h² is exact):
 * exp(sign h²) exp(sign l (u + h)). Without the split, the rounding of u² alone costs a relative
 * error of u² eps (5e-6 at u = 9 in float32).
 */
export const expSquare = (u: Array, sign: 1 | -1): Array => {
  const h = div(round(mul(u, c(u, 16))), c(u, 16))
  const l = sub(u, h)
  const f = (v: Array): Array => exp(sign === 1 ? v : neg(v))
  return mul(f(mul(h, h)), f(mul(l, add(u, h))))
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI)

/** erfc on float arrays. */
const erfcImpl = (x: Array): Array => {
  const u = abs(x)
  // Past 40, exp(-u²) is 0 in both dtypes; clamping avoids inf - inf in the split.
  const tail = mul(expSquare(min(u, c(u, 40)), -1), erfcxPositive(u))
  const large = select(gt(x, c(x, 0)), tail, sub(c(tail, 2), tail))
  return select(lt(u, c(u, 0.5)), sub(c(x, 1), laxErf(x)), large)
}

export const erfcRaw = customJvp((x: Array): Array => erfcImpl(x), { name: "erfc" })
erfcRaw.defjvp(([x], [t]) => [erfcRaw(x), mul(t, mul(c(x, -TWO_OVER_SQRT_PI), exp(neg(mul(x, x)))))])

const erfcxImpl = (x: Array): Array => {
  const positive = erfcxPositive(abs(x))
  // erfcx(-u) = 2 exp(u²) - erfcx(u); overflows to inf below about -9.4 in float32
  const negative = sub(mul(c(x, 2), expSquare(min(abs(x), c(x, 40)), 1)), positive)
  return select(lt(x, c(x, 0)), select(lt(x, c(x, -40)), c(x, Infinity), negative), positive)
}

const erfcxRaw = customJvp((x: Array): Array => erfcxImpl(x), { name: "erfcx" })
erfcxRaw.defjvp(([x], [t]) => {
  const y = erfcxRaw(x)
  return [y, mul(t, sub(mul(mul(c(x, 2), x), y), c(x, TWO_OVER_SQRT_PI)))]
})

/**
 * The error function erf(x) = 2/√π ∫₀ˣ exp(-t²) dt (JAX's `jax.scipy.special.erf`, which is
 * `lax.erf`); integers are promoted to float32.
 *
 * @example
 * scipy.special.erf(np.array([0, 0.5, 2])) // Array([0.       , 0.5204999, 0.9953223], dtype=float32)
 */
export const erf = (x: Operand): Array => laxErf(float1(x))

/**
 * The complementary error function erfc(x) = 1 - erf(x), accurate where it is tiny (JAX's `erfc`):
 * erfc(10) = 2.1e-45 in float32 rather than 0. Its derivative is -2/√π exp(-x²).
 *
 * @example
 * scipy.special.erfc(np.array([0, 1, 5])) // Array([1.0000000e+00, 1.5729922e-01, 1.5374597e-12], dtype=float32)
 */
export const erfc = (x: Operand): Array => erfcRaw(float1(x))

/**
 * The scaled complementary error function erfcx(x) = exp(x²) erfc(x) (JAX's `erfcx`): finite and
 * about 1/(x√π) for large x, overflowing to inf for x below about -9.4 in float32. Its derivative is
 * 2x erfcx(x) - 2/√π.
 *
 * @example
 * scipy.special.erfcx(np.array([0, 1, 100])) // Array([1.        , 0.4275836 , 0.00564161], dtype=float32)
 */
export const erfcx = (x: Operand): Array => erfcxRaw(float1(x))

/**
 * The inverse error function, erf(erfinv(y)) = y for y in (-1, 1), ±inf at ±1, NaN outside (JAX's
 * `erfinv`, the `lax.erfInv` primitive with XLA's float32 algorithm).
 *
 * @example
 * scipy.special.erfinv(np.array([0, 0.5, -0.9])) // Array([ 0.        ,  0.47693628, -1.163087  ], dtype=float32)
 */
export const erfinv = (x: Operand): Array => erfInv(float1(x))

/**
 * `lax.erfc(x)`: the complementary error function on a float array (no promotion).
 *
 * @example
 * lax.erfc(np.array([0, 1], { dtype: "float32" })) // Array([1.        , 0.15729922], dtype=float32)
 */
export const laxErfc = (x: Array): Array => {
  checkLaxFloats("erfc", x)
  return erfcRaw(x)
}
