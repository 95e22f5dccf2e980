import { Result } from "effect"
import * as E from "fp-ts/lib/Either.js"
import * as t from "io-ts"
import { describe, expect, it } from "vitest"
import { CodecError, np } from "../../index.js"
import * as codec from "./index.js"

/** A value that counts how often a report turns it into text. */
class Counted {
  static formatted = 0
  toJSON(): string {
    Counted.formatted++
    return "counted"
  }
}

describe("rejecting costs work for the first problems, not for every problem", () => {
  it("decodeWith formats only the problems it shows, however many the codec found", () => {
    const values = Array.from({ length: 10_000 }, () => new Counted())
    Counted.formatted = 0
    const r = codec.decodeWith(t.array(t.string), values, "a list")
    if (Result.isSuccess(r)) return expect.fail("expected a failure")
    expect(r.failure.message).toMatch(/\(and 9996 more\)$/)
    expect(Counted.formatted).toBeLessThanOrEqual(8)
  })

  it("the schemas of lists and string maps stop at their first bad element", () => {
    const bad = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]))
    const m = codec.Metadata.decode(bad)
    expect(E.isLeft(m) && m.left.length).toBe(1)
    const s = codec.SafetensorsInfo.decode({ dtype: "F32", shape: Array.from({ length: 10_000 }, () => -1), data_offsets: [0, 0] })
    expect(E.isLeft(s) && s.left.length).toBe(1)
    expect(E.isRight(codec.Metadata.decode({ a: "b" }))).toBe(true)
  })

  it("a JSON checkpoint of 20,000 invalid nodes is rejected at the first, with its path", () => {
    const items = Array.from({ length: 20_000 }, () => '{"type": "bogus"}').join(",")
    const text = `{"format": "jaxfx.checkpoint", "version": 1, "tree": {"type": "list", "items": [${items}]}}`
    const r = codec.decodeJson(text, { w: np.zeros([1]) })
    if (Result.isSuccess(r)) return expect.fail("expected a failure")
    expect(r.failure).toBeInstanceOf(CodecError)
    expect(r.failure.message).toBe(
      'the JSON checkpoint does not match its schema: the node at "0" has the type "bogus", not one of "array", "list", "dict", "null", "undefined".'
    )
  })

  it("a safetensors file of 5,000 tensors the template lacks lists 8 and counts the rest", () => {
    const tree = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`t${i}`, np.zeros([0])]))
    const r = codec.decodeSafetensors(codec.encodeSafetensors(tree), { w: np.zeros([1]) })
    if (Result.isSuccess(r)) return expect.fail("expected a failure")
    expect(r.failure.message).toMatch(
      /^the safetensors file does not match the template: "w": expected float32\[1\], missing from the file; "t0": float32\[0\] in the file, not in the template; .* and 4993 more\.$/
    )
  })
})
