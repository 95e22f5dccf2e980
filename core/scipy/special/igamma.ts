/**
 * The regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 - P (JAX's `gammainc`,
 * `gammaincc`, `lax.igamma`, `lax.igammac`), dP/da (`lax.igamma_grad_a`) and the derivative of
 * a Gamma(a, 1) sample with respect to a (`lax.random_gamma_grad`).
 *
 * With ax = x^a e^-x / Γ(a): P = ax F where F = sum_n x^n / (a (a+1) ... (a+n)) (the series,
 * used where x < 1 or x <= a) and Q = ax G where G is Legendre's continued fraction (elsewhere),
 * evaluated by the modified Lentz method. Both are `whileLoop`s that stop each element when its
 * next term no longer changes it (at most 2000 steps), as XLA's, so they run under jit and vmap.
 * For d/da the loops carry the derivative of each term too and run until it has converged (XLA's
 * derivative mode); gradients go through customJvp rules (d/dx from the closed form, d/da from
 * `igammaGradA`), as JAX's igamma_p rules.
 */
import type { Array } from "../../array.js"
import { abs, add, and, div, eq, exp, ge, gt, le, log, log1p, lt, mul, neg, not, or, select, sub } from "../../primitives/elementwise.js"
import { constant } from "../../primitives/common.js"
import { customJvp } from "../../transforms/custom.js"
import { type Operand } from "../../numpy/coerce.js"
import { anyOf, broadcastAll, c, checkLaxFloats, finfo, floats, isInf, isNan, replace } from "./common.js"
import { digammaRaw, lgammaRaw, stirlingCorrection } from "./gamma.js"
import { iterate } from "./iterate.js"

/** Most steps of either loop (XLA's bound for the continued fraction). */
const MAX_STEPS = 2000

/** A loop's result and, in derivative mode, its derivative in a (zeros otherwise). */
type WithDerivative = readonly [Array, Array]

/**
 * F with P(a, x) = ax F: the series sum_n x^n / (a (a+1) ... (a+n)), for the enabled elements.
 * With `derivative`, dF/da is carried along and each element runs until that has converged too.
 */
const seriesF = (a: Array, x: Array, enabled: Array, derivative: boolean): WithDerivative => {
  const eps = finfo(a.dtype).eps
  const one = constant(1, a.dtype, a.shape)
  const zero = constant(0, a.dtype, a.shape)
  const [, , sum, , dSum] = iterate(
    enabled,
    [a, one, one, zero, zero],
    ([r, term, sum, dTerm, dSum]) => {
      const r1 = add(r!, c(r!, 1))
      const term1 = mul(term!, div(x, r1))
      const sum1 = add(sum!, term1)
      if (!derivative) return [[r1, term1, sum1, dTerm!, dSum!], gt(div(term1, sum1), c(sum1, eps))]
      // term_n = term_{n-1} x / (a + n), so d(term_n)/da = (x d(term_{n-1}) - term_n) / (a + n)
      const dTerm1 = div(sub(mul(x, dTerm!), term1), r1)
      const dSum1 = add(dSum!, dTerm1)
      return [[r1, term1, sum1, dTerm1, dSum1], gt(abs(div(dTerm1, dSum1)), c(dSum1, eps))]
    },
    MAX_STEPS
  )
  // F = sum / a
  return [div(sum!, a), sub(div(dSum!, a), div(sum!, mul(a, a)))]
}

/**
 * G with Q(a, x) = ax G: Legendre's continued fraction 1/(x+1-a- 1(1-a)/(x+3-a- 2(2-a)/(...))),
 * by the modified Lentz method; with `derivative`, dG/da too (the fraction terminates where a is
 * an integer, but its derivative does not, so convergence is then judged on the derivative).
 */
const continuedFractionG = (a: Array, x: Array, enabled: Array, derivative: boolean): WithDerivative => {
  const { eps, tiny } = finfo(a.dtype)
  const small = tiny / eps
  const clampSmall = (v: Array): Array => select(lt(abs(v), c(v, small)), c(v, small), v)
  const b0 = add(sub(x, a), c(x, 1))
  const d0 = div(c(b0, 1), clampSmall(b0))
  const dd0 = mul(d0, d0) // d(1/b0)/da with db/da = -1
  const init = [b0, constant(1 / small, a.dtype, a.shape), d0, d0, constant(0, a.dtype, a.shape), dd0, dd0]
  const [, , , h, , , dh] = iterate(
    enabled,
    init,
    ([b, cc, d, h, dc, dd, dh], i) => {
      const an = neg(mul(i, sub(i, a))) // d(an)/da = i
      const b1 = add(b!, c(b!, 2)) // d(b)/da = -1
      const d1 = div(c(b1, 1), clampSmall(add(mul(an, d!), b1)))
      const c1 = clampSmall(add(b1, div(an, cc!)))
      const delta = mul(d1, c1)
      const h1 = mul(h!, delta)
      if (!derivative) return [[b1, c1, d1, h1, dc!, dd!, dh!], gt(abs(sub(delta, c(delta, 1))), c(delta, eps))]
      const dd1 = neg(mul(mul(d1, d1), sub(add(mul(i, d!), mul(an, dd!)), c(dd!, 1))))
      const dc1 = sub(div(sub(mul(i, cc!), mul(an, dc!)), mul(cc!, cc!)), c(dc!, 1))
      const dh1 = add(mul(dh!, delta), mul(h!, add(mul(dd1, c1), mul(d1, dc1))))
      return [[b1, c1, d1, h1, dc1, dd1, dh1], gt(abs(sub(dh1, dh!)), mul(c(dh1, eps), abs(dh1)))]
    },
    MAX_STEPS
  )
  return [h!, dh!]
}

