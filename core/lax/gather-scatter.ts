/**
 * `lax.gather` and `lax.scatter*` with JAX's full dimension numbers (offset/collapsed/batching
 * dimensions, slice sizes, modes). Each is written in terms of the one-axis `gather`/`scatter`
 * primitives of core/primitives/indexing.ts: the operand is flattened and every element of the
 * result (of the updates) gets its flat position, computed from the indices with iota and integer
 * arithmetic. So they differentiate (gather's transpose is a scatter-add; scatter-mul/min/max have
 * the primitive's jvp, which agrees with JAX's `_scatter_mul_jvp` / `_scatter_extremal_jvp`),
 * batch and compile as those primitives do.
 *
 * The one-axis forms `lax.gather(x, idx, axis)` and `lax.scatter(x, idx, u, axis, mode)` (np.take /
 * `.at[]` semantics) stay available: a number in place of the dimension numbers selects them.
 */
import type { Array } from "../array.js"
import { isFloat, isInt } from "../dtype.js"
import { iinfo } from "../dtypes/info.js"
import type { DTypeName } from "../dtypes/names.js"
import { DTypeError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { constant } from "../primitives/common.js"
import { add, and, convertElementType, ge, gt, le, max, min, mul, neg, select } from "../primitives/elementwise.js"
import { gather as gatherAxis, scatter as scatterAxis, type ScatterMode } from "../primitives/indexing.js"
import { broadcastInDim } from "../primitives/layout.js"
import { reduceMax } from "../primitives/reduce.js"
import { iota, reshape, slice } from "../primitives/shape-ops.js"
import { whileLoop } from "./control.js"
import {
  checkFlags,
  checkGather,
  checkScatter,
  type GatherDimensionNumbers,
  type GatherScatterMode,
  type IndexGeometry,
  parseMode,
  type ScatterDimensionNumbers
} from "./dimension-numbers.js"

export interface GatherOptions {
  /** Whether the indices are sorted (a hint; jaxfx does not use it). */
  readonly indicesAreSorted?: boolean | undefined
  /** Whether no two slices overlap (a hint; jaxfx does not use it). */
  readonly uniqueIndices?: boolean | undefined
  /** Out-of-bounds handling (default "promise_in_bounds", which clamps, as JAX's lax.gather). */
  readonly mode?: GatherScatterMode | undefined
  /** The value of out-of-bounds slices under "fill" (default NaN for floats, the minimum of a signed and the maximum of an unsigned integer, true for bool). */
  readonly fillValue?: number | boolean | undefined
}
const GATHER_KEYS = optionKeys<GatherOptions>()("indicesAreSorted", "uniqueIndices", "mode", "fillValue")

export interface ScatterOptions {
  /** Whether the indices are sorted (a hint; jaxfx does not use it). */
  readonly indicesAreSorted?: boolean | undefined
  /** Whether no two windows overlap (a hint; jaxfx does not use it). */
  readonly uniqueIndices?: boolean | undefined
  /** Out-of-bounds handling (default "fill": out-of-bounds windows are dropped, as JAX's). */
  readonly mode?: GatherScatterMode | undefined
}
const SCATTER_KEYS = optionKeys<ScatterOptions>()("indicesAreSorted", "uniqueIndices", "mode")

export interface ScatterApplyOptions extends ScatterOptions {
  /** The shape of the (unused) updates: the indices' batch dimensions and the window (default []). */
  readonly updateShape?: ReadonlyArray<number> | undefined
}
const SCATTER_APPLY_KEYS = optionKeys<ScatterApplyOptions>()("indicesAreSorted", "uniqueIndices", "mode", "updateShape")

const i32 = (v: number): Array => constant(v, "int32", [], true)
const size = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)
const ones = (rank: number, at: number, n: number): number[] => globalThis.Array.from({ length: rank }, (_, i) => (i === at ? n : 1))

/**
 * The flat operand position of every element of a result of shape `outShape`, whose index batch
 * dimensions sit at `batchPos` and whose window dimensions (one per operand dimension not in
 * `geometry.dropped`, in order) sit at `windowPos`; `sizes` are the window sizes per operand
 * dimension. Under "clip" the starts are clamped; under "fill", `valid` (broadcastable to
 * `outShape`) says which windows lie wholly in bounds.
 */
