/**
 * Object keys flatten in JAX's order (Python's `sorted` on dict keys: by Unicode code point),
 * whatever order they were inserted in, against real JAX (golden/pytree_key_order.py). JavaScript
 * enumerates integer-like keys first and compares strings by UTF-16 code units; neither is JAX's
 * order.
 */
import { describe, expect, it } from "vitest"
import { loadGolden } from "../../golden/load.js"
import { tree } from "../../index.js"

type Entries = ReadonlyArray<readonly [string, number | Entries]>

interface Case {
  readonly entries: Entries
  readonly leaves: ReadonlyArray<number>
}

const golden = loadGolden<Case>("pytree_key_order")

/** A plain object with the keys defined in the order of `entries` (an own `__proto__` included). */
const build = (entries: Entries, proto: object | null = Object.prototype): object => {
  const o = Object.create(proto) as object
  for (const [k, v] of entries) {
    Object.defineProperty(o, k, { value: typeof v === "number" ? v : build(v, proto), enumerable: true, writable: true, configurable: true })
  }
  return o
}

const label = (c: Case): string => c.entries.map(([k]) => JSON.stringify(k)).join(" ")

describe("object keys flatten in JAX's order", () => {
  it("the golden file covers integer-like, ASCII, astral and nested keys", () => {
    expect(golden.cases.length).toBe(17)
    // keys that name Object.prototype members ("constructor", "__proto__") are read as strings
    const keys = (es: Entries): unknown[] => es.flatMap(([k, v]) => (typeof v === "number" ? [k] : [k, ...keys(v)]))
    for (const c of golden.cases) for (const k of keys(c.entries)) expect(typeof k).toBe("string")
  })
  for (const c of golden.cases) {
    it(`inserted as ${label(c)}`, () => {
      const obj = build(c.entries)
      const [leaves, def] = tree.flatten(obj)
      expect(leaves).toEqual(c.leaves)
      // a null-prototype object flattens alike, and both rebuild to the same leaves
      expect(tree.flatten(build(c.entries, null))[0]).toEqual(c.leaves)
      expect(tree.leaves(tree.unflatten(def, leaves))).toEqual(c.leaves)
    })
  }
  it("objects with the same keys inserted in different orders have one structure", () => {
    const byKeys = new Map<string, Case[]>()
    for (const c of golden.cases) {
      const k = c.entries
        .map(([key]) => key)
        .sort()
        .join("\u0000")
      byKeys.set(k, [...(byKeys.get(k) ?? []), c])
    }
    for (const group of byKeys.values()) {
      const defs = group.map((c) => tree.structure(build(c.entries)))
      for (const d of defs) expect(d.toString()).toBe(defs[0]!.toString())
    }
  })
})
