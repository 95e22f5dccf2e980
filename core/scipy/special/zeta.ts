/**
 * The Hurwitz zeta function ζ(s, q) = sum_k (q + k)^-s (JAX's `zeta`, `lax.zeta`), by
 * Euler-Maclaurin summation: nine terms summed directly, the tail as an integral plus twelve
 * Bernoulli corrections. Negative non-integer q (with integer s, where the sum is defined) is
 * first shifted up by nine more direct terms, so q in (-9, 0) is covered; q <= -9 gives NaN.
 * Differentiable in both arguments through the series, as JAX differentiates its own.
 */
import type { Array } from "../../array.js"
import { add, and, div, eq, floor, gt, le, lt, mul, not, or, pow, select, sub } from "../../primitives/elementwise.js"
import { type Operand } from "../../numpy/coerce.js"
import { ValueError } from "../../errors.js"
import { anyOf, c, checkLaxFloats, floats, isNan, replace } from "./common.js"

/** Terms summed directly before the Euler-Maclaurin tail. */
const DIRECT = 9
/** B_2j / (2j)! for j = 1..12. */
const BERNOULLI_OVER_FACTORIAL = [
  1 / 12,
  -1 / 720,
  1 / 30240,
  -1 / 1209600,
  1 / 47900160,
  -691 / 1307674368000,
  1 / 74724249600,
  -3617 / 10670622842880000,
  43867 / 5109094217170944000,
  -174611 / 802857662698291200000,
  77683 / 14101100039391805440000,
  -236364091 / 1693824136731743669452800000
]

/** sum_{k < DIRECT} (q + k)^-s */
const directSum = (s: Array, q: Array): Array => {
  const negS = sub(c(s, 0), s)
  let acc = pow(q, negS)
  for (let k = 1; k < DIRECT; k++) acc = add(acc, pow(add(q, c(q, k)), negS))
  return acc
}

/** ζ(s, q) for s > 1 and q > 0 (finite q; q = inf gives 0). */
const zetaPositive = (s: Array, q: Array): Array => {
  const w = add(q, c(q, DIRECT))
  const wPow = pow(w, sub(c(s, 0), s))
  // integral of the tail and half its first term
  const tail = add(div(mul(wPow, w), sub(s, c(s, 1))), mul(c(wPow, 0.5), wPow))
  const w2 = mul(w, w)
  let term = div(mul(wPow, s), w) // s (s+1) ... (s+2j-2) w^(-s-2j+1), for j = 1
  let corrections = mul(term, c(term, BERNOULLI_OVER_FACTORIAL[0]!))
  for (let j = 1; j < BERNOULLI_OVER_FACTORIAL.length; j++) {
    term = div(mul(term, mul(add(s, c(s, 2 * j - 1)), add(s, c(s, 2 * j)))), w2)
    corrections = add(corrections, mul(term, c(term, BERNOULLI_OVER_FACTORIAL[j]!)))
  }
  // w^-s underflowing to 0 (huge s or q = inf) would give 0 * inf above; the tail vanishes there.
  const rest = select(eq(wPow, c(wPow, 0)), c(wPow, 0), add(tail, corrections))
  return add(directSum(s, q), rest)
}

/** zeta on float arrays of one dtype and aligned ranks. */
export const zetaRaw = (s: Array, q: Array): Array => {
  const sInt = eq(s, floor(s))
  const qNegative = lt(q, c(q, 0))
  const qPole = and(le(q, c(q, 0)), eq(q, floor(q)))
  const nan = anyOf(lt(s, c(s, 1)), isNan(s), isNan(q), and(qNegative, or(le(q, c(q, -DIRECT)), not(sInt))))
  const inf = or(eq(s, c(s, 1)), qPole)
  const sSafe = select(gt(s, c(s, 1)), s, c(s, 2))
  // Negative q: shift by DIRECT direct terms first (the sum needs integer s there).
  const shift = and(qNegative, gt(q, c(q, -DIRECT)))
  const qShifted = select(shift, add(q, c(q, DIRECT)), q)
  const qSafe = select(gt(qShifted, c(q, 0)), qShifted, c(q, 1))
  const main = zetaPositive(sSafe, qSafe)
  const pre = directSum(sSafe, select(shift, q, c(q, 1)))
  const value = select(shift, add(pre, main), main)
  return replace(nan, NaN, replace(inf, Infinity, value))
}

/**
 * The Hurwitz zeta function ζ(x, q) = sum_{k>=0} (q + k)^-x for x > 1 (JAX's `zeta`; `q` is
 * required: the Riemann function is not implemented, as in JAX). Infinite at x = 1 and at q = 0,
 * -1, -2, ...; NaN for x < 1. Negative q needs an integer x (and q > -9 here).
 *
 * @example
 * scipy.special.zeta(2, np.array([1, 2])) // Array([1.644934  , 0.64493406], dtype=float32)
 */
export const zeta = (x: Operand, q?: Operand): Array => {
  if (q === undefined)
    throw new ValueError("scipy.special.zeta: the Riemann zeta function is not implemented (nor in JAX); pass q (use q = 1 for the Riemann function).")
  const [s, a] = floats(x, q)
  return zetaRaw(s!, a!)
}

/**
 * `lax.zeta(x, q)`: the Hurwitz zeta function on float arrays of one dtype (no promotion).
 *
 * @example
 * lax.zeta(np.array([2, 3], { dtype: "float32" }), np.array([1, 1], { dtype: "float32" })) // Array([1.644934 , 1.2020569], dtype=float32)
 */
export const laxZeta = (x: Array, q: Array): Array => {
  checkLaxFloats("zeta", x, q)
  return zetaRaw(x, q)
}
