/**
 * Samplers (JAX's `jax.random` in camelCase): bits to floats exactly as JAX builds them, so a
 * key gives JAX's numbers. Floats in [1, 2) come from random mantissa bits under the exponent of
 * 1.0 (`bits >>> 9 | 0x3F800000` for float32), bit-cast, minus 1, scaled and shifted, clamped
 * below by minval; normals are sqrt(2) * erf_inv(u) for u uniform in (-1, 1); the rest follow
 * `jax._src.random` step by step. Every sampler takes a single key (use vmap for a batch of
 * keys), typed (`random.key`) or raw (`random.PRNGKey`).
 */
import { Array } from "../array.js"
import type { DType } from "../dtype.js"
import { requestDType } from "../dtypes/x64.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import * as np from "../numpy/index.js"
import { checkOneOf, checkOptions, optionKeys } from "../options.js"
import { bitcastConvertType, erfInv, shiftLeft, shiftRightLogical, sort, sortKeyVal } from "../primitives/bits.js"
import { constant } from "../primitives/common.js"
import {
  abs,
  add,
  and,
  convertElementType,
  div,
  eq,
  erf,
  ge,
  gt,
  le,
  log,
  log1p,
  lt,
  max,
  min,
  mul,
  neg,
  or,
  rem,
  select,
  sign,
  stopGradient,
  sub
} from "../primitives/elementwise.js"
import { gather } from "../primitives/indexing.js"
import { argmax, reduceSum } from "../primitives/reduce.js"
import { concatenate, iota, reshape, slice } from "../primitives/shape-ops.js"
import { broadcastShapes, checkShape as checkShapeArg, normalizeAxis, showShape, sizeOf } from "../shape.js"
import { cholesky } from "./cholesky.js"
import { consume, type KeyArray, keyDataOf, type PRNGKeyArray, rewrap, type SplitKeys } from "./keys.js"
import { isThreefryPartitionable, randomBits, randomFoldIn, randomSplit } from "./prims.js"

export type FloatDType = "float32" | "float64"
export type IntDType = "int32" | "uint32"
/** A shape: a tuple of sizes, or one size for a vector. */
export type ShapeArg = number | ReadonlyArray<number>
/** A real parameter: a JS number or an Array (broadcast against the result shape). */
export type Real = number | Array
/** A dtype, given directly or as `{ dtype }`. */
export type DTypeArg<D> = D | { readonly dtype?: D }

// ---------------------------------------------------------------------------------------------
// Helpers

export const toShape = (what: string, shape: ShapeArg | undefined): number[] =>
  shape === undefined ? [] : checkShapeArg(typeof shape === "number" ? [shape] : shape, `random.${what}: shape`)

export const dtypeOf = <D extends string>(what: string, arg: DTypeArg<D> | undefined, dflt: D): D =>
  // float64 is float32 with x64 off (JAX's canonicalization, with its warning).
  requestDType(arg === undefined ? dflt : typeof arg === "string" ? arg : (checkOptions(`random.${what}`, arg, DTYPE_KEYS).dtype ?? dflt), what) as D
const DTYPE_KEYS = ["dtype"]

export const checkFloat = (what: string, requested: string): FloatDType => {
  const d = requestDType(requested, what)
  if (d !== "float32" && d !== "float64") throw new DTypeError(`dtype argument to random.${what} must be a float dtype, got ${d}`)
  return d
}

/** The raw data of a single key, consumed by `fn`. */
export const single = (fn: string, key: KeyArray, consumes = true): Array => {
  const data = consumes ? consume(fn, key) : keyDataOf(`random.${fn}`, key)
  if (data.ndim !== 1) {
    throw new ShapeError(
      `random.${fn} accepts a single key, but was given a key array of shape ${showShape(data.shape.slice(0, -1))} != (). ` + "Use vmap for batching."
    )
  }
  return data
}

export const u32 = (v: number): Array => constant(v, "uint32")
export const scalar = (v: number, dtype: DType): Array => constant(v, dtype)
export const asDtype = (x: Real, dtype: DType): Array => (x instanceof Array ? convertElementType(x, dtype) : scalar(x, dtype))
/** Leading size-1 axes up to `rank` (rank-0 arrays broadcast as they are). */
export const toRank = (x: Array, rank: number): Array => {
  if (x.ndim === 0 || x.ndim === rank) return x
  if (x.ndim > rank) throw new ShapeError(`random: a parameter of shape ${showShape(x.shape)} has more axes than the result (rank ${rank})`)
  return reshape(x, [...new globalThis.Array<number>(rank - x.ndim).fill(1), ...x.shape])
}
export const shapeOf = (x: Real): number[] => (x instanceof Array ? [...x.shape] : [])
export const checkShape = (what: string, shape: ReadonlyArray<number>, ...params: ReadonlyArray<ReadonlyArray<number>>): void => {
  const b = broadcastShapes(shape, ...params)
  if (b.length !== shape.length || b.some((d, i) => d !== shape[i])) {
    throw new ShapeError(
      `random.${what}: parameter shapes ${params.map(showShape).join(", ")} must broadcast to the shape argument ` +
        `${showShape(shape)} (broadcasting gave ${showShape(b)})`
    )
  }
}

