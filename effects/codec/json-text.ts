/**
 * Strict JSON values for data from outside. Unlike `JSON.parse` this rejects duplicate object
 * keys (a header that names a tensor twice must not silently keep the last one), a byte order
 * mark, lone surrogates and nesting deeper than a bound (no stack overflow on hostile input),
 * and builds objects without a prototype (a key `__proto__` is just a key). RFC 8259 grammar;
 * the scanning is json-scan.ts.
 */
import { checkOptions, optionKeys } from "../../core/options.js"
import { JsonScanner, type JsonSink, type ScanOptions } from "./json-scan.js"
import { runWorkSync, SLICE_BYTES, type Work } from "./work.js"

/** A parsed JSON value; objects have no prototype. */
export type JsonValue = null | boolean | number | string | ReadonlyArray<JsonValue> | { readonly [key: string]: JsonValue }

export type ParseOptions = ScanOptions
const PARSE_KEYS = optionKeys<ParseOptions>()("maxDepth", "what")

type Container = JsonValue[] | Record<string, JsonValue>

/**
 * A sink that builds the value it is told about. Other sinks hand it the events of a member
 * whose value they want as a plain `JsonValue` (safetensors' `__metadata__`, say).
 */
export class ValueBuilder implements JsonSink {
  private readonly stack: Container[] = []
  private readonly keys: string[] = []
  private result: JsonValue = null
  private done = false

  /** `fail` throws the error for a duplicate key (the scanner's, with its offset). */
  constructor(private readonly fail: (msg: string, at: number) => never) {}

  /** Start a new value. */
  reset(): void {
    this.stack.length = 0
    this.keys.length = 0
    this.done = false
  }

  /** Whether the value is complete; then `value` is it. */
  get complete(): boolean {
    return this.done
  }

  get value(): JsonValue {
    return this.result
  }

  private add(v: JsonValue): void {
    const top = this.stack[this.stack.length - 1]
    if (top === undefined) {
      this.result = v
      this.done = true
    } else if (Array.isArray(top)) top.push(v)
    else top[this.keys.pop()!] = v
  }

  readonly openObject = (): void => {
    this.stack.push(Object.create(null) as Record<string, JsonValue>)
  }
  readonly key = (k: string, at: number): void => {
    if (k in (this.stack[this.stack.length - 1] as Record<string, JsonValue>)) this.fail(`duplicate key ${JSON.stringify(k)}`, at)
    this.keys.push(k)
  }
  readonly closeObject = (): void => this.add(this.stack.pop()!)
  readonly openArray = (): boolean => {
    this.stack.push([])
    return false
  }
  readonly closeArray = (): void => this.add(this.stack.pop()!)
  readonly scalar = (v: string | number | boolean | null): void => this.add(v)
  readonly rawList = (): void => {
    throw new Error("ValueBuilder never asks for raw lists")
  }
}
/** Scan `bytes[start, end)` with the sink `makeSink` builds, a slice of bytes at a time. */
export function* scanJson(bytes: Uint8Array, start: number, end: number, makeSink: (s: JsonScanner) => JsonSink, options?: ScanOptions): Work<void> {
  const scanner = new JsonScanner(bytes, start, end, makeSink, options)
  while (!scanner.step(SLICE_BYTES)) yield
}

/** Parse the UTF-8 JSON text `bytes[start, end)` as one value, a slice at a time. */
export function* parseJsonBytes(bytes: Uint8Array, start: number, end: number, options?: ParseOptions): Work<JsonValue> {
  let builder: ValueBuilder | undefined
  yield* scanJson(bytes, start, end, (s) => (builder = new ValueBuilder((msg, at) => s.fail(msg, at))), options)
  return builder!.value
}

/**
 * Parse `text` as one JSON value; throws `CodecError` with the offset (in UTF-8 bytes) of the first problem.
 *
 * @example
 * codec.parseJson('{"a": [1, 2.5, null]}') // { a: [1, 2.5, null] }
 * // codec.parseJson('{"a": 1,}') throws a CodecError naming byte offset 8
 */
export const parseJson = (text: string, options?: ParseOptions): JsonValue => {
  checkOptions("codec.parseJson", options, PARSE_KEYS)
  const bytes = new TextEncoder().encode(text)
  return runWorkSync(parseJsonBytes(bytes, 0, bytes.length, options))
}
