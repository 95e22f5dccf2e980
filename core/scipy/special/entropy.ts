/**
 * x log y and the entropies built on it (JAX's `xlogy`, `xlog1py`, `entr`, `rel_entr`, `kl_div`),
 * with JAX's custom derivatives, which stay finite where x = 0; and the logistic pair `logit`,
 * `expit` and the Box-Cox transforms.
 */
import type { Array } from "../../array.js"
import { and, add, div, eq, expm1, ge, gt, log, log1p, logistic, lt, mul, ne, neg, or, select, sub } from "../../primitives/elementwise.js"
import { customJvp } from "../../transforms/custom.js"
import { type Operand } from "../../numpy/coerce.js"
import { c, float1, floats, isNan } from "./common.js"

export const xlogyRaw = customJvp(
  (x: Array, y: Array): Array => {
    // 0 where x = 0, NaN in y still propagating (scipy's convention)
    const keep = or(ne(x, c(x, 0)), isNan(y))
    const v = mul(x, log(y))
    return select(keep, v, c(v, 0))
  },
  { name: "xlogy" }
)
xlogyRaw.defjvp(([x, y], [tx, ty]) => [xlogyRaw(x, y), add(mul(tx, log(y)), mul(ty, div(x, y)))])

export const xlog1pyRaw = customJvp(
  (x: Array, y: Array): Array => {
    const keep = or(ne(x, c(x, 0)), isNan(y))
    const v = mul(x, log1p(y))
    return select(keep, v, c(v, 0))
  },
  { name: "xlog1py" }
)
xlog1pyRaw.defjvp(([x, y], [tx, ty]) => [xlog1pyRaw(x, y), add(mul(tx, log1p(y)), mul(ty, div(x, add(y, c(y, 1)))))])

/** x log x with the derivative log x + 1 (JAX's _xlogx). */
const xlogx = customJvp((x: Array): Array => xlogyRaw(x, x), { name: "xlogx" })
xlogx.defjvp(([x], [t]) => [xlogx(x), mul(t, add(log(x), c(x, 1)))])

/**
 * x * log(y), and 0 where x = 0 (even for y = 0), NaN in y propagating (JAX's `xlogy`). Its
 * derivative is (log y, x / y), finite at x = 0.
 *
 * @example
 * scipy.special.xlogy(np.array([0, 2]), np.array([0, 3])) // Array([0.       , 2.1972246], dtype=float32)
 */
export const xlogy = (x: Operand, y: Operand): Array => {
  const [a, b] = floats(x, y)
  return xlogyRaw(a!, b!)
}

/**
 * x * log1p(y), and 0 where x = 0 (JAX's `xlog1py`); derivative (log1p y, x / (1 + y)).
 *
 * @example
 * scipy.special.xlog1py(np.array([0, 2]), np.array([-1, 1])) // Array([0.       , 1.3862944], dtype=float32)
 */
export const xlog1py = (x: Operand, y: Operand): Array => {
  const [a, b] = floats(x, y)
  return xlog1pyRaw(a!, b!)
}

/**
 * The elementwise entropy -x log x, 0 at x = 0 and -inf for x < 0 (JAX's `entr`).
 *
 * @example
 * scipy.special.entr(np.array([0, 0.5, 1, -1])) // Array([-0.       ,  0.3465736, -0.       ,       -inf], dtype=float32)
 */
export const entr = (x: Operand): Array => {
  const a = float1(x)
  return select(lt(a, c(a, 0)), c(a, -Infinity), neg(xlogx(a)))
}

export const relEntrRaw = (p: Array, q: Array): Array => {
  const zero = c(p, 0)
  const bothPositive = and(gt(p, zero), gt(q, zero))
  const pZero = and(eq(p, zero), ge(q, zero))
  const sp = select(bothPositive, p, c(p, 1))
  const sq = select(bothPositive, q, c(q, 1))
  const v = sub(xlogx(sp), xlogyRaw(sp, sq))
  return select(bothPositive, v, select(pZero, c(v, 0), c(v, Infinity)))
}

/**
 * The relative entropy p log(p / q) for p, q > 0, 0 where p = 0 and q >= 0, inf otherwise
 * (JAX's `rel_entr`).
 *
 * @example
 * scipy.special.relEntr(np.array([0.5, 0, 1]), np.array([0.25, 1, 0])) // Array([0.3465736, 0.       ,       inf], dtype=float32)
 */
export const relEntr = (p: Operand, q: Operand): Array => {
  const [a, b] = floats(p, q)
  return relEntrRaw(a!, b!)
}

/**
 * The Kullback-Leibler divergence term p log(p / q) - p + q (JAX's `kl_div`; q where p = 0, inf
 * outside the domain).
 *
 * @example
 * scipy.special.klDiv(np.array([0.5, 0]), np.array([0.25, 2])) // Array([0.09657359, 2.        ], dtype=float32)
 */
export const klDiv = (p: Operand, q: Operand): Array => {
  const [a, b] = floats(p, q)
  return add(sub(relEntrRaw(a!, b!), a!), b!)
}

export const logitRaw = customJvp((x: Array): Array => log(div(x, sub(c(x, 1), x))), { name: "logit" })
logitRaw.defjvp(([x], [t]) => [logitRaw(x), div(t, mul(x, sub(c(x, 1), x)))])

/**
 * The logit function log(p / (1 - p)), the inverse of expit (JAX's `logit`), with the derivative
 * 1 / (p (1 - p)).
 *
 * @example
 * scipy.special.logit(np.array([0.25, 0.5, 1])) // Array([-1.0986123,  0.       ,        inf], dtype=float32)
 */
export const logit = (x: Operand): Array => logitRaw(float1(x))

/**
 * The logistic sigmoid 1 / (1 + exp(-x)) (JAX's `expit`, `lax.logistic`).
 *
 * @example
 * scipy.special.expit(np.array([-1, 0, 2])) // Array([0.26894143, 0.5       , 0.8807971 ], dtype=float32)
 */
export const expit = (x: Operand): Array => logistic(float1(x))

const boxcoxOf = (logx: Array, lmbda: Array): Array => {
  const zero = eq(lmbda, c(lmbda, 0))
  const safe = select(zero, c(lmbda, 1), lmbda)
  return select(zero, logx, div(expm1(mul(safe, logx)), safe))
}

/**
 * The Box-Cox transform (x^λ - 1) / λ, log x where λ = 0 (JAX's `boxcox`), computed as
 * expm1(λ log x) / λ.
 *
 * @example
 * scipy.special.boxcox(np.array([1, 2, 4]), 0.5) // Array([0.        , 0.82842714, 2.        ], dtype=float32, weak_type=True)
 */
export const boxcox = (x: Operand, lmbda: Operand): Array => {
  const [a, l] = floats(x, lmbda)
  return boxcoxOf(log(a!), l!)
}

/**
 * The Box-Cox transform of 1 + x, ((1 + x)^λ - 1) / λ, log1p(x) where λ = 0 (JAX's `boxcox1p`).
 *
 * @example
 * scipy.special.boxcox1p(np.array([0, 1, 3]), 0.5) // Array([0.        , 0.82842714, 2.        ], dtype=float32, weak_type=True)
 */
export const boxcox1p = (x: Operand, lmbda: Operand): Array => {
  const [a, l] = floats(x, lmbda)
  return boxcoxOf(log1p(a!), l!)
}
