/**
 * The popular optimizers as chains of the building blocks, exactly as optax composes them
 * (`optax/_src/alias.py`): same order, same equations, same defaults.
 */
import { checkOptions, optionKeys, pickOptions } from "../../core/options.js"
import { chain, type EmptyState, type GradientTransformation, identity } from "./base.js"
import type { ScalarOrSchedule } from "./schedules.js"
import {
  addDecayedWeights,
  type AddDecayedWeightsState,
  type AdamState,
  type LearningRateState,
  type Mask,
  type RmsState,
  SCALE_BY_ADAM_KEYS,
  scaleByAdam,
  type ScaleByAdamOptions,
  scaleByLearningRate,
  scaleByRms,
  scaleByStddev,
  type StddevState,
  trace,
  type TraceState
} from "./transforms.js"

export interface SgdOptions {
  /** Momentum decay; without it, plain SGD. */
  readonly momentum?: number
  /** Nesterov momentum (needs `momentum`). Default false. */
  readonly nesterov?: boolean
}

/** The state of `sgd`: [momentum trace (or null), learning-rate step count (or null)]. */
export type SgdState = [TraceState | EmptyState, LearningRateState]

/**
 * Stochastic gradient descent, with optional (Nesterov) momentum (optax's `sgd`):
 * `chain(trace(momentum, nesterov), scaleByLearningRate(lr))`.
 *
 * @example
 * const opt = optim.sgd(0.1, { momentum: 0.9, nesterov: true })
 */
export const sgd = (learningRate: ScalarOrSchedule, options?: SgdOptions): GradientTransformation<SgdState> => {
  checkOptions("optim.sgd", options, optionKeys<SgdOptions>()("momentum", "nesterov"))
  const momentum: GradientTransformation<TraceState | EmptyState> =
    options?.momentum === undefined ? identity() : trace(options.momentum, { nesterov: options.nesterov === true })
  return chain(momentum, scaleByLearningRate(learningRate))
}

export type AdamOptions = ScaleByAdamOptions

/** The state of `adam`: [Adam moments and count, learning-rate step count (or null)]. */
export type AdamChainState = [AdamState, LearningRateState]

/**
 * Adam (optax's `adam`): `chain(scaleByAdam({ b1, b2, eps, epsRoot }), scaleByLearningRate(lr))`,
 * defaults b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0.
 *
 * @example
 * const f = (p: { w: JaxArray }) => np.sum(np.square(p.w))
 * let params = { w: np.array([1, -2, 3], { dtype: "float32" }) }
 * const grads = grad(f)(params)
 * const opt = optim.adam(1e-3)
 * let state = opt.init(params)
 * const [updates, state2] = opt.update(grads, state)
 * params = optim.applyUpdates(params, updates)
 */
export const adam = (learningRate: ScalarOrSchedule, options?: AdamOptions): GradientTransformation<AdamChainState> =>
  chain(scaleByAdam(checkOptions("optim.adam", options, SCALE_BY_ADAM_KEYS)), scaleByLearningRate(learningRate))

export interface AdamwOptions extends ScaleByAdamOptions {
  /** Decoupled weight decay, a number or a schedule. Default 1e-4. */
  readonly weightDecay?: ScalarOrSchedule
  /** Which parameters are decayed (others are not); a boolean pytree or a predicate. */
  readonly mask?: Mask
}

export const ADAMW_KEYS = [...SCALE_BY_ADAM_KEYS, ...optionKeys<Omit<AdamwOptions, keyof ScaleByAdamOptions>>()("weightDecay", "mask")]

/** The state of `adamw`. */
export type AdamwState = [AdamState, AddDecayedWeightsState, LearningRateState]

/**
 * Adam with decoupled weight decay (optax's `adamw`):
 * `chain(scaleByAdam(...), addDecayedWeights(weightDecay, mask), scaleByLearningRate(lr))`.
 * Its `update` needs the params.
 *
 * @example
 * const opt = optim.adamw(1e-3, { weightDecay: 1e-2, mask: (path) => path[path.length - 1] !== "bias" })
 */
export const adamw = (learningRate: ScalarOrSchedule, options?: AdamwOptions): GradientTransformation<AdamwState> =>
  chain(
    scaleByAdam(pickOptions(checkOptions("optim.adamw", options, ADAMW_KEYS), SCALE_BY_ADAM_KEYS)),
    addDecayedWeights(options?.weightDecay ?? 1e-4, options?.mask),
    scaleByLearningRate(learningRate)
  )

export interface RmspropOptions {
  /** Decay of the squared-gradient average. Default 0.9. */
  readonly decay?: number
  /** Default 1e-8. */
  readonly eps?: number
  /** Initial squared-gradient average. Default 0. */
  readonly initialScale?: number
  /** `eps` inside the square root (default true). */
  readonly epsInSqrt?: boolean
  /** Divide by the variance estimate instead of the second moment. Default false. */
  readonly centered?: boolean
  /** Momentum decay applied after the learning rate; without it, none. */
  readonly momentum?: number
  /** Default false. */
  readonly nesterov?: boolean
  /** Bias-correct the averages. Default false. */
  readonly biasCorrection?: boolean
}

const RMSPROP_KEYS = optionKeys<RmspropOptions>()("decay", "eps", "initialScale", "epsInSqrt", "centered", "momentum", "nesterov", "biasCorrection")

/** The state of `rmsprop`. */
export type RmspropState = [RmsState | StddevState, LearningRateState, TraceState | EmptyState]

/**
 * RMSProp (optax's `rmsprop`): `chain(scaleByRms or scaleByStddev (centered),
 * scaleByLearningRate(lr), trace(momentum))`.
 *
 * @example
 * const opt = optim.rmsprop(1e-3, { decay: 0.95, centered: true, momentum: 0.9 })
 */
export const rmsprop = (learningRate: ScalarOrSchedule, options?: RmspropOptions): GradientTransformation<RmspropState> => {
  checkOptions("optim.rmsprop", options, RMSPROP_KEYS)
  const rmsOptions = {
    decay: options?.decay ?? 0.9,
    eps: options?.eps ?? 1e-8,
    initialScale: options?.initialScale ?? 0,
    epsInSqrt: options?.epsInSqrt ?? true,
    biasCorrection: options?.biasCorrection ?? false
  }
  const scaling: GradientTransformation<RmsState | StddevState> = options?.centered === true ? scaleByStddev(rmsOptions) : scaleByRms(rmsOptions)
  const momentum: GradientTransformation<TraceState | EmptyState> =
    options?.momentum === undefined ? identity() : trace(options.momentum, { nesterov: options.nesterov === true })
  return chain(scaling, scaleByLearningRate(learningRate), momentum)
}
