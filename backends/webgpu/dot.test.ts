/** dot_general on the WebGPU device (tiled, shapes not multiples of the tile) against the CPU and float64. */
import { describe, expect, it } from "vitest"
import { type Array, devicePut, jit, lax, np } from "../../index.js"
import { cpu, expectCloseToCpu, webgpuForTests } from "./test-helpers.js"

const gpu = await webgpuForTests()

const matrix = (shape: number[], seed: number) => {
  const n = shape.reduce((a, b) => a * b, 1)
  return np
    .array(
      globalThis.Array.from({ length: n }, (_, i) => Math.sin(i * 0.731 + seed) * 2),
      { dtype: "float32" }
    )
    .reshape(shape)
}

describe.skipIf(gpu === undefined)("WebGPU dot_general agrees with the CPU", { timeout: 120_000 }, () => {
  it("a matmul with odd shapes, eager and jitted, also against a float64 product", async () => {
    const a = matrix([37, 19], 1)
    const b = matrix([19, 23], 2)
    const want = np.matmul(devicePut(a, cpu()), devicePut(b, cpu()))
    const got = np.matmul(devicePut(a, gpu!), devicePut(b, gpu!))
    await expectCloseToCpu(got, want, 1e-5, 1e-5)
    await expectCloseToCpu(
      jit((x: Array, y: Array) => np.sum(np.tanh(np.matmul(x, y)), { axis: 0 }))(devicePut(a, gpu!), devicePut(b, gpu!)),
      np.sum(np.tanh(want), { axis: 0 }),
      1e-5,
      1e-5
    )
    // the float64 reference, element by element
    const av = await a.dataAsync()
    const bv = await b.dataAsync()
    const g = await got.dataAsync()
    for (const [i, j] of [
      [0, 0],
      [36, 22],
      [17, 5]
    ] as const) {
      let s = 0
      for (let k = 0; k < 19; k++) s += av[i * 19 + k]! * bv[k * 23 + j]!
      expect(Math.abs(g[i * 23 + j]! - s)).toBeLessThan(1e-4)
    }
  })

  it("batched, transposed and vector contractions, int32", async () => {
    const x = matrix([3, 5, 17], 3)
    const y = matrix([3, 17, 9], 4)
    const cases: [(p: Array, q: Array) => Array, Array, Array][] = [
      [(p, q) => np.matmul(p, q), x, y],
      // contract dim 1 of p with dim 1 of q (a transposed operand, addressed in place), batch 0
      [(p, q) => lax.dotGeneral(p, q, { contracting: [[2], [1]], batch: [[0], [0]] }), x, y],
      [(p, q) => lax.dotGeneral(p, q, { contracting: [[1], [1]], batch: [[0], [0]] }), matrix([3, 17, 5], 5), y],
      [(p, q) => np.dot(p, q), matrix([17], 6), matrix([17], 7)],
      [(p, q) => np.matmul(p, q), matrix([4, 17], 8), matrix([17], 9)]
    ]
    for (const [f, p, q] of cases) await expectCloseToCpu(f(devicePut(p, gpu!), devicePut(q, gpu!)), f(devicePut(p, cpu()), devicePut(q, cpu())), 1e-5, 1e-5)
    const ia = np.arange(35).reshape([5, 7]).sub(10)
    const ib = np.arange(21).reshape([7, 3]).mul(3)
    await expectCloseToCpu(np.matmul(devicePut(ia, gpu!), devicePut(ib, gpu!)), np.matmul(devicePut(ia, cpu()), devicePut(ib, cpu())))
  })
})
