/**
 * Rescalings outside the Adam family (optax's `scale_by_rss`, `scale_by_adadelta`,
 * `scale_by_sign`, `scale_by_rprop`, `scale_by_sm3`, `scale_by_trust_ratio`,
 * `scale_by_param_block_norm`, `scale_by_param_block_rms`, `normalize_by_update_norm`,
 * `scale_by_optimistic_gradient`, `centralize`, `scale_by_polyak`), with optax's equations and
 * defaults.
 */
import { type Array, lax, np, tree, ValueError } from "../../index.js"
import { checkOneOf, checkOptions, optionKeys } from "../../core/options.js"
import { type EmptyState, fullLike, type GradientTransformation, mapArrays, type Updates, zerosLike } from "./base.js"
import { safeNorm, safeRootMeanSquares, treeNormSquared, updateMoment } from "./tree-math.js"

const needParams = (name: string): ValueError => new ValueError(`optim.${name} reads the parameters: call update(grads, state, params).`)

/** The state of `scaleByRss`: the running sum of squared gradients. */
export interface RssState {
  readonly sumOfSquares: Updates
}

export const SCALE_BY_RSS_KEYS = optionKeys<NonNullable<Parameters<typeof scaleByRss>[0]>>()("initialAccumulatorValue", "eps")

/**
 * Adagrad's rescaling (optax's `scale_by_rss`): `s' = s + g^2`, `update = g / sqrt(s' + eps)`
 * (0 where `s'` is 0).
 *
 * @example
 * const opt = optim.chain(optim.scaleByRss({ initialAccumulatorValue: 0.1 }), optim.scaleByLearningRate(0.1))
 */
export const scaleByRss = (options?: {
  /** The starting sum of squares. Default 0.1. */
  readonly initialAccumulatorValue?: number
  /** Default 1e-7. */
  readonly eps?: number
}): GradientTransformation<RssState> => {
  checkOptions("optim.scaleByRss", options, SCALE_BY_RSS_KEYS)
  const initial = options?.initialAccumulatorValue ?? 0.1
  const eps = options?.eps ?? 1e-7
  return {
    init: (params) => ({ sumOfSquares: fullLike(params, initial) }),
    update: <U>(updates: U, state: RssState): [U, RssState] => {
      const sumOfSquares = mapArrays((g, t) => g.mul(g).add(t), updates, state.sumOfSquares)
      const out = mapArrays((t, g) => np.where(t.gt(0), lax.rsqrt(t.add(eps)), 0).mul(g), sumOfSquares, updates)
      return [out as U, { sumOfSquares }]
    }
  }
}

/** The state of `scaleByAdadelta`: averages of squared gradients and of squared updates. */
export interface AdadeltaState {
  readonly eG: Updates
  readonly eX: Updates
}

export const SCALE_BY_ADADELTA_KEYS = optionKeys<NonNullable<Parameters<typeof scaleByAdadelta>[0]>>()("rho", "eps")

/**
 * Adadelta's rescaling (optax's `scale_by_adadelta`, Zeiler 2012):
 * `update = sqrt(E[dx^2] + eps) / sqrt(E[g^2]' + eps) * g`, then `E[dx^2]` is updated with it.
 *
 * @example
 * const opt = optim.chain(optim.scaleByAdadelta({ rho: 0.95 }), optim.scaleByLearningRate(1))
 */
export const scaleByAdadelta = (options?: {
  /** Decay of both averages. Default 0.9. */
  readonly rho?: number
  /** Default 1e-6. */
  readonly eps?: number
}): GradientTransformation<AdadeltaState> => {
  checkOptions("optim.scaleByAdadelta", options, SCALE_BY_ADADELTA_KEYS)
  const rho = options?.rho ?? 0.9
  const eps = options?.eps ?? 1e-6
  return {
    init: (params) => ({ eG: zerosLike(params), eX: zerosLike(params) }),
    update: <U>(updates: U, state: AdadeltaState): [U, AdadeltaState] => {
      const eG = updateMoment(updates, state.eG, rho, 2)
      const out = mapArrays(
        (g, eg, ex) =>
          np
            .sqrt(ex.add(eps))
            .div(np.sqrt(eg.add(eps)))
            .mul(g),
        updates,
        eG,
        state.eX
      )
      return [out as U, { eG, eX: updateMoment(out, state.eX, rho, 2) }]
    }
  }
}

