/**
 * XLA's own random number operations, as `jax.lax` exposes them: `rngBitGenerator` (stateless:
 * a uint32[4] key in, the advanced key and the bits out) and `rngUniform` (stateful).
 *
 * `rng_bit_generator` gives XLA's bits exactly (RngBitGeneratorExpander with xla/hlo/builder/lib/
 * prng.cc). The key is the u64[2] state (s0, s1) as four little-endian words [lo s0, hi s0, lo s1,
 * hi s1]; s0 is the key of the bit generator and s1 its counter, and the new key is (s0, s1 + the
 * counters used).
 * - PHILOX (the default on CPU and GPU): Philox-4x32 with 10 rounds under the key (lo s0, hi s0)
 *   over the 128-bit counters (s1 + i, s0), i = 0 .. ceil(n / 4) - 1 (the high half carries);
 *   block i gives elements 4i .. 4i + 3.
 * - THREE_FRY: Threefry-2x32 (20 rounds) under the same key over the 64-bit counters s1 + j, the
 *   shape split in halves along its first even dimension (else its largest): output word 0 fills
 *   the even positions of that dimension, word 1 the odd ones.
 * uint8 and uint16 bits are the low bits of the uint32 ones, as XLA makes them. With x64 off a
 * uint64 request gives uint32 with JAX's warning; jaxfx has no 64-bit integers.
 *
 * Under vmap a batch of keys is handled as JAX's batching rule does: the first key draws the bits
 * of the whole batch and only that key advances (the others are returned unchanged).
 */
import { Array, ShapedArray } from "../array.js"
import { isFloat, isInt } from "../dtype.js"
import { requestDType, x64Enabled } from "../dtypes/x64.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { moveBatchAxis } from "../interpreters/batch.js"
import { definePrimitive } from "../primitive.js"
import { shiftRightLogical } from "../primitives/bits.js"
import { constant } from "../primitives/common.js"
import { add, and, convertElementType, eq, lt, mul, rem, select, sub, xor } from "../primitives/elementwise.js"
import { defZeroJvp } from "../primitives/rules.js"
import { concatenate, iota, reshape, slice } from "../primitives/shape-ops.js"
import { threefry2x32 } from "../primitives/bits.js"
import { checkOneOf } from "../options.js"
import { checkShape, describe, showShape, sizeOf } from "../shape.js"
import { bind, bind1 } from "../trace.js"
import { mulhi } from "./stacking.js"
import { dynamicUpdateIndexInDim } from "./slicing.js"

/** JAX's `lax.RandomAlgorithm`: which bit generator `rngBitGenerator` runs (DEFAULT is PHILOX, as on CPU). */
export const RandomAlgorithm = { RNG_DEFAULT: "RNG_DEFAULT", RNG_THREE_FRY: "RNG_THREE_FRY", RNG_PHILOX: "RNG_PHILOX" } as const
export type RandomAlgorithm = (typeof RandomAlgorithm)[keyof typeof RandomAlgorithm]
const ALGORITHMS: ReadonlyArray<RandomAlgorithm> = ["RNG_DEFAULT", "RNG_THREE_FRY", "RNG_PHILOX"]

type BitsDType = "uint8" | "uint16" | "uint32"

export interface RngBitGeneratorParams {
  readonly shape: ReadonlyArray<number>
  readonly dtype: BitsDType
  readonly algorithm: RandomAlgorithm
  readonly [k: string]: unknown
}

const tuple = (xs: ReadonlyArray<number>): string => `(${xs.join(", ")}${xs.length === 1 ? "," : ""})`

export const rngBitGeneratorP = definePrimitive<RngBitGeneratorParams>(
  "rng_bit_generator",
  ([key], { shape, dtype, algorithm }) => {
    if (key!.dtype !== "uint32" || key!.ndim !== 1 || key!.shape[0] !== 4) {
      throw new DTypeError(`rng_bit_generator: the key must be uint32[4] (XLA's u64[2] state as four words), got ${key!.str()}.`)
    }
    const s = checkShape(shape, "rng_bit_generator: shape")
    if (dtype !== "uint8" && dtype !== "uint16" && dtype !== "uint32") {
      throw new DTypeError(`rng_bit_generator: unsupported dtype ${describe(dtype)}; use uint8, uint16 or uint32.`)
    }
    checkOneOf("rng_bit_generator", "algorithm", algorithm, ALGORITHMS)
    if (sizeOf(s) > 2 ** 32) throw new ShapeError(`rng_bit_generator: more than 2^32 elements are not supported (shape ${showShape(s)}).`)
    return [key!, new ShapedArray(s, dtype, false)]
  },
  true
)
rngBitGeneratorP.printParams = (p) => [
  ["algorithm", p.algorithm],
  ["dtype", p.dtype],
  ["shape", tuple(p.shape)]
]

