/**
 * Bit-level primitives (what `random` is built on): integer shifts, bitcasts between dtypes of
 * one width, the Threefry-2x32 hash, the inverse error function, and a multi-operand sort.
 * Each primitive's rules sit right under its definition; the eager kernels are in
 * `backends/cpu/bits.ts`.
 *
 * Semantics are XLA's: shifts by an amount >= 32 (or negative, read as unsigned) give 0 for the
 * left and logical shifts and the sign fill for the arithmetic shift; `bitcast_convert_type`
 * reinterprets bytes (little-endian when the widths differ: float64 <-> uint32[..., 2]);
 * `threefry2x32` is Random123's Threefry-2x32 with 20 rounds; `erf_inv` follows XLA's float32
 * (Giles' single-precision) and float64 (Giles' double-precision) polynomial approximations.
 */
import { type Array, ShapedArray } from "../array.js"
import { checkDType, type DType, isFloat, isInexact, itemsize, shortName } from "../dtype.js"
import { DTypeError, ShapeError } from "../errors.js"
import { batchFirst, moveBatchAxis } from "./layout.js"
import { type BatchRule, definePrimitive, type Params, type Primitive, UndefPrimal, Zero } from "../primitive.js"
import { checkAxis, checkFlag, describe, normalizeAxis, showShape } from "../shape.js"
import { bind, bind1 } from "../trace.js"
import { defBroadcasting } from "./broadcasting.js"
import { constLike, zeroOf } from "./common.js"
import { broadcastEqualRank, exp, mul, type NoParams } from "./elementwise.js"
import { defJvp, defVectorized, defZeroJvp } from "./rules.js"
import { iota, reshape } from "./shape-ops.js"

const none: NoParams = {}

const isInt32Like = (d: DType): boolean => d === "int32" || d === "uint32"

// ---------------------------------------------------------------------------------------------
// Shifts

const shiftShape =
  (name: string) =>
  ([x, y]: ReadonlyArray<ShapedArray>) => {
    if (x!.dtype !== y!.dtype || !isInt32Like(x!.dtype)) {
      throw new DTypeError(
        `${name} needs two int32 or two uint32 operands, got ${shortName[x!.dtype]}${showShape(x!.shape)} and ` +
          `${shortName[y!.dtype]}${showShape(y!.shape)}; cast with astype first.`
      )
    }
    return [new ShapedArray(broadcastEqualRank(name, x!.shape, y!.shape), x!.dtype, x!.weakType && y!.weakType)]
  }

/** A shift primitive with its rules; its binder is written beside it (with its TSDoc). */
const shift = (name: string): Primitive<NoParams> => {
  const p = definePrimitive<NoParams>(name, shiftShape(name))
  p.paramFree = true
  defZeroJvp(p)
  defBroadcasting(p)
  return p
}

export const shiftLeftP = shift("shift_left")
/**
 * `lax.shift_left`: `x << y` elementwise for two int32 or two uint32 operands; shifts of 32 or more give 0.
 *
 * @example
 * lax.shiftLeft(np.array([1, 3]), np.array([4, 1])) // Array([16,  6], dtype=int32)
 */
export const shiftLeft = (x: Array, y: Array): Array => bind1(shiftLeftP, [x, y], none)
export const shiftRightLogicalP = shift("shift_right_logical")
/**
 * `lax.shift_right_logical`: `x >>> y` elementwise (zeros shifted in) for two int32 or two uint32 operands; shifts of 32 or more give 0.
 *
 * @example
 * lax.shiftRightLogical(np.array([-16, 16]), np.array([28, 2])) // Array([15,  4], dtype=int32)
 */
export const shiftRightLogical = (x: Array, y: Array): Array => bind1(shiftRightLogicalP, [x, y], none)
export const shiftRightArithmeticP = shift("shift_right_arithmetic")
/**
 * `lax.shift_right_arithmetic`: `x >> y` elementwise (the sign bit shifted in) for two int32 or two uint32 operands; shifts of 32 or more give all sign bits.
 *
 * @example
 * lax.shiftRightArithmetic(np.array([-16, 16]), np.array([2, 2])) // Array([-4,  4], dtype=int32)
 */
export const shiftRightArithmetic = (x: Array, y: Array): Array => bind1(shiftRightArithmeticP, [x, y], none)

