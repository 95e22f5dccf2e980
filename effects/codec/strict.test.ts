import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import { CodecError, type DType, np, ShapedArray } from "../../index.js"
import { tempDir } from "../../testing/temp-dir.js"
import * as codec from "./index.js"
import { safetensorsOf } from "./testing/hostile.js"

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)
const st = (header: string, data: Uint8Array = new Uint8Array(12)): Uint8Array => safetensorsOf(utf8(header), data)
const w3 = { w: new ShapedArray([3], "float32") }

const rejected = <A>(r: Result.Result<A, CodecError>): string => {
  if (Result.isSuccess(r)) return expect.fail("expected a CodecError, got a success")
  expect(r.failure).toBeInstanceOf(CodecError)
  return r.failure.message
}

describe("safetensors: the reference reader's rules", () => {
  it("the header starts with '{': a byte order mark before it is rejected", () => {
    const file = safetensorsOf(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}')]), new Uint8Array(12))
    expect(rejected(codec.decodeSafetensors(file, w3))).toMatch(/does not start with '\{' \(it starts with a byte order mark\)/)
    expect(rejected(codec.decodeSafetensors(st(' {"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}'), w3))).toMatch(/does not start with '\{'/)
  })

  it.each([
    ["a dimension written 3.0", "[3.0]", "[0,12]"],
    ["a dimension written 3e0", "[3e0]", "[0,12]"],
    ["an offset written 12.0", "[3]", "[0,12.0]"],
    ["an offset written 1.2e1", "[3]", "[0,1.2e1]"]
  ])("integers are written as integers: %s is rejected", (_what, shape, offsets) => {
    const file = st(`{"w":{"dtype":"F32","shape":${shape},"data_offsets":${offsets}}}`)
    expect(rejected(codec.decodeSafetensors(file, w3))).toMatch(/written with a fraction or an exponent/)
  })

  it("every dtype name of the reference is known, sub-byte ones included when they fill whole bytes", () => {
    const file = st(
      '{"a":{"dtype":"F4","shape":[2,3],"data_offsets":[0,3]},"b":{"dtype":"F8_E4M3FNUZ","shape":[1],"data_offsets":[3,4]},' +
        '"c":{"dtype":"F6_E2M3","shape":[4],"data_offsets":[4,7]},"w":{"dtype":"F32","shape":[3],"data_offsets":[7,19]}}',
      new Uint8Array(19)
    )
    const parsed = codec.parseSafetensors(file)
    if (Result.isFailure(parsed)) return expect.fail(parsed.failure.message)
    expect(parsed.success.entries.map((e) => `${e.name}:${e.dtype}`)).toEqual(["a:F4", "b:F8_E4M3FNUZ", "c:F6_E2M3", "w:F32"])
    expect(rejected(codec.decodeSafetensors(file, w3))).toMatch(/"a": F4\[2, 3\] in the file, not in the template/)
    expect(Result.isSuccess(codec.decodeSafetensors(file, w3, { allowExtra: true }))).toBe(true)
    // 3 four-bit elements are not a whole number of bytes
    expect(rejected(codec.parseSafetensors(st('{"a":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}', new Uint8Array(2))))).toMatch(/sub-byte/)
  })

  it("a shape whose product overflows 64 bits is rejected even when a later dimension is 0", () => {
    const header = `{"w":{"dtype":"F32","shape":[4294967296,4294967296,0],"data_offsets":[0,0]}}`
    expect(rejected(codec.parseSafetensors(st(header, new Uint8Array(0))))).toMatch(/overflows 64 bits/)
    const ok = codec.parseSafetensors(st(`{"w":{"dtype":"F32","shape":[4294967296,0],"data_offsets":[0,0]}}`, new Uint8Array(0)))
    expect(Result.isSuccess(ok)).toBe(true)
  })

  it("names are Unicode text: a lone surrogate escape is rejected", () => {
    const file = st('{"\\ud800":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}')
    expect(rejected(codec.parseSafetensors(file))).toMatch(/lone high surrogate/)
  })

  it("fields the reference ignores are ignored, trailing whitespace is padding, empty tensors sit between others", () => {
    const file = st(
      '{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12],"extra":{"x":[1.5,{"y":null}]}},"e":{"dtype":"F64","shape":[0],"data_offsets":[12,12]}} \t\n\r'
    )
    const parsed = codec.parseSafetensors(file)
    if (Result.isFailure(parsed)) return expect.fail(parsed.failure.message)
    expect(parsed.success.entries.map((e) => e.name)).toEqual(["w", "e"])
    // an empty tensor inside another's bytes overlaps it
    const inside = st('{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"e":{"dtype":"F64","shape":[0],"data_offsets":[4,4]}}')
    expect(rejected(codec.parseSafetensors(inside))).toMatch(/"e" at \[4, 4\] is inside "w"/)
  })
})

