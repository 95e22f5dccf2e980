/**
 * The fused kernels' float32 exp returns Math.fround(Math.exp(x)) bit for bit (it falls back to
 * Math.exp near float32 rounding boundaries). All 2.2e9 float32 inputs in [-104, 88.5] were
 * checked once offline; this samples them, plus the edges.
 */
import { describe, expect, it } from "vitest"
import { exp32, expm132, logistic32, tanh32 } from "./fastmath.js"
import { rng } from "./test-util.js"

describe("float32 exp", () => {
  it("equals Math.fround(Math.exp(x)) on 2e6 sampled float32 inputs and the edges", () => {
    const bits = new Uint32Array(1)
    const f = new Float32Array(bits.buffer)
    const r = rng(99)
    let bad = 0
    const check = (x: number): void => {
      if (!Object.is(exp32(x), Math.fround(Math.exp(x)))) bad++
    }
    for (let i = 0; i < 2_000_000; i++) {
      bits[0] = Math.floor(r() * 4294967296)
      check(f[0]!)
    }
    for (const x of [0, -0, 1, -1, 88.5, 88.49, 88.72, 88.73, -87.33, -103.97, -104, -104.5, 1e-30, -1e-30, Infinity, -Infinity, NaN, 0.5, Math.LN2]) {
      check(Math.fround(x))
    }
    for (let i = -2000; i <= 2000; i++) check(Math.fround(i * 0.0443))
    expect(bad).toBe(0)
  })

  it("expm1 equals Math.fround(Math.expm1(x)) on 1e6 sampled float32 inputs, a sweep of [-20, 20] and the edges", () => {
    const bits = new Uint32Array(1)
    const f = new Float32Array(bits.buffer)
    const r = rng(17)
    let bad = 0
    const check = (x: number): void => {
      if (!Object.is(expm132(x), Math.fround(Math.expm1(x)))) bad++
    }
    for (let i = 0; i < 1_000_000; i++) {
      bits[0] = Math.floor(r() * 4294967296)
      check(f[0]!)
    }
    const edges = [0, -0, 1e-45, -1e-45, 1e-30, -1e-30, 1e-8, -1e-8, 0.3466, -0.3466, 0.34659, -0.34659, 0.3467, -0.3467, 1, -1]
    for (const x of [...edges, 88.5, 88.49, 88.72, 88.73, -87.33, -103.97, -104, -104.5, -17.33, -17.34, Infinity, -Infinity, NaN]) check(Math.fround(x))
    for (let i = -400_000; i <= 400_000; i++) check(Math.fround(i * 0.00005))
    expect(bad).toBe(0)
  })

  const formulas: ReadonlyArray<[string, (x: number) => number, (x: number) => number]> = [
    ["logistic", logistic32, (x) => Math.fround(1 / (1 + Math.exp(-x)))],
    ["tanh", tanh32, (x) => Math.fround(Math.tanh(x))]
  ]
  it.each(formulas)("%s equals its JS formula rounded to float32 on 5e5 sampled float32 inputs, a sweep of [-60, 60] and the edges", (_name, fast, want) => {
    const bits = new Uint32Array(1)
    const f = new Float32Array(bits.buffer)
    const r = rng(23)
    let bad = 0
    const check = (x: number): void => {
      if (!Object.is(fast(x), want(x))) bad++
    }
    for (let i = 0; i < 500_000; i++) {
      bits[0] = Math.floor(r() * 4294967296)
      check(f[0]!)
    }
    const edges = [0, -0, 1e-45, -1e-45, 1e-30, -1e-30, 0.1733, -0.1733, 0.17331, -0.17331, 1, -1, 9.01, -9.01, 17, -17]
    for (const x of [...edges, 44.25, -52, 88.5, -88.5, 104, -104, 103.9, Infinity, -Infinity, NaN]) check(Math.fround(x))
    for (let i = -300_000; i <= 300_000; i++) check(Math.fround(i * 0.0002))
    expect(bad).toBe(0)
  })
})