/** Row i of a [m, 2] key array (raw data). */
export const keyRow = (keys: Array, i: number): Array => reshape(slice(keys, [i, 0], [i + 1, 2]), [2])
export const split2 = (k: Array): [Array, Array] => {
  const ks = randomSplit(k, [2])
  return [keyRow(ks, 0), keyRow(ks, 1)]
}
/** The two 32-bit words [..., 0] and [..., 1] of a [...shape, 2] array, each of `shape`. */
const words = (x: Array, shape: ReadonlyArray<number>): [Array, Array] => {
  const z = shape.map(() => 0)
  return [reshape(slice(x, [...z, 0], [...shape, 1]), shape), reshape(slice(x, [...z, 1], [...shape, 2]), shape)]
}
const stackWords = (lo: Array, hi: Array, shape: ReadonlyArray<number>): Array =>
  concatenate([reshape(lo, [...shape, 1]), reshape(hi, [...shape, 1])], shape.length)

export const finfo = (dtype: FloatDType) =>
  dtype === "float32" ? { nmant: 23, eps: 2 ** -23, epsneg: 2 ** -24, tiny: 2 ** -126 } : { nmant: 52, eps: 2 ** -52, epsneg: 2 ** -53, tiny: 2 ** -1022 }

/** The next float after x toward +inf (`up`) or -inf, elementwise (lax.nextafter). */
const nextAfter = (x: Array, up: boolean): Array => {
  const dtype = x.dtype as FloatDType
  const zero = scalar(0, dtype)
  const target = scalar(up ? Infinity : -Infinity, dtype)
  // Away from zero the raw bits grow by one, toward zero they shrink by one (sign-magnitude).
  const away = up ? gt(x, zero) : lt(x, zero)
  const tinyNext = scalar(up ? 2 ** (dtype === "float32" ? -149 : -1074) : -(2 ** (dtype === "float32" ? -149 : -1074)), dtype)
  let stepped: Array
  if (dtype === "float32") {
    const b = bitcastConvertType(x, "uint32")
    stepped = bitcastConvertType(select(away, add(b, u32(1)), sub(b, u32(1))), "float32")
  } else {
    const shape = x.shape
    const [lo, hi] = words(bitcastConvertType(x, "uint32"), shape)
    const loUp = add(lo, u32(1))
    const hiUp = add(hi, convertElementType(eq(loUp, u32(0)), "uint32"))
    const loDown = sub(lo, u32(1))
    const hiDown = sub(hi, convertElementType(eq(lo, u32(0)), "uint32"))
    stepped = bitcastConvertType(stackWords(select(away, loUp, loDown), select(away, hiUp, hiDown), shape), "float64")
  }
  const isZero = eq(x, zero)
  return select(eq(x, target), x, select(isZero, tinyNext, select(ne(x, x), x, stepped)))
}
const ne = (a: Array, b: Array): Array => np.notEqual(a, b)

// ---------------------------------------------------------------------------------------------
// Key operations

/**
 * Split a key into `num` new keys (a leading axis), or into a key array of shape `num`.
 * Typed keys give typed key arrays (destructure them: `const [key, subkey] = random.split(key)`);
 * raw keys give uint32[num, 2].
 *
 * @example
 * const [key, subkey] = random.split(random.key(0))
 * random.normal(subkey, [2])
 * const keys = random.split(key, 4) // 4 new keys
 */
export function split(key: PRNGKeyArray): SplitKeys<2>
export function split<const N extends number>(key: PRNGKeyArray, num: N): SplitKeys<N>
export function split(key: PRNGKeyArray, num: ShapeArg): PRNGKeyArray
export function split(key: Array, num?: ShapeArg): Array
export function split(key: KeyArray, num?: ShapeArg): KeyArray
export function split(key: KeyArray, num: ShapeArg = 2): KeyArray {
  const k = single("split", key)
  return rewrap(key, randomSplit(k, toShape("split", num)))
}

