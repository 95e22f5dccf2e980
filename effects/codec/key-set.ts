/**
 * The keys of one JSON object in hostile input, for finding a duplicate with little memory: a key
 * is kept only as the offset of its token in the file's bytes (4 bytes a slot, at most 70% of the
 * slots used: under 6 bytes a key, and under 18 while the table grows), not as a string in a
 * `Set` (about 60 bytes a key, several times a short key's text). Hashes and comparisons read
 * the key's bytes in the file again; a key written with escapes is decoded first, so `"a"` and
 * `"\u0061"` are the same key. The hash is seeded at random, so a file cannot be built to make
 * keys collide.
 */
import { stringAt } from "./json-scan.js"

const EMPTY = 0xffffffff
const QUOTE = 0x22
const BACKSLASH = 0x5c

const utf8 = new TextEncoder()

/** Whether the string token at `at` has an escape (then its bytes are not its UTF-8 text). */
const hasEscape = (bytes: Uint8Array, at: number): boolean => {
  for (let i = at + 1; bytes[i] !== QUOTE; i++) if (bytes[i] === BACKSLASH) return true
  return false
}

export class KeySet {
  private slots = new Uint32Array(16).fill(EMPTY)
  private count = 0
  private readonly seed = crypto.getRandomValues(new Uint32Array(1))[0]!

  /** `bytes`: the file the keys are read from (less than 4 GiB), as a scanner checked it. */
  constructor(private readonly bytes: Uint8Array) {}

  get size(): number {
    return this.count
  }

  /** Add the key `key` whose token starts (with its quote) at byte `at`; false if the set holds it already. */
  add(key: string, at: number): boolean {
    const mask = this.slots.length - 1
    for (let i = this.hashAt(at) & mask; ; i = (i + 1) & mask) {
      const o = this.slots[i]!
      if (o === EMPTY) {
        this.slots[i] = at
        if (++this.count * 10 > this.slots.length * 7) this.grow()
        return true
      }
      if (this.same(o, at, key)) return false
    }
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

  /** Double the table; every key goes to the slot its hash says. */
  private grow(): void {
    const old = this.slots
    this.slots = new Uint32Array(2 * old.length).fill(EMPTY)
    const mask = this.slots.length - 1
    for (let j = 0; j < old.length; j++) {
      const o = old[j]!
      if (o === EMPTY) continue
      let i = this.hashAt(o) & mask
      while (this.slots[i] !== EMPTY) i = (i + 1) & mask
      this.slots[i] = o
    }
  }
}
