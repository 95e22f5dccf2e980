/**
 * The Adam-family optimizers as chains of their rescalings, exactly as optax composes them
 * (`optax/_src/alias.py`): nadam, nadamw, adamax, adamaxw, radam, amsgrad, adabelief, yogi, adan,
 * lamb, novograd, lion, optimisticAdamV2. Same order, equations and defaults.
 */
import { checkOptions, optionKeys, pickOptions } from "../../core/options.js"
import { chain, type GradientTransformation } from "./base.js"
import {
  type AdanState,
  type AmsgradState,
  type LionState,
  type NovogradState,
  SCALE_BY_ADAMAX_KEYS,
  SCALE_BY_ADAN_KEYS,
  SCALE_BY_AMSGRAD_KEYS,
  SCALE_BY_BELIEF_KEYS,
  SCALE_BY_RADAM_KEYS,
  scaleByAdamax,
  type ScaleByAdamaxOptions,
  scaleByAdan,
  type ScaleByAdanOptions,
  scaleByAmsgrad,
  type ScaleByAmsgradOptions,
  scaleByBelief,
  type ScaleByBeliefOptions,
  scaleByLion,
  scaleByNovograd,
  scaleByRadam,
  type ScaleByRadamOptions,
  scaleByYogi
} from "./adam-family.js"
import { adam, type AdamChainState, type AdamOptions, ADAMW_KEYS, adamw, type AdamwOptions, type AdamwState } from "./alias.js"
import type { ScalarOrSchedule } from "./schedules.js"
import { type OptimisticGradientState, scaleByOptimisticGradient, scaleByTrustRatio } from "./scalings.js"
import {
  addDecayedWeights,
  type AddDecayedWeightsState,
  type AdamState,
  type LearningRateState,
  type Mask,
  SCALE_BY_ADAM_KEYS,
  scaleByAdam,
  scaleByLearningRate
} from "./transforms.js"
import type { EmptyState } from "./base.js"

/** Weight decay options shared by the optimizers with decoupled weight decay. */
export interface WeightDecayOptions {
  /** Decoupled weight decay, a number or a schedule. */
  readonly weightDecay?: ScalarOrSchedule
  /** Which parameters are decayed; a boolean pytree or a predicate. */
  readonly mask?: Mask
}
const WEIGHT_DECAY_KEYS = optionKeys<WeightDecayOptions>()("weightDecay", "mask")
/** Keys less `nesterov` (nadam and nadamw set it). */
const withoutNesterov = (keys: ReadonlyArray<string>): ReadonlyArray<string> => keys.filter((k) => k !== "nesterov")

/**
 * NAdam (optax's `nadam`): `adam` with Nesterov momentum.
 *
 * @example
 * const opt = optim.nadam(1e-3)
 */
export const nadam = (learningRate: ScalarOrSchedule, options?: Omit<AdamOptions, "nesterov">): GradientTransformation<AdamChainState> => {
  checkOptions("optim.nadam", options, withoutNesterov(SCALE_BY_ADAM_KEYS))
  return adam(learningRate, { ...options, nesterov: true })
}

/**
 * NAdamW (optax's `nadamw`): `adamw` with Nesterov momentum. Its `update` needs the params.
 *
 * @example
 * const opt = optim.nadamw(1e-3, { weightDecay: 1e-2 })
 */
export const nadamw = (learningRate: ScalarOrSchedule, options?: Omit<AdamwOptions, "nesterov">): GradientTransformation<AdamwState> => {
  checkOptions("optim.nadamw", options, withoutNesterov(ADAMW_KEYS))
  return adamw(learningRate, { ...options, nesterov: true })
}

/**
 * AdaMax (optax's `adamax`): `chain(scaleByAdamax({ b1, b2, eps }), scaleByLearningRate(lr))`.
 *
 * @example
 * const opt = optim.adamax(2e-3)
 */
export const adamax = (learningRate: ScalarOrSchedule, options?: ScaleByAdamaxOptions): GradientTransformation<[AdamState, LearningRateState]> => {
  checkOptions("optim.adamax", options, SCALE_BY_ADAMAX_KEYS)
  return chain(scaleByAdamax(options), scaleByLearningRate(learningRate))
}

/**
 * AdaMax with decoupled weight decay (optax's `adamaxw`, default decay 1e-4). Needs the params.
 *
 * @example
 * const opt = optim.adamaxw(2e-3, { weightDecay: 1e-2 })
 */