/**
 * A new key from a key and 32-bit integer data (JAX's `fold_in`); the key is not consumed.
 *
 * @example
 * const key = random.key(0)
 * const perStep = [0, 1, 2].map((step) => random.foldIn(key, step)) // three distinct keys
 * random.uniform(perStep[0]!, [2])
 */
export const foldIn = <K extends KeyArray>(key: K, data: number | Array): K => {
  const k = single("foldIn", key, false)
  let d: Array
  if (data instanceof Array) {
    if (data.ndim !== 0)
      throw new ShapeError(`random.foldIn accepts a scalar, but was given an array of shape ${showShape(data.shape)}. Use vmap for batching.`)
    if (data.dtype !== "int32" && data.dtype !== "uint32") throw new DTypeError(`random.foldIn: data must be an integer, got ${data.dtype}`)
    d = convertElementType(data, "uint32")
  } else {
    if (!Number.isInteger(data)) throw new DTypeError(`random.foldIn: data must be a 32-bit integer, got ${data}`)
    if (data < -(2 ** 31) || data >= 2 ** 32) throw new ValueError(`random.foldIn: data ${data} does not fit in 32 bits`)
    d = u32(data >>> 0)
  }
  return rewrap(key, randomFoldIn(k, d)) as K
}

// ---------------------------------------------------------------------------------------------
// Bits and uniforms

/**
 * Uniform random bits as unsigned integers (uint32, the one unsigned dtype).
 *
 * @example
 * random.bits(random.key(0), [2]) // two uint32 words
 */
export const bits = (key: KeyArray, shape?: ShapeArg, dtype: DTypeArg<"uint32" | "uint16" | "uint8"> = "uint32"): Array => {
  const d = dtypeOf("bits", dtype, "uint32") as string
  if (d === "uint64") {
    throw new DTypeError(
      "random.bits: uint64 is not offered: jaxfx has no 64-bit integers (JAX without jax_enable_x64 gives uint32 instead); use uint32, uint16 or uint8."
    )
  }
  if (d !== "uint32" && d !== "uint16" && d !== "uint8") {
    throw new DTypeError(`dtype argument to random.bits must be an unsigned int dtype (uint8, uint16 or uint32), got ${String(d)}`)
  }
  const k = single("bits", key)
  const s = toShape("bits", shape)
  if (d === "uint32") return randomBits(k, 32, s)
  if (isThreefryPartitionable()) return convertElementType(randomBits(k, 32, s), d)
  // JAX's original scheme: the 32-bit words viewed as 8- or 16-bit ones (little-endian), cut to size.
  const width = d === "uint8" ? 8 : 16
  const per = 32 / width
  const n = sizeOf(s)
  const m = Math.ceil(n / per)
  const words = np.broadcastTo(reshape(randomBits(k, 32, [m]), [m, 1]), [m, per])
  const shifts = np.broadcastTo(mul(iota("uint32", [1, per], 1), constant(width, "uint32", [1, per])), [m, per])
  const parts = reshape(and(shiftRightLogical(words, shifts), constant(2 ** width - 1, "uint32", [m, per])), [m * per])
  return reshape(convertElementType(slice(parts, [0], [n]), d), s)
}

/**
 * Uniform floats in [minval, maxval) of `shape` for each key of `k` (raw key data [...K, 2]): the
 * result has shape [...K, ...shape], one independent draw per key, as vmap over keys gives.
 */
export const uniformImpl = (k: Array, shape: ReadonlyArray<number>, dtype: FloatDType, minval: Real, maxval: Real): Array => {
  const full = [...k.shape.slice(0, -1), ...shape]
  const lo = toRank(asDtype(minval, dtype), full.length)
  const hi = toRank(asDtype(maxval, dtype), full.length)
  let floats: Array
  if (dtype === "float32") {
    const b = randomBits(k, 32, shape)
    const fb = or(shiftRightLogical(b, u32(32 - 23)), u32(0x3f800000))
    floats = sub(bitcastConvertType(fb, "float32"), scalar(1, "float32"))
  } else {
    // 64 random bits as (low, high) words; keep the top 52 as the mantissa of a double in [1, 2).
    const [bLo, bHi] = words(randomBits(k, 64, shape), full)
    const mLo = or(shiftRightLogical(bLo, u32(12)), shiftLeft(bHi, u32(20)))
    const mHi = or(shiftRightLogical(bHi, u32(12)), u32(0x3ff00000))
    floats = sub(bitcastConvertType(stackWords(mLo, mHi, full), "float64"), scalar(1, "float64"))
  }
  return max(lo, add(mul(floats, sub(hi, lo)), lo))
}

