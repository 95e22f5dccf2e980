/**
 * Classification losses (optax's `optax.losses`): cross entropies (softmax, integer labels,
 * safe, sigmoid, focal, poly), KL divergences, hinge and perceptron losses. Each returns the loss
 * per example (reduced over the class axis only), as optax does; average it yourself.
 */
import { type Array, customJvp, nn, np, ShapeError } from "../../../index.js"
import { checkOptions, optionKeys, pickOptions } from "../../../core/options.js"
import type { ArrayLike } from "../../../core/numpy/coerce.js"
import { arrayArg, type Axis, axesOf, expandWhere, floatArg, intArg, logSoftmax, logsumexp, sameShape, softmax, sumWhere } from "./common.js"

/** The class axis and mask of the softmax losses. */
export interface SoftmaxLossOptions {
  /** The class axis (or axes). Default -1. */
  readonly axis?: number | ReadonlyArray<number>
  /** Which classes take part (a boolean mask broadcast against the logits); default all. */
  readonly where?: Array
}
const SOFTMAX_LOSS_KEYS = optionKeys<SoftmaxLossOptions>()("axis", "where")

/**
 * The softmax cross entropy of `logits` against the probability distributions `labels`
 * (optax's `softmax_cross_entropy`): `-sum(labels * log_softmax(logits))` over the class axis.
 * A -inf logit with a zero label gives NaN here (`0 * -inf`); use `safeSoftmaxCrossEntropy`
 * for masked logits.
 *
 * @example
 * optim.losses.softmaxCrossEntropy(np.array([[2, 1, 0.1]]), np.array([[1, 0, 0]]))   // Array([0.41703], dtype=float32)
 */
export const softmaxCrossEntropy = (logits: ArrayLike, labels: ArrayLike, options?: SoftmaxLossOptions): Array => {
  checkOptions("optim.losses.softmaxCrossEntropy", options, SOFTMAX_LOSS_KEYS)
  const x = floatArg("softmaxCrossEntropy", "logits", logits)
  const axis = options?.axis ?? -1
  const where = expandWhere(options?.where, x, axis)
  const logProbs = logSoftmax(x, axis, where)
  return sumWhere(arrayArg(labels).mul(logProbs), axis, where).neg()
}

/** `weights * log_softmax(x)` with 0 where the weight is 0, and optax's custom derivative. */
const weightedLogSoftmax = customJvp((x: Array, weights: Array): Array => {
  const ls = logSoftmax(x, -1)
  return np.where(weights.ne(0), weights.mul(ls), np.zerosLike(ls))
})
weightedLogSoftmax.defjvp(([x, weights], [xDot, weightsDot]) => {
  const ls = logSoftmax(x, -1)
  const out = np.where(weights.ne(0), weights.mul(ls), np.zerosLike(ls))
  const tangent = weights
    .mul(xDot)
    .sub(weights.mul(np.sum(xDot.mul(softmax(x, -1)), { axis: -1, keepdims: true })))
    .add(weightsDot.mul(ls))
  return [out, tangent]
})

/**
 * The softmax cross entropy over the last axis that stays finite where logits are -inf and
 * their labels 0 (optax's `safe_softmax_cross_entropy`): those classes contribute 0, and so do
 * their gradients.
 *
 * @example
 * optim.losses.safeSoftmaxCrossEntropy(np.array([[2, -Infinity, 0.1]]), np.array([[1, 0, 0]]))
 */
export const safeSoftmaxCrossEntropy = (logits: ArrayLike, labels: ArrayLike): Array => {
  const x = floatArg("safeSoftmaxCrossEntropy", "logits", logits)
  const w = arrayArg(labels)
  return np.sum(weightedLogSoftmax(x, w.dtype === x.dtype ? w : w.astype(x.dtype)), { axis: -1 }).neg()
}

/**
 * The softmax cross entropy against integer class labels (optax's
 * `softmax_cross_entropy_with_integer_labels`): `logsumexp(logits) - logits[label]` over the
 * class axis. Negative labels count from the end; labels past the end give NaN.
 *
 * @example
 * optim.losses.softmaxCrossEntropyWithIntegerLabels(np.array([[2, 1, 0.1]]), np.array([0]))   // Array([0.41703], dtype=float32)
 */
