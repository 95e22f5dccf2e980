/**
 * Reads and checks a safetensors header with the rules of the reference reader (the Rust
 * `safetensors` crate, `SafeTensors::read_metadata` and `Metadata::validate`):
 *
 * - the header length N (u64 little-endian) is at most 100,000,000 and 8 + N fits in the file;
 * - the header is UTF-8 JSON that starts with `{` (no byte order mark, no leading space) and may
 *   be padded with trailing whitespace;
 * - it maps names to `{ "dtype", "shape", "data_offsets" }` (other fields are ignored), with an
 *   optional `__metadata__` map of strings to strings; names are distinct;
 * - a dtype is one of the reference's names; dimensions and offsets are integers written as
 *   integers (`5`, not `5.0` or `5e0`);
 * - each tensor's byte size is the product of its shape (which must not overflow 64 bits) times
 *   its dtype's bits, a whole number of bytes, and equals `end - begin`;
 * - sorted by offsets, the tensors are contiguous from 0 and cover the data buffer exactly (no
 *   gap, no overlap, nothing left over).
 *
 * Also: dimensions and offsets are at most 2^53 - 1 (JavaScript's exact integers).
 * The header is read a slice at a time, each entry checked when it closes; with a template, an
 * `Inventory` keeps only the entries it names, and names are kept as a `KeySet` (offsets and
 * hashes), so a header of a million unwanted entries costs a few bytes for each.
 */
import { CodecError, type DType } from "../../index.js"
import { type JsonScanner, type JsonSink, stringAt } from "./json-scan.js"
import { type JsonValue, scanJson } from "./json-text.js"
import { KeySet } from "./key-set.js"
import { decodeOrThrow, SafetensorsInfo } from "./schema.js"
import { StringMapReader } from "./string-map.js"
import { type FoundTensor, type Inventory, METADATA_KEY } from "./tensors.js"
import { SLICE_ITEMS, type Work } from "./work.js"

/** The largest header the reference implementation accepts (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000

/** Bits per element of every dtype the reference knows. */
export const dtypeBits: Readonly<Record<string, number>> = {
  BOOL: 8,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  F8_E4M3FNUZ: 8,
  F8_E5M2FNUZ: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  C64: 64,
  F64: 64,
  I64: 64,
  U64: 64
}

/** The dtypes jaxfx reads. */
export const fromSafetensors: Readonly<Record<string, DType>> = {
  F64: "float64",
  F32: "float32",
  U32: "uint32",
  I32: "int32",
  BOOL: "bool",
  F16: "float16",
  BF16: "bfloat16",
  I16: "int16",
  U16: "uint16",
  I8: "int8",
  U8: "uint8",
  C64: "complex64"
}

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

/** What the header says, checked: the metadata and (when asked for) the entries in offset order. */
export interface SafetensorsHeader {
  readonly metadata: Readonly<Record<string, string>> | undefined
  readonly entries: ReadonlyArray<SafetensorsEntry> | undefined
}

const fail = (msg: string): never => {
  throw new CodecError(`not a valid safetensors file: ${msg}.`)
}

const TWO_64 = 2 ** 64

/** An entry being read. */
class EntryFields {
  dtype: JsonValue | undefined = undefined
  shape: JsonValue[] | undefined = undefined
  offsets: JsonValue[] | undefined = undefined
  field = ""
  seen = 0
  /** Depth inside a field the reference ignores (0: not in one), and the names of such fields. */
  skip = 0
  others: KeySet | undefined = undefined
}
const ENTRY_FIELDS: ReadonlyMap<string, number> = new Map([
  ["dtype", 1],
  ["shape", 2],
  ["data_offsets", 4]
])

/** A tensor with bytes, and whether the chain of tensors from offset 0 reaches it. */
interface Span {
  readonly name: string
  readonly begin: number
  readonly end: number
  onChain: boolean
}

