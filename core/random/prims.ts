/**
 * The PRNG primitives, on raw key data (uint32 arrays whose last dimension, of size 2, holds one
 * threefry key): `random_bits`, `random_split`, `random_fold_in`. Leading dimensions of the key
 * data are batch dimensions (a key array), so batching is moving the batch dimension first.
 * Each has an impl in terms of `threefry2x32` and the structural primitives, which is what eager
 * evaluation, jit and every transformation run; the bits never depend on how they were reached.
 *
 * How keys become bits follows JAX (`jax._src.prng`). With the "partitionable" scheme (JAX's
 * default since 0.5.0) element i of a draw of shape S is threefry(key, (hi(i), lo(i))) with i the
 * row-major index in S as a 64-bit counter; 32-bit draws xor the two output words, 64-bit draws
 * keep both; `split` hashes the same counters and keeps both words as the new key. The original
 * scheme (`threefryPartitionable(false)`) hashes the iota of the needed words split in two halves.
 * `fold_in(key, d)` is threefry(key, (0, d)) in both.
 */
import { type Array, ShapedArray } from "../array.js"
import { DTypeError, ShapeError } from "../errors.js"
import { moveBatchAxis } from "../interpreters/batch.js"
import { definePrimitive, type Primitive } from "../primitive.js"
import { threefry2x32 } from "../primitives/bits.js"
import { constant } from "../primitives/common.js"
import { convertElementType, xor } from "../primitives/elementwise.js"
import { defZeroJvp } from "../primitives/rules.js"
import { broadcastInDim, concatenate, iota, reshape, slice } from "../primitives/shape-ops.js"
import { checkFlag, checkShape, describe, showShape, sizeOf } from "../shape.js"
import { bind1 } from "../trace.js"

const tuple = (xs: ReadonlyArray<number>): string => `(${xs.join(", ")}${xs.length === 1 ? "," : ""})`

let partitionable = true

/**
 * Choose how keys become bits: JAX's "partitionable" threefry scheme (the default, as in JAX since
 * 0.5.0) or the original one (`jax_threefry_partitionable=False`, JAX before 0.5.0). Both give
 * the same keys from `key`/`PRNGKey`/`foldIn`; `split` and every draw differ. The setting is read
 * when a function is traced: a jitted function keeps the scheme it was traced with.
 *
 * @example
 * random.threefryPartitionable(false) // the older, non-partitionable scheme
 * random.uniform(random.key(0), [2])
 * random.threefryPartitionable(true)
 */
export const threefryPartitionable = (enabled: boolean): void => {
  partitionable = enabled
}
/**
 * Whether random bits use the partitionable threefry scheme (`random.threefryPartitionable`, JAX's `jax_threefry_partitionable`).
 *
 * @example
 * random.isThreefryPartitionable() // true (JAX's default since 0.5)
 */
export const isThreefryPartitionable = (): boolean => partitionable

const checkKeyData = (name: string, k: ShapedArray): void => {
  if (k.dtype !== "uint32" || k.ndim === 0 || k.shape[k.ndim - 1] !== 2) {
    throw new DTypeError(
      `${name} needs threefry key data: a uint32 array whose last dimension has size 2, got ${k.str()}. ` +
        "Make keys with random.key(seed) or random.PRNGKey(seed)."
    )
  }
}

/** Zero derivative: outputs are integers. */
const zeroJvp = defZeroJvp

/** The two words of a key array, shaped [...K, 1 x extraRank] to broadcast against counters. */
const keyWords = (keys: Array, extraRank: number): [Array, Array] => {
  const lead = keys.shape.slice(0, -1)
  const ones = new globalThis.Array<number>(extraRank).fill(1)
  const word = (i: number): Array => reshape(slice(keys, [...lead.map(() => 0), i], [...lead, i + 1]), [...lead, ...ones])
  return [word(0), word(1)]
}

/** Counters 0..n-1 in row-major order over `shape`, as the low words, shaped [1 x lead, ...shape]. */
const counters = (shape: ReadonlyArray<number>, leadRank: number): Array => {
  const n = sizeOf(shape)
  if (n > 0xffffffff) throw new ShapeError(`random: draws of more than 2^32 - 1 elements are not supported (shape ${showShape(shape)})`)
  const lead = new globalThis.Array<number>(leadRank).fill(1)
  return reshape(iota("uint32", [n]), [...lead, ...shape])
}

