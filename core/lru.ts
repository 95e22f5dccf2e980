/**
 * A bounded map that forgets its least recently used entries: the one cache used by jit's
 * per-function programs, the programs derived from them (jvp, vmap), and the CPU backend's kernel
 * caches, so no cache grows with the number of shapes a program sees. `onEvict` runs for every
 * entry that leaves (by eviction, `delete` or `clear`), so values that own resources (compiled
 * programs with pooled buffers) are released as they go.
 */
import { ValueError } from "./errors.js"

/** Check a cache capacity: a positive integer, or Infinity for no bound. */
export const checkCapacity = (capacity: number, what: string): number => {
  if (capacity === Infinity || (Number.isSafeInteger(capacity) && capacity >= 1)) return capacity
  throw new ValueError(`${what} must be a positive integer (or Infinity for no bound), got ${String(capacity)}.`)
}

/**
 * A least-recently-used map of at most `capacity` entries. `get` and `set` make an entry the most
 * recent; inserting beyond the capacity evicts the least recent one.
 *
 * @example
 * const cache = new Lru<string, number>(2, (value, key) => console.log(`evicted ${key}`))
 * cache.set("a", 1); cache.set("b", 2); cache.get("a"); cache.set("c", 3) // evicted b
 */
export class Lru<K, V> {
  private readonly map = new Map<K, V>()
  /** Entries evicted because the cache was full (not counting `delete` and `clear`). */
  evictions = 0
  /** The most recently used key (undefined: unknown). */
  private newest: K | undefined = undefined

  constructor(
    readonly capacity: number,
    private readonly onEvict?: (value: V, key: K) => void
  ) {
    checkCapacity(capacity, "A cache's capacity")
  }

  get size(): number {
    return this.map.size
  }

  /** The value for `key` (now the most recently used), or undefined. */
  get(key: K): V | undefined {
    const v = this.map.get(key)
    // (a hit on the most recent entry, as in a loop of one operation, has nothing to reorder)
    if (v !== undefined && key !== this.newest) {
      this.map.delete(key)
      this.map.set(key, v)
      this.newest = key
    }
    return v
  }

  /** The value for `key`, leaving its recency as it is. */
  peek(key: K): V | undefined {
    return this.map.get(key)
  }

  has(key: K): boolean {
    return this.map.has(key)
  }

  /** Store `value` as the most recent entry, then evict the least recent ones beyond the capacity. */
  set(key: K, value: V): void {
    const old = this.map.get(key)
    this.map.delete(key)
    this.map.set(key, value)
    this.newest = key
    if (old !== undefined && old !== value) this.onEvict?.(old, key)
    while (this.map.size > this.capacity) {
      const [k, v] = this.map.entries().next().value as [K, V]
      this.map.delete(k)
      this.evictions++
      this.onEvict?.(v, k)
    }
  }

  /** Remove `key` (releasing its value); whether it was there. */
  delete(key: K): boolean {
    const v = this.map.get(key)
    if (!this.map.delete(key)) return false
    this.onEvict?.(v as V, key)
    return true
  }

  /** Remove every entry, releasing each (least recent first). */
  clear(): void {
    const entries = [...this.map]
    this.map.clear()
    for (const [k, v] of entries) this.onEvict?.(v, k)
  }

  values(): IterableIterator<V> {
    return this.map.values()
  }
}