export const softmaxCrossEntropyWithIntegerLabels = (logits: ArrayLike, labels: ArrayLike, options?: SoftmaxLossOptions): Array => {
  checkOptions("optim.losses.softmaxCrossEntropyWithIntegerLabels", options, SOFTMAX_LOSS_KEYS)
  let x = floatArg("softmaxCrossEntropyWithIntegerLabels", "logits", logits)
  const y = intArg("softmaxCrossEntropyWithIntegerLabels", "labels", labels)
  const rawAxis = options?.axis ?? -1
  let where = expandWhere(options?.where, x, rawAxis)
  let axis: number
  if (typeof rawAxis === "number") axis = axesOf(rawAxis, x.ndim)[0]!
  else {
    // Several class axes: move them last (in order) and flatten them into one.
    const classAxes = axesOf(rawAxis, x.ndim)
    const batchAxes = [...globalThis.Array(x.ndim).keys()].filter((i) => !classAxes.includes(i))
    const flatten = (a: Array): Array => np.transpose(a, [...batchAxes, ...classAxes]).reshape([...batchAxes.map((i) => a.shape[i]!), -1])
    x = flatten(x)
    if (where !== undefined) where = flatten(where)
    axis = batchAxes.length
  }
  const n = x.shape[axis]!
  const expected = x.shape.filter((_, i) => i !== axis)
  if (y.ndim !== expected.length || y.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(
      `optim.losses.softmaxCrossEntropyWithIntegerLabels: labels of shape [${y.shape.join(", ")}] do not match the logits' ` +
        `batch shape [${expected.join(", ")}].`
    )
  }
  const labelsHere = np.expandDims(np.where(y.lt(0), y.add(n), y), axis)
  const classes = np.arange(n, { dtype: y.dtype }).reshape(x.shape.map((d, i) => (i === axis ? d : 1)))
  // Picks logits[label] exactly (adding zeros); a label out of range picks NaN, as JAX's gather fills.
  const picked = np.sum(np.where(classes.eq(labelsHere), x, 0), { axis })
  const inRange = np.logicalAnd(y.ge(-n), y.lt(n))
  const labelLogits = np.where(inRange, picked, NaN)
  const out = logsumexp(x, axis, where === undefined ? undefined : { where }).sub(labelLogits)
  return where === undefined ? out : np.where(np.any(where, { axis }), out, 0)
}

/**
 * The sigmoid (binary) cross entropy of `logits` against targets in [0, 1] (optax's
 * `sigmoid_binary_cross_entropy`), element-wise: `-y log(sigmoid(x)) - (1 - y) log(1 - sigmoid(x))`,
 * computed with log-sigmoids.
 *
 * @example
 * optim.losses.sigmoidBinaryCrossEntropy(np.array([0.5, -2]), np.array([1, 0]))
 */
export const sigmoidBinaryCrossEntropy = (logits: ArrayLike, labels: ArrayLike): Array => {
  const x = floatArg("sigmoidBinaryCrossEntropy", "logits", logits)
  const y = arrayArg(labels).astype(x.dtype)
  return y
    .neg()
    .mul(nn.logSigmoid(x))
    .sub(np.subtract(1, y).mul(nn.logSigmoid(x.neg())))
}

const FOCAL_KEYS = optionKeys<NonNullable<Parameters<typeof sigmoidFocalLoss>[2]>>()("alpha", "gamma")

/**
 * The sigmoid focal loss (optax's `sigmoid_focal_loss`, Lin et al. 2017): the sigmoid cross
 * entropy weighted by `(1 - p_t)^gamma`, and by `alpha` (positives) / `1 - alpha` (negatives)
 * when `alpha` is given.
 *
 * @example
 * optim.losses.sigmoidFocalLoss(np.array([0.5, -2]), np.array([1, 0]), { alpha: 0.25 })
 */
export const sigmoidFocalLoss = (logits: ArrayLike, labels: ArrayLike, options?: { readonly alpha?: number; readonly gamma?: number }): Array => {
  checkOptions("optim.losses.sigmoidFocalLoss", options, FOCAL_KEYS)
  const x = floatArg("sigmoidFocalLoss", "logits", logits)
  const y = arrayArg(labels).astype(x.dtype)
  const gamma = options?.gamma ?? 2
  const ce = sigmoidBinaryCrossEntropy(x, y)
  const stacked = np.stack([nn.logSigmoid(x), nn.logSigmoid(x.neg())], -1)
  const logOneMinusPt = logsumexp(stacked, -1, { b: np.stack([np.subtract(1, y), y], -1) })
  const loss = ce.mul(np.exp(np.multiply(gamma, logOneMinusPt)))
  const alpha = options?.alpha
  if (alpha === undefined) return loss
  return np
    .multiply(alpha, y)
    .add(np.multiply(1 - alpha, np.subtract(1, y)))
    .mul(loss)
}

