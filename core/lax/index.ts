/**
 * `lax`: the primitive operations themselves, without NumPy's promotion or broadcasting.
 * Operands of binary operations must share a dtype and rank (dims equal or 1) or be rank 0.
 */
export {
  abs, acos, add, and, asin, atan, atan2, ceil, convertElementType, cos, cosh, div, eq, erf, exp, exp2, expm1, floor, ge,
  gt, integerPow, isFinite, le, log, log1p, logistic, lt, max, min, mul, ne, neg, not, or, pow, rem, round, RoundingMethod, rsqrt,
  select, sign, sin, sinh, sqrt, stopGradient, sub, tan, tanh, xor, type RoundingMethodLike
} from "../primitives/elementwise.js"
export { argmax, argmin, cumprod, cumsum, reduceMax, reduceMin, reduceProd, reduceSum } from "../primitives/reduce.js"
export {
  broadcastInDim, concatenate, iota, pad, reshape, rev, slice, transpose
} from "../primitives/shape-ops.js"
export { gather, scatter, type ScatterMode } from "../primitives/indexing.js"
export { dotGeneral, type DotDimensionNumbers } from "../primitives/dot.js"
export {
  conv, convDimensionNumbers, convGeneralDilated, convGeneralDilatedPatches, convTranspose, convWithGeneralPadding, padtypeToPads,
  type ConvDimensionNumbers, type ConvDimensionNumbersLike, type ConvGeneralDilatedOptions, type ConvGeneralDilatedPatchesOptions,
  type ConvOptions, type ConvPadding, type ConvTransposeOptions
} from "./conv.js"
export { reduceWindow, type ReduceWindowOptions } from "./reduce-window.js"
export { cond, forILoop, scan, switch, whileLoop } from "./control.js"
export {
  bitcastConvertType, erfInv, shiftLeft, shiftRightArithmetic, shiftRightLogical, sort, sortKeyVal
} from "../primitives/bits.js"
export * from "./special.js"
