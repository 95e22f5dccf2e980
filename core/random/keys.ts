/**
 * PRNG keys. A typed key array (`random.key(seed)`) is a `PRNGKeyArray`: an array whose elements
 * are keys (dtype `key<fry>`), backed by uint32 key data with a trailing dimension of 2. It is a
 * pytree node whose one child is that data, so keys pass through jit, vmap, grad, scan and
 * forILoop as ordinary uint32 arrays and come back as keys. Legacy keys (`random.PRNGKey(seed)`)
 * are the raw uint32[2] data itself; every random function takes both and returns the flavour
 * it was given.
 *
 * The opt-in key-reuse checker (`checkKeyReuse(true)`) remembers each key object that a sampler
 * or `split` consumed, with the source line that did it; consuming the same key object again
 * throws a `KeyReuseError` naming that line. It sees keys inside a traced function too (each
 * trace gives its keys fresh objects); keys given to two separate calls of one jitted function
 * are separate consumptions of the jitted function's own argument and are not tracked across
 * calls.
 */
import { Array, ShapedArray } from "../array.js"
import { DTypeError, KeyReuseError, ShapeError, ValueError } from "../errors.js"
import type { IndexItem } from "../numpy/indexing.js"
import { constant } from "../primitives/common.js"
import { add, convertElementType, mul } from "../primitives/elementwise.js"
import { iota, reshape, slice } from "../primitives/shape-ops.js"
import { showShape } from "../shape.js"
import { fromHost } from "../trace.js"
import { registerNode } from "../tree/registry.js"

/** The dtype name of threefry key arrays (JAX's `key<fry>`). */
export type KeyDType = "key<fry>"

const arithmeticError = (op: string): DTypeError =>
  new DTypeError(
    `${op} is not defined on PRNG key arrays (dtype key<fry>): keys are not numbers. Draw numbers from a key ` +
      "with random.uniform/normal/bits/..., make new keys with random.split or random.foldIn, or get the raw " +
      "uint32 key data with random.keyData(key)."
  )

/**
 * An array of PRNG keys (dtype `key<fry>`, shape `data.shape[:-1]`), made by `random.key`,
 * `random.split`, `random.foldIn` or `random.wrapKeyData`. Keys are not numbers: arithmetic on
 * them throws a `DTypeError` (use `random.keyData` to get the uint32 data). Key arrays can be
 * indexed (`keys.index(0)`), reshaped and destructured: `const [key, subkey] = random.split(key)`.
 *
 * @example
 * const keys = random.split(random.key(0), 3) // a PRNGKeyArray of shape [3]
 * keys.shape // [3]
 * const first = keys.index(0)
 * random.uniform(first, [2])
 */
