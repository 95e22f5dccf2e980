/**
 * safetensors (https://github.com/huggingface/safetensors), the common weights format:
 *
 *   8 bytes      N, the header length, unsigned little-endian
 *   N bytes      the header: UTF-8 JSON, padded with spaces so that 8 + N is a multiple of 8,
 *                { "<name>": { "dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end] },
 *                  ..., "__metadata__": { "<key>": "<string>" } (optional) }
 *   the rest     the byte buffer; offsets are relative to its start, little-endian, row-major
 *
 * Written as the reference implementation writes it: tensors ordered by dtype (widest first, so
 * every tensor stays aligned) then by name, offsets contiguous from 0, header padded. Read with
 * the reference implementation's rules (safetensors-header.ts lists them), plus distinct names.
 * Names are pytree paths joined with "/" (`linear/weight`). jaxfx reads and writes F32, F64, I32,
 * U32 and BOOL; other dtypes in a file are validated and can be skipped with `allowExtra`.
 */
import type { Result } from "effect"
import { type AnyTypedArray, isHalf, toTypedArray } from "../../core/dtype.js"
import { CodecError, type DType } from "../../index.js"
import { dtypeBits, fromSafetensors, readSafetensorsHeader, type SafetensorsEntry } from "./safetensors-header.js"
import {
  catching,
  fillPlan,
  type FoundTensor,
  hostTensorsSync,
  Inventory,
  MATCH_KEYS,
  type MatchOptions,
  METADATA_KEY,
  type NamedTensor,
  planTemplate
} from "./tensors.js"
import { runWorkSync, type Work } from "./work.js"
import { checkOptions, optionKeys } from "../../core/options.js"

export { MAX_HEADER_BYTES, type SafetensorsEntry } from "./safetensors-header.js"

const toSafetensors: Readonly<Record<DType, string>> = {
  float64: "F64",
  float32: "F32",
  uint32: "U32",
  int32: "I32",
  bool: "BOOL",
  float16: "F16",
  bfloat16: "BF16",
  int16: "I16",
  uint16: "U16",
  int8: "I8",
  uint8: "U8",
  complex64: "C64",
  // safetensors has no 128-bit complex dtype: encodeTensors refuses it.
  complex128: ""
}

/** Write order: the reference sorts by dtype, widest first, then by name. */
const dtypeRank: Readonly<Record<DType, number>> = {
  complex128: -1,
  float64: 0,
  complex64: 0.5,
  float32: 1,
  uint32: 2,
  int32: 3,
  bfloat16: 4,
  float16: 5,
  uint16: 6,
  int16: 7,
  int8: 8,
  uint8: 9,
  bool: 10
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

const byteView = (d: AnyTypedArray): Uint8Array => new Uint8Array(d.buffer, d.byteOffset, d.byteLength)

/** Reverse the byte order of each `size`-byte element, in place (big-endian hosts only). */
const swapBytes = (b: Uint8Array, size: number): void => {
  if (size === 1) return
  for (let i = 0; i < b.length; i += size) b.subarray(i, i + size).reverse()
}

const utf8 = new TextEncoder()

const compareBytes = (a: Uint8Array, b: Uint8Array): number => {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}

export interface EncodeOptions {
  /** String metadata, stored under `__metadata__`. */
  readonly metadata?: Readonly<Record<string, string>>
}

/** Encode named host tensors as a safetensors file. */
export const encodeTensors = (tensors: ReadonlyArray<NamedTensor>, options?: EncodeOptions): Uint8Array => {
  for (const t of tensors) {
    if (toSafetensors[t.dtype] === "") {
      throw new CodecError(
        `safetensors has no ${t.dtype} dtype ("${t.name}"); convert it with astype("complex64") (C64), or save its real and imaginary parts.`
      )
    }
  }
  // float16 / bfloat16 tensors read with x.data() hold their values: written as 16-bit words (exact).
  const keyed = tensors.map((t) => ({
    t: isHalf(t.dtype) && !(t.data instanceof Uint16Array) ? { ...t, data: toTypedArray(t.data, t.dtype) } : t,
    key: utf8.encode(t.name)
  }))
  keyed.sort((a, b) => dtypeRank[a.t.dtype] - dtypeRank[b.t.dtype] || compareBytes(a.key, b.key))
  const parts: string[] = []
  if (options?.metadata !== undefined) {
    const meta = options.metadata
    for (const [k, v] of Object.entries(meta)) {
      if (typeof v !== "string") throw new CodecError(`safetensors metadata values are strings; "${k}" is ${typeof v}.`)
    }
    parts.push(`${JSON.stringify(METADATA_KEY)}:${JSON.stringify(meta)}`)
  }
  let offset = 0
  for (const { t } of keyed) {
    const size = t.data.byteLength
    const info = { dtype: toSafetensors[t.dtype], shape: t.shape, data_offsets: [offset, offset + size] }
    parts.push(`${JSON.stringify(t.name)}:${JSON.stringify(info)}`)
    offset += size
  }
  let header = utf8.encode(`{${parts.join(",")}}`)
  const pad = (8 - (header.length % 8)) % 8
  if (pad > 0) {
    const padded = new Uint8Array(header.length + pad).fill(0x20)
    padded.set(header)
    header = padded
  }
  const out = new Uint8Array(8 + header.length + offset)
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true)
  out.set(header, 8)
  let at = 8 + header.length
  for (const { t } of keyed) {
    const bytes = byteView(t.data)
    out.set(bytes, at)
    // A complex element is two floats: each is swapped on its own.
    if (!littleEndian) swapBytes(out.subarray(at, at + bytes.length), t.data.BYTES_PER_ELEMENT)
    at += bytes.length
  }
  return out
}

