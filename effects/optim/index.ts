/**
 * `optim`: optax-style gradient transformations as pure functions over pytrees. Use as a
 * namespace:
 *
 *   import { optim } from "jaxfx/effects"
 *   const opt = optim.chain(optim.clipByGlobalNorm(1), optim.adam(1e-3))
 *   const step = jit((params, state, x, y) => {
 *     const [loss, grads] = valueAndGrad(lossFn)(params, x, y)
 *     const [updates, state2] = opt.update(grads, state, params)
 *     return [optim.applyUpdates(params, updates), state2, loss] as const
 *   })
 *
 * States are pytrees of Arrays (step counts are int32 scalars), so whole training steps compile
 * under `jit` and checkpoint with `codec`.
 */
export {
  applyUpdates,
  chain,
  type ChainState,
  type EmptyState,
  globalNorm,
  type GradientTransformation,
  identity,
  type Params,
  safeIncrement,
  setToZero,
  type StateOf,
  type Updates
} from "./base.js"
export {
  constantSchedule,
  cosineDecaySchedule,
  type CosineDecayOptions,
  exponentialDecay,
  type ExponentialDecayOptions,
  joinSchedules,
  linearSchedule,
  type LinearScheduleOptions,
  polynomialSchedule,
  type PolynomialScheduleOptions,
  type ScalarOrSchedule,
  type Schedule,
  warmupCosineDecaySchedule,
  type WarmupCosineDecayOptions
} from "./schedules.js"
export {
  type AdamState,
  addDecayedWeights,
  clipByGlobalNorm,
  freeze,
  type LearningRateState,
  type Mask,
  masked,
  type MaskedOptions,
  type MaskedState,
  type MaskPredicate,
  type MaskTree,
  type RmsState,
  scale,
  scaleByAdam,
  type ScaleByAdamOptions,
  scaleByLearningRate,
  scaleByRms,
  type ScaleByRmsOptions,
  scaleBySchedule,
  type ScaleByScheduleState,
  scaleByStddev,
  type StddevState,
  trace,
  type TraceState
} from "./transforms.js"
export {
  adam,
  type AdamChainState,
  type AdamOptions,
  adamw,
  type AdamwOptions,
  type AdamwState,
  rmsprop,
  type RmspropOptions,
  type RmspropState,
  sgd,
  type SgdOptions,
  type SgdState
} from "./alias.js"
