/**
 * The regularized incomplete beta function I_x(a, b) (JAX's `betainc`, `lax.betainc`), by the
 * continued fraction of DLMF 8.17.22 evaluated with the modified Lentz method in a `whileLoop`
 * (each element stops when a step no longer changes it; at most 200 steps in float32 and 600 in
 * float64, XLA's bounds). Where x >= (a + 1) / (a + b + 2) the fraction converges slowly, so the
 * symmetry I_x(a, b) = 1 - I_{1-x}(b, a) is used there.
 *
 * Derivatives: d/dx from the closed form x^(a-1) (1-x)^(b-1) / B(a, b), as JAX; JAX refuses
 * d/da and d/db, and here the loop carries them (run to convergence) when a rule asks for them.
 */
import type { Array } from "../../array.js"
import { abs, add, and, div, eq, exp, floor, ge, gt, log, log1p, lt, mul, ne, neg, not, or, select, sub } from "../../primitives/elementwise.js"
import { constant } from "../../primitives/common.js"
import { customJvp } from "../../transforms/custom.js"
import { type Operand } from "../../numpy/coerce.js"
import { anyOf, broadcastAll, c, checkLaxFloats, finfo, floats, isInf, isNan, replace } from "./common.js"
import { betalnRaw, digammaRaw, lgammaRaw } from "./gamma.js"
import { iterate } from "./iterate.js"

/** The continued fraction and, in derivative mode, its derivatives in a and b. */
type Fraction = readonly [Array, Array, Array]

/**
 * 1 / (1 + d1 / (1 + d2 / (1 + ...))) with d_{2m+1} = -(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and
 * d_{2m} = m(b-m)x / ((a+2m-1)(a+2m)), by the modified Lentz method. With `derivative`, the
 * derivatives in a and b are carried along and each element runs until they have converged too
 * (the fraction terminates where b is an integer; its derivatives do not).
 */
const continuedFraction = (a: Array, b: Array, x: Array, enabled: Array, derivative: boolean): Fraction => {
  const { eps, tiny } = finfo(a.dtype)
  const small = tiny / eps
  const clampSmall = (v: Array): Array => select(lt(abs(v), c(v, small)), c(v, small), v)
  const zero = constant(0, a.dtype, a.shape)
  const one = constant(1, a.dtype, a.shape)
  const apb = add(a, b)
  const ap1 = add(a, c(a, 1))
  // Lentz's state after the leading 1 / (1 + ...): C = 1/small, D = 1, f = 1; derivatives 0.
  const init = [constant(1 / small, a.dtype, a.shape), one, one, zero, zero, zero, zero, zero, zero]
  const [, , f, , , dfa, , , dfb] = iterate(
    enabled,
    init,
    ([cc, d, f, dca, dda, dfa, dcb, ddb, dfb], j) => {
      const m = floor(div(j, c(j, 2)))
      const odd = ne(j, add(m, m))
      const twoM = add(m, m)
      const first = eq(m, c(m, 0))
      // d_1 = -(a+b)x/(a+1) is the m = 0 odd term with a cancelled (a may be tiny)
      const oddTerm = select(first, div(neg(mul(apb, x)), ap1), div(neg(mul(mul(add(a, m), add(apb, m)), x)), mul(add(a, twoM), add(add(a, twoM), c(a, 1)))))
      const evenDenom = mul(sub(add(a, twoM), c(a, 1)), add(a, twoM))
      const evenTerm = div(mul(mul(m, sub(b, m)), x), evenDenom)
      const an = select(odd, oddTerm, evenTerm)
      const d1 = div(c(a, 1), clampSmall(add(c(a, 1), mul(an, d!))))
      const c1 = clampSmall(add(c(a, 1), div(an, cc!)))
      const delta = mul(c1, d1)
      const f1 = mul(f!, delta)
      const going = ge(abs(sub(delta, c(delta, 1))), c(delta, eps / 2))
      if (!derivative) return [[c1, d1, f1, dca!, dda!, dfa!, dcb!, ddb!, dfb!], going]
      // partial derivatives of d_j in a and b
      const oddDa = select(
        first,
        div(neg(mul(x, sub(c(b, 1), b))), mul(ap1, ap1)),
        mul(oddTerm, sub(add(div(c(a, 1), add(a, m)), div(c(a, 1), add(apb, m))), add(div(c(a, 1), add(a, twoM)), div(c(a, 1), add(add(a, twoM), c(a, 1))))))
      )
      const oddDb = select(first, neg(div(x, ap1)), div(oddTerm, add(apb, m)))
      const evenDa = neg(mul(evenTerm, add(div(c(a, 1), sub(add(a, twoM), c(a, 1))), div(c(a, 1), add(a, twoM)))))
      const evenDb = div(mul(m, x), evenDenom)
      // Lentz's recurrences differentiated: D' = -D^2 (an' D + an D'), C' = (an' C - an C') / C^2
      const differentiate = (dan: Array, dc: Array, dd: Array, df: Array): [Array, Array, Array] => {
        const dd1 = neg(mul(mul(d1, d1), add(mul(dan, d!), mul(an, dd))))
        const dc1 = div(sub(mul(dan, cc!), mul(an, dc)), mul(cc!, cc!))
        return [dc1, dd1, add(mul(df, delta), mul(f!, add(mul(dc1, d1), mul(c1, dd1))))]
      }
      const [dca1, dda1, dfa1] = differentiate(select(odd, oddDa, evenDa), dca!, dda!, dfa!)
      const [dcb1, ddb1, dfb1] = differentiate(select(odd, oddDb, evenDb), dcb!, ddb!, dfb!)
      const unsettled = (n: Array, o: Array) => gt(abs(sub(n, o)), mul(c(n, eps), abs(n)))
      return [[c1, d1, f1, dca1, dda1, dfa1, dcb1, ddb1, dfb1], anyOf(going, unsettled(dfa1, dfa!), unsettled(dfb1, dfb!))]
    },
    a.dtype === "float64" ? 600 : 200
  )
  return [f!, dfa!, dfb!]
}

