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
 *   int32, uint32: JSON integers in range;  bool: 0 or 1.
 * A round trip is bit-exact for every dtype. Leaves are named by their paths, as in safetensors
 * (`linear/weight`); loading with a template matches names, dtypes and shapes.
 */
import type { Result } from "effect"
import type { AnyTypedArray } from "../../core/dtype.js"
import { fromHost } from "../../core/trace.js"
import { Array, CodecError, type DType, ShapedArray } from "../../index.js"
import { parseJson } from "./json-text.js"
import { decodeOrThrow, JSON_FORMAT, JSON_VERSION, type JsonArrayNode, JsonCheckpoint, type JsonNode } from "./schema.js"
import { catching, checkedSize, fillTemplate, type FoundTensor, leafName, MATCH_KEYS, type MatchOptions, namedArrays } from "./tensors.js"
import { checkOptions, optionKeys } from "../../core/options.js"

const MAX_DEPTH = 64
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

const specialFloat = (v: number): string | undefined =>
  v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : Object.is(v, -0) ? "-0" : undefined

const encodeData = (dtype: DType, data: AnyTypedArray): (number | string)[] => {
  const out: (number | string)[] = new globalThis.Array(data.length)
  if (dtype === "float32") {
    const bits = new Uint32Array(data.buffer, data.byteOffset, data.length)
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!
      out[i] = Number.isNaN(v)
        ? (bits[i] === CANONICAL_NAN32 ? "NaN" : `NaN:${bits[i]!.toString(16).padStart(8, "0")}`)
        : specialFloat(v) ?? shortestFloat32(v)
    }
  } else if (dtype === "float64") {
    const bits = new BigUint64Array(data.buffer, data.byteOffset, data.length)
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!
      out[i] = Number.isNaN(v)
        ? (bits[i] === CANONICAL_NAN64 ? "NaN" : `NaN:${bits[i]!.toString(16).padStart(16, "0")}`)
        : specialFloat(v) ?? v
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
 */
export const encodeJson = (t: unknown, options?: EncodeJsonOptions): string =>
  encodeJsonWith(t, (x) => x.data(), checkOptions("codec.encodeJson", options, optionKeys<EncodeJsonOptions>()("metadata")))

// ---------------------------------------------------------------------------------------------
// Decoding

const nanFromHex = (hex: string, dtype: "float32" | "float64"): [boolean, bigint] => {
  const digits = dtype === "float32" ? 8 : 16
  if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) return [false, 0n]
  const bits = BigInt(`0x${hex}`)
  const [expMask, mantMask] = dtype === "float32"
    ? [0x7f800000n, 0x007fffffn]
    : [0x7ff0000000000000n, 0x000fffffffffffffn]
  return [(bits & expMask) === expMask && (bits & mantMask) !== 0n, bits]
}

const decodeData = (node: JsonArrayNode, name: string): AnyTypedArray => {
  const fail = (i: number, msg: string): never => {
    throw new CodecError(`JSON checkpoint "${name}": element ${i} ${msg}.`)
  }
  const { dtype, data } = node
  const n = checkedSize(node.shape, Number.MAX_SAFE_INTEGER)
  if (n === undefined || n !== data.length) {
    throw new CodecError(
      `JSON checkpoint "${name}": the shape [${node.shape.join(", ")}] needs ${n ?? "more than 2^53"} elements but data has ${data.length}.`
    )
  }
  switch (dtype) {
    case "float32":
    case "float64": {
      const out = dtype === "float32" ? new Float32Array(n) : new Float64Array(n)
      const bits32 = dtype === "float32" ? new Uint32Array(out.buffer) : undefined
      const bits64 = dtype === "float64" ? new BigUint64Array(out.buffer) : undefined
      for (let i = 0; i < n; i++) {
        const x = data[i]!
        if (typeof x === "number") out[i] = x
        else if (x === "NaN") out[i] = NaN
        else if (x === "Infinity") out[i] = Infinity
        else if (x === "-Infinity") out[i] = -Infinity
        else if (x === "-0") out[i] = -0
        else if (x.startsWith("NaN:")) {
          const [ok, bits] = nanFromHex(x.slice(4), dtype)
          if (!ok) fail(i, `is ${JSON.stringify(x)}, not the bits of a ${dtype} NaN`)
          if (bits32 !== undefined) bits32[i] = Number(bits)
          else bits64![i] = bits
        } else fail(i, `is the string ${JSON.stringify(x.slice(0, 40))}; strings are only "NaN", "Infinity", "-Infinity", "-0", "NaN:<hex>"`)
      }
      return out
    }
    case "int32":
    case "uint32":
    case "bool": {
      const [lo, hi] = dtype === "int32" ? [-2147483648, 2147483647] : dtype === "uint32" ? [0, 4294967295] : [0, 1]
      const out = dtype === "int32" ? new Int32Array(n) : dtype === "uint32" ? new Uint32Array(n) : new Uint8Array(n)
      for (let i = 0; i < n; i++) {
        const x = data[i]!
        if (typeof x !== "number" || !Number.isInteger(x) || x < lo || x > hi) {
          fail(i, `is ${JSON.stringify(x)}, not ${dtype === "bool" ? "0 or 1" : `an integer in [${lo}, ${hi}]`}`)
        }
        out[i] = x as number
      }
      return out
    }
  }
}

