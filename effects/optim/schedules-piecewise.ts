/**
 * Piecewise schedules (optax's `piecewise_constant_schedule`, `piecewise_interpolate_schedule`,
 * `linear_onecycle_schedule`, `cosine_onecycle_schedule`), with optax's formulas in float32.
 */
import { type Array, np, ValueError } from "../../index.js"
import { checkOneOf, checkOptions, optionKeys } from "../../core/options.js"
import type { Schedule } from "./schedules.js"

/** Boundaries (step counts) and the factor applied to the value from each boundary on. */
export type BoundariesAndScales = Readonly<Record<number, number>>

/** The entries of `bs` sorted by boundary, checked to be non-negative scales. */
const sortedEntries = (what: string, bs: BoundariesAndScales | undefined): [number, number][] => {
  const entries = Object.entries(bs ?? {}).map(([k, v]) => [Number(k), v] as [number, number])
  for (const [k, v] of entries) {
    if (!Number.isInteger(k)) throw new ValueError(`optim.${what}: boundaries must be integer step counts, got ${k}.`)
    if (!(v >= 0)) throw new ValueError(`optim.${what} expects non-negative scale factors, got ${v} at step ${k}.`)
  }
  return entries.sort((a, b) => a[0] - b[0])
}

/**
 * `initValue` multiplied by `scale` at each boundary reached so far (optax's
 * `piecewise_constant_schedule`): the value at step `count` is `initValue` times the product of
 * the scales of the boundaries `<= count`.
 *
 * @example
 * const lr = optim.piecewiseConstantSchedule(0.1, { 1000: 0.1, 2000: 0.1 })   // 0.1, then 0.01, then 0.001
 */
export const piecewiseConstantSchedule = (initValue: number, boundariesAndScales?: BoundariesAndScales): Schedule => {
  const entries = sortedEntries("piecewiseConstantSchedule", boundariesAndScales)
  return (count) => {
    let v: Array | number = initValue
    for (const [threshold, s] of entries) {
      const indicator = np.maximum(0, np.sign(np.subtract(threshold, count)))
      v = np.multiply(v, indicator).add(np.subtract(1, indicator).mul(s).mul(v))
    }
    return np.asarray(v).astype("float32")
  }
}

/** How `piecewiseInterpolateSchedule` moves between the values at two boundaries. */
export type InterpolateType = "linear" | "cosine"

/**
 * Interpolate, linearly or along a half cosine, between values given at boundaries (optax's
 * `piecewise_interpolate_schedule`): the value is `initValue` at step 0 and is multiplied by each
 * boundary's scale by the time that boundary is reached; after the last boundary it stays.
 *
 * @example
 * const lr = optim.piecewiseInterpolateSchedule("cosine", 1e-3, { 100: 10, 1000: 0.01 })
 */
export const piecewiseInterpolateSchedule = (interpolateType: InterpolateType, initValue: number, boundariesAndScales?: BoundariesAndScales): Schedule => {
  if (interpolateType === undefined) throw new ValueError('optim.piecewiseInterpolateSchedule: give the interpolateType, "linear" or "cosine".')
  checkOneOf("optim.piecewiseInterpolateSchedule", "interpolateType", interpolateType, ["linear", "cosine"])
  const entries = sortedEntries("piecewiseInterpolateSchedule", boundariesAndScales)
  const bounds = np.array([0, ...entries.map(([b]) => b)], { dtype: "int32" })
  const values = np.cumprod(np.array([initValue, ...entries.map(([, s]) => s)], { dtype: "float32" }))
  const n = entries.length
  const lowerB = bounds.index(np.s(0, n))
  const upperB = bounds.index(np.s(1, n + 1))
  const intervalSizes = np.maximum(upperB.sub(lowerB), 1)
  const start = values.index(np.s(0, n))
  const end = values.index(np.s(1, n + 1))
  const last = values.index(n)
  const lastBound = bounds.index(n)
  return (count) => {
    const indicator = np.logicalAnd(lowerB.le(count), np.less(count, upperB))
    const pct = np.subtract(count, lowerB).div(intervalSizes)
    const interpolated =
      interpolateType === "linear"
        ? end.sub(start).mul(pct).add(start)
        : end.add(
            start
              .sub(end)
              .div(2)
              .mul(np.cos(np.multiply(Math.PI, pct)).add(1))
          )
    return np.dot(indicator.astype("float32"), interpolated).add(np.multiply(lastBound.le(count), last))
  }
}

