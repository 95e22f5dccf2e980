/**
 * lax's dynamic slicing (JAX's `dynamic_slice`, `dynamic_update_slice` and their `_in_dim` /
 * `index_in_dim` forms) and the static `slice_in_dim` / `index_in_dim`. Start indices may be
 * traced int Arrays (inside jit, scan and vmap); as in JAX they are clamped so that the slice
 * fits (negative starts count from the end first). Lowered to gather (reads) and scatter (writes) over existing primitives, so everything
 * differentiates and batches, including batched start indices.
 */
import { Array } from "../array.js"
import { isInt } from "../dtype.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { constant } from "../primitives/common.js"
import { add, convertElementType, lt, max, min, mul, select } from "../primitives/elementwise.js"
import { gather, scatter } from "../primitives/indexing.js"
import { broadcastInDim, iota, reshape, slice } from "../primitives/shape-ops.js"
import { normalizeAxis, showShape, stridesOf } from "../shape.js"

const int = (v: number): Array => constant(v, "int32", [], true)

/** A start index as an int32 scalar Array clamped to [0, n - size], or a clamped JS number. */
const clampStart = (what: string, s: number | Array, n: number, size: number): number | Array => {
  if (typeof s === "number") {
    if (!Number.isInteger(s)) throw new ValueError(`${what}: start indices must be integers, got ${s}.`)
    return Math.min(Math.max(s < 0 ? s + n : s, 0), n - size)
  }
  if (!(s instanceof Array) || s.ndim !== 0)
    throw new ShapeError(
      `${what}: each start index must be a JS integer or a scalar int Array, got ${s instanceof Array ? `shape ${showShape(s.shape)}` : String(s)}.`
    )
  if (!isInt(s.dtype)) throw new DTypeError(`${what}: start indices must be integers, got ${s.dtype}.`)
  // As JAX: negative starts count from the end, then the start is clamped so the slice fits.
  const i = convertElementType(s, "int32")
  const wrapped = s.dtype === "uint32" ? i : select(lt(i, int(0)), add(i, int(n)), i)
  return max(min(wrapped, int(n - size)), int(0))
}

const checkStarts = (what: string, operand: Array, starts: ReadonlyArray<number | Array>): void => {
  if (starts.length !== operand.ndim) {
    throw new ShapeError(`${what}: ${starts.length} start indices for an operand of shape ${showShape(operand.shape)}; give one per axis.`)
  }
}

/**
 * `lax.dynamic_slice(operand, start_indices, slice_sizes)`: the block of the given sizes at the
 * given starts (JS numbers or traced scalar int Arrays), each start clamped into range.
 *
 * @example
 * lax.dynamicSlice(np.arange(10), [np.array(8)], [3]) // [7, 8, 9] (the start is clamped to 7)
 */
export const dynamicSlice = (operand: Array, startIndices: ReadonlyArray<number | Array>, sliceSizes: ReadonlyArray<number>): Array => {
  checkStarts("lax.dynamicSlice", operand, startIndices)
  if (sliceSizes.length !== operand.ndim)
    throw new ShapeError(`lax.dynamicSlice: ${sliceSizes.length} slice sizes for an operand of shape ${showShape(operand.shape)}.`)
  sliceSizes.forEach((s, d) => {
    if (!Number.isInteger(s) || s < 0 || s > operand.shape[d]!) {
      throw new ShapeError(`lax.dynamicSlice: slice size ${s} does not fit axis ${d} of shape ${showShape(operand.shape)}; sizes must be in [0, dim].`)
    }
  })
  let out = operand
  // Static starts: one slice; traced ones: a gather of start + iota(size) per axis.
  const starts = startIndices.map((s, d) => clampStart("lax.dynamicSlice", s, operand.shape[d]!, sliceSizes[d]!))
  const lo = starts.map((s) => (typeof s === "number" ? s : 0))
  const hi = starts.map((s, d) => (typeof s === "number" ? s + sliceSizes[d]! : operand.shape[d]!))
  out = slice(out, lo, hi)
  starts.forEach((s, d) => {
    if (typeof s === "number") return
    const size = sliceSizes[d]!
    if (size === 0) {
      out = slice(
        out,
        out.shape.map(() => 0),
        out.shape.map((m, k) => (k === d ? 0 : m))
      )
      return
    }
    out = gather(out, add(iota("int32", [size]), broadcastInDim(s, [size], [])), d)
  })
  return out
}

/**
 * `lax.dynamic_update_slice(operand, update, start_indices)`: `operand` with the block at the
 * (clamped) starts replaced by `update`.
 *
 * @example
 * lax.dynamicUpdateSlice(np.zeros([5]), np.ones([2]), [np.array(4)]) // [0, 0, 0, 1, 1]
 */
export const dynamicUpdateSlice = (operand: Array, update: Array, startIndices: ReadonlyArray<number | Array>): Array => {
  checkStarts("lax.dynamicUpdateSlice", operand, startIndices)
  if (update.ndim !== operand.ndim || update.shape.some((s, d) => s > operand.shape[d]!)) {
    throw new ShapeError(
      `lax.dynamicUpdateSlice: update of shape ${showShape(update.shape)} does not fit in the operand of shape ${showShape(operand.shape)}; give the same rank and no larger dims.`
    )
  }
  if (update.dtype !== operand.dtype)
    throw new DTypeError(`lax.dynamicUpdateSlice: update dtype ${update.dtype} differs from the operand's ${operand.dtype}; cast it first.`)
  if (update.size === 0) return operand
  const strides = stridesOf(operand.shape)
  // Flat positions of the update's elements in the operand.
  let pos: Array = int(0)
  startIndices.forEach((s, d) => {
    const c = clampStart("lax.dynamicUpdateSlice", s, operand.shape[d]!, update.shape[d]!)
    const start = typeof c === "number" ? int(c) : c
    const along = add(iota("int32", update.shape, d), broadcastInDim(start, update.shape, []))
    pos = add(pos, mul(along, int(strides[d]!)))
  })
  const flat = reshape(operand, [operand.size])
  return reshape(scatter(flat, reshape(pos, [update.size]), reshape(update, [update.size]), 0, "set"), operand.shape)
}

