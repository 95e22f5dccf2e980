/**
 * The blocked WebAssembly float32 dot against float64 references: the kernel directly (lengths
 * around block and chunk edges, offsets, one array as both operands, special values), and through
 * np.dot / np.matmul / vmap / jit. Tolerance: a float64 sum rounded once to float32, so
 * |error| <= 2^-24 |sum| (the rounding) + 2^-40 sum_k |a_k b_k| (the float64 sum, with a margin).
 */
import { afterEach, describe, expect, it } from "vitest"
import { type Array, jit, np, vmap } from "../../../index.js"
import { randomF32 } from "../test-helpers.js"
import { wasmVdotPolicy } from "./index.js"
import { CHUNK, GROUP, wasmVdot } from "./vdot.js"

afterEach(() => {
  wasmVdotPolicy.enabled = true
})

/** sum a_k b_k in float64 (products of float32 are exact; the sum's error is far below float32's). */
const ref = (a: Float32Array, b: Float32Array, ao = 0, bo = 0, K = a.length - ao): { sum: number; scale: number } => {
  let sum = 0
  let scale = 0
  for (let k = 0; k < K; k++) {
    const p = a[ao + k]! * b[bo + k]!
    sum += p
    scale += Math.abs(p)
  }
  return { sum, scale }
}

const expectDot = (got: number, want: { sum: number; scale: number }): void => {
  const err = Math.abs(got - want.sum)
  const bound = 2 ** -40 * want.scale + Math.abs(want.sum) * 2 ** -24 + 1e-30
  if (!(err <= bound)) expect.fail(`got ${got}, want ${want.sum} (scale ${want.scale}): error ${err} > ${bound}`)
}

const kernel = wasmVdot()

describe.skipIf(kernel === null)("wasm vdot kernel", () => {
  it("matches float64 sums for lengths around block and chunk edges, at any offsets", () => {
    const a = randomF32(3 * CHUNK + 700, 1)
    const b = randomF32(3 * CHUNK + 700, 2)
    for (const K of [0, 1, 3, 15, 16, 17, GROUP - 1, GROUP, GROUP + 1, 5 * GROUP + 3, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + GROUP + 7, 3 * CHUNK + 600]) {
      for (const [ao, bo] of [
        [0, 0],
        [1, 5],
        [7, 3]
      ] as const) {
        const got = kernel!.run(a, ao, b, bo, K)
        expectDot(Math.fround(got), ref(a, b, ao, bo, K))
      }
    }
  })
  it("one array as both operands (one copy) equals two equal arrays", () => {
    const a = randomF32(CHUNK + 333, 3)
    expect(kernel!.run(a, 0, a, 0, a.length)).toBe(kernel!.run(a, 0, a.slice(), 0, a.length))
    expect(kernel!.run(a, 2, a, 0, a.length - 2)).toBe(kernel!.run(a.slice(), 2, a, 0, a.length - 2))
  })
  it("NaN and infinities propagate in whole blocks and in the float64 tail; zeros give zero", () => {
    const n = 20 * GROUP + 10
    for (const at of [0, 17, 100, n - 1]) {
      const a = new Float32Array(n).fill(1)
      a[at] = NaN
      expect(kernel!.run(a, 0, a, 0, n)).toBeNaN()
      a[at] = Infinity
      expect(kernel!.run(a, 0, new Float32Array(n).fill(1), 0, n)).toBe(Infinity)
      a[at] = -Infinity
      expect(kernel!.run(a, 0, new Float32Array(n).fill(1), 0, n)).toBe(-Infinity)
    }
    expect(kernel!.run(new Float32Array(n), 0, new Float32Array(n).fill(-0), 0, n)).toBe(0)
  })
  it("exact integers are summed exactly", () => {
    const a = Float32Array.from({ length: CHUNK + 999 }, (_, i) => (i % 7) - 3)
    const b = Float32Array.from({ length: CHUNK + 999 }, (_, i) => (i % 5) - 2)
    expect(kernel!.run(a, 0, b, 0, a.length)).toBe(ref(a, b).sum)
  })
})

describe("long float32 dot products through the API", () => {
  const K = 5000
  const ah = randomF32(3 * K, 4)
  const bh = randomF32(K, 5)
  it("np.dot of vectors and matrix-vector products agree with float64, with and without the kernel", () => {
    const a = np.asarray(ah.subarray(0, K))
    const b = np.asarray(bh)
    const want = ref(ah, bh, 0, 0, K)
    expectDot(np.dot(a, b).item(), want)
    wasmVdotPolicy.enabled = false
    expectDot(np.dot(a, b).item(), want)
    wasmVdotPolicy.enabled = true
    const m = np.asarray(ah).reshape([3, K])
    const mv = np.matmul(m, b).data()
    for (let i = 0; i < 3; i++) expectDot(mv[i]!, ref(ah, bh, i * K, 0, K))
  })
  it("vmap and jit of a vector dot give the per-example bits", () => {
    const m = np.asarray(ah).reshape([3, K])
    const b = np.asarray(bh)
    const dot = (x: Array, y: Array): Array => np.dot(x, y)
    const batched = [...vmap(dot, { inAxes: [0, null] })(m, b).data()]
    const jitted = [...jit(vmap(dot, { inAxes: [0, null] }))(m, b).data()]
    const each = [0, 1, 2].map((i) => np.dot(m.index(i), b).item())
    expect(batched).toEqual(each)
    expect(jitted).toEqual(each)
  })
})
