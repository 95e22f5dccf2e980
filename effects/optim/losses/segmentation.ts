/**
 * Segmentation losses (optax's `dice_loss`, `multiclass_generalized_dice_loss`,
 * `binary_dice_loss`): one minus the (Tversky-generalized) Dice coefficient per class, over the
 * spatial axes, with classes on the last axis.
 */
import { type Array, nn, np, ShapeError, ValueError } from "../../../index.js"
import { checkOneOf, checkOptions, optionKeys } from "../../../core/options.js"
import type { ArrayLike } from "../../../core/numpy/coerce.js"
import { type Axis, floatArg, sameShape, softmax } from "./common.js"

export interface DiceLossOptions {
  /** A weight per class (rank 1). */
  readonly classWeights?: Array
  /** Added to the numerator and the denominator. Default 1. */
  readonly smooth?: number
  /** The weight of false positives (Tversky's alpha). Default 0.5. */
  readonly alpha?: number
  /** The weight of false negatives (Tversky's beta). Default 0.5. */
  readonly beta?: number
  /**
   * Turn the predictions (logits) into probabilities first: a softmax over the classes, or a
   * sigmoid for a single class. Default true; with false they must already be probabilities.
   */
  readonly applySoftmax?: boolean
  /** How the per-class losses are combined: "mean" (the default), "sum" or "none". */
  readonly reduction?: "mean" | "sum" | "none"
  /** Leave class 0 out (when there is more than one class). Default false. */
  readonly ignoreBackground?: boolean
  /** The axes summed over; default every axis between the first (batch) and the last (classes). */
  readonly axis?: Axis
}
const DICE_KEYS = optionKeys<DiceLossOptions>()("classWeights", "smooth", "alpha", "beta", "applySoftmax", "reduction", "ignoreBackground", "axis")

/**
 * The Dice loss `1 - (|P∩T| + s) / (|P∩T| + alpha |P\T| + beta |T\P| + s)` per class (optax's
 * `dice_loss`), for predictions and one-hot (or soft) targets `[batch, ..., classes]`; reduced over
 * the classes by `reduction`.
 *
 * @example
 * const logits = random.normal(random.key(0), [2, 8, 8, 3])
 * const oneHotMasks = nn.oneHot(random.randint(random.key(1), [2, 8, 8], 0, 3), 3)
 * const loss = optim.losses.diceLoss(logits, oneHotMasks)   // [batch]
 */
export const diceLoss = (predictions: ArrayLike, targets: ArrayLike, options?: DiceLossOptions): Array => {
  checkOptions("optim.losses.diceLoss", options, DICE_KEYS)
  checkOneOf("optim.losses.diceLoss", "reduction", options?.reduction, ["mean", "sum", "none"])
  let p = floatArg("diceLoss", "predictions", predictions)
  let t = floatArg("diceLoss", "targets", targets)
  if (p.ndim === t.ndim - 1) p = np.expandDims(p, -1)
  if (t.ndim === p.ndim - 1) t = np.expandDims(t, -1)
  sameShape("diceLoss", p, t)
  const classes = p.shape[p.ndim - 1]!
  const probs = options?.applySoftmax === false ? p : classes === 1 ? nn.sigmoid(p) : softmax(p, -1)
  const axis = options?.axis ?? [...globalThis.Array(Math.max(0, probs.ndim - 2)).keys()].map((i) => i + 1)
  const smooth = options?.smooth ?? 1
  const intersection = np.sum(probs.mul(t), { axis })
  const predSum = np.sum(probs, { axis })
  const targetSum = np.sum(t, { axis })
  const numerator = intersection.add(smooth)
  const denominator = intersection
    .add(np.multiply(options?.alpha ?? 0.5, predSum.sub(intersection)))
    .add(np.multiply(options?.beta ?? 0.5, targetSum.sub(intersection)))
    .add(smooth)
  let dice = np.subtract(1, numerator.div(denominator))
  const weights = options?.classWeights
  if (weights !== undefined) {
    if (weights.ndim !== 1) throw new ShapeError(`optim.losses.diceLoss: classWeights must have rank 1, got rank ${weights.ndim}.`)
    dice = dice.mul(weights)
  }
  if (options?.ignoreBackground === true && classes > 1) dice = dice.index("...", np.s(1, null))
  const reduction = options?.reduction ?? "mean"
  if (reduction === "mean") return np.mean(dice, { axis: -1 })
  return reduction === "sum" ? np.sum(dice, { axis: -1 }) : dice
}

