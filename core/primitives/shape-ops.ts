/**
 * Structural primitives: broadcast_in_dim, reshape, transpose (defined in layout.ts), slice, pad,
 * concatenate, rev, iota. Batch rules put the batch dimension first and shift dimension params past it.
 * All are linear; each transpose rule is the structural inverse (broadcast <-> sum, slice <-> pad).
 */
import { type Array, ShapedArray } from "../array.js"
import { checkDType, type DType } from "../dtype.js"
import { DTypeError, ShapeError } from "../errors.js"
import { definePrimitive, UndefPrimal, Zero } from "../primitive.js"
import { checkAxes, checkAxis, checkIntList, checkShape, describe, shapeEqual, showShape, sizeOf } from "../shape.js"
import { bind1 } from "../trace.js"
import { constant, range } from "./common.js"
import { select, sub } from "./elementwise.js"
import { batchFirst, broadcastInDim, moveBatchAxis, reduceSum } from "./layout.js"
import { defLinear } from "./rules.js"

// The layout primitives live in layout.ts (below elementwise.ts); they are exported from here as before.
export {
  type BroadcastParams,
  broadcastInDim,
  broadcastInDimP,
  broadcastTo,
  type ReshapeParams,
  reshape,
  reshapeP,
  transpose,
  type TransposeParams,
  transposeP
} from "./layout.js"

const tuple = (xs: ReadonlyArray<number>): string => `(${xs.join(", ")}${xs.length === 1 ? "," : ""})`

// ---------------------------------------------------------------------------------------------

export interface SliceParams {
  readonly startIndices: ReadonlyArray<number>
  readonly limitIndices: ReadonlyArray<number>
  readonly strides: ReadonlyArray<number>
  readonly [k: string]: unknown
}
export const sliceP = definePrimitive<SliceParams>("slice", ([x], { startIndices, limitIndices, strides }) => {
  const n = x!.ndim
  // One start, limit and stride per dimension of the operand.
  const start = checkIntList(startIndices, "slice: startIndices", { min: 0, length: n })
  const limit = checkIntList(limitIndices, "slice: limitIndices", { min: 0, length: n })
  const step = checkIntList(strides, "slice: strides", { min: 1, length: n })
  const shape = x!.shape.map((d, i) => {
    const s = start[i]!
    const l = limit[i]!
    if (!(s <= l && l <= d)) {
      throw new ShapeError(
        `slice [${s}:${l}:${step[i]}] is out of range for dimension ${i} of size ${d} in shape ${showShape(x!.shape)}; use 0 <= start <= limit <= ${d}.`
      )
    }
    return Math.ceil((l - s) / step[i]!)
  })
  return [new ShapedArray(shape, x!.dtype, x!.weakType)]
})
sliceP.printParams = (p) => [
  ["limit_indices", tuple(p.limitIndices)],
  ["start_indices", tuple(p.startIndices)],
  ["strides", p.strides.every((s) => s === 1) ? "None" : tuple(p.strides)]
]
/**
 * `lax.slice`: the static slice of `x` from `startIndices` (inclusive) to `limitIndices` (exclusive) in every axis, with optional `strides`.
 *
 * @example
 * lax.slice(np.arange(10), [2], [8], [3]) // Array([2, 5], dtype=int32)
 */
export const slice = (x: Array, startIndices: ReadonlyArray<number>, limitIndices: ReadonlyArray<number>, strides?: ReadonlyArray<number>): Array => {
  const start = checkIntList(startIndices, "slice: startIndices")
  const limit = checkIntList(limitIndices, "slice: limitIndices")
  const step = strides === undefined ? start.map(() => 1) : checkIntList(strides, "slice: strides")
  const whole =
    start.length === x.ndim &&
    limit.length === x.ndim &&
    step.length === x.ndim &&
    start.every((s) => s === 0) &&
    limit.every((l, i) => l === x.shape[i]) &&
    step.every((s) => s === 1)
  return whole ? x : bind1(sliceP, [x], { startIndices: start, limitIndices: limit, strides: step })
}
defLinear(sliceP, (ct, [x], { startIndices, strides }) => {
  const aval = x!.aval
  const config = aval.shape.map((d, i): readonly [number, number, number] => {
    const k = ct.shape[i]!
    const s = startIndices[i]!
    const st = strides[i]!
    const used = k === 0 ? 0 : (k - 1) * st + 1
    return [s, d - s - used, k === 0 ? 0 : st - 1]
  })
  // An empty slice has no elements to place: pad an empty row to the full size.
  return [pad(ct, constant(0, aval.dtype), config)]
})
sliceP.batch = ([x], [d], { startIndices, limitIndices, strides }, size) => [
  [slice(batchFirst(x!, d!), [0, ...startIndices], [size, ...limitIndices], [1, ...strides])],
  [0]
]

// ---------------------------------------------------------------------------------------------

