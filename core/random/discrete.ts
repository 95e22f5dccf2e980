/**
 * Discrete distributions as `jax._src.random` draws them, loop for loop, so a key gives JAX's
 * samples: poisson (Knuth's multiplication method below lam = 10, Hörmann's transformed rejection
 * above, both run on the same key and selected), binomial (inversion for n p <= 10, BTRS above),
 * multinomial (a scan of binomials over the categories) and geometric (inverse CDF).
 */
import { Array } from "../array.js"
import { DTypeError, ShapeError } from "../errors.js"
import { scan, whileLoop } from "../lax/control.js"
import * as np from "../numpy/index.js"
import { checkOptions, optionKeys } from "../options.js"
import { constant } from "../primitives/common.js"
import {
  abs,
  add,
  and,
  ceil,
  convertElementType,
  div,
  eq,
  floor,
  gt,
  le,
  log,
  log1p,
  lt,
  max,
  min,
  mul,
  ne,
  neg,
  not,
  or,
  select,
  sqrt,
  sub
} from "../primitives/elementwise.js"
import { gather } from "../primitives/indexing.js"
import { cumsum, reduceMax } from "../primitives/reduce.js"
import { broadcastTo, reshape, slice } from "../primitives/shape-ops.js"
import { lgammaRaw } from "../scipy/special/gamma.js"
import { sampleShape } from "./gamma.js"
import type { KeyArray } from "./keys.js"
import { randomSplit } from "./prims.js"
import {
  checkFloat,
  type DTypeArg,
  dtypeOf,
  type FloatDType,
  type IntDType,
  type Real,
  scalar,
  shapeOf,
  single,
  toShape,
  uniformImpl,
  type ShapeArg
} from "./random.js"

const anyOf = (mask: Array): Array =>
  mask.ndim === 0
    ? mask
    : reduceMax(
        mask,
        mask.shape.map((_, i) => i)
      )
/** Key i of a split of one key into m: uint32[2]. */
const splitN = (k: Array, m: number): Array[] => {
  const ks = randomSplit(k, [m])
  return globalThis.Array.from({ length: m }, (_, i) => reshape(slice(ks, [i, 0], [i + 1, 2]), [2]))
}
const INT32_MAX = 2 ** 31 - 1
const floatArg = (x: Real, fallback: FloatDType): Array =>
  x instanceof Array ? (x.dtype === "float32" || x.dtype === "float64" ? x : convertElementType(x, fallback)) : scalar(x, fallback)

// ---------------------------------------------------------------------------------------------
// Poisson

const poissonKnuth = (key: Array, lam: Array, s: ReadonlyArray<number>): Array => {
  const negLam = neg(lam)
  const [, k] = whileLoop(
    ([i, , , logProd]: readonly Array[]) => and(anyOf(gt(logProd!, negLam)), lt(i!, constant(INT32_MAX, "int32"))),
    ([i, k, rng, logProd]: readonly Array[]) => {
      const [next, subkey] = splitN(rng!, 2)
      const k2 = select(gt(logProd!, negLam), add(k!, constant(1, "int32")), k!)
      const u = uniformImpl(subkey!, s, "float32", 0, 1)
      return [add(i!, constant(1, "int32")), k2, next!, add(logProd!, log(u))]
    },
    [constant(0, "int32"), constant(0, "int32", s), key, constant(0, "float32", s)]
  )
  return sub(k!, constant(1, "int32"))
}

