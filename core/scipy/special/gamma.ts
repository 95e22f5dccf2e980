/**
 * The gamma family: lgamma and digamma at the lax level (JAX's `lax.lgamma`, `lax.digamma`,
 * `lax.polygamma`), and scipy.special's gammaln, gammasgn, gamma, loggamma, digamma, polygamma,
 * betaln, beta, factorial, comb, poch and multigammaln.
 *
 * lgamma and digamma reduce x > 0 to t in [0, 1) around 2 + t (a Chebyshev series from fits.ts,
 * so both keep relative accuracy near their zeros at 1 and 2) and use Stirling's series from 8
 * up; negative x goes through the reflection formula. Their derivatives are digamma and
 * polygamma(1, x), as in JAX, through customJvp rather than through the approximation.
 */
import { Array } from "../../array.js"
import { ValueError } from "../../errors.js"
import {
  abs,
  add,
  and,
  div,
  eq,
  exp,
  floor,
  ge,
  gt,
  le,
  log,
  log1p,
  lt,
  mul,
  ne,
  not,
  or,
  rem,
  round,
  select,
  sign,
  sin,
  sub,
  tan
} from "../../primitives/elementwise.js"
import { reduceSum } from "../../primitives/reduce.js"
import { iota, reshape } from "../../primitives/shape-ops.js"
import { customJvp } from "../../transforms/custom.js"
import { type Operand } from "../../numpy/coerce.js"
import { allOf, c, checkLaxFloats, chebyshev, float1, floats, isNan, isNegInf, polynomial, replace, weakAs } from "./common.js"
import { DIGAMMA_2_3, LGAMMA_2_3 } from "./fits.js"
import { zetaRaw } from "./zeta.js"
import { checkOptions, optionKeys } from "../../options.js"

// ---------------------------------------------------------------------------------------------
// lgamma

/** B_2k / (2k (2k-1)): Stirling's series lgamma(z) ~ (z - 1/2) log z - z + log(2 pi)/2 + sum c_k z^(1-2k). */
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400]
/** Where Stirling's series takes over (its error there is below float64's epsilon with 8 terms). */
const ASYMPTOTIC = 8

/** Split w in (0, 8) as floor(w) and t = w - floor(w) in [0, 1). */
const splitUnit = (w: Array): [Array, Array] => {
  const fl = floor(w)
  return [fl, sub(w, fl)]
}

/** lgamma(z) for z >= 0 (lgamma(0) = inf). */
const lgammaPositive = (z: Array): Array => {
  const small = lt(z, c(z, ASYMPTOTIC))
  // Small z: lgamma(2 + t) = t * series(t), then the recurrence lgamma(w + 1) = lgamma(w) + log(w).
  const w = select(small, z, c(z, 2.5))
  const [fl, t] = splitUnit(w)
  const core = mul(t, chebyshev(LGAMMA_2_3, sub(add(t, t), c(t, 1))))
  let product = c(t, 1)
  for (let j = 0; j < ASYMPTOTIC - 3; j++) {
    // lgamma(2 + t + n) = lgamma(2 + t) + log((2 + t)(3 + t)...(1 + t + n)) for n = floor(w) - 2 > j
    product = mul(product, select(gt(fl, c(fl, j + 2)), add(t, c(t, j + 2)), c(t, 1)))
  }
  const below2 = select(lt(fl, c(fl, 2)), log1p(t), c(t, 0)) // lgamma(1 + t) = lgamma(2 + t) - log(1 + t)
  const below1 = select(lt(fl, c(fl, 1)), log(t), c(t, 0)) // lgamma(t) = lgamma(1 + t) - log(t)
  const smallValue = sub(sub(add(core, log(product)), below2), below1)
  // Large z: (z - 1/2)(log z - 1) - 1/2 + log(2 pi)/2 + series in 1/z^2 (finite at z = inf).
  const zl = select(small, c(z, ASYMPTOTIC), z)
  const r = div(c(zl, 1), zl)
  const terms = zl.dtype === "float64" ? STIRLING : STIRLING.slice(0, 3)
  const tail = mul(r, polynomial(terms, mul(r, r)))
  const largeValue = add(add(mul(sub(zl, c(zl, 0.5)), sub(log(zl), c(zl, 1))), c(zl, 0.5 * Math.log(2 * Math.PI) - 0.5)), tail)
  return select(small, smallValue, largeValue)
}

/** x - round(x): the offset from the nearest integer, in [-1/2, 1/2], exact in floating point. */
const nearestOffset = (x: Array): Array => sub(x, round(x))

