/**
 * The JSON checkpoint format: readable, self-describing, exact.
 *
 *   {
 *     "format": "jaxfx.checkpoint",
 *     "version": 1,
 *     "metadata": { "<key>": "<string>" },                      (optional)
 *     "tree": <node>
 *   }
 *   <node> = { "type": "array", "dtype": <dtype>, "shape": [<int >= 0>, ...], "data": [<element>, ...] }
 *          | { "type": "list", "items": [<node>, ...] }          (a JS array / tuple)
 *          | { "type": "dict", "items": { "<key>": <node>, ... } } (a plain object; keys sorted)
 *          | { "type": "null" } | { "type": "undefined" }
 *   <dtype> = "float32" | "float64" | "int32" | "uint32" | "bool"
 *
 * `data` holds the product of `shape` elements in row-major order:
 *   float32, float64: a JSON number (the shortest decimal that reads back as exactly the same
 *     value), or a string for the values JSON numbers cannot carry: "NaN", "Infinity",
 *     "-Infinity", "-0", and "NaN:<hex>" for a NaN whose bits are not the canonical quiet NaN
 *     (8 hex digits of the float32 bits, 16 of the float64 bits);
 *     A finite number beyond the dtype's range (1e39 for float32) is an error, not an infinity;
 *   int32, uint32: JSON integers in range, written as integers;  bool: 0 or 1.
 * Dimensions are written as integers (`5`, not `5.0`). Fields other than these are an error.
 * A round trip is bit-exact for every dtype. Leaves are named by their paths, as in safetensors
 * (`linear/weight`); loading with a template matches names, dtypes and shapes.
 */
import type { Result } from "effect"
import type { AnyTypedArray } from "../../core/dtype.js"
import { fromHost } from "../../core/trace.js"
import { Array, CodecError, type DType, ShapedArray } from "../../index.js"
import { readData } from "./json-data.js"
import { MAX_TREE_DEPTH as MAX_DEPTH, type ReadNode, readJsonCheckpoint } from "./json-reader.js"
import { JSON_FORMAT, JSON_VERSION } from "./schema.js"
import { catching, fillPlan, Inventory, leafName, MATCH_KEYS, type MatchOptions, namedArrays, planTemplate } from "./tensors.js"
import { runWorkSync, type Work } from "./work.js"
import { checkOptions, optionKeys } from "../../core/options.js"

const CANONICAL_NAN32 = 0x7fc00000
const CANONICAL_NAN64 = 0x7ff8000000000000n

/** The shortest decimal that reads back (through float32 rounding) as exactly `v`. */
const shortestFloat32 = (v: number): number => {
  for (let p = 1; p <= 9; p++) {
    const c = Number(v.toPrecision(p))
    if (Math.fround(c) === v) return c
  }
  return v
}

const specialFloat = (v: number): string | undefined => (v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : Object.is(v, -0) ? "-0" : undefined)

const encodeData = (dtype: DType, data: AnyTypedArray): (number | string)[] => {
  const out: (number | string)[] = new globalThis.Array(data.length)
  if (dtype === "float32") {
    const bits = new Uint32Array(data.buffer, data.byteOffset, data.length)
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!
      out[i] = Number.isNaN(v)
        ? bits[i] === CANONICAL_NAN32
          ? "NaN"
          : `NaN:${bits[i]!.toString(16).padStart(8, "0")}`
        : (specialFloat(v) ?? shortestFloat32(v))
    }
  } else if (dtype === "float64") {
    const bits = new BigUint64Array(data.buffer, data.byteOffset, data.length)
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!
      out[i] = Number.isNaN(v) ? (bits[i] === CANONICAL_NAN64 ? "NaN" : `NaN:${bits[i]!.toString(16).padStart(16, "0")}`) : (specialFloat(v) ?? v)
    }
  } else {
    for (let i = 0; i < data.length; i++) out[i] = data[i]!
  }
  return out
}

type OutNode =
  | { type: "array"; dtype: DType; shape: number[]; data: (number | string)[] }
  | { type: "list"; items: OutNode[] }
  | { type: "dict"; items: Record<string, OutNode> }
  | { type: "null" }
  | { type: "undefined" }

const isPlainObject = (x: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(x)
  return proto === Object.prototype || proto === null
}

type DataOf = (x: Array) => AnyTypedArray

const encodeNode = (x: unknown, path: ReadonlyArray<string | number>, depth: number, dataOf: DataOf): OutNode => {
  const at = (): string => `"${leafName(path)}"`
  if (depth > MAX_DEPTH) throw new CodecError(`encodeJson: the tree is nested deeper than ${MAX_DEPTH} levels at ${at()}.`)
  if (x instanceof Array) return { type: "array", dtype: x.dtype, shape: [...x.shape], data: encodeData(x.dtype, dataOf(x)) }
  if (x === null) return { type: "null" }
  if (x === undefined) return { type: "undefined" }
  if (globalThis.Array.isArray(x)) {
    return { type: "list", items: x.map((c: unknown, i) => encodeNode(c, [...path, i], depth + 1, dataOf)) }
  }
  if (typeof x === "object" && isPlainObject(x)) {
    const rec = x as Readonly<Record<string, unknown>>
    const items: Record<string, OutNode> = Object.create(null) as Record<string, OutNode>
    for (const k of Object.keys(rec).sort()) items[k] = encodeNode(rec[k], [...path, k], depth + 1, dataOf)
    return { type: "dict", items }
  }
  throw new CodecError(
    `encodeJson: the value at ${at()} is ${typeof x === "object" ? `a ${x.constructor?.name ?? "object"}` : `a ${typeof x}`}; ` +
      "JSON checkpoints hold Arrays in plain objects, lists and null (use safetensors for registered pytree classes)."
  )
}