export interface PadParams {
  readonly paddingConfig: ReadonlyArray<readonly [number, number, number]>
  readonly [k: string]: unknown
}
/**
 * The (low, high, interior) triples of a padding config, one per dimension of `shape`: safe
 * integers, interior >= 0, and low/high >= `minEdge` (the primitive takes no negative edges; the
 * `pad` function crops for them).
 */
const checkPaddingConfig = (config: unknown, shape: ReadonlyArray<number>, what: string, minEdge?: number): (readonly [number, number, number])[] => {
  if (!globalThis.Array.isArray(config) || config.length !== shape.length) {
    throw new ShapeError(
      `${what}: paddingConfig must be a list of ${shape.length} [low, high, interior] triples (one per dimension of ${showShape(shape)}), got ${describe(config)}.`
    )
  }
  return config.map((c: unknown, i) => {
    const [lo, hi, interior] = checkIntList(c, `${what}: paddingConfig entry ${i} ([low, high, interior])`, { length: 3 })
    if (interior! < 0) throw new ShapeError(`${what}: interior padding must be non-negative, got ${interior} for dimension ${i}.`)
    if (minEdge !== undefined && (lo! < minEdge || hi! < minEdge)) {
      throw new ShapeError(
        `${what}: the pad primitive takes non-negative low and high padding, got [${lo}, ${hi}] for dimension ${i}; lax.pad crops for negative padding.`
      )
    }
    const n = lo! + hi! + shape[i]! + Math.max(0, shape[i]! - 1) * interior!
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new ShapeError(
        `${what}: padding [${lo}, ${hi}, ${interior}] gives dimension ${i} (of size ${shape[i]}) a size of ${n}; the padded size must be non-negative.`
      )
    }
    return [lo!, hi!, interior!] as const
  })
}
export const padP = definePrimitive<PadParams>("pad", ([x, v], { paddingConfig }) => {
  if (v!.ndim !== 0 || v!.dtype !== x!.dtype) {
    throw new ShapeError(`pad needs a scalar padding value of the operand's dtype (${x!.dtype}), got ${v!.str()}; cast or reshape it first.`)
  }
  const config = checkPaddingConfig(paddingConfig, x!.shape, "pad", 0)
  const shape = x!.shape.map((d, i) => {
    const [lo, hi, interior] = config[i]!
    return lo + hi + d + Math.max(0, d - 1) * interior
  })
  return [new ShapedArray(shape, x!.dtype, x!.weakType)]
})
padP.printParams = (p) => [["padding_config", `(${p.paddingConfig.map((c) => tuple(c)).join(", ")}${p.paddingConfig.length === 1 ? "," : ""})`]]
/**
 * `lax.pad`: `paddingConfig[d] = [low, high, interior]` pads dimension d with `low` values before,
 * `high` after and `interior` between elements; negative low/high crop (as in JAX).
 *
 * @example
 * lax.pad(np.array([1, 2]), np.array(0), [[1, -1, 1]]) // [0, 1, 0]
 */
export const pad = (x: Array, value: Array, paddingConfig: ReadonlyArray<readonly [number, number, number]>): Array => {
  const config = checkPaddingConfig(paddingConfig, x.shape, "pad")
  if (config.every(([a, b, c]) => a === 0 && b === 0 && c === 0)) return x
  if (config.every(([a, b]) => a >= 0 && b >= 0)) return bind1(padP, [x, value], { paddingConfig: config })
  // Negative edges: pad the non-negative parts, then crop.
  const grown = pad(
    x,
    value,
    config.map(([a, b, c]) => [Math.max(a, 0), Math.max(b, 0), c] as const)
  )
  return slice(
    grown,
    config.map(([a]) => Math.max(-a, 0)),
    config.map(([, b], i) => grown.shape[i]! - Math.max(-b, 0))
  )
}
defLinear(padP, (ct, [x, v], { paddingConfig }) => {
  const xs = x!.aval.shape
  const inner = slice(
    ct,
    paddingConfig.map(([lo]) => lo),
    paddingConfig.map(([lo], i) => lo + (xs[i] === 0 ? 0 : (xs[i]! - 1) * (paddingConfig[i]![2] + 1) + 1)),
    paddingConfig.map(([, , interior]) => interior + 1)
  )
  const ctX = x instanceof UndefPrimal ? inner : null
  const ctV = v instanceof UndefPrimal ? sub(reduceSum(ct, range(ct.ndim)), reduceSum(inner, range(inner.ndim))) : null
  return [ctX, ctV]
})
padP.batch = ([x, v], [dx, dv], { paddingConfig }, size) => {
  const xb = moveBatchAxis(x!, dx!, 0, size)
  const config = [[0, 0, 0] as const, ...paddingConfig]
  if (dv === null) return [[pad(xb, v!, config)], [0]]
  // A per-example padding value: pad with zeros, then fill the padding from a mask.
  const zero = constant(0, v!.dtype)
  const padded = pad(xb, zero, config)
  const inside = pad(constant(1, "bool", xb.shape), constant(0, "bool"), config)
  const vb = broadcastInDim(batchFirst(v!, dv!), padded.shape, [0])
  return [[select(inside, padded, vb)], [0]]
}

