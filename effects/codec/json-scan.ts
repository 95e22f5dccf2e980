/**
 * A strict JSON scanner for data from outside (checkpoint files, safetensors headers): it reads
 * UTF-8 bytes (RFC 8259 grammar, no byte order mark) and reports what it finds to a `JsonSink`
 * in document order, without building a tree. It is resumable: `step(budget)` reads about
 * `budget` bytes and returns, so a caller can stop between slices (see work.ts); one long string
 * or list never blocks for longer than a slice.
 *
 * Hostile input costs time linear in its size: nesting is bounded, strings are decoded with
 * bounded pieces (an escape costs a table lookup, not a string), numbers are at most 4096
 * characters, and a sink may have a flat list of scalars (a tensor's elements) checked and
 * reported as a byte range instead of element by element.
 */
import { CodecError } from "../../index.js"

/** What a `JsonScanner` reports, in document order. */
export interface JsonSink {
  /** `{` */
  readonly openObject: () => void
  /** A member's key (`at`: its byte offset, for messages), before the member's value. */
  readonly key: (k: string, at: number) => void
  /** `}` */
  readonly closeObject: () => void
  /**
   * `[`. Return true to have the list checked as a flat list of numbers and short strings and
   * reported once by `rawList` (its elements are then not reported one by one).
   */
  readonly openArray: () => boolean
  /** `]` of a list that was not raw. */
  readonly closeArray: () => void
  /** A string, number, `true`, `false` or `null`; `integral` when a number has no fraction and no exponent. */
  readonly scalar: (v: string | number | boolean | null, integral: boolean) => void
  /** A raw list: `count` elements between the bytes `start` (its `[`) and `end` (after its `]`). */
  readonly rawList: (start: number, end: number, count: number) => void
}

export interface ScanOptions {
  /** Largest nesting depth of lists and objects. Default 64. */
  readonly maxDepth?: number
  /** What the text is, for messages (e.g. "the safetensors header"). */
  readonly what?: string
}

/** Longest number token (in characters), and longest string inside a raw list (in bytes). */
export const MAX_NUMBER_CHARS = 4096
export const MAX_RAW_STRING_BYTES = 64

// What the scanner expects next.
const VALUE = 0
const FIRST_ELEMENT = 1
const AFTER_VALUE = 2
const FIRST_KEY = 3
const KEY = 4
const COLON = 5
const STRING = 6
const DONE = 7
// Open containers.
const OBJECT = 1
const LIST = 2
const RAW = 3

/** JSON's whitespace: space, line feed, carriage return, tab. */
export const isWs = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
const hexValue = new Int8Array(256).fill(-1)
for (let c = 0; c < 10; c++) hexValue[0x30 + c] = c
for (let c = 0; c < 6; c++) {
  hexValue[0x41 + c] = 10 + c
  hexValue[0x61 + c] = 10 + c
}
const simpleEscape = new Uint16Array(256)
for (const [ch, unit] of [
  ['"', 0x22],
  ["\\", 0x5c],
  ["/", 0x2f],
  ["b", 0x08],
  ["f", 0x0c],
  ["n", 0x0a],
  ["r", 0x0d],
  ["t", 0x09]
] as const) {
  simpleEscape[ch.charCodeAt(0)] = unit
}

const isDigitAt = (bytes: Uint8Array, k: number, end: number): boolean => k < end && bytes[k]! >= 0x30 && bytes[k]! <= 0x39
const literals = [
  ["true", true],
  ["false", false],
  ["null", null]
] as const

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

/** The characters of `bytes[start, end)` when they are all ASCII. */
export const asciiString = (bytes: Uint8Array, start: number, end: number): string => {
  if (end - start <= 64) {
    let s = ""
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!)
    return s
  }
  return utf8.decode(bytes.subarray(start, end))
}

/** A resumable scanner of one JSON value in `bytes[start, end)`. */
export class JsonScanner {
  private i: number
  private state = VALUE
  private readonly stack: number[] = []
  private readonly maxDepth: number
  private readonly what: string
  // the string being read
  private stringIsKey = false
  private stringAt = 0
  private runStart = 0
  private runAscii = true
  private readonly pieces: string[] = []
  private units = new Uint16Array(0)
  private nUnits = 0
  // the raw list being read
  private rawStart = 0
  private rawCount = 0
  private readonly sink: JsonSink