/**
 * Replace every update by its sign (optax's `scale_by_sign`), as in signSGD.
 *
 * @example
 * const opt = optim.chain(optim.scaleBySign(), optim.scaleByLearningRate(1e-3))
 */
export const scaleBySign = (): GradientTransformation<EmptyState> => ({
  init: () => null,
  update: <U>(updates: U, state: EmptyState): [U, EmptyState] => [mapArrays((g) => np.sign(g), updates) as U, state]
})

/** The state of `scaleByRprop`: per-element step sizes and the previous updates. */
export interface RpropState {
  readonly stepSizes: Updates
  readonly prevUpdates: Updates
}

export interface ScaleByRpropOptions {
  /** Factor on the step size when the gradient changes sign. Default 0.5. */
  readonly etaMinus?: number
  /** Factor on the step size when the sign stays. Default 1.2. */
  readonly etaPlus?: number
  /** Default 1e-6. */
  readonly minStepSize?: number
  /** Default 50. */
  readonly maxStepSize?: number
}
export const SCALE_BY_RPROP_KEYS = optionKeys<ScaleByRpropOptions>()("etaMinus", "etaPlus", "minStepSize", "maxStepSize")

/**
 * Rprop's rescaling (optax's `scale_by_rprop`, Riedmiller and Braun 1993): a step size per
 * element grows by `etaPlus` while the gradient keeps its sign, shrinks by `etaMinus` when it
 * flips (and that step is skipped); the update is `stepSize * sign(g)` (not negated: `rprop`
 * chains `scale(-1)`). As in optax, each step applies the update computed on the step before
 * (so the first step moves nothing).
 *
 * @example
 * const opt = optim.chain(optim.scaleByRprop(0.01), optim.scale(-1))
 */
export const scaleByRprop = (learningRate: number, options?: ScaleByRpropOptions): GradientTransformation<RpropState> => {
  checkOptions("optim.scaleByRprop", options, SCALE_BY_RPROP_KEYS)
  const etaMinus = options?.etaMinus ?? 0.5
  const etaPlus = options?.etaPlus ?? 1.2
  const minStep = options?.minStepSize ?? 1e-6
  const maxStep = options?.maxStepSize ?? 50
  return {
    init: (params) => ({ stepSizes: fullLike(params, learningRate), prevUpdates: zerosLike(params) }),
    update: <U>(updates: U, state: RpropState): [U, RpropState] => {
      const sign = mapArrays((g, prev) => g.mul(prev), updates, state.prevUpdates)
      const stepSizes = mapArrays(
        (s, step) => np.where(s.eq(0), step, np.clip(step.mul(np.where(s.gt(0), etaPlus, etaMinus)), minStep, maxStep)),
        sign,
        state.stepSizes
      )
      const prevUpdates = mapArrays((s, g, step) => np.where(s.lt(0), np.zerosLike(g), step.mul(np.sign(g))), sign, updates, stepSizes)
      // optax returns the previous step's updates (its state), not the ones just computed.
      const out = mapArrays((s, prev) => np.where(s.lt(0), np.zerosLike(prev), prev), sign, state.prevUpdates)
      return [out as U, { stepSizes, prevUpdates }]
    }
  }
}

/** The state of `scaleBySm3`: per leaf, one accumulator per axis; and the momentum. */
export interface Sm3State {
  /** A tree with one list of per-axis accumulators (`[shape[i]]` each) in place of every leaf. */
  readonly mu: unknown
  readonly nu: Updates
}

/** `shape[axis]` at `axis` and 1 elsewhere. */
const axisShape = (shape: ReadonlyArray<number>, axis: number): number[] => shape.map((d, i) => (i === axis ? d : 1))

export const SCALE_BY_SM3_KEYS = optionKeys<NonNullable<Parameters<typeof scaleBySm3>[0]>>()("b1", "b2", "eps")

