/**
 * The other optimizers of optax as chains of their building blocks (`optax/_src/alias.py`):
 * adagrad, adadelta, adafactor, lars, fromage, sm3, rprop, signSgd, signum, noisySgd, polyakSgd,
 * optimisticGradientDescent. Same order, equations and defaults.
 */
import { type Array, np } from "../../index.js"
import { checkOptions, optionKeys, pickOptions } from "../../core/options.js"
import { chain, type EmptyState, type GradientTransformation, identity } from "./base.js"
import { ema, type EmaState } from "./accumulation.js"
import { sgd, type SgdState } from "./alias.js"
import { clipByBlockRms } from "./clipping.js"
import { type FactoredState, scaleByFactoredRms } from "./factorized.js"
import { type AddNoiseState, addNoise } from "./noise.js"
import { random } from "../../index.js"
import type { ScalarOrSchedule } from "./schedules.js"
import {
  type AdadeltaState,
  type OptimisticGradientState,
  type RpropState,
  type RssState,
  scaleByAdadelta,
  scaleByOptimisticGradient,
  scaleByParamBlockRms,
  SCALE_BY_ADADELTA_KEYS,
  SCALE_BY_POLYAK_KEYS,
  SCALE_BY_RPROP_KEYS,
  SCALE_BY_RSS_KEYS,
  scaleByPolyak,
  type ScaleByPolyakOptions,
  scaleByRprop,
  type ScaleByRpropOptions,
  scaleByRss,
  scaleBySign,
  scaleBySm3,
  scaleByTrustRatio,
  type Sm3State
} from "./scalings.js"
import {
  addDecayedWeights,
  type AddDecayedWeightsState,
  type LearningRateState,
  type Mask,
  masked,
  type MaskedState,
  scale,
  scaleByLearningRate,
  trace,
  type TraceState
} from "./transforms.js"

/** `scaleByLearningRate(lr)`, or no scaling at all without a learning rate (optax's `None`). */
const maybeLearningRate = (learningRate: ScalarOrSchedule | undefined, flipSign = true): GradientTransformation<LearningRateState> =>
  learningRate === undefined ? identity() : scaleByLearningRate(learningRate, { flipSign })

/**
 * Adagrad (optax's `adagrad`): `chain(scaleByRss({ initialAccumulatorValue: 0.1, eps: 1e-7 }),
 * scaleByLearningRate(lr))`.
 *
 * @example
 * const opt = optim.adagrad(0.1)
 */
export const adagrad = (
  learningRate: ScalarOrSchedule,
  options?: { readonly initialAccumulatorValue?: number; readonly eps?: number }
): GradientTransformation<[RssState, LearningRateState]> => {
  checkOptions("optim.adagrad", options, SCALE_BY_RSS_KEYS)
  return chain(scaleByRss(options), scaleByLearningRate(learningRate))
}

export interface AdadeltaOptions {
  /** Default 0.9. */
  readonly rho?: number
  /** Default 1e-6. */
  readonly eps?: number
  /** Weight decay added before the rescaling. Default 0. */
  readonly weightDecay?: ScalarOrSchedule
  readonly weightDecayMask?: Mask
}
const ADADELTA_KEYS = optionKeys<AdadeltaOptions>()("rho", "eps", "weightDecay", "weightDecayMask")

/**
 * Adadelta (optax's `adadelta`): `chain(addDecayedWeights(weightDecay), scaleByAdadelta({ rho,
 * eps }), scaleByLearningRate(lr))`. Without a learning rate the updates are not scaled (nor
 * negated), as in optax. Needs the params.
 *
 * @example
 * const opt = optim.adadelta(1.0, { rho: 0.95 })
 */
export const adadelta = (
  learningRate?: ScalarOrSchedule,
  options?: AdadeltaOptions
): GradientTransformation<[AddDecayedWeightsState, AdadeltaState, LearningRateState]> => {
  checkOptions("optim.adadelta", options, ADADELTA_KEYS)
  return chain(
    addDecayedWeights(options?.weightDecay ?? 0, options?.weightDecayMask),
    scaleByAdadelta(pickOptions(options, SCALE_BY_ADADELTA_KEYS)),
    maybeLearningRate(learningRate)
  )
}

