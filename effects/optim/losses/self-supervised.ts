/** Self-supervised and metric-learning losses (optax's `ntxent`, `triplet_margin_loss`). */
import { type Array, np, ShapeError, stopGradient } from "../../../index.js"
import { checkOptions, optionKeys } from "../../../core/options.js"
import type { ArrayLike } from "../../../core/numpy/coerce.js"
import { arrayArg, floatArg } from "./common.js"
import { cosineSimilarity } from "./regression.js"

/**
 * The normalized temperature-scaled cross entropy (optax's `ntxent`, SimCLR, Chen et al. 2020)
 * over a batch of embeddings `[n, d]`: each pair with equal `labels` is a positive pair, every
 * other pair a negative one; the result is the mean over positive pairs, a scalar.
 *
 * @example
 * const embeddings = random.normal(random.key(0), [4, 8])
 * const loss = optim.losses.ntxent(embeddings, np.array([0, 0, 1, 1]))
 */
export const ntxent = (embeddings: ArrayLike, labels: ArrayLike, temperature = 0.07): Array => {
  const e = floatArg("ntxent", "embeddings", embeddings)
  const y = arrayArg(labels)
  if (y.shape[0] !== e.shape[0]) {
    throw new ShapeError(
      `optim.losses.ntxent: labels and embeddings must have the same leading dimension, found ${y.shape[0]} for labels and ${e.shape[0]} for embeddings.`
    )
  }
  const eps = e.dtype === "float64" ? 2.220446049250313e-16 : 1.1920928955078125e-7
  const xcs = cosineSimilarity(np.expandDims(e, 0), np.expandDims(e, 1), { epsilon: eps }).div(temperature)
  const same = np.expandDims(y, 1).eq(np.expandDims(y, 0))
  const diffs = np.logicalNot(same)
  const matches = np.logicalAnd(same, np.logicalNot(np.eye(e.shape[0]!, null, { dtype: "bool" })))
  const xcsDiffs = np.where(diffs, xcs, -Infinity)
  const xcsMatches = np.where(matches, xcs, -Infinity)
  const xcsMax = stopGradient(np.max(np.concatenate([xcsDiffs, xcsMatches], -1), { axis: 1, keepdims: true }))
  const shiftedDiffs = xcsDiffs.sub(xcsMax)
  const shiftedMatches = xcsMatches.sub(xcsMax)
  const denom = np.sum(np.exp(shiftedDiffs), { axis: 1, keepdims: true }).add(np.exp(shiftedMatches))
  const logSoftmax = shiftedMatches.sub(np.log(denom))
  return np
    .sum(np.where(matches, logSoftmax, 0))
    .neg()
    .div(np.sum(matches))
}

const TRIPLET_KEYS = optionKeys<NonNullable<Parameters<typeof tripletMarginLoss>[3]>>()("axis", "normDegree", "margin", "eps")

/**
 * The triplet margin loss (optax's `triplet_margin_loss`): `max(d(a, p) - d(a, n) + margin, 0)`
 * with `d(x, y) = (sum(|x - y|^p) + eps)^(1/p)` along `axis`.
 *
 * @example
 * const [anchors, positives, negatives] = [0, 1, 2].map((i) => random.normal(random.key(i), [4, 8]))
 * optim.losses.tripletMarginLoss(anchors!, positives!, negatives!, { margin: 1 })
 */
export const tripletMarginLoss = (
  anchors: ArrayLike,
  positives: ArrayLike,
  negatives: ArrayLike,
  options?: { readonly axis?: number; readonly normDegree?: number; readonly margin?: number; readonly eps?: number }
): Array => {
  checkOptions("optim.losses.tripletMarginLoss", options, TRIPLET_KEYS)
  const a = floatArg("tripletMarginLoss", "anchors", anchors)
  const p = floatArg("tripletMarginLoss", "positives", positives)
  const n = floatArg("tripletMarginLoss", "negatives", negatives)
  const axis = options?.axis ?? -1
  const degree = options?.normDegree ?? 2
  const eps = options?.eps ?? 1e-6
  const distance = (x: Array): Array => np.power(np.sum(np.power(a.sub(x), degree), { axis }).add(eps), 1 / degree)
  return np.maximum(
    distance(p)
      .sub(distance(n))
      .add(options?.margin ?? 1),
    0
  )
}