const zeroU32 = (): Array => constant(0, "uint32", [], false)

/** Both output words of the partitionable scheme for every counter of `shape`. */
const hashCounters = (keys: Array, shape: ReadonlyArray<number>): [Array, Array] => {
  const leadRank = keys.ndim - 1
  const [k0, k1] = keyWords(keys, shape.length)
  const lo = shape.length === 0 ? zeroU32() : counters(shape, leadRank)
  return threefry2x32(k0, k1, zeroU32(), lo)
}

/**
 * The original scheme: hash the counters 0..m-1 (m even after padding) as the pairs
 * (i, i + m/2); the output words are y0 ++ y1, cut to `count`. Shape [...K, count].
 */
const originalWords = (keys: Array, count: number): Array => {
  const lead = keys.shape.slice(0, -1)
  const [k0, k1] = keyWords(keys, 1)
  const half = Math.ceil(count / 2)
  // JAX pads an odd number of counters with a 0
  const all = count % 2 === 0 ? iota("uint32", [count]) : concatenate([iota("uint32", [count]), constant(0, "uint32", [1])], 0)
  const x0 = reshape(slice(all, [0], [half]), [...lead.map(() => 1), half])
  const x1 = reshape(slice(all, [half], [2 * half]), [...lead.map(() => 1), half])
  const [y0, y1] = threefry2x32(k0, k1, x0, x1)
  const words = concatenate([y0, y1], lead.length)
  return count === 2 * half ? words : slice(words, lead.map(() => 0).concat([0]), [...lead, count])
}

// ---------------------------------------------------------------------------------------------
// random_bits[bit_width, shape]: keys uint32[...K, 2] -> uint32[...K, ...shape] (32 bits) or
// uint32[...K, ...shape, 2] (64 bits, little-endian words: [..., 0] low, [..., 1] high).

export interface RandomBitsParams {
  readonly bitWidth: 32 | 64
  readonly shape: ReadonlyArray<number>
  readonly partitionable: boolean
  readonly [k: string]: unknown
}
export const randomBitsP = definePrimitive<RandomBitsParams>("random_bits", ([k], { bitWidth, shape, partitionable: part }) => {
  checkKeyData("random_bits", k!)
  if (bitWidth !== 32 && bitWidth !== 64) throw new DTypeError(`random_bits: bit_width must be 32 or 64, got ${describe(bitWidth)}`)
  const s = checkShape(shape, "random_bits: shape")
  checkFlag(part, "random_bits: partitionable")
  const lead = k!.shape.slice(0, -1)
  return [new ShapedArray(bitWidth === 32 ? [...lead, ...s] : [...lead, ...s, 2], "uint32", false)]
})
randomBitsP.printParams = (p) => [
  ["bit_width", String(p.bitWidth)],
  ["shape", tuple(p.shape)]
]
randomBitsP.impl = ([keys], { bitWidth, shape, partitionable: part }) => {
  const k = keys!
  const lead = k.shape.slice(0, -1)
  if (part) {
    const [b0, b1] = hashCounters(k, shape)
    if (bitWidth === 32) return [xor(b0, b1)]
    // 64 bits: the first word is the high half
    const r = [...lead, ...shape, 1]
    return [concatenate([reshape(b1, r), reshape(b0, r)], r.length - 1)]
  }
  const n = sizeOf(shape)
  if (bitWidth === 32) return [reshape(originalWords(k, n), [...lead, ...shape])]
  const words = originalWords(k, 2 * n)
  const r = [...lead, ...shape, 1]
  const hi = reshape(slice(words, [...lead.map(() => 0), 0], [...lead, n]), r)
  const lo = reshape(slice(words, [...lead.map(() => 0), n], [...lead, 2 * n]), r)
  return [concatenate([lo, hi], r.length - 1)]
}
zeroJvp(randomBitsP)
randomBitsP.batch = ([k], [d], params, size) => [[bind1(randomBitsP, [moveBatchAxis(k!, d!, 0, size)], params)], [0]]

