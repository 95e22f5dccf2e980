/**
 * Seeded generators of hostile checkpoints for the fuzz test: byte-level mutations of valid files
 * (truncations, bit flips, byte changes, insertions, deletions, duplicated ranges) and files built
 * to break one rule at a time (offsets huge, overlapping or reversed, wrong dtypes, overflowing
 * shapes, deep and wide headers and trees, escapes, duplicate keys, prototype keys).
 */
import { mulberry32 } from "../../../laws/host-random.js"
import { safetensorsOf } from "./hostile.js"

export interface FuzzFile {
  readonly kind: string
  readonly bytes: Uint8Array
  /** False when the file may still be valid (a bit flip in tensor data, say). */
  readonly mustFail: boolean
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)

/** A seeded source of choices. */
export class Chooser {
  private readonly next: () => number
  constructor(seed: number) {
    this.next = mulberry32(seed)
  }
  int(n: number): number {
    return Math.floor(this.next() * n)
  }
  pick<A>(xs: ReadonlyArray<A>): A {
    return xs[this.int(xs.length)]!
  }
  chance(p: number): boolean {
    return this.next() < p
  }
}

/** Keys that pollute a prototype when a parser assigns them naively. */
export const prototypeKeys = ["__proto__", "constructor", "prototype"] as const
const pollution = '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}'

const interestingBytes = [0x00, 0x09, 0x20, 0x22, 0x2c, 0x2d, 0x2e, 0x30, 0x31, 0x3a, 0x5b, 0x5c, 0x5d, 0x65, 0x7b, 0x7d, 0x7f, 0x80, 0xbf, 0xc0, 0xef, 0xff]

/** One byte-level mutation of `good`, confined to `[0, limit)` for the edits that might keep it valid. */
const mutate = (c: Chooser, good: Uint8Array, limit: number): FuzzFile => {
  const n = good.length
  switch (c.int(6)) {
    case 0:
      return { kind: "truncated", bytes: good.slice(0, c.int(n)), mustFail: true }
    case 1: {
      const b = good.slice()
      for (let k = 1 + c.int(3); k > 0; k--) {
        const i = c.int(limit)
        b[i] = b[i]! ^ (1 << c.int(8))
      }
      return { kind: "bit flips", bytes: b, mustFail: false }
    }
    case 2: {
      const b = good.slice()
      b[c.int(limit)] = c.pick(interestingBytes)
      return { kind: "a byte changed", bytes: b, mustFail: false }
    }
    case 3: {
      const i = c.int(limit)
      return { kind: "a byte inserted", bytes: new Uint8Array([...good.subarray(0, i), c.pick(interestingBytes), ...good.subarray(i)]), mustFail: false }
    }
    case 4: {
      const i = c.int(limit)
      return { kind: "a byte deleted", bytes: new Uint8Array([...good.subarray(0, i), ...good.subarray(i + 1)]), mustFail: false }
    }
    default: {
      const i = c.int(n)
      const j = Math.min(n, i + 1 + c.int(64))
      return { kind: "a range duplicated", bytes: new Uint8Array([...good.subarray(0, j), ...good.subarray(i, j), ...good.subarray(j)]), mustFail: false }
    }
  }
}

/** Mutations of a valid safetensors file (edits that may keep it valid stay in the header). */
export const mutatedSafetensors = (c: Chooser, good: Uint8Array): FuzzFile => {
  const headerEnd = 8 + Number(new DataView(good.buffer, good.byteOffset).getBigUint64(0, true))
  return mutate(c, good, headerEnd)
}

/** Mutations of a valid JSON checkpoint. */
export const mutatedJson = (c: Chooser, good: Uint8Array): FuzzFile => mutate(c, good, good.length)

const hugeIntegers = [
  "9007199254740991",
  "9007199254740992",
  "18446744073709551615",
  "18446744073709551616",
  "100000000000000000000",
  "4294967296",
  "-1",
  "-0",
  "1e3",
  "12.0",
  "1.5"
]
const badDtypes = ['"f32"', '"F32 "', '""', '"FLOAT"', '"F99"', '"__proto__"', '"constructor"', "7", "null", '["F32"]', "{}", '"F4"', '"F32\\u0000"']
const badShapes = [
  "[-1]",
  "[1.5]",
  "[2147483648, 2147483648, 2147483648]",
  "[9007199254740993]",
  '"3"',
  "[[3]]",
  "[3, null]",
  "{}",
  "3",
  "[4294967296, 4294967296, 0]",
  `[${new Array(300).fill(1).join(",")}, 2]`
]
const badStrings = ["\\ud800", "\\udc00", "\\u12", "\\x41", "\u0001", "\\ud800\\u0041", "\\"]

