/**
 * Structural primitives: broadcast_in_dim, reshape, transpose, slice, pad, concatenate, rev, iota.
 * All are linear; each transpose rule is the structural inverse (broadcast <-> sum, slice <-> pad).
 */
import { type Array, ShapedArray } from "../array.js"
import type { DType } from "../dtype.js"
import { ShapeError } from "../errors.js"
import { definePrimitive, UndefPrimal, Zero } from "../primitive.js"
import { shapeEqual, showShape, sizeOf } from "../shape.js"
import { bind1 } from "../trace.js"
import { constant, range } from "./common.js"
import { select, sub } from "./elementwise.js"
import { batchFirst, moveBatchAxis } from "../interpreters/batch.js"
import { reduceSum } from "./reduce.js"

const tuple = (xs: ReadonlyArray<number>): string => `(${xs.join(", ")}${xs.length === 1 ? "," : ""})`

// ---------------------------------------------------------------------------------------------

export interface BroadcastParams {
  readonly shape: ReadonlyArray<number>
  readonly broadcastDimensions: ReadonlyArray<number>
  readonly [k: string]: unknown
}
export const broadcastInDimP = definePrimitive<BroadcastParams>("broadcast_in_dim", ([x], { shape, broadcastDimensions }) => {
  if (broadcastDimensions.length !== x!.ndim) {
    throw new ShapeError(`broadcast_in_dim: ${x!.ndim} operand dimensions but ${broadcastDimensions.length} broadcast dimensions`)
  }
  broadcastDimensions.forEach((d, i) => {
    const od = x!.shape[i]!
    if (d < 0 || d >= shape.length || (od !== 1 && od !== shape[d])) {
      throw new ShapeError(`cannot broadcast shape ${showShape(x!.shape)} to ${showShape(shape)}: dimension ${i} (${od}) does not fit.`)
    }
  })
  return [new ShapedArray(shape, x!.dtype, x!.weakType)]
})
broadcastInDimP.printParams = (p) => [["broadcast_dimensions", tuple(p.broadcastDimensions)], ["shape", tuple(p.shape)]]
export const broadcastInDimRaw = (x: Array, shape: ReadonlyArray<number>, broadcastDimensions: ReadonlyArray<number>): Array =>
  shapeEqual(x.shape, shape) ? x : bind1(broadcastInDimP, [x], { shape: [...shape], broadcastDimensions: [...broadcastDimensions] })
/** NumPy-style broadcast: x's dimensions align with the trailing dimensions of `shape`. */
export const broadcastInDim = (x: Array, shape: ReadonlyArray<number>): Array => {
  if (x.ndim > shape.length) throw new ShapeError(`cannot broadcast shape ${showShape(x.shape)} to the lower-rank ${showShape(shape)}`)
  const off = shape.length - x.ndim
  return broadcastInDimRaw(x, shape, range(x.ndim).map((i) => i + off))
}
broadcastInDimP.jvp = ([x], [t], p) => [[bind1(broadcastInDimP, [x!], p)], [bind1(broadcastInDimP, [t!], p)]]
broadcastInDimP.transpose = ([ct], [x], { shape, broadcastDimensions }) => {
  const aval = x!.aval
  if (ct instanceof Zero) return [new Zero(aval)]
  const summed = range(shape.length).filter((d) => {
    const i = broadcastDimensions.indexOf(d)
    return i < 0 || (aval.shape[i] === 1 && shape[d] !== 1)
  })
  return [reshape(reduceSum(ct!, summed), aval.shape)]
}

// ---------------------------------------------------------------------------------------------

export interface ReshapeParams {
  readonly newSizes: ReadonlyArray<number>
  readonly [k: string]: unknown
}
export const reshapeP = definePrimitive<ReshapeParams>("reshape", ([x], { newSizes }) => {
  if (sizeOf(newSizes) !== x!.size || newSizes.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`cannot reshape an array of shape ${showShape(x!.shape)} (size ${x!.size}) into shape ${showShape(newSizes)}`)
  }
  return [new ShapedArray(newSizes, x!.dtype, x!.weakType)]
})
reshapeP.printParams = (p) => [["dimensions", "None"], ["new_sizes", tuple(p.newSizes)]]
export const reshape = (x: Array, newSizes: ReadonlyArray<number>): Array =>
  shapeEqual(x.shape, newSizes) ? x : bind1(reshapeP, [x], { newSizes: [...newSizes] })