/**
 * SM3's rescaling (optax's `scale_by_sm3`, Anil et al. 2019): memory-efficient adaptive
 * preconditioning that keeps one accumulator per axis of each parameter (a cover of its
 * elements) instead of one per element, followed by momentum `b1`. Parameters need rank >= 1.
 *
 * @example
 * const opt = optim.chain(optim.scaleBySm3(), optim.scale(-0.1))
 */
export const scaleBySm3 = (options?: {
  /** Momentum decay. Default 0.9. */
  readonly b1?: number
  /** Decay of the accumulators; 1 (the default) sums squared gradients without decay. */
  readonly b2?: number
  /** Default 1e-8. */
  readonly eps?: number
}): GradientTransformation<Sm3State> => {
  checkOptions("optim.scaleBySm3", options, SCALE_BY_SM3_KEYS)
  const b1 = options?.b1 ?? 0.9
  const b2 = options?.b2 ?? 1
  const eps = options?.eps ?? 1e-8
  const c0 = b2 !== 1 ? 1 - b2 : 1
  const otherAxes = (axis: number, ndim: number): number[] => [...globalThis.Array(ndim).keys()].filter((i) => i !== axis)
  const leafRank = (x: Array): Array => {
    if (x.ndim === 0) {
      throw new ValueError("optim.scaleBySm3 (and sm3) needs parameters of rank >= 1; reshape scalars to [1].")
    }
    return x
  }
  return {
    init: (params) => {
      const [leaves, def] = tree.flatten(params)
      const mu = leaves.map((l) => {
        const x = leafRank(l as Array)
        return x.shape.map((d) => np.zeros([d], { dtype: x.dtype }))
      })
      return { mu: tree.unflatten(def, mu), nu: zerosLike(params) }
    },
    update: <U>(updates: U, state: Sm3State): [U, Sm3State] => {
      const [gs, def] = tree.flatten(updates)
      const mus = tree.flattenUpTo(def, state.mu) as ReadonlyArray<ReadonlyArray<Array>>
      const accum = gs.map((l, k) => {
        const g = leafRank(l as Array)
        const v = mus[k]!.map((m, i) => m.reshape(axisShape(g.shape, i)))
        const cover = g.ndim < 2 ? v[0]! : v.reduce((a, b) => np.minimum(a, b))
        return g.square().mul(c0).add(cover.mul(b2))
      })
      const up = gs.map((l, k) => {
        const t = accum[k]!
        return (l as Array).mul(np.where(t.gt(0), lax.rsqrt(t.add(eps)), 0))
      })
      const nu = updateMoment(tree.unflatten(def, up), state.nu, b1, 1)
      const mu = accum.map((a) => (a.ndim < 2 ? [a] : a.shape.map((_, i) => np.max(a, { axis: otherAxes(i, a.ndim) }))))
      return [nu as U, { mu: tree.unflatten(def, mu), nu }]
    }
  }
}

export const SCALE_BY_TRUST_RATIO_KEYS = optionKeys<NonNullable<Parameters<typeof scaleByTrustRatio>[0]>>()("minNorm", "trustCoefficient", "eps")

/**
 * Scale each leaf's update by its trust ratio `trustCoefficient * ||param|| / (||update|| + eps)`
 * (1 where either norm is 0), as LARS and LAMB do (optax's `scale_by_trust_ratio`). Needs
 * `params`.
 *
 * @example
 * const lamb = optim.chain(optim.scaleByAdam({ eps: 1e-6 }), optim.scaleByTrustRatio(), optim.scaleByLearningRate(1e-3))
 */
export const scaleByTrustRatio = (options?: {
  /** Norms below this count as this. Default 0. */
  readonly minNorm?: number
  /** Default 1. */
  readonly trustCoefficient?: number
  /** Default 0. */
  readonly eps?: number
}): GradientTransformation<EmptyState> => {
  checkOptions("optim.scaleByTrustRatio", options, SCALE_BY_TRUST_RATIO_KEYS)
  const minNorm = options?.minNorm ?? 0
  const coefficient = options?.trustCoefficient ?? 1
  const eps = options?.eps ?? 0
  return {
    init: () => null,
    update: <U>(updates: U, state: EmptyState, params?: U): [U, EmptyState] => {
      if (params === undefined) throw needParams("scaleByTrustRatio (and lamb, lars, fromage)")
      const out = mapArrays(
        (u, p) => {
          const paramNorm = safeNorm(p, minNorm)
          const updateNorm = safeNorm(u, minNorm)
          const ratio = np.multiply(coefficient, paramNorm).div(updateNorm.add(eps))
          const zero = np.logicalOr(paramNorm.eq(0), updateNorm.eq(0))
          return u.mul(np.where(zero, np.ones([], { dtype: p.dtype }), ratio))
        },
        updates,
        params
      )
      return [out as U, state]
    }
  }
}