/** A safetensors header with a tensor "w" (F32 [3], data 12 bytes) and a broken rule. */
export const structuredSafetensors = (c: Chooser): FuzzFile => {
  const w = (fields: string): string => `"w": {${fields}}`
  const good = '"dtype": "F32", "shape": [3], "data_offsets": [0, 12]'
  const file = (kind: string, header: string, data = new Uint8Array(12), declared?: bigint): FuzzFile => ({
    kind,
    bytes: safetensorsOf(utf8(header), data, declared),
    mustFail: true
  })
  switch (c.int(12)) {
    case 0: {
      const [a, b] = [c.pick(hugeIntegers), c.pick(hugeIntegers)]
      return file("huge offsets", `{${w(`"dtype": "F32", "shape": [3], "data_offsets": [${c.pick([a, "0"])}, ${b}]`)}}`)
    }
    case 1: {
      const [s, e] = c.pick([
        [8, 12],
        [4, 16],
        [0, 8]
      ] as const)
      return file("overlapping offsets", `{${w(good)}, "v": {"dtype": "F32", "shape": [${(e - s) / 4}], "data_offsets": [${s}, ${e}]}}`, new Uint8Array(16))
    }
    case 2:
      return file("reversed offsets", `{${w('"dtype": "F32", "shape": [0], "data_offsets": [12, 0]')}}`)
    case 3:
      return file("a wrong dtype", `{${w(`"dtype": ${c.pick(badDtypes)}, "shape": [3], "data_offsets": [0, 12]`)}}`)
    case 4:
      return file("a bad shape", `{${w(`"dtype": "F32", "shape": ${c.pick(badShapes)}, "data_offsets": [0, 12]`)}}`)
    case 5: {
      const depth = 70 + c.int(200)
      const where = c.int(3)
      const deep = `${"[".repeat(depth)}${"]".repeat(depth)}`
      const header =
        where === 0
          ? `{"__metadata__": {"a": ${deep}}, ${w(good)}}`
          : where === 1
            ? `{${w(`${good}, "extra": ${deep}`)}}`
            : `{${w(`"dtype": "F32", "shape": ${deep}, "data_offsets": [0, 12]`)}}`
      return file("a deep header", header)
    }
    case 6: {
      const n = 1000 + c.int(4000)
      const entries = Array.from({ length: n }, (_, i) => `"t${i}": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]}`)
      const broken = c.int(3)
      if (broken === 1) entries[c.int(n)] = `"t${c.int(n)}": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]}` // a duplicate
      if (broken === 2) entries[c.int(n)] = '"bad": {"dtype": "F32", "shape": [1], "data_offsets": [0, 0]}'
      return file("a wide header", `{${entries.join(", ")}, ${w(good)}}`)
    }
    case 7:
      return file("an escape in a name", `{"w${c.pick(badStrings)}": {${good}}}`)
    case 8: {
      const key = c.pick(prototypeKeys)
      const where = c.int(4)
      const header =
        where === 0
          ? `{"${key}": ${pollution}, ${w(good)}}`
          : where === 1
            ? `{"__metadata__": ${pollution}, ${w(good)}}`
            : where === 2
              ? `{${w(`${good}, "${key}": ${pollution}`)}, "${key}": {"dtype": "F32", "shape": [1], "data_offsets": [12, 13]}}`
              : `{"__metadata__": {"${key}": "x"}, "${key}": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]}, ${w(good)}, "x": 1}`
      return file("prototype keys", header)
    }
    case 9: {
      const header = `{${w(good)}}`
      const declared = c.pick([0n, 1n, BigInt(header.length + 1), BigInt(header.length + 13), 100_000_001n, 2n ** 64n - 1n, 2n ** 63n])
      return file("a wrong header length", header, new Uint8Array(12), declared)
    }
    case 10:
      return file(
        "metadata that is not strings",
        `{"__metadata__": ${c.pick(['{"a": 1}', "null", "[]", '"x"', '{"a": {}}', '{"a": "b", "a": "c"}'])}, ${w(good)}}`
      )
    default:
      return file("a gap or a short buffer", `{${w(good)}}`, new Uint8Array(c.pick([0, 11, 13, 24])))
  }
}