export interface OnecycleOptions {
  /** Fraction of the steps spent increasing. Default 0.3. */
  readonly pctStart?: number
  /** The starting value is `peakValue / divFactor`. Default 25. */
  readonly divFactor?: number
  /** The final value is `peakValue / (divFactor * finalDivFactor)`. Default 1e4. */
  readonly finalDivFactor?: number
}
const ONECYCLE_KEYS = optionKeys<OnecycleOptions>()("pctStart", "divFactor", "finalDivFactor")

const checkSteps = (what: string, transitionSteps: number): void => {
  if (!(transitionSteps > 0)) throw new ValueError(`optim.${what}: transitionSteps must be positive, got ${transitionSteps}.`)
}

const LINEAR_ONECYCLE_KEYS = optionKeys<NonNullable<Parameters<typeof linearOnecycleSchedule>[2]>>()("pctStart", "divFactor", "finalDivFactor", "pctFinal")

/**
 * The linear one-cycle policy (optax's `linear_onecycle_schedule`, Smith and Topin 2017): up from
 * `peakValue / divFactor` to `peakValue` until `pctStart`, back down until `pctFinal`, then
 * towards `peakValue / (divFactor * finalDivFactor)` at `transitionSteps`.
 *
 * @example
 * const lr = optim.linearOnecycleSchedule(1000, 0.1)
 */
export const linearOnecycleSchedule = (
  transitionSteps: number,
  peakValue: number,
  options?: OnecycleOptions & {
    /** Fraction of the steps at which the value is back at the start. Default 0.85. */
    readonly pctFinal?: number
  }
): Schedule => {
  checkOptions("optim.linearOnecycleSchedule", options, LINEAR_ONECYCLE_KEYS)
  checkSteps("linearOnecycleSchedule", transitionSteps)
  const pctStart = options?.pctStart ?? 0.3
  const pctFinal = options?.pctFinal ?? 0.85
  const div = options?.divFactor ?? 25
  const finalDiv = options?.finalDivFactor ?? 1e4
  const bs: Record<number, number> = {}
  bs[Math.trunc(pctStart * transitionSteps)] = div
  bs[Math.trunc(pctFinal * transitionSteps)] = 1 / div
  bs[transitionSteps] = 1 / finalDiv
  return piecewiseInterpolateSchedule("linear", peakValue / div, bs)
}

/**
 * The cosine one-cycle policy (optax's `cosine_onecycle_schedule`): a half cosine up from
 * `peakValue / divFactor` to `peakValue` until `pctStart`, then down to
 * `peakValue / (divFactor * finalDivFactor)` at `transitionSteps`.
 *
 * @example
 * const lr = optim.cosineOnecycleSchedule(1000, 0.1)
 */
export const cosineOnecycleSchedule = (transitionSteps: number, peakValue: number, options?: OnecycleOptions): Schedule => {
  checkOptions("optim.cosineOnecycleSchedule", options, ONECYCLE_KEYS)
  checkSteps("cosineOnecycleSchedule", transitionSteps)
  const pctStart = options?.pctStart ?? 0.3
  const div = options?.divFactor ?? 25
  const finalDiv = options?.finalDivFactor ?? 1e4
  const bs: Record<number, number> = {}
  bs[Math.trunc(pctStart * transitionSteps)] = div
  bs[Math.trunc(transitionSteps)] = 1 / (div * finalDiv)
  return piecewiseInterpolateSchedule("cosine", peakValue / div, bs)
}