describe("JSON checkpoints: what the format forbids is rejected", () => {
  const doc = (node: unknown, extra = ""): string =>
    `{"format":"jaxfx.checkpoint","version":1${extra},"tree":{"type":"dict","items":{"a":${JSON.stringify(node)}}}}`
  const arr = (dtype: DType, shape: number[], data: string): string =>
    `{"format":"jaxfx.checkpoint","version":1,"tree":{"type":"dict","items":{"a":{"type":"array","dtype":"${dtype}","shape":[${shape.join(",")}],"data":[${data}]}}}}`
  const t = (dtype: DType, shape: number[]) => ({ a: np.zeros(shape, { dtype }) })

  it.each([
    ["float32", "1e39", /element 0 is 1e39, beyond the float32 range/],
    ["float32", "-3.5e38", /element 0 is -3.5e38, beyond the float32 range/],
    ["float64", "1e400", /element 0 is 1e400, beyond the float64 range/],
    ["float64", "-2e308", /beyond the float64 range/]
  ] as const)("a %s value out of range (%s) is an error, not an infinity", (dtype, value, message) => {
    expect(rejected(codec.decodeJson(arr(dtype, [1], value), t(dtype, [1])))).toMatch(message)
  })

  it("the largest finite values and values that round to them still load", () => {
    const r = codec.decodeJson(arr("float32", [3], "3.4028235e38,-3.4028234663852886e38,1e-50"), t("float32", [3]))
    if (Result.isFailure(r)) return expect.fail(r.failure.message)
    expect([...r.success.a.data()]).toEqual([3.4028234663852886e38, -3.4028234663852886e38, 0])
    const d = codec.decodeJson(arr("float64", [2], '1.7976931348623157e308,"Infinity"'), t("float64", [2]))
    if (Result.isFailure(d)) return expect.fail(d.failure.message)
    expect([...d.success.a.data()]).toEqual([Number.MAX_VALUE, Infinity])
  })

  it.each([
    ["int32", "1.0"],
    ["int32", "1e0"],
    ["uint32", "2.0"],
    ["bool", "1.0"]
  ] as const)("%s elements are written as integers: %s is rejected", (dtype, value) => {
    expect(rejected(codec.decodeJson(arr(dtype, [1], value), t(dtype, [1])))).toMatch(/written as an integer/)
  })

  it("dimensions are written as integers", () => {
    expect(rejected(codec.decodeJson(arr("float32", [], "1").replace('"shape":[]', '"shape":[1.0]'), t("float32", [1])))).toMatch(
      /written with a fraction or an exponent/
    )
  })

  it("fields the format does not have are rejected, in nodes and around the tree", () => {
    expect(rejected(codec.decodeJson(doc({ type: "null", extra: 1 }), {}))).toMatch(/unknown field "extra"/)
    expect(rejected(codec.decodeJson(doc({ type: "null", items: [] }), {}))).toMatch(/a "null" node, which has no "items"/)
    expect(rejected(codec.decodeJson(doc({ type: "null" }, ',"comment":"x"'), {}))).toMatch(/unknown field "comment"/)
  })

  it("a byte order mark before a JSON checkpoint file is rejected", async () => {
    const dir = tempDir("jaxfx-codec-")
    const path = join(dir, "ckpt.json")
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(codec.encodeJson({ w: np.zeros([2]) }))]))
    const e = await Effect.runPromise(Effect.flip(codec.load(path, { w: np.zeros([2]) })))
    expect(e).toBeInstanceOf(CodecError)
    expect(e.message).toMatch(/byte order mark/)
  })

  it("JSON's own spellings still read: escapes in strings, whitespace, -0 as a number", () => {
    const r = codec.decodeJson(arr("float32", [3], ' "\\u004eaN" ,\n -0 , "-\\u0030" '), t("float32", [3]))
    if (Result.isFailure(r)) return expect.fail(r.failure.message)
    const [a, b, c] = r.success.a.data()
    expect(Number.isNaN(a)).toBe(true)
    expect(Object.is(b, -0)).toBe(true)
    expect(Object.is(c, -0)).toBe(true)
  })
})
