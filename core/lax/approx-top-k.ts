/**
 * `lax.approxMaxK` / `lax.approxMinK`: JAX's approximate top-k, which only TPUs compute
 * approximately. Elsewhere (CPU, GPU) XLA falls back to an exact sort by value with ties in index
 * order, where -0 and +0 tie; that fallback is what jaxfx computes, on every backend. With
 * `aggregateToTopk: false` the result keeps as many elements as the TPU algorithm would
 * (XLA's `ApproxTopKReductionOutputSize`), still exactly sorted.
 *
 * NaN operands: XLA's fallback compares with `>` / `<`, which is not an order when NaN is present,
 * so JAX's result on NaN is unspecified; jaxfx ranks NaN as `lax.topK` does (largest).
 */
import type { Array } from "../array.js"
import { isFloat } from "../dtype.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { constant } from "../primitives/common.js"
import { add, neg } from "../primitives/elementwise.js"
import { checkFlag, checkInt, describe, normalizeAxis } from "../shape.js"
import { takeAlongAxis } from "../numpy/edit.js"
import { topK } from "./sorting.js"

export interface ApproxTopKOptions {
  /** The axis to reduce (default -1). */
  readonly reductionDimension?: number
  /** The recall the TPU algorithm aims at, in (0, 1] (default 0.95); it sets the output size when aggregateToTopk is false. */
  readonly recallTarget?: number
  /** The logical size of the reduced axis when the operand is a shard of it (default -1: its own size). */
  readonly reductionInputSizeOverride?: number
  /** Return exactly k elements (default true); false returns the TPU algorithm's candidate count, sorted. */
  readonly aggregateToTopk?: boolean
}
const APPROX_KEYS = optionKeys<ApproxTopKOptions>()("reductionDimension", "recallTarget", "reductionInputSizeOverride", "aggregateToTopk")

const log2Floor = (v: number): number => (v <= 0 ? 0 : Math.floor(Math.log2(v)))
const log2Ceil = (v: number): number => (v <= 1 ? 0 : Math.ceil(Math.log2(v)))

/** XLA's ApproxTopKReductionOutputSize: how many elements the TPU algorithm keeps along the axis. */
const reductionOutputSize = (what: string, inputSize: number, rank: number, k: number, recall: number, aggregate: boolean, override: number): number => {
  if (aggregate) return k
  const tiling = rank === 1 ? 1024 : 128
  if (inputSize <= tiling) return inputSize
  if (override >= 0 && inputSize > override) {
    throw new ValueError(`${what}: reductionInputSizeOverride (${override}) must be at least the size of the reduced axis (${inputSize}).`)
  }
  const logical = override >= 0 ? override : inputSize
  if (k === 1) return tiling
  const r = Math.fround(recall)
  if (r === 1) return inputSize
  if (r <= 0 || r > 1) throw new ValueError(`${what}: recallTarget must be in (0, 1], got ${recall}.`)
  const m = Math.min(Math.max(Math.trunc((1 - k) / Math.log(r)), tiling), inputSize)
  let reduction = log2Floor(Math.floor(logical / m))
  if (reduction === 0) return inputSize
  reduction = Math.min(reduction, log2Ceil(Math.floor(inputSize / tiling)))
  return Math.ceil(Math.ceil(inputSize / tiling) / 2 ** reduction) * tiling
}

const approxTopK = (what: string, operand: Array, k: number, options: ApproxTopKOptions | undefined, isMax: boolean): [Array, Array] => {
  checkOptions(what, options, APPROX_KEYS)
  if (operand.ndim === 0) throw new ShapeError(`${what}: the operand must have at least one dimension, got a scalar.`)
  if (!isFloat(operand.dtype)) throw new DTypeError(`${what}: the operand must be a floating type, got ${operand.dtype}; cast it with astype.`)
  const kk = checkInt(k, `${what}: k`)
  if (kk <= 0) throw new ValueError(`${what}: k must be positive, got ${describe(k)}.`)
  const axis = normalizeAxis(checkInt(options?.reductionDimension ?? -1, `${what}: reductionDimension`), operand.ndim, `${what}: reductionDimension`)
  const n = operand.shape[axis]!
  if (n < kk) throw new ValueError(`${what}: k (${kk}) must not exceed the size of the reduced axis (${n}).`)
  const recall = options?.recallTarget ?? 0.95
  if (typeof recall !== "number" || Number.isNaN(recall)) throw new ValueError(`${what}: recallTarget must be a number, got ${describe(recall)}.`)
  const override = checkInt(options?.reductionInputSizeOverride ?? -1, `${what}: reductionInputSizeOverride`)
  const aggregate = checkFlag(options?.aggregateToTopk ?? true, `${what}: aggregateToTopk`)
  const size = reductionOutputSize(what, n, operand.ndim, kk, recall, aggregate, override)
  // Adding +0 turns -0 into +0, so the two zeros tie (XLA compares with > and <, not the total order).
  const key = add(operand, constant(0, operand.dtype, [], true))
  const [, idx] = topK(isMax ? key : neg(key), size, { axis })
  return [takeAlongAxis(operand, idx, axis), idx]
}

/**
 * `lax.approx_max_k(operand, k, reduction_dimension=-1, recall_target=0.95, ...)`: the `k` largest
 * values of a float operand along an axis and their int32 indices, as JAX computes them off TPU
 * (exactly: sorted, ties in index order). Differentiable (the gradient reaches the chosen
 * elements), vmappable and jittable.
 *
 * @example
 * lax.approxMaxK(np.array([1, 5, 3, 5], { dtype: "float32" }), 2) // [Array([5, 5]), Array([1, 3])]
 */
export const approxMaxK = (operand: Array, k: number, options?: ApproxTopKOptions): [Array, Array] => approxTopK("lax.approxMaxK", operand, k, options, true)

/**
 * `lax.approx_min_k(operand, k, reduction_dimension=-1, recall_target=0.95, ...)`: the `k`
 * smallest values of a float operand along an axis and their int32 indices, as JAX computes them
 * off TPU (exactly: sorted ascending, ties in index order).
 *
 * @example
 * lax.approxMinK(np.array([4, 1, 3, 1], { dtype: "float32" }), 3) // [Array([1, 1, 3]), Array([1, 3, 2])]
 */
export const approxMinK = (operand: Array, k: number, options?: ApproxTopKOptions): [Array, Array] => approxTopK("lax.approxMinK", operand, k, options, false)