class HeaderSink implements JsonSink {
  private depth = 0
  private name = ""
  private nameAt = 0
  private readonly names: KeySet
  private entry: EntryFields | undefined = undefined
  private meta: StringMapReader | undefined = undefined
  metadata: Readonly<Record<string, string>> | undefined = undefined
  /** Tensors with bytes, by where they begin; tensors without bytes: where they are, and where their names are in the file. */
  readonly spans = new Map<number, Span>()
  readonly emptyAt: number[] = []
  readonly emptyNameAt: number[] = []
  readonly all: SafetensorsEntry[] | undefined

  constructor(
    private readonly scanner: JsonScanner,
    readonly bytes: Uint8Array,
    private readonly data: Uint8Array,
    private readonly inventory: Inventory,
    private readonly found: (e: SafetensorsEntry) => FoundTensor,
    private readonly keepEntries: boolean
  ) {
    this.all = keepEntries ? [] : undefined
    this.names = new KeySet(bytes)
  }

  private notAnEntry(): never {
    return fail(`the header's "${this.name}" is not an object { "dtype", "shape", "data_offsets" }`)
  }

  readonly openObject = (): void => {
    this.depth++
    if (this.depth === 1) return
    if (this.meta !== undefined) return this.meta.openObject()
    if (this.depth === 2) {
      this.entry = new EntryFields()
      return
    }
    const e = this.entry!
    if (e.skip > 0 || (this.depth === 3 && !ENTRY_FIELDS.has(e.field))) e.skip++
    else fail(`"${this.name}" has a "${e.field}" that is ${e.field === "dtype" ? "not a string" : "not a list of integers"}`)
  }

  readonly openArray = (): boolean => {
    this.depth++
    if (this.meta !== undefined) {
      this.meta.openArray()
      return false
    }
    if (this.depth === 2) this.notAnEntry()
    const e = this.entry!
    if (e.skip > 0 || (this.depth === 3 && !ENTRY_FIELDS.has(e.field))) e.skip++
    else if (this.depth === 3 && e.field === "shape") e.shape = []
    else if (this.depth === 3 && e.field === "data_offsets") e.offsets = []
    else fail(`"${this.name}" has a "${e.field}" that is ${this.depth === 3 ? "not a string" : "not a list of integers"}`)
    return false
  }

  readonly key = (k: string, at: number): void => {
    if (this.meta !== undefined) return this.meta.key(k, at)
    if (this.depth === 1) {
      if (!this.names.add(k, at)) this.scanner.fail(`duplicate key ${JSON.stringify(k)}`, at)
      this.name = k
      this.nameAt = at
      if (k === METADATA_KEY) {
        this.meta = new StringMapReader(this.bytes, `the safetensors "${METADATA_KEY}"`, this.keepEntries, (key, where) =>
          this.scanner.fail(`duplicate key ${JSON.stringify(key)}`, where)
        )
      }
      return
    }
    const e = this.entry!
    if (e.skip > 0) return
    const bit = ENTRY_FIELDS.get(k)
    const seen = bit === undefined ? !(e.others ??= new KeySet(this.bytes)).add(k, at) : (e.seen & bit) !== 0
    if (seen) this.scanner.fail(`duplicate key ${JSON.stringify(k)}`, at)
    if (bit !== undefined) e.seen |= bit
    e.field = k
  }

  readonly scalar = (v: string | number | boolean | null, integral: boolean): void => {
    if (this.meta !== undefined) return this.meta.scalar(v)
    if (this.depth === 1) this.notAnEntry()
    const e = this.entry!
    if (e.skip > 0 || (this.depth === 2 && !ENTRY_FIELDS.has(e.field))) return
    if (this.depth === 2) {
      if (e.field === "dtype") e.dtype = v
      else fail(`"${this.name}" has a "${e.field}" that is not a list of integers`)
      return
    }
    if (typeof v === "number" && !integral && Number.isInteger(v)) {
      fail(`"${this.name}" has a "${e.field}" with ${v} written with a fraction or an exponent; the reference reader takes integers written as integers`)
    }
    ;(e.field === "shape" ? e.shape! : e.offsets!).push(v)
  }