const POLY_LOSS_KEYS = [
  ...SOFTMAX_LOSS_KEYS,
  ...optionKeys<Omit<NonNullable<Parameters<typeof polyLossCrossEntropy>[2]>, keyof SoftmaxLossOptions>>()("epsilon")
]

/**
 * The PolyLoss (optax's `poly_loss_cross_entropy`, Leng et al. 2022): the softmax cross entropy
 * plus `epsilon * sum(labels * (1 - softmax(logits)))`.
 *
 * @example
 * optim.losses.polyLossCrossEntropy(np.array([[2, 1, 0.1]]), np.array([[1, 0, 0]]), { epsilon: 1 })
 */
export const polyLossCrossEntropy = (logits: ArrayLike, labels: ArrayLike, options?: SoftmaxLossOptions & { readonly epsilon?: number }): Array => {
  checkOptions("optim.losses.polyLossCrossEntropy", options, POLY_LOSS_KEYS)
  const x = floatArg("polyLossCrossEntropy", "logits", logits)
  const y = floatArg("polyLossCrossEntropy", "labels", labels)
  const axis = options?.axis ?? -1
  // optax broadcasts `where` here without adding the class axis (unlike in the cross entropy).
  const where = options?.where
  const p = softmax(x, axis, where)
  const oneMinusPt = sumWhere(y.mul(np.subtract(1, p)), axis, where)
  const ce = softmaxCrossEntropy(x, y, pickOptions(options, SOFTMAX_LOSS_KEYS))
  return ce.add(np.multiply(options?.epsilon ?? 2, oneMinusPt))
}

/** The reduction axis and mask of the KL divergences. */
export interface KlOptions {
  /** Default -1; null sums over every axis. */
  readonly axis?: Axis
  readonly where?: Array
}
const KL_KEYS = optionKeys<KlOptions>()("axis", "where")

/**
 * The Kullback-Leibler divergence `sum(t * (log t - log_predictions))` of the targets `t` from
 * the predicted log-probabilities (optax's `kl_divergence`); `0 log 0` counts as 0.
 *
 * @example
 * optim.losses.klDivergence(nn.logSoftmax(np.array([1, 2, 3])), np.array([0.2, 0.3, 0.5]))
 */
export const klDivergence = (logPredictions: ArrayLike, targets: ArrayLike, options?: KlOptions): Array => {
  checkOptions("optim.losses.klDivergence", options, KL_KEYS)
  const lp = floatArg("klDivergence", "logPredictions", logPredictions)
  const t = floatArg("klDivergence", "targets", targets)
  const loss = t.mul(np.where(t.eq(0), 0, np.log(t)).sub(lp))
  return sumWhere(loss, options?.axis === undefined ? -1 : options.axis, options?.where)
}

/**
 * The Kullback-Leibler divergence with the targets given as log-probabilities (optax's
 * `kl_divergence_with_log_targets`): `sum(exp(lt) * (lt - log_predictions))`.
 *
 * @example
 * optim.losses.klDivergenceWithLogTargets(nn.logSoftmax(np.array([1, 2, 3])), nn.logSoftmax(np.array([3, 2, 1])))
 */
export const klDivergenceWithLogTargets = (logPredictions: ArrayLike, logTargets: ArrayLike, options?: KlOptions): Array => {
  checkOptions("optim.losses.klDivergenceWithLogTargets", options, KL_KEYS)
  const lp = floatArg("klDivergenceWithLogTargets", "logPredictions", logPredictions)
  const lt = floatArg("klDivergenceWithLogTargets", "logTargets", logTargets)
  return sumWhere(np.exp(lt).mul(lt.sub(lp)), options?.axis === undefined ? -1 : options.axis, options?.where)
}

/**
 * The generalized KL divergence for unnormalized measures (optax's `generalized_kl_divergence`):
 * `klDivergence + sum(exp(log_predictions) - targets)`.
 *
 * @example
 * optim.losses.generalizedKlDivergence(np.log(np.array([0.5, 1])), np.array([1, 1]))
 */