/**
 * Scale each leaf's update by the L2 norm of its parameter, at least `minScale` (optax's
 * `scale_by_param_block_norm`). Needs `params`.
 *
 * @example
 * const opt = optim.chain(optim.scaleByParamBlockNorm(), optim.scale(-1e-2))
 */
export const scaleByParamBlockNorm = (minScale = 1e-3): GradientTransformation<EmptyState> => ({
  init: () => null,
  update: <U>(updates: U, state: EmptyState, params?: U): [U, EmptyState] => {
    if (params === undefined) throw needParams("scaleByParamBlockNorm")
    return [mapArrays((u, p) => u.mul(safeNorm(p, minScale)), updates, params) as U, state]
  }
})

/**
 * Scale each leaf's update by the root mean square of its parameter, at least `minScale`
 * (optax's `scale_by_param_block_rms`, used by Adafactor). Needs `params`.
 *
 * @example
 * const opt = optim.chain(optim.scaleByParamBlockRms(), optim.scale(-1e-2))
 */
export const scaleByParamBlockRms = (minScale = 1e-3): GradientTransformation<EmptyState> => ({
  init: () => null,
  update: <U>(updates: U, state: EmptyState, params?: U): [U, EmptyState] => {
    if (params === undefined) throw needParams("scaleByParamBlockRms (and adafactor)")
    return [mapArrays((u, p) => u.mul(safeRootMeanSquares(p, minScale)), updates, params) as U, state]
  }
})

export const NORMALIZE_BY_UPDATE_NORM_KEYS = optionKeys<NonNullable<Parameters<typeof normalizeByUpdateNorm>[0]>>()("scaleFactor", "eps")

/**
 * Divide all updates by their global L2 norm (plus `eps`), times `scaleFactor` (optax's
 * `normalize_by_update_norm`).
 *
 * @example
 * const opt = optim.chain(optim.normalizeByUpdateNorm(), optim.scale(-0.1))
 */
export const normalizeByUpdateNorm = (options?: {
  /** Default 1. */
  readonly scaleFactor?: number
  /** Default 1e-6. */
  readonly eps?: number
}): GradientTransformation<EmptyState> => {
  checkOptions("optim.normalizeByUpdateNorm", options, NORMALIZE_BY_UPDATE_NORM_KEYS)
  const factor = options?.scaleFactor ?? 1
  const eps = options?.eps ?? 1e-6
  return {
    init: () => null,
    update: <U>(updates: U, state: EmptyState): [U, EmptyState] => {
      const gNorm = np.sqrt(treeNormSquared(updates)).add(eps).div(factor)
      return [mapArrays((g) => g.div(gNorm), updates) as U, state]
    }
  }
}

/** The state of `scaleByOptimisticGradient`: whether no step was taken yet, and the last gradient. */
export interface OptimisticGradientState {
  readonly isInitialStep: Array
  readonly previousGradient: Updates
}

export const SCALE_BY_OPTIMISTIC_GRADIENT_KEYS = optionKeys<NonNullable<Parameters<typeof scaleByOptimisticGradient>[0]>>()("alpha", "beta")

/**
 * The optimistic gradient step (optax's `scale_by_optimistic_gradient`, for min-max games):
 * `update = (alpha + beta) g - beta g_prev` (with `g_prev = g` on the first step).
 *
 * @example
 * const ogda = optim.chain(optim.scaleByOptimisticGradient(), optim.scaleByLearningRate(0.01))
 */