const lgammaImpl = (x: Array): Array => {
  const negative = lt(x, c(x, 0))
  const pos = lgammaPositive(select(negative, sub(c(x, 1), x), x))
  // Reflection: lgamma(x) = log(pi / |sin(pi x)|) - lgamma(1 - x); infinite at the poles.
  const s = abs(sin(mul(c(x, Math.PI), nearestOffset(x))))
  const reflected = sub(sub(c(x, Math.log(Math.PI)), log(s)), pos)
  return replace(isNegInf(x), Infinity, select(negative, reflected, pos))
}

/** lgamma on float arrays; its derivative is digamma (JAX's lgamma_p rule). */
export const lgammaRaw = customJvp((x: Array): Array => lgammaImpl(x), { name: "lgamma" })
lgammaRaw.defjvp(([x], [t]) => [lgammaRaw(x), mul(t, digammaRaw(x))])

// ---------------------------------------------------------------------------------------------
// digamma

/** B_2k / (2k): digamma(z) ~ log z - 1/(2z) - sum d_k z^(-2k). */
const DIGAMMA_ASYMPTOTIC = [1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132, -691 / 32760, 1 / 12, -3617 / 8160, 43867 / 14364]

/** digamma(z) for z > 0. */
const digammaPositive = (z: Array): Array => {
  const small = lt(z, c(z, ASYMPTOTIC))
  const w = select(small, z, c(z, 2.5))
  const [fl, t] = splitUnit(w)
  let value = chebyshev(DIGAMMA_2_3, sub(add(t, t), c(t, 1)))
  for (let j = 0; j < ASYMPTOTIC - 3; j++) {
    // digamma(w + 1) = digamma(w) + 1/w
    value = add(value, select(gt(fl, c(fl, j + 2)), div(c(t, 1), add(t, c(t, j + 2))), c(t, 0)))
  }
  value = sub(value, select(lt(fl, c(fl, 2)), div(c(t, 1), add(t, c(t, 1))), c(t, 0)))
  value = sub(value, select(lt(fl, c(fl, 1)), div(c(t, 1), t), c(t, 0)))
  const zl = select(small, c(z, ASYMPTOTIC), z)
  const r = div(c(zl, 1), zl)
  const r2 = mul(r, r)
  const terms = zl.dtype === "float64" ? DIGAMMA_ASYMPTOTIC : DIGAMMA_ASYMPTOTIC.slice(0, 4)
  const large = sub(sub(log(zl), mul(c(zl, 0.5), r)), mul(r2, polynomial(terms, r2)))
  return select(small, value, large)
}

/** pi / tan(pi x) for x = n + r, r in [-1/2, 1/2], without losing accuracy near r = +-1/2. */
const piCot = (x: Array): Array => {
  const r = nearestOffset(x)
  const ar = abs(r)
  const nearZero = lt(ar, c(r, 0.25))
  const direct = div(c(x, Math.PI), tan(mul(c(x, Math.PI), select(nearZero, r, c(r, 0.25)))))
  // cot(pi r) = tan(pi (1/2 - |r|)) sign(r), exact argument for |r| >= 1/4
  const flipped = mul(mul(c(x, Math.PI), tan(mul(c(x, Math.PI), sub(c(r, 0.5), select(nearZero, c(r, 0.5), ar))))), sign(r))
  return select(nearZero, direct, flipped)
}

const digammaImpl = (x: Array): Array => {
  const nonPositive = le(x, c(x, 0))
  const pos = digammaPositive(select(nonPositive, sub(c(x, 1), x), x))
  // Reflection: digamma(x) = digamma(1 - x) - pi cot(pi x); NaN at the poles 0, -1, -2, ...
  const reflected = sub(pos, piCot(x))
  const pole = and(nonPositive, eq(x, floor(x)))
  return replace(pole, NaN, select(nonPositive, reflected, pos))
}

/** digamma on float arrays; its derivative is polygamma(1, x) (JAX's digamma_p rule). */
export const digammaRaw = customJvp((x: Array): Array => digammaImpl(x), { name: "digamma" })
digammaRaw.defjvp(([x], [t]) => [digammaRaw(x), mul(t, polygammaRaw(c(x, 1), x))])

// ---------------------------------------------------------------------------------------------
// polygamma(m, x) = (-1)^(m+1) m! zeta(m + 1, x) for m >= 1, digamma for m = 0

