/**
 * L-BFGS (optax's `scale_by_lbfgs` and `lbfgs`; Nocedal and Wright, Algorithm 7.4): the update
 * direction is the gradient preconditioned by an approximation of the inverse Hessian built from
 * the last `memorySize` differences of params and gradients, with the two-loop recursion. Also
 * `valueAndGradFromState`, which reuses the value and gradient a line search computed.
 */
import { type Array, lax, np, stopGradient, valueAndGrad, ValueError } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"
import { chain, type GradientTransformation, identity, mapArrays, safeIncrement, zeroCount, zerosLike } from "./base.js"
import type { ScalarOrSchedule } from "./schedules.js"
import { type LearningRateState, scale, scaleByLearningRate } from "./transforms.js"
import { castLike, treeAddScale, treeNormSquared, treeScale, treeSub, treeVdot } from "./tree-math.js"
import { scaleByZoomLinesearch } from "./linesearch-zoom.js"

/** The state of `scaleByLbfgs`. */
export interface LbfgsState {
  readonly count: Array
  /** The params and updates (gradients) of the previous step. */
  readonly params: unknown
  readonly updates: unknown
  /** The last `memorySize` differences of params, stacked on a leading axis, per leaf. */
  readonly diffParamsMemory: unknown
  /** The last `memorySize` differences of gradients, stacked likewise. */
  readonly diffUpdatesMemory: unknown
  /** `1 / <dg, dp>` for each stored pair (float32 [memorySize]). */
  readonly weightsMemory: Array
}

/** Row `idx` of every leaf of a stacked memory. */
const row = (memory: unknown, idx: Array): unknown => mapArrays((x) => x.index(idx), memory)

/** The two-loop recursion: `H g` for the inverse-Hessian approximation `H` in the memory. */
const precondition = (updates: unknown, diffParams: unknown, diffUpdates: unknown, rhos: Array, identityScale: Array | number, memoryIdx: Array): unknown => {
  const m = rhos.shape[0]!
  const indices = np.mod(np.arange(m, { dtype: "int32" }).add(memoryIdx), m)
  const [afterRight, alphas] = lax.scan(
    (vec: unknown, idx: Array) => {
      const alpha = rhos.index(idx).mul(treeVdot(row(diffParams, idx), vec))
      return [castLike(treeAddScale(vec, alpha.neg(), row(diffUpdates, idx)), vec), alpha] as const
    },
    updates,
    indices,
    { reverse: true }
  )
  const scaled = treeScale(identityScale, afterRight)
  const [out] = lax.scan(
    (vec: unknown, x: readonly [Array, Array]) => {
      const [idx, alpha] = x
      const beta = rhos.index(idx).mul(treeVdot(row(diffUpdates, idx), vec))
      return [castLike(treeAddScale(vec, alpha.sub(beta), row(diffParams, idx)), vec), null] as const
    },
    scaled,
    [indices, alphas] as const
  )
  return out
}

const SCALE_BY_LBFGS_KEYS = optionKeys<NonNullable<Parameters<typeof scaleByLbfgs>[0]>>()("memorySize", "scaleInitPrecond")

/**
 * L-BFGS's preconditioning (optax's `scale_by_lbfgs`): returns the preconditioned gradient
 * (not negated; `lbfgs` chains the sign flip and a line search). With `scaleInitPrecond` the
 * initial inverse Hessian is scaled by `<dg, dp> / <dg, dg>` (and the first step by
 * `min(1, 1/||g||)`). Needs `params`.
 *
 * @example
 * const opt = optim.chain(optim.scaleByLbfgs(), optim.scale(-0.5))
 */
