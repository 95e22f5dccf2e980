/**
 * The building blocks of the optimizers (optax's `scale`, `scale_by_*`, `trace`,
 * `add_decayed_weights`, `clip_by_global_norm`, `masked`, `freeze`), each with optax's update
 * equations and defaults. The optimizers in `alias.ts` are chains of these.
 */
import { type Array, lax, np, tree, ValueError } from "../../index.js"
import { checkOneOf, checkOptions, optionKeys } from "../../core/options.js"
import {
  arrayLeavesWithPath,
  type EmptyState,
  type ExtraArgs,
  fullLike,
  globalNorm,
  type GradientTransformation,
  mapArrays,
  safeIncrement,
  setToZero,
  type Updates,
  zeroCount,
  zerosLike
} from "./base.js"
import type { ScalarOrSchedule, Schedule } from "./schedules.js"
import { biasCorrection, debiasedMomentum, updateMoment } from "./tree-math.js"

// ---------------------------------------------------------------------------------------------
// Scaling

/**
 * Multiply every update by a fixed `stepSize` (optax's `scale`), a number or a scalar Array.
 *
 * @example
 * const ascend = optim.chain(optim.scaleByAdam(), optim.scale(1e-3))
 */
export const scale = (stepSize: number | Array): GradientTransformation<EmptyState> => ({
  init: () => null,
  update: <U>(updates: U, state: EmptyState): [U, EmptyState] => [mapArrays((g) => np.multiply(stepSize, g), updates) as U, state]
})

/** The state of `scaleBySchedule`: the number of updates so far (int32 scalar). */
export interface ScaleByScheduleState {
  readonly count: Array
}

/**
 * Multiply every update by `schedule(count)` and count the step (optax's `scale_by_schedule`).
 *
 * @example
 * const opt = optim.chain(optim.scaleByAdam(), optim.scaleBySchedule((c) => np.multiply(-1e-3, np.exp(c.mul(-0.01)))))
 */
export const scaleBySchedule = (schedule: Schedule): GradientTransformation<ScaleByScheduleState> => ({
  init: () => ({ count: zeroCount() }),
  update: <U>(updates: U, state: ScaleByScheduleState): [U, ScaleByScheduleState] => {
    const stepSize = schedule(state.count)
    const out = mapArrays((g) => g.mul(stepSize.astype(g.dtype)), updates) as U
    return [out, { count: safeIncrement(state.count) }]
  }
})

/** The state of a learning-rate scaling: none for a number, the step count for a schedule. */
export type LearningRateState = EmptyState | ScaleByScheduleState

/**
 * Multiply by the learning rate, negated by default so that `applyUpdates` descends
 * (optax's `scale_by_learning_rate`).
 *
 * @example
 * const opt = optim.chain(optim.scaleByAdam(), optim.scaleByLearningRate(1e-3))
 */
export const scaleByLearningRate = (learningRate: ScalarOrSchedule, options?: { readonly flipSign?: boolean }): GradientTransformation<LearningRateState> => {
  checkOptions("optim.scaleByLearningRate", options, ["flipSign"])
  const m = options?.flipSign === false ? 1 : -1
  if (typeof learningRate === "number") return scale(m * learningRate) as GradientTransformation<LearningRateState>
  if (typeof learningRate !== "function") return scale(np.multiply(m, learningRate)) as GradientTransformation<LearningRateState>
  const t = scaleBySchedule((count) => np.multiply(m, learningRate(count)))
  return t as GradientTransformation<LearningRateState>
}

// ---------------------------------------------------------------------------------------------
// Moments

/** The state of `trace`: the accumulated momentum, shaped like the params. */
export interface TraceState {
  readonly trace: Updates
}

/**
 * Momentum: `trace' = g + decay * trace`; the update is `trace'`, or with Nesterov
 * `g + decay * trace'` (optax's `trace`).
 *
 * @example
 * const opt = optim.chain(optim.trace(0.9, { nesterov: true }), optim.scaleByLearningRate(0.1))
 */
export const trace = (decay: number, options?: { readonly nesterov?: boolean }): GradientTransformation<TraceState> => {
  checkOptions("optim.trace", options, ["nesterov"])
  const nesterov = options?.nesterov === true
  const f = (g: Array, t: Array): Array => g.add(t.mul(decay))
  return {
    init: (params) => ({ trace: zerosLike(params) }),
    update: <U>(updates: U, state: TraceState): [U, TraceState] => {
      const next = mapArrays(f, updates, state.trace)
      const out = nesterov ? mapArrays(f, updates, next) : next
      return [out as U, { trace: next }]
    }
  }
}