/**
 * log(x^a e^-x / Γ(a)). For a >= 8 as a (log1p(u) - u) + log(a/2π)/2 - δ(a) with u = (x - a)/a and
 * δ Stirling's correction: a log x and lgamma(a) are both large there and nearly cancel, which
 * costs float32 about 4e-4 relative at a = 1000 (as in JAX); this form has no such cancellation.
 */
const logAxOf = (a: Array, x: Array): Array => {
  const large = ge(a, c(a, 8))
  const direct = sub(sub(mul(a, log(x)), x), lgammaRaw(a))
  const al = select(large, a, c(a, 8))
  const u = div(sub(x, al), al)
  const asymptotic = sub(add(mul(al, sub(log1p(u), u)), mul(c(al, 0.5), log(div(al, c(al, 2 * Math.PI))))), stirlingCorrection(al))
  return select(large, asymptotic, direct)
}

/** The shared set-up: operands broadcast, ax = x^a e^-x / Γ(a), and whether it underflows. */
const prepare = (a0: Array, x0: Array) => {
  const [a, x] = broadcastAll([a0, x0]) as [Array, Array]
  const logAx = logAxOf(a, x)
  const underflow = lt(logAx, c(logAx, -Math.log(finfo(a.dtype).max)))
  const nan = or(isNan(a), isNan(x))
  return { a, x, ax: exp(logAx), underflow, nan, xZero: eq(x, c(x, 0)), xInf: isInf(x) }
}

const igammaImpl = (a0: Array, x0: Array): Array => {
  const { a, x, ax, underflow, nan, xZero, xInf } = prepare(a0, x0)
  const aZero = eq(a, c(a, 0))
  const domain = anyOf(lt(x, c(x, 0)), lt(a, c(a, 0)), and(aZero, xZero), nan)
  const useFraction = and(ge(x, c(x, 1)), gt(x, a))
  const enabled = not(anyOf(xZero, domain, underflow, xInf))
  const fromSeries = mul(ax, seriesF(a, x, and(enabled, not(useFraction)), false)[0])
  const fromFraction = sub(c(ax, 1), mul(ax, continuedFractionG(a, x, and(enabled, useFraction), false)[0]))
  let out = select(useFraction, fromFraction, fromSeries)
  out = replace(or(xInf, aZero), 1, replace(xZero, 0, out))
  return replace(domain, NaN, out)
}

const igammacImpl = (a0: Array, x0: Array): Array => {
  const { a, x, ax, underflow, nan, xZero, xInf } = prepare(a0, x0)
  const aZero = eq(a, c(a, 0))
  const domain = anyOf(lt(x, c(x, 0)), lt(a, c(a, 0)), and(aZero, xZero), nan)
  const useSeries = or(lt(x, c(x, 1)), lt(x, a))
  const enabled = not(anyOf(domain, underflow, xInf, aZero))
  const fromSeries = sub(c(ax, 1), mul(ax, seriesF(a, x, and(enabled, useSeries), false)[0]))
  const fromFraction = mul(ax, continuedFractionG(a, x, and(enabled, not(useSeries)), false)[0])
  const out = replace(or(xInf, aZero), 0, select(useSeries, fromSeries, fromFraction))
  return replace(domain, NaN, out)
}

/**
 * dP/da (sample = false) or the derivative of a Gamma(a) sample x in a, -(dP/da) / (dP/dx)
 * (sample = true): the loops' results and their a-derivatives, with ax factored out of the
 * latter so it stays finite where ax underflows.
 */
