import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { type Array, CodecError, np } from "../../index.js"
import * as codec from "./index.js"

// Written by the reference implementation: Python `safetensors.numpy.save` (safetensors 0.8.0) of
// {"h": float16[1, -0, 65504, inf, 6e-8, 0.1], "b": bfloat16[1.5, 0.1, -3e38] (ml_dtypes),
//  "i8": int8[-128, 127, 0], "u8": uint8[255, 0, 7], "i16": int16[-32768, 32767], "u16": uint16[65535, 1]},
// metadata {"format": "np"}.
const reference = Buffer.from(
  "cAEAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJmb3JtYXQiOiJucCJ9LCJiIjp7ImR0eXBlIjoiQkYxNiIsInNoYXBlIjpbM10sImRhdGFfb2Zmc2V0cyI6WzAsNl19LCJoIjp7ImR0eXBlIjoiRjE2Iiwic2hhcGUiOls2XSwiZGF0YV9vZmZzZXRzIjpbNiwxOF19LCJ1MTYiOnsiZHR5cGUiOiJVMTYiLCJzaGFwZSI6WzJdLCJkYXRhX29mZnNldHMiOlsxOCwyMl19LCJpMTYiOnsiZHR5cGUiOiJJMTYiLCJzaGFwZSI6WzJdLCJkYXRhX29mZnNldHMiOlsyMiwyNl19LCJpOCI6eyJkdHlwZSI6Ikk4Iiwic2hhcGUiOlszXSwiZGF0YV9vZmZzZXRzIjpbMjYsMjldfSwidTgiOnsiZHR5cGUiOiJVOCIsInNoYXBlIjpbM10sImRhdGFfb2Zmc2V0cyI6WzI5LDMyXX19ICAgIMA/zT1i/wA8AID/ewB8AQBmLv//AQAAgP9/gH8A/wAH",
  "base64"
)
const tree = (): Record<string, Array> => ({
  h: np.array([1, -0, 65504, Infinity, 6e-8, 0.1], { dtype: "float16" }),
  b: np.array([1.5, 0.1, -3e38], { dtype: "bfloat16" }),
  i8: np.array([-128, 127, 0], { dtype: "int8" }),
  u8: np.array([255, 0, 7], { dtype: "uint8" }),
  i16: np.array([-32768, 32767], { dtype: "int16" }),
  u16: np.array([65535, 1], { dtype: "uint16" })
})

describe("safetensors F16, BF16, I8, U8, I16, U16 both ways", () => {
  it("reads the reference implementation's file and writes the same bytes", () => {
    const r = codec.decodeSafetensors(new Uint8Array(reference), tree())
    if (!Result.isSuccess(r)) return expect.fail(r.failure.message)
    for (const [k, want] of Object.entries(tree())) {
      const got = r.success[k]!
      expect(got.dtype).toBe(want.dtype)
      expect([...got.data()].map((v) => (Object.is(v, -0) ? "-0" : v))).toEqual([...want.data()].map((v) => (Object.is(v, -0) ? "-0" : v)))
    }
    const ours = codec.encodeSafetensors(tree(), { metadata: { format: "np" } })
    expect(Buffer.from(ours).equals(reference)).toBe(true)
  })
  it("a float16 NaN word with a payload reads as NaN and writes back as a float16 NaN", () => {
    const bytes = new Uint8Array(reference)
    // The first float16 of "h" (1.0 = 0x3c00) becomes a NaN with a payload, 0x7e01.
    const at = 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true)) + 6
    bytes[at] = 0x01
    bytes[at + 1] = 0x7e
    const r = codec.decodeSafetensors(bytes, tree())
    if (!Result.isSuccess(r)) return expect.fail(r.failure.message)
    expect(Number.isNaN(r.success.h!.data()[0]!)).toBe(true)
    const again = codec.encodeSafetensors(r.success, { metadata: { format: "np" } })
    expect(again.length).toBe(bytes.length)
    const w = again[at]! | (again[at + 1]! << 8)
    expect((w & 0x7c00) === 0x7c00 && (w & 0x3ff) !== 0).toBe(true)
  })
  it("a template dtype that differs from the file's is a CodecError naming both", () => {
    const wrong = { ...tree(), h: np.zeros([6], { dtype: "float32" }) }
    const r = codec.decodeSafetensors(new Uint8Array(reference), wrong)
    expect(Result.isFailure(r) && r.failure).toBeInstanceOf(CodecError)
    expect(Result.isFailure(r) && r.failure.message).toMatch(/"h": expected float32\[6\], found float16\[6\]/)
  })
})

describe("hostile dtype names", () => {
  it("an entry whose dtype is an inherited property name is an unknown dtype (CodecError)", () => {
    const header = JSON.stringify({ x: { dtype: "constructor", shape: [1], data_offsets: [0, 2] } })
    const pad = " ".repeat((8 - (header.length % 8)) % 8)
    const h = new TextEncoder().encode(header + pad)
    const bytes = new Uint8Array(8 + h.length + 2)
    new DataView(bytes.buffer).setBigUint64(0, BigInt(h.length), true)
    bytes.set(h, 8)
    const r = codec.parseSafetensors(bytes)
    expect(Result.isFailure(r) && r.failure).toBeInstanceOf(CodecError)
    expect(Result.isFailure(r) && r.failure.message).toMatch(/unknown dtype "constructor"/)
  })
})