export const scaleByLbfgs = (options?: {
  /** How many past pairs to keep. Default 10. */
  readonly memorySize?: number
  /** Scale the initial inverse Hessian as above. Default true. */
  readonly scaleInitPrecond?: boolean
}): GradientTransformation<LbfgsState> => {
  checkOptions("optim.scaleByLbfgs", options, SCALE_BY_LBFGS_KEYS)
  const memorySize = options?.memorySize ?? 10
  const scaleInit = options?.scaleInitPrecond ?? true
  if (!Number.isInteger(memorySize) || memorySize < 1) {
    throw new ValueError(`optim.scaleByLbfgs: memorySize must be an integer >= 1, got ${memorySize}.`)
  }
  return {
    init: (params) => {
      const stacked = mapArrays((p) => np.zeros([memorySize, ...p.shape], { dtype: p.dtype }), params)
      return {
        count: zeroCount(),
        params: zerosLike(params),
        updates: zerosLike(params),
        diffParamsMemory: stacked,
        diffUpdatesMemory: stacked,
        weightsMemory: np.zeros([memorySize], { dtype: "float32" })
      }
    },
    update: <U>(updates: U, state: LbfgsState, params?: U): [U, LbfgsState] => {
      if (params === undefined) {
        throw new ValueError("optim.scaleByLbfgs (and lbfgs) needs the parameters: call update(grads, state, params, ...).")
      }
      const memoryIdx = np.mod(state.count, memorySize)
      const prevIdx = np.mod(state.count.sub(1), memorySize)
      const started = state.count.gt(0)
      const dpRaw = treeSub(params, state.params)
      const duRaw = treeSub(updates, state.updates)
      const vdotRaw = treeVdot(duRaw, dpRaw)
      const weightRaw = np.where(vdotRaw.eq(0), 0, np.divide(1, vdotRaw))
      const [dp, du, weight] = mapArrays((x) => np.where(started, x, np.zerosLike(x)), [dpRaw, duRaw, weightRaw]) as [unknown, unknown, Array]
      const store = (memory: unknown, v: unknown): unknown => mapArrays((x, y) => x.at(prevIdx).set(y), memory, v)
      const diffParamsMemory = store(state.diffParamsMemory, dp)
      const diffUpdatesMemory = store(state.diffUpdatesMemory, du)
      const weightsMemory = state.weightsMemory.at(prevIdx).set(weight)
      let identityScale: Array | number = 1
      if (scaleInit) {
        const numerator = treeVdot(du, dp)
        const denominator = treeNormSquared(du)
        const scaled = np.where(denominator.gt(0), numerator.div(denominator), 1)
        const updateNorm = np.sqrt(treeNormSquared(mapArrays((x) => stopGradient(x), updates)))
        identityScale = np.where(started, scaled, np.minimum(1, np.divide(1, updateNorm)))
      }
      const out = precondition(updates, diffParamsMemory, diffUpdatesMemory, weightsMemory, identityScale, memoryIdx)
      return [
        out as U,
        {
          count: safeIncrement(state.count),
          params,
          updates,
          diffParamsMemory,
          diffUpdatesMemory,
          weightsMemory
        }
      ]
    }
  }
}

export interface LbfgsOptions {
  /** A fixed scale of the direction; without one, the line search alone sets the step (`scale(-1)` then the search). */
  readonly learningRate?: ScalarOrSchedule
  /** How many past pairs to keep. Default 10. */
  readonly memorySize?: number
  /** Default true. */
  readonly scaleInitPrecond?: boolean
  /**
   * The line search; default `scaleByZoomLinesearch(20, { initialGuessStrategy: "one" })`, and
   * `null` for none.
   */
  readonly linesearch?: GradientTransformation<unknown> | null
}
const LBFGS_KEYS = optionKeys<LbfgsOptions>()("learningRate", "memorySize", "scaleInitPrecond", "linesearch")

/** The state of `lbfgs`: [preconditioner, scaling, line search]. */
export type LbfgsChainState = [LbfgsState, LearningRateState, unknown]