export interface AdafactorOptions {
  /** Factor parameters whose two largest dimensions are at least this. Default 128. */
  readonly minDimSizeToFactor?: number
  /** Exponent of the second-moment decay schedule. Default 0.8. */
  readonly decayRate?: number
  /** Step offset of the decay schedule. Default 0. */
  readonly decayOffset?: number
  /** Scale updates by the parameters' root mean square. Default true. */
  readonly multiplyByParameterScale?: boolean
  /** Clip each leaf's update RMS at this; null for no clipping. Default 1. */
  readonly clippingThreshold?: number | null
  /** Momentum (an exponential average of the updates, not debiased); none by default. */
  readonly momentum?: number
  /** Weight decay rate; none by default. */
  readonly weightDecayRate?: ScalarOrSchedule
  /** Default 1e-30. */
  readonly eps?: number
  /** Factor the second moment at all. Default true. */
  readonly factored?: boolean
  readonly weightDecayMask?: Mask
}
const ADAFACTOR_KEYS = optionKeys<AdafactorOptions>()(
  "minDimSizeToFactor",
  "decayRate",
  "decayOffset",
  "multiplyByParameterScale",
  "clippingThreshold",
  "momentum",
  "weightDecayRate",
  "eps",
  "factored",
  "weightDecayMask"
)

/**
 * Adafactor (optax's `adafactor`, Shazeer and Stern 2018): factored second moments, update
 * clipping by block RMS, then (optionally) the learning rate, the parameter scale, momentum and
 * weight decay, and finally `scale(-1)`. The state is the array of the chained states. Needs the
 * params.
 *
 * @example
 * const opt = optim.adafactor(1e-2)
 */
export const adafactor = (learningRate?: ScalarOrSchedule, options?: AdafactorOptions): GradientTransformation<unknown[]> => {
  checkOptions("optim.adafactor", options, ADAFACTOR_KEYS)
  const tx: GradientTransformation<unknown>[] = [
    scaleByFactoredRms({
      factored: options?.factored ?? true,
      decayRate: options?.decayRate ?? 0.8,
      stepOffset: options?.decayOffset ?? 0,
      minDimSizeToFactor: options?.minDimSizeToFactor ?? 128,
      epsilon: options?.eps ?? 1e-30
    }) as GradientTransformation<unknown>
  ]
  const threshold = options?.clippingThreshold === undefined ? 1 : options.clippingThreshold
  if (threshold !== null) tx.push(clipByBlockRms(threshold) as GradientTransformation<unknown>)
  if (learningRate !== undefined) tx.push(scaleByLearningRate(learningRate, { flipSign: false }) as GradientTransformation<unknown>)
  if (options?.multiplyByParameterScale ?? true) tx.push(scaleByParamBlockRms() as GradientTransformation<unknown>)
  if (options?.momentum !== undefined) tx.push(ema(options.momentum, { debias: false }) as GradientTransformation<unknown>)
  if (options?.weightDecayRate !== undefined) {
    tx.push(addDecayedWeights(options.weightDecayRate, options.weightDecayMask) as GradientTransformation<unknown>)
  }
  tx.push(scale(-1) as GradientTransformation<unknown>)
  return chain(...tx) as GradientTransformation<unknown[]>
}

export interface LarsOptions {
  /** Default 0. */
  readonly weightDecay?: ScalarOrSchedule
  /** Which parameters are decayed. Default all (true). */
  readonly weightDecayMask?: Mask
  /** Default 0.001. */
  readonly trustCoefficient?: number
  /** Default 0. */
  readonly eps?: number
  /** Which parameters get the trust ratio. Default all (true). */
  readonly trustRatioMask?: Mask
  /** Default 0.9. */
  readonly momentum?: number
  /** Default false. */
  readonly nesterov?: boolean
}
const LARS_KEYS = optionKeys<LarsOptions>()("weightDecay", "weightDecayMask", "trustCoefficient", "eps", "trustRatioMask", "momentum", "nesterov")

