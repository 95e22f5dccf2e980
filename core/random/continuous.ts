/**
 * Continuous distributions built from uniforms, normals and gammas, each following
 * `jax._src.random` operation by operation (same keys, same splits, same arithmetic in the
 * result dtype), so a key gives JAX's samples: cauchy, pareto, t, chisquare, f, lognormal,
 * weibullMin, rayleigh, maxwell, doubleSidedMaxwell, generalizedNormal, ball, triangular, wald,
 * orthogonal, and the sign sampler rademacher.
 */
import type { Array } from "../array.js"
import { DTypeError, ValueError } from "../errors.js"
import * as np from "../numpy/index.js"
import { checkOptions, optionKeys } from "../options.js"
import { abs, add, convertElementType, div, exp, integerPow, le, log, log1p, lt, mul, neg, pow, select, sqrt, sub, tan } from "../primitives/elementwise.js"
import { reduceSum } from "../primitives/reduce.js"
import { broadcastInDim, reshape, transpose } from "../primitives/shape-ops.js"
import { householderQr } from "../nn/initializers/qr.js"
import { vmap } from "../transforms/vmap.js"
import { broadcastShapes, sizeOf } from "../shape.js"
import { gammaImpl, param, sampleShape } from "./gamma.js"
import type { KeyArray } from "./keys.js"
import {
  asDtype,
  checkFloat,
  type DTypeArg,
  dtypeOf,
  finfo,
  type FloatDType,
  normalImpl,
  type Real,
  scalar,
  shapeOf,
  single,
  split2,
  toShape,
  uniformImpl,
  type ShapeArg
} from "./random.js"

const floatOf = (what: string, dtype: DTypeArg<FloatDType> | undefined): FloatDType => checkFloat(what, dtypeOf(what, dtype, "float32"))
/** A parameter in the dtype (numbers become scalars of the dtype), not broadcast. */
const inDtype = (x: Real, dtype: FloatDType): Array => asDtype(x, dtype)
/** 1 / x: a JS number is divided in double precision (as Python does before JAX sees it). */
const recip = (x: Real, dtype: FloatDType): Array => {
  if (typeof x === "number") return scalar(1 / x, dtype)
  // JAX divides in the parameter's own float dtype and promotes afterwards
  const xf = x.dtype === "float32" || x.dtype === "float64" ? x : convertElementType(x, dtype)
  return div(scalar(1, xf.dtype), xf)
}

/**
 * Standard Cauchy samples: tan(pi (u - 1/2)) with u uniform in [eps, 1).
 *
 * @example
 * random.cauchy(random.key(0), [3])
 */
export const cauchy = (key: KeyArray, shape?: ShapeArg, dtype?: DTypeArg<FloatDType>): Array => {
  const d = floatOf("cauchy", dtype)
  const u = uniformImpl(single("cauchy", key), toShape("cauchy", shape), d, finfo(d).eps, 1)
  return tan(mul(scalar(Math.PI, d), sub(u, scalar(0.5, d))))
}

const exponentialImpl = (k: Array, shape: ReadonlyArray<number>, d: FloatDType): Array => neg(log1p(neg(uniformImpl(k, shape, d, 0, 1))))

/**
 * Pareto samples with shape parameter b: exp(e / b), e standard exponential. `shape` defaults to
 * b's shape.
 *
 * @example
 * random.pareto(random.key(0), 3, [2])
 */
export const pareto = (key: KeyArray, b: Real, shape?: ShapeArg | null, dtype?: DTypeArg<FloatDType>): Array => {
  const d = floatOf("pareto", dtype)
  const k = single("pareto", key)
  const s = sampleShape("pareto", shape, shapeOf(b))
  return exp(np.divide(exponentialImpl(k, s, d), inDtype(b, d)))
}

/**
 * Student's t samples with `df` degrees of freedom: n sqrt((df/2) / g), n normal and g
 * Gamma(df/2). `shape` defaults to df's shape.
 *
 * @example
 * random.t(random.key(0), 5, [3])
 */
export const t = (key: KeyArray, df: Real, shape?: ShapeArg | null, dtype?: DTypeArg<FloatDType>): Array => {
  const d = floatOf("t", dtype)
  const k = single("t", key)
  const s = sampleShape("t", shape, shapeOf(df))
  const [kn, kg] = split2(k)
  const n = normalImpl(kn, s, d)
  const halfDf = div(inDtype(df, d), scalar(2, d))
  const g = gammaImpl(kg, param(halfDf, d, s), false)
  return np.multiply(n, sqrt(np.divide(halfDf, g)))
}

