/**
 * The rescalings of the Adam family (optax's `scale_by_amsgrad`, `scale_by_adamax`,
 * `scale_by_belief`, `scale_by_yogi`, `scale_by_radam`, `scale_by_adan`, `scale_by_novograd`,
 * `scale_by_lion`), each with optax's update equations, state and defaults. They compute in the
 * dtype of the updates; the step count is an int32 scalar.
 */
import { type Array, np, ValueError } from "../../index.js"
import { checkOneOf, checkOptions, optionKeys } from "../../core/options.js"
import { fullLike, type GradientTransformation, mapArrays, safeIncrement, type Updates, zeroCount, zerosLike } from "./base.js"
import type { AdamState } from "./transforms.js"
import { biasCorrection, debiasedMomentum, updateMoment } from "./tree-math.js"

/** `m / (sqrt(v + epsRoot) + eps)`, leaf by leaf: Adam's preconditioned step. */
const adamDirection = (muHat: unknown, nuHat: unknown, eps: number, epsRoot: number): unknown =>
  mapArrays((m, v) => m.div(np.sqrt(v.add(epsRoot)).add(eps)), muHat, nuHat)

export interface ScaleByAmsgradOptions {
  /** Decay of the first moment. Default 0.9. */
  readonly b1?: number
  /** Decay of the second moment. Default 0.999. */
  readonly b2?: number
  /** Default 1e-8. */
  readonly eps?: number
  /** Default 0. */
  readonly epsRoot?: number
  /** Bias-correct the first moment. Default true. */
  readonly biasCorrectionMu?: boolean
  /** Bias-correct the second moment before taking the running maximum. Default true. */
  readonly biasCorrectionNu?: boolean
}
export const SCALE_BY_AMSGRAD_KEYS = optionKeys<ScaleByAmsgradOptions>()("b1", "b2", "eps", "epsRoot", "biasCorrectionMu", "biasCorrectionNu")

/** The state of `scaleByAmsgrad`: Adam's moments and the running maximum of the second. */
export interface AmsgradState {
  readonly count: Array
  readonly mu: Updates
  readonly nu: Updates
  readonly nuMax: Updates
}

/**
 * AMSGrad's rescaling (optax's `scale_by_amsgrad`): Adam's step with the running maximum of the
 * (bias-corrected) second moment in the denominator, so the effective step size never grows.
 *
 * @example
 * const opt = optim.chain(optim.scaleByAmsgrad({ b2: 0.99 }), optim.scaleByLearningRate(1e-3))
 */
export const scaleByAmsgrad = (options?: ScaleByAmsgradOptions): GradientTransformation<AmsgradState> => {
  checkOptions("optim.scaleByAmsgrad", options, SCALE_BY_AMSGRAD_KEYS)
  const b1 = options?.b1 ?? 0.9
  const b2 = options?.b2 ?? 0.999
  const eps = options?.eps ?? 1e-8
  const epsRoot = options?.epsRoot ?? 0
  return {
    init: (params) => ({ count: zeroCount(), mu: zerosLike(params), nu: zerosLike(params), nuMax: zerosLike(params) }),
    update: <U>(updates: U, state: AmsgradState): [U, AmsgradState] => {
      const mu = updateMoment(updates, state.mu, b1, 1)
      const nu = updateMoment(updates, state.nu, b2, 2)
      const count = safeIncrement(state.count)
      const muHat = options?.biasCorrectionMu === false ? mu : biasCorrection(mu, b1, count)
      const nuEff = options?.biasCorrectionNu === false ? nu : biasCorrection(nu, b2, count)
      const nuMax = mapArrays((a, b) => np.maximum(a, b), state.nuMax, nuEff)
      return [adamDirection(muHat, nuMax, eps, epsRoot) as U, { count, mu, nu, nuMax }]
    }
  }
}

export interface ScaleByAdamaxOptions {
  /** Decay of the first moment. Default 0.9. */
  readonly b1?: number
  /** Decay of the infinity norm. Default 0.999. */
  readonly b2?: number
  /** Added to `|g|` before the maximum. Default 1e-8. */
  readonly eps?: number
}
export const SCALE_BY_ADAMAX_KEYS = optionKeys<ScaleByAdamaxOptions>()("b1", "b2", "eps")