const GENERALIZED_DICE_KEYS = optionKeys<NonNullable<Parameters<typeof multiclassGeneralizedDiceLoss>[2]>>()("smooth", "applySoftmax", "ignoreBackground")

/**
 * The generalized Dice loss for class imbalance (optax's `multiclass_generalized_dice_loss`,
 * Sudre et al. 2017): `diceLoss` with class weights `1 / (frequency^2 + 1e-7)`, normalized to sum
 * to the number of classes, averaged over batch and classes.
 *
 * @example
 * const logits = random.normal(random.key(0), [2, 8, 8, 3])
 * const oneHotMasks = nn.oneHot(random.randint(random.key(1), [2, 8, 8], 0, 3), 3)
 * const loss = optim.losses.multiclassGeneralizedDiceLoss(logits, oneHotMasks)   // a scalar
 */
export const multiclassGeneralizedDiceLoss = (
  predictions: ArrayLike,
  targets: ArrayLike,
  options?: { readonly smooth?: number; readonly applySoftmax?: boolean; readonly ignoreBackground?: boolean }
): Array => {
  checkOptions("optim.losses.multiclassGeneralizedDiceLoss", options, GENERALIZED_DICE_KEYS)
  const p = floatArg("multiclassGeneralizedDiceLoss", "predictions", predictions)
  const t = floatArg("multiclassGeneralizedDiceLoss", "targets", targets)
  sameShape("multiclassGeneralizedDiceLoss", p, t)
  const frequencies = np.sum(t, { axis: [...globalThis.Array(t.ndim - 1).keys()] })
  const raw = np.divide(1, frequencies.square().add(1e-7))
  const classWeights = raw.div(np.sum(raw)).mul(raw.shape[0]!)
  return np.mean(diceLoss(p, t, { ...options, classWeights, reduction: "none" }))
}

const BINARY_DICE_KEYS = optionKeys<NonNullable<Parameters<typeof binaryDiceLoss>[2]>>()("smooth", "applySigmoid")

/**
 * The Dice loss of a binary segmentation (optax's `binary_dice_loss`): predictions and targets
 * without a class axis (or with one of size 1), a sigmoid on the predictions unless
 * `applySigmoid` is false; the mean over the batch's single class.
 *
 * @example
 * const logits = random.normal(random.key(0), [2, 8, 8])
 * const masks = random.bernoulli(random.key(1), 0.5, [2, 8, 8]).astype("float32")
 * const loss = optim.losses.binaryDiceLoss(logits, masks)   // [batch]
 */
export const binaryDiceLoss = (predictions: ArrayLike, targets: ArrayLike, options?: { readonly smooth?: number; readonly applySigmoid?: boolean }): Array => {
  checkOptions("optim.losses.binaryDiceLoss", options, BINARY_DICE_KEYS)
  let p = floatArg("binaryDiceLoss", "predictions", predictions)
  let t = floatArg("binaryDiceLoss", "targets", targets)
  if (p.ndim === t.ndim && p.shape[p.ndim - 1] !== 1) {
    p = np.expandDims(p, -1)
    t = np.expandDims(t, -1)
  }
  return diceLoss(p, t, {
    ...(options?.smooth === undefined ? {} : { smooth: options.smooth }),
    applySoftmax: options?.applySigmoid ?? true,
    reduction: "mean"
  })
}