export const scaleByOptimisticGradient = (options?: {
  /** Default 1. */
  readonly alpha?: number
  /** Default 1. */
  readonly beta?: number
}): GradientTransformation<OptimisticGradientState> => {
  checkOptions("optim.scaleByOptimisticGradient", options, SCALE_BY_OPTIMISTIC_GRADIENT_KEYS)
  const alpha = options?.alpha ?? 1
  const beta = options?.beta ?? 1
  return {
    init: (params) => ({ isInitialStep: np.array(true), previousGradient: zerosLike(params) }),
    update: <U>(updates: U, state: OptimisticGradientState): [U, OptimisticGradientState] => {
      const out = mapArrays(
        (g, prev) => {
          const p = np.where(state.isInitialStep, g, prev)
          return np.multiply(alpha + beta, g).sub(np.multiply(beta, p))
        },
        updates,
        state.previousGradient
      )
      return [out as U, { isInitialStep: np.array(false), previousGradient: updates }]
    }
  }
}

/**
 * Gradient centralization (optax's `centralize`): subtract from every leaf of rank >= 2 its mean
 * over all axes but the first.
 *
 * @example
 * const opt = optim.chain(optim.centralize(), optim.sgd(0.1))
 */
export const centralize = (): GradientTransformation<EmptyState> => ({
  init: () => null,
  update: <U>(updates: U, state: EmptyState): [U, EmptyState] => {
    const out = mapArrays((g) => {
      if (g.ndim <= 1) return g
      const axes = [...globalThis.Array(g.ndim).keys()].slice(1)
      return g.sub(np.mean(g, { axis: axes, keepdims: true }))
    }, updates)
    return [out as U, state]
  }
})

export interface ScaleByPolyakOptions {
  /** A lower bound of the objective. Default 0. */
  readonly fMin?: number
  /** The largest step size. Default 1. */
  readonly maxLearningRate?: number
  /** Added to the squared gradient norm. Default 0. */
  readonly eps?: number
  /** `"sps"` (the default) or `"sps+"`, which clips a negative gap `value - fMin` to 0. */
  readonly variant?: "sps" | "sps+"
}
export const SCALE_BY_POLYAK_KEYS = optionKeys<ScaleByPolyakOptions>()("fMin", "maxLearningRate", "eps", "variant")

/**
 * The Polyak step size (optax's `scale_by_polyak`, Loizou et al. 2021):
 * `update = min((value - fMin) / (||g||^2 + eps), maxLearningRate) * g` (0 when the gradient
 * vanishes). Needs the objective's value: `update(grads, state, params, { value })`.
 *
 * @example
 * const loss = (p: { w: JaxArray }) => np.sum(np.square(p.w))
 * const params = { w: np.array([1, -2, 3], { dtype: "float32" }) }
 * const opt = optim.scaleByPolyak()
 * const state = opt.init(params)
 * const [value, grads] = valueAndGrad(loss)(params)
 * const [updates, state2] = opt.update(grads, state, params, { value })
 */
export const scaleByPolyak = (options?: ScaleByPolyakOptions): GradientTransformation<EmptyState> => {
  checkOptions("optim.scaleByPolyak", options, SCALE_BY_POLYAK_KEYS)
  checkOneOf("optim.scaleByPolyak", "variant", options?.variant, ["sps", "sps+"])
  const fMin = options?.fMin ?? 0
  const maxLr = options?.maxLearningRate ?? 1
  const eps = options?.eps ?? 0
  const variant = options?.variant ?? "sps"
  return {
    init: () => null,
    update: (updates, state, _params, extra) => {
      const value = extra?.value
      if (value === undefined) {
        throw new ValueError("optim.scaleByPolyak (and polyakSgd) needs the objective's value: update(grads, state, params, { value }).")
      }
      const sq = treeNormSquared(updates)
      let gap = np.subtract(value, fMin).astype(sq.dtype)
      if (variant === "sps+") gap = np.maximum(gap, 0)
      const denominator = sq.add(eps)
      // optax compares with the float64 machine epsilon (`jnp.finfo(float).eps`).
      const step = np.where(denominator.le(2.220446049250313e-16), np.zeros([], { dtype: "float32" }), np.minimum(gap.div(denominator), maxLr))
      return [mapArrays((g) => step.mul(g), updates) as typeof updates, state]
    }
  }
}