const flatPositions = (
  operandShape: ReadonlyArray<number>,
  indices: Array,
  g: IndexGeometry,
  sizes: ReadonlyArray<number>,
  outShape: ReadonlyArray<number>,
  batchPos: ReadonlyArray<number>,
  windowPos: ReadonlyArray<number>,
  mode: "clip" | "fill"
): { readonly flat: Array; readonly valid: Array | null } => {
  const rank = outShape.length
  const strides = operandShape.map((_, d) => size(operandShape.slice(d + 1)))
  const idx = indices.dtype === "int32" ? indices : convertElementType(indices, "int32")
  const batchShape = outShape.map((n, i) => (batchPos.includes(i) ? n : 1))
  const last = idx.ndim - 1
  let acc: Array | null = null
  let valid: Array | null = null
  const plus = (t: Array): void => {
    acc = acc === null ? t : add(acc, t)
  }
  g.startMap.forEach((d, k) => {
    const start = idx.shape.map((_, i) => (i === last ? k : 0))
    const limit = idx.shape.map((n, i) => (i === last ? k + 1 : n))
    let comp = reshape(slice(idx, start, limit), batchShape)
    const hi = operandShape[d]! - sizes[d]!
    if (mode === "clip") comp = max(min(comp, i32(hi)), i32(0))
    else {
      const ok = and(ge(comp, i32(0)), le(comp, i32(hi)))
      valid = valid === null ? ok : and(valid, ok)
    }
    plus(mul(comp, i32(strides[d]!)))
  })
  g.operandBatch.forEach((d, i) => {
    const pos = batchPos[g.indexBatch[i]!]!
    plus(mul(iota("int32", ones(rank, pos, outShape[pos]!), pos), i32(strides[d]!)))
  })
  const free = operandShape.map((_, d) => d).filter((d) => !g.dropped.includes(d))
  free.forEach((d, j) => {
    const pos = windowPos[j]!
    if (sizes[d]! > 1) plus(mul(iota("int32", ones(rank, pos, sizes[d]!), pos), i32(strides[d]!)))
  })
  const flat: Array = acc ?? constant(0, "int32", ones(rank, -1, 1))
  return {
    flat: broadcastInDim(
      flat,
      outShape,
      outShape.map((_, i) => i)
    ),
    valid
  }
}

/** JAX's default fill value of an out-of-bounds gather slice. */
const defaultFill = (dtype: Array["dtype"]): number => {
  if (isFloat(dtype)) return NaN
  if (isInt(dtype)) {
    const info = iinfo(dtype as DTypeName)
    return Number(dtype.startsWith("u") ? info.max : info.min)
  }
  return 1
}

const gatherGeneral = (
  operand: Array,
  indices: Array,
  dnums: GatherDimensionNumbers,
  sliceSizes: ReadonlyArray<number>,
  options: GatherOptions | undefined
): Array => {
  checkOptions("lax.gather", options, GATHER_KEYS)
  checkFlags("lax.gather", options)
  if (!isInt(indices.dtype)) throw new DTypeError(`lax.gather needs integer indices, got ${indices.dtype}; cast with astype("int32").`)
  const mode = parseMode("lax.gather", options?.mode, "clip", "promise_in_bounds")
  const { geometry, sliceSizes: sizes, outShape } = checkGather(operand.shape, indices.shape, dnums, sliceSizes)
  const fillValue = options?.fillValue === undefined ? defaultFill(operand.dtype) : Number(options.fillValue)
  const fill = (): Array => constant(mode === "fill" ? fillValue : 0, operand.dtype, outShape)
  if (size(outShape) === 0 || operand.size === 0) return fill()
  const batchPos = outShape.map((_, i) => i).filter((i) => !dnums.offsetDims.includes(i))
  const { flat, valid } = flatPositions(operand.shape, indices, geometry, sizes, outShape, batchPos, dnums.offsetDims, mode)
  const out = gatherAxis(reshape(operand, [operand.size]), flat, 0)
  if (valid === null) return out
  return select(
    broadcastInDim(
      valid,
      outShape,
      outShape.map((_, i) => i)
    ),
    out,
    fill()
  )
}

