/**
 * `optim.losses`: optax's loss functions (`optax.losses`), as array functions that work under
 * `grad`, `jit` and `vmap`. They return per-example losses (reduced over the class or vector
 * axis only), as optax does; take the mean yourself.
 *
 *   import { optim } from "jaxfx/effects"
 *   const loss = (params, x, y) => np.mean(optim.losses.softmaxCrossEntropyWithIntegerLabels(model(params, x), y))
 */
export {
  convexKlDivergence,
  generalizedKlDivergence,
  hingeLoss,
  klDivergence,
  klDivergenceWithLogTargets,
  type KlOptions,
  multiclassHingeLoss,
  multiclassPerceptronLoss,
  perceptronLoss,
  polyLossCrossEntropy,
  safeSoftmaxCrossEntropy,
  sigmoidBinaryCrossEntropy,
  sigmoidFocalLoss,
  softmaxCrossEntropy,
  softmaxCrossEntropyWithIntegerLabels,
  type SoftmaxLossOptions,
  sparsemaxLoss
} from "./classification.js"
export { ctcLoss, ctcLossWithForwardProbs, type CtcOptions } from "./ctc.js"
export { cosineDistance, cosineSimilarity, type CosineOptions, huberLoss, l2Loss, logCosh, squaredError } from "./regression.js"
export { binaryDiceLoss, diceLoss, type DiceLossOptions, multiclassGeneralizedDiceLoss } from "./segmentation.js"
export { ntxent, tripletMarginLoss } from "./self-supervised.js"
export { smoothLabels } from "./smoothing.js"
