/**
 * The standard normal distribution function and its relatives (JAX's `ndtr`, `log_ndtr`,
 * `ndtri`).
 *
 * - ndtr(x) = erfc(-x/√2) / 2, through erf near 0 and erfc elsewhere, as JAX's.
 * - log_ndtr(x) for x <= 0 is log(1/2) - x²/2 + log(erfcx(-x/√2)), which stays accurate down to
 *   -inf with no asymptotic series (JAX switches to one below -10 in float32), and
 *   log1p(-ndtr(-x)) for x > 0.
 * - ndtri(p) starts from Abramowitz and Stegun 26.2.23 (error below 4.5e-4) for the lower half
 *   q = min(p, 1 - p) and takes Newton steps on log ndtr(x) = log q (two in float32, three in
 *   float64: the error squares at each step).
 *
 * Derivatives are closed forms through customJvp: log_ndtr' = φ/Φ (JAX's rule), ndtri' = 1/φ.
 */
import type { Array } from "../../array.js"
import { ValueError } from "../../errors.js"
import { abs, add, div, eq, erf as laxErf, exp, gt, le, log, log1p, lt, mul, neg, or, select, sqrt, sub } from "../../primitives/elementwise.js"
import { customJvp } from "../../transforms/custom.js"
import { type Operand } from "../../numpy/coerce.js"
import { c, float1, isNan, polynomial, replace } from "./common.js"
import { erfcRaw, erfcxPositive } from "./erf.js"
import { checkOptions, optionKeys } from "../../options.js"

const SQRT_HALF = Math.SQRT1_2
/** log(1/√(2π)) */
const LOG_INV_SQRT_2PI = -0.5 * Math.log(2 * Math.PI)

/** ndtr on float arrays. */
export const ndtrRaw = (x: Array): Array => {
  const w = mul(x, c(x, SQRT_HALF))
  const z = abs(w)
  const y = select(lt(z, c(z, SQRT_HALF)), add(c(w, 1), laxErf(w)), select(gt(w, c(w, 0)), sub(c(w, 2), erfcRaw(z)), erfcRaw(z)))
  return mul(c(y, 0.5), y)
}

const logNdtrImpl = (x: Array): Array => {
  const nonPositive = le(x, c(x, 0))
  const w = mul(neg(select(nonPositive, x, c(x, 0))), c(x, SQRT_HALF))
  const lower = add(sub(c(x, Math.log(0.5)), mul(w, w)), log(erfcxPositive(w)))
  const upper = log1p(neg(ndtrRaw(neg(select(nonPositive, c(x, 1), x)))))
  return select(nonPositive, lower, upper)
}

/** φ(x) / Φ(x), for x <= 0 as √(2/π) / erfcx(-x/√2) (no cancellation of two huge logs). */
const inverseMills = (x: Array): Array => {
  const nonPositive = le(x, c(x, 0))
  const w = mul(neg(select(nonPositive, x, c(x, 0))), c(x, SQRT_HALF))
  const lower = div(c(x, Math.sqrt(2 / Math.PI)), erfcxPositive(w))
  const xp = select(nonPositive, c(x, 1), x)
  const upper = div(exp(add(mul(c(xp, -0.5), mul(xp, xp)), c(xp, LOG_INV_SQRT_2PI))), ndtrRaw(xp))
  return select(nonPositive, lower, upper)
}

export const logNdtrRaw = customJvp((x: Array): Array => logNdtrImpl(x), { name: "log_ndtr" })
logNdtrRaw.defjvp(([x], [t]) => [logNdtrRaw(x), mul(t, inverseMills(x))])

/** Abramowitz and Stegun 26.2.23: x with Φ(x) ≈ q for 0 < q <= 1/2 (|error| < 4.5e-4). */
const A_S_NUMERATOR = [2.515517, 0.802853, 0.010328]
const A_S_DENOMINATOR = [1, 1.432788, 0.189269, 0.001308]

const ndtriImpl = (p: Array): Array => {
  const upperHalf = gt(p, c(p, 0.5))
  const q0 = select(upperHalf, sub(c(p, 1), p), p) // exact for p > 1/2
  const bad = or(le(q0, c(q0, 0)), isNan(q0))
  const q = select(bad, c(q0, 0.5), q0)
  const t = sqrt(mul(c(q, -2), log(q)))
  let x = neg(sub(t, div(polynomial(A_S_NUMERATOR, t), polynomial(A_S_DENOMINATOR, t))))
  const logQ = log(q)
  const steps = p.dtype === "float64" ? 3 : 2
  for (let i = 0; i < steps; i++) x = sub(x, div(sub(logNdtrImpl(x), logQ), inverseMills(x)))
  const out = select(upperHalf, neg(x), x)
  const edges = replace(eq(p, c(p, 0)), -Infinity, replace(eq(p, c(p, 1)), Infinity, out))
  return replace(or(or(lt(p, c(p, 0)), gt(p, c(p, 1))), isNan(p)), NaN, edges)
}

export const ndtriRaw = customJvp((p: Array): Array => ndtriImpl(p), { name: "ndtri" })
// d ndtri / dp = 1 / φ(ndtri(p)) = √(2π) exp(x²/2)
ndtriRaw.defjvp(([p], [t]) => {
  const x = ndtriRaw(p)
  return [x, mul(t, exp(sub(mul(c(x, 0.5), mul(x, x)), c(x, LOG_INV_SQRT_2PI))))]
})

/**
 * The standard normal CDF Φ(x) = erfc(-x/√2) / 2 (JAX's `ndtr`), accurate in both tails.
 *
 * @example
 * scipy.special.ndtr(np.array([-1, 0, 1])) // Array([0.15865527, 0.5       , 0.8413447 ], dtype=float32)
 */
export const ndtr = (x: Operand): Array => ndtrRaw(float1(x))

export interface LogNdtrOptions {
  /**
   * JAX's `series_order` (0 to 30, default 3) chooses its asymptotic series for x < -10; here
   * the value does not depend on it (the erfcx form is accurate everywhere), but it is checked.
   */
  readonly seriesOrder?: number | undefined
}
const LOG_NDTR_KEYS = optionKeys<LogNdtrOptions>()("seriesOrder")

/**
 * The log of the standard normal CDF, log Φ(x) (JAX's `log_ndtr`), accurate for very negative x
 * (log_ndtr(-40) = -804.6) and near 0 for large x. Its derivative is φ(x)/Φ(x).
 *
 * @example
 * scipy.special.logNdtr(np.array([-10, 0, 3])) // Array([-5.3231285e+01, -6.9314718e-01, -1.3508106e-03], dtype=float32)
 */
export const logNdtr = (x: Operand, options?: LogNdtrOptions): Array => {
  checkOptions("scipy.special.logNdtr", options, LOG_NDTR_KEYS)
  const order = options?.seriesOrder ?? 3
  if (!Number.isInteger(order) || order < 0 || order > 30) {
    throw new ValueError(`scipy.special.logNdtr: seriesOrder must be an integer in [0, 30], got ${order}.`)
  }
  return logNdtrRaw(float1(x))
}

/**
 * The inverse of the standard normal CDF: ndtr(ndtri(p)) = p for p in (0, 1), ∓inf at 0 and 1,
 * NaN outside (JAX's `ndtri`). Its derivative is 1/φ(ndtri(p)).
 *
 * @example
 * scipy.special.ndtri(np.array([0.025, 0.5, 0.975])) // Array([-1.959964 , -0.       ,  1.9599644], dtype=float32)
 */
export const ndtri = (p: Operand): Array => ndtriRaw(float1(p))
