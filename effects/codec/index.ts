/**
 * `codec`: checkpoints of parameters and optimizer states (pytrees of Arrays), as JSON or
 * safetensors. Use as a namespace:
 *
 *   import { codec } from "jaxfx/effects"
 *   yield* codec.save("ckpt.safetensors", { params, opt: optState })
 *   const restored = yield* codec.load("ckpt.safetensors", { params, opt: optState })
 *
 * Loading takes a template (the tree to restore, or any tree of Arrays/ShapedArrays with its
 * structure, dtypes and shapes) and fails with a `CodecError` naming each leaf whose name, dtype
 * or shape differs. Everything read is hostile input, validated (io-ts schemas, the reference
 * safetensors reader's rules) before it is trusted, in time and memory linear in its size; writes
 * are atomic (temporary file, fsync, rename).
 *
 * Files go through Effect's `FileSystem` service when the program provides one (`codec.layerMemory()`
 * in a browser), else Node's file system; `toBytes` / `fromBytes` and `toBlob` / `fromBlob` need none.
 */
import { Effect } from "effect"
import type { AnyTypedArray } from "../../core/dtype.js"
import { type Array, CodecError, type DeviceError } from "../../index.js"
import { writeFileAtomic } from "./atomic.js"
import { decodeJsonBytes, encodeJsonWith } from "./json.js"
import { readCheckpointFile } from "./read-file.js"
import { decodeSafetensorsWork, encodeTensors } from "./safetensors.js"
import { hostTensors, type MatchOptions } from "./tensors.js"
import { runWork } from "./work.js"
import { checkOneOf, checkOptions, optionKeys } from "../../core/options.js"

export { type AtomicWriteOptions, removeStaleTemporaries, STALE_AFTER_MS, writeFileAtomic } from "./atomic.js"
export { DEFAULT_MAX_BYTES, readCheckpointFile } from "./read-file.js"
export { layerMemory, memoryFileSystem } from "./memory-file-system.js"
export { layerNode, nodeFileSystem } from "./node-file-system.js"
export { decodeJson, encodeJson, type EncodeJsonOptions, type JsonContents, parseJsonCheckpoint } from "./json.js"
export { type JsonValue, parseJson } from "./json-text.js"
export {
  decodeSafetensors,
  encodeSafetensors,
  type EncodeOptions,
  MAX_HEADER_BYTES,
  parseSafetensors,
  type SafetensorsEntry,
  type SafetensorsFile
} from "./safetensors.js"
export { ArrayNodeHead, decodeWith, JsonCheckpoint, Metadata, NodeType, SafetensorsInfo, toResult } from "./schema.js"
export { type HostTensor, leafName, type MatchOptions } from "./tensors.js"

/** A checkpoint format. */
export type Format = "json" | "safetensors"

/**
 * The format of `path`: the given one, else `.json` -> json, anything else -> safetensors.
 *
 * @example
 * codec.formatOf("ckpt.json") // "json"
 * codec.formatOf("ckpt.safetensors") // "safetensors"
 * codec.formatOf("ckpt.bin", "json") // "json"
 */
export const formatOf = (path: string, format?: Format): Format => format ?? (path.toLowerCase().endsWith(".json") ? "json" : "safetensors")

export interface SaveOptions {
  /** Default: from the extension (`.json` -> json, else safetensors). */
  readonly format?: Format
  /** String metadata stored with the checkpoint. */
  readonly metadata?: Readonly<Record<string, string>>
}

export interface LoadOptions extends MatchOptions {
  /** Default: from the extension (`.json` -> json, else safetensors). */
  readonly format?: Format
  /** The largest file to read, in bytes; a larger one is a `CodecError` before anything is read. Default 4 GiB. */
  readonly maxBytes?: number
}
const FORMATS: ReadonlyArray<Format> = ["json", "safetensors"]
const SAVE_KEYS = optionKeys<SaveOptions>()("format", "metadata")
const LOAD_KEYS = optionKeys<LoadOptions>()("format", "allowExtra", "maxBytes")

/**
 * Save a pytree of Arrays to `path`, atomically: the previous file at `path` stays readable until
 * the new one has been completely written and flushed. Arrays on any device are read with
 * `Device.read`.
 *
 * @example
 * const params = { w: np.ones([3]), b: np.zeros([1]) }
 * const optState = optim.adam(1e-3).init(params)
 * yield* codec.save("run/step-1000.safetensors", { params, opt: optState }, { metadata: { step: "1000" } })
 */
export const save = (path: string, t: unknown, options?: SaveOptions): Effect.Effect<void, CodecError | DeviceError> => {
  checkOptions("codec.save", options, SAVE_KEYS)
  checkOneOf("codec.save", "format", options?.format, FORMATS)
  const format = formatOf(path, options?.format)
  return Effect.flatMap(encode(t, format, options?.metadata, "codec.save"), (bytes) => writeFileAtomic(path, bytes))
}

const encode = (
  t: unknown,
  format: Format,
  metadata: Readonly<Record<string, string>> | undefined,
  what: string
): Effect.Effect<Uint8Array, CodecError | DeviceError> =>
  Effect.gen(function* () {
    const tensors = yield* hostTensors(t, what)
    const meta = metadata === undefined ? {} : { metadata }
    return yield* Effect.try({
      try: (): Uint8Array => {
        if (format === "safetensors") return encodeTensors(tensors, meta)
        const data = new Map<Array, AnyTypedArray>(tensors.map((x) => [x.array, x.data]))
        return new TextEncoder().encode(encodeJsonWith(t, (x) => data.get(x) ?? x.data(), meta))
      },
      catch: (e) => (e instanceof CodecError ? e : new CodecError(`${what}: ${e instanceof Error ? e.message : String(e)}`))
    })
  })

