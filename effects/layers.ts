/**
 * Layers written with `Param.get` / `ModelState` (Haiku style). BatchNorm keeps running
 * statistics as model state: updated in training mode, read in evaluation mode.
 */
import { Effect } from "effect"
import { type Array, np } from "../index.js"
import { checkOptions, optionKeys } from "../core/options.js"
import { Init, ModelState, module, Param } from "./transform.js"

export interface BatchNormOptions {
  readonly isTraining: boolean
  /** Weight of the old running statistics in the update (Haiku's decay_rate). */
  readonly decay?: number
  readonly eps?: number
  readonly name?: string
}
const BATCH_NORM_KEYS = optionKeys<BatchNormOptions>()("isTraining", "decay", "eps", "name")

/**
 * Batch normalization over axis 0 of `x` ([batch, features]): normalizes with the batch's
 * statistics in training (and moves the running averages toward them), with the running
 * averages in evaluation; then scales and shifts with learned parameters.
 *
 * @example
 * const model = transformWithState((x: Array, training: boolean) => batchNorm(x, { isTraining: training }))
 */
export const batchNorm = (x: Array, opts: BatchNormOptions) =>
  module(checkOptions("batchNorm", opts, BATCH_NORM_KEYS).name ?? "batch_norm")(Effect.gen(function*() {
    const features = [x.shape[x.ndim - 1]!]
    const decay = opts.decay ?? 0.9
    const eps = opts.eps ?? 1e-5
    const scale = yield* Param.get("scale", features, Init.ones)
    const offset = yield* Param.get("offset", features, Init.zeros)
    const runningMean = yield* ModelState.get("mean", features, Init.zeros)
    const runningVar = yield* ModelState.get("var", features, Init.ones)
    let mean = runningMean
    let variance = runningVar
    if (opts.isTraining) {
      mean = np.mean(x, { axis: 0 })
      variance = np.var(x, { axis: 0 })
      yield* ModelState.set("mean", runningMean.mul(decay).add(mean.mul(1 - decay)))
      yield* ModelState.set("var", runningVar.mul(decay).add(variance.mul(1 - decay)))
    }
    const normalized = x.sub(mean).div(np.sqrt(variance.add(eps)))
    return normalized.mul(scale).add(offset)
  }))
