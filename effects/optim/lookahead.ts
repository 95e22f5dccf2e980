/**
 * The Lookahead optimizer (optax's `lookahead`, Zhang et al. 2019): a fast optimizer takes
 * `syncPeriod` steps, then the slow weights move a fraction of the way towards the fast ones and
 * the fast weights restart from there. Params are a pair `{ fast, slow }`.
 */
import { type Array, np, ValueError } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"
import { type ExtraArgs, type GradientTransformation, mapArrays, zeroCount } from "./base.js"

/** The parameters of `lookahead`: the fast weights (trained) and the slow weights. */
export interface LookaheadParams<P> {
  readonly fast: P
  readonly slow: P
}

/**
 * Lookahead parameters with fast and slow weights both equal to `params` (optax's
 * `LookaheadParams.init_synced`).
 *
 * @example
 * const initial = { w: np.zeros([3]) }
 * let params = optim.lookaheadParams(initial)   // { fast: initial, slow: initial }
 */
export const lookaheadParams = <P>(params: P): LookaheadParams<P> => ({ fast: params, slow: params })

/** The state of `lookahead`: the fast optimizer's state and the steps since the last sync. */
export interface LookaheadState<S> {
  readonly fastState: S
  readonly stepsSinceSync: Array
}

/**
 * Lookahead's update: gradients (taken at `params.fast`) go in, updates for both the fast and the
 * slow weights come out, so `applyUpdates(params, updates)` steps both. Not chainable (its
 * updates have a different structure from its gradients), as in optax.
 */
export interface Lookahead<S> {
  /** The initial state, from lookahead params (or the fast params alone). */
  init<P>(params: LookaheadParams<P> | P): LookaheadState<S>
  update<P>(grads: P, state: LookaheadState<S>, params: LookaheadParams<P>, extra?: ExtraArgs<P>): [LookaheadParams<P>, LookaheadState<S>]
}

const isLookaheadParams = (p: unknown): p is LookaheadParams<unknown> =>
  typeof p === "object" && p !== null && "fast" in p && "slow" in p && Object.keys(p).length === 2

const LOOKAHEAD_KEYS = optionKeys<NonNullable<Parameters<typeof lookahead>[3]>>()("resetState")

/**
 * Wrap `fastOptimizer` in Lookahead (optax's `lookahead`): every `syncPeriod` steps the slow
 * weights become `slow + slowStepSize * (fast - slow)` and the fast weights are reset to them;
 * with `resetState` the fast optimizer's state is re-initialized at each sync.
 *
 * @example
 * const loss = (p: { w: JaxArray }) => np.sum(np.square(p.w.sub(1)))
 * const initial = { w: np.zeros([3]) }
 * const opt = optim.lookahead(optim.adam(1e-3), 5, 0.5)
 * let params = optim.lookaheadParams(initial)
 * let state = opt.init(params)
 * const grads = grad(loss)(params.fast)
 * const [updates, state2] = opt.update(grads, state, params)
 * params = optim.applyUpdates(params, updates)
 */
export const lookahead = <S>(
  fastOptimizer: GradientTransformation<S>,
  syncPeriod: number,
  slowStepSize: number,
  options?: { readonly resetState?: boolean }
): Lookahead<S> => {
  checkOptions("optim.lookahead", options, LOOKAHEAD_KEYS)
  if (!Number.isInteger(syncPeriod) || syncPeriod < 1) {
    throw new ValueError(`optim.lookahead: syncPeriod must be an integer >= 1, got ${syncPeriod}.`)
  }
  const resetState = options?.resetState === true
  return {
    init: (params) => ({
      fastState: fastOptimizer.init(isLookaheadParams(params) ? params.fast : params),
      stepsSinceSync: zeroCount()
    }),
    update: (grads, state, params, extra) => {
      const [fastUpdates, fastState0] = fastOptimizer.update(grads, state.fastState, params.fast, extra)
      const syncNext = state.stepsSinceSync.eq(syncPeriod - 1)
      const lastDifference = mapArrays((f, u, s) => f.add(u).sub(s), params.fast, fastUpdates, params.slow)
      const slow = mapArrays((d) => np.multiply(slowStepSize, syncNext).mul(d), lastDifference)
      const fast = mapArrays((u, d) => u.sub(np.multiply(syncNext, 1 - slowStepSize).mul(d)), fastUpdates, lastDifference)
      let fastState = fastState0
      if (resetState) {
        const initial = fastOptimizer.init(params.fast)
        fastState = mapArrays((current, init) => np.subtract(1, syncNext).mul(current).add(np.multiply(syncNext, init)), fastState0, initial) as S
      }
      const stepsSinceSync = np.mod(state.stepsSinceSync.add(1), syncPeriod)
      return [{ fast, slow } as LookaheadParams<typeof grads>, { fastState, stepsSinceSync }]
    }
  }
}