const u32 = (v: number, shape: ReadonlyArray<number> = []): Array => constant(v >>> 0, "uint32", shape, false)
const word = (key: Array, i: number): Array => reshape(slice(key, [i], [i + 1]), [])
/** A boolean as 0 / 1 in uint32. */
const bit = (b: Array): Array => convertElementType(b, "uint32")

/** The 64-bit value (lo, hi) plus the uint32 `d`, wrapping: the new (lo, hi) and whether it wrapped past 2^64. */
const add64 = (lo: Array, hi: Array, d: Array): [Array, Array, Array] => {
  const nlo = add(lo, d)
  const c = bit(lt(nlo, lo))
  const nhi = add(hi, c)
  const over = and(c, bit(eq(nhi, u32(0, nhi.shape))))
  return [nlo, nhi, over]
}

const broadcastTo = (x: Array, shape: ReadonlyArray<number>): Array =>
  x.ndim === shape.length
    ? x
    : add(
        u32(0, shape),
        reshape(
          x,
          shape.map(() => 1)
        )
      )

const PHILOX_W = [0x9e3779b9, 0xbb67ae85] as const
const PHILOX_M = [0xd2511f53, 0xcd9e8d57] as const

/** Philox-4x32-10 of the counters x (four uint32 arrays) under the key (k0, k1). */
const philox = (x: [Array, Array, Array, Array], k0: Array, k1: Array): [Array, Array, Array, Array] => {
  let [a, b, c, d] = x
  let [ka, kb] = [k0, k1]
  const ma = u32(PHILOX_M[0])
  const mb = u32(PHILOX_M[1])
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi(a, broadcastTo(ma, a.shape))
    const lo0 = mul(a, ma)
    const hi1 = mulhi(c, broadcastTo(mb, c.shape))
    const lo1 = mul(c, mb)
    ;[a, b, c, d] = [xor(xor(hi1, b), ka), lo1, xor(xor(hi0, d), kb), lo0]
    ka = add(ka, u32(PHILOX_W[0]))
    kb = add(kb, u32(PHILOX_W[1]))
  }
  return [a, b, c, d]
}

/** Interleave equal-shaped [m] arrays: out[p * i + j] = parts[j][i]. */
const interleave = (parts: ReadonlyArray<Array>): Array => {
  const m = parts[0]!.shape[0]!
  return reshape(
    concatenate(
      parts.map((p) => reshape(p, [m, 1])),
      1
    ),
    [m * parts.length]
  )
}

const philoxBits = (key: Array, shape: ReadonlyArray<number>): [Array, Array] => {
  const n = sizeOf(shape)
  const m = Math.ceil(n / 4)
  const [k0, k1, k2, k3] = [0, 1, 2, 3].map((i) => word(key, i)) as [Array, Array, Array, Array]
  const i = iota("uint32", [m])
  // The counters (s1 + i) as the low 64 bits, s0 (plus the carry) as the high 64 bits.
  const [lo, hi, over] = add64(broadcastTo(k2, [m]), broadcastTo(k3, [m]), i)
  const [hlo, hhi] = add64(broadcastTo(k0, [m]), broadcastTo(k1, [m]), over)
  const out = philox([lo, hi, hlo, hhi], k0, k1)
  const flat = m === 0 ? u32(0, [0]) : slice(interleave(out), [0], [n])
  const [nlo, nhi] = add64(k2, k3, u32(m))
  return [newKey(k0, k1, nlo, nhi), reshape(flat, shape)]
}