const poissonRejection = (key: Array, lam: Array, s: ReadonlyArray<number>): Array => {
  const c = (v: number): Array => scalar(v, "float32")
  const logLam = log(lam)
  const b = add(c(0.931), mul(c(2.53), sqrt(lam)))
  const a = add(c(-0.059), mul(c(0.02483), b))
  const invAlpha = add(c(1.1239), div(c(1.1328), sub(b, c(3.4))))
  const vR = sub(c(0.9277), div(c(3.6224), sub(b, c(2))))
  const [, kOut] = whileLoop(
    ([i, , accepted]: readonly Array[]) => and(anyOf(not(accepted!)), lt(i!, constant(INT32_MAX, "int32"))),
    ([i, kOut, accepted, key0]: readonly Array[]) => {
      const [next, sk0, sk1] = splitN(key0!, 3)
      const u = sub(uniformImpl(sk0!, s, "float32", 0, 1), c(0.5))
      const v = uniformImpl(sk1!, s, "float32", 0, 1)
      const us = sub(c(0.5), abs(u))
      const k = floor(add(add(mul(add(div(mul(c(2), a), us), b), u), lam), c(0.43)))
      const sv = log(div(mul(v, invAlpha), add(div(a, mul(us, us)), b)))
      const tv = sub(add(neg(lam), mul(k, logLam)), lgammaRaw(add(k, c(1))))
      const accept1 = and(ge_(us, c(0.07)), le(v, vR))
      const reject = or(lt(k, c(0)), and(lt(us, c(0.013)), gt(v, us)))
      const accept2 = le(sv, tv)
      const accept = or(accept1, and(not(reject), accept2))
      return [add(i!, constant(1, "int32")), select(accept, k, kOut!), or(accepted!, accept), next!]
    },
    [constant(0, "int32"), constant(-1, "float32", s), constant(0, "bool", s), key]
  )
  return convertElementType(kOut!, "int32")
}
const ge_ = (a: Array, b: Array): Array => not(lt(a, b)) // a >= b for non-NaN a (us is never NaN)

/**
 * Poisson(lam) samples (int32), JAX's samples for the same key: Knuth's method for lam < 10,
 * transformed rejection (Hörmann) otherwise. `shape` defaults to lam's shape.
 *
 * @example
 * random.poisson(random.key(0), np.array([0.5, 4, 40]))
 */
export const poisson = (key: KeyArray, lam: Real, shape?: ShapeArg | null, dtype?: DTypeArg<IntDType>): Array => {
  const d = dtypeOf("poisson", dtype, "int32")
  if (d !== "int32" && d !== "uint32") throw new DTypeError(`dtype argument to random.poisson must be an integer dtype (int32, uint32), got ${String(d)}`)
  const k = single("poisson", key)
  const s = shape === undefined || shape === null ? shapeOf(lam) : toShape("poisson", shape)
  const l = convertElementType(broadcastTo(lam instanceof Array ? lam : scalar(lam, "float32"), s), "float32")
  const useKnuth = or(ne(l, l), lt(l, scalar(10, "float32")))
  const lamKnuth = select(useKnuth, l, broadcastTo(scalar(0, "float32"), s))
  const lamRejection = select(useKnuth, broadcastTo(scalar(1e5, "float32"), s), l)
  const result = select(useKnuth, poissonKnuth(k, lamKnuth, s), poissonRejection(k, lamRejection, s))
  return convertElementType(select(eq(l, scalar(0, "float32")), broadcastTo(constant(0, "int32"), s), result), d)
}

// ---------------------------------------------------------------------------------------------
// Binomial

const STIRLING_TAIL = [
  0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211, 0.0138761288230707, 0.0118967099458917,
  0.010411265261972, 0.00925546218271273, 0.00833056343336287
]
/** log k! - Stirling's approximation (JAX's _stirling_approx_tail): a table for k <= 9, a series above. */
const stirlingTail = (k: Array): Array => {
  const dt = k.dtype as FloatDType
  const c = (v: number): Array => scalar(v, dt)
  const table = np.asarray(STIRLING_TAIL, { dtype: dt })
  const useTable = le(k, c(9))
  const kc = min(max(k, c(0)), c(9))
  const k1 = add(kc, c(1))
  const kp1sq = mul(k1, k1)
  const approx = div(sub(c(1 / 12), div(sub(c(1 / 360), div(c(1 / 1260), kp1sq)), kp1sq)), k1)
  const idx = convertElementType(floor(kc), "int32")
  return select(useTable, gather(table, idx, 0), approx)
}

const binomialInversion = (key: Array, count: Array, prob: Array, s: ReadonlyArray<number>): Array => {
  const dt = prob.dtype as FloatDType
  const log1mp = log1p(neg(prob))
  const zero = broadcastTo(scalar(0, dt), s)
  const [, numGeom] = whileLoop(
    ([, , geomSum]: readonly Array[]) => anyOf(le(geomSum!, count)),
    ([i, numGeom, geomSum, key0]: readonly Array[]) => {
      const [subkey, next] = splitN(key0!, 2)
      const ng = select(le(geomSum!, count), add(numGeom!, scalar(1, dt)), numGeom!)
      const u = uniformImpl(subkey!, s, dt, 0, 1)
      const geom = ceil(div(log(u), log1mp))
      return [add(i!, constant(1, "int32")), ng, add(geomSum!, geom), next!]
    },
    [constant(0, "int32"), zero, zero, key]
  )
  return sub(numGeom!, scalar(1, dt))
}