export interface UniformOptions {
  readonly dtype?: FloatDType
  readonly minval?: Real
  readonly maxval?: Real
}
const UNIFORM_KEYS = optionKeys<UniformOptions>()("dtype", "minval", "maxval")
/**
 * Uniform floats in [minval, maxval) (default [0, 1)).
 *
 * @example
 * random.uniform(random.key(0), [3]) // 3 floats in [0, 1)
 * random.uniform(random.key(1), [2, 2], { minval: -1, maxval: 1 })
 */
export const uniform = (key: KeyArray, shape?: ShapeArg, options: UniformOptions = {}): Array => {
  checkOptions("random.uniform", options, UNIFORM_KEYS)
  const dtype = checkFloat("uniform", options.dtype ?? "float32")
  return uniformImpl(single("uniform", key), toShape("uniform", shape), dtype, options.minval ?? 0, options.maxval ?? 1)
}

/** Standard normals of `shape` per key of `k` (see uniformImpl). */
export const normalImpl = (k: Array, shape: ReadonlyArray<number>, dtype: FloatDType): Array => {
  // u in (-1, 1): minval is the float after -1 toward 0
  const lo = -1 + finfo(dtype).epsneg
  const u = uniformImpl(k, shape, dtype, lo, 1)
  return mul(scalar(Math.SQRT2, dtype), erfInv(u))
}
/**
 * Standard normal floats: sqrt(2) * erf_inv(u), u uniform in (-1, 1), as JAX.
 *
 * @example
 * random.normal(random.key(0), [2, 3]).shape // [2, 3]
 */
export const normal = (key: KeyArray, shape?: ShapeArg, dtype?: DTypeArg<FloatDType>): Array =>
  normalImpl(single("normal", key), toShape("normal", shape), checkFloat("normal", dtypeOf("normal", dtype, "float32")))

/**
 * Standard normals truncated to (lower, upper): u uniform in [erf(lower/sqrt2), erf(upper/sqrt2)),
 * sqrt(2) * erf_inv(u), clamped into the open interval. `shape` defaults to the broadcast of the
 * bounds' shapes.
 *
 * @example
 * random.truncatedNormal(random.key(0), -2, 2, [4]) // 4 normal samples within (-2, 2)
 */
export const truncatedNormal = (key: KeyArray, lower: Real, upper: Real, shape?: ShapeArg | null, dtype?: DTypeArg<FloatDType>): Array => {
  const d = checkFloat("truncatedNormal", dtypeOf("truncatedNormal", dtype, "float32"))
  const k = single("truncatedNormal", key)
  const s = shape === undefined || shape === null ? broadcastShapes(shapeOf(lower), shapeOf(upper)) : toShape("truncatedNormal", shape)
  checkShape("truncatedNormal", s, shapeOf(lower), shapeOf(upper))
  const sqrt2 = scalar(Math.SQRT2, d)
  const lo = toRank(asDtype(lower, d), s.length)
  const hi = toRank(asDtype(upper, d), s.length)
  const a = erf(div(lo, sqrt2))
  const b = erf(div(hi, sqrt2))
  const u = uniformImpl(k, s, d, a, b)
  const out = mul(sqrt2, erfInv(u))
  return min(max(out, nextAfter(stopGradient(lo), true)), nextAfter(stopGradient(hi), false))
}

/**
 * Booleans that are true with probability p (default 0.5); `shape` defaults to p's shape.
 *
 * @example
 * random.bernoulli(random.key(0), 0.3, [5]) // 5 bools, each true with probability 0.3
 */
export const bernoulli = (key: KeyArray, p: Real = 0.5, shape?: ShapeArg | null): Array => {
  const k = single("bernoulli", key)
  const pa = p instanceof Array ? p : scalar(p, "float32")
  if (pa.dtype !== "float32" && pa.dtype !== "float64") throw new DTypeError(`random.bernoulli: probability p must have a floating dtype, got ${pa.dtype}`)
  const s = shape === undefined || shape === null ? [...pa.shape] : toShape("bernoulli", shape)
  checkShape("bernoulli", s, pa.shape)
  return lt(uniformImpl(k, s, pa.dtype, 0, 1), toRank(pa, s.length))
}

// ---------------------------------------------------------------------------------------------
// Integers, permutations, choices

const intRange = (d: IntDType): [number, number] => (d === "int32" ? [-(2 ** 31), 2 ** 31 - 1] : [0, 2 ** 32 - 1])