export const adamaxw = (
  learningRate: ScalarOrSchedule,
  options?: ScaleByAdamaxOptions & WeightDecayOptions
): GradientTransformation<[AdamState, AddDecayedWeightsState, LearningRateState]> => {
  checkOptions("optim.adamaxw", options, [...SCALE_BY_ADAMAX_KEYS, ...WEIGHT_DECAY_KEYS])
  return chain(
    scaleByAdamax(pickOptions(options, SCALE_BY_ADAMAX_KEYS)),
    addDecayedWeights(options?.weightDecay ?? 1e-4, options?.mask),
    scaleByLearningRate(learningRate)
  )
}

/**
 * Rectified Adam (optax's `radam`): `chain(scaleByRadam(...), scaleByLearningRate(lr))`.
 *
 * @example
 * const opt = optim.radam(1e-3)
 */
export const radam = (learningRate: ScalarOrSchedule, options?: ScaleByRadamOptions): GradientTransformation<[AdamState, LearningRateState]> => {
  checkOptions("optim.radam", options, SCALE_BY_RADAM_KEYS)
  return chain(scaleByRadam(options), scaleByLearningRate(learningRate))
}

/**
 * AMSGrad (optax's `amsgrad`): `chain(scaleByAmsgrad(...), scaleByLearningRate(lr))`.
 *
 * @example
 * const opt = optim.amsgrad(1e-3)
 */
export const amsgrad = (learningRate: ScalarOrSchedule, options?: ScaleByAmsgradOptions): GradientTransformation<[AmsgradState, LearningRateState]> => {
  checkOptions("optim.amsgrad", options, SCALE_BY_AMSGRAD_KEYS)
  return chain(scaleByAmsgrad(options), scaleByLearningRate(learningRate))
}

/**
 * AdaBelief (optax's `adabelief`): `chain(scaleByBelief(...), scaleByLearningRate(lr))`,
 * defaults eps = epsRoot = 1e-16.
 *
 * @example
 * const opt = optim.adabelief(1e-3)
 */
export const adabelief = (learningRate: ScalarOrSchedule, options?: ScaleByBeliefOptions): GradientTransformation<[AdamState, LearningRateState]> => {
  checkOptions("optim.adabelief", options, SCALE_BY_BELIEF_KEYS)
  return chain(scaleByBelief(options), scaleByLearningRate(learningRate))
}

const YOGI_KEYS = optionKeys<NonNullable<Parameters<typeof yogi>[1]>>()("b1", "b2", "eps")

/**
 * Yogi (optax's `yogi`): `chain(scaleByYogi({ b1, b2, eps }), scaleByLearningRate(lr))`, eps 1e-3.
 *
 * @example
 * const opt = optim.yogi(1e-2)
 */
export const yogi = (
  learningRate: ScalarOrSchedule,
  options?: { readonly b1?: number; readonly b2?: number; readonly eps?: number }
): GradientTransformation<[AdamState, LearningRateState]> => {
  checkOptions("optim.yogi", options, YOGI_KEYS)
  return chain(scaleByYogi(options), scaleByLearningRate(learningRate))
}

/**
 * Adan (optax's `adan`): `chain(scaleByAdan(...), addDecayedWeights(weightDecay, mask),
 * scaleByLearningRate(lr))`, defaults b1 0.98, b2 0.92, b3 0.99, eps = epsRoot = 1e-8, no decay.
 *
 * @example
 * const opt = optim.adan(1e-3, { weightDecay: 0.02 })
 */
export const adan = (
  learningRate: ScalarOrSchedule,
  options?: ScaleByAdanOptions & WeightDecayOptions
): GradientTransformation<[AdanState, AddDecayedWeightsState, LearningRateState]> => {
  checkOptions("optim.adan", options, [...SCALE_BY_ADAN_KEYS, ...WEIGHT_DECAY_KEYS])
  return chain(
    scaleByAdan({ ...pickOptions(options, SCALE_BY_ADAN_KEYS), epsRoot: options?.epsRoot ?? 1e-8 }),
    addDecayedWeights(options?.weightDecay ?? 0, options?.mask),
    scaleByLearningRate(learningRate)
  )
}

export interface LambOptions extends WeightDecayOptions {
  /** Default 0.9. */
  readonly b1?: number
  /** Default 0.999. */
  readonly b2?: number
  /** Default 1e-6. */
  readonly eps?: number
  /** Default 0. */
  readonly epsRoot?: number
}
const LAMB_KEYS = [...WEIGHT_DECAY_KEYS, ...optionKeys<Omit<LambOptions, keyof WeightDecayOptions>>()("b1", "b2", "eps", "epsRoot")]

