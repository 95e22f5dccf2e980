/**
 * Reads a JSON checkpoint (json.ts documents the format) as the scanner reports it, node by
 * node, without building a tree of the document: each node is checked when its object closes
 * (fail fast, with its path), each array node is handed to an `Inventory` (which keeps only what
 * a template names), a tensor's `data` list stays in the file's bytes until it is read, and the
 * keys of a dict are kept only as a `KeySet`. So a hostile file costs time linear in its size
 * and memory for little more than its arrays' names. The record schemas are the io-ts codecs of
 * schema.ts; unknown fields are an error.
 */
import { CodecError, type DType } from "../../index.js"
import { readData, type RawList } from "./json-data.js"
import type { JsonScanner, JsonSink } from "./json-scan.js"
import { scanJson } from "./json-text.js"
import { KeySet } from "./key-set.js"
import { ArrayNodeHead, decodeOrThrow, JsonCheckpoint, NodeType } from "./schema.js"
import { StringMapReader } from "./string-map.js"
import { checkedSize, type Inventory, leafName } from "./tensors.js"
import type { Work } from "./work.js"

/** A node of a stored tree as read (array elements still in the file's bytes). */
export type ReadNode =
  | { readonly type: "array"; readonly dtype: DType; readonly shape: ReadonlyArray<number>; readonly data: RawList }
  | { readonly type: "list"; readonly items: ReadonlyArray<ReadNode> }
  | { readonly type: "dict"; readonly items: ReadonlyMap<string, ReadNode> }
  | { readonly type: "null" }
  | { readonly type: "undefined" }

/** Nesting bound of the stored tree (the writer's) and of the document around it. */
export const MAX_TREE_DEPTH = 64
const MAX_JSON_DEPTH = 2 * MAX_TREE_DEPTH + 8

const nullNode: ReadNode = { type: "null" }
const undefinedNode: ReadNode = { type: "undefined" }

type Scalar = string | number | boolean | null

/** A node's fields, each with a bit for the set of fields a node has. */
const NODE_FIELDS: ReadonlyMap<string, number> = new Map([
  ["type", 1],
  ["dtype", 2],
  ["shape", 4],
  ["data", 8],
  ["items", 16]
])
const ARRAY_FIELDS = 1 | 2 | 4 | 8
const ITEMS_FIELD = 1 | 16
const DOC_FIELDS: ReadonlyMap<string, number> = new Map([
  ["format", 1],
  ["version", 2],
  ["metadata", 4],
  ["tree", 8]
])

// Frames: what the object or list being read is.
class DocFrame {
  readonly kind = "doc"
  field = ""
  seen = 0
  format: Scalar | undefined = undefined
  version: Scalar | undefined = undefined
  metadata: Readonly<Record<string, string>> | undefined = undefined
  tree: ReadNode | undefined = undefined
}
class MetadataFrame {
  readonly kind = "metadata"
  constructor(
    readonly reader: StringMapReader,
    readonly doc: DocFrame
  ) {}
}
class NodeFrame {
  readonly kind = "node"
  field = ""
  seen = 0
  type: Scalar | undefined = undefined
  dtype: Scalar | undefined = undefined
  shape: Scalar[] | undefined = undefined
  data: RawList | undefined = undefined
  items: ReadNode[] | Map<string, ReadNode> | "list" | "dict" | undefined = undefined
  constructor(readonly path: ReadonlyArray<string | number>) {}
}
class ShapeFrame {
  readonly kind = "shape"
  readonly dims: Scalar[] = []
  constructor(readonly node: NodeFrame) {}
}
class ListItemsFrame {
  readonly kind = "list"
  index = 0
  constructor(
    readonly node: NodeFrame,
    readonly items: ReadNode[] | undefined
  ) {}
}
class DictItemsFrame {
  readonly kind = "dict"
  key = ""
  constructor(
    readonly node: NodeFrame,
    readonly items: Map<string, ReadNode> | undefined,
    readonly keys: KeySet | undefined
  ) {}
}
type Frame = DocFrame | MetadataFrame | NodeFrame | ShapeFrame | ListItemsFrame | DictItemsFrame

