/**
 * The record schemas of the checkpoint formats as io-ts codecs, and the bridge from io-ts's
 * fp-ts `Either` into jaxfx's `CodecError`. Everything read from outside goes through one of
 * these before it is trusted.
 */
import { Result } from "effect"
import * as E from "fp-ts/lib/Either.js"
import * as t from "io-ts"
import { PathReporter } from "io-ts/lib/PathReporter.js"
import { CodecError } from "../../index.js"

// ---------------------------------------------------------------------------------------------
// Shared pieces

interface NonNegativeIntBrand {
  readonly NonNegativeInt: unique symbol
}

/** A non-negative safe integer (dimensions, byte offsets). */
export const NonNegativeInt = t.brand(
  t.number,
  (n): n is t.Branded<number, NonNegativeIntBrand> => Number.isSafeInteger(n) && n >= 0,
  "NonNegativeInt"
)
export type NonNegativeInt = t.TypeOf<typeof NonNegativeInt>

/** A shape: a list of dimensions. */
export const Shape = t.readonlyArray(NonNegativeInt, "Shape")

/** String-to-string metadata (safetensors' `__metadata__`, the JSON format's `metadata`). */
export const Metadata = t.record(t.string, t.string, "Metadata")
export type Metadata = t.TypeOf<typeof Metadata>

// ---------------------------------------------------------------------------------------------
// The JSON checkpoint format (see json.ts for the documented schema)

export const JsonDType = t.keyof({ float32: null, float64: null, int32: null, uint32: null, bool: null }, "DType")

/** Element list of a tensor: numbers, and strings for the float values JSON has no number for. */
export const JsonData = new t.Type<ReadonlyArray<number | string>, ReadonlyArray<number | string>, unknown>(
  "Data",
  (u): u is ReadonlyArray<number | string> =>
    Array.isArray(u) && u.every((x: unknown) => typeof x === "number" || typeof x === "string"),
  (u, c) => {
    if (!Array.isArray(u)) return t.failure(u, c, "data must be a list")
    for (let i = 0; i < u.length; i++) {
      const x: unknown = u[i]
      if (typeof x !== "number" && typeof x !== "string") {
        return t.failure(x, t.appendContext(c, String(i), t.union([t.number, t.string]), x), "data elements are numbers or strings")
      }
    }
    return t.success(u as ReadonlyArray<number | string>)
  },
  t.identity
)

export const JsonArrayNode = t.type({ type: t.literal("array"), dtype: JsonDType, shape: Shape, data: JsonData }, "ArrayNode")
export type JsonArrayNode = t.TypeOf<typeof JsonArrayNode>

/** A node of the stored tree. */
export type JsonNode =
  | JsonArrayNode
  | { readonly type: "list"; readonly items: ReadonlyArray<JsonNode> }
  | { readonly type: "dict"; readonly items: { readonly [key: string]: JsonNode } }
  | { readonly type: "null" }
  | { readonly type: "undefined" }

export const JsonNode: t.Type<JsonNode, unknown> = t.recursion<JsonNode, unknown>("Node", () =>
  t.union([
    JsonArrayNode,
    t.type({ type: t.literal("list"), items: t.readonlyArray(JsonNode) }),
    t.type({ type: t.literal("dict"), items: t.record(t.string, JsonNode) }),
    t.type({ type: t.literal("null") }),
    t.type({ type: t.literal("undefined") })
  ])
)

export const JSON_FORMAT = "jaxfx.checkpoint"
export const JSON_VERSION = 1

export const JsonCheckpoint = t.intersection([
  t.type({ format: t.literal(JSON_FORMAT), version: t.literal(JSON_VERSION), tree: JsonNode }),
  t.partial({ metadata: Metadata })
], "Checkpoint")
export type JsonCheckpoint = t.TypeOf<typeof JsonCheckpoint>

// ---------------------------------------------------------------------------------------------
// The safetensors header

/** One tensor's entry in a safetensors header. */
export const SafetensorsInfo = t.type({
  dtype: t.string,
  shape: Shape,
  data_offsets: t.tuple([NonNegativeInt, NonNegativeInt])
}, "TensorInfo")
export type SafetensorsInfo = t.TypeOf<typeof SafetensorsInfo>

/** The header: tensor entries by name, and optional `__metadata__`. */
export const SafetensorsHeader = t.UnknownRecord

// ---------------------------------------------------------------------------------------------
// Bridge: io-ts (fp-ts Either) -> Result / CodecError

/** An fp-ts Either as an effect Result. */
export const toResult = <L, A>(e: E.Either<L, A>): Result.Result<A, L> =>
  E.isLeft(e) ? Result.fail(e.left) : Result.succeed(e.right)

/**
 * Decode `u` with an io-ts codec; on failure a `CodecError` saying what was being read and the
 * first few problems with their paths (io-ts's PathReporter).
 */
export const decodeWith = <A, O>(codec: t.Type<A, O, unknown>, u: unknown, what: string): Result.Result<A, CodecError> => {
  const res = codec.decode(u)
  return Result.mapError(toResult(res), () => {
    const lines = PathReporter.report(res)
    const shown = lines.slice(0, 4).map((l) => l.length > 300 ? `${l.slice(0, 300)}...` : l)
    const more = lines.length > shown.length ? ` (and ${lines.length - shown.length} more)` : ""
    return new CodecError(`${what} does not match its schema: ${shown.join("; ")}${more}`)
  })
}

/** `decodeWith`, throwing the `CodecError` (for use inside a function that returns a Result). */
export const decodeOrThrow = <A, O>(codec: t.Type<A, O, unknown>, u: unknown, what: string): A =>
  Result.getOrThrowWith(decodeWith(codec, u, what), (e) => e)