  /** `makeSink` gets the scanner, so that the sink can report problems with `fail`. */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly start: number,
    private readonly end: number,
    makeSink: (scanner: JsonScanner) => JsonSink,
    options?: ScanOptions
  ) {
    this.i = start
    this.maxDepth = options?.maxDepth ?? 64
    this.what = options?.what ?? "the JSON text"
    this.sink = makeSink(this)
  }

  /** Throw a `CodecError` saying what is wrong at the current offset. */
  fail(msg: string, at: number = this.i): never {
    throw new CodecError(`${this.what} is not valid JSON: ${msg} at offset ${at - this.start}.`)
  }

  /** Read about `budget` more bytes; true once the whole value has been read and checked. */
  step(budget: number): boolean {
    const bytes = this.bytes
    if (this.i === this.start && bytes[this.i] === 0xef && this.end - this.start >= 3 && bytes[this.i + 1] === 0xbb && bytes[this.i + 2] === 0xbf) {
      this.fail("it starts with a byte order mark, which JSON text may not have (remove the first 3 bytes)")
    }
    const stop = Math.min(this.end, this.i + budget)
    while (this.i < stop) {
      if (this.state === STRING) {
        this.readString(stop)
        continue
      }
      let c = bytes[this.i]!
      while (isWs(c)) {
        if (++this.i >= stop) return this.atEnd()
        c = bytes[this.i]!
      }
      switch (this.state) {
        case VALUE:
        case FIRST_ELEMENT:
          if (c === 0x5d && this.state === FIRST_ELEMENT) this.closeList()
          else this.value(c)
          break
        case AFTER_VALUE: {
          const top = this.stack[this.stack.length - 1]
          if (c === 0x2c && top !== undefined) {
            this.i++
            this.state = top === OBJECT ? KEY : VALUE
          } else if (c === 0x7d && top === OBJECT) {
            this.i++
            this.stack.pop()
            this.sink.closeObject()
            this.afterValue()
          } else if (c === 0x5d && (top === LIST || top === RAW)) {
            this.closeList()
          } else {
            this.fail(`expected ',' or '${top === OBJECT ? "}" : "]"}', found ${this.describe(c)}`)
          }
          break
        }
        case FIRST_KEY:
        case KEY:
          if (c === 0x22) this.openString(true)
          else if (c === 0x7d && this.state === FIRST_KEY) {
            this.i++
            this.stack.pop()
            this.sink.closeObject()
            this.afterValue()
          } else this.fail(`expected a key (a string), found ${this.describe(c)}`)
          break
        case COLON:
          if (c !== 0x3a) this.fail(`expected ':', found ${this.describe(c)}`)
          this.i++
          this.state = VALUE
          break
        case DONE:
          this.fail("unexpected text after the value")
      }
    }
    return this.atEnd()
  }

  private atEnd(): boolean {
    if (this.i < this.end) return false
    if (this.state === STRING) this.fail("unterminated string", this.stringAt)
    if (this.state !== DONE) this.fail("unexpected end")
    return true
  }

  private describe(c: number): string {
    return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `the byte 0x${c.toString(16).padStart(2, "0")}`
  }

  private afterValue(): void {
    this.state = this.stack.length === 0 ? DONE : AFTER_VALUE
  }

  private inRaw(): boolean {
    return this.stack[this.stack.length - 1] === RAW
  }

  private value(c: number): void {
    if (c === 0x22) return this.openString(false)
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number()
    if (c === 0x7b || c === 0x5b) {
      if (this.inRaw()) this.fail("a list or object inside a list of tensor elements (elements are numbers or strings)")
      if (this.stack.length >= this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} levels`)
      if (c === 0x7b) {
        this.i++
        this.stack.push(OBJECT)
        this.state = FIRST_KEY
        this.sink.openObject()
        return
      }
      const raw = this.sink.openArray()
      this.stack.push(raw ? RAW : LIST)
      if (raw) {
        this.rawStart = this.i
        this.rawCount = 0
      }
      this.i++
      this.state = FIRST_ELEMENT
      return
    }
    for (const [word, v] of literals) {
      if (c === word.charCodeAt(0)) {
        for (let k = 1; k < word.length; k++) {
          if (this.i + k >= this.end || this.bytes[this.i + k] !== word.charCodeAt(k)) this.fail("unexpected token")
        }
        if (this.inRaw()) this.fail(`${word} in a list of tensor elements (elements are numbers or strings)`)
        this.i += word.length
        this.sink.scalar(v, false)
        return this.afterValue()
      }
    }
    this.fail(`unexpected ${this.describe(c)}`)
  }

  private closeList(): void {
    this.i++
    if (this.stack.pop() === RAW) this.sink.rawList(this.rawStart, this.i, this.rawCount)
    else this.sink.closeArray()
    this.afterValue()
  }

  private number(): void {
    const bytes = this.bytes
    const end = this.end
    const start = this.i
    let i = start
    let integral = true
    if (bytes[i] === 0x2d) i++
    if (i < end && bytes[i] === 0x30) i++
    else if (isDigitAt(bytes, i, end)) {
      while (isDigitAt(bytes, i, end)) i++
    } else this.fail("bad number", i)
    if (i < end && bytes[i] === 0x2e) {
      integral = false
      i++
      if (!isDigitAt(bytes, i, end)) this.fail("bad number: digits must follow '.'", i)
      while (isDigitAt(bytes, i, end)) i++
    }
    if (i < end && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
      integral = false
      i++
      if (i < end && (bytes[i] === 0x2b || bytes[i] === 0x2d)) i++
      if (!isDigitAt(bytes, i, end)) this.fail("bad number: digits must follow the exponent", i)
      while (isDigitAt(bytes, i, end)) i++
    }
    if (i - start > MAX_NUMBER_CHARS) this.fail(`a number longer than ${MAX_NUMBER_CHARS} characters`, start)
    this.i = i
    if (this.inRaw()) this.rawCount++
    else this.sink.scalar(numberAt(bytes, start, i, integral), integral)
    this.afterValue()
  }

  private openString(isKey: boolean): void {
    this.i++
    this.stringIsKey = isKey
    this.stringAt = this.i - 1
    if (this.inRaw()) return this.rawString()
    this.runStart = this.i
    this.runAscii = true
    this.nUnits = 0
    this.pieces.length = 0
    this.state = STRING
  }

  /** A string inside a raw list: checked, not decoded (its elements are decoded when used). */
  private rawString(): void {
    const bytes = this.bytes
    const limit = Math.min(this.end, this.i + MAX_RAW_STRING_BYTES)
    for (let i = this.i; i < limit; i++) {
      const c = bytes[i]!
      if (c === 0x22) {
        this.i = i + 1
        this.rawCount++
        return this.afterValue()
      }
      if (c < 0x20 || c >= 0x80) this.fail("a tensor element string with a control or non-ASCII character", i)
      if (c === 0x5c) {
        i = this.escape(i) - 1 // checked like any escape; the value is decoded when the element is read
        this.nUnits = 0
      }
    }
    this.fail(limit === this.end ? "unterminated string" : `a tensor element string longer than ${MAX_RAW_STRING_BYTES} bytes`, this.stringAt)
  }

  /** Read the current string up to `stop`; at its closing quote, report it. */
  private readString(stop: number): void {
    const bytes = this.bytes
    let i = this.i
    for (;;) {
      // a run of plain characters
      let ascii = this.runAscii
      while (i < stop) {
        const c = bytes[i]!
        if (c === 0x22 || c === 0x5c || c < 0x20) break
        if (c >= 0x80) ascii = false
        i++
      }
      this.runAscii = ascii
      if (i >= stop) {
        // Pause mid-run; long runs become pieces so none is decoded in one go (cut before a
        // UTF-8 lead byte, never inside a character).
        if (i - this.runStart >= 1 << 20) {
          let cut = i
          while (cut > this.runStart && (bytes[cut]! & 0xc0) === 0x80) cut--
          this.flushRun(cut)
          this.runStart = cut
        }
        this.i = i
        return
      }
      const c = bytes[i]!
      if (c < 0x20) this.fail("a control character in a string (escape it)", i)
      if (c === 0x22) {
        let s: string
        if (this.pieces.length === 0 && this.nUnits === 0) s = this.decodeRun(this.runStart, i)
        else {
          this.flushRun(i)
          this.flushUnits()
          s = this.pieces.join("")
          this.pieces.length = 0
        }
        this.i = i + 1
        if (this.stringIsKey) {
          this.state = COLON
          this.sink.key(s, this.stringAt)
        } else {
          this.sink.scalar(s, false)
          this.afterValue()
        }
        return
      }
      // an escape
      this.flushRun(i)
      i = this.escape(i)
      this.runStart = i
      this.runAscii = true
      if (i >= stop) {
        this.i = i
        return
      }
    }
  }

  private decodeRun(start: number, end: number): string {
    if (this.runAscii) return asciiString(this.bytes, start, end)
    try {
      return utf8.decode(this.bytes.subarray(start, end))
    } catch {
      return this.fail("a string that is not UTF-8 (an invalid byte sequence)", start)
    }
  }

  /** Move the plain run [runStart, end) into the string being built. */
  private flushRun(end: number): void {
    const n = end - this.runStart
    if (n === 0) return
    if (this.runAscii && n <= 256) {
      this.reserve(n)
      for (let k = this.runStart; k < end; k++) this.units[this.nUnits++] = this.bytes[k]!
    } else {
      this.flushUnits()
      this.pieces.push(this.decodeRun(this.runStart, end))
    }
    this.runStart = end
  }

  private reserve(n: number): void {
    if (this.units.length === 0) this.units = new Uint16Array(8192)
    if (this.nUnits + n > this.units.length) this.flushUnits()
  }

  private flushUnits(): void {
    if (this.nUnits === 0) return
    this.pieces.push(String.fromCharCode.apply(null, this.units.subarray(0, this.nUnits) as unknown as number[]))
    this.nUnits = 0
  }

  /** Decode the escape at `i` (a backslash) into `units`; the offset after it. */
  private escape(i: number): number {
    const bytes = this.bytes
    const e = bytes[i + 1]
    if (e === undefined || i + 1 >= this.end) return this.fail("unterminated string", this.stringAt)
    this.reserve(2)
    if (e !== 0x75) {
      const unit = simpleEscape[e]!
      if (unit === 0) this.fail("bad escape in a string", i)
      this.units[this.nUnits++] = unit
      return i + 2
    }
    const u = this.hex4(i + 2)
    if (u >= 0xdc00 && u <= 0xdfff) this.fail("a lone low surrogate escape (\\udc00-\\udfff) in a string", i)
    if (u >= 0xd800 && u <= 0xdbff) {
      // a high surrogate must be followed by an escaped low one: strings must be Unicode text
      const lo = bytes[i + 6] === 0x5c && bytes[i + 7] === 0x75 ? this.hex4(i + 8) : -1
      if (lo < 0xdc00 || lo > 0xdfff) this.fail("a lone high surrogate escape (\\ud800-\\udbff) in a string", i)
      this.units[this.nUnits++] = u
      this.units[this.nUnits++] = lo
      return i + 12
    }
    this.units[this.nUnits++] = u
    return i + 6
  }

  private hex4(at: number): number {
    let u = 0
    for (let k = 0; k < 4; k++) {
      const h = at + k < this.end ? hexValue[this.bytes[at + k]!]! : -1
      if (h < 0) this.fail("bad \\u escape (4 hex digits)", at - 2)
      u = (u << 4) | h
    }
    return u
  }
}

/**
 * The string whose token (already checked by a scanner) starts with its opening quote at `at`:
 * for finding a key again from where it was in the file (key-set.ts).
 */
export const stringAt = (bytes: Uint8Array, at: number): string => {
  let end = at + 1
  let plain = true
  while (bytes[end] !== 0x22) {
    if (bytes[end] === 0x5c) {
      plain = false
      end++
    } else if (bytes[end]! >= 0x80) plain = false
    end++
  }
  if (plain) return asciiString(bytes, at + 1, end)
  let value = ""
  const scanner = new JsonScanner(bytes, at, end + 1, () => ({
    openObject: () => {},
    key: () => {},
    closeObject: () => {},
    openArray: () => false,
    closeArray: () => {},
    scalar: (v) => void (value = v as string),
    rawList: () => {}
  }))
  while (!scanner.step(1 << 20));
  return value
}

/** The value of the number token `bytes[start, end)` (already checked). */
export const numberAt = (bytes: Uint8Array, start: number, end: number, integral: boolean): number => {
  if (integral && end - start <= 15) {
    let k = start
    const negative = bytes[k] === 0x2d
    if (negative) k++
    let v = 0
    for (; k < end; k++) v = v * 10 + (bytes[k]! - 0x30)
    return negative ? -v : v
  }
  return Number(asciiString(bytes, start, end))
}