reshapeP.jvp = ([x], [t], p) => [[bind1(reshapeP, [x!], p)], [bind1(reshapeP, [t!], p)]]
reshapeP.transpose = ([ct], [x]) => [ct instanceof Zero ? new Zero(x!.aval) : reshape(ct!, x!.aval.shape)]

// ---------------------------------------------------------------------------------------------

export interface TransposeParams {
  readonly permutation: ReadonlyArray<number>
  readonly [k: string]: unknown
}
export const transposeP = definePrimitive<TransposeParams>("transpose", ([x], { permutation }) => {
  const n = x!.ndim
  if (permutation.length !== n || new Set(permutation).size !== n || permutation.some((p) => p < 0 || p >= n)) {
    throw new ShapeError(`transpose: ${JSON.stringify(permutation)} is not a permutation of the ${n} axes of shape ${showShape(x!.shape)}`)
  }
  return [new ShapedArray(permutation.map((p) => x!.shape[p]!), x!.dtype, x!.weakType)]
})
transposeP.printParams = (p) => [["permutation", tuple(p.permutation)]]
export const transpose = (x: Array, permutation: ReadonlyArray<number>): Array =>
  permutation.every((p, i) => p === i) ? x : bind1(transposeP, [x], { permutation: [...permutation] })
transposeP.jvp = ([x], [t], p) => [[bind1(transposeP, [x!], p)], [bind1(transposeP, [t!], p)]]
transposeP.transpose = ([ct], [x], { permutation }) => {
  if (ct instanceof Zero) return [new Zero(x!.aval)]
  const inv = new globalThis.Array<number>(permutation.length)
  permutation.forEach((p, i) => (inv[p] = i))
  return [transpose(ct!, inv)]
}

// ---------------------------------------------------------------------------------------------

export interface SliceParams {
  readonly startIndices: ReadonlyArray<number>
  readonly limitIndices: ReadonlyArray<number>
  readonly strides: ReadonlyArray<number>
  readonly [k: string]: unknown
}
export const sliceP = definePrimitive<SliceParams>("slice", ([x], { startIndices, limitIndices, strides }) => {
  const shape = x!.shape.map((d, i) => {
    const s = startIndices[i]!
    const l = limitIndices[i]!
    const st = strides[i]!
    if (!(0 <= s && s <= l && l <= d && st >= 1)) {
      throw new ShapeError(`slice [${s}:${l}:${st}] is out of range for dimension ${i} of size ${d} in shape ${showShape(x!.shape)}`)
    }
    return Math.ceil((l - s) / st)
  })
  if (startIndices.length !== x!.ndim || limitIndices.length !== x!.ndim || strides.length !== x!.ndim) {
    throw new ShapeError(`slice needs one start, limit and stride per dimension of ${showShape(x!.shape)}`)
  }
  return [new ShapedArray(shape, x!.dtype, x!.weakType)]
})
sliceP.printParams = (p) => [["limit_indices", tuple(p.limitIndices)], ["start_indices", tuple(p.startIndices)], ["strides", p.strides.every((s) => s === 1) ? "None" : tuple(p.strides)]]
export const slice = (
  x: Array,
  startIndices: ReadonlyArray<number>,
  limitIndices: ReadonlyArray<number>,
  strides: ReadonlyArray<number> = startIndices.map(() => 1)
): Array =>
  startIndices.every((s) => s === 0) && limitIndices.every((l, i) => l === x.shape[i]) && strides.every((s) => s === 1)
    ? x
    : bind1(sliceP, [x], { startIndices: [...startIndices], limitIndices: [...limitIndices], strides: [...strides] })
sliceP.jvp = ([x], [t], p) => [[bind1(sliceP, [x!], p)], [bind1(sliceP, [t!], p)]]
sliceP.transpose = ([ct], [x], { startIndices, strides }) => {
  const aval = x!.aval
  if (ct instanceof Zero) return [new Zero(aval)]
  const config = aval.shape.map((d, i): readonly [number, number, number] => {
    const k = ct!.shape[i]!
    const s = startIndices[i]!
    const st = strides[i]!
    const used = k === 0 ? 0 : (k - 1) * st + 1
    return [s, d - s - used, k === 0 ? 0 : st - 1]
  })
  // An empty slice has no elements to place: pad an empty row to the full size.
  return [pad(ct!, constant(0, aval.dtype), config)]
}