export interface ScaleByAdamOptions {
  /** Decay of the first moment. Default 0.9. */
  readonly b1?: number
  /** Decay of the second moment. Default 0.999. */
  readonly b2?: number
  /** Added to the denominator outside the square root. Default 1e-8. */
  readonly eps?: number
  /** Added inside the square root (for differentiating through Adam). Default 0. */
  readonly epsRoot?: number
  /** Nesterov momentum (NAdam, Dozat 2016). Default false. */
  readonly nesterov?: boolean
}
export const SCALE_BY_ADAM_KEYS = optionKeys<ScaleByAdamOptions>()("b1", "b2", "eps", "epsRoot", "nesterov")

/** The state of Adam: step count (int32 scalar) and the two moment estimates. */
export interface AdamState {
  readonly count: Array
  readonly mu: Updates
  readonly nu: Updates
}

/**
 * Adam's rescaling (optax's `scale_by_adam`):
 * `mu' = (1-b1) g + b1 mu`, `nu' = (1-b2) g^2 + b2 nu`, `t = count + 1`,
 * `update = (mu' / (1 - b1^t)) / (sqrt(nu' / (1 - b2^t) + epsRoot) + eps)`.
 *
 * @example
 * const opt = optim.chain(optim.scaleByAdam({ b2: 0.99 }), optim.scaleByLearningRate(1e-3))
 */
export const scaleByAdam = (options?: ScaleByAdamOptions): GradientTransformation<AdamState> => {
  checkOptions("optim.scaleByAdam", options, SCALE_BY_ADAM_KEYS)
  const b1 = options?.b1 ?? 0.9
  const b2 = options?.b2 ?? 0.999
  const eps = options?.eps ?? 1e-8
  const epsRoot = options?.epsRoot ?? 0
  const nesterov = options?.nesterov === true
  return {
    init: (params) => ({ count: zeroCount(), mu: zerosLike(params), nu: zerosLike(params) }),
    update: <U>(updates: U, state: AdamState): [U, AdamState] => {
      const mu = updateMoment(updates, state.mu, b1, 1)
      const nu = updateMoment(updates, state.nu, b2, 2)
      const count = safeIncrement(state.count)
      const muHat = debiasedMomentum(mu, updates, b1, count, nesterov)
      const nuHat = biasCorrection(nu, b2, count)
      const out = mapArrays((m, v) => m.div(np.sqrt(epsRoot === 0 ? v : v.add(epsRoot)).add(eps)), muHat, nuHat)
      return [out as U, { count, mu, nu }]
    }
  }
}

export interface ScaleByRmsOptions {
  /** Decay of the squared-gradient average. Default 0.9. */
  readonly decay?: number
  /** Default 1e-8. */
  readonly eps?: number
  /** Initial value of the squared-gradient average (PyTorch 0, TF1 1). Default 0. */
  readonly initialScale?: number
  /** `g / sqrt(nu + eps)` (true, the default) or `g / (sqrt(nu) + eps)`. */
  readonly epsInSqrt?: boolean
  /** Divide the averages by `1 - decay^t`. Default false. */
  readonly biasCorrection?: boolean
}
const SCALE_BY_RMS_KEYS = optionKeys<ScaleByRmsOptions>()("decay", "eps", "initialScale", "epsInSqrt", "biasCorrection")

/** The state of `scaleByRms`: step count and the squared-gradient average. */
export interface RmsState {
  readonly count: Array
  readonly nu: Updates
}

/** The state of `scaleByStddev`: step count, gradient average and squared-gradient average. */
export interface StddevState {
  readonly count: Array
  readonly mu: Updates
  readonly nu: Updates
}

const rmsScaling =
  (epsInSqrt: boolean, eps: number) =>
  (v: Array): Array =>
    epsInSqrt ? lax.rsqrt(v.add(eps)) : np.divide(1, np.sqrt(v).add(eps))

/**
 * RMSProp's rescaling (optax's `scale_by_rms`): `nu' = (1-decay) g^2 + decay nu`,
 * `update = g * rsqrt(nu' + eps)`.
 *
 * @example
 * const opt = optim.chain(optim.scaleByRms({ decay: 0.99 }), optim.scaleByLearningRate(1e-3))
 */