  readonly closeArray = (): void => {
    this.depth--
    if (this.entry!.skip > 0) this.entry!.skip--
  }

  readonly closeObject = (): void => {
    this.depth--
    if (this.meta !== undefined) {
      this.meta.closeObject()
      if (this.meta.complete) {
        this.metadata = this.meta.value
        this.meta = undefined
      }
      return
    }
    if (this.depth === 1) return this.closeEntry(this.entry!)
    if (this.depth > 1 && this.entry!.skip > 0) this.entry!.skip--
  }

  readonly rawList = (): void => {
    throw new Error("the header reader never asks for raw lists")
  }

  private closeEntry(f: EntryFields): void {
    const name = this.name
    const record = { dtype: f.dtype, shape: f.shape, data_offsets: f.offsets }
    const info = SafetensorsInfo.is(record) ? record : decodeOrThrow(SafetensorsInfo, record, `the safetensors entry "${name}"`)
    // Own keys only: a file naming the dtype "constructor" must not find Object.prototype's.
    const bits = Object.hasOwn(dtypeBits, info.dtype) ? dtypeBits[info.dtype] : undefined
    if (bits === undefined) fail(`"${name}" has the unknown dtype ${JSON.stringify(info.dtype.slice(0, 40))}`)
    const [begin, end] = info.data_offsets
    const dataLength = this.data.length
    if (end < begin) fail(`"${name}" has data_offsets [${begin}, ${end}] that end before they begin`)
    if (end > dataLength) fail(`"${name}" has data_offsets [${begin}, ${end}] beyond the ${dataLength}-byte data buffer`)
    let n = 1
    for (const d of info.shape) {
      n *= d
      if (n >= TWO_64) fail(`"${name}" has the shape [${info.shape.join(", ")}], whose size overflows 64 bits`)
    }
    const need = (n * bits!) / 8
    if (!Number.isInteger(need)) {
      fail(`"${name}" is a sub-byte ${info.dtype} tensor of ${n} elements, which is not a whole number of bytes`)
    }
    if (end - begin !== need) {
      fail(
        `"${name}" has data_offsets [${begin}, ${end}] (${end - begin} bytes) but ${info.dtype} x ` +
          `[${info.shape.join(", ")}] needs ${n > dataLength ? "more than the file holds" : `${need} bytes`}`
      )
    }
    const entry: SafetensorsEntry = { name, dtype: info.dtype, shape: info.shape, begin, end }
    this.inventory.add(name, this.found(entry))
    this.all?.push(entry)
    if (begin === end) {
      this.emptyAt.push(begin)
      this.emptyNameAt.push(this.nameAt)
    } else {
      const other = this.spans.get(begin)
      if (other !== undefined) fail(`"${name}" at [${begin}, ${end}] overlaps "${other.name}" at [${other.begin}, ${other.end}]`)
      this.spans.set(begin, { name, begin, end, onChain: false })
    }
    this.entry = undefined
  }
}

/** The first tensor the chain does not reach, if one begins before `pos`. */
const overlapping = (spans: ReadonlyMap<number, Span>, pos: number): Span | undefined => {
  for (const s of spans.values()) if (!s.onChain && s.begin < pos) return s
  return undefined
}

/**
 * Check that the tensors tile the data buffer (the reference sorts them by offsets and checks
 * that each begins where the previous ended and the last ends at the buffer's end). Here without
 * sorting: follow the chain of tensors from offset 0, then place the empty ones on it.
 */