export class PRNGKeyArray {
  /** `keys[i]`: row i of the first axis (i < 64; undefined past the end), like JAX's `keys[i]`. */
  readonly [index: number]: PRNGKeyArray | undefined
  /** The key data: uint32 with a trailing dimension of size 2 (may be a tracer). */
  readonly data: Array
  constructor(data: Array, check = true) {
    if (check) checkKeyData("random.wrapKeyData", data)
    this.data = data
  }
  get shape(): ReadonlyArray<number> {
    return this.data.shape.slice(0, -1)
  }
  get ndim(): number {
    return this.data.ndim - 1
  }
  get size(): number {
    return this.data.size / 2
  }
  get dtype(): KeyDType {
    return "key<fry>"
  }
  /** Index the leading (key) dimensions, as `x.index(...)` does for arrays. */
  index(...items: ReadonlyArray<IndexItem>): PRNGKeyArray {
    if (items.some((it) => it === "..." || it === null)) {
      throw new ValueError("key arrays take integer, slice and index-array items only (no '...' or new axes)")
    }
    if (items.length > this.ndim) throw new ShapeError(`too many indices (${items.length}) for a key array of shape ${showShape(this.shape)}`)
    return new PRNGKeyArray(this.data.index(...items))
  }
  reshape(shape: ReadonlyArray<number>): PRNGKeyArray {
    const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1)
    const full = shape.map((d) => (d === -1 ? this.size / known : d))
    return new PRNGKeyArray(reshape(this.data, [...full, 2]))
  }
  ravel(): PRNGKeyArray {
    return this.reshape([this.size])
  }
  /** Iterate over the first axis: `const [a, b] = random.split(key)`. */
  *[Symbol.iterator](): Iterator<PRNGKeyArray> {
    if (this.ndim === 0) throw new ShapeError("iteration over a 0-d key array; split it first: random.split(key, n)")
    const n = this.shape[0]!
    const rest = this.data.shape.slice(1)
    for (let i = 0; i < n; i++) {
      const start = [i, ...rest.map(() => 0)]
      const limit = [i + 1, ...rest]
      yield new PRNGKeyArray(reshape(slice(this.data, start, limit), rest))
    }
  }
  /** JAX's repr: `Array((), dtype=key<fry>) overlaying:\n[0 0]`. */
  toString(): string {
    const shape = this.shape
    const s = `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`
    let overlay: string
    try {
      overlay = this.data.str()
    } catch {
      overlay = this.data.toString()
    }
    return `Array(${s}, dtype=key<fry>) overlaying:\n${overlay}`
  }
  str(): string {
    return this.toString()
  }
  add(): never {
    throw arithmeticError("add")
  }
  sub(): never {
    throw arithmeticError("sub")
  }
  mul(): never {
    throw arithmeticError("mul")
  }
  div(): never {
    throw arithmeticError("div")
  }
  pow(): never {
    throw arithmeticError("pow")
  }
  mod(): never {
    throw arithmeticError("mod")
  }
  neg(): never {
    throw arithmeticError("neg")
  }
  eq(): never {
    throw arithmeticError("eq (compare random.keyData of the keys instead)")
  }
  ne(): never {
    throw arithmeticError("ne (compare random.keyData of the keys instead)")
  }
  sum(): never {
    throw arithmeticError("sum")
  }
  astype(): never {
    throw arithmeticError("astype")
  }
  /** Keys have no numeric value: `key + 1` throws. */
  valueOf(): never {
    throw arithmeticError("numeric conversion")
  }
  [Symbol.toPrimitive](hint: string): string {
    if (hint === "string") return this.toString()
    throw arithmeticError("numeric conversion")
  }
}

/** How many leading positions of a key array can be read as `keys[i]` (and typed as a tuple). */
export const MAX_KEY_INDEX = 64
// keys[i] reads row i of the first axis, like JAX's keys[i]: getters on the prototype, so
// `const [key, subkey] = random.split(key)` and `keys[0]` work and type-check.
for (let i = 0; i < MAX_KEY_INDEX; i++) {
  Object.defineProperty(PRNGKeyArray.prototype, i, {
    get(this: PRNGKeyArray) {
      return this.ndim > 0 && i < this.shape[0]! ? this.index(i) : undefined
    },
    configurable: true
  })
}

type Tuple<N extends number, T extends ReadonlyArray<unknown> = []> = T["length"] extends N ? T : Tuple<N, [...T, PRNGKeyArray]>
/**
 * The type of `random.split(key, n)` for a typed key: a key array whose first `n` rows are also
 * typed as `keys[0]`, ..., `keys[n - 1]` (for literal n up to 64), so destructuring is exact.
 */
export type SplitKeys<N extends number> = number extends N
  ? PRNGKeyArray
  : `${N}` extends `${infer _}${infer _}${infer _}`
    ? PRNGKeyArray
    : PRNGKeyArray & { readonly [I in keyof Tuple<N> & `${number}`]: PRNGKeyArray }

registerNode(PRNGKeyArray, {
  name: "PRNGKeyArray",
  flatten: (k) => [[k.data], null],
  // Transformations rebuild trees from other leaves too (vmap's axis specs, tangents and
  // cotangents of keys): wrap Arrays without the key-data check, pass anything else through.
  unflatten: (_aux, [data]) => (data instanceof Array ? new PRNGKeyArray(data, false) : (data as unknown as PRNGKeyArray))
})

/** A key argument: a typed key array or legacy raw uint32 key data. */
export type KeyArray = PRNGKeyArray | Array