/** I_x(a, b) and, in derivative mode, its derivatives in a and b. */
const betaincParts = (a0: Array, b0: Array, x0: Array, derivative: boolean): Fraction => {
  const [a, b, x] = broadcastAll([a0, b0, x0]) as [Array, Array, Array]
  const aZero = or(eq(a, c(a, 0)), isInf(b))
  const bZero = or(eq(b, c(b, 0)), isInf(a))
  const xZero = eq(x, c(x, 0))
  const xOne = eq(x, c(x, 1))
  const resultZero = or(and(bZero, not(xOne)), and(aZero, xZero))
  const resultOne = or(and(aZero, not(xZero)), and(bZero, xOne))
  const nan = anyOf(lt(a, c(a, 0)), lt(b, c(b, 0)), lt(x, c(x, 0)), gt(x, c(x, 1)), and(aZero, bZero), isNan(a), isNan(b), isNan(x))
  // The fraction converges fast for x < (a + 1) / (a + b + 2); elsewhere use the symmetry.
  const direct = lt(x, div(add(a, c(a, 1)), add(add(a, b), c(a, 2))))
  const p = select(direct, a, b)
  const q = select(direct, b, a)
  const y = select(direct, x, sub(c(x, 1), x))
  const enabled = not(anyOf(nan, resultZero, resultOne))
  const [fraction, dfp, dfq] = continuedFraction(p, q, y, enabled, derivative)
  // x^p (1-x)^q / (p B(p, q)); for tiny p, p Γ(p) -> 1 gives (1-x)^q Γ(p+q) / Γ(q).
  const tinyP = lt(p, c(p, 2 * finfo(p.dtype).tiny))
  const log1mY = log1p(neg(y))
  const smallFactor = exp(sub(mul(log1mY, q), sub(lgammaRaw(q), lgammaRaw(add(p, q)))))
  const factor = select(tinyP, smallFactor, div(exp(sub(add(mul(log(y), p), mul(log1mY, q)), betalnRaw(p, q))), p))
  const value = mul(fraction, factor)
  const fix = (v: Array, zeroValue: number, oneValue: number): Array => replace(nan, NaN, replace(resultOne, oneValue, replace(resultZero, zeroValue, v)))
  const out = fix(select(direct, value, sub(c(value, 1), value)), 0, 1)
  if (!derivative) return [out, out, out]
  // d log(factor) / dp and / dq
  const psiPq = digammaRaw(add(p, q))
  const dLogP = select(tinyP, psiPq, sub(add(sub(log(y), digammaRaw(p)), psiPq), div(c(p, 1), p)))
  const dLogQ = add(sub(log1mY, digammaRaw(q)), psiPq)
  const dp = mul(factor, add(dfp, mul(fraction, dLogP)))
  const dq = mul(factor, add(dfq, mul(fraction, dLogQ)))
  // Through the symmetry, I = 1 - value(b, a, 1 - x): d/da = -d/dq and d/db = -d/dp.
  const da = fix(select(direct, dp, neg(dq)), 0, 0)
  const db = fix(select(direct, dq, neg(dp)), 0, 0)
  return [out, da, db]
}

const betaincImpl = (a: Array, b: Array, x: Array): Array => betaincParts(a, b, x, false)[0]

/** d/dx I_x(a, b) = x^(a-1) (1-x)^(b-1) / B(a, b) (JAX's betainc_gradx). */
const betaincGradX = (a: Array, b: Array, x: Array): Array => exp(sub(add(mul(sub(b, c(b, 1)), log1p(neg(x))), mul(sub(a, c(a, 1)), log(x))), betalnRaw(a, b)))

export const betaincRaw = customJvp((a: Array, b: Array, x: Array): Array => betaincImpl(a, b, x), { name: "betainc" })
betaincRaw.defjvp(([a, b, x], [ta, tb, tx]) => {
  const out = betaincRaw(a, b, x)
  // The partial derivatives are values, so the tangent stays linear in ta, tb, tx (and transposes).
  const [, da, db] = betaincParts(a, b, x, true)
  return [out, add(add(mul(ta, da), mul(tb, db)), mul(tx, betaincGradX(a, b, x)))]
})

/**
 * The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b) for a, b >= 0 and
 * x in [0, 1] (JAX's `betainc`; NaN outside). Differentiable in x (as in JAX) and also in a and b.
 *
 * @example
 * scipy.special.betainc(2, 3, np.array([0.25, 0.5])) // Array([0.2617187, 0.6875   ], dtype=float32)
 */
export const betainc = (a: Operand, b: Operand, x: Operand): Array => {
  const [p, q, y] = floats(a, b, x)
  return betaincRaw(p!, q!, y!)
}

/**
 * `lax.betainc(a, b, x)` (JAX's primitive `regularized_incomplete_beta`): I_x(a, b) on float
 * arrays of one dtype (no promotion).
 *
 * @example
 * lax.betainc(np.array([2], { dtype: "float32" }), np.array([3], { dtype: "float32" }), np.array([0.5], { dtype: "float32" })) // Array([0.6875], dtype=float32)
 */
export const laxBetainc = (a: Array, b: Array, x: Array): Array => {
  checkLaxFloats("betainc", a, b, x)
  return betaincRaw(a, b, x)
}
