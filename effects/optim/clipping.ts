/**
 * Clipping and constraints on updates (optax's `clip`, `clip_by_block_rms`,
 * `adaptive_grad_clip`, `keep_params_nonnegative`, `zero_nans`). `clipByGlobalNorm` lives with
 * the basic transformations in `transforms.ts`.
 */
import { type Array, np, tree, ValueError } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"
import { type EmptyState, type GradientTransformation, mapArrays } from "./base.js"

/**
 * Clip every update element into `[-maxDelta, maxDelta]` (optax's `clip`).
 *
 * @example
 * const opt = optim.chain(optim.clip(1), optim.sgd(0.1))
 */
export const clip = (maxDelta: number): GradientTransformation<EmptyState> => ({
  init: () => null,
  update: <U>(updates: U, state: EmptyState): [U, EmptyState] => [mapArrays((g) => np.clip(g, -maxDelta, maxDelta), updates) as U, state]
})

/**
 * Rescale each leaf so that its root mean square is at most `threshold` (optax's
 * `clip_by_block_rms`, used by Adafactor): `u / max(1, rms(u) / threshold)`.
 *
 * @example
 * const opt = optim.chain(optim.clipByBlockRms(1), optim.sgd(0.1))
 */
export const clipByBlockRms = (threshold: number): GradientTransformation<EmptyState> => ({
  init: () => null,
  update: <U>(updates: U, state: EmptyState): [U, EmptyState] => {
    const out = mapArrays((u) => u.div(np.maximum(1, np.sqrt(np.mean(u.mul(u))).div(threshold))), updates)
    return [out as U, state]
  }
})

/**
 * The unit-wise L2 norm of `x` broadcast to its shape (optax's `unitwise_norm`): over `axis`
 * when given, else by rank: scalars and vectors whole, matrices (and rank-3 multi-head weights)
 * per output column, rank-4 and rank-5 convolution kernels per output channel.
 */
const unitwiseNorm = (x: Array, axis: number | ReadonlyArray<number> | undefined): Array => {
  let squared: Array
  const sq = x.mul(x)
  if (axis !== undefined) squared = np.sum(sq, { axis, keepdims: true })
  else if (np.squeeze(x).ndim <= 1) squared = np.sum(sq, { keepdims: true })
  else if (x.ndim === 2 || x.ndim === 3) squared = np.sum(sq, { axis: 0, keepdims: true })
  else if (x.ndim === 4) squared = np.sum(sq, { axis: [0, 1, 2], keepdims: true })
  else if (x.ndim === 5) squared = np.sum(sq, { axis: [0, 1, 2, 3], keepdims: true })
  else {
    throw new ValueError(`optim.adaptiveGradClip: a parameter of shape [${x.shape.join(", ")}] has no default unit axes; pass { axis }.`)
  }
  return np.broadcastTo(np.sqrt(squared), x.shape)
}

const ADAPTIVE_GRAD_CLIP_KEYS = optionKeys<NonNullable<Parameters<typeof adaptiveGradClip>[1]>>()("eps", "axis")

/**
 * Adaptive gradient clipping (optax's `adaptive_grad_clip`, Brock et al. 2021): clip each unit
 * (output column or channel) of a gradient so that its norm is at most
 * `clipping * max(||param unit||, eps)`. Needs `params`.
 *
 * @example
 * const opt = optim.chain(optim.adaptiveGradClip(0.01), optim.sgd(0.1, { momentum: 0.9 }))
 */
export const adaptiveGradClip = (
  clipping: number,
  options?: {
    /** The smallest parameter norm used. Default 1e-3. */
    readonly eps?: number
    /** The axes of a unit's norm; default by rank (see above). */
    readonly axis?: number | ReadonlyArray<number>
  }
): GradientTransformation<EmptyState> => {
  checkOptions("optim.adaptiveGradClip", options, ADAPTIVE_GRAD_CLIP_KEYS)
  const eps = options?.eps ?? 1e-3
  const axis = options?.axis
  return {
    init: () => null,
    update: <U>(updates: U, state: EmptyState, params?: U): [U, EmptyState] => {
      if (params === undefined) {
        throw new ValueError("optim.adaptiveGradClip reads the parameters: call update(grads, state, params).")
      }
      const out = mapArrays(
        (g, p) => {
          const gNorm = unitwiseNorm(g, axis)
          const maxNorm = np.multiply(clipping, np.maximum(unitwiseNorm(p, axis), eps))
          const clipped = g.mul(maxNorm.div(np.maximum(gNorm, 1e-6)))
          return np.where(gNorm.lt(maxNorm), g, clipped)
        },
        updates,
        params
      )
      return [out as U, state]
    }
  }
}

/**
 * Shorten updates that would make a parameter negative so that it lands on 0 (optax's
 * `keep_params_nonnegative`): `u' = -p` where `p + u < 0`. Needs `params`.
 *
 * @example
 * const opt = optim.chain(optim.sgd(0.1), optim.keepParamsNonnegative())
 */
export const keepParamsNonnegative = (): GradientTransformation<EmptyState> => ({
  init: () => null,
  update: <U>(updates: U, state: EmptyState, params?: U): [U, EmptyState] => {
    if (params === undefined) {
      throw new ValueError("optim.keepParamsNonnegative reads the parameters: call update(grads, state, params).")
    }
    return [mapArrays((u, p) => np.where(p.add(u).lt(0), p.neg(), u), updates, params) as U, state]
  }
})

/** The state of `zeroNans`: per leaf, whether the last update had a NaN. */
export interface ZeroNansState {
  readonly foundNan: unknown
}

/**
 * Replace NaN updates by 0 and record, per leaf, whether any were found (optax's `zero_nans`).
 *
 * @example
 * const opt = optim.chain(optim.zeroNans(), optim.adam(1e-3))
 */
export const zeroNans = (): GradientTransformation<ZeroNansState> => ({
  init: (params) => ({ foundNan: tree.map(() => np.array(false), params) }),
  update: <U>(updates: U, _state: ZeroNansState): [U, ZeroNansState] => {
    const foundNan = mapArrays((g) => np.any(np.isnan(g)), updates)
    return [mapArrays((g) => np.where(np.isnan(g), np.zerosLike(g), g), updates) as U, { foundNan }]
  }
})