/**
 * `lax.dynamic_slice_in_dim(operand, start_index, slice_size, axis=0)`: `dynamicSlice` along one
 * axis (the others whole).
 *
 * @example
 * lax.dynamicSliceInDim(np.arange(6).reshape([2, 3]), np.array(1), 2, 1) // [[1, 2], [4, 5]]
 */
export const dynamicSliceInDim = (operand: Array, startIndex: number | Array, sliceSize: number, axis = 0): Array => {
  const d = normalizeAxis(axis, operand.ndim, "lax.dynamicSliceInDim axis")
  return dynamicSlice(
    operand,
    operand.shape.map((_, k) => (k === d ? startIndex : 0)),
    operand.shape.map((s, k) => (k === d ? sliceSize : s))
  )
}

/**
 * `lax.dynamic_index_in_dim(operand, index, axis=0, keepdims=True)`: the slice at one (traced)
 * index of an axis, with or without that axis.
 *
 * @example
 * lax.dynamicIndexInDim(np.arange(6).reshape([2, 3]), np.array(1), 0, false) // [3, 4, 5]
 */
export const dynamicIndexInDim = (operand: Array, index: number | Array, axis = 0, keepdims = true): Array => {
  const d = normalizeAxis(axis, operand.ndim, "lax.dynamicIndexInDim axis")
  const out = dynamicSliceInDim(operand, index, 1, d)
  return keepdims
    ? out
    : reshape(
        out,
        operand.shape.filter((_, k) => k !== d)
      )
}

/**
 * `lax.dynamic_update_slice_in_dim(operand, update, start_index, axis)`: `dynamicUpdateSlice`
 * along one axis.
 *
 * @example
 * lax.dynamicUpdateSliceInDim(np.zeros([4]), np.ones([2]), np.array(1), 0) // [0, 1, 1, 0]
 */
export const dynamicUpdateSliceInDim = (operand: Array, update: Array, startIndex: number | Array, axis: number): Array => {
  const d = normalizeAxis(axis, operand.ndim, "lax.dynamicUpdateSliceInDim axis")
  return dynamicUpdateSlice(
    operand,
    update,
    operand.shape.map((_, k) => (k === d ? startIndex : 0))
  )
}

/**
 * `lax.dynamic_update_index_in_dim(operand, update, index, axis)`: write one slice at a (traced)
 * index; `update` may lack the axis.
 *
 * @example
 * lax.dynamicUpdateIndexInDim(np.zeros([3, 2]), np.ones([2]), np.array(2), 0) // last row ones
 */
export const dynamicUpdateIndexInDim = (operand: Array, update: Array, index: number | Array, axis: number): Array => {
  const d = normalizeAxis(axis, operand.ndim, "lax.dynamicUpdateIndexInDim axis")
  const u = update.ndim === operand.ndim - 1 ? reshape(update, [...update.shape.slice(0, d), 1, ...update.shape.slice(d)]) : update
  return dynamicUpdateSliceInDim(operand, u, index, d)
}

/**
 * `lax.slice_in_dim(operand, start_index, limit_index, stride=1, axis=0)`: a static slice along
 * one axis (null bounds: the ends; negative ones count from the end).
 *
 * @example
 * lax.sliceInDim(np.arange(10), 1, 8, 3) // [1, 4, 7]
 */
export const sliceInDim = (operand: Array, startIndex: number | null, limitIndex: number | null, stride = 1, axis = 0): Array => {
  const d = normalizeAxis(axis, operand.ndim, "lax.sliceInDim axis")
  const n = operand.shape[d]!
  const fix = (v: number | null, dflt: number) => (v === null ? dflt : v < 0 ? v + n : v)
  const start = fix(startIndex, 0)
  const limit = fix(limitIndex, n)
  return slice(
    operand,
    operand.shape.map((_, k) => (k === d ? start : 0)),
    operand.shape.map((s, k) => (k === d ? limit : s)),
    operand.shape.map((_, k) => (k === d ? stride : 1))
  )
}

/**
 * `lax.index_in_dim(operand, index, axis=0, keepdims=True)`: the slice at a static index
 * (negative counts from the end).
 *
 * @example
 * lax.indexInDim(np.arange(6).reshape([2, 3]), -1, 1, false) // [2, 5]
 */
export const indexInDim = (operand: Array, index: number, axis = 0, keepdims = true): Array => {
  const d = normalizeAxis(axis, operand.ndim, "lax.indexInDim axis")
  const n = operand.shape[d]!
  const i = index < 0 ? index + n : index
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new ShapeError(`lax.indexInDim: index ${index} is out of bounds for axis ${d} of size ${n}.`)
  const out = sliceInDim(operand, i, i + 1, 1, d)
  return keepdims
    ? out
    : reshape(
        out,
        operand.shape.filter((_, k) => k !== d)
      )
}
