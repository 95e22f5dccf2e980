/**
 * Batch normalization with running statistics kept as model state (`transformWithState`): in
 * training it normalizes with the batch's mean and (biased) variance over every axis but the last
 * (the channels) and moves the running averages toward them; in evaluation it normalizes with
 * the running averages. Then it scales and shifts with learned per-channel `scale` and `offset`.
 */
import { Effect } from "effect"
import { type Array, np, ShapeError, ValueError } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"
import { Init, ModelState, module, Param } from "../transform.js"
import { finiteNumber, floatInput, type Layer, type LayerEffect, layerName, makeLayer, type Scoped, trainingFlag, typed } from "./layer.js"

interface BatchNormConfig {
  /** Weight of the old running statistics in each update (Haiku's decay_rate; default 0.9). */
  readonly decay?: number | undefined
  /** Added to the variance (default 1e-5). */
  readonly eps?: number | undefined
}

const checkConfig = (caller: string, o: BatchNormConfig | undefined): { decay: number; eps: number } => {
  const decay = finiteNumber(caller, "decay", o?.decay ?? 0.9)
  if (decay < 0 || decay > 1) throw new ValueError(`${caller}: decay must be in [0, 1], got ${decay}.`)
  const eps = finiteNumber(caller, "eps", o?.eps ?? 1e-5)
  if (eps < 0) throw new ValueError(`${caller}: eps must be >= 0, got ${eps}.`)
  return { decay, eps }
}

const body = (caller: string, x: Array, isTraining: boolean, { decay, eps }: { decay: number; eps: number }) =>
  Effect.gen(function* () {
    floatInput(caller, x)
    if (x.ndim < 2) return yield* new ShapeError(`${caller}: the input must be [batch, ..., channels] (at least 2 axes), got shape [${x.shape.join(", ")}].`)
    const channels = [x.shape[x.ndim - 1]!]
    const axes = globalThis.Array.from({ length: x.ndim - 1 }, (_, i) => i)
    const dtype = x.dtype
    const scale = yield* Param.get("scale", channels, Init.ones, { dtype })
    const offset = yield* Param.get("offset", channels, Init.zeros, { dtype })
    const runningMean = yield* ModelState.get("mean", channels, Init.zeros, { dtype })
    const runningVar = yield* ModelState.get("var", channels, Init.ones, { dtype })
    let mean = runningMean
    let variance = runningVar
    if (isTraining) {
      mean = np.mean(x, { axis: axes })
      variance = np.var(x, { axis: axes })
      yield* ModelState.set("mean", runningMean.mul(decay).add(mean.mul(1 - decay)))
      yield* ModelState.set("var", runningVar.mul(decay).add(variance.mul(1 - decay)))
    }
    const normalized = x.sub(mean).div(np.sqrt(variance.add(eps)))
    return normalized.mul(scale).add(offset)
  })

export interface BatchNormOptions extends BatchNormConfig {
  /** Training (batch statistics, running averages updated) or evaluation (running averages). */
  readonly isTraining: boolean
  /** The module name (default "batch_norm"). */
  readonly name?: string | undefined
}

const fnKeys = optionKeys<BatchNormOptions>()("isTraining", "decay", "eps", "name")

/**
 * Batch normalization of `x` ([batch, ..., channels]) in the module `name` (default
 * "batch_norm"): parameters `scale` and `offset`, state `mean` and `var` (see `BatchNorm` for the
 * layer form, which takes `isTraining` at its call).
 *
 * @example
 * const x = random.normal(random.key(1), [8, 4])
 * const model = transformWithState((x: Array, training: boolean) => batchNorm(x, { isTraining: training }))
 * const [params, state] = model.init(random.key(0), x, true)
 * const [y, newState] = model.apply(params, state, null, x, true)
 */
export const batchNorm = (x: Array, options: BatchNormOptions): LayerEffect => {
  // unknown keys are refused at the call, as everywhere in the Effect layer; the rest fails in the channel
  checkOptions("batchNorm", options, fnKeys)
  return typed(
    Effect.suspend(() => {
      const caller = "batchNorm"
      if (typeof options?.isTraining !== "boolean") throw new ValueError(`${caller}: isTraining must be true or false, got ${String(options?.isTraining)}.`)
      const config = checkConfig(caller, options)
      return module(layerName(caller, options.name) ?? "batch_norm")(body(caller, x, options.isTraining, config))
    })
  )
}

export interface BatchNormLayerOptions<N extends string = never> extends BatchNormConfig {
  /** The default training flag when a call gives none. */
  readonly isTraining?: boolean | undefined
  /** The module name (default "batch_norm", made unique). */
  readonly name?: N | undefined
}

const layerKeys = optionKeys<BatchNormLayerOptions>()("isTraining", "decay", "eps", "name")

/**
 * Batch normalization as a layer (Haiku's hk.BatchNorm with a scale and an offset; Flax's
 * nn.BatchNorm): call it with `{ isTraining }`. Parameters `scale`, `offset`; model state `mean`,
 * `var`, so use `transformWithState`.
 *
 * @example
 * const x = random.normal(random.key(1), [8, 4])
 * const bn = BatchNorm({ decay: 0.99, name: "bn" })
 * const model = transformWithState((x: Array, isTraining: boolean) => bn(x, { isTraining }))
 * const [params, state] = model.init(random.key(0), x, true)
 * const [y, state1] = model.apply(params, state, null, x, true)     // batch statistics; state moves
 * const [yEval] = model.apply(params, state1, null, x, false)       // running statistics
 */
export const BatchNorm = <const N extends string = never>(options?: BatchNormLayerOptions<N>): Layer<Scoped<N, "scale" | "offset">> => {
  const caller = "BatchNorm"
  checkOptions(caller, options, layerKeys)
  const config = checkConfig(caller, options)
  return makeLayer(caller, "batch_norm", layerName(caller, options?.name), (x, call) =>
    Effect.suspend(() => body(caller, x, trainingFlag(caller, call.isTraining, options?.isTraining), config))
  )
}