/**
 * `lax.gather` (XLA's Gather): slices of `sliceSizes` of `operand`, starting where `indices` say
 * (their last dimension is the index vector), arranged as `dimensionNumbers` say. Out-of-bounds
 * starts are clamped (modes "clip", "promise_in_bounds", the default) or give slices of
 * `fillValue` ("fill"). The older one-axis form `lax.gather(x, idx, axis)` (np.take along `axis`,
 * clamped) is kept.
 *
 * @example
 * const x = np.array([[1, 2, 3], [4, 5, 6]])
 * lax.gather(x, np.array([[1], [0]]), { offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0] }, [1, 3])
 * // [[4, 5, 6], [1, 2, 3]]
 * lax.gather(x, np.array([2, 0]), 1) // one-axis form: [[3, 1], [6, 4]]
 */
export function gather(operand: Array, indices: Array, axis: number): Array
export function gather(
  operand: Array,
  indices: Array,
  dimensionNumbers: GatherDimensionNumbers,
  sliceSizes: ReadonlyArray<number>,
  options?: GatherOptions
): Array
export function gather(
  operand: Array,
  indices: Array,
  dimensionNumbers: GatherDimensionNumbers | number,
  sliceSizes?: ReadonlyArray<number>,
  options?: GatherOptions
): Array {
  if (typeof dimensionNumbers === "number") return gatherAxis(operand, indices, dimensionNumbers)
  return gatherGeneral(operand, indices, dimensionNumbers, sliceSizes ?? [], options)
}

const scatterGeneral = (
  caller: string,
  operand: Array,
  indices: Array,
  updates: Array,
  dnums: ScatterDimensionNumbers,
  kind: ScatterMode,
  options: ScatterOptions | undefined
): Array => {
  checkFlags(caller, options)
  if (!isInt(indices.dtype)) throw new DTypeError(`${caller} needs integer indices, got ${indices.dtype}; cast with astype("int32").`)
  if (updates.dtype !== operand.dtype) {
    throw new DTypeError(`${caller}: updates dtype ${updates.dtype} differs from the operand's ${operand.dtype}; cast one with astype.`)
  }
  const mode = parseMode(caller, options?.mode, "fill", "fill")
  const { geometry, windowSizes, windowDims } = checkScatter(caller, operand.shape, indices.shape, updates.shape, dnums)
  if (updates.size === 0 || operand.size === 0) return operand
  const uShape = updates.shape
  const batchPos = uShape.map((_, i) => i).filter((i) => !windowDims.includes(i))
  const { flat, valid } = flatPositions(operand.shape, indices, geometry, windowSizes, uShape, batchPos, windowDims, mode)
  // Dropped windows point past the end, where the one-axis scatter drops them.
  const where =
    valid === null
      ? flat
      : select(
          broadcastInDim(
            valid,
            uShape,
            uShape.map((_, i) => i)
          ),
          flat,
          constant(operand.size, "int32", uShape)
        )
  return reshape(scatterAxis(reshape(operand, [operand.size]), where, updates, 0, kind), operand.shape)
}

const scatterFn =
  (caller: string, kind: ScatterMode, negate = false) =>
  (operand: Array, indices: Array, updates: Array, dimensionNumbers: ScatterDimensionNumbers, options?: ScatterOptions): Array => {
    checkOptions(caller, options, SCATTER_KEYS)
    return scatterGeneral(caller, operand, indices, negate ? neg(updates) : updates, dimensionNumbers, kind, options)
  }

/**
 * `lax.scatter` (XLA's Scatter with a replacing update): `operand` with the windows of `updates`
 * written where `indices` say. With repeated indices one of the writes wins (which is unspecified,
 * as in JAX). Out-of-bounds windows are dropped (mode "fill", the default) or clamped ("clip").
 * The older one-axis form `lax.scatter(x, idx, u, axis, mode)` (`.at[]` along `axis`) is kept.
 *
 * @example
 * const dnums = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
 * lax.scatter(np.zeros([4]), np.array([[1], [3]]), np.array([5, 7], { dtype: "float32" }), dnums) // [0, 5, 0, 7]
 */
