/**
 * Intra-op threads for the float32 GEMM: a product split by output rows (M >= N) or columns
 * (N > M) over the calling thread and one or two helpers gives the bits of the one-thread product
 * (transposed operands, row and column counts that are not multiples of the tile, contractions
 * longer than one 256-term chunk), whether the helpers compute their blocks or the calling thread
 * takes them back; small ones are not split.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { availableParallelism } from "node:os"
import { type Array, config, devicePut, devices, jit, lax, np, random } from "../../../index.js"
import { intraOpPolicy, intraOpStats } from "./gemm-threads.js"
import { wasmDot } from "./index.js"

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
    // the helpers compute their blocks (none taken back by the calling thread), except where a test says
    intraOpPolicy.takeBack = false
    // helpers start at the first product that could be split, and serve the next ones: wait
    // until both of the 3-thread split's helpers take a block (3 blocks: 12 rows, 4 each)
    const a = here(np.ones([12, 12]))
    const b = here(np.ones([12, 400]))
    for (let i = 0; i < 300; i++) {
      const before = intraOpStats.blocks
      withThreads(3, () => np.matmul(b.T, a).blockUntilReady())
      if (intraOpStats.blocks - before === 3) return
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error("the GEMM helper threads did not start in 30 s")
  }, 40_000)
  afterAll(() => {
    intraOpPolicy.takeBack = true
    intraOpPolicy.minWork = minWork
  })

  const k = random.split(random.key(7), 2)
  const cases: Readonly<Record<string, () => Array>> = {
    "A B": () => np.matmul(normal(k[0], [61, 300]), normal(k[1], [300, 45])),
    "A^T B": () => lax.dotGeneral(normal(k[0], [70, 37]), normal(k[1], [70, 90]), { contracting: [[0], [0]], batch: [[], []] }),
    "A B^T": () => lax.dotGeneral(normal(k[0], [33, 520]), normal(k[1], [19, 520]), { contracting: [[1], [1]], batch: [[], []] }),
    "9 rows (8 here, 1 on the helper)": () => np.matmul(normal(k[0], [9, 700]), normal(k[1], [700, 31])),
    "by columns: A B, N > M": () => np.matmul(normal(k[0], [13, 300]), normal(k[1], [300, 75])),
    "by columns: A^T B^T": () => lax.dotGeneral(normal(k[0], [260, 10]), normal(k[1], [41, 260]), { contracting: [[0], [1]], batch: [[], []] }),
    "by columns: 17 columns (16 here, 1 on the helper)": () => np.matmul(normal(k[0], [5, 600]), normal(k[1], [600, 17]))
  }
  for (const [name, make] of Object.entries(cases)) {
    it(`${name}: split over 2 and 3 threads, bit for bit the one-thread product`, () => {
      const one = withThreads(1, () => bits(make()))
      for (const t of [2, 3]) {
        const before = intraOpStats.split
        const many = withThreads(t, () => bits(make()))
        expect(intraOpStats.split).toBe(before + 1)
        expect(many.equals(one)).toBe(true)
      }
    })
  }

  it("operands and result in shared memory are used in place, any mix of them, same bits", () => {
    const [M, N, K] = [30, 70, 280]
    const fill = (n: number, seed: number, shared: boolean): Float32Array => {
      const x = shared ? new Float32Array(new SharedArrayBuffer(4 * (n + 3)), 12, n) : new Float32Array(n)
      let s = seed
      for (let i = 0; i < n; i++) x[i] = (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5
      return x
    }
    const product = (t: number, sa: boolean, sb: boolean, sd: boolean, bT: boolean): Buffer => {
      const A = fill(M * K, 1, sa)
      const B = fill(K * N, 2, sb)
      const out = sd ? new Float32Array(new SharedArrayBuffer(4 * (M * N + 5)), 20, M * N) : new Float32Array(M * N)
      // B^T: the same values read as [N, K]
      withThreads(t, () => expect(wasmDot(out, A, [0, K, 1], B, bT ? [0, 1, K] : [0, N, 1], 1, M, N, K)).toBe(true))
      return Buffer.from(out.slice().buffer)
    }
    for (const bT of [false, true]) {
      const one = product(1, false, false, false, bT)
      for (const [sa, sb, sd] of [
        [true, true, true],
        [true, false, false],
        [false, true, true],
        [false, false, true]
      ] as const) {
        const before = intraOpStats.split
        expect(product(2, sa, sb, sd, bT).equals(one)).toBe(true)
        expect(intraOpStats.split).toBe(before + 1)
      }
    }
  })

  it("blocks taken back from helpers that have not started them give the same bits", () => {
    const make = (): Buffer => bits(np.matmul(normal(k[0], [64, 500]), normal(k[1], [500, 40])))
    const one = withThreads(1, make)
    intraOpPolicy.takeBack = true
    try {
      for (let i = 0; i < 5; i++) expect(withThreads(3, make).equals(one)).toBe(true)
    } finally {
      intraOpPolicy.takeBack = false
    }
  })

  it("under jit, the split product equals the eager one-thread product", () => {
    const [x, w] = [normal(k[0], [40, 300]), normal(k[1], [300, 90])]
    const f = jit((u: Array, v: Array) => np.matmul(u, v))
    const one = withThreads(1, () => bits(np.matmul(x, w)))
    const before = intraOpStats.split
    const two = withThreads(2, () => bits(f(x, w)))
    expect(intraOpStats.split).toBe(before + 1)
    expect(two.equals(one)).toBe(true)
  })

  it("defaults to the machine's cores", () => {
    expect(config.read("jaxfxIntraOpThreads")).toBe(
      process.env.JAXFX_INTRA_OP_THREADS === undefined ? Math.min(64, availableParallelism()) : Number(process.env.JAXFX_INTRA_OP_THREADS)
    )
  })

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
