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
 * the reference implementation's checks (header size limit, contiguous non-overlapping offsets
 * that cover the buffer exactly, byte sizes that match dtype x shape), plus duplicate names.
 * Names are pytree paths joined with "/" (`linear/weight`). jaxfx reads and writes F32, F64, I32,
 * U32 and BOOL; other dtypes in a file are validated and can be skipped with `allowExtra`.
 */
import type { Result } from "effect"
import type { AnyTypedArray } from "../../core/dtype.js"
import { CodecError, type DType } from "../../index.js"
import { type JsonValue, parseJson } from "./json-text.js"
import { decodeOrThrow, Metadata, SafetensorsHeader, SafetensorsInfo } from "./schema.js"
import {
  catching,
  checkedSize,
  fillTemplate,
  type FoundTensor,
  hostTensorsSync,
  MATCH_KEYS,
  type MatchOptions,
  METADATA_KEY,
  type NamedTensor
} from "./tensors.js"
import { checkOptions, optionKeys } from "../../core/options.js"

/** The largest header the reference implementation accepts (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000

const toSafetensors: Readonly<Record<DType, string>> = {
  float64: "F64",
  float32: "F32",
  uint32: "U32",
  int32: "I32",
  bool: "BOOL"
}
const fromSafetensors: Readonly<Record<string, DType>> = { F64: "float64", F32: "float32", U32: "uint32", I32: "int32", BOOL: "bool" }

/** Bytes per element of every byte-addressable safetensors dtype (sub-byte F4/F6 are not read). */
const itemsizes: Readonly<Record<string, number>> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, F8_E8M0: 1, I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8, C64: 8
}

/** Write order: the reference sorts by dtype, widest first, then by name. */
const dtypeRank: Readonly<Record<DType, number>> = { float64: 0, float32: 1, uint32: 2, int32: 3, bool: 4 }

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
  const keyed = tensors.map((t) => ({ t, key: utf8.encode(t.name) }))
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
 * const bytes = codec.encodeSafetensors({ linear: { weight: w, bias: b } })  // names linear/weight, linear/bias
 */
export const encodeSafetensors = (t: unknown, options?: EncodeOptions): Uint8Array =>
  encodeTensors(hostTensorsSync(t, "encodeSafetensors"), checkOptions("codec.encodeSafetensors", options, optionKeys<EncodeOptions>()("metadata")))

/** One tensor's entry in a parsed file. */
export interface SafetensorsEntry {
  readonly name: string
  /** As the file names it: "F32", "BF16", ... */
  readonly dtype: string
  readonly shape: ReadonlyArray<number>
  /** Byte range in the data buffer. */
  readonly begin: number
  readonly end: number
}

/** A validated safetensors file. */
export interface SafetensorsFile {
  readonly metadata: Readonly<Record<string, string>> | undefined
  /** The entries in data-offset order. */
  readonly entries: ReadonlyArray<SafetensorsEntry>
  /** The byte buffer (a view into the input). */
  readonly data: Uint8Array
}