/** Clip an integer bound into the dtype's range (JAX's _convert_and_clip_integer). */
const clipBound = (x: Real, d: IntDType): Array => {
  const [lo, hi] = intRange(d)
  if (!(x instanceof Array)) return scalar(Math.min(hi, Math.max(lo, Math.trunc(x))), d)
  let a = x.dtype === "float32" || x.dtype === "float64" || x.dtype === "bool" ? convertElementType(x, "int32") : x
  if (a.dtype === d) return a
  // int32 -> uint32 drops negatives; uint32 -> int32 caps at 2^31 - 1
  a = a.dtype === "int32" ? max(a, constant(0, "int32")) : min(a, constant(2 ** 31 - 1, "uint32"))
  return convertElementType(a, d)
}

const randintImpl = (k: Array, shape: ReadonlyArray<number>, minval: Real, maxval: Real, dtype: IntDType): Array => {
  const [, dmax] = intRange(dtype)
  // Where maxval is beyond the dtype's range the span is one larger (randint(k, s, 0, 2**32, uint32)).
  const outOfRange: Array =
    maxval instanceof Array
      ? maxval.dtype === dtype
        ? constant(0, "bool")
        : gt(convertElementType(maxval, "float64"), scalar(dmax, "float64"))
      : constant(maxval > dmax ? 1 : 0, "bool")
  const lo = toRank(clipBound(minval, dtype), shape.length)
  const hi = toRank(clipBound(maxval, dtype), shape.length)
  const oor = toRank(outOfRange, shape.length)
  const [k1, k2] = split2(k)
  const higher = randomBits(k1, 32, shape)
  const lower = randomBits(k2, 32, shape)
  let span = convertElementType(sub(hi, lo), "uint32")
  span = select(le(hi, lo), u32(1), span)
  span = select(and(oor, gt(hi, lo)), add(span, u32(1)), span)
  // 2^32 mod span, by (a * b) mod n = ((a mod n)(b mod n)) mod n
  let multiplier = rem(u32(2 ** 16), span)
  multiplier = rem(mul(multiplier, multiplier), span)
  let offset = add(mul(rem(higher, span), multiplier), rem(lower, span))
  offset = rem(offset, span)
  return add(lo, convertElementType(offset, dtype))
}

/**
 * Uniform integers in [minval, maxval) (slightly biased when the span is not a power of 2, as JAX).
 *
 * @example
 * random.randint(random.key(0), [3], 0, 10) // 3 int32 values in [0, 10)
 */
export const randint = (key: KeyArray, shape: ShapeArg, minval: Real, maxval: Real, dtype?: DTypeArg<IntDType>): Array => {
  const d = dtypeOf("randint", dtype, "int32")
  if (d !== "int32" && d !== "uint32") throw new DTypeError(`random.randint only accepts integer dtypes (int32, uint32), got ${String(d)}`)
  const s = toShape("randint", shape)
  checkShape("randint", s, shapeOf(minval), shapeOf(maxval))
  return randintImpl(single("randint", key), s, minval, maxval, d)
}

/**
 * Shuffle along `axis` by sorting on random 32-bit keys, repeated until collisions are unlikely
 * (JAX's rounds = ceil(3 ln(size) / ln(2^32 - 1))).
 */
const shuffle = (k: Array, x: Array, axis: number): Array => {
  const rounds = Math.ceil((3 * Math.log(Math.max(1, x.size))) / Math.log(4294967295))
  let key = k
  let out = x
  for (let r = 0; r < rounds; r++) {
    const [next, sub] = split2(key)
    key = next
    out = sortKeyVal(randomBits(sub, 32, out.shape), out, axis)[1]
  }
  return out
}

const arange = (n: number): Array => iota("int32", [n])

const concreteInt = (what: string, x: number | Array): number => {
  const v = x instanceof Array ? x.item() : x
  if (!Number.isInteger(v)) throw new DTypeError(`${what} must be an integer or at least 1-dimensional, got ${v}`)
  return v
}

export interface PermutationOptions {
  readonly axis?: number
  readonly independent?: boolean
}
const permutationImpl = (k: Array, x: number | Array, options: PermutationOptions): Array => {
  if (!(x instanceof Array) || x.ndim === 0) {
    if (x instanceof Array && x.dtype !== "int32" && x.dtype !== "uint32")
      throw new DTypeError("random.permutation: x must be an integer or at least 1-dimensional")
    return shuffle(k, arange(concreteInt("random.permutation: x", x)), 0)
  }
  const axis = normalizeAxis(options.axis ?? 0, x.ndim)
  if (options.independent === true || x.ndim === 1) return shuffle(k, x, axis)
  const ind = shuffle(k, arange(x.shape[axis]!), 0)
  return gather(x, ind, axis)
}
/**
 * A random permutation of `arange(x)` (x an integer) or of x's entries along `axis` (the same
 * permutation for every slice, or independent ones with `independent: true`).
 *
 * @example
 * random.permutation(random.key(0), 5) // a shuffle of [0, 1, 2, 3, 4]
 * random.permutation(random.key(0), np.array([10, 20, 30]))
 */