const chisquareImpl = (k: Array, df: Real, s: ReadonlyArray<number>, d: FloatDType): Array => {
  const halfDf = div(inDtype(df, d), scalar(2, d))
  return mul(exp(gammaImpl(k, param(halfDf, d, s), true)), scalar(2, d))
}

/**
 * Chi-square samples with `df` degrees of freedom: 2 exp(loggamma(df / 2)). `shape` defaults to
 * df's shape.
 *
 * @example
 * random.chisquare(random.key(0), 3, [2])
 */
export const chisquare = (key: KeyArray, df: Real, shape?: ShapeArg | null, dtype?: DTypeArg<FloatDType>): Array => {
  const d = floatOf("chisquare", dtype)
  const k = single("chisquare", key)
  return chisquareImpl(k, df, sampleShape("chisquare", shape, shapeOf(df)), d)
}

/**
 * F-distribution samples: (chi2(dfnum) / dfnum) / (chi2(dfden) / dfden). `shape` defaults to the
 * broadcast of the parameters' shapes.
 *
 * @example
 * random.f(random.key(0), 5, 10, [2])
 */
export const f = (key: KeyArray, dfnum: Real, dfden: Real, shape?: ShapeArg | null, dtype?: DTypeArg<FloatDType>): Array => {
  const d = floatOf("f", dtype)
  const k = single("f", key)
  const s = sampleShape("f", shape, shapeOf(dfnum), shapeOf(dfden))
  const [kDen, kNum] = split2(k)
  const num = np.divide(chisquareImpl(kNum, dfnum, s, d), inDtype(dfnum, d))
  const den = np.divide(chisquareImpl(kDen, dfden, s, d), inDtype(dfden, d))
  return div(num, den)
}

/**
 * Log-normal samples: exp(sigma n), n standard normal (sigma defaults to 1). `shape` defaults to
 * sigma's shape.
 *
 * @example
 * random.lognormal(random.key(0), 0.5, [3])
 */
export const lognormal = (key: KeyArray, sigma: Real = 1, shape?: ShapeArg | null, dtype?: DTypeArg<FloatDType>): Array => {
  const d = floatOf("lognormal", dtype)
  const k = single("lognormal", key)
  const s = sampleShape("lognormal", shape, shapeOf(sigma))
  return exp(np.multiply(normalImpl(k, s, d), inDtype(sigma, d)))
}

/**
 * Weibull samples (scipy's weibull_min) with `scale` and `concentration`: the inverse CDF
 * (-log1p(-u))^(1/concentration) scale. The result is `shape` broadcast with the parameters.
 *
 * @example
 * random.weibullMin(random.key(0), 1, 2, [3])
 */
export const weibullMin = (key: KeyArray, scale: Real, concentration: Real, shape?: ShapeArg, dtype?: DTypeArg<FloatDType>): Array => {
  const d = floatOf("weibullMin", dtype)
  const u = uniformImpl(single("weibullMin", key), toShape("weibullMin", shape), d, 0, 1)
  return np.multiply(np.power(neg(log1p(neg(u))), recip(concentration, d)), inDtype(scale, d))
}

/**
 * Rayleigh samples with `scale`: scale sqrt(-2 log u). `shape` defaults to scale's shape.
 *
 * @example
 * random.rayleigh(random.key(0), 2, [3])
 */
export const rayleigh = (key: KeyArray, scale: Real, shape?: ShapeArg | null, dtype?: DTypeArg<FloatDType>): Array => {
  const d = floatOf("rayleigh", dtype)
  const k = single("rayleigh", key)
  const s = sampleShape("rayleigh", shape, shapeOf(scale))
  const u = uniformImpl(k, s, d, 0, 1)
  return mul(param(scale, d, s), sqrt(mul(log(u), scalar(-2, d))))
}

/**
 * Wald (inverse Gaussian) samples with `mean` (and unit shape parameter), by Michael, Schucany
 * and Haas's transformation, as JAX. `shape` defaults to mean's shape.
 *
 * @example
 * random.wald(random.key(0), 1.5, [3])
 */