// ---------------------------------------------------------------------------------------------

export interface PadParams {
  readonly paddingConfig: ReadonlyArray<readonly [number, number, number]>
  readonly [k: string]: unknown
}
export const padP = definePrimitive<PadParams>("pad", ([x, v], { paddingConfig }) => {
  if (v!.ndim !== 0 || v!.dtype !== x!.dtype) throw new ShapeError(`pad needs a scalar padding value of the operand's dtype`)
  if (paddingConfig.length !== x!.ndim) throw new ShapeError(`pad needs one (low, high, interior) per dimension of ${showShape(x!.shape)}`)
  const shape = x!.shape.map((d, i) => {
    const [lo, hi, interior] = paddingConfig[i]!
    const n = lo + hi + d + Math.max(0, d - 1) * interior
    if (lo < 0 || hi < 0 || interior < 0 || n < 0) throw new ShapeError(`pad config ${JSON.stringify(paddingConfig[i])} is invalid for dimension ${i}`)
    return n
  })
  return [new ShapedArray(shape, x!.dtype, x!.weakType)]
})
padP.printParams = (p) => [["padding_config", `(${p.paddingConfig.map((c) => tuple(c)).join(", ")}${p.paddingConfig.length === 1 ? "," : ""})`]]
export const pad = (x: Array, value: Array, paddingConfig: ReadonlyArray<readonly [number, number, number]>): Array =>
  paddingConfig.every(([a, b, c]) => a === 0 && b === 0 && c === 0) ? x : bind1(padP, [x, value], { paddingConfig: paddingConfig.map((c) => [...c] as const) })
padP.jvp = ([x, v], [tx, tv], p) => [[bind1(padP, [x!, v!], p)], [bind1(padP, [tx!, tv!], p)]]
padP.transpose = ([ct], [x, v], { paddingConfig }) => {
  if (ct instanceof Zero) return [x instanceof UndefPrimal ? new Zero(x.aval) : null, v instanceof UndefPrimal ? new Zero(v.aval) : null]
  const xs = x!.aval.shape
  const inner = slice(
    ct!,
    paddingConfig.map(([lo]) => lo),
    paddingConfig.map(([lo], i) => lo + (xs[i] === 0 ? 0 : (xs[i]! - 1) * (paddingConfig[i]![2] + 1) + 1)),
    paddingConfig.map(([, , interior]) => interior + 1)
  )
  const ctX = x instanceof UndefPrimal ? inner : null
  const ctV = v instanceof UndefPrimal ? sub(reduceSum(ct!, range(ct!.ndim)), reduceSum(inner, range(inner.ndim))) : null
  return [ctX, ctV]
}

// ---------------------------------------------------------------------------------------------

export interface ConcatParams {
  readonly dimension: number
  readonly [k: string]: unknown
}
export const concatenateP = definePrimitive<ConcatParams>("concatenate", (avals, { dimension }) => {
  const a0 = avals[0]
  if (a0 === undefined) throw new ShapeError("concatenate needs at least one array")
  let total = 0
  for (const a of avals) {
    if (a.ndim !== a0.ndim || a.dtype !== a0.dtype || a.shape.some((d, i) => i !== dimension && d !== a0.shape[i])) {
      throw new ShapeError(
        `concatenate along axis ${dimension}: shapes ${avals.map((b) => showShape(b.shape)).join(", ")} (dtypes ${avals.map((b) => b.dtype).join(", ")}) must match except along that axis`
      )
    }
    total += a.shape[dimension]!
  }
  const shape = [...a0.shape]
  shape[dimension] = total
  return [new ShapedArray(shape, a0.dtype, avals.every((a) => a.weakType))]
})
concatenateP.printParams = (p) => [["dimension", String(p.dimension)]]
export const concatenate = (xs: ReadonlyArray<Array>, dimension: number): Array =>
  xs.length === 1 ? xs[0]! : bind1(concatenateP, xs, { dimension })