const checkKeyData = (what: string, data: Array): void => {
  if (!(data instanceof Array)) throw new DTypeError(`${what}: expected a jaxfx Array of uint32 key data, got ${typeof data}`)
  if (data.dtype !== "uint32" || data.ndim === 0 || data.shape[data.ndim - 1] !== 2) {
    throw new DTypeError(
      `${what}: invalid PRNG key data: expected a uint32 array whose last dimension has size 2, got ` +
        `${data.aval.str()}. Make keys with random.key(seed) (or the legacy random.PRNGKey(seed)).`
    )
  }
}

/** The raw key data of a key argument, with a check that it is key data. */
export const keyDataOf = (what: string, key: KeyArray): Array => {
  if (key instanceof PRNGKeyArray) return key.data
  if (key instanceof Array) {
    checkKeyData(what, key)
    return key
  }
  throw new DTypeError(`${what}: expected a PRNG key (random.key(seed) or random.PRNGKey(seed)), got ${describe(key)}`)
}

const describe = (x: unknown): string => (x === null ? "null" : typeof x === "object" ? (x.constructor?.name ?? "object") : `${typeof x} ${String(x)}`)

/** Wrap new key data in the flavour of `like` (typed keys stay typed, raw keys raw). */
export const rewrap = (like: KeyArray, data: Array): KeyArray => (like instanceof PRNGKeyArray ? new PRNGKeyArray(data) : data)

// ---------------------------------------------------------------------------------------------
// Seeds

const TWO32 = 4294967296n

/**
 * The two key words of an integer seed. Seeds in [-2^31, 2^32) give [0, seed mod 2^32], exactly
 * as JAX (default 32-bit mode) makes keys from int32 and uint32 seeds; wider seeds (JS integers
 * up to 2^53, bigints up to 64 bits) are bit-cast to [high 32 bits, low 32 bits] of their 64-bit
 * two's complement, as JAX does for 64-bit seeds.
 *
 * @example
 * random.seedWords(42) // [0, 42]
 */
export const seedWords = (seed: number | bigint): [number, number] => {
  if (typeof seed === "number" && !Number.isInteger(seed)) {
    throw new DTypeError(`PRNG key seed must be an integer; got ${seed}`)
  }
  const s = typeof seed === "bigint" ? seed : BigInt(seed)
  if (s >= -(2n ** 31n) && s < TWO32) return [0, Number(BigInt.asUintN(32, s))]
  if (s < -(2n ** 63n) || s >= 2n ** 64n) {
    throw new ValueError(`PRNG key seed ${s} does not fit in 64 bits; use a seed in [-2^63, 2^64)`)
  }
  const u = BigInt.asUintN(64, s)
  return [Number(u >> 32n), Number(u & (TWO32 - 1n))]
}

/** A seed given as a jaxfx Array (possibly traced): a scalar int32 or uint32. */
const seedArrayData = (seed: Array): Array => {
  if (seed.ndim !== 0) {
    throw new DTypeError(`PRNG key seed must be a scalar; got an array of shape ${showShape(seed.shape)}. Use vmap for batching.`)
  }
  if (seed.dtype !== "int32" && seed.dtype !== "uint32") throw new DTypeError(`PRNG key seed must be an integer; got a ${seed.dtype} array`)
  // [0, seed] as iota(2) * seed: the high word of a 32-bit seed is 0
  return mul(iota("uint32", [2]), reshape(convertElementType(seed, "uint32"), [1]))
}

const seedData = (name: string, seed: number | bigint | Array): Array => {
  if (seed instanceof Array) return seedArrayData(seed)
  if ((seed as unknown) instanceof PRNGKeyArray) throw new DTypeError(`${name} accepts a scalar seed, but was given a PRNG key.`)
  if (typeof seed !== "number" && typeof seed !== "bigint") {
    throw new DTypeError(`${name}: PRNG key seed must be an integer (number, bigint or int Array); got ${describe(seed)}`)
  }
  const [hi, lo] = seedWords(seed)
  return fromHost(Uint32Array.of(hi, lo), new ShapedArray([2], "uint32", false))
}