// ---------------------------------------------------------------------------------------------

export interface ConcatParams {
  readonly dimension: number
  readonly [k: string]: unknown
}
export const concatenateP = definePrimitive<ConcatParams>("concatenate", (avals, { dimension }) => {
  const a0 = avals[0]
  if (a0 === undefined) throw new ShapeError("concatenate needs at least one array")
  if (avals.some((a) => a.ndim !== a0.ndim)) {
    throw new ShapeError(`concatenate: arrays of different ranks (shapes ${avals.map((b) => showShape(b.shape)).join(", ")}); reshape them to one rank first.`)
  }
  checkAxis(dimension, a0.ndim, "concatenate: dimension")
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
  return [
    new ShapedArray(
      shape,
      a0.dtype,
      avals.every((a) => a.weakType)
    )
  ]
})
concatenateP.printParams = (p) => [["dimension", String(p.dimension)]]
/**
 * `lax.concatenate`: join arrays of one dtype and rank along `dimension` (the other dims must match).
 *
 * @example
 * lax.concatenate([np.array([1, 2]), np.array([3])], 0) // Array([1, 2, 3], dtype=int32)
 */
export const concatenate = (xs: ReadonlyArray<Array>, dimension: number): Array => (xs.length === 1 ? xs[0]! : bind1(concatenateP, xs, { dimension }))
defLinear(concatenateP, (ct, args, { dimension }) => {
  let off = 0
  return args.map((a) => {
    const n = a.aval.shape[dimension]!
    const start = off
    off += n
    if (!(a instanceof UndefPrimal)) return null
    const st = a.aval.shape.map((_, i) => (i === dimension ? start : 0))
    const lim = a.aval.shape.map((d, i) => (i === dimension ? start + n : d))
    return slice(ct, st, lim)
  })
})
concatenateP.batch = (xs, dims, { dimension }, size) => [
  [
    concatenate(
      xs.map((x, i) => moveBatchAxis(x, dims[i]!, 0, size)),
      dimension + 1
    )
  ],
  [0]
]

// ---------------------------------------------------------------------------------------------

export interface RevParams {
  readonly dimensions: ReadonlyArray<number>
  readonly [k: string]: unknown
}
export const revP = definePrimitive<RevParams>("rev", ([x], { dimensions }) => {
  checkAxes(dimensions, x!.ndim, "rev: dimensions")
  return [x!]
})
revP.printParams = (p) => [["dimensions", tuple(p.dimensions)]]
/**
 * `lax.rev`: reverse `x` along each axis in `dimensions`.
 *
 * @example
 * lax.rev(np.array([[1, 2], [3, 4]]), [1]) // Array([[2, 1], [4, 3]], dtype=int32)
 */
export const rev = (x: Array, dimensions: ReadonlyArray<number>): Array => {
  const dims = checkIntList(dimensions, "rev: dimensions")
  return dims.length === 0 ? x : bind1(revP, [x], { dimensions: dims })
}
defLinear(revP, (ct, _args, p) => [bind1(revP, [ct], p)])
revP.batch = ([x], [d], { dimensions }) => [
  [
    rev(
      batchFirst(x!, d!),
      dimensions.map((a) => a + 1)
    )
  ],
  [0]
]

// ---------------------------------------------------------------------------------------------

export interface IotaParams {
  readonly dtype: DType
  readonly shape: ReadonlyArray<number>
  readonly dimension: number
  readonly [k: string]: unknown
}
/** Indices along one dimension, broadcast over the others. */
export const iotaP = definePrimitive<IotaParams>("iota", (_avals, { dtype, shape, dimension }) => {
  const d = checkDType(dtype, "iota")
  if (d === "bool") throw new DTypeError("iota does not take bool (it counts); use int32, uint32, float32 or float64.")
  const out = checkShape(shape, "iota: shape")
  checkAxis(dimension, out.length, `iota: dimension (for shape ${showShape(out)})`)
  return [new ShapedArray(out, d, false)]
})
iotaP.printParams = (p) => [
  ["dimension", String(p.dimension)],
  ["dtype", p.dtype],
  ["shape", tuple(p.shape)]
]
/**
 * `lax.iota`: an array of `dtype` and `shape` holding 0, 1, 2, ... along axis `dimension` (broadcast along the others).
 *
 * @example
 * lax.iota("int32", [4]) // Array([0, 1, 2, 3], dtype=int32)
 * lax.iota("int32", [2, 3], 1) // Array([[0, 1, 2], [0, 1, 2]], dtype=int32)
 */
export const iota = (dtype: DType, shape: ReadonlyArray<number>, dimension = 0): Array =>
  bind1(iotaP, [], { dtype, shape: checkShape(shape, "iota: shape"), dimension })
