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

/** The format of `path`: the given one, else `.json` -> json, anything else -> safetensors. */
export const formatOf = (path: string, format?: Format): Format =>
  format ?? (path.toLowerCase().endsWith(".json") ? "json" : "safetensors")

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
 * yield* codec.save("run/step-1000.safetensors", { params, opt: optState }, { metadata: { step: "1000" } })
 */
export const save = (path: string, t: unknown, options?: SaveOptions): Effect.Effect<void, CodecError | DeviceError> => {
  checkOptions("codec.save", options, SAVE_KEYS)
  checkOneOf("codec.save", "format", options?.format, FORMATS)
  return Effect.gen(function* () {
    const tensors = yield* hostTensors(t, "codec.save")
    const format = formatOf(path, options?.format)
    const meta = options?.metadata === undefined ? {} : { metadata: options.metadata }
    const bytes = yield* Effect.try({
      try: (): Uint8Array => {
        if (format === "safetensors") return encodeTensors(tensors, meta)
        const data = new Map<Array, AnyTypedArray>(tensors.map((x) => [x.array, x.data]))
        return new TextEncoder().encode(encodeJsonWith(t, (x) => data.get(x) ?? x.data(), meta))
      },
      catch: (e) => e instanceof CodecError ? e : new CodecError(`codec.save: ${e instanceof Error ? e.message : String(e)}`)
    })
    yield* writeFileAtomic(path, bytes)
  })
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
 * const { params, opt } = yield* codec.load("run/step-1000.safetensors", { params, opt: optState })
 */
export const load = <T>(path: string, template: T, options?: LoadOptions): Effect.Effect<T, CodecError> => {
  checkOptions("codec.load", options, LOAD_KEYS)
  checkOneOf("codec.load", "format", options?.format, FORMATS)
  return Effect.gen(function* () {
    const bytes = yield* readCheckpointFile(path, options?.maxBytes)
    const match = options?.allowExtra === undefined ? undefined : { allowExtra: options.allowExtra }
    return yield* formatOf(path, options?.format) === "safetensors"
      ? runWork(() => decodeSafetensorsWork(bytes, template, match), "safetensors")
      : runWork(() => decodeJsonBytes(bytes, template, match), "JSON checkpoint")
  }).pipe(Effect.mapError((e) => e.message.includes(path) ? e : new CodecError(`${path}: ${e.message}`)))
}
