/**
 * Host-side builders in `np`: `frombuffer` (the bytes of an ArrayBuffer read as a dtype, in the
 * host's byte order, little-endian on every JS engine in use) and `mask_indices` (the indices where
 * a mask function of an n×n array of ones is nonzero).
 */
import type { Array } from "../array.js"
import { checkDType, type DType, isHalf, itemsize, storedValues, typedArrayCtor } from "../dtype.js"
import { ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { checkInt } from "../shape.js"
import { asArray } from "./coerce.js"
import { ones } from "./creation.js"
import { nonzero } from "./searching.js"

export interface FrombufferOptions {
  /** The dtype of the elements (default "float64", which is float32 unless x64 is enabled, as JAX's). */
  readonly dtype?: DType | undefined
  /** How many elements to read (default -1: all that remain). */
  readonly count?: number | undefined
  /** The byte offset to start at (default 0). */
  readonly offset?: number | undefined
}
const FROMBUFFER_KEYS = optionKeys<FrombufferOptions>()("dtype", "count", "offset")

/**
 * `jnp.frombuffer(buffer, dtype, count, offset)`: a 1-D array of the elements stored in the bytes
 * of `buffer` (an ArrayBuffer or a view of one, such as a Uint8Array or Node Buffer).
 *
 * @example
 * np.frombuffer(new Int32Array([0, 1, 2]).buffer, { dtype: "int32" }) // Array([0, 1, 2], dtype=int32)
 */
export const frombuffer = (buffer: ArrayBufferLike | ArrayBufferView, options?: FrombufferOptions): Array => {
  checkOptions("np.frombuffer", options, FROMBUFFER_KEYS)
  const dtype = checkDType(options?.dtype ?? "float64", "np.frombuffer: dtype")
  const view = ArrayBuffer.isView(buffer) ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) : new Uint8Array(buffer)
  const offset = checkInt(options?.offset ?? 0, "np.frombuffer: offset")
  const size = itemsize(dtype)
  if (offset < 0 || offset > view.length) throw new ValueError(`np.frombuffer: offset must be in [0, ${view.length}] (the buffer's length), got ${offset}.`)
  const avail = view.length - offset
  const countIn = checkInt(options?.count ?? -1, "np.frombuffer: count")
  if (countIn < 0 && avail % size !== 0)
    throw new ValueError(`np.frombuffer: the buffer's ${avail} bytes are not a multiple of the element size ${size}; give a count.`)
  const count = countIn < 0 ? avail / size : countIn
  if (count * size > avail)
    throw new ValueError(
      `np.frombuffer: the buffer is smaller than requested (${count} elements of ${size} bytes after offset ${offset}; ${avail} bytes remain).`
    )
  // Copy into aligned storage of the dtype, then decode half-precision words into values.
  const bytes = view.slice(offset, offset + count * size)
  const Ctor = typedArrayCtor(dtype)
  const stored = new Ctor(count)
  new Uint8Array(stored.buffer).set(bytes)
  const values = dtype === "bool" ? Uint8Array.from(stored, (b) => (b !== 0 ? 1 : 0)) : isHalf(dtype) ? storedValues(stored, dtype) : stored
  return asArray(dtype === "bool" ? globalThis.Array.from(values, (v) => v !== 0) : values, dtype)
}

/**
 * `jnp.mask_indices(n, maskFunc, k)`: the row and column indices where `maskFunc(ones([n, n]), { k })`
 * is nonzero (e.g. `np.triu` or `np.tril`, which take `k` as their option).
 *
 * @example
 * np.maskIndices(3, np.triu, 1) // [Array([0, 0, 1]), Array([1, 2, 2])]
 */
export const maskIndices = (n: number, maskFunc: (a: Array, options: { readonly k: number }) => Array, k = 0): Array[] => {
  const m = checkInt(n, "np.maskIndices: n")
  if (m < 0) throw new ValueError(`np.maskIndices: n must be non-negative, got ${m}.`)
  return nonzero(maskFunc(ones([m, m], { dtype: "int32" }), { k: checkInt(k, "np.maskIndices: k") }))
}