/**
 * AdaMax's rescaling (optax's `scale_by_adamax`): `nu' = max(|g| + eps, b2 * nu)` (an infinity
 * norm instead of Adam's second moment) and `update = (mu' / (1 - b1^t)) / nu'`.
 *
 * @example
 * const opt = optim.chain(optim.scaleByAdamax(), optim.scaleByLearningRate(2e-3))
 */
export const scaleByAdamax = (options?: ScaleByAdamaxOptions): GradientTransformation<AdamState> => {
  checkOptions("optim.scaleByAdamax", options, SCALE_BY_ADAMAX_KEYS)
  const b1 = options?.b1 ?? 0.9
  const b2 = options?.b2 ?? 0.999
  const eps = options?.eps ?? 1e-8
  return {
    init: (params) => ({ count: zeroCount(), mu: zerosLike(params), nu: zerosLike(params) }),
    update: <U>(updates: U, state: AdamState): [U, AdamState] => {
      const count = safeIncrement(state.count)
      const mu = updateMoment(updates, state.mu, b1, 1)
      const nu = mapArrays((g, t) => np.maximum(g.abs().add(eps), t.mul(b2)), updates, state.nu)
      const out = mapArrays((m, v) => m.div(v), biasCorrection(mu, b1, count), nu)
      return [out as U, { count, mu, nu }]
    }
  }
}

export interface ScaleByBeliefOptions {
  /** Decay of the first moment. Default 0.9. */
  readonly b1?: number
  /** Decay of the second central moment. Default 0.999. */
  readonly b2?: number
  /** Added to the denominator outside the square root. Default 1e-16. */
  readonly eps?: number
  /** Added to the second central moment (and kept in the state). Default 1e-16. */
  readonly epsRoot?: number
  /** Nesterov momentum. Default false. */
  readonly nesterov?: boolean
}
export const SCALE_BY_BELIEF_KEYS = optionKeys<ScaleByBeliefOptions>()("b1", "b2", "eps", "epsRoot", "nesterov")

/**
 * AdaBelief's rescaling (optax's `scale_by_belief`): the second moment is the variance of the
 * prediction error `g - mu'` (the "belief"), `nu' = (1-b2)(g - mu')^2 + b2 nu + epsRoot`.
 *
 * @example
 * const opt = optim.chain(optim.scaleByBelief(), optim.scaleByLearningRate(1e-3))
 */
export const scaleByBelief = (options?: ScaleByBeliefOptions): GradientTransformation<AdamState> => {
  checkOptions("optim.scaleByBelief", options, SCALE_BY_BELIEF_KEYS)
  const b1 = options?.b1 ?? 0.9
  const b2 = options?.b2 ?? 0.999
  const eps = options?.eps ?? 1e-16
  const epsRoot = options?.epsRoot ?? 1e-16
  const nesterov = options?.nesterov === true
  return {
    init: (params) => ({ count: zeroCount(), mu: zerosLike(params), nu: zerosLike(params) }),
    update: <U>(updates: U, state: AdamState): [U, AdamState] => {
      const mu = updateMoment(updates, state.mu, b1, 1)
      const predictionError = mapArrays((g, m) => g.sub(m), updates, mu)
      const nu = mapArrays((v) => v.add(epsRoot), updateMoment(predictionError, state.nu, b2, 2))
      const count = safeIncrement(state.count)
      const muHat = debiasedMomentum(mu, updates, b1, count, nesterov)
      return [adamDirection(muHat, biasCorrection(nu, b2, count), eps, 0) as U, { count, mu, nu }]
    }
  }
}

export interface ScaleByYogiOptions {
  /** Decay of the first moment. Default 0.9. */
  readonly b1?: number
  /** Rate of the additive second-moment change. Default 0.999. */
  readonly b2?: number
  /** Default 1e-3. */
  readonly eps?: number
  /** Default 0. */
  readonly epsRoot?: number
  /** The initial value of both moments. Default 1e-6. */
  readonly initialAccumulatorValue?: number
}
export const SCALE_BY_YOGI_KEYS = optionKeys<ScaleByYogiOptions>()("b1", "b2", "eps", "epsRoot", "initialAccumulatorValue")

