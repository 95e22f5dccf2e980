import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { type Array, lax, np } from "../../index.js"
import * as codec from "./index.js"

// Written by the reference implementation: Python `safetensors.numpy.save` (safetensors 0.8.0) of
// {"z": complex64[1+2j, 3-4j, nan+0j], "f": float32[1.5, -2], "d": float64[0.25]}, metadata {"format": "np"}.
const reference = Buffer.from(
  "yAAAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJmb3JtYXQiOiJucCJ9LCJkIjp7ImR0eXBlIjoiRjY0Iiwic2hhcGUiOlsxXSwiZGF0YV9vZmZzZXRzIjpbMCw4XX0sInoiOnsiZHR5cGUiOiJDNjQiLCJzaGFwZSI6WzNdLCJkYXRhX29mZnNldHMiOls4LDMyXX0sImYiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzJdLCJkYXRhX29mZnNldHMiOlszMiw0MF19fSAgICAgIAAAAAAAANA/AACAPwAAAEAAAEBAAACAwAAAwH8AAAAAAADAPwAAAMA=",
  "base64"
)
const tree = (): Record<string, Array> => ({
  z: np.array(
    [
      { re: 1, im: 2 },
      { re: 3, im: -4 },
      { re: NaN, im: 0 }
    ],
    { dtype: "complex64" }
  ),
  f: np.array([1.5, -2], { dtype: "float32" }),
  d: np.array([0.25], { dtype: "float64" })
})

describe("safetensors C64 both ways", () => {
  it("reads the reference implementation's file and writes the same bytes", () => {
    const r = codec.decodeSafetensors(new Uint8Array(reference), tree())
    if (!Result.isSuccess(r)) return expect.fail(r.failure.message)
    expect(r.success.z!.dtype).toBe("complex64")
    expect([...r.success.z!.data()]).toEqual([1, 2, 3, -4, NaN, 0])
    expect(Buffer.from(codec.encodeSafetensors(tree(), { metadata: { format: "np" } }))).toEqual(reference)
  })

  it("refuses complex128 (safetensors has no such dtype) and truncated complex data with a CodecError", () => {
    const z128 = lax.complex(np.array([1], { dtype: "float64" }), np.array([2], { dtype: "float64" }))
    expect(() => codec.encodeSafetensors({ z: z128 })).toThrow(/no complex128 dtype.*complex64/)
    // A C64 entry whose data_offsets cover 20 bytes for 3 elements (24 needed).
    const header = JSON.stringify({ z: { dtype: "C64", shape: [3], data_offsets: [0, 20] } })
    const bytes = new Uint8Array(8 + header.length + 20)
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true)
    bytes.set(new TextEncoder().encode(header), 8)
    const r = codec.decodeSafetensors(bytes, { z: np.zeros([3], { dtype: "complex64" }) })
    expect(Result.isFailure(r) && r.failure._tag).toBe("CodecError")
  })
})