/** A JSON checkpoint of one float32 array "a" [3] (or the given tree) with a broken rule. */
export const structuredJson = (c: Chooser): FuzzFile => {
  const good = '{"type": "array", "dtype": "float32", "shape": [3], "data": [1, 2, 3]}'
  const doc = (tree: string, extra = ""): string => `{"format": "jaxfx.checkpoint", "version": 1${extra}, "tree": ${tree}}`
  const dict = (items: string): string => `{"type": "dict", "items": {${items}}}`
  const file = (kind: string, text: string): FuzzFile => ({ kind, bytes: utf8(text), mustFail: true })
  switch (c.int(11)) {
    case 0:
      return file("a bad node type", doc(dict(`"a": {"type": ${c.pick(['"set"', '"Array"', "1", "null", '"__proto__"', "[]"])}, "items": []}`)))
    case 1:
      return file("a wrong dtype", doc(dict(`"a": {"type": "array", "dtype": ${c.pick(badDtypes)}, "shape": [3], "data": [1, 2, 3]}`)))
    case 2:
      return file("a bad shape", doc(dict(`"a": {"type": "array", "dtype": "float32", "shape": ${c.pick(badShapes)}, "data": [1, 2, 3]}`)))
    case 3: {
      const bad = c.pick([
        "1e39",
        "-1e39",
        "1e400",
        '"inf"',
        '"NaN:7f800000"',
        '"NaN:zz"',
        "[1]",
        "{}",
        "null",
        "true",
        '"\\u0000"',
        "1.",
        "01",
        "-",
        '"' + "x".repeat(70) + '"'
      ])
      const dtype = c.pick(["float32", "float64", "int32", "uint32", "bool"])
      return file("a bad element", doc(dict(`"a": {"type": "array", "dtype": "${dtype}", "shape": [3], "data": [0, ${bad}, 1]}`)))
    }
    case 4:
      return file(
        "elements that do not fill the shape",
        doc(dict(`"a": {"type": "array", "dtype": "float32", "shape": [${c.pick(["2", "4", "0", "1, 3", "3, 0, 4294967296"])}], "data": [1, 2, 3]}`))
      )
    case 5: {
      const depth = 65 + c.int(300)
      return file("a deep tree", doc(`${'{"type": "list", "items": ['.repeat(depth)}${good}${"]}".repeat(depth)}`))
    }
    case 6: {
      const n = 1000 + c.int(4000)
      const items = Array.from({ length: n }, (_, i) => `"k${i}": {"type": "null"}`)
      const broken = c.int(3)
      if (broken === 0) items[c.int(n)] = `"k${c.int(n)}": {"type": "null"}`
      if (broken === 1) items[c.int(n)] = '"bad": {"type": "nul"}'
      if (broken === 2) items.push(`"b": ${good}`)
      return file("a wide tree", doc(dict([...items, `"a": ${good}`].join(", "))))
    }
    case 7:
      return file("an escape in a key", doc(dict(`"a${c.pick(badStrings)}": ${good}`)))
    case 8: {
      const key = c.pick(prototypeKeys)
      const where = c.int(4)
      const text =
        where === 0
          ? doc(dict(`"a": ${good}, "${key}": ${good}`))
          : where === 1
            ? doc(dict(`"a": ${good}`), `, "metadata": ${pollution}`)
            : where === 2
              ? doc(dict(`"a": {"type": "array", "dtype": "float32", "shape": [3], "data": [1, 2, 3], "${key}": ${pollution}}`))
              : doc(dict(`"a": ${good}`), `, "${key}": ${pollution}`)
      return file("prototype keys", text)
    }
    case 9:
      return file(
        "a wrong header",
        c.pick([
          doc(dict(`"a": ${good}`)).replace("jaxfx.checkpoint", "other"),
          doc(dict(`"a": ${good}`)).replace('"version": 1', '"version": 2'),
          doc(dict(`"a": ${good}`)).replace('"version": 1', '"version": 1.0'),
          doc(dict(`"a": ${good}`), ', "format": "jaxfx.checkpoint"'),
          `[${doc(dict(`"a": ${good}`))}]`,
          doc(dict(`"a": ${good}`), ', "metadata": {"a": 1}'),
          `\ufeff${doc(dict(`"a": ${good}`))}`,
          `${doc(dict(`"a": ${good}`))} x`
        ])
      )
    default:
      return file("duplicate keys", doc(`{"type": "dict", "items": {"a": ${good}, "a": ${good}}}`))
  }
}
