/**
 * Regression losses (optax's `squared_error`, `l2_loss`, `huber_loss`, `log_cosh`,
 * `cosine_similarity`, `cosine_distance`), element-wise (or per vector for the cosine ones) as
 * in optax.
 */
import { type Array, np } from "../../../index.js"
import { checkOptions, optionKeys } from "../../../core/options.js"
import type { ArrayLike } from "../../../core/numpy/coerce.js"
import { arrayArg, type Axis, floatArg, logaddexp, sameShape, sumWhere } from "./common.js"

/** `predictions - targets` (or the predictions alone), checked to be float and of equal shapes. */
const errorsOf = (what: string, predictions: ArrayLike, targets: ArrayLike | undefined, checkShapes: boolean): Array => {
  const p = floatArg(what, "predictions", predictions)
  if (targets === undefined) return p
  const t = arrayArg(targets)
  if (checkShapes) sameShape(what, p, t)
  return p.sub(t)
}

/**
 * `(predictions - targets)^2`, element-wise (optax's `squared_error`); without targets, the
 * squared predictions. Both must have the same shape.
 *
 * @example
 * optim.losses.squaredError(np.array([1, 2]), np.array([0, 0]))   // Array([1, 4], dtype=float32)
 */
export const squaredError = (predictions: ArrayLike, targets?: ArrayLike): Array => errorsOf("squaredError", predictions, targets, true).square()

/**
 * Half the squared error, `0.5 * (predictions - targets)^2` (optax's `l2_loss`).
 *
 * @example
 * optim.losses.l2Loss(np.array([1, 2]), np.array([0, 0]))   // Array([0.5, 2], dtype=float32)
 */
export const l2Loss = (predictions: ArrayLike, targets?: ArrayLike): Array => np.multiply(0.5, squaredError(predictions, targets))

const HUBER_KEYS = optionKeys<NonNullable<Parameters<typeof huberLoss>[2]>>()("delta")

/**
 * The Huber loss (optax's `huber_loss`): `0.5 e^2` where `|e| <= delta`, `0.5 delta^2 + delta
 * (|e| - delta)` beyond, element-wise on `e = predictions - targets`.
 *
 * @example
 * optim.losses.huberLoss(np.array([0.5, 3]), np.array([0, 0]))   // Array([0.125, 2.5], dtype=float32)
 */
export const huberLoss = (predictions: ArrayLike, targets?: ArrayLike, options?: { readonly delta?: number }): Array => {
  checkOptions("optim.losses.huberLoss", options, HUBER_KEYS)
  const delta = options?.delta ?? 1
  const absErrors = errorsOf("huberLoss", predictions, targets, false).abs()
  const quadratic = np.minimum(absErrors, delta)
  // abs - min(abs, delta) rather than max(abs - delta, 0), which would double the gradient at delta.
  const linear = absErrors.sub(quadratic)
  return np.multiply(0.5, quadratic.square()).add(np.multiply(delta, linear))
}

/**
 * `log(cosh(predictions - targets))`, element-wise (optax's `log_cosh`), computed as
 * `logaddexp(e, -e) - log 2` so that it does not overflow.
 *
 * @example
 * optim.losses.logCosh(np.array([0, 100]), np.array([0, 0]))   // Array([0, 99.30685], dtype=float32)
 */
export const logCosh = (predictions: ArrayLike, targets?: ArrayLike): Array => {
  const e = errorsOf("logCosh", predictions, targets, false)
  return logaddexp(e, e.neg()).sub(np.log(np.array(2, { dtype: e.dtype })))
}

export interface CosineOptions {
  /** Norms are at least `sqrt(epsilon)`. Default 0. */
  readonly epsilon?: number
  /** The vector axis (or axes). Default -1. */
  readonly axis?: Axis
  /** Which elements take part. */
  readonly where?: Array
}
const COSINE_KEYS = optionKeys<CosineOptions>()("epsilon", "axis", "where")

/**
 * The cosine similarity of `predictions` and `targets` along `axis` (optax's
 * `cosine_similarity`): the dot product of the two unit vectors, with squared norms clipped
 * below at `epsilon`.
 *
 * @example
 * optim.losses.cosineSimilarity(np.array([[1, 0]]), np.array([[1, 1]]))   // Array([0.70710677], dtype=float32)
 */
export const cosineSimilarity = (predictions: ArrayLike, targets: ArrayLike, options?: CosineOptions): Array => {
  checkOptions("optim.losses.cosineSimilarity", options, COSINE_KEYS)
  const a = floatArg("cosineSimilarity", "predictions", predictions)
  const b = floatArg("cosineSimilarity", "targets", targets)
  const axis = options?.axis === undefined ? -1 : options.axis
  const eps = options?.epsilon ?? 0
  const where = options?.where
  const aNorm = np.sqrt(np.clip(sumWhere(a.square(), axis, where, true), eps))
  const bNorm = np.sqrt(np.clip(sumWhere(b.square(), axis, where, true), eps))
  return sumWhere(a.div(aNorm).mul(b.div(bNorm)), axis, where)
}

/**
 * `1 - cosineSimilarity(predictions, targets)` (optax's `cosine_distance`).
 *
 * @example
 * optim.losses.cosineDistance(np.array([[1, 0]]), np.array([[0, 1]]))   // Array([1], dtype=float32)
 */
export const cosineDistance = (predictions: ArrayLike, targets: ArrayLike, options?: CosineOptions): Array => {
  checkOptions("optim.losses.cosineDistance", options, COSINE_KEYS)
  return np.subtract(1, cosineSimilarity(predictions, targets, options))
}
