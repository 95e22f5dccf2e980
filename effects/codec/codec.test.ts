import { spawnSync } from "node:child_process"
import { readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Effect, Result } from "effect"
import fc from "fast-check"
import * as t from "io-ts"
import { describe, expect, it } from "vitest"
import { fakeDevice } from "../../backends/cpu/test-helpers.js"
import type { Backend } from "../../core/backend.js"
import type { AnyTypedArray } from "../../core/dtype.js"
import { fromHost } from "../../core/trace.js"
import { type Array, CodecError, type DType, np, ShapedArray, tree } from "../../index.js"
import { childEnv, tempDir } from "../../testing/temp-dir.js"
import { Device } from "../device.js"
import * as codec from "./index.js"
import { safetensorsOf } from "./testing/hostile.js"

// ---------------------------------------------------------------------------------------------
// Helpers

const tmp = (): string => tempDir("jaxfx-codec-")

/** An Array with exactly these bits (NaN payloads included): no JS-number round trip. */
const fromBits = (dtype: DType, shape: number[], words: ReadonlyArray<number>): Array => {
  const n = shape.reduce((a, b) => a * b, 1)
  let data: AnyTypedArray
  if (dtype === "bool") data = Uint8Array.from(words.slice(0, n), (w) => w & 1)
  else if (dtype === "float64") data = new Float64Array(new Uint32Array(words.slice(0, 2 * n)).buffer)
  else {
    const u = new Uint32Array(words.slice(0, n))
    data = dtype === "float32" ? new Float32Array(u.buffer) : dtype === "int32" ? new Int32Array(u.buffer) : u
  }
  return fromHost(data, new ShapedArray(shape, dtype))
}

const bytesOf = (x: Array): number[] => {
  const d = x.data()
  return [...new Uint8Array(d.buffer, d.byteOffset, d.byteLength)]
}

/** Same structure, names, dtypes, shapes and bits. */
const expectSameTree = (got: unknown, want: unknown): void => {
  expect(tree.structure(got).equals(tree.structure(want))).toBe(true)
  const g = tree.flattenWithPath(got)[0]
  const w = tree.flattenWithPath(want)[0]
  expect(g.map(([p]) => codec.leafName(p))).toEqual(w.map(([p]) => codec.leafName(p)))
  g.forEach(([, a], i) => {
    const b = w[i]![1] as Array
    expect((a as Array).dtype).toBe(b.dtype)
    expect((a as Array).shape).toEqual(b.shape)
    expect(bytesOf(a as Array)).toEqual(bytesOf(b))
  })
}

const failure = <A>(r: Result.Result<A, CodecError>): CodecError => {
  if (Result.isSuccess(r)) return expect.fail("expected a CodecError, got a success")
  expect(r.failure).toBeInstanceOf(CodecError)
  return r.failure
}

// ---------------------------------------------------------------------------------------------
// Random pytrees (seeded)

const shapeArb = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 })
const specials32 = [0x7fc00000, 0xffc00000, 0x7f800001, 0x7fbfffff, 0x7f800000, 0xff800000, 0x80000000, 0x00000001, 0x7f7fffff]
const wordArb = fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(...specials32))
const pairs64: ReadonlyArray<readonly [number, number]> = [
  [0, 0x7ff80000],
  [0, 0xfff80000],
  [1, 0x7ff00000],
  [0, 0x7ff00000],
  [0, 0xfff00000],
  [0, 0x80000000],
  [1, 0],
  [0xffffffff, 0x7fefffff]
]
const pairArb = fc.oneof(fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff })), fc.constantFrom(...pairs64))
const leafArb: fc.Arbitrary<Array> = fc.tuple(fc.constantFrom<DType>("float32", "float64", "int32", "uint32", "bool"), shapeArb).chain(([dtype, shape]) => {
  const n = shape.reduce((a, b) => a * b, 1)
  const words =
    dtype === "float64"
      ? fc.array(pairArb, { minLength: n, maxLength: n }).map((ps) => ps.flatMap((p) => [p[0], p[1]]))
      : fc.array(wordArb, { minLength: n, maxLength: n })
  return words.map((w) => fromBits(dtype, shape, w))
})
const keyArb = fc.constantFrom("w", "bias", "linear", "0", "é", "x y", "mu", "nu")
const { node: treeArb } = fc.letrec<{ node: unknown; list: unknown[]; dict: Record<string, unknown> }>((tie) => ({
  node: fc.oneof({ depthSize: "small", withCrossShrink: true }, leafArb, tie("list"), tie("dict"), fc.constant(null)),
  list: fc.array(tie("node"), { maxLength: 3 }),
  dict: fc.dictionary(keyArb, tie("node"), { maxKeys: 3, noNullPrototype: true })
}))