const polygammaImpl = (m: Array, x: Array): Array => {
  const isDigamma = eq(m, c(m, 0))
  const valid = and(ge(m, c(m, 0)), eq(m, floor(m)))
  const mSafe = select(and(valid, gt(m, c(m, 0))), m, c(m, 1))
  const signOf = sub(c(m, 1), mul(c(m, 2), rem(add(mSafe, c(m, 1)), c(m, 2)))) // (-1)^(m+1)
  const factorial = exp(lgammaRaw(add(mSafe, c(m, 1))))
  const higher = mul(mul(signOf, factorial), zetaRaw(add(mSafe, c(m, 1)), x))
  return replace(not(valid), NaN, select(isDigamma, digammaRaw(x), higher))
}

/** polygamma on float arrays; its derivative in x is polygamma(m + 1, x); m is not differentiable. */
export const polygammaRaw = customJvp((m: Array, x: Array): Array => polygammaImpl(m, x), { name: "polygamma" })
polygammaRaw.defjvp(([m, x], [, t]) => [polygammaRaw(m, x), mul(t, polygammaRaw(add(m, c(m, 1)), x))])

// ---------------------------------------------------------------------------------------------
// Public functions

/**
 * The log of the absolute value of the gamma function, `log |Γ(x)|` (JAX's
 * `jax.scipy.special.gammaln`, which is `lax.lgamma`). Infinite at 0 and the negative integers.
 * Integers are promoted to float32. The derivative is `digamma(x)`.
 *
 * @example
 * scipy.special.gammaln(np.array([0.5, 1, 10])) // Array([ 0.5723649,  0.       , 12.801827 ], dtype=float32)
 */
export const gammaln = (x: Operand): Array => lgammaRaw(float1(x))

/**
 * The sign of the gamma function: 1 or -1, NaN at the poles (0 gives +1 or -1 by the sign of
 * the zero, the negative integers NaN) and for NaN (JAX's `gammasgn`).
 *
 * @example
 * scipy.special.gammasgn(np.array([-2.5, -1.5, 3])) // Array([-1.,  1.,  1.], dtype=float32)
 */
export const gammasgn = (x: Operand): Array => {
  const a = float1(x)
  const negative = lt(a, c(a, 0))
  const fl = floor(a)
  const nan = or(and(negative, eq(a, fl)), isNan(a))
  const negativeZero = and(eq(a, c(a, 0)), lt(div(c(a, 1), a), c(a, 0)))
  const minus = or(and(negative, ne(rem(fl, c(a, 2)), c(a, 0))), negativeZero)
  return weakAs(replace(nan, NaN, select(minus, c(a, -1), c(a, 1))), a)
}

/**
 * The gamma function Γ(x), as `gammasgn(x) * exp(gammaln(x))` like JAX: NaN at the negative
 * integers, ±inf at ±0, overflowing to inf above about 35 in float32.
 *
 * @example
 * scipy.special.gamma(np.array([0.5, 5, -0.5])) // Array([ 1.7724538, 24.       , -3.5449076], dtype=float32)
 */
export const gamma = (x: Operand): Array => {
  const a = float1(x)
  return mul(gammasgn(a), exp(lgammaRaw(a)))
}

/**
 * The principal branch of log Γ(x) for real x: `gammaln(x)` for x > 0 and NaN otherwise (JAX's
 * `loggamma` on real inputs).
 *
 * @example
 * scipy.special.loggamma(np.array([3, -0.5])) // Array([0.6931472,       nan], dtype=float32)
 */
export const loggamma = (x: Operand): Array => {
  const a = float1(x)
  return select(gt(a, c(a, 0)), lgammaRaw(a), c(a, NaN))
}

/**
 * The digamma function ψ(x) = d/dx log Γ(x) (JAX's `digamma`, `lax.digamma`): NaN at 0 and the
 * negative integers. Its derivative is `polygamma(1, x)`.
 *
 * @example
 * scipy.special.digamma(np.array([1, 2, 0.5])) // Array([-0.5772157 ,  0.42278433, -1.96351   ], dtype=float32)
 */
export const digamma = (x: Operand): Array => digammaRaw(float1(x))

/**
 * The polygamma function ψ⁽ⁿ⁾(x), the n-th derivative of digamma: `(-1)^(n+1) n! zeta(n+1, x)`
 * for n >= 1 and `digamma(x)` for n = 0. `n` must be an integer (a JS integer or an int array),
 * as in JAX; the result is NaN where n < 0. Differentiable in x: the derivative is
 * `polygamma(n + 1, x)`.
 *
 * @example
 * scipy.special.polygamma(1, np.array([1, 2])) // Array([1.644934  , 0.64493406], dtype=float32)
 */
