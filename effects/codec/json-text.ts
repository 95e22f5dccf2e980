/**
 * A strict JSON parser for data from outside (checkpoint files, safetensors headers). Unlike
 * `JSON.parse` it rejects duplicate object keys (a header that names a tensor twice must not
 * silently keep the last one), bounds the nesting depth (no stack overflow on hostile input),
 * and builds objects without a prototype (a key `__proto__` is just a key). RFC 8259 grammar.
 */
import { CodecError } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"

/** A parsed JSON value; objects have no prototype. */
export type JsonValue = null | boolean | number | string | ReadonlyArray<JsonValue> | { readonly [key: string]: JsonValue }

export interface ParseOptions {
  /** Largest nesting depth of arrays and objects. Default 64. */
  readonly maxDepth?: number
  /** What the text is, for messages (e.g. "the safetensors header"). */
  readonly what?: string
}
const PARSE_KEYS = optionKeys<ParseOptions>()("maxDepth", "what")

const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39

/** Parse `text` as one JSON value; throws `CodecError` with the offset of the first problem. */
export const parseJson = (text: string, options?: ParseOptions): JsonValue => {
  checkOptions("codec.parseJson", options, PARSE_KEYS)
  const maxDepth = options?.maxDepth ?? 64
  const what = options?.what ?? "the JSON text"
  let i = 0
  const n = text.length

  const fail = (msg: string): never => {
    throw new CodecError(`${what} is not valid JSON: ${msg} at offset ${i}.`)
  }
  const skipWs = (): void => {
    while (i < n && isWs(text.charCodeAt(i))) i++
  }
  const expectChar = (ch: string): void => {
    if (text[i] !== ch) fail(`expected '${ch}'${i < n ? `, found '${text[i]}'` : ", found the end"}`)
    i++
  }

  const parseString = (): string => {
    expectChar("\"")
    let out = ""
    let start = i
    for (;;) {
      if (i >= n) fail("unterminated string")
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        out += text.slice(start, i)
        i++
        return out
      }
      if (c < 0x20) fail("control character in a string")
      if (c !== 0x5c) {
        i++
        continue
      }
      out += text.slice(start, i)
      i++
      const e = text[i]
      i++
      switch (e) {
        case "\"":
          out += "\""
          break
        case "\\":
          out += "\\"
          break
        case "/":
          out += "/"
          break
        case "b":
          out += "\b"
          break
        case "f":
          out += "\f"
          break
        case "n":
          out += "\n"
          break
        case "r":
          out += "\r"
          break
        case "t":
          out += "\t"
          break
        case "u": {
          const hex = text.slice(i, i + 4)
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape")
          out += String.fromCharCode(parseInt(hex, 16))
          i += 4
          break
        }
        default:
          i--
          fail("bad escape in a string")
      }
      start = i
    }
  }

  const parseNumber = (): number => {
    const start = i
    if (text[i] === "-") i++
    if (text[i] === "0") i++
    else if (i < n && isDigit(text.charCodeAt(i)) && text[i] !== "0") {
      while (i < n && isDigit(text.charCodeAt(i))) i++
    } else fail("bad number")
    if (text[i] === ".") {
      i++
      if (!(i < n && isDigit(text.charCodeAt(i)))) fail("bad number: digits must follow '.'")
      while (i < n && isDigit(text.charCodeAt(i))) i++
    }
    if (text[i] === "e" || text[i] === "E") {
      i++
      if (text[i] === "+" || text[i] === "-") i++
      if (!(i < n && isDigit(text.charCodeAt(i)))) fail("bad number: digits must follow the exponent")
      while (i < n && isDigit(text.charCodeAt(i))) i++
    }
    return Number(text.slice(start, i))
  }

  const parseLiteral = (word: string, value: JsonValue): JsonValue => {
    if (text.startsWith(word, i)) {
      i += word.length
      return value
    }
    return fail("unexpected token")
  }

  const parseValue = (depth: number): JsonValue => {
    skipWs()
    if (i >= n) fail("unexpected end")
    const c = text[i]
    if (c === "{" || c === "[") {
      if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth} levels`)
      return c === "{" ? parseObject(depth + 1) : parseArray(depth + 1)
    }
    if (c === "\"") return parseString()
    if (c === "t") return parseLiteral("true", true)
    if (c === "f") return parseLiteral("false", false)
    if (c === "n") return parseLiteral("null", null)
    return parseNumber()
  }

  const parseArray = (depth: number): JsonValue => {
    expectChar("[")
    const out: JsonValue[] = []
    skipWs()
    if (text[i] === "]") {
      i++
      return out
    }
    for (;;) {
      out.push(parseValue(depth))
      skipWs()
      if (text[i] === ",") {
        i++
        continue
      }
      expectChar("]")
      return out
    }
  }

  const parseObject = (depth: number): JsonValue => {
    expectChar("{")
    const out: Record<string, JsonValue> = Object.create(null) as Record<string, JsonValue>
    const seen = new Set<string>()
    skipWs()
    if (text[i] === "}") {
      i++
      return out
    }
    for (;;) {
      skipWs()
      const keyAt = i
      const key = parseString()
      if (seen.has(key)) {
        i = keyAt
        fail(`duplicate key ${JSON.stringify(key)}`)
      }
      seen.add(key)
      skipWs()
      expectChar(":")
      out[key] = parseValue(depth)
      skipWs()
      if (text[i] === ",") {
        i++
        continue
      }
      expectChar("}")
      return out
    }
  }

  const v = parseValue(0)
  skipWs()
  if (i < n) fail("unexpected text after the value")
  return v
}