concatenateP.jvp = (xs, ts, p) => [[bind1(concatenateP, xs, p)], [bind1(concatenateP, ts, p)]]
concatenateP.transpose = ([ct], args, { dimension }) => {
  let off = 0
  return args.map((a) => {
    const n = a.aval.shape[dimension]!
    const start = off
    off += n
    if (!(a instanceof UndefPrimal)) return null
    if (ct instanceof Zero) return new Zero(a.aval)
    const st = a.aval.shape.map((_, i) => (i === dimension ? start : 0))
    const lim = a.aval.shape.map((d, i) => (i === dimension ? start + n : d))
    return slice(ct!, st, lim)
  })
}

// ---------------------------------------------------------------------------------------------

export interface RevParams {
  readonly dimensions: ReadonlyArray<number>
  readonly [k: string]: unknown
}
export const revP = definePrimitive<RevParams>("rev", ([x]) => [x!])
revP.printParams = (p) => [["dimensions", tuple(p.dimensions)]]
export const rev = (x: Array, dimensions: ReadonlyArray<number>): Array =>
  dimensions.length === 0 ? x : bind1(revP, [x], { dimensions: [...dimensions] })
revP.jvp = ([x], [t], p) => [[bind1(revP, [x!], p)], [bind1(revP, [t!], p)]]
revP.transpose = ([ct], [x], p) => [ct instanceof Zero ? new Zero(x!.aval) : bind1(revP, [ct!], p)]

// ---------------------------------------------------------------------------------------------

export interface IotaParams {
  readonly dtype: DType
  readonly shape: ReadonlyArray<number>
  readonly dimension: number
  readonly [k: string]: unknown
}
/** Indices along one dimension, broadcast over the others. */
export const iotaP = definePrimitive<IotaParams>("iota", (_avals, { dtype, shape, dimension }) => {
  if (dimension < 0 || dimension >= shape.length) throw new ShapeError(`iota dimension ${dimension} out of range for shape ${showShape(shape)}`)
  return [new ShapedArray(shape, dtype, false)]
})
iotaP.printParams = (p) => [["dimension", String(p.dimension)], ["dtype", p.dtype], ["shape", tuple(p.shape)]]
export const iota = (dtype: DType, shape: ReadonlyArray<number>, dimension = 0): Array =>
  bind1(iotaP, [], { dtype, shape: [...shape], dimension })

// ---------------------------------------------------------------------------------------------
// Batching: the batch dimension goes first and every dimension parameter shifts past it.

broadcastInDimP.batch = ([x], [d], { shape, broadcastDimensions }, size) => [
  [bind1(broadcastInDimP, [batchFirst(x!, d!)], { shape: [size, ...shape], broadcastDimensions: [0, ...broadcastDimensions.map((b) => b + 1)] })],
  [0]
]
reshapeP.batch = ([x], [d], { newSizes }, size) => [[reshape(batchFirst(x!, d!), [size, ...newSizes])], [0]]
transposeP.batch = ([x], [d], { permutation }) => [[transpose(batchFirst(x!, d!), [0, ...permutation.map((p) => p + 1)])], [0]]
sliceP.batch = ([x], [d], { startIndices, limitIndices, strides }, size) => [
  [slice(batchFirst(x!, d!), [0, ...startIndices], [size, ...limitIndices], [1, ...strides])],
  [0]
]
revP.batch = ([x], [d], { dimensions }) => [[rev(batchFirst(x!, d!), dimensions.map((a) => a + 1))], [0]]
concatenateP.batch = (xs, dims, { dimension }, size) => [
  [concatenate(xs.map((x, i) => moveBatchAxis(x, dims[i]!, 0, size)), dimension + 1)],
  [0]
]
padP.batch = ([x, v], [dx, dv], { paddingConfig }, size) => {
  const xb = moveBatchAxis(x!, dx!, 0, size)
  const config = [[0, 0, 0] as const, ...paddingConfig]
  if (dv === null) return [[pad(xb, v!, config)], [0]]
  // A per-example padding value: pad with zeros, then fill the padding from a mask.
  const zero = constant(0, v!.dtype)
  const padded = pad(xb, zero, config)
  const inside = pad(constant(1, "bool", xb.shape), constant(0, "bool"), config)
  const vb = broadcastInDimRaw(batchFirst(v!, dv!), padded.shape, [0])
  return [[select(inside, padded, vb)], [0]]
}
