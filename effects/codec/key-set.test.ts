import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { KeySet } from "./key-set.js"

/** The JSON token of `key`, with some characters written as \u escapes (chosen by `escape`). */
const token = (key: string, escape: ReadonlyArray<boolean>): string =>
  `"${[...key]
    .map((ch, i) =>
      escape[i % escape.length] === true || ch === '"' || ch === "\\"
        ? Array.from({ length: ch.length }, (_, j) => `\\u${ch.charCodeAt(j).toString(16).padStart(4, "0")}`).join("")
        : ch
    )
    .join("")}"`

describe("KeySet: the keys of an object, kept as offsets into the file", () => {
  it("finds exactly the duplicates a Set of strings finds, however the keys are spelled (property, seeded)", () => {
    const keyArb = fc.oneof(fc.string({ maxLength: 4, unit: fc.constantFrom("a", "b", '"', "\\", "é", "😀") }), fc.constantFrom("", "__proto__", "constructor"))
    fc.assert(
      fc.property(fc.array(fc.tuple(keyArb, fc.array(fc.boolean(), { minLength: 1, maxLength: 3 })), { maxLength: 300 }), (keys) => {
        const tokens = keys.map(([k, esc]) => token(k, esc))
        const text = new TextEncoder().encode(tokens.join(","))
        const set = new KeySet(text)
        const reference = new Set<string>()
        let at = 0
        keys.forEach(([k], i) => {
          expect(set.add(k, at)).toBe(!reference.has(k))
          reference.add(k)
          at += new TextEncoder().encode(tokens[i]!).length + 1
        })
        expect(set.size).toBe(reference.size)
      }),
      { seed: 20261207, numRuns: 200 }
    )
  })

  it("holds 300,000 keys in a few bytes each", () => {
    const n = 300_000
    const text = new TextEncoder().encode(Array.from({ length: n }, (_, i) => `"${i.toString(36)}"`).join(","))
    const set = new KeySet(text)
    let at = 0
    let added = 0
    for (let i = 0; i < n; i++) {
      const k = i.toString(36)
      if (set.add(k, at)) added++
      at += k.length + 3
    }
    expect(added).toBe(n)
    expect(set.add("0", 0)).toBe(false)
    expect(set.size).toBe(n)
    const tables = set as unknown as Record<"current" | "previous", { offsets: Uint32Array; tags: Uint16Array } | undefined>
    const bytes = [tables.current, tables.previous].reduce((sum, t) => sum + (t === undefined ? 0 : t.offsets.byteLength + t.tags.byteLength), 0)
    expect(bytes / n).toBeLessThan(26)
  })
})