const gradAImpl = (a0: Array, x0: Array, sample: boolean): Array => {
  const { a, x, ax, underflow, nan, xZero } = prepare(a0, x0)
  const domain = or(lt(x, c(x, 0)), le(a, c(a, 0)))
  const useFraction = and(gt(x, c(x, 1)), gt(x, a))
  const enabled = not(anyOf(xZero, domain, underflow, nan))
  const dLogAx = sub(log(x), digammaRaw(a))
  const [f, df] = seriesF(a, x, and(enabled, not(useFraction)), true)
  const [g, dg] = continuedFractionG(a, x, and(enabled, useFraction), true)
  // P = ax F (series) or 1 - ax G (fraction), with d(log ax)/da = log x - digamma(a)
  const seriesPart = add(mul(f, dLogAx), df)
  const fractionPart = add(mul(g, dLogAx), dg)
  const out = sample ? select(useFraction, mul(x, fractionPart), neg(mul(x, seriesPart))) : select(useFraction, neg(mul(ax, fractionPart)), mul(ax, seriesPart))
  return replace(or(domain, nan), NaN, replace(xZero, 0, out))
}

/** dP/dx = x^(a-1) e^-x / Γ(a) = ax / x (JAX's igamma_gradx). */
const igammaGradX = (a: Array, x: Array): Array => exp(sub(logAxOf(a, x), log(x)))

export const igammaGradARaw = (a: Array, x: Array): Array => gradAImpl(a, x, false)
export const randomGammaGradRaw = (a: Array, x: Array): Array => gradAImpl(a, x, true)

export const igammaRaw = customJvp((a: Array, x: Array): Array => igammaImpl(a, x), { name: "igamma" })
igammaRaw.defjvp(([a, x], [ta, tx]) => [igammaRaw(a, x), add(mul(ta, igammaGradARaw(a, x)), mul(tx, igammaGradX(a, x)))])

export const igammacRaw = customJvp((a: Array, x: Array): Array => igammacImpl(a, x), { name: "igammac" })
igammacRaw.defjvp(([a, x], [ta, tx]) => [igammacRaw(a, x), neg(add(mul(ta, igammaGradARaw(a, x)), mul(tx, igammaGradX(a, x))))])

/**
 * The regularized lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a) (JAX's `gammainc`):
 * 0 at x = 0, 1 at x = inf, NaN for a < 0 or x < 0. Differentiable in both arguments.
 *
 * @example
 * scipy.special.gammainc(np.array([1, 2]), 1) // Array([0.6321205 , 0.26424113], dtype=float32)
 */
export const gammainc = (a: Operand, x: Operand): Array => {
  const [p, q] = floats(a, x)
  return igammaRaw(p!, q!)
}

/**
 * The regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x) (JAX's `gammaincc`),
 * computed directly (not as 1 - P) where it is small.
 *
 * @example
 * scipy.special.gammaincc(np.array([1, 2]), 1) // Array([0.36787945, 0.7357589 ], dtype=float32)
 */
export const gammaincc = (a: Operand, x: Operand): Array => {
  const [p, q] = floats(a, x)
  return igammacRaw(p!, q!)
}

/**
 * `lax.igamma(a, x)`: P(a, x) on float arrays of one dtype (no promotion).
 *
 * @example
 * lax.igamma(np.array([1], { dtype: "float32" }), np.array([1], { dtype: "float32" })) // Array([0.6321205], dtype=float32)
 */
export const laxIgamma = (a: Array, x: Array): Array => {
  checkLaxFloats("igamma", a, x)
  return igammaRaw(a, x)
}

/**
 * `lax.igammac(a, x)`: Q(a, x) = 1 - P(a, x) on float arrays of one dtype (no promotion).
 *
 * @example
 * lax.igammac(np.array([1], { dtype: "float32" }), np.array([1], { dtype: "float32" })) // Array([0.36787945], dtype=float32)
 */
export const laxIgammac = (a: Array, x: Array): Array => {
  checkLaxFloats("igammac", a, x)
  return igammacRaw(a, x)
}

/**
 * `lax.igammaGradA(a, x)`: dP(a, x)/da, the derivative of the regularized lower incomplete gamma
 * function in its first argument (NaN for a <= 0 or x < 0, 0 at x = 0).
 *
 * @example
 * lax.igammaGradA(np.array([2], { dtype: "float32" }), np.array([1], { dtype: "float32" })) // Array([-0.27619603], dtype=float32)
 */
export const laxIgammaGradA = (a: Array, x: Array): Array => {
  checkLaxFloats("igammaGradA", a, x)
  return igammaGradARaw(a, x)
}

/**
 * `lax.randomGammaGrad(a, x)`: the derivative of a Gamma(a, 1) sample x with respect to a,
 * `-(dP/da) / (dP/dx)` (implicit reparameterization), as used by `random.gamma`'s gradient.
 *
 * @example
 * lax.randomGammaGrad(np.array([2], { dtype: "float32" }), np.array([1], { dtype: "float32" })) // Array([0.7507787], dtype=float32)
 */
export const laxRandomGammaGrad = (a: Array, x: Array): Array => {
  checkLaxFloats("randomGammaGrad", a, x)
  return randomGammaGradRaw(a, x)
}