const btrs = (key: Array, count: Array, prob: Array, s: ReadonlyArray<number>): Array => {
  const dt = prob.dtype as FloatDType
  const c = (v: number): Array => scalar(v, dt)
  const one = c(1)
  const stddev = sqrt(mul(mul(count, prob), sub(one, prob)))
  const b = add(c(1.15), mul(c(2.53), stddev))
  const a = add(add(c(-0.0873), mul(c(0.0248), b)), mul(c(0.01), prob))
  const cc = add(mul(count, prob), c(0.5))
  const vR = sub(c(0.92), div(c(4.2), b))
  const r = div(prob, sub(one, prob))
  const alpha = mul(add(c(2.83), div(c(5.1), b)), stddev)
  const m = floor(mul(add(count, one), prob))
  const [, kOut] = whileLoop(
    ([, , accepted]: readonly Array[]) => anyOf(not(accepted!)),
    ([i, kOut, accepted, key0]: readonly Array[]) => {
      const [next, sk0, sk1] = splitN(key0!, 3)
      let u = uniformImpl(sk0!, s, dt, 0, 1)
      let v = uniformImpl(sk1!, s, dt, 0, 1)
      u = sub(u, c(0.5))
      const us = sub(c(0.5), abs(u))
      const accept1 = and(not(lt(us, c(0.07))), le(v, vR))
      const k = floor(add(mul(add(div(mul(c(2), a), us), b), u), cc))
      const reject = or(lt(k, c(0)), gt(k, count))
      v = log(div(mul(v, alpha), add(div(a, mul(us, us)), b)))
      const cm1 = add(sub(count, m), one)
      const ck1 = add(sub(count, k), one)
      let ub = mul(add(m, c(0.5)), log(div(add(m, one), mul(r, cm1))))
      ub = add(ub, mul(add(count, one), log(div(cm1, ck1))))
      ub = add(ub, mul(add(k, c(0.5)), log(div(mul(r, ck1), add(k, one)))))
      ub = add(ub, stirlingTail(m))
      ub = add(ub, stirlingTail(sub(count, m)))
      ub = sub(ub, stirlingTail(k))
      ub = sub(ub, stirlingTail(sub(count, k)))
      const accept = or(accept1, and(not(reject), le(v, ub)))
      return [add(i!, constant(1, "int32")), select(accept, k, kOut!), or(accepted!, accept), next!]
    },
    [constant(0, "int32"), broadcastTo(c(-1), s), constant(0, "bool", s), key]
  )
  return kOut!
}

const binomialImpl = (k: Array, n: Real, p: Real, shape: ShapeArg | null | undefined, dtype: FloatDType): Array => {
  // a number p takes the default float dtype: float64 under x64, which a float64 result implies
  const pa = floatArg(p, dtype)
  const dt = pa.dtype as FloatDType
  const s = sampleShape("binomial", shape, shapeOf(n), pa.shape)
  const c = (v: number): Array => scalar(v, dt)
  const full = (v: number): Array => broadcastTo(c(v), s)
  let count = broadcastTo(n instanceof Array ? convertElementType(n, dt) : c(n), s)
  const prob = broadcastTo(pa, s)
  const pLtHalf = lt(prob, c(0.5))
  let q = select(pLtHalf, prob, sub(c(1), prob))
  const countNanOrNeg = or(ne(count, count), lt(count, c(0)))
  const countInf = eq(abs(count), c(Infinity))
  const qIsNan = ne(q, q)
  const qL0 = lt(q, c(0))
  q = select(or(qIsNan, qL0), full(0.01), q)
  const useInversion = or(countNanOrNeg, le(mul(count, q), c(10)))
  count = floor(count)
  const countInv = select(useInversion, count, full(0))
  const countBtrs = select(useInversion, full(1e4), count)
  const qBtrs = select(useInversion, full(0.5), q)
  let samples = select(useInversion, binomialInversion(k, countInv, q, s), btrs(k, countBtrs, qBtrs, s))
  const invalid = or(or(qL0, qIsNan), countNanOrNeg)
  samples = select(invalid, full(NaN), samples)
  samples = select(and(countInf, not(invalid)), full(Infinity), samples)
  samples = select(or(or(or(pLtHalf, countNanOrNeg), qIsNan), countInf), samples, sub(count, samples))
  return convertElementType(samples, dtype)
}