/**
 * LARS (optax's `lars`, You et al. 2017): weight decay, the layer-wise trust ratio (scaled by
 * `trustCoefficient`), the learning rate, then momentum. Needs the params.
 *
 * @example
 * const opt = optim.lars(0.1, { weightDecay: 1e-4 })
 */
export const lars = (
  learningRate: ScalarOrSchedule,
  options?: LarsOptions
): GradientTransformation<[AddDecayedWeightsState, MaskedState<EmptyState>, LearningRateState, TraceState]> => {
  checkOptions("optim.lars", options, LARS_KEYS)
  return chain(
    addDecayedWeights(options?.weightDecay ?? 0, options?.weightDecayMask ?? true),
    masked(scaleByTrustRatio({ trustCoefficient: options?.trustCoefficient ?? 0.001, eps: options?.eps ?? 0 }), options?.trustRatioMask ?? true, {
      unmasked: "passThrough"
    }),
    scaleByLearningRate(learningRate),
    trace(options?.momentum ?? 0.9, { nesterov: options?.nesterov === true })
  )
}

const FROMAGE_KEYS = optionKeys<NonNullable<Parameters<typeof fromage>[1]>>()("minNorm")

/**
 * Fromage (optax's `fromage`, Bernstein et al. 2020): the trust ratio with `minNorm`, the learning
 * rate times `1 / sqrt(1 + lr^2)`, and a weight decay of `1 / sqrt(1 + lr^2) - 1` (which shrinks
 * the params). Needs the params.
 *
 * @example
 * const opt = optim.fromage(1e-2)
 */
export const fromage = (
  learningRate: ScalarOrSchedule,
  options?: { readonly minNorm?: number }
): GradientTransformation<[EmptyState, LearningRateState, AddDecayedWeightsState]> => {
  checkOptions("optim.fromage", options, FROMAGE_KEYS)
  const trust = scaleByTrustRatio({ minNorm: options?.minNorm ?? 1e-6 })
  if (typeof learningRate !== "function") {
    const lr = learningRate
    const mult = typeof lr === "number" ? 1 / Math.pow(1 + lr ** 2, 0.5) : np.divide(1, np.power(np.add(1, np.square(lr)), 0.5))
    return chain(
      trust,
      scaleByLearningRate(typeof lr === "number" && typeof mult === "number" ? lr * mult : np.multiply(lr, mult)),
      addDecayedWeights(typeof mult === "number" ? mult - 1 : np.subtract(mult, 1))
    )
  }
  const multLr = (c: Array): Array => np.divide(1, np.power(np.add(1, np.square(learningRate(c))), 0.5))
  return chain(
    trust,
    scaleByLearningRate((c) => multLr(c).mul(learningRate(c))),
    addDecayedWeights((c) => multLr(c).sub(1))
  )
}

const SM3_KEYS = optionKeys<NonNullable<Parameters<typeof sm3>[1]>>()("momentum")

/**
 * SM3 (optax's `sm3`, Anil et al. 2019): `chain(scaleBySm3({ b1: momentum }), scale(-lr))`.
 * Parameters need rank >= 1.
 *
 * @example
 * const opt = optim.sm3(0.1)
 */
export const sm3 = (learningRate: number, options?: { readonly momentum?: number }): GradientTransformation<[Sm3State, EmptyState]> => {
  checkOptions("optim.sm3", options, SM3_KEYS)
  return chain(scaleBySm3({ b1: options?.momentum ?? 0.9 }), scale(-learningRate))
}

/**
 * Rprop (optax's `rprop`): `chain(scaleByRprop(lr, ...), scale(-1))`; `learningRate` is the
 * initial step size of every element.
 *
 * @example
 * const opt = optim.rprop(1e-2)
 */
export const rprop = (learningRate: number, options?: ScaleByRpropOptions): GradientTransformation<[RpropState, EmptyState]> => {
  checkOptions("optim.rprop", options, SCALE_BY_RPROP_KEYS)
  return chain(scaleByRprop(learningRate, options), scale(-1))
}

