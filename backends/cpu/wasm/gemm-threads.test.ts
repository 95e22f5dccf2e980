/**
 * Intra-op threads for the float32 GEMM: a product split by output rows over the calling thread
 * and a helper gives the bits of the one-thread product (transposed operands, row counts that are
 * not multiples of 4, contractions longer than one 256-term chunk); small ones are not split.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Array, config, devicePut, devices, lax, np, random } from "../../../index.js"
import { intraOpPolicy, intraOpStats } from "./gemm-threads.js"

const bits = (x: Array): Buffer => Buffer.from((x.data() as Float32Array).slice().buffer)

const withThreads = <A>(t: number, f: () => A): A => {
  const before = config.read("jaxfxIntraOpThreads")
  config.update("jaxfxIntraOpThreads", t)
  try {
    return f()
  } finally {
    config.update("jaxfxIntraOpThreads", before)
  }
}

const minWork = intraOpPolicy.minWork
// On the calling thread's device (worker devices keep their kernels on one thread).
const here = (x: Array): Array => devicePut(x, devices()[0]!)
const normal = (key: Parameters<typeof random.normal>[0], shape: number[]): Array => here(random.normal(key, shape))

describe("intra-op threads for the float32 GEMM", { timeout: 60_000 }, () => {
  beforeAll(async () => {
    intraOpPolicy.minWork = 4096
    // the helper starts at the first product that could be split, and serves the next ones
    const a = here(np.ones([64, 64]))
    for (let i = 0; i < 200; i++) {
      const before = intraOpStats.split
      withThreads(2, () => np.matmul(a, a).blockUntilReady())
      if (intraOpStats.split > before) return
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error("the GEMM helper thread did not start in 20 s")
  }, 30_000)
  afterAll(() => {
    intraOpPolicy.minWork = minWork
  })

  const k = random.split(random.key(7), 2)
  const cases: Readonly<Record<string, () => Array>> = {
    "A B": () => np.matmul(normal(k[0], [61, 300]), normal(k[1], [300, 45])),
    "A^T B": () => lax.dotGeneral(normal(k[0], [70, 37]), normal(k[1], [70, 90]), { contracting: [[0], [0]], batch: [[], []] }),
    "A B^T": () => lax.dotGeneral(normal(k[0], [33, 520]), normal(k[1], [19, 520]), { contracting: [[1], [1]], batch: [[], []] }),
    "9 rows (8 here, 1 on the helper)": () => np.matmul(normal(k[0], [9, 700]), normal(k[1], [700, 31]))
  }
  for (const [name, make] of Object.entries(cases)) {
    it(`${name}: split over 2 threads, bit for bit the one-thread product`, () => {
      const one = withThreads(1, () => bits(make()))
      const before = intraOpStats.split
      const two = withThreads(2, () => bits(make()))
      expect(intraOpStats.split).toBe(before + 1)
      expect(two.equals(one)).toBe(true)
    })
  }

  it("small products and one thread are not split", () => {
    const before = intraOpStats.split
    withThreads(2, () => np.matmul(here(np.ones([8, 8])), here(np.ones([8, 8]))).blockUntilReady())
    withThreads(1, () => np.matmul(here(np.ones([64, 64])), here(np.ones([64, 64]))).blockUntilReady())
    expect(intraOpStats.split).toBe(before)
  })

  it("the setting takes 1 to 64 threads", () => {
    expect(() => config.update("jaxfxIntraOpThreads", 0)).toThrow(/from 1 to 64/)
    expect(() => config.update("jaxfxIntraOpThreads", 1.5)).toThrow(/from 1 to 64/)
  })
})