describe("round trips are exact (property, seeded)", () => {
  it("safetensors: encode then decode with the tree as template gives the same bits", () => {
    fc.assert(
      fc.property(treeArb, (x) => {
        const back = codec.decodeSafetensors(codec.encodeSafetensors(x), x)
        if (!Result.isSuccess(back)) return expect.fail(back.failure.message)
        expectSameTree(back.success, x)
      }),
      { seed: 20240611, numRuns: 150 }
    )
  })

  it("JSON: encode then decode (with and without a template) gives the same structure and bits", () => {
    fc.assert(
      fc.property(treeArb, (x) => {
        const text = codec.encodeJson(x)
        const back = codec.decodeJson(text, x)
        if (!Result.isSuccess(back)) return expect.fail(back.failure.message)
        expectSameTree(back.success, x)
        const parsed = codec.parseJsonCheckpoint(text)
        if (!Result.isSuccess(parsed)) return expect.fail(parsed.failure.message)
        expectSameTree(parsed.success.tree, x)
      }),
      { seed: 20240611, numRuns: 150 }
    )
  })

  it("JSON writes the special values as documented strings and floats as short decimals", () => {
    const x = {
      f: np.array([0.1, -0, NaN, Infinity, -Infinity, 3.4028234663852886e38], { dtype: "float32" }),
      d: np.array([0.1, -0, 5e-324], { dtype: "float64" }),
      nan: fromBits("float32", [2], [0x7fc00001, 0xffc00000]),
      b: np.array([true, false]),
      i: np.array([-2147483648, 2147483647], { dtype: "int32" }),
      u: np.array([4294967295], { dtype: "uint32" })
    }
    const doc = JSON.parse(codec.encodeJson(x, { metadata: { step: "7" } })) as {
      metadata: Record<string, string>
      tree: { items: Record<string, { data: unknown[] }> }
    }
    expect(doc.metadata).toEqual({ step: "7" })
    expect(doc.tree.items["f"]!.data).toEqual([0.1, "-0", "NaN", "Infinity", "-Infinity", 3.4028235e38])
    expect(doc.tree.items["d"]!.data).toEqual([0.1, "-0", 5e-324])
    expect(doc.tree.items["nan"]!.data).toEqual(["NaN:7fc00001", "NaN:ffc00000"])
    expect(doc.tree.items["b"]!.data).toEqual([1, 0])
    const back = codec.decodeJson(codec.encodeJson(x), x)
    expect(Result.isSuccess(back)).toBe(true)
    if (Result.isSuccess(back)) expectSameTree(back.success, x)
  })

  it("save and load through files, both formats, and optimizer-state-shaped trees", async () => {
    const dir = tmp()
    const state = {
      params: {
        linear: {
          weight: np.array(
            [
              [1, 2],
              [3, 4]
            ],
            { dtype: "float32" }
          ),
          bias: np.zeros([2])
        }
      },
      opt: [{ count: np.array(3, { dtype: "int32" }), mu: { linear: { weight: np.ones([2, 2]), bias: np.ones([2]) } } }, null]
    }
    for (const file of ["ckpt.safetensors", "ckpt.json"]) {
      const path = join(dir, file)
      await Effect.runPromise(codec.save(path, state, { metadata: { step: "3" } }))
      expectSameTree(await Effect.runPromise(codec.load(path, state)), state)
    }
    const st = codec.parseSafetensors(new Uint8Array(readFileSync(join(dir, "ckpt.safetensors"))))
    expect(Result.isSuccess(st) && st.success.entries.map((e) => e.name)).toEqual([
      "opt/0/mu/linear/bias",
      "opt/0/mu/linear/weight",
      "params/linear/bias",
      "params/linear/weight",
      "opt/0/count"
    ])
    expect(Result.isSuccess(st) && st.success.metadata).toEqual({ step: "3" })
    // a ShapedArray template works too (no arrays needed to describe what to load)
    const abstract = tree.map((x: unknown) => (x as Array).aval, state as unknown) as typeof state
    expectSameTree(await Effect.runPromise(codec.load(join(dir, "ckpt.safetensors"), abstract)), state)
    expect(readdirSync(dir).sort()).toEqual(["ckpt.json", "ckpt.safetensors"]) // no temporary files left
  })

  it("save reads arrays on an asynchronous device through Device.read", async () => {
    const asyncCpu = fakeDevice({ name: "async-cpu", async: true })
    const x = await Effect.runPromise(Effect.provide(Device.put([1.5, 2.5]), Device.on(asyncCpu, { makeDefault: false })))
    expect(() => codec.encodeSafetensors({ x })).toThrow(/Device\.read/)
    const path = join(tmp(), "a.safetensors")
    await Effect.runPromise(codec.save(path, { x }))
    const back = await Effect.runPromise(codec.load(path, { x: np.zeros([2]) }))
    expect([...back.x.data()]).toEqual([1.5, 2.5])
  })
})