/**
 * A typed PRNG key from an integer seed (JAX's `jax.random.key`): a scalar key array of dtype
 * `key<fry>`. The seed is a JS integer, a bigint (64-bit seeds) or a scalar int Array.
 *
 * @example
 * random.key(0)   // Array((), dtype=key<fry>) overlaying: [0 0]
 */
export const key = (seed: number | bigint | Array): PRNGKeyArray => new PRNGKeyArray(seedData("random.key", seed))

/**
 * A legacy PRNG key (JAX's `jax.random.PRNGKey`): the raw uint32[2] key data.
 *
 * @example
 * random.PRNGKey(0)   // Array([0, 0], dtype=uint32)
 */
export const PRNGKey = (seed: number | bigint | Array): Array => seedData("random.PRNGKey", seed)

/**
 * The uint32 key data under a key array (`[..., 2]`); legacy raw keys are returned as they are.
 *
 * @example
 * random.keyData(random.key(42)) // Array([ 0, 42], dtype=uint32)
 */
export const keyData = (keys: KeyArray): Array => keyDataOf("random.keyData", keys)

/**
 * Wrap uint32 key data (last dimension 2) as a typed key array.
 *
 * @example
 * const k = random.wrapKeyData(np.array([0, 42], { dtype: "uint32" })) // the same key as random.key(42)
 * random.uniform(k, [2])
 */
export const wrapKeyData = (data: Array): PRNGKeyArray => new PRNGKeyArray(data)

/**
 * A copy of a key that the key-reuse checker treats as unconsumed (JAX's `random.clone`).
 *
 * @example
 * const k = random.key(0)
 * const a = random.normal(random.clone(k), [2])
 * const b = random.normal(k, [2]) // equal to a; with key-reuse checking on, `k` was not consumed by the clone
 */
export const clone = <K extends KeyArray>(k: K): K => rewrap(k, add(keyDataOf("random.clone", k), constant(0, "uint32"))) as K

// ---------------------------------------------------------------------------------------------
// Key reuse

let checking = false
let consumed = new WeakMap<object, { readonly fn: string; readonly where: string }>()

/**
 * Turn the key-reuse checker on or off (off by default). While on, every key object consumed by
 * a sampler or by `split` is remembered; consuming it again throws a `KeyReuseError` that names
 * where it was first consumed. Turning it on starts with a clean record.
 *
 * @example
 * random.checkKeyReuse(true)
 * const k = random.key(0)
 * random.normal(k)
 * // random.normal(k) would now throw a KeyReuseError naming where the key was first consumed
 * random.checkKeyReuse(false)
 */
export const checkKeyReuse = (enabled: boolean): void => {
  checking = enabled
  consumed = new WeakMap()
}
/**
 * Whether key-reuse checking (`random.checkKeyReuse`, JAX's `jax_debug_key_reuse`) is on.
 *
 * @example
 * random.isCheckingKeyReuse() // false (the default)
 */
export const isCheckingKeyReuse = (): boolean => checking

/** The first stack frame outside jaxfx's random module (where user code called it). */
const callSite = (): string => {
  const stack = new Error().stack ?? ""
  const frames = stack
    .split("\n")
    .slice(1)
    .map((l) => l.trim())
  const user = frames.find((l) => l.startsWith("at ") && !/core[\\/]random[\\/](keys|random|prims|cholesky)\.[jt]s/.test(l) && !l.includes("node:internal"))
  return (user ?? frames[0] ?? "at <unknown>").replace(/^at /, "")
}

/** Mark a key as consumed by `fn` (when the checker is on) and return its data. */
export const consume = (fn: string, k: KeyArray): Array => {
  const data = keyDataOf(`random.${fn}`, k)
  if (checking) {
    const prev = consumed.get(k)
    if (prev !== undefined) {
      throw new KeyReuseError(
        `random.${fn}: this PRNG key was already consumed by random.${prev.fn} at ${prev.where}. ` +
          "Reusing a key gives identical (correlated) draws: split it first, e.g. " +
          "`const [key, subkey] = random.split(key)`, and use each key once (random.clone(key) marks a deliberate reuse)."
      )
    }
    consumed.set(k, { fn, where: callSite() })
  }
  return data
}
