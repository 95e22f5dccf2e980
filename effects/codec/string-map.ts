/**
 * Reads a JSON object of strings (safetensors' `__metadata__`, a JSON checkpoint's `metadata`) as
 * a scanner reports it, for a reader that hands it the events of that member: it fails at the
 * first value that is not a string (with the io-ts `Metadata` schema's message), finds duplicate
 * keys, and builds the object only when asked (a load with a template discards it), so a wide map
 * of short strings costs no more memory than a `KeySet`.
 */
import { CodecError } from "../../index.js"
import { KeySet } from "./key-set.js"
import { decodeOrThrow, Metadata } from "./schema.js"

export class StringMapReader {
  private depth = 0
  private current = ""
  private readonly keys: KeySet | undefined
  private readonly map: Record<string, string> | undefined
  private done = false

  constructor(
    bytes: Uint8Array,
    private readonly what: string,
    build: boolean,
    private readonly duplicate: (key: string, at: number) => never
  ) {
    this.map = build ? (Object.create(null) as Record<string, string>) : undefined
    this.keys = build ? undefined : new KeySet(bytes)
  }

  /** Whether the map has been read; then `value` is it (when built). */
  get complete(): boolean {
    return this.done
  }

  get value(): Readonly<Record<string, string>> | undefined {
    return this.map
  }

  /** Throw the schema's error for `value` (which does not decode). */
  private reject(value: unknown): never {
    decodeOrThrow(Metadata, value, this.what)
    throw new CodecError(`${this.what} does not match its schema.`)
  }

  openObject(): void {
    if (this.depth++ > 0) this.reject({ [this.current]: {} })
  }

  openArray(): void {
    this.reject(this.depth++ === 0 ? [] : { [this.current]: [] })
  }

  key(k: string, at: number): void {
    const seen = this.map !== undefined ? k in this.map : !this.keys!.add(k, at)
    if (seen) this.duplicate(k, at)
    this.current = k
    if (this.map !== undefined) this.map[k] = ""
  }

  scalar(v: string | number | boolean | null): void {
    if (this.depth === 0) this.reject(v)
    if (typeof v !== "string") this.reject({ [this.current]: v })
    if (this.map !== undefined) this.map[this.current] = v as string
  }

  closeObject(): void {
    if (--this.depth === 0) this.done = true
  }
}
