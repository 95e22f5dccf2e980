/** Label smoothing (optax's `smooth_labels`). */
import { type Array, np } from "../../../index.js"
import { checkOptions, optionKeys } from "../../../core/options.js"
import type { ArrayLike } from "../../../core/numpy/coerce.js"
import { type Axis, axesOf, floatArg } from "./common.js"

const SMOOTH_LABELS_KEYS = optionKeys<NonNullable<Parameters<typeof smoothLabels>[2]>>()("axis", "where")

/**
 * Mix one-hot (or soft) labels with the uniform distribution (optax's `smooth_labels`, Szegedy
 * et al. 2016): `(1 - alpha) * labels + alpha / numCategories`, where the categories are the
 * entries along `axis` (or, with `where`, the selected ones).
 *
 * @example
 * optim.losses.smoothLabels(np.array([[0, 1, 0, 0]]), 0.1)   // Array([[0.025, 0.925, 0.025, 0.025]], dtype=float32)
 */
export const smoothLabels = (labels: ArrayLike, alpha: number, options?: { readonly axis?: Axis; readonly where?: Array }): Array => {
  checkOptions("optim.losses.smoothLabels", options, SMOOTH_LABELS_KEYS)
  const y = floatArg("smoothLabels", "labels", labels)
  const axis = options?.axis === undefined ? -1 : options.axis
  const where = options?.where
  const numCategories: number | Array =
    where === undefined ? axesOf(axis, y.ndim).reduce((n, i) => n * y.shape[i]!, 1) : np.sum(where, { axis, keepdims: true })
  return np.multiply(1 - alpha, y).add(np.divide(alpha, numCategories))
}