// ---------------------------------------------------------------------------------------------
// Files written by others

/** A safetensors file from its parts, built here byte by byte. */
const buildFile = (header: string, data: Uint8Array, declared?: bigint): Uint8Array => safetensorsOf(new TextEncoder().encode(header), data, declared)

describe("safetensors files from other writers", () => {
  it("a file built by hand (unpadded header, keys out of offset order, an F16 extra) reads correctly", () => {
    const data = new Uint8Array(4 * 3 + 8 + 4 + 2 + 2 + 3)
    const dv = new DataView(data.buffer)
    // [0, 12): "w" F32 [3]; [12, 20): "b" F64 []; [20, 24): "n" I32 []; [24, 26): "h" F16 [1];
    // [26, 28): "u" U16 [1] (unsupported, skipped); [28, 31): "m" BOOL [3]
    ;[1.5, -2, 0.25].forEach((v, i) => dv.setFloat32(4 * i, v, true))
    dv.setFloat64(12, Math.PI, true)
    dv.setInt32(20, -7, true)
    dv.setUint16(24, 0x3c00, true)
    dv.setUint16(26, 9, true)
    data.set([1, 0, 1], 28)
    const header = JSON.stringify({
      m: { dtype: "BOOL", shape: [3], data_offsets: [28, 31] },
      h: { dtype: "F16", shape: [1], data_offsets: [24, 26] },
      "layer/w": { dtype: "F32", shape: [3], data_offsets: [0, 12] },
      n: { dtype: "I32", shape: [], data_offsets: [20, 24] },
      __metadata__: { source: "hand" },
      u: { dtype: "U16", shape: [1], data_offsets: [26, 28] },
      "layer/b": { dtype: "F64", shape: [], data_offsets: [12, 20] }
    })
    const file = buildFile(header, data)
    const template = {
      layer: { w: np.zeros([3]), b: np.zeros([], { dtype: "float64" }) },
      n: np.zeros([], { dtype: "int32" }),
      m: np.zeros([3], { dtype: "bool" })
    }
    const strict = codec.decodeSafetensors(file, template)
    expect(failure(strict).message).toMatch(/"h": float16\[1\] in the file, not in the template/)
    const r = codec.decodeSafetensors(file, template, { allowExtra: true })
    if (!Result.isSuccess(r)) return expect.fail(r.failure.message)
    expect([...r.success.layer.w.data()]).toEqual([1.5, -2, 0.25])
    expect(r.success.layer.b.item()).toBe(Math.PI)
    expect(r.success.n.item()).toBe(-7)
    expect(r.success.m.toJs()).toEqual([true, false, true])
    const parsed = codec.parseSafetensors(file)
    expect(Result.isSuccess(parsed) && parsed.success.metadata).toEqual({ source: "hand" })
    expect(Result.isSuccess(parsed) && parsed.success.entries.map((e) => e.name)).toEqual(["layer/w", "layer/b", "n", "h", "u", "m"])
  })

  // Written by the reference implementation: Python `safetensors.numpy.save` (safetensors 0.8.0),
  // tensors {"linear/weight": f32[[1,2],[3,4.5]], "linear/bias": f32[0.5,-0.0], "d": f64[nan,inf,1e-300],
  // "u": u32[4000000000], "step": i32 3, "mask": bool[True,False]}, metadata {"format": "pt"}.
  const reference = Buffer.from(
    "iAEAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJmb3JtYXQiOiJwdCJ9LCJkIjp7ImR0eXBlIjoiRjY0Iiwic2hhcGUiOlszXSwiZGF0YV9vZmZzZXRzIjpbMCwyNF19LCJsaW5lYXIvYmlhcyI6eyJkdHlwZSI6IkYzMiIsInNoYXBlIjpbMl0sImRhdGFfb2Zmc2V0cyI6WzI0LDMyXX0sImxpbmVhci93ZWlnaHQiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzIsMl0sImRhdGFfb2Zmc2V0cyI6WzMyLDQ4XX0sInUiOnsiZHR5cGUiOiJVMzIiLCJzaGFwZSI6WzFdLCJkYXRhX29mZnNldHMiOls0OCw1Ml19LCJzdGVwIjp7ImR0eXBlIjoiSTMyIiwic2hhcGUiOltdLCJkYXRhX29mZnNldHMiOls1Miw1Nl19LCJtYXNrIjp7ImR0eXBlIjoiQk9PTCIsInNoYXBlIjpbMl0sImRhdGFfb2Zmc2V0cyI6WzU2LDU4XX19IAAAAAAAAPh/AAAAAAAA8H9Z8/jCH26lAQAAAD8AAACAAACAPwAAAEAAAEBAAACQQAAoa+4DAAAAAQA=",
    "base64"
  )
  const referenceTree = () => ({
    linear: {
      weight: np.array(
        [
          [1, 2],
          [3, 4.5]
        ],
        { dtype: "float32" }
      ),
      bias: np.array([0.5, -0], { dtype: "float32" })
    },
    d: np.array([NaN, Infinity, 1e-300], { dtype: "float64" }),
    u: np.array([4000000000], { dtype: "uint32" }),
    step: np.array(3, { dtype: "int32" }),
    mask: np.array([true, false])
  })

  it("reads the reference implementation's file, and writes the same bytes", () => {
    const r = codec.decodeSafetensors(new Uint8Array(reference), referenceTree())
    if (!Result.isSuccess(r)) return expect.fail(r.failure.message)
    expectSameTree(r.success, referenceTree())
    expect(Object.is(r.success.linear.bias.data()[1], -0)).toBe(true)
    const ours = codec.encodeSafetensors(referenceTree(), { metadata: { format: "pt" } })
    expect(Buffer.from(ours).equals(reference)).toBe(true)
    // the reference pads the header with spaces to a multiple of 8
    expect(Number(new DataView(ours.buffer).getBigUint64(0, true)) % 8).toBe(0)
  })
})