function* checkLayout(sink: HeaderSink, dataLength: number): Work<void> {
  const { spans, emptyAt, emptyNameAt } = sink
  let pos = 0
  let onChain = 0
  while (pos < dataLength) {
    const s = spans.get(pos)
    if (s === undefined) {
      const o = overlapping(spans, pos)
      if (o !== undefined) fail(`"${o.name}" at [${o.begin}, ${o.end}] overlaps the tensor before it (which ends at ${pos})`)
      let next: Span | undefined
      for (const t of spans.values()) if (t.begin > pos && (next === undefined || t.begin < next.begin)) next = t
      if (next === undefined) fail(`the tensors cover ${pos} bytes of the ${dataLength}-byte data buffer; the rest is unaccounted for`)
      fail(`the data buffer has a gap at [${pos}, ${next!.begin}] before "${next!.name}"; offsets must be contiguous`)
    }
    s!.onChain = true
    pos = s!.end
    if ((++onChain & (SLICE_ITEMS - 1)) === 0) yield
  }
  if (onChain < spans.size) {
    const o = overlapping(spans, pos)!
    fail(`"${o.name}" at [${o.begin}, ${o.end}] overlaps the tensors before it`)
  }
  // An empty tensor sits where one tensor ends and the next begins (or at the end).
  for (let i = 0; i < emptyAt.length; i++) {
    const at = emptyAt[i]!
    if (at !== dataLength && !spans.has(at)) {
      const t = [...spans.values()].find((s) => s.begin < at && at < s.end)!
      fail(`"${stringAt(sink.bytes, emptyNameAt[i]!)}" at [${at}, ${at}] is inside "${t.name}" at [${t.begin}, ${t.end}]; tensors may not overlap`)
    }
    if ((i & (SLICE_ITEMS - 1)) === SLICE_ITEMS - 1) yield
  }
}

/** The entries in offset order (the reference's): by begin, then end, else as listed. */
function* offsetOrder(all: ReadonlyArray<SafetensorsEntry>): Work<SafetensorsEntry[]> {
  const empty = new Map<number, SafetensorsEntry[]>()
  const full = new Map<number, SafetensorsEntry>()
  for (const e of all) {
    if (e.begin !== e.end) full.set(e.begin, e)
    else (empty.get(e.begin) ?? empty.set(e.begin, []).get(e.begin)!).push(e)
  }
  const out: SafetensorsEntry[] = []
  for (let pos: number | undefined = 0; pos !== undefined;) {
    out.push(...(empty.get(pos) ?? []))
    const e = full.get(pos)
    if (e !== undefined) out.push(e)
    pos = e?.end
    if ((out.length & (SLICE_ITEMS - 1)) === 0) yield
  }
  return out
}

/**
 * Read and check the header of the safetensors file `bytes`, a slice at a time. Each entry goes
 * to `inventory` as `found(entry)`; with `keepEntries`, the entries are returned in offset order.
 */
export function* readSafetensorsHeader(
  bytes: Uint8Array,
  inventory: Inventory,
  found: (data: Uint8Array) => (e: SafetensorsEntry) => FoundTensor,
  keepEntries: boolean
): Work<SafetensorsHeader & { readonly data: Uint8Array }> {
  if (bytes.length < 8) fail(`it has ${bytes.length} bytes, fewer than the 8 of the header length`)
  const n64 = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true)
  if (n64 > BigInt(MAX_HEADER_BYTES)) fail(`the header length ${n64} exceeds the ${MAX_HEADER_BYTES}-byte limit`)
  const n = Number(n64)
  if (8 + n > bytes.length) fail(`the header length ${n} is larger than the rest of the file (${bytes.length - 8} bytes)`)
  if (bytes[8] !== 0x7b) {
    const bom = bytes[8] === 0xef && bytes[9] === 0xbb && bytes[10] === 0xbf
    fail(`the header does not start with '{'${bom ? " (it starts with a byte order mark)" : ""}`)
  }
  const data = bytes.subarray(8 + n)
  let sink: HeaderSink | undefined
  yield* scanJson(bytes, 8, 8 + n, (s) => (sink = new HeaderSink(s, bytes, data, inventory, found(data), keepEntries)), {
    maxDepth: 64,
    what: "the safetensors header"
  })
  yield* checkLayout(sink!, data.length)
  const entries = sink!.all === undefined ? undefined : yield* offsetOrder(sink!.all)
  return { metadata: sink!.metadata, entries, data }
}
