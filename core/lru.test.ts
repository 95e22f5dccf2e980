import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ValueError } from "./errors.js"
import { checkCapacity, Lru } from "./lru.js"

type Op = { readonly kind: "get" | "set" | "delete"; readonly key: number; readonly value: number } | { readonly kind: "clear" }

const ops: fc.Arbitrary<ReadonlyArray<Op>> = fc.array(
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constantFrom("get" as const, "set" as const, "delete" as const),
        key: fc.integer({ min: 0, max: 7 }),
        value: fc.integer()
      })
    },
    { weight: 1, arbitrary: fc.constant({ kind: "clear" as const }) }
  ),
  { maxLength: 60 }
)

/** The reference: a list of [key, value] from least to most recently used, and what left it. */
const model = (capacity: number, program: ReadonlyArray<Op>) => {
  let list: [number, number][] = []
  const released: [number, number][] = []
  const gets: (number | undefined)[] = []
  let evictions = 0
  for (const op of program) {
    if (op.kind === "clear") {
      released.push(...list)
      list = []
      continue
    }
    const i = list.findIndex(([k]) => k === op.key)
    const found = i < 0 ? undefined : list[i]!
    if (op.kind === "get") {
      gets.push(found?.[1])
      if (found !== undefined) list = [...list.filter((_, j) => j !== i), found]
    } else if (op.kind === "delete") {
      if (found !== undefined) {
        list = list.filter((_, j) => j !== i)
        released.push(found)
      }
    } else {
      list = [...list.filter((_, j) => j !== i), [op.key, op.value]]
      if (found !== undefined && found[1] !== op.value) released.push(found)
      while (list.length > capacity) {
        released.push(list.shift()!)
        evictions++
      }
    }
  }
  return { list, released, gets, evictions }
}

describe("Lru", () => {
  it("agrees with a reference list on any sequence of get/set/delete/clear, and releases each value that leaves", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), ops, (capacity, program) => {
        const released: [number, number][] = []
        const cache = new Lru<number, number>(capacity, (v, k) => released.push([k, v]))
        const gets: (number | undefined)[] = []
        for (const op of program) {
          if (op.kind === "clear") cache.clear()
          else if (op.kind === "get") gets.push(cache.get(op.key))
          else if (op.kind === "delete") cache.delete(op.key)
          else cache.set(op.key, op.value)
        }
        const want = model(capacity, program)
        expect(gets).toEqual(want.gets)
        expect([...cache.values()]).toEqual(want.list.map(([, v]) => v))
        expect(cache.size).toBe(want.list.length)
        expect(cache.size).toBeLessThanOrEqual(capacity)
        expect(cache.evictions).toBe(want.evictions)
        expect(released).toEqual(want.released)
      }),
      { seed: 13, numRuns: 300 }
    )
  })

  it("peek and has leave the order alone", () => {
    const evicted: string[] = []
    const cache = new Lru<string, number>(2, (_, k) => evicted.push(k))
    cache.set("a", 1)
    cache.set("b", 2)
    expect(cache.peek("a")).toBe(1)
    expect(cache.has("a")).toBe(true)
    cache.set("c", 3)
    expect(evicted).toEqual(["a"])
  })

  it("a release callback may use the cache (the entry is already gone)", () => {
    const seen: boolean[] = []
    const cache: Lru<string, number> = new Lru(1, (_, k) => seen.push(cache.has(k)))
    cache.set("a", 1)
    cache.set("b", 2)
    cache.clear()
    expect(seen).toEqual([false, false])
    expect(cache.size).toBe(0)
  })

  it("takes positive integers or Infinity as capacity; anything else is a ValueError that says so", () => {
    expect(checkCapacity(1, "x")).toBe(1)
    expect(checkCapacity(Infinity, "x")).toBe(Infinity)
    for (const bad of [0, -1, 1.5, NaN, -Infinity]) {
      expect(() => checkCapacity(bad, "jit's cacheSize option")).toThrow(ValueError)
      expect(() => new Lru(bad)).toThrow(/positive integer/)
    }
  })
})
