/**
 * Learning-rate schedules (optax's `optax.schedules`): functions from the step count (an int32
 * scalar Array, kept in the optimizer state) to a value. They are array programs, so they run
 * unchanged under `jit`. Wherever a learning rate is accepted, a number or a schedule will do.
 *
 * The formulas are optax's, computed in float32 as JAX computes them without x64.
 */
import { type Array, np, ValueError } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"

/** A schedule: step count (int32 scalar) -> value (float32 scalar). */
export type Schedule = (count: Array) => Array

/**
 * A fixed number, a scalar Array (for instance a hyperparameter injected by `injectHyperparams`,
 * possibly traced), or a schedule.
 */
export type ScalarOrSchedule = number | Array | Schedule

const f32 = (v: number): Array => np.full([], v, { dtype: "float32" })

const checkFinite = (what: string, name: string, v: number): void => {
  if (!Number.isFinite(v)) throw new ValueError(`optim.${what}: ${name} must be a finite number, got ${v}.`)
}

/**
 * The same value at every step (optax's `constant_schedule`).
 *
 * @example
 * optim.constantSchedule(0.1)(np.array(7, { dtype: "int32" }))   // Array(0.1, dtype=float32)
 */
export const constantSchedule = (value: number): Schedule => {
  checkFinite("constantSchedule", "value", value)
  return () => f32(value)
}

export interface PolynomialScheduleOptions {
  readonly initValue: number
  readonly endValue: number
  readonly power: number
  /** Steps over which the value moves from `initValue` to `endValue`; <= 0 gives a constant. */
  readonly transitionSteps: number
  /** Steps before the transition starts (negative is treated as 0). Default 0. */
  readonly transitionBegin?: number
}

/**
 * `(init - end) * (1 - t/T)^power + end`, with `t = clip(count - begin, 0, T)`
 * (optax's `polynomial_schedule`).
 *
 * @example
 * const lr = optim.polynomialSchedule({ initValue: 0.1, endValue: 1e-3, power: 2, transitionSteps: 1000 })
 */
export const polynomialSchedule = (o: PolynomialScheduleOptions): Schedule => {
  checkOptions("optim.polynomialSchedule", o, optionKeys<PolynomialScheduleOptions>()("initValue", "endValue", "power", "transitionSteps", "transitionBegin"))
  if (o.transitionSteps <= 0) return constantSchedule(o.initValue)
  const begin = Math.max(0, o.transitionBegin ?? 0)
  const steps = o.transitionSteps
  return (count) => {
    const t = np.clip(count.sub(begin), 0, steps)
    const frac = np.subtract(1, t.div(steps))
    // init - end in float64 (JS numbers, as Python floats in optax), rounded once to float32.
    return np.multiply(o.initValue - o.endValue, np.power(frac, o.power)).add(o.endValue)
  }
}

export interface LinearScheduleOptions {
  readonly initValue: number
  readonly endValue: number
  readonly transitionSteps: number
  readonly transitionBegin?: number
}

/**
 * Linear interpolation from `initValue` to `endValue` (optax's `linear_schedule`).
 *
 * @example
 * const lr = optim.linearSchedule({ initValue: 0, endValue: 1e-3, transitionSteps: 100 })
 */
export const linearSchedule = (o: LinearScheduleOptions): Schedule =>
  polynomialSchedule({
    ...checkOptions("optim.linearSchedule", o, optionKeys<LinearScheduleOptions>()("initValue", "endValue", "transitionSteps", "transitionBegin")),
    power: 1
  })

export interface ExponentialDecayOptions {
  readonly initValue: number
  /** Steps per factor of `decayRate`; <= 0 gives a constant schedule. */
  readonly transitionSteps: number
  /** The factor per `transitionSteps` steps; 0 gives a constant schedule. */
  readonly decayRate: number
  /** Steps before the decay starts (negative is treated as 0). Default 0. */
  readonly transitionBegin?: number
  /** Decay in whole steps of `transitionSteps` (integer exponent). Default false. */
  readonly staircase?: boolean
  /** A bound the value does not pass: a floor when `decayRate < 1`, else a ceiling. */
  readonly endValue?: number
}

/**
 * `initValue * decayRate^((count - begin) / transitionSteps)` from `begin` on, `initValue`
 * before (optax's `exponential_decay`).
 *
 * @example
 * const lr = optim.exponentialDecay({ initValue: 0.1, transitionSteps: 100, decayRate: 0.5 })
 * lr(np.array(100, { dtype: "int32" }))   // Array(0.05, dtype=float32)
 */