const parseImpl = (bytes: Uint8Array): SafetensorsFile => {
  const fail = (msg: string): never => {
    throw new CodecError(`not a valid safetensors file: ${msg}.`)
  }
  if (bytes.length < 8) fail(`it has ${bytes.length} bytes, fewer than the 8 of the header length`)
  const n64 = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true)
  if (n64 > BigInt(MAX_HEADER_BYTES)) fail(`the header length ${n64} exceeds the ${MAX_HEADER_BYTES}-byte limit`)
  const n = Number(n64)
  if (8 + n > bytes.length) fail(`the header length ${n} is larger than the rest of the file (${bytes.length - 8} bytes)`)
  let text: string
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n))
  } catch {
    return fail("the header is not UTF-8")
  }
  if (!text.startsWith("{")) fail("the header does not start with '{'")
  const header = decodeOrThrow(SafetensorsHeader, parseJson(text, { maxDepth: 8, what: "the safetensors header" }), "the safetensors header")
  const data = bytes.subarray(8 + n)
  let metadata: Readonly<Record<string, string>> | undefined
  const entries: SafetensorsEntry[] = []
  for (const name of Object.keys(header)) {
    const value = header[name] as JsonValue
    if (name === METADATA_KEY) {
      metadata = decodeOrThrow(Metadata, value, `the safetensors "${METADATA_KEY}"`)
      continue
    }
    const info = decodeOrThrow(SafetensorsInfo, value, `the safetensors entry "${name}"`)
    const itemsize = itemsizes[info.dtype]
    if (itemsize === undefined) fail(`"${name}" has the unknown or sub-byte dtype ${JSON.stringify(info.dtype)}`)
    const [begin, end] = info.data_offsets
    if (end < begin) fail(`"${name}" has data_offsets [${begin}, ${end}] that end before they begin`)
    if (end > data.length) {
      fail(`"${name}" has data_offsets [${begin}, ${end}] beyond the ${data.length}-byte data buffer`)
    }
    const size = checkedSize(info.shape, data.length)
    if (size === undefined) fail(`"${name}" has the shape [${info.shape.join(", ")}], too large for the file`)
    const need = size! * itemsize!
    if (end - begin !== need) {
      fail(
        `"${name}" has data_offsets [${begin}, ${end}] (${end - begin} bytes) but ${info.dtype} x ` +
          `[${info.shape.join(", ")}] needs ${need} bytes`
      )
    }
    entries.push({ name, dtype: info.dtype, shape: info.shape, begin, end })
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end)
  let expected = 0
  for (const e of entries) {
    if (e.begin !== expected) {
      fail(
        e.begin < expected
          ? `"${e.name}" at [${e.begin}, ${e.end}] overlaps the tensor before it (which ends at ${expected})`
          : `the data buffer has a gap at [${expected}, ${e.begin}] before "${e.name}"; offsets must be contiguous`
      )
    }
    expected = e.end
  }
  if (expected !== data.length) {
    fail(`the tensors cover ${expected} bytes of the ${data.length}-byte data buffer; the rest is unaccounted for`)
  }
  return { metadata, entries, data }
}

/** Validate and index a safetensors file (no template: every entry, any dtype). */
export const parseSafetensors = (bytes: Uint8Array): Result.Result<SafetensorsFile, CodecError> =>
  catching("not a valid safetensors file", () => parseImpl(bytes))

/** The elements of one entry, copied out of the buffer. */
const readEntry = (file: SafetensorsFile, e: SafetensorsEntry, dtype: DType): AnyTypedArray => {
  const bytes = file.data.slice(e.begin, e.end) // a copy, aligned at offset 0
  if (!littleEndian) swapBytes(bytes, itemsizes[e.dtype]!)
  switch (dtype) {
    case "float32":
      return new Float32Array(bytes.buffer)
    case "float64":
      return new Float64Array(bytes.buffer)
    case "int32":
      return new Int32Array(bytes.buffer)
    case "uint32":
      return new Uint32Array(bytes.buffer)
    case "bool": {
      const i = bytes.findIndex((b) => b > 1)
      if (i >= 0) throw new CodecError(`safetensors entry "${e.name}": BOOL element ${i} is ${bytes[i]}, not 0 or 1.`)
      return bytes
    }
  }
}

/** The entries of a parsed file as `FoundTensor`s, by name. */
export const foundTensors = (file: SafetensorsFile): ReadonlyMap<string, FoundTensor> =>
  new Map(file.entries.map((e): [string, FoundTensor] => {
    const dtype = fromSafetensors[e.dtype]
    return [e.name, {
      fileDType: e.dtype,
      dtype,
      shape: e.shape,
      materialize: () => readEntry(file, e, dtype!)
    }]
  }))

/**
 * Decode safetensors bytes into a tree shaped like `template` (a pytree of Arrays or
 * ShapedArrays giving each leaf's expected dtype and shape). Fails with a `CodecError` for a
 * malformed file, or one whose names, dtypes or shapes do not match the template.
 */
export const decodeSafetensors = <T>(bytes: Uint8Array, template: T, options?: MatchOptions): Result.Result<T, CodecError> => {
  checkOptions("codec.decodeSafetensors", options, MATCH_KEYS)
  return catching("safetensors", () => fillTemplate(template, foundTensors(parseImpl(bytes)), "the safetensors file", options))
}