/**
 * L-BFGS with a zoom line search (optax's `lbfgs`): `chain(scaleByLbfgs(...), scale(-1) (or the
 * learning rate), scaleByZoomLinesearch(20, { initialGuessStrategy: "one" }))`. Its `update`
 * needs the value, the gradient and the objective.
 *
 * @example
 * const f = (p: { w: JaxArray }) => np.sum(np.square(p.w))
 * let params = { w: np.array([1, -2, 3], { dtype: "float32" }) }
 * const opt = optim.lbfgs()
 * let state = opt.init(params)
 * const [value, grads] = valueAndGrad(f)(params)
 * const [updates, state2] = opt.update(grads, state, params, { value, grad: grads, valueFn: f })
 * params = optim.applyUpdates(params, updates)
 */
export const lbfgs = (options?: LbfgsOptions): GradientTransformation<LbfgsChainState> => {
  checkOptions("optim.lbfgs", options, LBFGS_KEYS)
  const base: GradientTransformation<LearningRateState> =
    options?.learningRate === undefined ? (scale(-1) as GradientTransformation<LearningRateState>) : scaleByLearningRate(options.learningRate)
  const linesearch: GradientTransformation<unknown> =
    options?.linesearch === undefined
      ? (scaleByZoomLinesearch(20, { initialGuessStrategy: "one" }) as GradientTransformation<unknown>)
      : options.linesearch === null
        ? (identity() as GradientTransformation<unknown>)
        : options.linesearch
  return chain(
    scaleByLbfgs({
      ...(options?.memorySize === undefined ? {} : { memorySize: options.memorySize }),
      ...(options?.scaleInitPrecond === undefined ? {} : { scaleInitPrecond: options.scaleInitPrecond })
    }),
    base,
    linesearch
  )
}

/** Finds the unique entry named `key` in a state tree (optax's `tree.get`), or undefined. */
const findKey = (t: unknown, key: string): unknown[] => {
  if (t === null || typeof t !== "object") return []
  if (globalThis.Array.isArray(t)) return t.flatMap((x) => findKey(x, key))
  const proto = Object.getPrototypeOf(t)
  if (proto !== Object.prototype && proto !== null) return []
  const own = key in t ? [(t as Record<string, unknown>)[key]] : []
  return [
    ...own,
    ...Object.entries(t)
      .filter(([k]) => k !== key)
      .flatMap(([, v]) => findKey(v, key))
  ]
}

/**
 * `valueAndGrad(valueFn)`, except that where the optimizer state already holds a finite value
 * and its gradient at these params (as the line searches store them), those are returned
 * without evaluating again (optax's `value_and_grad_from_state`).
 *
 * @example
 * const f = (p: { w: JaxArray }) => np.sum(np.square(p.w))
 * const params = { w: np.array([1, -2, 3], { dtype: "float32" }) }
 * const opt = optim.lbfgs()
 * const state = opt.init(params)
 * const vg = optim.valueAndGradFromState(f)
 * const [value, grads] = vg(params, state)
 * const [updates, state2] = opt.update(grads, state, params, { value, grad: grads, valueFn: f })
 */
export const valueAndGradFromState =
  <P>(valueFn: (params: P) => Array) =>
  (params: P, state: unknown): [Array, P] => {
    const values = findKey(state, "value")
    const grads = findKey(state, "grad")
    if (values.length !== 1 || grads.length !== 1 || grads[0] === null) {
      throw new ValueError(
        "optim.valueAndGradFromState: the state must hold exactly one `value` and one `grad` (a line search with the " +
          `gradient stored); found ${values.length} and ${grads.length}.`
      )
    }
    const value = values[0] as Array
    const grad = grads[0] as P
    const fresh = np.logicalAnd(np.logicalNot(np.isinf(value)), np.logicalNot(np.isnan(value)))
    return lax.cond(
      fresh,
      () => [value, grad] as [Array, P],
      (p: P) => valueAndGrad(valueFn)(p) as [Array, P],
      params
    )
  }