/**
 * SignSGD (optax's `sign_sgd`): `chain(scaleBySign(), scaleByLearningRate(lr))`.
 *
 * @example
 * const opt = optim.signSgd(1e-3)
 */
export const signSgd = (learningRate: ScalarOrSchedule): GradientTransformation<[EmptyState, LearningRateState]> =>
  chain(scaleBySign(), scaleByLearningRate(learningRate))

const SIGNUM_KEYS = optionKeys<NonNullable<Parameters<typeof signum>[1]>>()("beta")

/**
 * Signum (optax's `signum`): the sign of a momentum average, `chain(ema(beta, { debias: false }),
 * scaleBySign(), scaleByLearningRate(lr))`.
 *
 * @example
 * const opt = optim.signum(1e-3, { beta: 0.9 })
 */
export const signum = (
  learningRate: ScalarOrSchedule,
  options?: { readonly beta?: number }
): GradientTransformation<[EmaState, EmptyState, LearningRateState]> => {
  checkOptions("optim.signum", options, SIGNUM_KEYS)
  return chain(ema(options?.beta ?? 0.9, { debias: false }), scaleBySign(), scaleByLearningRate(learningRate))
}

const NOISY_SGD_KEYS = optionKeys<NonNullable<Parameters<typeof noisySgd>[1]>>()("eta", "gamma", "key")

/**
 * Noisy SGD (optax's `noisy_sgd`): `chain(addNoise(eta, gamma, key), scaleByLearningRate(lr))`,
 * defaults eta 0.01, gamma 0.55, key 0.
 *
 * @example
 * const opt = optim.noisySgd(0.1, { key: random.key(42) })
 */
export const noisySgd = (
  learningRate: ScalarOrSchedule,
  options?: { readonly eta?: number; readonly gamma?: number; readonly key?: random.KeyArray | number }
): GradientTransformation<[AddNoiseState, LearningRateState]> => {
  checkOptions("optim.noisySgd", options, NOISY_SGD_KEYS)
  return chain(addNoise(options?.eta ?? 0.01, options?.gamma ?? 0.55, options?.key ?? 0), scaleByLearningRate(learningRate))
}

export interface PolyakSgdOptions extends ScaleByPolyakOptions {
  /** A fixed factor on the Polyak step (a number or a schedule). Default 1. */
  readonly scaling?: ScalarOrSchedule
}
const POLYAK_SGD_KEYS = [...SCALE_BY_POLYAK_KEYS, ...optionKeys<Omit<PolyakSgdOptions, keyof ScaleByPolyakOptions>>()("scaling")]

/**
 * SGD with the Polyak step size (optax's `polyak_sgd`): `chain(sgd(scaling), scaleByPolyak(...))`.
 * Its `update` needs the objective's value: `update(grads, state, params, { value })`.
 *
 * @example
 * const opt = optim.polyakSgd({ maxLearningRate: 1 })
 */
export const polyakSgd = (options?: PolyakSgdOptions): GradientTransformation<[SgdState, EmptyState]> => {
  checkOptions("optim.polyakSgd", options, POLYAK_SGD_KEYS)
  return chain(sgd(options?.scaling ?? 1), scaleByPolyak(pickOptions(options, SCALE_BY_POLYAK_KEYS)))
}

const OPTIMISTIC_GD_KEYS = optionKeys<NonNullable<Parameters<typeof optimisticGradientDescent>[1]>>()("alpha", "beta")

/**
 * Optimistic gradient descent (optax's `optimistic_gradient_descent`, for min-max games):
 * `chain(scaleByOptimisticGradient({ alpha, beta }), scaleByLearningRate(lr))`.
 *
 * @example
 * const opt = optim.optimisticGradientDescent(0.01)
 */
export const optimisticGradientDescent = (
  learningRate: ScalarOrSchedule,
  options?: { readonly alpha?: number; readonly beta?: number }
): GradientTransformation<[OptimisticGradientState, LearningRateState]> => {
  checkOptions("optim.optimisticGradientDescent", options, OPTIMISTIC_GD_KEYS)
  return chain(scaleByOptimisticGradient(options), scaleByLearningRate(learningRate))
}