/** The document's metadata (when asked for) and its tree (when asked for). */
export interface ReadDocument {
  readonly metadata: Readonly<Record<string, string>> | undefined
  readonly tree: ReadNode | undefined
}

const at = (path: ReadonlyArray<string | number>): string => `the node at "${leafName(path)}"`
const kindOf = (v: Scalar | "object" | "list"): string => (v === "object" || v === "list" ? `a ${v}` : JSON.stringify(v))

class CheckpointSink implements JsonSink {
  private readonly stack: Frame[] = []
  /** The names of the arrays read so far (two nodes may not make the same name, e.g. "a/b" and a -> b). */
  private readonly names = new Set<string>()
  result: ReadDocument | undefined = undefined

  constructor(
    private readonly scanner: JsonScanner,
    private readonly bytes: Uint8Array,
    private readonly inventory: Inventory,
    private readonly build: boolean
  ) {}

  private schema(msg: string): never {
    throw new CodecError(`the JSON checkpoint does not match its schema: ${msg}.`)
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1]
  }

  /** A value for "format" or "version" that is not what the schema says. */
  private badHeader(doc: DocFrame, value: Scalar | "object" | "list"): never {
    return this.schema(`its "${doc.field}" is ${kindOf(value)}, not ${doc.field === "format" ? '"jaxfx.checkpoint"' : "1"}`)
  }

  private startMetadata(doc: DocFrame): StringMapReader {
    const reader = new StringMapReader(this.bytes, "the JSON checkpoint's metadata", this.build, (k, keyAt) =>
      this.scanner.fail(`duplicate key ${JSON.stringify(k)}`, keyAt)
    )
    this.stack.push(new MetadataFrame(reader, doc))
    return reader
  }

  private metadataDone(frame: MetadataFrame): void {
    if (!frame.reader.complete) return
    this.stack.pop()
    frame.doc.metadata = frame.reader.value
  }

  readonly openObject = (): void => {
    const top = this.top()
    if (top === undefined) return void this.stack.push(new DocFrame())
    switch (top.kind) {
      case "metadata":
        return top.reader.openObject()
      case "doc":
        if (top.field === "tree") return void this.stack.push(new NodeFrame([]))
        if (top.field === "metadata") return this.startMetadata(top).openObject()
        return this.badHeader(top, "object")
      case "node":
        if (top.field !== "items") this.wrongField(top)
        top.items = this.build ? new Map() : "dict"
        return void this.stack.push(new DictItemsFrame(top, top.items instanceof Map ? top.items : undefined, this.build ? undefined : new KeySet(this.bytes)))
      case "list":
        return void this.stack.push(new NodeFrame([...top.node.path, top.index]))
      case "dict":
        return void this.stack.push(new NodeFrame([...top.node.path, top.key]))
      case "shape":
        return this.schema(`${at(top.node.path)} has a "shape" that is not a list of integers`)
    }
  }

  readonly openArray = (): boolean => {
    const top = this.top()
    if (top === undefined) return this.schema("the document is a list, not an object")
    switch (top.kind) {
      case "metadata":
        top.reader.openArray()
        return false
      case "doc":
        if (top.field === "tree") this.notANode([])
        if (top.field === "metadata") this.startMetadata(top).openArray()
        return this.badHeader(top, "list")
      case "node":
        if (top.field === "data") return true
        if (top.field === "shape") {
          this.stack.push(new ShapeFrame(top))
          return false
        }
        if (top.field !== "items") this.wrongField(top)
        top.items = this.build ? [] : "list"
        this.stack.push(new ListItemsFrame(top, Array.isArray(top.items) ? top.items : undefined))
        return false
      case "list":
        return this.notANode([...top.node.path, top.index])
      case "dict":
        return this.notANode([...top.node.path, top.key])
      case "shape":
        return this.schema(`${at(top.node.path)} has a "shape" that is not a list of integers`)
    }
  }

  readonly key = (k: string, keyAt: number): void => {
    const top = this.top()!
    switch (top.kind) {
      case "metadata":
        return top.reader.key(k, keyAt)
      case "doc":
      case "node": {
        const fields = top.kind === "doc" ? DOC_FIELDS : NODE_FIELDS
        const bit = fields.get(k)
        if (bit === undefined) {
          const where = top.kind === "doc" ? "the document" : at(top.path)
          this.schema(`${where} has the unknown field ${JSON.stringify(k.slice(0, 60))} (fields are ${[...fields.keys()].map((f) => `"${f}"`).join(", ")})`)
        }
        if (top.seen & bit!) this.scanner.fail(`duplicate key ${JSON.stringify(k)}`, keyAt)
        top.seen |= bit!
        top.field = k
        return
      }
      case "dict":
        // a built dict holds its keys already; otherwise a KeySet finds duplicates
        if (top.items !== undefined ? top.items.has(k) : !top.keys!.add(k, keyAt)) this.scanner.fail(`duplicate key ${JSON.stringify(k)}`, keyAt)
        top.key = k
        return
      default:
        throw new Error("unreachable: keys only occur in objects")
    }
  }

  readonly scalar = (v: Scalar, integral: boolean): void => {
    const top = this.top()
    if (top === undefined) return this.schema("the document is not an object")
    switch (top.kind) {
      case "metadata":
        return top.reader.scalar(v)
      case "doc":
        if (top.field === "tree") return this.notANode([])
        if (top.field === "metadata") return this.startMetadata(top).scalar(v)
        if (typeof v === "number" && !integral) this.schema(`its "${top.field}" ${v} is written with a fraction or an exponent`)
        if (top.field === "format") top.format = v
        else top.version = v
        return
      case "node":
        if (top.field === "type") top.type = v
        else if (top.field === "dtype") top.dtype = v
        else this.wrongField(top)
        return
      case "shape":
        // 5.0 and 5e0 are not dimensions (other bad values are left to the schema's message)
        if (typeof v === "number" && !integral && Number.isInteger(v)) {
          this.schema(`${at(top.node.path)} has a "shape" with the dimension ${v} written with a fraction or an exponent; write dimensions as integers`)
        }
        top.dims.push(v)
        return
      case "list":
        return this.notANode([...top.node.path, top.index++])
      case "dict":
        return this.notANode([...top.node.path, top.key])
    }
  }

  readonly rawList = (start: number, end: number, count: number): void => {
    const top = this.top() as NodeFrame
    top.data = { bytes: this.bytes, start, end, count }
  }

  readonly closeArray = (): void => {
    const top = this.stack.pop()!
    if (top.kind === "shape") top.node.shape = top.dims
    // a list of items: its nodes are in place
  }

  readonly closeObject = (): void => {
    const top = this.stack.pop()!
    switch (top.kind) {
      case "metadata":
        this.stack.push(top)
        top.reader.closeObject()
        return this.metadataDone(top)
      case "doc":
        return this.closeDoc(top)
      case "node":
        return this.closeNode(top)
      default:
        return // the items of a dict: its nodes are in place
    }
  }

  private wrongField(node: NodeFrame): never {
    const what = node.field === "items" ? "a list or an object of nodes" : node.field === "shape" || node.field === "data" ? "a list" : "a string"
    return this.schema(`${at(node.path)} has a "${node.field}" that is not ${what}`)
  }

  private notANode(path: ReadonlyArray<string | number>): never {
    return this.schema(`${at(path)} is not a node (an object with a "type")`)
  }

  /** Attach a finished node to its parent. */
  private attach(node: ReadNode): void {
    const parent = this.top()!
    switch (parent.kind) {
      case "doc":
        parent.tree = node
        return
      case "list":
        parent.items?.push(node)
        parent.index++
        return
      case "dict":
        parent.items?.set(parent.key, node)
        return
      default:
        throw new Error("unreachable: nodes are in the tree, a list or a dict")
    }
  }

  /** A node of `type` has only the fields in the bit set `allowed`. */
  private onlyFields(f: NodeFrame, type: string, allowed: number): void {
    if ((f.seen & ~allowed) === 0) return
    for (const [k, bit] of NODE_FIELDS) {
      if ((f.seen & bit & ~allowed) !== 0) this.schema(`${at(f.path)} is a "${type}" node, which has no "${k}"`)
    }
  }

  private closeNode(f: NodeFrame): void {
    if (f.type === undefined) this.schema(`${at(f.path)} has no "type"`)
    if (!NodeType.is(f.type)) {
      this.schema(`${at(f.path)} has the type ${JSON.stringify(f.type)}, not one of "array", "list", "dict", "null", "undefined"`)
    }
    const type = f.type
    switch (type) {
      case "array": {
        if (f.data === undefined) this.schema(`${at(f.path)} is an "array" node without a "data" list`)
        this.onlyFields(f, type, ARRAY_FIELDS)
        const record = { type, dtype: f.dtype, shape: f.shape }
        const head = ArrayNodeHead.is(record) ? record : decodeOrThrow(ArrayNodeHead, record, `the JSON checkpoint's ${at(f.path).slice(4)}`)
        const name = leafName(f.path)
        const n = checkedSize(head.shape, Number.MAX_SAFE_INTEGER)
        const data = f.data!
        if (n === undefined || n !== data.count) {
          throw new CodecError(
            `JSON checkpoint "${name}": the shape [${head.shape.join(", ")}] needs ${n ?? "more than 2^53"} elements but data has ${data.count}.`
          )
        }
        if (this.names.has(name)) throw new CodecError(`JSON checkpoint: two arrays share the name "${name}".`)
        this.names.add(name)
        this.inventory.add(name, { fileDType: head.dtype, dtype: head.dtype, shape: head.shape, materialize: () => readData(data, head.dtype, n, name) })
        return this.attach({ type, dtype: head.dtype, shape: head.shape, data })
      }
      case "list":
      case "dict": {
        this.onlyFields(f, type, ITEMS_FIELD)
        const items = f.items
        const ok = type === "list" ? items === "list" || Array.isArray(items) : items === "dict" || items instanceof Map
        if (!ok)
          this.schema(
            `${at(f.path)} is a "${type}" node whose "items" ${items === undefined ? "is missing" : `is not ${type === "list" ? "a list" : "an object"}`}`
          )
        if (!this.build) return this.attach(nullNode)
        return this.attach(type === "list" ? { type, items: items as ReadNode[] } : { type, items: items as Map<string, ReadNode> })
      }
      case "null":
      case "undefined":
        this.onlyFields(f, type, 1)
        return this.attach(type === "null" ? nullNode : undefinedNode)
    }
  }

  private closeDoc(f: DocFrame): void {
    // the envelope's scalars against the io-ts schema (metadata was checked as it was read)
    const head = { format: f.format, version: f.version }
    if (!JsonCheckpoint.is(head)) decodeOrThrow(JsonCheckpoint, head, "the JSON checkpoint")
    if (f.tree === undefined) this.schema('the document has no "tree"')
    this.result = { metadata: f.metadata, tree: this.build ? f.tree : undefined }
  }
}

/**
 * Read the JSON checkpoint in `bytes`, a slice at a time: every array node goes to `inventory`;
 * with `build`, the stored tree and the metadata are returned too.
 */
export function* readJsonCheckpoint(bytes: Uint8Array, inventory: Inventory, build: boolean): Work<ReadDocument> {
  let sink: CheckpointSink | undefined
  yield* scanJson(bytes, 0, bytes.length, (s) => (sink = new CheckpointSink(s, bytes, inventory, build)), {
    maxDepth: MAX_JSON_DEPTH,
    what: "the JSON checkpoint"
  })
  return sink!.result!
}