const newKey = (k0: Array, k1: Array, lo: Array, hi: Array): Array =>
  concatenate(
    [k0, k1, lo, hi].map((w) => reshape(w, [1])),
    0
  )

/** XLA's SplitShapeIntoHalves: the dimension split in two (the first even one, else the first largest). */
const splitDim = (shape: ReadonlyArray<number>): number => {
  const even = shape.findIndex((d) => d % 2 === 0)
  if (even >= 0) return even
  let best = 0
  shape.forEach((d, i) => {
    if (d > shape[best]!) best = i
  })
  return best
}

const threefryBits = (key: Array, shape: ReadonlyArray<number>): [Array, Array] => {
  const [k0, k1, k2, k3] = [0, 1, 2, 3].map((i) => word(key, i)) as [Array, Array, Array, Array]
  const r = shape.length
  const s = r === 0 ? 0 : splitDim(shape)
  const half = r === 0 ? [1] : shape.map((d, i) => (i === s ? Math.ceil(d / 2) : d))
  const m = sizeOf(half)
  const [lo, hi] = add64(broadcastTo(k2, [m]), broadcastTo(k3, [m]), iota("uint32", [m]))
  const [y0, y1] = threefry2x32(k0, k1, lo, hi)
  const [nlo, nhi] = add64(k2, k3, u32(m))
  let bits: Array
  if (r === 0) bits = reshape(slice(y0, [0], [1]), [])
  else {
    // [..., half_s, 1, ...] twice, joined on the new axis: even positions from y0, odd from y1.
    const withPair = [...half.slice(0, s + 1), 1, ...half.slice(s + 1)]
    const joined = concatenate([reshape(y0, withPair), reshape(y1, withPair)], s + 1)
    const even = shape.map((d, i) => (i === s ? 2 * half[s]! : d))
    bits = reshape(joined, even)
    if (even[s] !== shape[s]) {
      bits = slice(
        bits,
        shape.map(() => 0),
        shape
      )
    }
  }
  return [newKey(k0, k1, nlo, nhi), bits]
}

rngBitGeneratorP.impl = ([key], { shape, dtype, algorithm }) => {
  const [k, bits] = algorithm === "RNG_THREE_FRY" ? threefryBits(key!, shape) : philoxBits(key!, shape)
  return [k, dtype === "uint32" ? bits : convertElementType(bits, dtype)]
}
defZeroJvp(rngBitGeneratorP)
// JAX's rule: the first key draws the bits of the whole batch, and only it advances.
rngBitGeneratorP.batch = ([keys], [d], params, size) => {
  const ks = moveBatchAxis(keys!, d!, 0, size)
  const first = reshape(slice(ks, [0, 0], [1, 4]), [4])
  const [k, bits] = bind(rngBitGeneratorP, [first], { ...params, shape: [size, ...params.shape] })
  return [
    [dynamicUpdateIndexInDim(ks, k!, 0, 0), bits!],
    [0, 0]
  ]
}

/**
 * `lax.rng_bit_generator(key, shape, dtype=uint32, algorithm=RNG_DEFAULT)`: XLA's stateless bit
 * generator. `key` is uint32[4]; returns `[newKey, bits]` with bits of `shape` in uint8, uint16
 * or uint32, equal bit for bit to JAX's on CPU for every algorithm (DEFAULT is PHILOX). JAX
 * discourages it in favour of `jax.random`.
 *
 * @example
 * const [next, bits] = lax.rngBitGenerator(np.array([1, 2, 3, 4], { dtype: "uint32" }), [6])
 * // next: [1, 2, 5, 4]; bits: [512747620, 1298009047, 1267190206, 761827841, 1383286907, 1639995030]
 */
export const rngBitGenerator = (
  key: Array,
  shape: ReadonlyArray<number>,
  dtype: BitsDType | "uint64" = "uint32",
  algorithm: RandomAlgorithm = "RNG_DEFAULT"
): [Array, Array] => {
  let d: string = dtype
  if (d === "uint64") {
    if (x64Enabled()) throw new DTypeError("lax.rngBitGenerator: uint64 is not offered: jaxfx has no 64-bit integers; use uint32, uint16 or uint8.")
    d = requestDType("uint64", "rng_bit_generator")
  }
  if (d !== "uint8" && d !== "uint16" && d !== "uint32") {
    throw new DTypeError(`lax.rngBitGenerator: unsupported dtype ${describe(dtype)}; use uint8, uint16 or uint32.`)
  }
  const [k, bits] = bind(rngBitGeneratorP, [key], { shape: checkShape(shape, "lax.rngBitGenerator: shape"), dtype: d, algorithm })
  return [k!, bits!]
}