export const wald = (key: KeyArray, mean: Real, shape?: ShapeArg | null, dtype?: DTypeArg<FloatDType>): Array => {
  const d = floatOf("wald", dtype)
  const k = single("wald", key)
  const s = sampleShape("wald", shape, shapeOf(mean))
  const [k1, k2] = split2(k)
  const m = param(mean, d, s)
  const c = (v: number): Array => scalar(v, d)
  const v = normalImpl(k1, s, d)
  const z = uniformImpl(k2, s, d, 0, 1)
  const y = integerPow(v, 2)
  const ySq = integerPow(y, 2)
  const meanSq = integerPow(m, 2)
  const sqrtTerm = sqrt(add(mul(mul(c(4), m), y), mul(meanSq, ySq)))
  const x = sub(add(m, div(mul(meanSq, y), c(2))), mul(div(m, c(2)), sqrtTerm))
  return select(le(z, div(m, add(m, x))), x, div(meanSq, x))
}

/**
 * Triangular samples on [left, right] with the given mode, by the inverse CDF. `shape` defaults
 * to the broadcast of the parameters' shapes.
 *
 * @example
 * random.triangular(random.key(0), 0, 1, 3, [2])
 */
export const triangular = (key: KeyArray, left: Real, mode: Real, right: Real, shape?: ShapeArg | null, dtype?: DTypeArg<FloatDType>): Array => {
  const d = floatOf("triangular", dtype)
  const k = single("triangular", key)
  const s = sampleShape("triangular", shape, shapeOf(left), shapeOf(mode), shapeOf(right))
  const l = param(left, d, s)
  const r = param(right, d, s)
  const m = param(mode, d, s)
  const fc = div(sub(m, l), sub(r, l))
  const u = uniformImpl(k, s, d, 0, 1)
  const out1 = add(l, sqrt(mul(mul(u, sub(r, l)), sub(m, l))))
  const out2 = sub(r, sqrt(mul(mul(sub(scalar(1, d), u), sub(r, l)), sub(r, m))))
  return select(lt(u, fc), out1, out2)
}

export type RademacherDType = "int32" | "float32" | "float64"
const rademacherImpl = (k: Array, s: ReadonlyArray<number>, d: RademacherDType): Array => {
  // bernoulli(key, 0.5): JAX draws the uniform in the default float dtype, float64 under x64 (which a float64 result implies)
  const ud: FloatDType = d === "float64" ? "float64" : "float32"
  const b = convertElementType(lt(uniformImpl(k, s, ud, 0, 1), scalar(0.5, ud)), d)
  return sub(mul(scalar(2, d), b), scalar(1, d))
}
/**
 * Random signs, -1 or +1 with equal probability (int32 by default).
 *
 * @example
 * random.rademacher(random.key(0), [4])
 */
export const rademacher = (key: KeyArray, shape?: ShapeArg, dtype?: DTypeArg<RademacherDType>): Array => {
  const d = dtypeOf("rademacher", dtype, "int32")
  if (d !== "int32" && d !== "float32" && d !== "float64") throw new DTypeError(`random.rademacher: dtype must be int32, float32 or float64, got ${String(d)}`)
  return rademacherImpl(single("rademacher", key), toShape("rademacher", shape), d)
}

const maxwellImpl = (k: Array, s: ReadonlyArray<number>, d: FloatDType): Array => {
  const z = normalImpl(k, [...s, 3], d)
  return sqrt(reduceSum(mul(z, z), [s.length]))
}
/**
 * Maxwell samples: the length of a standard normal 3-vector.
 *
 * @example
 * random.maxwell(random.key(0), [3])
 */
export const maxwell = (key: KeyArray, shape?: ShapeArg, dtype?: DTypeArg<FloatDType>): Array =>
  maxwellImpl(single("maxwell", key), toShape("maxwell", shape), floatOf("maxwell", dtype))

/**
 * Double-sided Maxwell samples: loc + scale * sign * maxwell. As in JAX, the result shape is
 * `shape` followed by the parameters' broadcast shape (`shape` defaults to that shape, so scalar
 * parameters give `shape`).
 *
 * @example
 * random.doubleSidedMaxwell(random.key(0), 0, 1, [3])
 */
export const doubleSidedMaxwell = (key: KeyArray, loc: Real, scale: Real, shape?: ShapeArg, dtype?: DTypeArg<FloatDType>): Array => {
  const d = floatOf("doubleSidedMaxwell", dtype)
  const k = single("doubleSidedMaxwell", key)
  const paramShape = broadcastShapes(shapeOf(loc), shapeOf(scale))
  let s = toShape("doubleSidedMaxwell", shape)
  if (s.length === 0) s = paramShape
  s = [...s, ...paramShape]
  const [km, kr] = split2(k)
  const m = maxwellImpl(km, s, d)
  const sign = rademacherImpl(kr, s, d)
  return np.add(np.multiply(mul(sign, m), inDtype(scale, d)), inDtype(loc, d))
}