/** Every array node of the stored tree with its name. */
const arrayNodes = (node: JsonNode, path: (string | number)[], out: Map<string, JsonArrayNode>): void => {
  switch (node.type) {
    case "array": {
      const name = leafName(path)
      if (out.has(name)) throw new CodecError(`JSON checkpoint: two arrays share the name "${name}".`)
      out.set(name, node)
      return
    }
    case "list":
      node.items.forEach((c, i) => arrayNodes(c, [...path, i], out))
      return
    case "dict":
      for (const k of Object.keys(node.items)) arrayNodes(node.items[k]!, [...path, k], out)
      return
    default:
      return
  }
}

const parseDoc = (text: string): JsonCheckpoint =>
  decodeOrThrow(JsonCheckpoint, parseJson(text, { maxDepth: 2 * MAX_DEPTH + 8, what: "the JSON checkpoint" }), "the JSON checkpoint")

/** The tree a node describes, with Arrays built on the default device. */
const buildTree = (node: JsonNode, path: (string | number)[]): unknown => {
  switch (node.type) {
    case "array":
      return fromHost(decodeData(node, leafName(path)), new ShapedArray([...node.shape], node.dtype))
    case "list":
      return node.items.map((c, i) => buildTree(c, [...path, i]))
    case "dict": {
      const out: Record<string, unknown> = {}
      for (const k of Object.keys(node.items).sort()) {
        Object.defineProperty(out, k, { value: buildTree(node.items[k]!, [...path, k]), enumerable: true, writable: true, configurable: true })
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

/** Read a JSON checkpoint as it is stored (its own structure, no template). */
export const parseJsonCheckpoint = (text: string): Result.Result<JsonContents, CodecError> =>
  catching("JSON checkpoint", () => {
    const doc = parseDoc(text)
    arrayNodes(doc.tree, [], new Map()) // rejects clashing names
    return { tree: buildTree(doc.tree, []), metadata: doc.metadata }
  })

/**
 * Decode a JSON checkpoint into a tree shaped like `template` (Arrays or ShapedArrays giving each
 * leaf's dtype and shape). Fails with a `CodecError` for malformed JSON, a document that does not
 * follow the schema, or names, dtypes or shapes that do not match the template.
 */
export const decodeJson = <T>(text: string, template: T, options?: MatchOptions): Result.Result<T, CodecError> => {
  checkOptions("codec.decodeJson", options, MATCH_KEYS)
  return catching("JSON checkpoint", () => {
    const nodes = new Map<string, JsonArrayNode>()
    arrayNodes(parseDoc(text).tree, [], nodes)
    const found = new Map<string, FoundTensor>()
    for (const [name, node] of nodes) {
      found.set(name, { fileDType: node.dtype, dtype: node.dtype, shape: node.shape, materialize: () => decodeData(node, name) })
    }
    return fillTemplate(template, found, "the JSON checkpoint", options)
  })
}
