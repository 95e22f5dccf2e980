/**
 * Warmup schedules and warm restarts (optax's `warmup_constant_schedule`,
 * `warmup_exponential_decay_schedule`, `sgdr_schedule`), built from the basic schedules with
 * `joinSchedules` exactly as optax builds them. `warmupCosineDecaySchedule` is in `schedules.ts`.
 */
import { checkOptions, optionKeys } from "../../core/options.js"
import {
  exponentialDecay,
  joinSchedules,
  linearSchedule,
  type Schedule,
  warmupCosineDecaySchedule,
  WARMUP_COSINE_DECAY_KEYS,
  type WarmupCosineDecayOptions
} from "./schedules.js"

export interface WarmupConstantOptions {
  readonly initValue: number
  readonly peakValue: number
  /** Steps of the linear warmup; `peakValue` from then on. */
  readonly warmupSteps: number
}
const WARMUP_CONSTANT_KEYS = optionKeys<WarmupConstantOptions>()("initValue", "peakValue", "warmupSteps")

/**
 * A linear warmup from `initValue` to `peakValue`, then constant (optax's
 * `warmup_constant_schedule`).
 *
 * @example
 * const lr = optim.warmupConstantSchedule({ initValue: 0, peakValue: 1e-3, warmupSteps: 100 })
 */
export const warmupConstantSchedule = (o: WarmupConstantOptions): Schedule => {
  checkOptions("optim.warmupConstantSchedule", o, WARMUP_CONSTANT_KEYS)
  return linearSchedule({ initValue: o.initValue, endValue: o.peakValue, transitionSteps: o.warmupSteps })
}

export interface WarmupExponentialDecayOptions {
  readonly initValue: number
  readonly peakValue: number
  /** Steps of the linear warmup. */
  readonly warmupSteps: number
  /** Steps per factor of `decayRate` after the warmup. */
  readonly transitionSteps: number
  readonly decayRate: number
  /** Steps after the warmup before the decay starts. Default 0. */
  readonly transitionBegin?: number
  /** Decay in whole steps of `transitionSteps`. Default false. */
  readonly staircase?: boolean
  /** A bound the value does not pass. */
  readonly endValue?: number
}
const WARMUP_EXPONENTIAL_DECAY_KEYS = optionKeys<WarmupExponentialDecayOptions>()(
  "initValue",
  "peakValue",
  "warmupSteps",
  "transitionSteps",
  "decayRate",
  "transitionBegin",
  "staircase",
  "endValue"
)

/**
 * A linear warmup to `peakValue`, then exponential decay from it (optax's
 * `warmup_exponential_decay_schedule`).
 *
 * @example
 * const lr = optim.warmupExponentialDecaySchedule({ initValue: 0, peakValue: 1e-3, warmupSteps: 100, transitionSteps: 1000, decayRate: 0.5 })
 */
export const warmupExponentialDecaySchedule = (o: WarmupExponentialDecayOptions): Schedule => {
  checkOptions("optim.warmupExponentialDecaySchedule", o, WARMUP_EXPONENTIAL_DECAY_KEYS)
  return joinSchedules(
    [
      linearSchedule({ initValue: o.initValue, endValue: o.peakValue, transitionSteps: o.warmupSteps }),
      exponentialDecay({
        initValue: o.peakValue,
        transitionSteps: o.transitionSteps,
        decayRate: o.decayRate,
        ...(o.transitionBegin === undefined ? {} : { transitionBegin: o.transitionBegin }),
        ...(o.staircase === undefined ? {} : { staircase: o.staircase }),
        ...(o.endValue === undefined ? {} : { endValue: o.endValue })
      })
    ],
    [o.warmupSteps]
  )
}

/**
 * Stochastic gradient descent with warm restarts (optax's `sgdr_schedule`, Loshchilov and Hutter
 * 2017): one warmup-cosine-decay cycle after another, each lasting its `decaySteps`.
 *
 * @example
 * const lr = optim.sgdrSchedule([
 *   { initValue: 0, peakValue: 0.1, warmupSteps: 10, decaySteps: 100 },
 *   { initValue: 0, peakValue: 0.05, warmupSteps: 10, decaySteps: 200 }
 * ])
 */
export const sgdrSchedule = (cycles: ReadonlyArray<WarmupCosineDecayOptions>): Schedule => {
  cycles.forEach((c, i) => checkOptions(`optim.sgdrSchedule (cycle ${i})`, c, WARMUP_COSINE_DECAY_KEYS))
  const boundaries: number[] = []
  let step = 0
  for (const c of cycles) {
    step += c.decaySteps
    boundaries.push(step)
  }
  return joinSchedules(cycles.map(warmupCosineDecaySchedule), boundaries.slice(0, -1))
}