export interface EncodeJsonOptions {
  /** String metadata stored with the checkpoint. */
  readonly metadata?: Readonly<Record<string, string>>
}

/** `encodeJson` with the elements of each Array supplied (read beforehand from any device). */
export const encodeJsonWith = (t: unknown, dataOf: DataOf, options?: EncodeJsonOptions): string => {
  namedArrays(t, "encodeJson") // validates leaves and names
  const doc = {
    format: JSON_FORMAT,
    version: JSON_VERSION,
    ...(options?.metadata === undefined ? {} : { metadata: options.metadata }),
    tree: encodeNode(t, [], 0, dataOf)
  }
  return JSON.stringify(doc)
}

/**
 * A pytree of Arrays as a JSON checkpoint (CPU arrays; on another device use `codec.save`).
 * Throws `CodecError` for leaves that are not Arrays or names that clash.
 *
 * @example
 * const text = codec.encodeJson({ w: np.array([1, 2], { dtype: "float32" }) }, { metadata: { step: "10" } })
 */
export const encodeJson = (t: unknown, options?: EncodeJsonOptions): string =>
  encodeJsonWith(t, (x) => x.data(), checkOptions("codec.encodeJson", options, optionKeys<EncodeJsonOptions>()("metadata")))

// ---------------------------------------------------------------------------------------------
// Decoding (json-reader.ts reads the document, json-data.ts the elements)

/** The tree a node describes, with Arrays built on the default device, a slice at a time. */
function* buildTree(node: ReadNode, path: (string | number)[]): Work<unknown> {
  switch (node.type) {
    case "array": {
      const data = yield* readData(node.data, node.dtype, node.data.count, leafName(path))
      return fromHost(data, new ShapedArray([...node.shape], node.dtype))
    }
    case "list": {
      const out: unknown[] = []
      for (let i = 0; i < node.items.length; i++) out.push(yield* buildTree(node.items[i]!, [...path, i]))
      return out
    }
    case "dict": {
      const out: Record<string, unknown> = {}
      for (const k of [...node.items.keys()].sort()) {
        const value = yield* buildTree(node.items.get(k)!, [...path, k])
        Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true })
      }
      return out
    }
    case "null":
      return null
    case "undefined":
      return undefined
  }
}

/** A JSON checkpoint read without a template. */
export interface JsonContents {
  readonly tree: unknown
  readonly metadata: Readonly<Record<string, string>> | undefined
}

/**
 * Read a JSON checkpoint as it is stored (its own structure, no template).
 *
 * @example
 * import { Result } from "effect"
 * const text = codec.encodeJson({ w: np.ones([2]) })
 * const r = codec.parseJsonCheckpoint(text)
 * if (Result.isSuccess(r)) console.log(r.success.tree) // { w: Array([1., 1.], dtype=float32) }
 */
export const parseJsonCheckpoint = (text: string): Result.Result<JsonContents, CodecError> =>
  catching("JSON checkpoint", () => {
    const bytes = new TextEncoder().encode(text)
    return runWorkSync(
      (function* () {
        const doc = yield* readJsonCheckpoint(bytes, new Inventory(), true)
        return { tree: yield* buildTree(doc.tree!, []), metadata: doc.metadata }
      })()
    )
  })

/** `decodeJson` of the UTF-8 bytes of a JSON checkpoint, a slice at a time (see work.ts). */
export function* decodeJsonBytes<T>(bytes: Uint8Array, template: T, options?: MatchOptions): Work<T> {
  const plan = planTemplate(template, "the JSON checkpoint")
  const inventory = new Inventory(plan.names, options?.allowExtra === true)
  yield* readJsonCheckpoint(bytes, inventory, false)
  return yield* fillPlan<T>(plan, inventory, "the JSON checkpoint")
}

/**
 * Decode a JSON checkpoint into a tree shaped like `template` (Arrays or ShapedArrays giving each
 * leaf's dtype and shape). Fails with a `CodecError` for malformed JSON, a document that does not
 * follow the schema, or names, dtypes or shapes that do not match the template.
 *
 * @example
 * import { Result } from "effect"
 * const params = { w: np.ones([2]), b: np.zeros([1]) }
 * const text = codec.encodeJson(params)
 * const r = codec.decodeJson(text, params) // Result.succeed of a tree like params
 * const bad = codec.decodeJson(text, { w: np.ones([3]), b: np.zeros([1]) }) // fails: w's shape differs
 * Result.isFailure(bad) // true
 */
export const decodeJson = <T>(text: string, template: T, options?: MatchOptions): Result.Result<T, CodecError> => {
  checkOptions("codec.decodeJson", options, MATCH_KEYS)
  return catching("JSON checkpoint", () => runWorkSync(decodeJsonBytes(new TextEncoder().encode(text), template, options)))
}