export const permutation = (key: KeyArray, x: number | Array, options: PermutationOptions = {}): Array =>
  permutationImpl(single("permutation", key), x, checkOptions("random.permutation", options, optionKeys<PermutationOptions>()("axis", "independent")))

/** Indices of the k largest entries along the last axis, largest first (lax.top_k's indices). */
const topKIndices = (x: Array, k: number): Array => {
  const last = x.ndim - 1
  const [, idx] = sort([neg(x), iota("int32", x.shape, last)], last, 1) as [Array, Array]
  return slice(
    idx,
    x.shape.map(() => 0),
    [...x.shape.slice(0, -1), k]
  )
}

export interface ChoiceOptions {
  readonly replace?: boolean
  /** Probabilities of the entries of `a` along `axis` (1-D, one per entry). */
  readonly p?: Array | ReadonlyArray<number>
  readonly axis?: number
}
/**
 * A random sample of `a`'s entries along `axis` (or of `arange(a)` for an integer a), of shape
 * `shape`, with or without replacement, uniform or with probabilities `p`.
 *
 * @example
 * random.choice(random.key(0), 5, [3], { replace: false }) // 3 distinct values of [0, 5)
 * random.choice(random.key(1), np.array([1, 2, 3]), [4], { p: np.array([0.5, 0.25, 0.25]) })
 */
export const choice = (key: KeyArray, a: number | Array, shape: ShapeArg = [], options: ChoiceOptions = {}): Array => {
  checkOptions("random.choice", options, optionKeys<ChoiceOptions>()("replace", "p", "axis"))
  const k = single("choice", key)
  const s = toShape("choice", shape)
  const replace = options.replace ?? true
  const arr = a instanceof Array ? a : constant(concreteInt("random.choice: a", a), "int32")
  let axis = 0
  let nInputs: number
  if (arr.ndim === 0) nInputs = concreteInt("random.choice: a", a)
  else {
    axis = normalizeAxis(options.axis ?? 0, arr.ndim)
    nInputs = arr.shape[axis]!
  }
  const nDraws = sizeOf(s)
  if (nDraws === 0) return constant(0, arr.dtype, s)
  if (nInputs <= 0) throw new ValueError("random.choice: a must be greater than 0 unless no samples are taken")
  if (!replace && nDraws > nInputs) throw new ValueError("random.choice: cannot take a larger sample than population when replace=false")
  let result: Array
  if (options.p === undefined) {
    if (replace) {
      const ind = randintImpl(k, s, 0, nInputs, "int32")
      result = arr.ndim === 0 ? ind : gather(arr, ind, axis)
    } else {
      const perm = permutationImpl(k, arr.ndim === 0 ? nInputs : arr, { axis })
      const start = perm.shape.map(() => 0)
      const limit = [...perm.shape]
      limit[arr.ndim === 0 ? 0 : axis] = nDraws
      result = slice(perm, start, limit)
    }
  } else {
    let p = options.p instanceof Array ? options.p : np.asarray(options.p as number[], { dtype: "float32" })
    if (p.dtype !== "float32" && p.dtype !== "float64") p = convertElementType(p, "float32")
    if (p.ndim !== 1 || p.shape[0] !== nInputs) {
      throw new ValueError(
        `random.choice: p must be None or a 1D vector with the same size as a.shape[axis]. p has shape ${showShape(p.shape)} and a.shape[axis] is ${nInputs}.`
      )
    }
    const pd = p.dtype as FloatDType
    let ind: Array
    if (replace) {
      const cuml = np.cumsum(p)
      const total = reshape(slice(cuml, [nInputs - 1], [nInputs]), [])
      const r = mul(total, sub(scalar(1, pd), uniformImpl(k, s, pd, 0, 1)))
      // searchsorted(cuml, r) (side left): how many cumulative sums are below r
      const below = lt(reshape(cuml, [...s.map(() => 1), nInputs]), reshape(r, [...s, 1]))
      ind = reduceSum(convertElementType(below, "int32"), [s.length])
    } else {
      const g = add(gumbelImpl(k, [nInputs], pd, "low"), log(p))
      ind = topKIndices(g, nDraws)
    }
    result = arr.ndim === 0 ? ind : gather(arr, ind, axis)
  }
  const outShape = arr.ndim === 0 ? s : [...arr.shape.slice(0, axis), ...s, ...arr.shape.slice(axis + 1)]
  return reshape(result, outShape)
}

