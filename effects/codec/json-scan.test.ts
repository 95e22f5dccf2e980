import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { CodecError } from "../../index.js"
import { JsonScanner, type JsonSink } from "./json-scan.js"
import { type JsonValue, parseJson, ValueBuilder } from "./json-text.js"

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)

/** Parse with the scanner stopping every `budget` bytes (resumption at every kind of position). */
const parseInSlices = (text: string, budget: number): JsonValue => {
  const bytes = utf8(text)
  let builder: ValueBuilder | undefined
  const scanner = new JsonScanner(bytes, 0, bytes.length, (s) => (builder = new ValueBuilder((m, at) => s.fail(m, at))))
  while (!scanner.step(budget));
  return builder!.value
}

const failure = (f: () => unknown): CodecError => {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(CodecError)
    return e as CodecError
  }
  return expect.fail("expected a CodecError")
}

describe("the JSON scanner", () => {
  it("parses what JSON.parse parses, to the same value, whole or a few bytes at a time (property, seeded)", () => {
    const text = fc
      .tuple(fc.jsonValue({ stringUnit: "grapheme", maxDepth: 4 }), fc.constantFrom(undefined, 0, 1, "\t", " \r\n"))
      .map(([v, indent]) => JSON.stringify(v, null, indent))
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 9 }), (s, budget) => {
        const want = JSON.stringify(JSON.parse(s))
        expect(JSON.stringify(parseJson(s))).toBe(want)
        expect(JSON.stringify(parseInSlices(s, budget))).toBe(want)
      }),
      { seed: 20261207, numRuns: 300 }
    )
  })

  it("rejects what JSON.parse rejects (property, seeded: truncations and one-byte changes of valid text)", () => {
    const mutated = fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat(), fc.integer({ min: 0, max: 127 }), fc.boolean()).map(([v, at, byte, cut]) => {
      const s = JSON.stringify(v)
      const i = at % Math.max(1, s.length)
      return cut ? s.slice(0, i) : s.slice(0, i) + String.fromCharCode(byte) + s.slice(i + 1)
    })
    fc.assert(
      fc.property(mutated, (s) => {
        let reference: unknown
        try {
          reference = JSON.parse(s)
        } catch {
          failure(() => parseJson(s))
          failure(() => parseInSlices(s, 3))
          return
        }
        // a change JSON.parse accepts: the scanner agrees unless it is one of its stricter rules
        try {
          expect(JSON.stringify(parseJson(s))).toBe(JSON.stringify(reference))
        } catch (e) {
          expect((e as Error).message).toMatch(/duplicate key|control character/)
        }
      }),
      { seed: 20261207, numRuns: 1000 }
    )
  })

  it.each([
    ["a byte order mark", "\ufeff{}", /byte order mark/],
    ["a duplicate key", '{"a": 1, "a": 2}', /duplicate key "a"/],
    ["a duplicate __proto__ key", '{"__proto__": 1, "__proto__": 2}', /duplicate key "__proto__"/],
    ["a lone high surrogate", '"\\ud800"', /lone high surrogate/],
    ["a lone low surrogate", '"\\udc00x"', /lone low surrogate/],
    ["a high surrogate followed by a non-surrogate escape", '"\\ud800\\u0041"', /lone high surrogate/],
    ["a raw control character", '"a\u0001b"', /control character/],
    ["a bad escape", '"\\x41"', /bad escape/],
    ["a short \\u escape", '"\\u12"', /bad \\u escape/],
    ["a leading zero", "01", /unexpected text after the value/],
    ["a leading plus", "+1", /unexpected '\+'/],
    ["a fraction without digits", "1.", /digits must follow '\.'/],
    ["an exponent without digits", "1e+", /digits must follow the exponent/],
    ["NaN", "NaN", /unexpected 'N'/],
    ["a trailing comma", "[1,]", /unexpected '\]'/],
    ["a number longer than 4096 characters", "1".repeat(5000), /longer than 4096/],
    ["nesting deeper than the limit", `${"[".repeat(65)}${"]".repeat(65)}`, /deeper than 64/],
    ["invalid UTF-8 in a string", '"\u00ff"', /not UTF-8/]
  ])("rejects %s with its offset", (_what, text, message) => {
    const bytes = text === '"\u00ff"' ? new Uint8Array([0x22, 0xff, 0x22]) : utf8(text)
    let builder: ValueBuilder | undefined
    const scanner = new JsonScanner(bytes, 0, bytes.length, (s) => (builder = new ValueBuilder((m, at) => s.fail(m, at))))
    const e = failure(() => {
      while (!scanner.step(1 << 16));
    })
    expect(builder).toBeDefined()
    expect(e.message).toMatch(message)
    expect(e.message).toMatch(/at offset \d+\.$/)
  })

  it("decodes escapes, surrogate pairs and UTF-8 as JSON.parse does, across slices", () => {
    const s = JSON.stringify({ 'é\u0000"\\/\b\f\n\r\t': ["\ud83d\ude00", "ü".repeat(300), "\\u0041".repeat(3)] })
    const escaped = s.replace("\\\\u0041", "\\u0041")
    for (const t of [s, escaped, '"\\ud83d\\ude00\\u00e9\\/"', '"\\uD83D\\uDE00"']) {
      for (const budget of [1, 2, 5, 1 << 17]) expect(JSON.stringify(parseInSlices(t, budget))).toBe(JSON.stringify(JSON.parse(t)))
    }
  })

  it("builds objects without a prototype: __proto__, constructor and prototype are ordinary keys", () => {
    const v = parseJson('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 2}}}') as Record<string, JsonValue>
    expect(Object.getPrototypeOf(v)).toBe(null)
    expect(Object.keys(v)).toEqual(["__proto__", "constructor"])
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined()
  })

  it("reports a flat list a sink asks for as one byte range, checking its elements", () => {
    const events: string[] = []
    const sink = (s: JsonScanner): JsonSink => {
      const inner = new ValueBuilder((m, at) => s.fail(m, at))
      return {
        ...inner,
        openArray: () => {
          events.push("raw?")
          return true
        },
        rawList: (start, end, count) => events.push(`raw ${start}-${end} x${count}`)
      }
    }
    const text = '[1, -2.5e3, "NaN", "\\u0041" ]'
    const bytes = utf8(text)
    const scanner = new JsonScanner(bytes, 0, bytes.length, sink)
    while (!scanner.step(2));
    expect(events).toEqual(["raw?", `raw 0-${text.length} x4`])
    for (const bad of ["[1, [2]]", "[1, {}]", "[true]", "[null]", `["${"x".repeat(65)}"]`, '["\u00e9"]', '["\\q"]', "[1 2]", "[01]"]) {
      const b = utf8(bad)
      const sc = new JsonScanner(b, 0, b.length, sink)
      failure(() => {
        while (!sc.step(1 << 16));
      })
    }
  })
})