export const polygamma = (n: Operand, x: Operand): Array => {
  const integral = typeof n === "number" ? Number.isInteger(n) : typeof n === "boolean" ? false : n.dtype === "int32" || n.dtype === "uint32"
  if (!integral) {
    throw new ValueError(`scipy.special.polygamma: n must be an integer (a JS integer or an int32 array), got ${n instanceof Array ? n.dtype : String(n)}.`)
  }
  const [m, a] = floats(n, x)
  return polygammaRaw(m!, a!)
}

/** δ(z) = lgamma(z) - ((z - 1/2) log z - z + log(2π)/2) for z >= 8 (Stirling's series). */
export const stirlingCorrection = (z: Array): Array => {
  const r = div(c(z, 1), z)
  return mul(r, polynomial(z.dtype === "float64" ? STIRLING : STIRLING.slice(0, 3), mul(r, r)))
}

/** betaln on float arrays of one dtype and aligned ranks. */
export const betalnRaw = (a0: Array, b0: Array): Array => {
  const a = select(le(a0, b0), a0, b0)
  const b = select(le(a0, b0), b0, a0)
  const direct = sub(add(lgammaRaw(a), lgammaRaw(b)), lgammaRaw(add(a, b)))
  // b >= 8: lgamma(b) - lgamma(a + b) = -a (log b - 1) - (a + b - 1/2) log1p(a/b) + d(b) - d(a + b),
  // with d the Stirling correction; no cancellation between two large logs.
  const large = ge(b, c(b, ASYMPTOTIC))
  const bl = select(large, b, c(b, ASYMPTOTIC))
  const al = select(large, a, c(a, 1))
  const u = mul(sub(add(al, bl), c(bl, 0.5)), log1p(div(al, bl)))
  const v = mul(al, sub(log(bl), c(bl, 1)))
  const d = sub(stirlingCorrection(bl), stirlingCorrection(add(al, bl)))
  const asymptotic = add(lgammaRaw(al), sub(sub(d, v), u))
  return select(large, asymptotic, direct)
}

/**
 * The log of the absolute value of the beta function, `log |B(a, b)|` (JAX's `betaln`), computed
 * without cancellation when the larger argument is large.
 *
 * @example
 * scipy.special.betaln(np.array([1, 2]), np.array([2, 3e6])) // Array([ -0.6931472, -29.828245 ], dtype=float32)
 */
export const betaln = (a: Operand, b: Operand): Array => {
  const [x, y] = floats(a, b)
  return betalnRaw(x!, y!)
}

/**
 * The beta function B(a, b) = Γ(a) Γ(b) / Γ(a + b), with its sign from gammasgn (JAX's `beta`).
 *
 * @example
 * scipy.special.beta(np.array([1, 2]), np.array([2, 3])) // Array([0.5       , 0.08333333], dtype=float32)
 */
export const beta = (a: Operand, b: Operand): Array => {
  const [x, y] = floats(a, b)
  const s = mul(mul(gammasgn(x!), gammasgn(y!)), gammasgn(add(x!, y!)))
  return mul(s, exp(betalnRaw(x!, y!)))
}

export interface FactorialOptions {
  /** Exact integer arithmetic: not supported (as in JAX); the default false computes via gammaln. */
  readonly exact?: boolean | undefined
}
const FACTORIAL_KEYS = optionKeys<FactorialOptions>()("exact")

/**
 * n! as a float, `exp(gammaln(n + 1))`, and 0 for n < 0 (JAX's `factorial`; non-integers give
 * Γ(n + 1)).
 *
 * @example
 * scipy.special.factorial(np.array([0, 3, 5])) // Array([  1.     ,   6.     , 120.00001], dtype=float32)
 */
export const factorial = (n: Operand, options?: FactorialOptions): Array => {
  checkOptions("scipy.special.factorial", options, FACTORIAL_KEYS)
  if (options?.exact === true)
    throw new ValueError("scipy.special.factorial: exact=true is not supported (nor in JAX); leave exact false for the float result.")
  const a = float1(n)
  return select(lt(a, c(a, 0)), c(a, 0), exp(lgammaRaw(add(a, c(a, 1)))))
}

export interface CombOptions {
  /** Count combinations with repetition, `comb(N + k - 1, k)` (default false). */
  readonly repetition?: boolean | undefined
}
const COMB_KEYS = optionKeys<CombOptions>()("repetition")

/**
 * The binomial coefficient "N choose k" as a float, through gammaln; 0 unless 0 <= k <= N
 * (JAX's `comb`). With `{ repetition: true }`, combinations with repetition.
 *
 * @example
 * scipy.special.comb(5, np.array([0, 2, 6])) // Array([ 1., 10.,  0.], dtype=float32)
 */