export function scatter(operand: Array, indices: Array, updates: Array, axis: number, mode: ScatterMode): Array
export function scatter(operand: Array, indices: Array, updates: Array, dimensionNumbers: ScatterDimensionNumbers, options?: ScatterOptions): Array
export function scatter(
  operand: Array,
  indices: Array,
  updates: Array,
  dimensionNumbers: ScatterDimensionNumbers | number,
  options?: ScatterOptions | ScatterMode
): Array {
  if (typeof dimensionNumbers === "number") return scatterAxis(operand, indices, updates, dimensionNumbers, options as ScatterMode)
  return scatterFn("lax.scatter", "set")(operand, indices, updates, dimensionNumbers, options as ScatterOptions | undefined)
}

/**
 * `lax.scatter_add`: `operand` with `updates` added at the windows `indices` say (repeated indices
 * accumulate). Linear; it is the transpose of `lax.gather`.
 *
 * @example
 * const dnums = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
 * lax.scatterAdd(np.zeros([3]), np.array([[1], [1], [2]]), np.array([1, 2, 3], { dtype: "float32" }), dnums) // [0, 3, 3]
 */
export const scatterAdd = scatterFn("lax.scatterAdd", "add")

/**
 * `lax.scatter_sub`: `operand` with `updates` subtracted at the windows `indices` say.
 *
 * @example
 * const dnums = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
 * lax.scatterSub(np.ones([3]), np.array([[0], [2]]), np.array([1, 2], { dtype: "float32" }), dnums) // [0, 1, -1]
 */
export const scatterSub = scatterFn("lax.scatterSub", "add", true)

/**
 * `lax.scatter_mul`: `operand` multiplied by `updates` at the windows `indices` say.
 *
 * @example
 * const dnums = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
 * lax.scatterMul(np.full([3], 2), np.array([[0], [0]]), np.array([3, 4]), dnums) // [24, 2, 2]
 */
export const scatterMul = scatterFn("lax.scatterMul", "mul")

/**
 * `lax.scatter_min`: the minimum of `operand` and `updates` at the windows `indices` say.
 *
 * @example
 * const dnums = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
 * lax.scatterMin(np.full([3], 5), np.array([[1], [2]]), np.array([3, 9]), dnums) // [5, 3, 5]
 */
export const scatterMin = scatterFn("lax.scatterMin", "min")

/**
 * `lax.scatter_max`: the maximum of `operand` and `updates` at the windows `indices` say.
 *
 * @example
 * const dnums = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
 * lax.scatterMax(np.full([3], 5), np.array([[1], [2]]), np.array([3, 9]), dnums) // [5, 5, 9]
 */
export const scatterMax = scatterFn("lax.scatterMax", "max")

/**
 * `lax.scatter_apply`: `operand` with `func` applied to the elements the windows address; an
 * element addressed k times gets `func` applied k times (JAX's semantics). `updateShape` is the
 * shape updates would have (the indices' batch dimensions plus the window). `func` must be
 * elementwise; like JAX's, the result is not meant to be differentiated.
 *
 * @example
 * const dnums = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
 * lax.scatterApply(np.arange(4), np.array([[1], [3], [3]]), (v) => v.mul(10), dnums, { updateShape: [3] }) // [0, 10, 2, 300]
 */
export const scatterApply = (
  operand: Array,
  indices: Array,
  func: (x: Array) => Array,
  dimensionNumbers: ScatterDimensionNumbers,
  options?: ScatterApplyOptions
): Array => {
  checkOptions("lax.scatterApply", options, SCATTER_APPLY_KEYS)
  const shape = options?.updateShape ?? []
  const rest: ScatterOptions = { indicesAreSorted: options?.indicesAreSorted, uniqueIndices: options?.uniqueIndices, mode: options?.mode }
  const counts = scatterGeneral("lax.scatterApply", constant(0, "int32", operand.shape), indices, constant(1, "int32", shape), dimensionNumbers, "add", rest)
  const most =
    operand.size === 0
      ? i32(0)
      : reduceMax(
          counts,
          operand.shape.map((_, i) => i)
        )
  const [, out] = whileLoop(
    ([i]: readonly [Array, Array]) => gt(most, i),
    ([i, y]: readonly [Array, Array]) => [add(i, i32(1)), select(gt(counts, i), func(y), y)] as const,
    [constant(0, "int32"), operand] as const
  )
  return out
}
