import { describe, expect, it } from "vitest"
import { type Array, jit, lax, makeJaxpr, np, ValueError, vmap } from "../../../index.js"

/** A float64 DFT of complex values given as [re, im] lists (the reference; dir -1 forward). */
const dft = (re: ReadonlyArray<number>, im: ReadonlyArray<number>, dir: number): number[] => {
  const n = re.length
  const out: number[] = []
  for (let k = 0; k < n; k++) {
    let sr = 0
    let si = 0
    for (let j = 0; j < n; j++) {
      const a = (2 * Math.PI * ((j * k) % n)) / n
      const c = Math.cos(a)
      const s = dir * Math.sin(a)
      sr += re[j]! * c - im[j]! * s
      si += re[j]! * s + im[j]! * c
    }
    out.push(sr, si)
  }
  return out
}
const values = (n: number, seed: number): number[] => globalThis.Array.from({ length: n }, (_, i) => Math.sin(seed * (i + 1) * 1.7) + 0.25 * Math.cos(i * i))
const maxErr = (got: ArrayLike<number>, want: ReadonlyArray<number>): number => {
  expect(got.length).toBe(want.length)
  let e = 0
  for (let i = 0; i < want.length; i++) e = Math.max(e, Math.abs(got[i]! - want[i]!))
  return e / Math.max(1, ...want.map(Math.abs))
}

describe("np.fft in complex128 (x64) against a float64 DFT", () => {
  it.each([12, 97, 1009])("n=%i: fft, ifft and rfft", (n) => {
    const re = values(n, 1)
    const im = values(n, 2)
    const z = lax.complex(np.array(re, { dtype: "float64" }), np.array(im, { dtype: "float64" }))
    const y = np.fft.fft(z)
    expect(y.dtype).toBe("complex128")
    expect(maxErr(y.data(), dft(re, im, -1))).toBeLessThan(1e-13)
    expect(maxErr(np.fft.ifft(z, { norm: "forward" }).data(), dft(re, im, 1))).toBeLessThan(1e-13)
    const r = np.fft.rfft(np.array(re, { dtype: "float64" }))
    expect(r.dtype).toBe("complex128")
    expect(
      maxErr(
        r.data(),
        dft(
          re,
          re.map(() => 0),
          -1
        ).slice(0, 2 * (Math.floor(n / 2) + 1))
      )
    ).toBeLessThan(1e-13)
  })
})

describe("np.fft under jit and vmap", () => {
  const x = np.array(values(24, 3), { dtype: "float32" }).reshape([4, 6])
  it("jit gives the eager values", () => {
    const f = (a: Array) => np.fft.irfft(np.fft.rfft2(a, { norm: "ortho" }).mul(2), { n: 6 })
    expect(globalThis.Array.from(jit(f)(x).data())).toEqual(globalThis.Array.from(f(x).data()))
  })
  it("vmap over the leading axis is the per-row transform", () => {
    const rows = vmap((r: Array) => np.fft.fft(r, { n: 8 }))(x)
    for (let i = 0; i < 4; i++) expect(globalThis.Array.from(rows.index(i).data())).toEqual(globalThis.Array.from(np.fft.fft(x.index(i), { n: 8 }).data()))
  })
  it("prints JAX's equation", () => {
    expect(makeJaxpr((a: Array) => lax.fft(a, "RFFT", [6]))(x).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[4,6]. let b:c64[4,4] = fft[fft_lengths=(6,) fft_type=2] a in (b,) }"
    )
  })
})

describe("np.fft and lax.fft refuse bad arguments with errors that say what to do", () => {
  const x = np.ones([2, 3])
  it.each([
    ["an unknown norm", () => np.fft.fft(x, { norm: "orth" as never }), /unknown norm "orth" \(did you mean "ortho"\?\)/],
    ["repeated axes", () => np.fft.fftn(x, { axes: [0, -2] }), /does not support repeated axes/],
    ["s and axes of different lengths", () => np.fft.fftn(x, { s: [2], axes: [0, 1] }), /one length per axis/],
    ["a non-positive length", () => np.fft.rfftn(x, { s: [0, 2] }), /positive integer/],
    ["fft2 with three axes", () => np.fft.fft2(np.ones([2, 2, 2]), { axes: [0, 1, 2] }), /only supports 2 axes/],
    ["an unknown lax.fft type", () => lax.fft(x, "DCT" as never, [3]), /unknown FFT type "DCT"/],
    ["a complex operand for RFFT", () => lax.fft(lax.complex(x, x), "RFFT", [3]), /real operands only/]
  ])("%s", (_l, f, message) => {
    expect(f).toThrow(ValueError)
    expect(f).toThrow(message)
  })
})
