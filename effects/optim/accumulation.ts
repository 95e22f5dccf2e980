/**
 * Averaging and accumulating updates over steps (optax's `ema`, `apply_every`, `MultiSteps`,
 * `skip_not_finite`, `skip_large_updates`).
 */
import { type Array, np, ValueError } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"
import { type ExtraArgs, type GradientTransformation, mapArrays, safeIncrement, type Updates, zeroCount, zerosLike } from "./base.js"
import { arrayLeaves, biasCorrection, treeNormSquared, treeWhere, updateMoment } from "./tree-math.js"

/** The state of `ema`: the step count and the running average. */
export interface EmaState {
  readonly count: Array
  readonly ema: Updates
}

const EMA_KEYS = optionKeys<NonNullable<Parameters<typeof ema>[1]>>()("debias")

/**
 * An exponential moving average of the updates (optax's `ema`): `ema' = (1-decay) g + decay ema`,
 * returned bias-corrected (`ema' / (1 - decay^t)`) unless `debias` is false.
 *
 * @example
 * const opt = optim.chain(optim.ema(0.9), optim.scaleByLearningRate(0.1))   // momentum as an average
 */
export const ema = (decay: number, options?: { readonly debias?: boolean }): GradientTransformation<EmaState> => {
  checkOptions("optim.ema", options, EMA_KEYS)
  const debias = options?.debias ?? true
  return {
    init: (params) => ({ count: zeroCount(), ema: zerosLike(params) }),
    update: <U>(updates: U, state: EmaState): [U, EmaState] => {
      const next = updateMoment(updates, state.ema, decay, 1)
      const count = safeIncrement(state.count)
      return [(debias ? biasCorrection(next, decay, count) : next) as U, { count, ema: next }]
    }
  }
}

/** The state of `applyEvery`: the position in the cycle and the accumulated updates. */
export interface ApplyEveryState {
  readonly count: Array
  readonly gradAcc: Updates
}

/**
 * Sum the updates of `k` steps and apply them together on every `k`-th step, zero updates in
 * between (optax's `apply_every`). Chain it after the optimizer.
 *
 * @example
 * const opt = optim.chain(optim.sgd(0.1), optim.applyEvery(4))
 */
export const applyEvery = (k = 1): GradientTransformation<ApplyEveryState> => {
  if (!Number.isInteger(k) || k < 1) throw new ValueError(`optim.applyEvery: k must be a positive integer, got ${k}.`)
  return {
    init: (params) => ({ count: zeroCount(), gradAcc: zerosLike(params) }),
    update: <U>(updates: U, state: ApplyEveryState): [U, ApplyEveryState] => {
      const c = np.mod(state.count, k)
      const acc = c.ne(0)
      const gradAcc = mapArrays((g, ga) => np.multiply(acc, ga).add(g), updates, state.gradAcc)
      const emit = c.eq(k - 1)
      const out = mapArrays((ga) => np.multiply(emit, ga), gradAcc)
      return [out as U, { count: np.mod(safeIncrement(state.count), k), gradAcc }]
    }
  }
}

/**
 * Decides from the incoming updates whether `MultiSteps` skips the step: returns a scalar bool
 * Array and a tree of Arrays kept in the state for inspection (optax's
 * `ShouldSkipUpdateFunction`).
 */
export type ShouldSkipUpdateFn = (updates: unknown, gradientStep: Array, params: unknown) => readonly [Array, unknown]

/**
 * Skip updates that contain an infinity or a NaN (optax's `skip_not_finite`); the kept state is
 * `{ shouldSkip, numNotFinite }`.
 *
 * @example
 * const opt = new optim.MultiSteps(optim.adam(1e-3), 4, { shouldSkipUpdateFn: optim.skipNotFinite })
 */
export const skipNotFinite: ShouldSkipUpdateFn = (updates) => {
  const counts = arrayLeaves(updates).map((p) => np.sum(np.logicalNot(np.isfinite(p))))
  const numNotFinite = counts.length === 0 ? np.array(0) : np.sum(np.stack(counts))
  const shouldSkip = numNotFinite.gt(0)
  return [shouldSkip, { shouldSkip, numNotFinite }]
}

/**
 * A `ShouldSkipUpdateFn` that skips updates whose squared global norm is not below
 * `maxSquaredNorm` (optax's `skip_large_updates`); the kept state is `{ shouldSkip, normSquared }`.
 *
 * @example
 * const opt = new optim.MultiSteps(optim.adam(1e-3), 4, { shouldSkipUpdateFn: optim.skipLargeUpdates(100) })
 */
export const skipLargeUpdates =
  (maxSquaredNorm: number): ShouldSkipUpdateFn =>
  (updates) => {
    const normSquared = treeNormSquared(updates)
    const shouldSkip = np.logicalNot(normSquared.lt(maxSquaredNorm))
    return [shouldSkip, { shouldSkip, normSquared }]
  }

/** The state of `MultiSteps`. */
export interface MultiStepsState<S> {
  /** The mini-step within the current accumulation (0 .. k-1), int32. */
  readonly miniStep: Array
  /** The number of inner updates applied so far, int32. */
  readonly gradientStep: Array
  readonly innerOptState: S
  /** The accumulated (averaged or summed) gradients. */
  readonly accGrads: Updates
  /** What `shouldSkipUpdateFn` returned last (empty without one). */
  readonly skipState: unknown
}

