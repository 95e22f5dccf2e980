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
  type ExtraArgs,
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
  type AddDecayedWeightsState,
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
  type TraceState,
  type WeightDecayScheduleState
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
export {
  type AdanState,
  type AmsgradState,
  type LionState,
  type NovogradState,
  scaleByAdamax,
  type ScaleByAdamaxOptions,
  scaleByAdan,
  type ScaleByAdanOptions,
  scaleByAmsgrad,
  type ScaleByAmsgradOptions,
  scaleByBelief,
  type ScaleByBeliefOptions,
  scaleByLion,
  type ScaleByLionOptions,
  scaleByNovograd,
  type ScaleByNovogradOptions,
  scaleByRadam,
  type ScaleByRadamOptions,
  scaleByYogi,
  type ScaleByYogiOptions
} from "./adam-family.js"
export {
  type AdadeltaState,
  centralize,
  normalizeByUpdateNorm,
  type OptimisticGradientState,
  type RpropState,
  type RssState,
  scaleByAdadelta,
  scaleByOptimisticGradient,
  scaleByParamBlockNorm,
  scaleByParamBlockRms,
  scaleByPolyak,
  type ScaleByPolyakOptions,
  scaleByRprop,
  type ScaleByRpropOptions,
  scaleByRss,
  scaleBySign,
  scaleBySm3,
  scaleByTrustRatio,
  type Sm3State
} from "./scalings.js"
export { adaptiveGradClip, clip, clipByBlockRms, keepParamsNonnegative, zeroNans, type ZeroNansState } from "./clipping.js"
export { type FactoredState, scaleByFactoredRms, type ScaleByFactoredRmsOptions } from "./factorized.js"
export { addNoise, type AddNoiseState } from "./noise.js"
export {
  applyEvery,
  type ApplyEveryState,
  ema,
  type EmaState,
  MultiSteps,
  type MultiStepsOptions,
  type MultiStepsState,
  type ShouldSkipUpdateFn,
  skipLargeUpdates,
  skipNotFinite
} from "./accumulation.js"
export {
  applyIfFinite,
  type ApplyIfFiniteState,
  type ConditionFn,
  conditionallyMask,
  conditionallyTransform,
  type ConditionallyState,
  type LabelTree,
  multiTransform,
  type MultiTransformState,
  namedChain,
  type NamedChainState,
  type ParamLabels,
  partition
} from "./wrappers.js"
export { type Lookahead, lookahead, type LookaheadParams, lookaheadParams, type LookaheadState } from "./lookahead.js"
export { type BacktrackingLinesearchState, scaleByBacktrackingLinesearch, type ScaleByBacktrackingLinesearchOptions } from "./linesearch-backtracking.js"
export { scaleByZoomLinesearch, type ScaleByZoomLinesearchOptions, type ZoomLinesearchInfo, type ZoomLinesearchState } from "./linesearch-zoom.js"
export { lbfgs, type LbfgsChainState, type LbfgsOptions, type LbfgsState, scaleByLbfgs, valueAndGradFromState } from "./lbfgs.js"
export {
  adabelief,
  adamax,
  adamaxw,
  adan,
  amsgrad,
  lamb,
  type LambOptions,
  lion,
  nadam,
  nadamw,
  novograd,
  type OptimisticAdamOptions,
  optimisticAdamV2,
  radam,
  type WeightDecayOptions,
  yogi
} from "./alias-adam.js"
export {
  adadelta,
  type AdadeltaOptions,
  adafactor,
  type AdafactorOptions,
  adagrad,
  fromage,
  lars,
  type LarsOptions,
  noisySgd,
  optimisticGradientDescent,
  polyakSgd,
  type PolyakSgdOptions,
  rprop,
  signSgd,
  signum,
  sm3
} from "./alias-others.js"
export {
  type BoundariesAndScales,
  cosineOnecycleSchedule,
  type InterpolateType,
  linearOnecycleSchedule,
  type OnecycleOptions,
  piecewiseConstantSchedule,
  piecewiseInterpolateSchedule
} from "./schedules-piecewise.js"
export {
  sgdrSchedule,
  warmupConstantSchedule,
  type WarmupConstantOptions,
  warmupExponentialDecaySchedule,
  type WarmupExponentialDecayOptions
} from "./schedules-warmup.js"
export { type Hyperparams, injectHyperparams, type InjectedHyperparams, type InjectHyperparamsOptions, type InjectHyperparamsState } from "./inject.js"
export * as losses from "./losses/index.js"