// ---------------------------------------------------------------------------------------------
// Continuous distributions from one uniform

export type GumbelMode = "low" | "high"
const GUMBEL_MODES: ReadonlyArray<GumbelMode> = ["low", "high"]
export const gumbelImpl = (k: Array, shape: ReadonlyArray<number>, dtype: FloatDType, mode: GumbelMode): Array => {
  const fi = finfo(dtype)
  if (mode === "high") {
    const u = uniformImpl(k, [2, ...shape], dtype, 0, 1)
    const z = shape.map(() => 0)
    const high = reshape(slice(u, [0, ...z], [1, ...shape]), shape)
    const low = reshape(slice(u, [1, ...z], [2, ...shape]), shape)
    const x = select(ge(high, scalar(0.5, dtype)), high, add(add(high, mul(scalar(2 ** -fi.nmant, dtype), low)), scalar(fi.tiny, dtype)))
    return neg(log(neg(log1p(neg(x)))))
  }
  return neg(log(neg(log(uniformImpl(k, shape, dtype, fi.tiny, 1)))))
}
export interface GumbelOptions {
  readonly dtype?: FloatDType
  /** "low" (default, as JAX): one uniform per sample; "high": two, for rarer events. */
  readonly mode?: GumbelMode
}
/**
 * Standard Gumbel samples: -log(-log(u)).
 *
 * @example
 * random.gumbel(random.key(0), [3])
 */
export const gumbel = (key: KeyArray, shape?: ShapeArg, options: FloatDType | GumbelOptions = {}): Array => {
  const o = typeof options === "string" ? { dtype: options } : checkOptions("random.gumbel", options, optionKeys<GumbelOptions>()("dtype", "mode"))
  checkOneOf("random.gumbel", "mode", o.mode, GUMBEL_MODES)
  return gumbelImpl(single("gumbel", key), toShape("gumbel", shape), checkFloat("gumbel", o.dtype ?? "float32"), o.mode ?? "low")
}

/**
 * Standard exponential samples: -log1p(-u).
 *
 * @example
 * random.exponential(random.key(0), [3]) // 3 non-negative floats
 */
export const exponential = (key: KeyArray, shape?: ShapeArg, dtype?: DTypeArg<FloatDType>): Array => {
  const d = checkFloat("exponential", dtypeOf("exponential", dtype, "float32"))
  const u = uniformImpl(single("exponential", key), toShape("exponential", shape), d, 0, 1)
  return neg(log1p(neg(u)))
}

/**
 * Standard Laplace samples: sign(u) log1p(-|u|), u uniform in (-1, 1).
 *
 * @example
 * random.laplace(random.key(0), [3])
 */
export const laplace = (key: KeyArray, shape?: ShapeArg, dtype?: DTypeArg<FloatDType>): Array => {
  const d = checkFloat("laplace", dtypeOf("laplace", dtype, "float32"))
  const u = uniformImpl(single("laplace", key), toShape("laplace", shape), d, -1 + finfo(d).epsneg, 1)
  return mul(sign(u), log1p(neg(abs(u))))
}

/**
 * Standard logistic samples: log(u) - log1p(-u), u uniform in (0, 1).
 *
 * @example
 * random.logistic(random.key(0), [3])
 */
export const logistic = (key: KeyArray, shape?: ShapeArg, dtype?: DTypeArg<FloatDType>): Array => {
  const d = checkFloat("logistic", dtypeOf("logistic", dtype, "float32"))
  const x = uniformImpl(single("logistic", key), toShape("logistic", shape), d, finfo(d).tiny, 1)
  return sub(log(x), log1p(neg(x)))
}

// ---------------------------------------------------------------------------------------------
// Categorical and multivariate normal

export interface CategoricalOptions {
  readonly axis?: number
  readonly shape?: ShapeArg
  /** Sample with replacement (default) or without (Gumbel top-k). */
  readonly replace?: boolean
  readonly mode?: GumbelMode
}
/**
 * Samples of categorical distributions with unnormalized log-probabilities `logits` along
 * `axis` (Gumbel-max). The result has shape `shape`, by default logits' shape without `axis`.
 *
 * @example
 * const logits = np.log(np.array([0.1, 0.2, 0.7]))
 * random.categorical(random.key(0), logits, { shape: [5] }) // 5 int32 class indices in [0, 3)
 */