// ---------------------------------------------------------------------------------------------
// bitcast_convert_type

export interface BitcastParams {
  readonly newDtype: DType
  readonly [k: string]: unknown
}
export const bitcastConvertTypeP = definePrimitive<BitcastParams>("bitcast_convert_type", ([x], { newDtype }) => {
  checkDType(newDtype, "bitcast_convert_type")
  const from = x!.dtype
  if (from === "bool" || newDtype === "bool") {
    throw new DTypeError(`bitcast_convert_type does not take bool (from ${from} to ${newDtype}); use convert_element_type.`)
  }
  const a = itemsize(from)
  const b = itemsize(newDtype)
  if (a === b) return [new ShapedArray(x!.shape, newDtype, false)]
  if (a === 2 * b) return [new ShapedArray([...x!.shape, 2], newDtype, false)]
  // b === 2 * a: the last dimension holds the two halves
  if (x!.ndim === 0 || x!.shape[x!.ndim - 1] !== 2) {
    throw new ShapeError(`bitcast_convert_type from ${from} to the wider ${newDtype} needs a last dimension of size 2, got shape ${showShape(x!.shape)}`)
  }
  return [new ShapedArray(x!.shape.slice(0, -1), newDtype, false)]
})
bitcastConvertTypeP.printParams = (p) => [["new_dtype", p.newDtype]]
/**
 * Reinterpret the bytes of `x` as `newDtype` (JAX's `lax.bitcast_convert_type`).
 *
 * @example
 * lax.bitcastConvertType(np.array([1], { dtype: "float32" }), "int32") // Array([1065353216], dtype=int32)
 */
export const bitcastConvertType = (x: Array, newDtype: DType): Array => (x.dtype === newDtype ? x : bind1(bitcastConvertTypeP, [x], { newDtype }))
defZeroJvp(bitcastConvertTypeP)
bitcastConvertTypeP.batch = ([x], [d], params) => [[bind1(bitcastConvertTypeP, [batchFirst(x!, d!)], params)], [0]]

// ---------------------------------------------------------------------------------------------
// erf_inv

export const erfInvP = definePrimitive<NoParams>("erf_inv", ([x]) => {
  if (!isFloat(x!.dtype)) {
    throw new DTypeError(`erf_inv does not accept ${x!.dtype} operands (it takes float dtypes); convert first with x.astype(...).`)
  }
  return [x!]
})
/**
 * The inverse error function, elementwise (XLA's polynomial approximations).
 *
 * @example
 * lax.erfInv(np.array([0, 0.5])) // Array([0.        , 0.47693628], dtype=float32)
 */
export const erfInv = (x: Array): Array => bind1(erfInvP, [x], none)
// d/dx erfinv(x) = sqrt(pi) / 2 * exp(erfinv(x)^2)
defJvp(erfInvP, (t, _xs, out) => mul(t, mul(constLike(out, Math.sqrt(Math.PI) / 2), exp(mul(out, out)))))
defVectorized(erfInvP)

// ---------------------------------------------------------------------------------------------
// threefry2x32(k0, k1, x0, x1) -> (y0, y1): the Threefry-2x32 hash of the counter (x0, x1) under
// the key (k0, k1), elementwise over uint32 operands that broadcast together.

export const threefry2x32P = definePrimitive<NoParams>(
  "threefry2x32",
  (avals) => {
    if (avals.length !== 4) throw new ShapeError(`threefry2x32 takes 4 operands (k0, k1, x0, x1), got ${avals.length}`)
    let shape: number[] = []
    for (const a of avals) {
      if (a.dtype !== "uint32") {
        throw new DTypeError(`threefry2x32 needs uint32 operands, got ${avals.map((b) => b.str()).join(", ")}`)
      }
      shape = broadcastEqualRank("threefry2x32", shape.length === 0 && a.ndim > 0 ? a.shape : shape, a.shape)
    }
    const out = new ShapedArray(shape, "uint32", false)
    return [out, out]
  },
  true
)
/** Hash the counters (x0, x1) with the key (k0, k1); returns both output words. */
export const threefry2x32 = (k0: Array, k1: Array, x0: Array, x1: Array): [Array, Array] => {
  const [y0, y1] = bind(threefry2x32P, [k0, k1, x0, x1], none)
  return [y0!, y1!]
}
defZeroJvp(threefry2x32P)
defBroadcasting(threefry2x32P)

