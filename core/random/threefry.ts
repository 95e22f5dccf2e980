/**
 * The threefry 2x32 hash as JAX exposes it (`jax.prng.threefry_2x32`, the function every key and
 * draw is built on), and the key-implementation queries `keyImpl` / `keyDtype`.
 */
import { Array } from "../array.js"
import { DTypeError } from "../errors.js"
import { threefry2x32 as threefryP } from "../primitives/bits.js"
import { constant } from "../primitives/common.js"
import { concatenate, reshape, slice } from "../primitives/shape-ops.js"
import { type KeyArray, type KeyDType, keyDataOf } from "./keys.js"

/**
 * Apply the Threefry 2x32 hash to `count` (uint32, any shape) under the key pair `keypair`
 * (`[k1, k2]` of uint32 scalars, or uint32[2] key data): the counts, flattened and padded with a
 * 0 to an even length, are hashed as the pairs (x[i], x[i + half]); the result has count's shape.
 *
 * @example
 * random.threefry2x32(random.keyData(random.key(0)), np.arange(4).astype("uint32"))
 */
export const threefry2x32 = (keypair: Array | readonly [Array, Array], count: Array): Array => {
  let k1: Array
  let k2: Array
  if (keypair instanceof Array) {
    if (keypair.dtype !== "uint32" || keypair.ndim !== 1 || keypair.shape[0] !== 2) {
      throw new DTypeError(`random.threefry2x32: keypair must be uint32[2] or a pair of uint32 scalars, got ${keypair.aval.str()}`)
    }
    k1 = reshape(slice(keypair, [0], [1]), [])
    k2 = reshape(slice(keypair, [1], [2]), [])
  } else {
    ;[k1, k2] = keypair
  }
  if (k1.dtype !== "uint32" || k2.dtype !== "uint32" || count.dtype !== "uint32") {
    throw new DTypeError(`random.threefry2x32 requires uint32 arguments, got ${[k1.dtype, k2.dtype, count.dtype].join(", ")}; convert with .astype("uint32")`)
  }
  if (k1.ndim !== 0 || k2.ndim !== 0) throw new DTypeError("random.threefry2x32: the key words must be scalars")
  const n = count.size
  const flat = reshape(count, [n])
  const odd = n % 2
  const padded = odd ? concatenate([flat, constant(0, "uint32", [1])], 0) : flat
  const half = (n + odd) / 2
  const [y0, y1] = threefryP(k1, k2, slice(padded, [0], [half]), slice(padded, [half], [2 * half]))
  const out = concatenate([y0!, y1!], 0)
  return reshape(odd ? slice(out, [0], [n]) : out, count.shape)
}

/**
 * The PRNG implementation of a key array: always "threefry2x32" (JAX's `key_impl`).
 *
 * @example
 * random.keyImpl(random.key(0)) // "threefry2x32"
 */
export const keyImpl = (keys: KeyArray): "threefry2x32" => {
  keyDataOf("random.keyImpl", keys)
  return "threefry2x32"
}

/**
 * The dtype of typed keys (JAX's `key_dtype()`): "key<fry>".
 *
 * @example
 * random.keyDtype() // "key<fry>"
 * random.key(0).dtype // "key<fry>"
 */
export const keyDtype = (impl: "threefry2x32" = "threefry2x32"): KeyDType => {
  if (impl !== "threefry2x32") throw new DTypeError(`random.keyDtype: the only PRNG implementation is "threefry2x32", got ${String(impl)}`)
  return "key<fry>"
}