export const categorical = (key: KeyArray, logits: Array, options: CategoricalOptions = {}): Array => {
  checkOptions("random.categorical", options, optionKeys<CategoricalOptions>()("axis", "shape", "replace", "mode"))
  checkOneOf("random.categorical", "mode", options.mode, GUMBEL_MODES)
  const k = single("categorical", key)
  if (logits.dtype !== "float32" && logits.dtype !== "float64") throw new DTypeError(`random.categorical: logits must be floats, got ${logits.dtype}`)
  const dtype = logits.dtype as FloatDType
  const nd = logits.ndim
  const ax = normalizeAxis(options.axis ?? -1, nd)
  const batchShape = logits.shape.filter((_, i) => i !== ax)
  const shape = options.shape === undefined ? batchShape : toShape("categorical", options.shape)
  checkShape("categorical", shape, batchShape)
  const prefix = shape.slice(0, shape.length - batchShape.length)
  const mode = options.mode ?? "low"
  if (options.replace ?? true) {
    const logitsShape = shape.slice(shape.length - batchShape.length)
    logitsShape.splice(ax, 0, logits.shape[ax]!)
    const g = gumbelImpl(k, [...prefix, ...logitsShape], dtype, mode)
    const l = reshape(logits, [...prefix.map(() => 1), ...logits.shape])
    return argmax(np.add(g, l), prefix.length + ax)
  }
  const noisy = add(logits, gumbelImpl(k, logits.shape, dtype, mode))
  const kk = sizeOf(prefix)
  if (kk > logits.shape[ax]!) {
    throw new ValueError(`random.categorical: number of samples without replacement (${kk}) cannot exceed number of categories (${logits.shape[ax]}).`)
  }
  const idx = topKIndices(np.moveaxis(noisy, ax, -1), kk) // batch + [k]
  const moved = np.moveaxis(idx, -1, 0)
  return reshape(moved, shape)
}

export interface MultivariateNormalOptions {
  /** The batch shape of the result (the result is shape + [n]). */
  readonly shape?: ShapeArg
  readonly dtype?: FloatDType
  /** How the covariance is factored; only "cholesky" is available. */
  readonly method?: "cholesky"
}
/**
 * Multivariate normal samples with mean `mean` ([..., n]) and covariance `cov` ([..., n, n]):
 * mean + L z with L the Cholesky factor of cov and z standard normal.
 *
 * @example
 * const mean = np.array([0, 1], { dtype: "float32" })
 * const cov = np.array([[1, 0.5], [0.5, 2]])
 * random.multivariateNormal(random.key(0), mean, cov, { shape: [10] }).shape // [10, 2]
 */
export const multivariateNormal = (
  key: KeyArray,
  mean: Array | ReadonlyArray<number>,
  cov: Array | ReadonlyArray<ReadonlyArray<number>>,
  options: MultivariateNormalOptions = {}
): Array => {
  checkOptions("random.multivariateNormal", options, optionKeys<MultivariateNormalOptions>()("shape", "dtype", "method"))
  checkOneOf("random.multivariateNormal", "method", options.method, ["cholesky"])
  const k = single("multivariateNormal", key)
  let m = mean instanceof Array ? mean : np.asarray(mean as number[], { dtype: "float32" })
  let c = cov instanceof Array ? cov : np.asarray(cov as number[][], { dtype: "float32" })
  const common: FloatDType = m.dtype === "float64" || c.dtype === "float64" ? "float64" : "float32"
  m = convertElementType(m, common)
  c = convertElementType(c, common)
  const dtype = checkFloat("multivariateNormal", options.dtype ?? common)
  if (m.ndim < 1) throw new ShapeError(`random.multivariateNormal requires mean.ndim >= 1, got mean.ndim == ${m.ndim}`)
  if (c.ndim < 2) throw new ShapeError(`random.multivariateNormal requires cov.ndim >= 2, got cov.ndim == ${c.ndim}`)
  const n = m.shape[m.ndim - 1]!
  if (c.shape[c.ndim - 1] !== n || c.shape[c.ndim - 2] !== n) {
    throw new ShapeError(`random.multivariateNormal requires cov.shape == (..., n, n) for n=${n}, but got cov.shape == ${showShape(c.shape)}.`)
  }
  const batch = options.shape === undefined ? broadcastShapes(m.shape.slice(0, -1), c.shape.slice(0, -2)) : toShape("multivariateNormal", options.shape)
  if (options.shape !== undefined) checkShape("multivariateNormal", batch, m.shape.slice(0, -1), c.shape.slice(0, -2))
  const factor = cholesky(c)
  const z = normalImpl(k, [...batch, n], dtype)
  return np.add(m, np.einsum("...ij,...j->...i", factor, z))
}