// ---------------------------------------------------------------------------------------------
// sort: sort several operands of one shape along `dimension` by the first `numKeys` of them
// (lexicographically), stably. Floats sort with -0 == 0 and NaNs last, as in JAX.

export interface SortParams {
  readonly dimension: number
  readonly isStable: boolean
  readonly numKeys: number
  readonly [k: string]: unknown
}
export const sortP = definePrimitive<SortParams>(
  "sort",
  (avals, { dimension, isStable, numKeys }) => {
    const a0 = avals[0]
    if (a0 === undefined) throw new ShapeError("sort needs at least one operand")
    if (a0.ndim === 0) throw new ShapeError("sort needs operands of rank >= 1")
    checkAxis(dimension, a0.ndim, "sort: dimension")
    checkFlag(isStable, "sort: isStable")
    if (!Number.isSafeInteger(numKeys) || numKeys < 1 || numKeys > avals.length) {
      throw new ShapeError(`sort: numKeys must be an integer in [1, ${avals.length}] (the number of operands), got ${describe(numKeys)}.`)
    }
    for (const a of avals) {
      if (a.ndim !== a0.ndim || a.shape.some((d, i) => d !== a0.shape[i])) {
        throw new ShapeError(`sort operands must share a shape, got ${avals.map((b) => showShape(b.shape)).join(", ")}`)
      }
    }
    return avals.map((a) => new ShapedArray(a.shape, a.dtype, a.weakType))
  },
  true
)
sortP.printParams = (p) => [
  ["dimension", String(p.dimension)],
  ["is_stable", p.isStable ? "True" : "False"],
  ["num_keys", String(p.numKeys)]
]
/** Sort `operands` along `dimension` by the first `numKeys` operands (stable). */
export const sort = (operands: ReadonlyArray<Array>, dimension = -1, numKeys = 1): Array[] => {
  const d = operands.length === 0 ? 0 : normalizeAxis(dimension, operands[0]!.ndim)
  return [...bind(sortP, operands, { dimension: d, isStable: true, numKeys })]
}
/** `lax.sort_key_val`: sort `values` by `keys` along `dimension`. */
export const sortKeyVal = (keys: Array, values: Array, dimension = -1): [Array, Array] => {
  const [k, v] = sort([keys, values], dimension, 1)
  return [k!, v!]
}
// Sorting permutes each operand the same way: the tangents ride along as extra (non-key) operands.
// The primal outputs come from a sort of the primals alone, and the tangents are sorted by the primal
// keys in a second sort (linear in them): partial evaluation then keeps the sorted primals (and
// indices computed from them, as in take_along_axis with top_k's indices) known.
sortP.jvp = (primals, tangents, params) => {
  const outs = bind(sortP, primals, params)
  const k = params.numKeys
  const touts = bind(sortP, [...primals.slice(0, k), ...tangents], params).slice(k)
  return [outs, touts.map((t, i) => (isInexact(primals[i]!.dtype) ? t : zeroOf(t)))]
}
// Linear in its non-key operands: out = x[perm]. The cotangent goes back through the inverse
// permutation, which is a sort of (perm, ct) by perm.
sortP.transpose = (cts, args, { dimension, numKeys }) => {
  const keys = args.slice(0, numKeys)
  if (keys.some((k) => k instanceof UndefPrimal)) throw new Error("sort is not linear in its keys") // internal invariant
  const shape = args[0]!.aval.shape
  const perm = bind(sortP, [...(keys as Array[]), iota("int32", shape, dimension)], { dimension, isStable: true, numKeys })[numKeys]!
  return args.map((a, i) => {
    if (!(a instanceof UndefPrimal)) return null
    const ct = cts[i]!
    if (ct instanceof Zero) return new Zero(a.aval)
    return bind(sortP, [perm, ct], { dimension, isStable: true, numKeys: 1 })[1]!
  })
}
sortP.batch = (args, dims, params, size) => {
  const xs = args.map((a, i) => moveBatchAxis(a, dims[i]!, 0, size))
  const outs = bind(sortP, xs, { ...params, dimension: params.dimension + 1 })
  return [outs, outs.map(() => 0)]
}