/**
 * LAMB (optax's `lamb`, You et al. 2019): Adam's step plus weight decay, rescaled per leaf by the
 * trust ratio `||param|| / ||update||`. Needs the params.
 *
 * @example
 * const opt = optim.lamb(1e-3, { weightDecay: 0.01 })
 */
export const lamb = (
  learningRate: ScalarOrSchedule,
  options?: LambOptions
): GradientTransformation<[AdamState, AddDecayedWeightsState, EmptyState, LearningRateState]> => {
  checkOptions("optim.lamb", options, LAMB_KEYS)
  return chain(
    scaleByAdam({ b1: options?.b1 ?? 0.9, b2: options?.b2 ?? 0.999, eps: options?.eps ?? 1e-6, epsRoot: options?.epsRoot ?? 0 }),
    addDecayedWeights(options?.weightDecay ?? 0, options?.mask),
    scaleByTrustRatio(),
    scaleByLearningRate(learningRate)
  )
}

const NOVOGRAD_KEYS = optionKeys<NonNullable<Parameters<typeof novograd>[1]>>()("b1", "b2", "eps", "epsRoot", "weightDecay")

/**
 * NovoGrad (optax's `novograd`): `chain(scaleByNovograd({ b1: 0.9, b2: 0.25, eps: 1e-6, ... }),
 * scaleByLearningRate(lr))`. Needs the params.
 *
 * @example
 * const opt = optim.novograd(1e-2)
 */
export const novograd = (
  learningRate: ScalarOrSchedule,
  options?: { readonly b1?: number; readonly b2?: number; readonly eps?: number; readonly epsRoot?: number; readonly weightDecay?: number }
): GradientTransformation<[NovogradState, LearningRateState]> => {
  checkOptions("optim.novograd", options, NOVOGRAD_KEYS)
  return chain(scaleByNovograd({ ...options, eps: options?.eps ?? 1e-6 }), scaleByLearningRate(learningRate))
}

const LION_KEYS = optionKeys<NonNullable<Parameters<typeof lion>[1]>>()("b1", "b2", "weightDecay", "mask")

/**
 * Lion (optax's `lion`): `chain(scaleByLion({ b1, b2 }), addDecayedWeights(weightDecay = 1e-3,
 * mask), scaleByLearningRate(lr))`. Needs the params (for the weight decay).
 *
 * @example
 * const opt = optim.lion(1e-4)
 */
export const lion = (
  learningRate: ScalarOrSchedule,
  options?: { readonly b1?: number; readonly b2?: number } & WeightDecayOptions
): GradientTransformation<[LionState, AddDecayedWeightsState, LearningRateState]> => {
  checkOptions("optim.lion", options, LION_KEYS)
  return chain(
    scaleByLion({ ...(options?.b1 === undefined ? {} : { b1: options.b1 }), ...(options?.b2 === undefined ? {} : { b2: options.b2 }) }),
    addDecayedWeights(options?.weightDecay ?? 1e-3, options?.mask),
    scaleByLearningRate(learningRate)
  )
}

export interface OptimisticAdamOptions extends AdamOptions {
  /** Default 1. */
  readonly alpha?: number
  /** Default 1. */
  readonly beta?: number
}
const OPTIMISTIC_ADAM_KEYS = [...SCALE_BY_ADAM_KEYS, ...optionKeys<Omit<OptimisticAdamOptions, keyof AdamOptions>>()("alpha", "beta")]

/**
 * Optimistic Adam (optax's `optimistic_adam_v2`, for min-max games): Adam's step (Nesterov by
 * default), then the optimistic gradient correction, then the learning rate.
 *
 * @example
 * const opt = optim.optimisticAdamV2(1e-3)
 */
export const optimisticAdamV2 = (
  learningRate: ScalarOrSchedule,
  options?: OptimisticAdamOptions
): GradientTransformation<[AdamState, OptimisticGradientState, LearningRateState]> => {
  checkOptions("optim.optimisticAdamV2", options, OPTIMISTIC_ADAM_KEYS)
  return chain(
    scaleByAdam({ ...pickOptions(options, SCALE_BY_ADAM_KEYS), nesterov: options?.nesterov ?? true }),
    scaleByOptimisticGradient({ alpha: options?.alpha ?? 1, beta: options?.beta ?? 1 }),
    scaleByLearningRate(learningRate)
  )
}