export const scaleByRms = (options?: ScaleByRmsOptions): GradientTransformation<RmsState> => {
  checkOptions("optim.scaleByRms", options, SCALE_BY_RMS_KEYS)
  const decay = options?.decay ?? 0.9
  const scaling = rmsScaling(options?.epsInSqrt ?? true, options?.eps ?? 1e-8)
  const bc = options?.biasCorrection === true
  const initialScale = options?.initialScale ?? 0
  return {
    init: (params) => ({ count: zeroCount(), nu: fullLike(params, initialScale) }),
    update: <U>(updates: U, state: RmsState): [U, RmsState] => {
      const nu = updateMoment(updates, state.nu, decay, 2)
      const count = safeIncrement(state.count)
      const nuHat = bc ? biasCorrection(nu, decay, count) : nu
      const out = mapArrays((v, g) => scaling(v).mul(g), nuHat, updates)
      return [out as U, { count, nu }]
    }
  }
}

/**
 * Centered RMSProp's rescaling (optax's `scale_by_stddev`): averages of g and g^2, and
 * `update = g * rsqrt(nu' - mu'^2 + eps)`.
 *
 * @example
 * const opt = optim.chain(optim.scaleByStddev(), optim.scaleByLearningRate(1e-3))
 */
export const scaleByStddev = (options?: ScaleByRmsOptions): GradientTransformation<StddevState> => {
  checkOptions("optim.scaleByStddev", options, SCALE_BY_RMS_KEYS)
  const decay = options?.decay ?? 0.9
  const scaling = rmsScaling(options?.epsInSqrt ?? true, options?.eps ?? 1e-8)
  const bc = options?.biasCorrection === true
  const initialScale = options?.initialScale ?? 0
  return {
    init: (params) => ({ count: zeroCount(), mu: zerosLike(params), nu: fullLike(params, initialScale) }),
    update: <U>(updates: U, state: StddevState): [U, StddevState] => {
      const mu = updateMoment(updates, state.mu, decay, 1)
      const nu = updateMoment(updates, state.nu, decay, 2)
      const count = safeIncrement(state.count)
      const muHat = bc ? biasCorrection(mu, decay, count) : mu
      const nuHat = bc ? biasCorrection(nu, decay, count) : nu
      const out = mapArrays((m, v, g) => scaling(v.sub(m.square())).mul(g), muHat, nuHat, updates)
      return [out as U, { count, mu, nu }]
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Masks

/** Chooses leaves by key path (e.g. `["linear", "bias"]`) and value; must not depend on values. */
export type MaskPredicate = (path: tree.KeyPath, leaf: Array) => boolean

/** A pytree of booleans with the params' structure, or a prefix of it (one flag per subtree). */
export type MaskTree = boolean | null | undefined | ReadonlyArray<MaskTree> | { readonly [key: string]: MaskTree }

/** Which leaves a masked transformation applies to. */
export type Mask = MaskTree | MaskPredicate

/** The state of `masked`: the inner transformation's state, over the selected leaves only. */
export interface MaskedState<S> {
  readonly inner: S
}

export interface MaskedOptions {
  /**
   * What the leaves outside the mask get: `"zero"` updates (they stay frozen; the default), or
   * their incoming updates unchanged (`"passThrough"`, optax's `masked`).
   */
  readonly unmasked?: "zero" | "passThrough"
}

/** One flag per leaf of `t` (in flatten order). */
const maskFlags = (mask: Mask, t: unknown, caller: string): boolean[] => {
  if (typeof mask === "function") return arrayLeavesWithPath(t).map(([p, l]) => mask(p, l) === true)
  return tree.broadcastPrefix(mask, t).map((m, i) => {
    if (typeof m !== "boolean") {
      throw new ValueError(`optim.${caller}: the mask must hold booleans (one per parameter or subtree); leaf ${i} is ${String(m)}.`)
    }
    return m
  })
}

/** `t` with `null` in place of the leaves whose flag is false (optax's `MaskedNode`). */
const keepFlagged = (t: unknown, flags: ReadonlyArray<boolean>): unknown => {
  const [leaves, def] = tree.flatten(t)
  return tree.unflatten(
    def,
    leaves.map((l, i) => (flags[i] === true ? l : null))
  )
}

/**
 * Apply `inner` only to the leaves selected by `mask` (a pytree of booleans, a prefix of one, or a
 * predicate on `(path, leaf)`); the others get zero updates, so those parameters stay frozen.
 * `inner` keeps state for the selected leaves only. With `{ unmasked: "passThrough" }` the others
 * keep their incoming updates, as in optax's `masked` (used by `adamw`'s weight-decay mask).
 *
 * @example
 * // train everything but the embedding
 * const opt = optim.masked(optim.adam(1e-3), (path) => path[0] !== "embedding")
 */
export const masked = <S>(inner: GradientTransformation<S>, mask: Mask, options?: MaskedOptions): GradientTransformation<MaskedState<S>> => {
  checkOptions("optim.masked", options, optionKeys<MaskedOptions>()("unmasked"))
  checkOneOf("optim.masked", "unmasked", options?.unmasked, ["zero", "passThrough"])
  const passThrough = options?.unmasked === "passThrough"
  return {
    init: (params) => ({ inner: inner.init(keepFlagged(params, maskFlags(mask, params, "masked"))) }),
    update: <U>(updates: U, state: MaskedState<S>, params?: U, extra?: ExtraArgs<U>): [U, MaskedState<S>] => {
      const flags = maskFlags(mask, updates, "masked")
      const [leaves, def] = tree.flatten(updates)
      const maskedParams = params === undefined ? undefined : keepFlagged(params, flags)
      // Extra arguments go through unmasked, as optax's default (`mask_compatible_extra_args=False`).
      const [innerUpdates, innerState] = inner.update(keepFlagged(updates, flags), state.inner, maskedParams, extra)
      const fresh = tree.flattenUpTo(def, innerUpdates)
      const out = leaves.map((old, i) => (flags[i] === true ? fresh[i] : passThrough ? old : mapArrays((x) => np.zerosLike(x), old)))
      return [tree.unflatten(def, out) as U, { inner: innerState }]
    }
  }
}

/**
 * Zero the updates of the leaves where `mask` is true, pass the others through (optax's
 * `freeze`). Chain it after an optimizer.
 *
 * @example
 * const opt = optim.chain(optim.adam(1e-3), optim.freeze({ embedding: true, head: false }))
 */
export const freeze = (mask: Mask): GradientTransformation<MaskedState<EmptyState>> => masked(setToZero(), mask, { unmasked: "passThrough" })

// ---------------------------------------------------------------------------------------------
// Weight decay and clipping

/** The state of `addDecayedWeights` with a scheduled decay: the number of updates so far. */
export interface WeightDecayScheduleState {
  readonly count: Array
}

/** The state of `addDecayedWeights`: none, the schedule's count, or either inside a mask. */
export type AddDecayedWeightsState = EmptyState | WeightDecayScheduleState | MaskedState<EmptyState | WeightDecayScheduleState>

/**
 * `update + weightDecay * param` (optax's `add_decayed_weights`); `weightDecay` is a number or a
 * schedule of the step count. With a mask, only on the selected leaves (the others pass through).
 * Needs `params` in `update`.
 *
 * @example
 * const opt = optim.chain(optim.scaleByAdam(), optim.addDecayedWeights(1e-4), optim.scaleByLearningRate(1e-3))
 */
export const addDecayedWeights = (weightDecay: ScalarOrSchedule, mask?: Mask): GradientTransformation<AddDecayedWeightsState> => {
  const scheduled = typeof weightDecay === "function"
  const plain: GradientTransformation<EmptyState | WeightDecayScheduleState> = {
    init: () => (scheduled ? { count: zeroCount() } : null),
    update: <U>(updates: U, state: EmptyState | WeightDecayScheduleState, params?: U): [U, EmptyState | WeightDecayScheduleState] => {
      if (params === undefined) {
        throw new ValueError("optim.addDecayedWeights (and adamw) needs the parameters: call update(grads, state, params).")
      }
      if (!scheduled) {
        if (weightDecay === 0) return [updates, state]
        return [mapArrays((g, p) => g.add(p.mul(weightDecay)), updates, params) as U, state]
      }
      const count = (state as WeightDecayScheduleState).count
      const s = weightDecay(count)
      return [mapArrays((g, p) => g.add(np.multiply(s, p)), updates, params) as U, { count: safeIncrement(count) }]
    }
  }
  if (mask === undefined) return plain
  return masked(plain, mask, { unmasked: "passThrough" })
}

/**
 * Rescale all updates together so that their global L2 norm is at most `maxNorm`
 * (optax's `clip_by_global_norm`): `g * maxNorm / norm` where `norm >= maxNorm`.
 *
 * @example
 * const opt = optim.chain(optim.clipByGlobalNorm(1), optim.adam(1e-3))
 */
export const clipByGlobalNorm = (maxNorm: number): GradientTransformation<EmptyState> => ({
  init: () => null,
  update: <U>(updates: U, state: EmptyState): [U, EmptyState] => {
    if (arrayLeavesWithPath(updates).length === 0) return [updates, state]
    const norm = globalNorm(updates)
    const trigger = norm.lt(maxNorm)
    const out = mapArrays((t) => np.where(trigger, t, t.div(norm.astype(t.dtype)).mul(maxNorm)), updates)
    return [out as U, state]
  }
})
