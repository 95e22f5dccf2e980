/**
 * `lax`: the primitive operations themselves, without NumPy's promotion or broadcasting.
 * Operands of binary operations must share a dtype and rank (dims equal or 1) or be rank 0.
 */
export {
  abs,
  acos,
  add,
  and,
  asin,
  atan,
  atan2,
  ceil,
  convertElementType,
  cos,
  cosh,
  div,
  eq,
  erf,
  exp,
  exp2,
  expm1,
  floor,
  ge,
  gt,
  integerPow,
  isFinite,
  le,
  log,
  log1p,
  logistic,
  lt,
  max,
  min,
  mul,
  ne,
  neg,
  not,
  or,
  pow,
  rem,
  round,
  RoundingMethod,
  rsqrt,
  select,
  sign,
  sin,
  sinh,
  sqrt,
  stopGradient,
  sub,
  tan,
  tanh,
  xor,
  type RoundingMethodLike
} from "../primitives/elementwise.js"
export { argmax, argmin, cumprod, cumsum, reduceMax, reduceMin, reduceProd, reduceSum } from "../primitives/reduce.js"
export { broadcastInDim, concatenate, iota, pad, reshape, rev, slice, transpose } from "../primitives/shape-ops.js"
export { type ScatterMode } from "../primitives/indexing.js"
export {
  gather,
  type GatherOptions,
  scatter,
  scatterAdd,
  scatterApply,
  type ScatterApplyOptions,
  scatterMax,
  scatterMin,
  scatterMul,
  type ScatterOptions,
  scatterSub
} from "./gather-scatter.js"
export { type GatherDimensionNumbers, GatherScatterMode, type ScatterDimensionNumbers } from "./dimension-numbers.js"
export { dotGeneral, type DotDimensionNumbers } from "../primitives/dot.js"
export {
  conv,
  convDimensionNumbers,
  convGeneralDilated,
  convGeneralDilatedPatches,
  convTranspose,
  convWithGeneralPadding,
  padtypeToPads,
  type ConvDimensionNumbers,
  type ConvDimensionNumbersLike,
  type ConvGeneralDilatedOptions,
  type ConvGeneralDilatedPatchesOptions,
  type ConvOptions,
  type ConvPadding,
  type ConvTransposeOptions
} from "./conv.js"
export { reduceWindow, type ReduceWindowOptions } from "./reduce-window.js"
export { cond, forILoop, scan, switch, whileLoop } from "./control.js"
export { bitcastConvertType, erfInv, shiftLeft, shiftRightArithmetic, shiftRightLogical } from "../primitives/bits.js"
export * from "./special.js"
export { sort, sortKeyVal, topK, type SortKeyValOptions, type SortOptions, type TopKOptions } from "./sorting.js"
export {
  allGather,
  allToAll,
  axisIndex,
  axisSize,
  pmax,
  pmean,
  pmin,
  pbroadcast,
  ppermute,
  pshuffle,
  psum,
  psumScatter,
  pswapaxes,
  type AllGatherOptions,
  type AllToAllOptions,
  type AxisName,
  type PsumScatterOptions
} from "../parallel/collectives.js"
export { pcast, type PcastOptions, type PcastTo } from "../parallel/pcast.js"
export { raggedAllToAll, type RaggedAllToAllOptions } from "../parallel/ragged-all-to-all.js"
export {
  dynamicIndexInDim,
  dynamicSlice,
  dynamicSliceInDim,
  dynamicUpdateIndexInDim,
  dynamicUpdateSlice,
  dynamicUpdateSliceInDim,
  indexInDim,
  sliceInDim
} from "./slicing.js"
export { associativeScan, type AssociativeScanOptions, cumlogsumexp, cummax, cummin, map, type MapOptions, reduce } from "./scans.js"
export {
  acosh,
  asinh,
  atanh,
  batchMatmul,
  broadcast,
  broadcastedIota,
  cbrt,
  clamp,
  collapse,
  dot,
  expandDims,
  full,
  fullLike,
  reciprocal,
  reduceAnd,
  reduceOr,
  reduceXor,
  selectN,
  square,
  squeeze
} from "./misc.js"
export { withShardingConstraint } from "../parallel/sharding-constraint.js"
export { reducePrecision } from "./reduce-precision.js"
export { complex, conj, imag, real } from "./complex.js"
export { fft, type FftType } from "./fft.js"
export { clz, populationCount } from "./bit-count.js"
export { broadcastLike, broadcastShapes, broadcastToRank, empty, indexTake, nextafter, optimizationBarrier, split, tile } from "./shape-helpers.js"
export * as linalg from "./linalg.js"
export { mulhi, stack, unstack } from "./stacking.js"
export { customLinearSolve, type CustomLinearSolveOptions, customRoot, type CustomRootOptions } from "./implicit.js"
export {
  convGeneralPermutations,
  convGeneralShapeTuple,
  convShapeTuple,
  convTransposeShapeTuple,
  type ConvLayoutSpecs,
  reduceWindowShapeTuple
} from "./shape-tuples.js"
export { dtype, shapeAsValue, stage } from "./values.js"
export { composite } from "./composite.js"
export { platformDependent, type PlatformBranches } from "./platform-dependent.js"
export { approxMaxK, approxMinK, type ApproxTopKOptions } from "./approx-top-k.js"
export { RandomAlgorithm, rngBitGenerator, rngUniform } from "./rng.js"
export { convGeneralDilatedLocal, type ConvGeneralDilatedLocalOptions } from "./conv-local.js"
export { raggedDot } from "./ragged-dot.js"
export { raggedDotGeneral, type RaggedDotDimensionNumbers } from "./ragged-dot-general.js"
