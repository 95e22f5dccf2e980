/**
 * The keys of one JSON object in hostile input, for finding a duplicate with little memory and
 * no long pause: a key is kept only as the offset of its token in the file's bytes and 16 bits of
 * its hash (6 bytes a slot, at most 70% of the slots used), not as a string in a `Set` (about 60
 * bytes a key, several times a short key's text). Keys whose 16 bits agree are compared by
 * reading the earlier one in the file again; a key written with escapes is decoded first, so
 * `"a"` and `"\u0061"` are the same key. The table grows by moving a few keys at each addition
 * (never all at once), and its hash is seeded at random, so a file cannot be built to make keys
 * collide.
 */
import { stringAt } from "./json-scan.js"

const EMPTY = 0xffffffff
const QUOTE = 0x22
const BACKSLASH = 0x5c
/** Keys moved to the grown table at each addition (enough to finish before it must grow again). */
const MOVES = 4

const utf8 = new TextEncoder()

/** Whether the string token at `at` has an escape (then its bytes are not its UTF-8 text). */
const hasEscape = (bytes: Uint8Array, at: number): boolean => {
  for (let i = at + 1; bytes[i] !== QUOTE; i++) if (bytes[i] === BACKSLASH) return true
  return false
}

/** An open-addressing table of key offsets with a 16-bit tag each. */
interface Table {
  readonly offsets: Uint32Array
  readonly tags: Uint16Array
}

const table = (size: number): Table => ({ offsets: new Uint32Array(size).fill(EMPTY), tags: new Uint16Array(size) })

export class KeySet {
  private current = table(16)
  /** The table being emptied into `current` while it grows, and how far that has got. */
  private previous: Table | undefined = undefined
  private moved = 0
  private count = 0
  private readonly seed = crypto.getRandomValues(new Uint32Array(1))[0]!

  /** `bytes`: the file the keys are read from (less than 4 GiB), as a scanner checked it. */
  constructor(private readonly bytes: Uint8Array) {}

  get size(): number {
    return this.count
  }

  /** Add the key `key` whose token starts (with its quote) at byte `at`; false if the set holds it already. */
  add(key: string, at: number): boolean {
    const h = this.hashAt(at)
    if (this.previous !== undefined) {
      if (this.has(this.previous, h, at, key)) return false
      this.moveSome()
    }
    if (this.has(this.current, h, at, key)) return false
    this.put(this.current, h, at)
    if (++this.count * 10 > this.current.offsets.length * 7) this.grow()
    return true
  }

  private has(t: Table, h: number, at: number, key: string): boolean {
    const mask = t.offsets.length - 1
    const tag = h >>> 16
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const o = t.offsets[i]!
      if (o === EMPTY) return false
      if (t.tags[i] === tag && this.same(o, at, key)) return true
    }
  }

  private put(t: Table, h: number, at: number): void {
    const mask = t.offsets.length - 1
    let i = h & mask
    while (t.offsets[i] !== EMPTY) i = (i + 1) & mask
    t.offsets[i] = at
    t.tags[i] = h >>> 16
  }

  private grow(): void {
    while (this.previous !== undefined) this.moveSome() // (only if keys came faster than MOVES allows)
    this.previous = this.current
    this.current = table(2 * this.previous.offsets.length)
    this.moved = 0
  }

  /** Move the next few keys of the previous table (they stay there too until it is dropped). */
  private moveSome(): void {
    const prev = this.previous!
    const end = Math.min(prev.offsets.length, this.moved + MOVES)
    for (; this.moved < end; this.moved++) {
      const o = prev.offsets[this.moved]!
      if (o !== EMPTY) this.put(this.current, this.hashAt(o), o)
    }
    if (this.moved === prev.offsets.length) this.previous = undefined
  }

  /** A seeded FNV-1a hash of the UTF-8 text of the key at `at`, with murmur3's final mix. */
  private hashAt(at: number): number {
    const bytes = this.bytes
    let h = (0x811c9dc5 ^ this.seed) >>> 0
    if (hasEscape(bytes, at)) {
      for (const b of utf8.encode(stringAt(bytes, at))) h = Math.imul(h ^ b, 0x01000193)
    } else {
      for (let i = at + 1; bytes[i] !== QUOTE; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193)
    }
    h ^= h >>> 16
    h = Math.imul(h, 0x85ebca6b)
    h ^= h >>> 13
    h = Math.imul(h, 0xc2b2ae35)
    return (h ^ (h >>> 16)) >>> 0
  }

  /** Whether the keys at `a` and `b` are the same (`key` is the one at `b`). */
  private same(a: number, b: number, key: string): boolean {
    const bytes = this.bytes
    // identical tokens are the same key
    for (let k = 1; ; k++) {
      const x = bytes[a + k]!
      if (x !== bytes[b + k]) break
      if (x === QUOTE) return true
      if (x === BACKSLASH) {
        k++
        if (bytes[a + k] !== bytes[b + k]) break
      }
    }
    // different tokens: different keys, unless an escape spells one of them differently
    return (hasEscape(bytes, a) || hasEscape(bytes, b)) && stringAt(bytes, a) === key
  }
}