/**
 * Yogi's rescaling (optax's `scale_by_yogi`): the second moment changes additively,
 * `nu' = nu - (1-b2) sign(nu - g^2) g^2`, which keeps it from growing too fast.
 *
 * @example
 * const opt = optim.chain(optim.scaleByYogi(), optim.scaleByLearningRate(1e-2))
 */
export const scaleByYogi = (options?: ScaleByYogiOptions): GradientTransformation<AdamState> => {
  checkOptions("optim.scaleByYogi", options, SCALE_BY_YOGI_KEYS)
  const b1 = options?.b1 ?? 0.9
  const b2 = options?.b2 ?? 0.999
  const eps = options?.eps ?? 1e-3
  const epsRoot = options?.epsRoot ?? 0
  const initial = options?.initialAccumulatorValue ?? 1e-6
  return {
    init: (params) => ({ count: zeroCount(), mu: fullLike(params, initial), nu: fullLike(params, initial) }),
    update: <U>(updates: U, state: AdamState): [U, AdamState] => {
      const mu = updateMoment(updates, state.mu, b1, 1)
      const nu = mapArrays(
        (g, v) => {
          const g2 = g.mul(g)
          return v.sub(
            np
              .sign(v.sub(g2))
              .mul(1 - b2)
              .mul(g2)
          )
        },
        updates,
        state.nu
      )
      const count = safeIncrement(state.count)
      const out = adamDirection(biasCorrection(mu, b1, count), biasCorrection(nu, b2, count), eps, epsRoot)
      return [out as U, { count, mu, nu }]
    }
  }
}

export interface ScaleByRadamOptions {
  /** Default 0.9. */
  readonly b1?: number
  /** Default 0.999. */
  readonly b2?: number
  /** Default 1e-8. */
  readonly eps?: number
  /** Default 0. */
  readonly epsRoot?: number
  /** The length of the approximated simple moving average above which the adaptive step is used. Default 5. */
  readonly threshold?: number
  /** Nesterov momentum. Default false. */
  readonly nesterov?: boolean
}
export const SCALE_BY_RADAM_KEYS = optionKeys<ScaleByRadamOptions>()("b1", "b2", "eps", "epsRoot", "threshold", "nesterov")

/**
 * Rectified Adam's rescaling (optax's `scale_by_radam`): while the variance estimate is unreliable
 * (the approximate moving-average length `rho_t` is below `threshold`) the update is the
 * bias-corrected momentum alone; after that, Adam's step times the rectification factor `r_t`.
 *
 * @example
 * const opt = optim.chain(optim.scaleByRadam(), optim.scaleByLearningRate(1e-3))
 */
export const scaleByRadam = (options?: ScaleByRadamOptions): GradientTransformation<AdamState> => {
  checkOptions("optim.scaleByRadam", options, SCALE_BY_RADAM_KEYS)
  const b1 = options?.b1 ?? 0.9
  const b2 = options?.b2 ?? 0.999
  const eps = options?.eps ?? 1e-8
  const epsRoot = options?.epsRoot ?? 0
  const threshold = options?.threshold ?? 5
  const nesterov = options?.nesterov === true
  const roInf = 2 / (1 - b2) - 1
  return {
    init: (params) => ({ count: zeroCount(), mu: zerosLike(params), nu: zerosLike(params) }),
    update: <U>(updates: U, state: AdamState): [U, AdamState] => {
      const mu = updateMoment(updates, state.mu, b1, 1)
      const nu = updateMoment(updates, state.nu, b2, 2)
      const count = safeIncrement(state.count)
      const b2t = np.power(b2, count.astype("float32"))
      const ro = np.subtract(roInf, np.multiply(2, count).mul(b2t).div(np.subtract(1, b2t)))
      const muHat = debiasedMomentum(mu, updates, b1, count, nesterov)
      const nuHat = biasCorrection(nu, b2, count)
      const r = np.sqrt(
        ro
          .sub(4)
          .mul(ro.sub(2))
          .mul(roInf)
          .div(np.multiply((roInf - 4) * (roInf - 2), ro))
      )
      const rectified = mapArrays(
        (m, v) =>
          r
            .astype(m.dtype)
            .mul(m)
            .div(np.sqrt(v.add(epsRoot)).add(eps)),
        muHat,
        nuHat
      )
      const useAdaptive = ro.ge(threshold)
      const out = mapArrays((t, f) => np.where(useAdaptive, t, f), rectified, muHat)
      return [out as U, { count, mu, nu }]
    }
  }
}