export interface MultiStepsOptions {
  /** Average the accumulated gradients (true, the default) or sum them. */
  readonly useGradMean?: boolean
  /** Skip a step entirely (no accumulation, no inner update) when this says so. */
  readonly shouldSkipUpdateFn?: ShouldSkipUpdateFn
}
const MULTI_STEPS_KEYS = optionKeys<MultiStepsOptions>()("useGradMean", "shouldSkipUpdateFn")

/**
 * Gradient accumulation (optax's `MultiSteps`): gather the gradients of `k` mini-steps (`k` a
 * number or a schedule of the number of applied updates), then run the inner optimizer once on
 * their mean; the other mini-steps give zero updates. It is a `GradientTransformation`, so
 * `init`/`update` are used as for any optimizer; `hasUpdated(state)` says whether the last update
 * applied the inner optimizer.
 *
 * @example
 * const f = (p: { w: JaxArray }) => np.sum(np.square(p.w))
 * let params = { w: np.array([1, -2, 3], { dtype: "float32" }) }
 * const grads = grad(f)(params)
 * const opt = new optim.MultiSteps(optim.adam(1e-3), 4)
 * let state = opt.init(params)
 * const [updates, state2] = opt.update(grads, state, params)
 */
export class MultiSteps<S> implements GradientTransformation<MultiStepsState<S>> {
  private readonly everyK: (step: Array) => Array | number
  private readonly useGradMean: boolean
  private readonly shouldSkip: ShouldSkipUpdateFn

  constructor(
    readonly innerOpt: GradientTransformation<S>,
    everyKSchedule: number | ((step: Array) => Array | number),
    options?: MultiStepsOptions
  ) {
    checkOptions("optim.MultiSteps", options, MULTI_STEPS_KEYS)
    if (typeof everyKSchedule === "number" && (!Number.isInteger(everyKSchedule) || everyKSchedule < 1)) {
      throw new ValueError(`optim.MultiSteps: every k must be a positive integer, got ${everyKSchedule}.`)
    }
    this.everyK = typeof everyKSchedule === "number" ? () => everyKSchedule : everyKSchedule
    this.useGradMean = options?.useGradMean ?? true
    this.shouldSkip = options?.shouldSkipUpdateFn ?? (() => [np.array(false), null])
  }

  /** The initial state: counters at 0, zero accumulators, the inner optimizer's state. */
  readonly init = <P>(params: P): MultiStepsState<S> => {
    const gradientStep = zeroCount()
    const [, skipState] = this.shouldSkip(zerosLike(params), gradientStep, params)
    return {
      miniStep: zeroCount(),
      gradientStep,
      innerOptState: this.innerOpt.init(params),
      accGrads: mapArrays((p) => np.zerosLike(p, { dtype: "float32" }), params),
      skipState
    }
  }

  /** Accumulate `updates`; on every k-th mini-step, apply the inner optimizer to the average. */
  readonly update = <U>(updates: U, state: MultiStepsState<S>, params?: U, extra?: ExtraArgs<U>): [U, MultiStepsState<S>] => {
    const k = this.everyK(state.gradientStep)
    const [skip, skipState] = this.shouldSkip(updates, state.gradientStep, params)
    if (skip.dtype !== "bool" || skip.ndim !== 0) {
      throw new ValueError(
        `optim.MultiSteps: shouldSkipUpdateFn must return a scalar bool Array, got dtype ${skip.dtype} and shape [${skip.shape.join(", ")}].`
      )
    }
    const n = state.miniStep
    const accGrads = mapArrays((g, acc) => (this.useGradMean ? acc.add(g.sub(acc).div(n.add(1))) : g.add(acc)), updates, state.accGrads)
    const castAcc = mapArrays((a, g) => a.astype(g.dtype), accGrads, updates)
    const [innerUpdates, newInner] = this.innerOpt.update(castAcc as U, state.innerOptState, params, extra)
    const emit = n.eq(np.subtract(k, 1))
    const notEmit = np.subtract(1, emit)
    const done: MultiStepsState<S> = {
      miniStep: np.mod(safeIncrement(n), k),
      gradientStep: np.multiply(emit, safeIncrement(state.gradientStep)).add(np.multiply(notEmit, state.gradientStep)),
      innerOptState: mapArrays((st, nst) => np.where(emit, nst, st).astype(st.dtype), state.innerOptState, newInner) as S,
      accGrads: mapArrays((ga) => np.multiply(notEmit, ga).astype("float32"), accGrads),
      skipState
    }
    const doneUpdates = mapArrays((u) => np.multiply(emit, u), innerUpdates)
    // optax chooses between the two with lax.cond; both are pure, so selecting gives its values.
    const skipped: MultiStepsState<S> = { ...state, skipState }
    const out = mapArrays((u) => np.where(skip, np.zerosLike(u), u), doneUpdates)
    return [out as U, treeWhere(skip, skipped, done) as MultiStepsState<S>]
  }

  /** Whether the last `update` applied the inner optimizer (optax's `has_updated`). */
  hasUpdated(state: MultiStepsState<S>): Array {
    return np.logicalAnd(state.miniStep.eq(0), state.gradientStep.gt(0))
  }
}