// ---------------------------------------------------------------------------------------------
// rng_uniform: stateful, like XLA's Rng op. Each run draws from a process-wide counter.

export interface RngUniformParams {
  readonly shape: ReadonlyArray<number>
  readonly [k: string]: unknown
}

let draws = 0

export const rngUniformP = definePrimitive<RngUniformParams>("rng_uniform", ([a, b], { shape }) => {
  if (a!.dtype !== b!.dtype) throw new DTypeError(`rng_uniform: the bounds must have one dtype, got ${a!.dtype} and ${b!.dtype}.`)
  if (a!.ndim !== 0 || b!.ndim !== 0)
    throw new ShapeError(`rng_uniform: the bounds must be scalars, got shapes ${showShape(a!.shape)} and ${showShape(b!.shape)}.`)
  if (!isFloat(a!.dtype) && !isInt(a!.dtype)) throw new DTypeError(`rng_uniform: the bounds must be floats or integers, got ${a!.dtype}.`)
  return [new ShapedArray(checkShape(shape, "rng_uniform: shape"), a!.dtype, a!.weakType && b!.weakType)]
})
rngUniformP.printParams = (p) => [["shape", tuple(p.shape)]]
// Its value changes from run to run: never folded, merged or dropped by the passes.
rngUniformP.effectful = true
rngUniformP.impl = ([a, b], { shape }) => {
  draws = (draws + 1) >>> 0
  const key = constant(0, "uint32", [4])
  const seeded = add(key, concatenate([u32(0x5eed, [1]), u32(0, [1]), u32(draws, [1]), u32(0, [1])], 0))
  const [, bits] = philoxBits(seeded, shape)
  const lo = a!
  const hi = b!
  const d = lo.dtype
  if (isFloat(d)) {
    // 23 random mantissa bits as a float in [0, 1), scaled to [a, b).
    const unit = mul(convertElementType(shiftRightLogical(bits, u32(9, bits.shape)), "float32"), constant(2 ** -23, "float32"))
    const u = convertElementType(unit, d)
    return [add(mul(u, reshape(sub(hi, lo), [])), lo)]
  }
  // Integers: a + bits mod (b - a), in uint32 arithmetic.
  const span = convertElementType(sub(hi, lo), "uint32")
  const r = rem(bits, select(eq(span, u32(0)), u32(1), span))
  return [add(lo, convertElementType(r, d))]
}
// Like JAX's, it has no jvp and no batching rule: differentiating or batching over its bounds is refused.

/**
 * `lax.rng_uniform(a, b, shape)`: XLA's stateful generator: uniform numbers in [a, b) of `shape`,
 * in the (common) dtype of the scalar bounds. Every run (eager or of a compiled program) draws new
 * values; like JAX's, they cannot be reproduced: use `random.uniform` for reproducible draws.
 *
 * @example
 * lax.rngUniform(0, 1.5, [3]).shape // [3]
 */
export const rngUniform = (a: number | Array, b: number | Array, shape: ReadonlyArray<number>): Array => {
  // JS numbers are weak scalars: they take the other bound's dtype, or int32 / float32 together.
  const both = typeof a === "number" && typeof b === "number" ? (Number.isInteger(a) && Number.isInteger(b) ? "int32" : "float32") : undefined
  const lift = (x: number | Array, other: number | Array): Array => (typeof x !== "number" ? x : constant(x, both ?? (other as Array).dtype, [], true))
  if (!(typeof a === "number" || a instanceof Array) || !(typeof b === "number" || b instanceof Array)) {
    throw new ValueError(`lax.rngUniform: the bounds must be numbers or scalar Arrays, got ${describe(a)} and ${describe(b)}.`)
  }
  return bind1(rngUniformP, [lift(a, b), lift(b, a)], { shape: checkShape(shape, "lax.rngUniform: shape") })
}