export interface ScaleByAdanOptions {
  /** Decay of the gradient average. Default 0.98. */
  readonly b1?: number
  /** Decay of the gradient-difference average. Default 0.92. */
  readonly b2?: number
  /** Decay of the second moment. Default 0.99. */
  readonly b3?: number
  /** Default 1e-8. */
  readonly eps?: number
  /** Default 0. */
  readonly epsRoot?: number
}
export const SCALE_BY_ADAN_KEYS = optionKeys<ScaleByAdanOptions>()("b1", "b2", "b3", "eps", "epsRoot")

/** The state of `scaleByAdan`: the three averages, the previous gradient and the step count. */
export interface AdanState {
  readonly m: Updates
  readonly v: Updates
  readonly n: Updates
  readonly g: Updates
  readonly t: Array
}

/**
 * Adan's rescaling (optax's `scale_by_adan`, Xie et al. 2022): Nesterov-style momentum from
 * averages of the gradient, of its change between steps, and of the squared extrapolated gradient.
 *
 * @example
 * const opt = optim.chain(optim.scaleByAdan(), optim.scaleByLearningRate(1e-3))
 */
export const scaleByAdan = (options?: ScaleByAdanOptions): GradientTransformation<AdanState> => {
  checkOptions("optim.scaleByAdan", options, SCALE_BY_ADAN_KEYS)
  const b1 = options?.b1 ?? 0.98
  const b2 = options?.b2 ?? 0.92
  const b3 = options?.b3 ?? 0.99
  const eps = options?.eps ?? 1e-8
  const epsRoot = options?.epsRoot ?? 0
  return {
    init: (params) => ({
      m: zerosLike(params),
      v: zerosLike(params),
      n: zerosLike(params),
      g: zerosLike(params),
      t: zeroCount()
    }),
    update: <U>(updates: U, state: AdanState): [U, AdanState] => {
      const first = state.t.eq(0)
      const diff = mapArrays((g, prev) => np.where(first, np.zerosLike(g), g.sub(prev)), updates, state.g)
      const m = updateMoment(updates, state.m, b1, 1)
      const v = updateMoment(diff, state.v, b2, 1)
      const sq = mapArrays((g, d) => g.add(np.multiply(1 - b2, d)), updates, diff)
      const n = updateMoment(sq, state.n, b3, 2)
      const t = safeIncrement(state.t)
      const u = mapArrays((mh, vh) => mh.add(np.multiply(1 - b2, vh)), biasCorrection(m, b1, t), biasCorrection(v, b2, t))
      const out = mapArrays((x, nh) => x.div(np.sqrt(nh.add(epsRoot)).add(eps)), u, biasCorrection(n, b3, t))
      return [out as U, { m, v, n, g: updates, t }]
    }
  }
}

export interface ScaleByNovogradOptions {
  /** Decay of the momentum. Default 0.9. */
  readonly b1?: number
  /** Decay of the per-layer squared-norm average. Default 0.25. */
  readonly b2?: number
  /** Default 1e-8 (the `novograd` optimizer passes 1e-6). */
  readonly eps?: number
  /** Default 0. */
  readonly epsRoot?: number
  /** Weight decay added to the normalized gradient. Default 0. */
  readonly weightDecay?: number
}
export const SCALE_BY_NOVOGRAD_KEYS = optionKeys<ScaleByNovogradOptions>()("b1", "b2", "eps", "epsRoot", "weightDecay")

/** The state of `scaleByNovograd`: step count, momentum, and one squared norm per leaf. */
export interface NovogradState {
  readonly count: Array
  readonly mu: Updates
  /** One scalar per parameter leaf. */
  readonly nu: Updates
}

/**
 * NovoGrad's rescaling (optax's `scale_by_novograd`): layer-wise second moments (one squared
 * gradient norm per leaf), `mu' = b1 mu + g / (sqrt(nu' + epsRoot) + eps) + wd * param`, and on
 * the first step the averages start from the first gradient. Needs `params`.
 *
 * @example
 * const opt = optim.chain(optim.scaleByNovograd({ eps: 1e-6 }), optim.scaleByLearningRate(1e-2))
 */