export const generalizedKlDivergence = (logPredictions: ArrayLike, targets: ArrayLike, options?: KlOptions): Array => {
  checkOptions("optim.losses.generalizedKlDivergence", options, KL_KEYS)
  const lp = floatArg("generalizedKlDivergence", "logPredictions", logPredictions)
  const t = floatArg("generalizedKlDivergence", "targets", targets)
  const axis = options?.axis === undefined ? -1 : options.axis
  return klDivergence(lp, t, options).add(sumWhere(np.exp(lp).sub(t), axis, options?.where))
}

/**
 * Alias of `generalizedKlDivergence` (optax's deprecated `convex_kl_divergence`).
 *
 * @example
 * optim.losses.convexKlDivergence(np.log(np.array([0.5, 1])), np.array([1, 1]))
 */
export const convexKlDivergence = generalizedKlDivergence

/**
 * The hinge loss `max(0, 1 - outputs * targets)` for targets in {-1, 1}, element-wise (optax's
 * `hinge_loss`).
 *
 * @example
 * optim.losses.hingeLoss(np.array([0.5, -2]), np.array([1, -1]))   // Array([0.5, 0], dtype=float32)
 */
export const hingeLoss = (predictorOutputs: ArrayLike, targets: ArrayLike): Array =>
  np.maximum(0, np.subtract(1, np.multiply(arrayArg(predictorOutputs), arrayArg(targets))))

/**
 * The perceptron loss `max(0, -outputs * targets)`, element-wise (optax's `perceptron_loss`).
 *
 * @example
 * optim.losses.perceptronLoss(np.array([0.5, -2]), np.array([1, 1]))   // Array([0, 2], dtype=float32)
 */
export const perceptronLoss = (predictorOutputs: ArrayLike, targets: ArrayLike): Array => {
  const o = arrayArg(predictorOutputs)
  const t = arrayArg(targets)
  sameShape("perceptronLoss", o, t)
  return np.maximum(0, o.neg().mul(t))
}

/** `sum(scores * one_hot(labels))` over the last axis. */
const labelScore = (scores: Array, oneHot: Array): Array => np.sum(scores.mul(oneHot), { axis: -1 })

/**
 * The multiclass hinge loss (optax's `multiclass_hinge_loss`):
 * `max(scores + 1 - one_hot(label)) - scores[label]` over the last axis.
 *
 * @example
 * optim.losses.multiclassHingeLoss(np.array([[2, 1, 0.1]]), np.array([1]))   // Array([2], dtype=float32)
 */
export const multiclassHingeLoss = (scores: ArrayLike, labels: ArrayLike): Array => {
  const s = arrayArg(scores)
  const oneHot = nn.oneHot(arrayArg(labels), s.shape[s.ndim - 1]!)
  return np.max(s.add(1).sub(oneHot), { axis: -1 }).sub(labelScore(s, oneHot))
}

/**
 * The multiclass perceptron loss (optax's `multiclass_perceptron_loss`):
 * `max(scores) - scores[label]` over the last axis.
 *
 * @example
 * optim.losses.multiclassPerceptronLoss(np.array([[2, 1, 0.1]]), np.array([1]))   // Array([1], dtype=float32)
 */
export const multiclassPerceptronLoss = (scores: ArrayLike, labels: ArrayLike): Array => {
  const s = arrayArg(scores)
  const oneHot = nn.oneHot(arrayArg(labels), s.shape[s.ndim - 1]!)
  return np.max(s, { axis: -1 }).sub(labelScore(s, oneHot))
}

/**
 * The binary sparsemax loss (optax's `sparsemax_loss`, Martins and Astudillo 2016):
 * `sparse_plus(labels ? -logits : logits)`, element-wise, with `sparse_plus(x)` 0 below -1, `x`
 * above 1 and `(x + 1)^2 / 4` between.
 *
 * @example
 * optim.losses.sparsemaxLoss(np.array([0.5, -2]), np.array([1, 0]))   // Array([0.0625, 0], dtype=float32)
 */
export const sparsemaxLoss = (logits: ArrayLike, labels: ArrayLike): Array => {
  const x = arrayArg(logits)
  const z = np.where(arrayArg(labels), x.neg(), x)
  return np.where(z.le(-1), 0, np.where(z.ge(1), z, z.add(1).square().div(4)))
}