// ---------------------------------------------------------------------------------------------
// Hostile input

const goodTree = () => ({ w: np.array([1, 2, 3], { dtype: "float32" }), n: np.array(5, { dtype: "int32" }) })
const f32 = (xs: number[]): Uint8Array => new Uint8Array(new Float32Array(xs).buffer)
const entry = (dtype: string, shape: unknown, offsets: unknown) => ({ dtype, shape, data_offsets: offsets })
const twelve = f32([1, 2, 3])
const sixteen = new Uint8Array([...twelve, 5, 0, 0, 0])

const hostileSafetensors: ReadonlyArray<readonly [string, Uint8Array, RegExp]> = [
  ["an empty file", new Uint8Array(0), /fewer than the 8/],
  ["a file shorter than the length prefix", new Uint8Array(5), /fewer than the 8/],
  ["a header length of 2^64 - 1", buildFile("{}", new Uint8Array(0), 0xffffffffffffffffn), /exceeds/],
  ["a header length over the 100 MB limit", buildFile("{}", new Uint8Array(0), 200_000_000n), /exceeds/],
  ["a header longer than the file", buildFile("{}", new Uint8Array(0), 4096n), /larger than the rest of the file/],
  [
    "a header that is not UTF-8",
    (() => {
      const b = buildFile('{"a" }', new Uint8Array(0))
      b[10] = 0xff
      return b
    })(),
    /not UTF-8/
  ],
  ["a header that is not JSON", buildFile('{"w": {"dtype": "F32",', new Uint8Array(0)), /not valid JSON/],
  ["a header that is a JSON list", buildFile("[1, 2]", new Uint8Array(0)), /does not start with '\{'/],
  ["trailing garbage after the header object", buildFile("{} x", new Uint8Array(0)), /not valid JSON/],
  [
    "duplicate names",
    buildFile(`{"w": ${JSON.stringify(entry("F32", [3], [0, 12]))}, "w": ${JSON.stringify(entry("F32", [3], [12, 24]))}}`, new Uint8Array(24)),
    /duplicate key "w"/
  ],
  ["overlapping data_offsets", buildFile(JSON.stringify({ w: entry("F32", [3], [0, 12]), n: entry("I32", [], [8, 12]) }), twelve), /overlaps/],
  ["data_offsets out of range", buildFile(JSON.stringify({ w: entry("F32", [3], [0, 12]), n: entry("I32", [], [12, 16]) }), twelve), /beyond/],
  ["a gap between tensors", buildFile(JSON.stringify({ w: entry("F32", [3], [0, 12]), n: entry("I32", [], [16, 20]) }), new Uint8Array(20)), /gap/],
  ["bytes no tensor accounts for", buildFile(JSON.stringify({ w: entry("F32", [3], [0, 12]) }), sixteen), /unaccounted/],
  [
    "offsets that do not match dtype x shape",
    buildFile(JSON.stringify({ w: entry("F32", [2], [0, 12]), n: entry("I32", [], [12, 16]) }), sixteen),
    /needs 8 bytes/
  ],
  ["offsets that end before they begin", buildFile(JSON.stringify({ w: entry("F32", [0], [12, 0]) }), twelve), /end before they begin/],
  ["an unknown dtype", buildFile(JSON.stringify({ w: entry("F99", [3], [0, 12]) }), twelve), /unknown dtype "F99"/],
  ["a sub-byte dtype that is not a whole number of bytes", buildFile(JSON.stringify({ w: entry("F4", [3], [0, 12]) }), twelve), /sub-byte/],
  ["a dtype that is not a string", buildFile(JSON.stringify({ w: entry(7 as unknown as string, [3], [0, 12]) }), twelve), /schema/],
  ["a non-integer dimension", buildFile(JSON.stringify({ w: entry("F32", [1.5], [0, 12]) }), twelve), /NonNegativeInt/],
  ["a negative dimension", buildFile(JSON.stringify({ w: entry("F32", [-3], [0, 12]) }), twelve), /NonNegativeInt/],
  ["a dimension that is a string", buildFile(JSON.stringify({ w: entry("F32", ["3"], [0, 12]) }), twelve), /NonNegativeInt/],
  ["a huge shape", buildFile(JSON.stringify({ w: entry("F32", [4294967296, 4294967296], [0, 12]) }), twelve), /overflows 64 bits/],
  ["a huge shape with a zero", buildFile(JSON.stringify({ w: entry("F32", [4294967296, 4294967296, 0], [0, 0]) }), new Uint8Array(0)), /overflows 64 bits/],
  ["a shape beyond safe integers", buildFile('{"w": {"dtype": "F32", "shape": [9007199254740993], "data_offsets": [0, 12]}}', twelve), /NonNegativeInt/],
  ["a dimension with an exponent", buildFile(JSON.stringify({ w: entry("F32", [1e300], [0, 12]) }), twelve), /written with a fraction or an exponent/],
  ["data_offsets that are not a pair", buildFile(JSON.stringify({ w: entry("F32", [3], [0]) }), twelve), /schema/],
  ["a missing field", buildFile(JSON.stringify({ w: { dtype: "F32", shape: [3] } }), twelve), /data_offsets/],
  ["metadata with a non-string value", buildFile(JSON.stringify({ __metadata__: { step: 3 }, w: entry("F32", [3], [0, 12]) }), twelve), /__metadata__/],
  ["nesting deep enough to overflow a naive parser", buildFile(`{"w": {"x": ${"[".repeat(100000)}${"]".repeat(100000)}}}`, new Uint8Array(0)), /deeper than/],
  ["a BOOL element that is not 0 or 1", buildFile(JSON.stringify({ w: entry("BOOL", [2], [0, 2]) }), new Uint8Array([1, 2])), /not 0 or 1/]
]