export interface BytesOptions {
  /** Default: safetensors. */
  readonly format?: Format
  /** String metadata stored with the checkpoint. */
  readonly metadata?: Readonly<Record<string, string>>
}

export interface FromBytesOptions extends MatchOptions {
  /** Default: safetensors. */
  readonly format?: Format
}
const BYTES_KEYS = optionKeys<BytesOptions>()("format", "metadata")
const FROM_BYTES_KEYS = optionKeys<FromBytesOptions>()("format", "allowExtra")

/**
 * A checkpoint of a pytree of Arrays as bytes (safetensors by default, or JSON), with no file
 * system: for browsers (downloads, IndexedDB, fetch bodies) or any storage of your own. Arrays on
 * any device are read with `Device.read`.
 *
 * @example
 * const params = { w: np.ones([3]), b: np.zeros([1]) }
 * const bytes = yield* codec.toBytes({ params }, { format: "safetensors" })
 * const back = yield* codec.fromBytes(bytes, { params })
 */
export const toBytes = (t: unknown, options?: BytesOptions): Effect.Effect<Uint8Array, CodecError | DeviceError> => {
  checkOptions("codec.toBytes", options, BYTES_KEYS)
  checkOneOf("codec.toBytes", "format", options?.format, FORMATS)
  return encode(t, options?.format ?? "safetensors", options?.metadata, "codec.toBytes")
}

/**
 * Restore a tree shaped like `template` from checkpoint bytes (safetensors by default, or JSON),
 * validated as `codec.load` validates a file (the bytes are hostile input; the event loop gets a
 * turn every few milliseconds).
 *
 * @example
 * const template = { w: np.zeros([3]) }
 * const bytes = yield* codec.toBytes({ params: { w: np.ones([3]) } })
 * const { params } = yield* codec.fromBytes(bytes, { params: template })
 */
export const fromBytes = <T>(bytes: Uint8Array, template: T, options?: FromBytesOptions): Effect.Effect<T, CodecError> => {
  checkOptions("codec.fromBytes", options, FROM_BYTES_KEYS)
  checkOneOf("codec.fromBytes", "format", options?.format, FORMATS)
  return decode(bytes, template, options?.format ?? "safetensors", options?.allowExtra)
}

const decode = <T>(bytes: Uint8Array, template: T, format: Format, allowExtra: boolean | undefined): Effect.Effect<T, CodecError> => {
  const match = allowExtra === undefined ? undefined : { allowExtra }
  return format === "safetensors"
    ? runWork(() => decodeSafetensorsWork(bytes, template, match), "safetensors")
    : runWork(() => decodeJsonBytes(bytes, template, match), "JSON checkpoint")
}

/**
 * A checkpoint as a `Blob` (for a download link or an upload in a browser); `codec.toBytes` in a Blob.
 *
 * @example
 * const params = { w: np.ones([3]), b: np.zeros([1]) }
 * const url = URL.createObjectURL(await Effect.runPromise(codec.toBlob({ params })))
 */
export const toBlob = (t: unknown, options?: BytesOptions): Effect.Effect<Blob, CodecError | DeviceError> => {
  checkOptions("codec.toBlob", options, BYTES_KEYS)
  checkOneOf("codec.toBlob", "format", options?.format, FORMATS)
  return Effect.map(
    encode(t, options?.format ?? "safetensors", options?.metadata, "codec.toBlob"),
    (bytes) => new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" })
  )
}

/**
 * Restore a tree shaped like `template` from a checkpoint `Blob` (a `File` from an `<input type=file>`).
 *
 * @example
 * const template = { w: np.zeros([3]) }
 * const file = new Blob([])  // in a page: input.files[0] of an <input type="file">
 * const { params } = yield* codec.fromBlob(file, { params: template })
 */
export const fromBlob = <T>(blob: Blob, template: T, options?: FromBytesOptions): Effect.Effect<T, CodecError> => {
  checkOptions("codec.fromBlob", options, FROM_BYTES_KEYS)
  checkOneOf("codec.fromBlob", "format", options?.format, FORMATS)
  return Effect.flatMap(
    Effect.tryPromise({
      try: () => blob.arrayBuffer(),
      catch: (e) => new CodecError(`codec.fromBlob: cannot read the Blob: ${e instanceof Error ? e.message : String(e)}`)
    }),
    (buffer) => decode(new Uint8Array(buffer), template, options?.format ?? "safetensors", options?.allowExtra)
  )
}

/**
 * Load a checkpoint into a tree shaped like `template`. Fails with a `CodecError` when the file
 * cannot be read, is malformed, or its names, dtypes or shapes differ from the template's (the
 * message names each such leaf with both dtypes and shapes).
 *
 * The file is hostile input: `path` must name a regular file (not a FIFO, device or directory) of
 * at most `maxBytes` bytes, which is read exactly; checking it takes time and memory linear in its
 * size, and the event loop gets a turn every few milliseconds while it runs.
 *
 * @example
 * const template = { w: np.zeros([3]), b: np.zeros([1]) }
 * const optState = optim.adam(1e-3).init(template)
 * const { params, opt } = yield* codec.load("run/step-1000.safetensors", { params: template, opt: optState })
 */
export const load = <T>(path: string, template: T, options?: LoadOptions): Effect.Effect<T, CodecError> => {
  checkOptions("codec.load", options, LOAD_KEYS)
  checkOneOf("codec.load", "format", options?.format, FORMATS)
  return Effect.gen(function* () {
    const bytes = yield* readCheckpointFile(path, options?.maxBytes)
    return yield* decode(bytes, template, formatOf(path, options?.format), options?.allowExtra)
  }).pipe(Effect.mapError((e) => (e.message.includes(path) ? e : new CodecError(`${path}: ${e.message}`))))
}
