/**
 * FFT benchmarks (issue 13): np.fft.rfft of 2^20 float32 samples and of the prime length
 * 2^20 + 7, jaxfx (eager, CPU device 0) against @jax-js/jax (wasm) in the same run. jaxfx's CPU routine is mixed-radix Stockham
 * (radix 4 for 2^20) and Bluestein's chirp-z over a 5-smooth length for the prime. @jax-js/jax
 * factors lengths into 4, 2, 3, 5, 7 and other primes, each radix a direct butterfly: a prime
 * length is one O(n^2) DFT, so at 2^20 + 7 it is timed at the small prime 4099 instead and the
 * row says so.
 */
import * as jaxjs from "@jax-js/jax"
import { np } from "../index.js"
import { type Row, time, timeAsync } from "./harness.js"

type JsArray = ReturnType<typeof jaxjs.numpy.array>

const samples = (n: number): Float32Array => {
  const x = new Float32Array(n)
  let s = 1
  for (let i = 0; i < n; i++) {
    s = (s * 16807) % 2147483647
    x[i] = s / 2147483647 - 0.5
  }
  return x
}

export const fftBench = async (): Promise<Row[]> => {
  const rows: Row[] = []
  await jaxjs.init("wasm")
  jaxjs.defaultDevice("wasm")
  const peerRfft = async (x: Float32Array, opts: { reps: number; warmup: number }): Promise<number> => {
    const jx = jaxjs.numpy.array(x)
    const t = await timeAsync(async () => {
      const out = jaxjs.numpy.fft.rfft(jx.ref) as { real: JsArray; imag: JsArray }
      await out.real.data()
      await out.imag.data()
    }, opts)
    jx.dispose()
    return t
  }
  const opts = { reps: 5, warmup: 1 }
  for (const [label, n, peerN] of [
    ["rfft 2^20 f32", 2 ** 20, 2 ** 20],
    ["rfft 2^20+7 (prime) f32", 2 ** 20 + 7, 4099]
  ] as const) {
    const x = samples(n)
    const xa = np.array(x)
    const t = time(() => void np.fft.rfft(xa).blockUntilReady(), opts)
    rows.push({ bench: label, what: "jaxfx ms", value: t.toFixed(1) })
    const tj = await peerRfft(peerN === n ? x : samples(peerN), peerN === n ? opts : { reps: 3, warmup: 1 })
    if (peerN === n) {
      rows.push({ bench: label, what: "@jax-js/jax (wasm) ms", value: tj.toFixed(1) })
      rows.push({ bench: label, what: "@jax-js/jax / jaxfx", value: (tj / t).toFixed(2) })
    } else {
      const small = np.array(samples(peerN))
      const tSmall = time(() => void np.fft.rfft(small).blockUntilReady(), opts)
      rows.push({ bench: label, what: `@jax-js/jax (wasm) ms at n=${peerN} (O(n^2) at a prime; not run at 2^20+7)`, value: tj.toFixed(1) })
      rows.push({ bench: label, what: `jaxfx ms at n=${peerN}`, value: tSmall.toFixed(2) })
      rows.push({ bench: label, what: `@jax-js/jax / jaxfx at n=${peerN}`, value: (tj / tSmall).toFixed(2) })
    }
  }
  return rows
}