export const comb = (N: Operand, k: Operand, options?: CombOptions): Array => {
  checkOptions("scipy.special.comb", options, COMB_KEYS)
  const [n0, kk] = floats(N, k)
  const n = options?.repetition === true ? sub(add(n0!, kk!), c(n0!, 1)) : n0!
  const ok = allOf(le(kk!, n), ge(n, c(n, 0)), ge(kk!, c(kk!, 0)))
  const sn = select(ok, n, c(n, 0))
  const sk = select(ok, kk!, c(kk!, 0))
  const one = c(sn, 1)
  const value = exp(sub(sub(lgammaRaw(add(sn, one)), lgammaRaw(add(sk, one))), lgammaRaw(add(sub(sn, sk), one))))
  return select(ok, value, c(value, 0))
}

const pochRaw = customJvp(
  (z: Array, m: Array): Array => {
    const ratio = div(gamma(add(z, m)), gamma(z))
    return select(eq(m, c(m, 0)), c(z, 1), ratio)
  },
  { name: "poch" }
)
pochRaw.defjvp(([z, m], [tz, tm]) => {
  const out = pochRaw(z, m)
  const psiZm = digammaRaw(add(z, m))
  // d/dz = (psi(z + m) - psi(z)) poch, d/dm = psi(z + m) poch (JAX's rules)
  return [out, add(mul(tz, mul(sub(psiZm, digammaRaw(z)), out)), mul(tm, mul(psiZm, out)))]
})

/**
 * The Pochhammer symbol (z)_m = Γ(z + m) / Γ(z), 1 where m = 0 (JAX's `poch`), with JAX's
 * derivatives in z and m.
 *
 * @example
 * scipy.special.poch(np.array([2, 3]), 2) // Array([ 6., 12.], dtype=float32)
 */
export const poch = (z: Operand, m: Operand): Array => {
  const [a, b] = floats(z, m)
  return pochRaw(a!, b!)
}

/**
 * The log of the multivariate gamma function of dimension d:
 * `d (d - 1) / 4 log(pi) + sum_{i < d} gammaln(a - i / 2)` (JAX's `multigammaln`). `d` is a
 * positive JS integer (static, as in JAX).
 *
 * @example
 * scipy.special.multigammaln(np.array([2, 3]), 2) // Array([0.4515827, 1.550195 ], dtype=float32)
 */
export const multigammaln = (a: Operand, d: number): Array => {
  if (!Number.isInteger(d) || d < 1) throw new ValueError(`scipy.special.multigammaln: d must be a positive integer, got ${d}.`)
  const x = float1(a)
  const offsets = div(iota(x.dtype, [d]), c(x, 2))
  const expanded = reshape(x, [...x.shape, 1])
  const logs = lgammaRaw(sub(expanded, reshape(offsets, [...x.shape.map(() => 1), d])))
  return add(reduceSum(logs, [x.ndim]), c(x, 0.25 * d * (d - 1) * Math.log(Math.PI)))
}

// ---------------------------------------------------------------------------------------------
// lax

/**
 * `lax.lgamma(x)`: log |Γ(x)| on a float array (no promotion); the derivative is `lax.digamma`.
 *
 * @example
 * lax.lgamma(np.array([0.5, 3])) // Array([0.5723649, 0.6931472], dtype=float32)
 */
export const laxLgamma = (x: Array): Array => {
  checkLaxFloats("lgamma", x)
  return lgammaRaw(x)
}

/**
 * `lax.digamma(x)`: ψ(x) on a float array (no promotion); the derivative is `lax.polygamma(1, x)`.
 *
 * @example
 * lax.digamma(np.array([1, 2], { dtype: "float32" })) // Array([-0.5772157 ,  0.42278433], dtype=float32)
 */
export const laxDigamma = (x: Array): Array => {
  checkLaxFloats("digamma", x)
  return digammaRaw(x)
}

/**
 * `lax.polygamma(m, x)`: ψ⁽ᵐ⁾(x) with m a float array of x's dtype holding integers (NaN
 * elsewhere), as JAX's primitive.
 *
 * @example
 * lax.polygamma(np.array([1, 2], { dtype: "float32" }), np.array([1, 1], { dtype: "float32" })) // Array([ 1.644934 , -2.4041138], dtype=float32)
 */
export const laxPolygamma = (m: Array, x: Array): Array => {
  checkLaxFloats("polygamma", m, x)
  return polygammaRaw(m, x)
}