describe("hostile input is a CodecError, never a crash, and leaves the old checkpoint intact", () => {
  it.each(hostileSafetensors)("safetensors: %s", async (_what, bytes, message) => {
    const template = _what.startsWith("a BOOL") ? { w: np.zeros([2], { dtype: "bool" }) } : goodTree()
    const e = failure(codec.decodeSafetensors(bytes, template))
    expect(e.message).toMatch(message)
    // the same through files: the good checkpoint next to it is untouched and still loads
    const dir = tmp()
    const good = join(dir, "good.safetensors")
    await Effect.runPromise(codec.save(good, goodTree()))
    const before = readFileSync(good)
    writeFileSync(join(dir, "bad.safetensors"), bytes)
    const err = await Effect.runPromise(Effect.flip(codec.load(join(dir, "bad.safetensors"), template)))
    expect(err).toBeInstanceOf(CodecError)
    expect(readFileSync(good).equals(before)).toBe(true)
    expectSameTree(await Effect.runPromise(codec.load(good, goodTree())), goodTree())
  })

  it("a template mismatch names each leaf with both dtypes and shapes", () => {
    const bytes = codec.encodeSafetensors({ linear: { weight: np.zeros([3, 2]), bias: np.zeros([2]) }, step: np.zeros([], { dtype: "int32" }) })
    const e = failure(
      codec.decodeSafetensors(bytes, {
        linear: { weight: np.zeros([2, 3]), bias: np.zeros([2], { dtype: "float64" }), scale: np.zeros([1]) }
      })
    )
    expect(e.message).toContain('"linear/weight": expected float32[2, 3], found float32[3, 2]')
    expect(e.message).toContain('"linear/bias": expected float64[2], found float32[2]')
    expect(e.message).toContain('"linear/scale": expected float32[1], missing from the file')
    expect(e.message).toContain('"step": int32[] in the file, not in the template')
    const j = failure(codec.decodeJson(codec.encodeJson({ w: np.zeros([3]) }), { w: np.zeros([4]) }))
    expect(j.message).toContain('"w": expected float32[4], found float32[3]')
  })

  const doc = (tree: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ format: "jaxfx.checkpoint", version: 1, tree, ...extra })
  const arr = (dtype: string, shape: unknown, data: unknown) => ({ type: "array", dtype, shape, data })
  /** A document holding one array named "a". */
  const docA = (node: unknown) => doc({ type: "dict", items: { a: node } })
  const z = (shape: number[], dtype: DType = "float32") => ({ a: new ShapedArray(shape, dtype) })
  const hostileJson: ReadonlyArray<readonly [string, string, unknown, RegExp]> = [
    ["not JSON", '{"format": ', z([1]), /not valid JSON/],
    ["a duplicate key", '{"format": "jaxfx.checkpoint", "format": "x", "version": 1}', z([1]), /duplicate key/],
    ["another format", JSON.stringify({ format: "other", version: 1, tree: { type: "null" } }), z([1]), /schema/],
    ["a future version", JSON.stringify({ format: "jaxfx.checkpoint", version: 2, tree: { type: "null" } }), z([1]), /schema/],
    ["an unknown node type", doc({ type: "set", items: [] }), z([1]), /schema/],
    ["an unknown dtype", docA(arr("float16", [1], [1])), z([1]), /schema/],
    ["a non-integer dimension", docA(arr("float32", [1.5], [1])), z([1]), /NonNegativeInt/],
    ["too few elements", docA(arr("float32", [3], [1, 2])), z([3]), /needs 3 elements but data has 2/],
    ["a huge shape", docA(arr("float32", [1e9, 1e9], [1])), z([1e9, 1e9]), /needs more than 2\^53 elements/],
    ["an int out of range", docA(arr("int32", [1], [2147483648])), z([1], "int32"), /not an integer in/],
    ["a fractional int", docA(arr("uint32", [1], [1.5])), z([1], "uint32"), /not an integer in/],
    ["a bool that is 2", docA(arr("bool", [1], [2])), z([1], "bool"), /not 0 or 1/],
    ["an unknown string element", docA(arr("float32", [1], ["inf"])), z([1]), /strings are only/],
    ["NaN bits that are not a NaN", docA(arr("float32", [1], ["NaN:3f800000"])), z([1]), /not the bits of a float32 NaN/],
    ["an element that is an object", docA(arr("float32", [1], [{}])), z([1]), /elements are numbers or strings/],
    [
      "clashing names",
      doc({ type: "dict", items: { "a/b": arr("float32", [], [1]), a: { type: "dict", items: { b: arr("float32", [], [2]) } } } }),
      z([1]),
      /share the name "a\/b"/
    ],
    ["metadata that is not strings", doc({ type: "null" }, { metadata: { a: 1 } }), z([1]), /schema/],
    [
      "deep nesting",
      `{"format": "jaxfx.checkpoint", "version": 1, "tree": ${'{"type": "list", "items": ['.repeat(50000)}${"]}".repeat(50000)}}`,
      z([1]),
      /deeper than/
    ]
  ]

  it.each(hostileJson)("JSON: %s", async (_what, text, template, message) => {
    expect(failure(codec.decodeJson(text, template)).message).toMatch(message)
    expect(failure(codec.parseJsonCheckpoint(text)).message).toMatch(message)
    const dir = tmp()
    const good = join(dir, "good.json")
    await Effect.runPromise(codec.save(good, goodTree()))
    const before = readFileSync(good)
    writeFileSync(join(dir, "bad.json"), text)
    expect(await Effect.runPromise(Effect.flip(codec.load(join(dir, "bad.json"), template)))).toBeInstanceOf(CodecError)
    expect(readFileSync(good).equals(before)).toBe(true)
    expectSameTree(await Effect.runPromise(codec.load(good, goodTree())), goodTree())
  })

  it("a key __proto__ is an ordinary key (no prototype pollution)", () => {
    const text = doc({ type: "dict", items: JSON.parse('{"__proto__": {"type": "array", "dtype": "int32", "shape": [], "data": [1]}}') as unknown })
    const r = codec.parseJsonCheckpoint(text)
    if (!Result.isSuccess(r)) return expect.fail(r.failure.message)
    const obj = r.success.tree as Record<string, Array>
    expect(Object.getPrototypeOf(obj)).toBe(Object.prototype)
    expect(Object.hasOwn(obj, "__proto__")).toBe(true)
    expect(({} as Record<string, unknown>)["type"]).toBeUndefined()
  })

  it("saving a tree that cannot be a checkpoint fails before touching the old file", async () => {
    const dir = tmp()
    const path = join(dir, "ckpt.safetensors")
    await Effect.runPromise(codec.save(path, goodTree()))
    const before = readFileSync(path)
    const bad: ReadonlyArray<unknown> = [{ w: 3 }, { "a/b": np.zeros([1]), a: { b: np.zeros([1]) } }, { __metadata__: np.zeros([1]) }]
    for (const t of bad) {
      for (const format of ["safetensors", "json"] as const) {
        const e = await Effect.runPromise(Effect.flip(codec.save(path, t, { format })))
        expect(e).toBeInstanceOf(CodecError)
      }
    }
    const cyclic: Record<string, unknown> = { w: np.zeros([1]) }
    cyclic["self"] = cyclic
    expect(await Effect.runPromise(Effect.flip(codec.save(path, cyclic)))).toBeInstanceOf(CodecError)
    expect(readFileSync(path).equals(before)).toBe(true)
    expect(readdirSync(dir)).toEqual(["ckpt.safetensors"])
    const missing = await Effect.runPromise(Effect.flip(codec.load(join(dir, "nope.safetensors"), goodTree())))
    expect(missing.message).toMatch(/cannot read the checkpoint/)
  })
})