export const scaleByNovograd = (options?: ScaleByNovogradOptions): GradientTransformation<NovogradState> => {
  checkOptions("optim.scaleByNovograd", options, SCALE_BY_NOVOGRAD_KEYS)
  const b1 = options?.b1 ?? 0.9
  const b2 = options?.b2 ?? 0.25
  const eps = options?.eps ?? 1e-8
  const epsRoot = options?.epsRoot ?? 0
  const wd = options?.weightDecay ?? 0
  const squaredNorm = (g: Array): Array => np.sqrt(np.sum(g.mul(g))).square()
  return {
    init: (params) => ({
      count: zeroCount(),
      mu: zerosLike(params),
      nu: mapArrays((p) => np.zeros([], { dtype: p.dtype }), params)
    }),
    update: <U>(updates: U, state: NovogradState, params?: U): [U, NovogradState] => {
      if (params === undefined) {
        throw new ValueError("optim.scaleByNovograd (and novograd) needs the parameters: call update(grads, state, params).")
      }
      const count = safeIncrement(state.count)
      const first = count.eq(1)
      // optax switches with lax.cond; both branches are pure, so selecting gives the same values.
      const nu = mapArrays(
        (g, n) =>
          np.where(
            first,
            squaredNorm(g).astype(n.dtype),
            squaredNorm(g)
              .mul(1 - b2)
              .add(n.mul(b2))
          ),
        updates,
        state.nu
      )
      const step = (g: Array, p: Array, n: Array): Array => g.div(np.sqrt(n.add(epsRoot)).add(eps)).add(np.multiply(wd, p))
      const mu = mapArrays((g, p, m, n) => np.where(first, step(g, p, n), m.mul(b1).add(step(g, p, n))), updates, params, state.mu, nu)
      return [mu as U, { count, mu, nu }]
    }
  }
}

export interface ScaleByLionOptions {
  /** Interpolation between the gradient and the momentum for the update's sign. Default 0.9. */
  readonly b1?: number
  /** Decay of the momentum. Default 0.99. */
  readonly b2?: number
  /**
   * How the interpolation becomes an update: `"hard"` its sign (the default, Lion),
   * `"smooth"` `tanh(smoothBeta * x)`, `"refined"` `x` where `|x| < 1`, else its sign.
   */
  readonly mode?: "hard" | "smooth" | "refined"
  /** The slope of `"smooth"` mode. Default 1. */
  readonly smoothBeta?: number
}
export const SCALE_BY_LION_KEYS = optionKeys<ScaleByLionOptions>()("b1", "b2", "mode", "smoothBeta")

/** The state of `scaleByLion`: step count and momentum. */
export interface LionState {
  readonly count: Array
  readonly mu: Updates
}

/**
 * Lion's rescaling (optax's `scale_by_lion`, Chen et al. 2023): the update is
 * `sign((1-b1) g + b1 mu)`, then the momentum moves on with `mu' = (1-b2) g + b2 mu`.
 *
 * @example
 * const opt = optim.chain(optim.scaleByLion(), optim.scaleByLearningRate(1e-4))
 */
export const scaleByLion = (options?: ScaleByLionOptions): GradientTransformation<LionState> => {
  checkOptions("optim.scaleByLion", options, SCALE_BY_LION_KEYS)
  checkOneOf("optim.scaleByLion", "mode", options?.mode, ["hard", "smooth", "refined"])
  const b1 = options?.b1 ?? 0.9
  const b2 = options?.b2 ?? 0.99
  const mode = options?.mode ?? "hard"
  const smoothBeta = options?.smoothBeta ?? 1
  const shape = (x: Array): Array =>
    mode === "hard" ? np.sign(x) : mode === "smooth" ? np.tanh(np.multiply(smoothBeta, x)) : np.where(x.abs().lt(1), x, np.sign(x))
  return {
    init: (params) => ({ count: zeroCount(), mu: zerosLike(params) }),
    update: <U>(updates: U, state: LionState): [U, LionState] => {
      const out = mapArrays((g, m) => shape(g.mul(1 - b1).add(m.mul(b1))), updates, state.mu)
      const mu = updateMoment(updates, state.mu, b2, 1)
      return [out as U, { count: safeIncrement(state.count), mu }]
    }
  }
}
