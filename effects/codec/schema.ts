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
export const NonNegativeInt = t.brand(t.number, (n): n is t.Branded<number, NonNegativeIntBrand> => Number.isSafeInteger(n) && n >= 0, "NonNegativeInt")
export type NonNegativeInt = t.TypeOf<typeof NonNegativeInt>

/**
 * io-ts's `readonlyArray`, stopping at the first bad element: hostile input may hold millions,
 * and io-ts would build (and a report would format) an error for each.
 */
export const listOf = <C extends t.Mixed>(item: C, name: string): t.Type<ReadonlyArray<t.TypeOf<C>>, ReadonlyArray<t.OutputOf<C>>, unknown> =>
  new t.Type<ReadonlyArray<t.TypeOf<C>>, ReadonlyArray<t.OutputOf<C>>, unknown>(
    name,
    (u): u is ReadonlyArray<t.TypeOf<C>> => Array.isArray(u) && u.every((x) => item.is(x)),
    (u, c) => {
      if (!Array.isArray(u)) return t.failure(u, c, `${name} must be a list`)
      for (let i = 0; i < u.length; i++) {
        if (item.is(u[i])) continue
        const r = item.validate(u[i], t.appendContext(c, String(i), item, u[i]))
        if (E.isLeft(r)) return t.failures(r.left)
      }
      return t.success(u as ReadonlyArray<t.TypeOf<C>>)
    },
    t.identity
  )

/** io-ts's `record(t.string, value)`, stopping at the first bad value (see `listOf`). */
export const recordOf = <C extends t.Mixed>(
  value: C,
  name: string
): t.Type<Readonly<Record<string, t.TypeOf<C>>>, Readonly<Record<string, t.OutputOf<C>>>, unknown> =>
  new t.Type<Readonly<Record<string, t.TypeOf<C>>>, Readonly<Record<string, t.OutputOf<C>>>, unknown>(
    name,
    (u): u is Readonly<Record<string, t.TypeOf<C>>> => t.UnknownRecord.is(u) && Object.keys(u).every((k) => value.is(u[k])),
    (u, c) => {
      if (!t.UnknownRecord.is(u)) return t.failure(u, c, `${name} must be an object`)
      for (const k of Object.keys(u)) {
        if (value.is(u[k])) continue
        const r = value.validate(u[k], t.appendContext(c, k, value, u[k]))
        if (E.isLeft(r)) return t.failures(r.left)
      }
      return t.success(u as Readonly<Record<string, t.TypeOf<C>>>)
    },
    t.identity
  )

/** A shape: a list of dimensions. */
export const Shape = listOf(NonNegativeInt, "Shape")

/** String-to-string metadata (safetensors' `__metadata__`, the JSON format's `metadata`). */
export const Metadata = recordOf(t.string, "Metadata")
export type Metadata = t.TypeOf<typeof Metadata>

// ---------------------------------------------------------------------------------------------
// The JSON checkpoint format (see json.ts for the documented schema). The reader checks each
// node's record as the node closes (json-reader.ts); a tensor's data list is checked by the
// scanner and read by json-data.ts.

export const JsonDType = t.keyof({ float32: null, float64: null, int32: null, uint32: null, bool: null }, "DType")

/** The `type` of a node. */
export const NodeType = t.keyof({ array: null, list: null, dict: null, null: null, undefined: null }, "NodeType")

/** An array node's fields other than `data`. */
export const ArrayNodeHead = t.exact(t.type({ type: t.literal("array"), dtype: JsonDType, shape: Shape }), "ArrayNode")

export const JSON_FORMAT = "jaxfx.checkpoint"
export const JSON_VERSION = 1

/** The document around the tree. */
export const JsonCheckpoint = t.exact(
  t.intersection([t.type({ format: t.literal(JSON_FORMAT), version: t.literal(JSON_VERSION) }), t.partial({ metadata: Metadata })]),
  "Checkpoint"
)
export type JsonCheckpoint = t.TypeOf<typeof JsonCheckpoint>

// ---------------------------------------------------------------------------------------------
// The safetensors header

/** One tensor's entry in a safetensors header (other fields are ignored, as the reference does). */
export const SafetensorsInfo = t.type(
  {
    dtype: t.string,
    shape: Shape,
    data_offsets: t.tuple([NonNegativeInt, NonNegativeInt])
  },
  "TensorInfo"
)
export type SafetensorsInfo = t.TypeOf<typeof SafetensorsInfo>

// ---------------------------------------------------------------------------------------------
// Bridge: io-ts (fp-ts Either) -> Result / CodecError

/**
 * An fp-ts Either as an effect Result.
 *
 * @example
 * import * as E from "fp-ts/lib/Either.js"
 * codec.toResult(E.right(1)) // Result.succeed(1)
 * codec.toResult(E.left("no")) // Result.fail("no")
 */
export const toResult = <L, A>(e: E.Either<L, A>): Result.Result<A, L> => (E.isLeft(e) ? Result.fail(e.left) : Result.succeed(e.right))

/** How many problems a schema message shows. */
const SHOWN = 4

/**
 * Decode `u` with an io-ts codec; on failure a `CodecError` saying what was being read and the
 * first few problems with their paths (io-ts's PathReporter). Only the problems shown are
 * formatted, however many the codec found.
 *
 * @example
 * import * as t from "io-ts"
 * const Header = t.type({ version: t.number })
 * codec.decodeWith(Header, { version: 1 }, "header") // Result.succeed({ version: 1 })
 * codec.decodeWith(Header, { version: "1" }, "header") // Result.fail(CodecError: header: ... version ...)
 */
export const decodeWith = <A, O>(codec: t.Type<A, O, unknown>, u: unknown, what: string): Result.Result<A, CodecError> => {
  const res = codec.decode(u)
  return Result.mapError(toResult(res), (errors) => {
    const lines = PathReporter.report(E.left(errors.slice(0, SHOWN)))
    const shown = lines.map((l) => (l.length > 300 ? `${l.slice(0, 300)}...` : l))
    const more = errors.length > SHOWN ? ` (and ${errors.length - SHOWN} more)` : ""
    return new CodecError(`${what} does not match its schema: ${shown.join("; ")}${more}`)
  })
}

/** `decodeWith`, throwing the `CodecError` (for use inside a function that returns a Result). */
export const decodeOrThrow = <A, O>(codec: t.Type<A, O, unknown>, u: unknown, what: string): A => Result.getOrThrowWith(decodeWith(codec, u, what), (e) => e)
