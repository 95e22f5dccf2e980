/** complex64 and lax.fft on the WebGPU device (complex.ts, fft.ts), against the CPU, eager and jitted. */
import { describe, expect, it } from "vitest"
import { type Array, devicePut, jit, lax, np } from "../../index.js"
import { cpu, webgpuForTests } from "./test-helpers.js"

const gpu = await webgpuForTests()

/** Within float32 tolerance of the CPU: relative to the largest magnitude of the expected values. */
const expectClose = async (got: Array, want: Array, rtol = 3e-5): Promise<void> => {
  expect(got.device.platform).toBe("webgpu")
  expect(got.shape).toEqual(want.shape)
  expect(got.dtype).toBe(want.dtype)
  const g = await got.dataAsync()
  const w = await want.dataAsync()
  expect(g.length).toBe(w.length)
  const scale = Math.max(1, ...globalThis.Array.from(w, (v) => Math.abs(Number(v))))
  for (let i = 0; i < w.length; i++) expect(Math.abs(Number(g[i]) - Number(w[i])), `word ${i}: ${g[i]} vs ${w[i]}`).toBeLessThanOrEqual(rtol * scale)
}

const ramp = (shape: ReadonlyArray<number>, k: number): Array => {
  const n = shape.reduce((a, b) => a * b, 1)
  return np
    .array(
      globalThis.Array.from({ length: n }, (_, i) => Math.sin(1.3 * i + k) + 0.25 * ((i * 7 + k) % 5)),
      { dtype: "float32" }
    )
    .reshape([...shape])
}

describe.skipIf(gpu === undefined)("complex64 and fft on the WebGPU device", { timeout: 180_000 }, () => {
  it("complex arithmetic, real, imag, conj and abs agree with the CPU (eager and jit)", async () => {
    const f = (a: Array, b: Array): Array[] => {
      const z = lax.complex(a, b)
      const w = z
        .mul(np.conj(z))
        .add(np.exp(z))
        .div(z.add(lax.complex(2, 1)))
      return [w, np.real(w), np.imag(z.mul(z)), np.abs(w), np.conj(w).sum()]
    }
    const a = ramp([2, 3], 0)
    const b = ramp([2, 3], 1)
    const want = f(devicePut(a, cpu()), devicePut(b, cpu()))
    const ga = devicePut(a, gpu!)
    const gb = devicePut(b, gpu!)
    const eager = f(ga, gb)
    const jitted = jit(f)(ga, gb)
    for (let k = 0; k < want.length; k++) {
      await expectClose(eager[k]!, want[k]!)
      await expectClose(jitted[k]!, want[k]!)
    }
    // a complex array moved to the GPU and back keeps its values
    const z = lax.complex(a, b)
    await expectClose(devicePut(z, gpu!).mul(1), z)
  })

  it("fft, ifft, rfft, irfft (powers of two, Bluestein lengths, several axes) agree with the CPU", async () => {
    const cases: ReadonlyArray<readonly [string, (x: Array, y: Array) => Array]> = [
      ["fft 8", (x, y) => np.fft.fft(lax.complex(x, y))],
      ["fft 6 (Bluestein)", (x, y) => np.fft.fft(lax.complex(x, y).reshape([4, 6]))],
      ["ifft 5 along axis 0", (x, y) => np.fft.ifft(lax.sliceInDim(lax.complex(x, y).reshape([6, 4]), 0, 5), { axis: 0 })],
      ["fft2 [4, 6]", (x, y) => np.fft.fft2(lax.complex(x, y).reshape([4, 6]))],
      ["ifftn [2, 3, 4]", (x, y) => np.fft.ifftn(lax.complex(x, y).reshape([2, 3, 4]))],
      ["rfft 8", (x) => np.fft.rfft(x.reshape([3, 8]))],
      ["rfft 7 (Bluestein)", (x) => np.fft.rfft(lax.sliceInDim(x, 0, 21).reshape([3, 7]))],
      ["irfft 8", (x, y) => np.fft.irfft(lax.sliceInDim(lax.complex(x, y).reshape([4, 6]), 0, 5, 1, 1), { n: 8 })],
      ["irfft 7", (x, y) => np.fft.irfft(lax.sliceInDim(lax.complex(x, y).reshape([4, 6]), 0, 4, 1, 1), { n: 7 })],
      ["rfft2 and irfft2 [4, 6]", (x) => np.fft.irfft2(np.fft.rfft2(x.reshape([4, 6])), { s: [4, 6] })],
      ["fft 1", (x, y) => np.fft.fft(lax.complex(x, y).reshape([24, 1]))]
    ]
    const x = ramp([24], 0)
    const y = ramp([24], 2)
    for (const [name, f] of cases) {
      const want = f(devicePut(x, cpu()), devicePut(y, cpu()))
      const got = jit(f)(devicePut(x, gpu!), devicePut(y, gpu!))
      try {
        await expectClose(got, want)
        await expectClose(f(devicePut(x, gpu!), devicePut(y, gpu!)), want)
      } catch (e) {
        throw new Error(`${name}: ${String(e)}`)
      }
    }
  })

  it("a longer Bluestein line (n = 50) stays within float32 tolerance", async () => {
    const x = ramp([50], 3)
    const f = (v: Array) => np.fft.fft(lax.complex(v, v.mul(0.5)))
    await expectClose(jit(f)(devicePut(x, gpu!)), f(devicePut(x, cpu())), 2e-5 * 10)
  })
})