/** Uniform random words from raw key data (one draw of `shape` per key). */
export const randomBits = (keys: Array, bitWidth: 32 | 64, shape: ReadonlyArray<number>): Array =>
  bind1(randomBitsP, [keys], { bitWidth, shape: checkShape(shape, "random_bits: shape"), partitionable })

// ---------------------------------------------------------------------------------------------
// random_split[shape]: keys uint32[...K, 2] -> uint32[...K, ...shape, 2]

export interface RandomSplitParams {
  readonly shape: ReadonlyArray<number>
  readonly partitionable: boolean
  readonly [k: string]: unknown
}
export const randomSplitP = definePrimitive<RandomSplitParams>("random_split", ([k], { shape, partitionable: part }) => {
  checkKeyData("random_split", k!)
  const s = checkShape(shape, "random_split: shape")
  checkFlag(part, "random_split: partitionable")
  return [new ShapedArray([...k!.shape.slice(0, -1), ...s, 2], "uint32", false)]
})
randomSplitP.printParams = (p) => [["shape", tuple(p.shape)]]
randomSplitP.impl = ([keys], { shape, partitionable: part }) => {
  const k = keys!
  const lead = k.shape.slice(0, -1)
  const r = [...lead, ...shape, 1]
  if (part) {
    const [b0, b1] = hashCounters(k, shape)
    return [concatenate([reshape(b0, r), reshape(b1, r)], r.length - 1)]
  }
  return [reshape(originalWords(k, 2 * sizeOf(shape)), [...lead, ...shape, 2])]
}
zeroJvp(randomSplitP)
randomSplitP.batch = ([k], [d], params, size) => [[bind1(randomSplitP, [moveBatchAxis(k!, d!, 0, size)], params)], [0]]

/** New keys (a key array of `shape` per key) from raw key data. */
export const randomSplit = (keys: Array, shape: ReadonlyArray<number>): Array =>
  bind1(randomSplitP, [keys], { shape: checkShape(shape, "random_split: shape"), partitionable })

// ---------------------------------------------------------------------------------------------
// random_fold_in: keys uint32[...K, 2], data uint32[...K] (or rank 0) -> uint32[...K, 2]

export const randomFoldInP = definePrimitive<Readonly<Record<string, never>>>("random_fold_in", ([k, d]) => {
  checkKeyData("random_fold_in", k!)
  const lead = k!.shape.slice(0, -1)
  if (d!.dtype !== "uint32") throw new DTypeError(`random_fold_in needs uint32 data, got ${d!.str()}`)
  if (d!.ndim !== 0 && (d!.ndim !== lead.length || d!.shape.some((x, i) => x !== lead[i]))) {
    throw new ShapeError(`random_fold_in: data of shape ${showShape(d!.shape)} does not match keys of shape ${showShape(lead)}`)
  }
  return [k!]
})
randomFoldInP.impl = ([keys, data]) => {
  const k = keys!
  const lead = k.shape.slice(0, -1)
  const [k0, k1] = keyWords(k, 0)
  const [y0, y1] = threefry2x32(k0, k1, zeroU32(), data!)
  const r = [...lead, 1]
  return [concatenate([reshape(y0, r), reshape(y1, r)], lead.length)]
}
zeroJvp(randomFoldInP)
randomFoldInP.batch = ([k, data], [dk, dd], params, size) => {
  const kb = moveBatchAxis(k!, dk!, 0, size)
  const lead = kb.shape.slice(0, -1)
  let db = dd === null && data!.ndim === 0 ? data! : moveBatchAxis(data!, dd!, 0, size)
  // Per-example scalar data with a batch of key arrays: one datum per example, for every key.
  if (db.ndim === 1 && lead.length > 1) db = broadcastInDim(db, lead, [0])
  return [[bind1(randomFoldInP, [kb, db], params)], [0]]
}

/** Fold uint32 data into raw key data. */
export const randomFoldIn = (keys: Array, data: Array): Array =>
  bind1(randomFoldInP, [keys, data.dtype === "uint32" ? data : convertElementType(data, "uint32")], {})
