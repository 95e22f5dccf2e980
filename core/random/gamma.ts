/**
 * Gamma-family samplers (JAX's `gamma`, `loggamma`, `beta`, `dirichlet`): Marsaglia and Tsang's
 * method exactly as `jax._src.random._gamma_one` runs it, one key per element (the key split into
 * one key per element of the result, each element's rejection loop run with its own key, as JAX's
 * vmapped loop does), so a key gives JAX's samples. The derivative with respect to the shape
 * parameter is JAX's implicit reparameterization: d sample / d a = `lax.randomGammaGrad(a, sample)`.
 */
import type { Array } from "../array.js"
import { DTypeError, ShapeError } from "../errors.js"
import * as np from "../numpy/index.js"
import { broadcastInDim, broadcastTo, reshape, slice } from "../primitives/shape-ops.js"
import { add, and, div, eq, exp, ge, le, log, log1p, mul, neg, or, pow, select, sqrt, stopGradient, sub } from "../primitives/elementwise.js"
import { reduceMax, reduceSum } from "../primitives/reduce.js"
import { whileLoop } from "../lax/control.js"
import { randomGammaGradRaw } from "../scipy/special/igamma.js"
import { customJvp } from "../transforms/custom.js"
import { broadcastShapes, sizeOf } from "../shape.js"
import type { KeyArray } from "./keys.js"
import { randomSplit } from "./prims.js"
import {
  asDtype,
  checkFloat,
  checkShape,
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

/** Row i of each key's split: keys [n, m, 2] -> [n, 2]. */
const part = (ks: Array, i: number): Array => {
  const n = ks.shape[0]!
  return reshape(slice(ks, [0, i, 0], [n, i + 1, 2]), [n, 2])
}
/** Keep `next` where `mask` ([n]) holds, `prev` elsewhere (for [n] or [n, 2] values). */
const keep = (mask: Array, next: Array, prev: Array): Array => select(next.ndim === 1 ? mask : broadcastInDim(mask, next.shape, [0]), next, prev)
const anyOf = (mask: Array): Array => reduceMax(mask, [0])

/**
 * Marsaglia-Tsang for each (key, alpha) pair: keys uint32[n, 2], alpha [n] -> samples [n] (or
 * their logarithms), the loop structure of JAX's `_gamma_one` with a batched predicate.
 */
const gammaOne = (keys: Array, alpha: Array, logSpace: boolean): Array => {
  const dtype = alpha.dtype as FloatDType
  const c = (v: number): Array => scalar(v, dtype)
  const zero = c(0)
  const one = c(1)
  const boostMask = ge(alpha, one)
  const alphaB = select(boostMask, alpha, add(alpha, one))
  const d = sub(alphaB, c(1 / 3))
  const cc = div(c(1 / 3), sqrt(d))
  const ks = randomSplit(keys, [2])
  const key0 = part(ks, 0)
  const subkey = part(ks, 1)
  const n = alpha.shape[0]!
  const full = (v: number): Array => broadcastTo(c(v), [n])

  const rejected = ([, X, V, U]: readonly Array[]): Array =>
    and(ge(U!, sub(one, mul(c(0.0331), mul(X!, X!)))), ge(log(U!), add(mul(X!, c(0.5)), mul(d, add(sub(one, V!), log(V!))))))
  const [, , V] = whileLoop(
    (s: readonly Array[]) => anyOf(rejected(s)),
    (s: readonly Array[]) => {
      const go = rejected(s)
      const k3 = randomSplit(s[0]!, [3])
      const [key, xKey, uKey] = [part(k3, 0), part(k3, 1), part(k3, 2)]
      const [, x, v] = whileLoop(
        (t: readonly Array[]) => anyOf(le(t[2]!, zero)),
        (t: readonly Array[]) => {
          const again = le(t[2]!, zero)
          const k2 = randomSplit(t[0]!, [2])
          const [k, sub2] = [part(k2, 0), part(k2, 1)]
          const xn = normalImpl(sub2, [], dtype)
          const vn = add(one, mul(xn, cc))
          return [keep(again, k, t[0]!), keep(again, xn, t[1]!), keep(again, vn, t[2]!)]
        },
        [xKey, full(0), full(-1)]
      )
      const X = mul(x!, x!)
      const Vn = mul(mul(v!, v!), v!)
      const U = uniformImpl(uKey, [], dtype, 0, 1)
      return [keep(go, key, s[0]!), keep(go, X, s[1]!), keep(go, Vn, s[2]!), keep(go, U, s[3]!)]
    },
    [key0, full(0), full(1), full(2)]
  )
  if (logSpace) {
    const logSamples = neg(neg(log1p(neg(uniformImpl(subkey, [], dtype, 0, 1)))))
    const logBoost = select(or(boostMask, eq(logSamples, zero)), zero, mul(logSamples, div(one, alpha)))
    return add(add(log(d), log(V!)), logBoost)
  }
  const samples = sub(one, uniformImpl(subkey, [], dtype, 0, 1))
  const boost = select(boostMask, one, pow(samples, div(one, alpha)))
  return mul(mul(d, V!), boost)
}

/** d sample / d alpha (of log sample in log space), JAX's `_gamma_grad`. */
const gammaGrad = (sample: Array, alpha: Array, logSpace: boolean): Array => {
  if (!logSpace) return randomGammaGradRaw(alpha, sample)
  const dtype = sample.dtype as FloatDType
  let s = exp(sample)
  s = select(eq(s, scalar(0, dtype)), broadcastTo(scalar(finfo(dtype).tiny, dtype), s.shape), s)
  return div(randomGammaGradRaw(alpha, s), s)
}

const gammaFlat = [false, true].map((logSpace) => {
  const f = customJvp((keys: Array, alpha: Array): Array => gammaOne(keys, alpha, logSpace), { name: logSpace ? "random_loggamma" : "random_gamma" })
  return f.defjvp(([keys, alpha], [, ta]) => {
    const out = f(keys, alpha)
    return [out, mul(ta, gammaGrad(out, alpha, logSpace))]
  })
})

/** Gamma(a) samples of a's shape (a already broadcast and in the result dtype), one key split per element. */
export const gammaImpl = (k: Array, a: Array, logSpace: boolean): Array => {
  const n = sizeOf(a.shape)
  const keys = randomSplit(k, [n])
  return reshape(gammaFlat[logSpace ? 1 : 0]!(keys, reshape(a, [n])), a.shape)
}

/** The parameter in the dtype, broadcast to the result shape. */
export const param = (x: Real, dtype: FloatDType, shape: ReadonlyArray<number>): Array => broadcastTo(asDtype(x, dtype), shape)

const sampleShape = (what: string, shape: ShapeArg | null | undefined, ...params: ReadonlyArray<ReadonlyArray<number>>): number[] => {
  if (shape === undefined || shape === null) return broadcastShapes(...params)
  const s = toShape(what, shape)
  checkShape(what, s, ...params)
  return s
}
export { sampleShape }

const gammaLike = (what: string, logSpace: boolean, key: KeyArray, a: Real, shape?: ShapeArg | null, dtype?: DTypeArg<FloatDType>): Array => {
  const d = checkFloat(what, dtypeOf(what, dtype, "float32"))
  const k = single(what, key)
  const s = sampleShape(what, shape, shapeOf(a))
  return gammaImpl(k, param(a, d, s), logSpace)
}

/**
 * Gamma(a, 1) samples (density ∝ x^(a-1) e^-x), of `shape` (default a's shape), JAX's samples for
 * the same key. Differentiable in `a` by implicit reparameterization, as in JAX.
 *
 * @example
 * const key = random.key(0)
 * random.gamma(key, np.array([0.5, 2, 5]))
 * grad((a: Array) => random.gamma(key, a).sum())(np.array([1.5]))
 */
export const gamma = (key: KeyArray, a: Real, shape?: ShapeArg | null, dtype?: DTypeArg<FloatDType>): Array => gammaLike("gamma", false, key, a, shape, dtype)

/**
 * The logarithms of Gamma(a, 1) samples, computed in log space so that small `a` does not
 * underflow: `exp(loggamma(key, a))` is `gamma(key, a)` up to rounding.
 *
 * @example
 * random.loggamma(random.key(0), 0.01, [3])
 */
export const loggamma = (key: KeyArray, a: Real, shape?: ShapeArg | null, dtype?: DTypeArg<FloatDType>): Array =>
  gammaLike("loggamma", true, key, a, shape, dtype)

/**
 * Beta(a, b) samples on [0, 1], from two log-gamma draws (as JAX: ga / (ga + gb) without
 * underflow). `shape` defaults to the broadcast of a's and b's shapes.
 *
 * @example
 * random.beta(random.key(0), 2, 5, [4])
 */
export const beta = (key: KeyArray, a: Real, b: Real, shape?: ShapeArg | null, dtype?: DTypeArg<FloatDType>): Array => {
  const d = checkFloat("beta", dtypeOf("beta", dtype, "float32"))
  const k = single("beta", key)
  const s = sampleShape("beta", shape, shapeOf(a), shapeOf(b))
  const [ka, kb] = split2(k)
  const lga = gammaImpl(ka, param(a, d, s), true)
  const lgb = gammaImpl(kb, param(b, d, s), true)
  const logMax = np.maximum(lga, lgb)
  const ga = exp(sub(lga, logMax))
  const gb = exp(sub(lgb, logMax))
  return div(ga, add(ga, gb))
}

/**
 * Dirichlet(alpha) samples: alpha has shape [..., n]; the result has shape `shape + [n]`
 * (default alpha's shape), the softmax of log-gamma draws as JAX computes it.
 *
 * @example
 * random.dirichlet(random.key(0), np.array([1, 2, 3]))
 */
export const dirichlet = (key: KeyArray, alpha: Array | ReadonlyArray<number>, shape?: ShapeArg | null, dtype?: DTypeArg<FloatDType>): Array => {
  const d = checkFloat("dirichlet", dtypeOf("dirichlet", dtype, "float32"))
  const k = single("dirichlet", key)
  const al = Array_.isArray(alpha) ? np.asarray(alpha as number[], { dtype: d }) : (alpha as Array)
  if (al.dtype !== "float32" && al.dtype !== "float64" && al.dtype !== "int32" && al.dtype !== "uint32") {
    throw new DTypeError(`random.dirichlet: alpha must be real numbers, got ${al.dtype}`)
  }
  if (al.ndim < 1) throw new ShapeError(`random.dirichlet requires alpha.ndim >= 1, got alpha.ndim == ${al.ndim}`)
  const batch = al.shape.slice(0, -1)
  const s = shape === undefined || shape === null ? batch : toShape("dirichlet", shape)
  if (shape !== undefined && shape !== null) checkShape("dirichlet", s, batch)
  const full = [...s, al.shape[al.ndim - 1]!]
  const lg = gammaImpl(k, param(al, d, full), true)
  // softmax along the last axis, as jax.nn.softmax: exp(x - stop_gradient(max)) / sum
  const last = full.length - 1
  const m = broadcastInDim(
    stopGradient(reduceMax(lg, [last])),
    full,
    full.slice(0, -1).map((_, i) => i)
  )
  const u = exp(sub(lg, m))
  return div(
    u,
    broadcastInDim(
      reduceSum(u, [last]),
      full,
      full.slice(0, -1).map((_, i) => i)
    )
  )
}
const Array_ = globalThis.Array