/**
 * A pytree of Arrays as safetensors bytes (CPU arrays; on another device read with
 * `codec.save`, which uses `Device.read`). Throws `CodecError` for leaves that are not Arrays or
 * names that clash.
 *
 * @example
 * const [w, b] = [np.ones([4, 2]), np.zeros([2])]
 * const bytes = codec.encodeSafetensors({ linear: { weight: w, bias: b } })  // names linear/weight, linear/bias
 */
export const encodeSafetensors = (t: unknown, options?: EncodeOptions): Uint8Array =>
  encodeTensors(hostTensorsSync(t, "encodeSafetensors"), checkOptions("codec.encodeSafetensors", options, optionKeys<EncodeOptions>()("metadata")))

/** A validated safetensors file. */
export interface SafetensorsFile {
  readonly metadata: Readonly<Record<string, string>> | undefined
  /** The entries in data-offset order. */
  readonly entries: ReadonlyArray<SafetensorsEntry>
  /** The byte buffer (a view into the input). */
  readonly data: Uint8Array
}

/**
 * Validate and index a safetensors file (no template: every entry, any dtype).
 *
 * @example
 * import { Result } from "effect"
 * const bytes = codec.encodeSafetensors({ w: np.ones([2, 3]) })
 * const r = codec.parseSafetensors(bytes)
 * if (Result.isSuccess(r)) r.success.entries.map((e) => e.name) // ["w"]
 */
export const parseSafetensors = (bytes: Uint8Array): Result.Result<SafetensorsFile, CodecError> =>
  catching("not a valid safetensors file", () => {
    const { metadata, entries, data } = runWorkSync(readSafetensorsHeader(bytes, new Inventory(), found, true))
    return { metadata, entries: entries!, data }
  })

const COPY_BYTES = 1 << 20

/** The elements of one entry, copied out of the buffer a slice at a time. */
function* readEntry(data: Uint8Array, e: SafetensorsEntry, dtype: DType): Work<AnyTypedArray> {
  const bytes = new Uint8Array(e.end - e.begin) // a copy, aligned at offset 0
  for (let at = 0; at < bytes.length; at += COPY_BYTES) {
    bytes.set(data.subarray(e.begin + at, Math.min(e.end, e.begin + at + COPY_BYTES)), at)
    yield
  }
  if (!littleEndian) swapBytes(bytes, e.dtype === "C64" ? 4 : dtypeBits[e.dtype]! / 8)
  switch (dtype) {
    case "float32":
    case "complex64":
      // complex64: interleaved (re, im) float32 pairs, as jaxfx stores them.
      return new Float32Array(bytes.buffer)
    case "float64":
    case "complex128":
      return new Float64Array(bytes.buffer)
    case "int32":
      return new Int32Array(bytes.buffer)
    case "uint32":
      return new Uint32Array(bytes.buffer)
    case "int16":
      return new Int16Array(bytes.buffer)
    case "int8":
      return new Int8Array(bytes.buffer)
    case "uint8":
      return bytes
    // float16 / bfloat16: the file's 16-bit words are the storage itself (every word is a value,
    // NaN payloads included).
    case "uint16":
    case "float16":
    case "bfloat16":
      return new Uint16Array(bytes.buffer)
    case "bool": {
      for (let at = 0; at < bytes.length; at += COPY_BYTES) {
        const end = Math.min(bytes.length, at + COPY_BYTES)
        for (let i = at; i < end; i++) {
          if (bytes[i]! > 1) throw new CodecError(`safetensors entry "${e.name}": BOOL element ${i} is ${bytes[i]}, not 0 or 1.`)
        }
        yield
      }
      return bytes
    }
  }
}

/** An entry as a `FoundTensor` of the file whose data buffer is `data`. */
const found =
  (data: Uint8Array) =>
  (e: SafetensorsEntry): FoundTensor => {
    const dtype = Object.hasOwn(fromSafetensors, e.dtype) ? fromSafetensors[e.dtype] : undefined
    return { fileDType: e.dtype, dtype, shape: e.shape, materialize: () => readEntry(data, e, dtype!) }
  }

/** `decodeSafetensors`, a slice at a time (see work.ts). */
export function* decodeSafetensorsWork<T>(bytes: Uint8Array, template: T, options?: MatchOptions): Work<T> {
  const plan = planTemplate(template, "the safetensors file")
  const inventory = new Inventory(plan.names, options?.allowExtra === true)
  yield* readSafetensorsHeader(bytes, inventory, found, false)
  return yield* fillPlan<T>(plan, inventory, "the safetensors file")
}

/**
 * Decode safetensors bytes into a tree shaped like `template` (a pytree of Arrays or
 * ShapedArrays giving each leaf's expected dtype and shape). Fails with a `CodecError` for a
 * malformed file (see safetensors-header.ts for the rules, the reference reader's), or one whose
 * names, dtypes or shapes do not match the template.
 *
 * @example
 * import { Result } from "effect"
 * const params = { linear: { weight: np.ones([4, 2]), bias: np.zeros([2]) } }
 * const bytes = codec.encodeSafetensors(params)
 * const r = codec.decodeSafetensors(bytes, params) // the same tree, read back
 * Result.isSuccess(r) // true
 */
export const decodeSafetensors = <T>(bytes: Uint8Array, template: T, options?: MatchOptions): Result.Result<T, CodecError> => {
  checkOptions("codec.decodeSafetensors", options, MATCH_KEYS)
  return catching("safetensors", () => runWorkSync(decodeSafetensorsWork(bytes, template, options)))
}