// ---------------------------------------------------------------------------------------------
// Atomic writes

describe("writes are atomic", () => {
  it("a failure in the middle of a write leaves the previous checkpoint and no temporary file", async () => {
    const dir = tmp()
    const path = join(dir, "ckpt.safetensors")
    const v1 = { w: np.arange(1000).astype("float32") }
    await Effect.runPromise(codec.save(path, v1))
    const before = readFileSync(path)
    const big = codec.encodeSafetensors({ w: np.ones([100000]) })
    const e = await Effect.runPromise(
      Effect.flip(
        codec.writeFileAtomic(path, big, {
          chunkSize: 4096,
          afterChunk: (written) => {
            if (written >= 65536) throw new Error("disk full (simulated)")
          }
        })
      )
    )
    expect(e).toBeInstanceOf(CodecError)
    expect(e.message).toMatch(/disk full/)
    expect(readFileSync(path).equals(before)).toBe(true)
    expect(readdirSync(dir)).toEqual(["ckpt.safetensors"])
    expectSameTree(await Effect.runPromise(codec.load(path, v1)), v1)
  })

  it("a process killed in the middle of a write leaves the previous checkpoint readable", async () => {
    const dir = tmp()
    const path = join(dir, "ckpt.safetensors")
    const v1 = { w: np.arange(10).astype("float32") }
    await Effect.runPromise(codec.save(path, v1))
    const before = readFileSync(path)
    const script = fileURLToPath(new URL("./testing/crash-write.ts", import.meta.url))
    const root = fileURLToPath(new URL("../..", import.meta.url))
    const child = spawnSync(process.execPath, ["--import", "tsx", script, path, String(8 << 20), String(1 << 20)], {
      cwd: root,
      encoding: "utf8",
      env: childEnv()
    })
    expect(child.signal).toBe("SIGKILL")
    expect(readFileSync(path).equals(before)).toBe(true)
    expectSameTree(await Effect.runPromise(codec.load(path, v1)), v1)
    // what the crash left is a hidden temporary file, never the checkpoint's name
    const left = readdirSync(dir).filter((f) => f !== "ckpt.safetensors")
    expect(left.length).toBe(1)
    expect(left[0]).toMatch(new RegExp(`^\\.ckpt\\.safetensors\\.${child.pid}\\.[0-9a-f]{12}\\.tmp$`))
    // the next save of the same checkpoint removes it (its writer is gone)
    await Effect.runPromise(codec.save(path, v1))
    expect(readdirSync(dir)).toEqual(["ckpt.safetensors"])
  })

  it("a save removes the stale temporaries of its own target only: from dead writers, or untouched for an hour", async () => {
    const dir = tmp()
    const path = join(dir, "ckpt.safetensors")
    await Effect.runPromise(codec.save(path, { w: np.zeros([2]) }))
    const dead = spawnSync(process.execPath, ["-e", ""]).pid // a process that has exited
    const names = {
      deadWriter: `.ckpt.safetensors.${dead}.0123456789ab.tmp`,
      liveWriter: `.ckpt.safetensors.${process.pid}.aaaaaaaaaaaa.tmp`,
      liveButOld: `.ckpt.safetensors.${process.pid}.bbbbbbbbbbbb.tmp`,
      otherTarget: `.other.safetensors.${dead}.cccccccccccc.tmp`,
      notOurs: `.ckpt.safetensors.${dead}.xyz.tmp`,
      unrelated: ".ckpt.safetensors.bak"
    }
    for (const n of Object.values(names)) writeFileSync(join(dir, n), "partial")
    const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000)
    utimesSync(join(dir, names.liveButOld), twoHoursAgo, twoHoursAgo)
    await Effect.runPromise(codec.save(path, { w: np.ones([2]) }))
    expect(readdirSync(dir).sort()).toEqual(["ckpt.safetensors", names.liveWriter, names.otherTarget, names.notOurs, names.unrelated].sort())
    expect([...(await Effect.runPromise(codec.load(path, { w: np.zeros([2]) }))).w.data()]).toEqual([1, 1])
    // the threshold is an option; the function is public
    expect(await Effect.runPromise(codec.removeStaleTemporaries(path, 0))).toEqual([names.liveWriter])
    expect(readdirSync(dir).sort()).toEqual(["ckpt.safetensors", names.otherTarget, names.notOurs, names.unrelated].sort())
  })

  it("a successful save replaces the previous checkpoint", async () => {
    const dir = tmp()
    const path = join(dir, "ckpt.json")
    await Effect.runPromise(codec.save(path, { w: np.zeros([2]) }))
    await Effect.runPromise(codec.save(path, { w: np.ones([2]) }))
    expect([...(await Effect.runPromise(codec.load(path, { w: np.zeros([2]) }))).w.data()]).toEqual([1, 1])
    expect(readdirSync(dir)).toEqual(["ckpt.json"])
  })
})

describe("io-ts schemas bridged into CodecError", () => {
  it("decodeWith reports the failing path", () => {
    const e = failure(codec.decodeWith(t.type({ shape: t.array(t.number) }), { shape: ["x"] }, "a record"))
    expect(e.message).toMatch(/a record does not match its schema: Invalid value "x" supplied to .*\/shape/)
    expect(Result.isSuccess(codec.decodeWith(codec.Metadata, { a: "b" }, "m"))).toBe(true)
  })
})