export const exponentialDecay = (o: ExponentialDecayOptions): Schedule => {
  checkOptions(
    "optim.exponentialDecay",
    o,
    optionKeys<ExponentialDecayOptions>()("initValue", "transitionSteps", "decayRate", "transitionBegin", "staircase", "endValue")
  )
  if (o.transitionSteps <= 0 || o.decayRate === 0) return constantSchedule(o.initValue)
  const begin = Math.max(0, o.transitionBegin ?? 0)
  const end = o.endValue
  return (count) => {
    const decreased = count.sub(begin)
    let p = decreased.div(o.transitionSteps)
    if (o.staircase === true) p = np.floor(p)
    let v = np.where(decreased.le(0), o.initValue, np.multiply(o.initValue, np.power(o.decayRate, p)))
    if (end !== undefined) v = o.decayRate < 1 ? np.maximum(v, end) : np.minimum(v, end)
    return v
  }
}

export interface CosineDecayOptions {
  readonly initValue: number
  /** Steps of the decay (positive). */
  readonly decaySteps: number
  /** The final value as a fraction of `initValue`. Default 0. */
  readonly alpha?: number
  /** Power of the cosine factor. Default 1. */
  readonly exponent?: number
}

/**
 * `init * ((1 - alpha) * (0.5 * (1 + cos(pi * min(count, T) / T)))^exponent + alpha)`
 * (optax's `cosine_decay_schedule`).
 *
 * @example
 * const lr = optim.cosineDecaySchedule({ initValue: 0.1, decaySteps: 1000, alpha: 0.01 })
 */
export const cosineDecaySchedule = (o: CosineDecayOptions): Schedule => {
  checkOptions("optim.cosineDecaySchedule", o, optionKeys<CosineDecayOptions>()("initValue", "decaySteps", "alpha", "exponent"))
  if (!(o.decaySteps > 0)) {
    throw new ValueError(`optim.cosineDecaySchedule: decaySteps must be positive, got ${o.decaySteps}.`)
  }
  const alpha = o.alpha ?? 0
  const exponent = o.exponent ?? 1
  return (count) => {
    const t = np.minimum(count.astype("float32"), o.decaySteps)
    const cosine = np.multiply(0.5, np.add(1, np.cos(np.multiply(Math.PI, t).div(o.decaySteps))))
    const shaped = exponent === 1 ? cosine : np.power(cosine, exponent)
    return np.multiply(o.initValue, shaped.mul(1 - alpha).add(alpha))
  }
}

/**
 * Run `schedules[0]` until `boundaries[0]`, then `schedules[1]` (counting from 0 again), and so on
 * (optax's `join_schedules`).
 *
 * @example
 * const lr = optim.joinSchedules([optim.constantSchedule(0.1), optim.constantSchedule(0.01)], [1000])
 */
export const joinSchedules = (schedules: ReadonlyArray<Schedule>, boundaries: ReadonlyArray<number>): Schedule => {
  if (schedules.length === 0 || boundaries.length !== schedules.length - 1) {
    throw new ValueError(`optim.joinSchedules: ${schedules.length} schedules need ${Math.max(0, schedules.length - 1)} boundaries, got ${boundaries.length}.`)
  }
  return (count) => {
    let out = schedules[0]!(count)
    boundaries.forEach((b, i) => {
      out = np.where(count.lt(b), out, schedules[i + 1]!(count.sub(b)))
    })
    return out
  }
}

export interface WarmupCosineDecayOptions {
  readonly initValue: number
  readonly peakValue: number
  /** Steps of the linear warmup from `initValue` to `peakValue`. */
  readonly warmupSteps: number
  /** Total steps, warmup included: the cosine part lasts `decaySteps - warmupSteps`. */
  readonly decaySteps: number
  /** The value at the end of the decay. Default 0. */
  readonly endValue?: number
  /** Power of the cosine factor. Default 1. */
  readonly exponent?: number
}
export const WARMUP_COSINE_DECAY_KEYS = optionKeys<WarmupCosineDecayOptions>()("initValue", "peakValue", "warmupSteps", "decaySteps", "endValue", "exponent")

/**
 * Linear warmup to `peakValue`, then cosine decay to `endValue` (optax's
 * `warmup_cosine_decay_schedule`).
 *
 * @example
 * const lr = optim.warmupCosineDecaySchedule({ initValue: 0, peakValue: 1e-3, warmupSteps: 100, decaySteps: 1000 })
 */
export const warmupCosineDecaySchedule = (o: WarmupCosineDecayOptions): Schedule => {
  checkOptions("optim.warmupCosineDecaySchedule", o, WARMUP_COSINE_DECAY_KEYS)
  const end = o.endValue ?? 0
  const alpha = o.peakValue === 0 ? 0 : end / o.peakValue
  return joinSchedules(
    [
      linearSchedule({ initValue: o.initValue, endValue: o.peakValue, transitionSteps: o.warmupSteps }),
      cosineDecaySchedule({
        initValue: o.peakValue,
        decaySteps: o.decaySteps - o.warmupSteps,
        alpha,
        ...(o.exponent === undefined ? {} : { exponent: o.exponent })
      })
    ],
    [o.warmupSteps]
  )
}