/**
 * Binomial(n, p) samples as floats (float32 by default), JAX's samples for the same key:
 * inversion for n min(p, 1-p) <= 10, BTRS rejection above. `shape` defaults to the broadcast of
 * n's and p's shapes.
 *
 * @example
 * random.binomial(random.key(0), 10, np.array([0.1, 0.5, 0.9]))
 */
export const binomial = (key: KeyArray, n: Real, p: Real, shape?: ShapeArg | null, dtype?: DTypeArg<FloatDType>): Array =>
  binomialImpl(single("binomial", key), n, p, shape, checkFloat("binomial", dtypeOf("binomial", dtype, "float32")))

export interface MultinomialOptions {
  /** The batch shape (the result is shape + [k]); default p's shape without its last axis. */
  readonly shape?: ShapeArg
  readonly dtype?: FloatDType
  /** Accepted for JAX compatibility (lax.scan's unroll); the samples do not depend on it. */
  readonly unroll?: number | boolean
}
/**
 * Multinomial counts: n trials over the categories of p (last axis), as JAX draws them: one
 * binomial per category, of the trials left, with probability p_i / (p_i + ... + p_k).
 *
 * @example
 * random.multinomial(random.key(0), 100, np.array([0.2, 0.3, 0.5]))
 */
export const multinomial = (key: KeyArray, n: Real, p: Array | ReadonlyArray<number>, options: MultinomialOptions = {}): Array => {
  checkOptions("random.multinomial", options, optionKeys<MultinomialOptions>()("shape", "dtype", "unroll"))
  const d = checkFloat("multinomial", options.dtype ?? "float32")
  const k = single("multinomial", key)
  let pa = globalThis.Array.isArray(p) ? np.asarray(p as number[], { dtype: d }) : floatArg(p as Array, d)
  const dt = pa.dtype as FloatDType
  if (pa.ndim < 1) throw new ShapeError("random.multinomial: p must have at least one axis (the categories)")
  const s = options.shape === undefined ? [...pa.shape] : [...toShape("multinomial", options.shape), pa.shape[pa.ndim - 1]!]
  const na = broadcastTo(n instanceof Array ? convertElementType(n, dt) : scalar(n, dt), s.slice(0, -1))
  pa = broadcastTo(pa, s)
  const cats = s[s.length - 1]!
  const pm = np.moveaxis(pa, -1, 0)
  const remaining = cumsum(pm, 0, true)
  const ratios = div(pm, np.where(eq(remaining, scalar(0, dt)), scalar(1, dt), remaining))
  const keys = randomSplit(k, [cats])
  const [, counts] = scan(
    (remainder: Array, [ratio, kk]: readonly [Array, Array]) => {
      const count = binomialImpl(kk, remainder, np.clip(ratio, 0, 1), null, dt)
      return [sub(remainder, count), count] as const
    },
    na,
    [ratios, keys] as const
  )
  return convertElementType(np.moveaxis(counts, 0, -1), d)
}

/**
 * Geometric samples (int32, the number of trials up to the first success, >= 1) with success
 * probability p: floor(log u / log1p(-p)) + 1. `shape` defaults to p's shape.
 *
 * @example
 * random.geometric(random.key(0), 0.3, [4])
 */
export const geometric = (key: KeyArray, p: Real, shape?: ShapeArg | null, dtype?: DTypeArg<IntDType>): Array => {
  const d = dtypeOf("geometric", dtype, "int32")
  if (d !== "int32" && d !== "uint32") throw new DTypeError(`dtype argument to random.geometric must be an int dtype (int32, uint32), got ${String(d)}`)
  const k = single("geometric", key)
  const pa = floatArg(p, "float32")
  const dt = pa.dtype as FloatDType
  const s = sampleShape("geometric", shape, pa.shape)
  let u = uniformImpl(k, s, dt, 0, 1)
  u = select(eq(u, scalar(0, dt)), broadcastTo(scalar(1, dt), s), u)
  const l1p = broadcastTo(log1p(neg(pa)), s)
  return convertElementType(add(floor(div(log(u), l1p)), scalar(1, dt)), d)
}
