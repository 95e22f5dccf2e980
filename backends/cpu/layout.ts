/**
 * Index arithmetic shared by the CPU kernels: row-major strides, broadcasting strides, collapsing
 * of dimensions that iterate together, and the (outer, axis, inner) split used by the kernels that
 * work along one axis. Everything here runs once per kernel call, never per element.
 */
import { allocTyped, type AnyTypedArray, type DType } from "../../core/dtype.js"

export type Shape = ReadonlyArray<number>

export const sizeOf = (shape: Shape): number => {
  let n = 1
  for (let i = 0; i < shape.length; i++) n *= shape[i]!
  return n
}

/** Row-major strides in elements. */
export const stridesOf = (shape: Shape): number[] => {
  const out = new Array<number>(shape.length)
  let acc = 1
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = acc
    acc *= shape[i]!
  }
  return out
}

/**
 * Strides for reading an operand of shape `inShape` (equal rank, or rank 0) broadcast to
 * `outShape`: dimensions of size 1 that are broadcast get stride 0, a rank-0 operand all zeros.
 */
export const broadcastStrides = (inShape: Shape, outShape: Shape): number[] => {
  if (inShape.length === 0) return outShape.map(() => 0)
  const st = stridesOf(inShape)
  for (let i = 0; i < inShape.length; i++) if (inShape[i] === 1 && outShape[i] !== 1) st[i] = 0
  return st
}

export interface Collapsed {
  readonly shape: number[]
  /** One stride list per operand. */
  readonly strides: number[][]
}

/**
 * Drop dimensions of size 1 and merge neighbouring dimensions that every operand walks through
 * contiguously (stride[d] == stride[d+1] * shape[d+1]). The result has rank >= 1. Callers handle
 * zero-size shapes before calling.
 */
export const collapse = (shape: Shape, strides: ReadonlyArray<ReadonlyArray<number>>): Collapsed => {
  const k = strides.length
  const outShape: number[] = []
  const outStrides: number[][] = []
  for (let j = 0; j < k; j++) outStrides.push([])
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!
    if (n === 1) continue
    const last = outShape.length - 1
    let merge = last >= 0
    if (merge) {
      for (let j = 0; j < k; j++) {
        // The previous (outer) kept dimension merges into this one if it steps over it exactly.
        if (outStrides[j]![last] !== strides[j]![d]! * n) {
          merge = false
          break
        }
      }
    }
    if (merge) {
      outShape[last] = outShape[last]! * n
      for (let j = 0; j < k; j++) outStrides[j]![last] = strides[j]![d]!
    } else {
      outShape.push(n)
      for (let j = 0; j < k; j++) outStrides[j]!.push(strides[j]![d]!)
    }
  }
  if (outShape.length === 0) {
    outShape.push(1)
    for (let j = 0; j < k; j++) outStrides[j]!.push(0)
  }
  return { shape: outShape, strides: outStrides }
}

/** Sizes before, along and after one axis: the array viewed as [outer, n, inner]. */
export const splitAxis = (shape: Shape, axis: number): readonly [number, number, number] => {
  let outer = 1
  let inner = 1
  for (let i = 0; i < axis; i++) outer *= shape[i]!
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!
  return [outer, shape[axis]!, inner]
}

export const normAxis = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis)

/** Allocate the storage for `n` elements of a dtype (a DeviceError when the engine cannot). */
export const alloc = (dtype: DType, n: number): AnyTypedArray => allocTyped(dtype, n)