/** x ** y as jnp.power: integer_pow for a JS integer exponent, pow otherwise. */
const powerOf = (x: Array, y: number): Array => (Number.isInteger(y) ? integerPow(x, y) : pow(x, scalar(y, x.dtype)))

const generalizedNormalImpl = (k: Array, p: number, s: ReadonlyArray<number>, d: FloatDType): Array => {
  const [k0, k1] = split2(k)
  const g = gammaImpl(k0, param(1 / p, d, s), false)
  const r = rademacherImpl(k1, s, d)
  return mul(r, powerOf(g, 1 / p))
}
const checkP = (what: string, p: unknown): number => {
  if (typeof p !== "number" || !(p > 0)) throw new ValueError(`random.${what}: p must be a positive number, got ${String(p)}`)
  return p
}
/**
 * Generalized normal samples with density ∝ exp(-|x|^p): sign * g^(1/p), g Gamma(1/p).
 * p = 2 is a normal with variance 1/2, p = 1 a Laplace.
 *
 * @example
 * random.generalizedNormal(random.key(0), 1.5, [3])
 */
export const generalizedNormal = (key: KeyArray, p: number, shape?: ShapeArg, dtype?: DTypeArg<FloatDType>): Array =>
  generalizedNormalImpl(
    single("generalizedNormal", key),
    checkP("generalizedNormal", p),
    toShape("generalizedNormal", shape),
    floatOf("generalizedNormal", dtype)
  )

/**
 * Points uniformly distributed in the unit p-norm ball of dimension d: shape `shape + [d]`.
 *
 * @example
 * random.ball(random.key(0), 3, 2, [5]) // 5 points in the 3-d unit ball
 */
export const ball = (key: KeyArray, d: number, p = 2, shape?: ShapeArg, dtype?: DTypeArg<FloatDType>): Array => {
  const dt = floatOf("ball", dtype)
  const k = single("ball", key)
  if (!Number.isInteger(d) || d < 0) throw new ValueError(`random.ball: d must be a non-negative integer, got ${d}`)
  checkP("ball", p)
  const s = toShape("ball", shape)
  const [k1, k2] = split2(k)
  const g = generalizedNormalImpl(k1, p, [...s, d], dt)
  const e = exponentialImpl(k2, s, dt)
  const norm = powerOf(add(reduceSum(powerOf(abs(g), p), [s.length]), e), 1 / p)
  return div(
    g,
    broadcastInDim(
      norm,
      [...s, d],
      s.map((_, i) => i)
    )
  )
}

export interface OrthogonalOptions {
  readonly dtype?: FloatDType
  /** The number of columns (default n): n x m matrices with orthonormal rows or columns. */
  readonly m?: number
}
/**
 * Uniformly distributed (Haar) orthogonal n x n matrices (or n x m with orthonormal rows/columns),
 * of shape `shape + [n, m]`: the Q of the QR factorization of a normal matrix with its columns'
 * signs set by R's diagonal, as JAX.
 *
 * @example
 * random.orthogonal(random.key(0), 3)
 */
export const orthogonal = (key: KeyArray, n: number, shape?: ShapeArg, options: FloatDType | OrthogonalOptions = {}): Array => {
  const o = typeof options === "string" ? { dtype: options } : checkOptions("random.orthogonal", options, optionKeys<OrthogonalOptions>()("dtype", "m"))
  const d = checkFloat("orthogonal", o.dtype ?? "float32")
  const k = single("orthogonal", key)
  const m = o.m ?? n
  for (const [name, v] of [
    ["n", n],
    ["m", m]
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new ValueError(`random.orthogonal: ${name} must be a non-negative integer, got ${v}`)
  }
  const s = toShape("orthogonal", shape)
  const rows = Math.max(n, m)
  const cols = Math.min(n, m)
  const z = normalImpl(k, [...s, rows, cols], d)
  const one = (a: Array): Array => {
    const [q, diag] = householderQr(a)
    return np.multiply(q, np.sign(diag))
  }
  const batch = sizeOf(s)
  const flat = reshape(z, [batch, rows, cols])
  let x = batch === 1 ? reshape(one(reshape(flat, [rows, cols])), [1, rows, cols]) : vmap(one)(flat)
  if (n < m) x = transpose(x, [0, 2, 1])
  return reshape(x, [...s, n, m])
}
