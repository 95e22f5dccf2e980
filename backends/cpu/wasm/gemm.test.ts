/**
 * The WebAssembly float32 GEMM against float64 references: the kernel directly (every layout it
 * copies in place or packs, edges of every tile size, batches), dot_general through the CPU
 * backend (every operand layout dot.ts produces), and the public API (np.matmul, np.dot,
 * np.einsum, jit, grad). Tolerances: float32 sums of at most 256 terms, combined in float64, so
 * |error| <= 1e-5 * sum_k |a_ik b_kj| with a wide margin.
 */
import { afterEach, describe, expect, it } from "vitest"
import { type Array, grad, jit, lax, np } from "../../../index.js"
import { ShapedArray } from "../../../core/array.js"
import { randomF32, rng, run } from "../test-helpers.js"
import { type StridedF32, WasmGemm, wasmGemm } from "./gemm.js"
import { wasmDot, wasmDotPolicy } from "./index.js"

afterEach(() => {
  wasmDotPolicy.enabled = true
})

/** Expect |got - want| <= tol * scale elementwise (scale: sum of |products| per output). */
const expectClose = (got: ArrayLike<number>, want: ArrayLike<number>, scale: ArrayLike<number>, tol = 1e-5): void => {
  expect(got.length).toBe(want.length)
  let worst = 0
  let at = -1
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i]! - want[i]!) / (scale[i]! + 1e-30)
    if (!(e <= worst)) {
      worst = e
      at = i
    }
  }
  if (!(worst <= tol)) expect.fail(`element ${at}: got ${got[at]}, want ${want[at]} (scale ${scale[at]}), relative error ${worst}`)
}

interface Ref {
  readonly out: Float64Array
  readonly scale: Float64Array
}

/** out[b, i, j] = sum_k A(b, i, k) B(b, k, j) in float64, and sum_k |A B| as the error scale. */
const refStrided = (a: StridedF32, b: StridedF32, nb: number, M: number, N: number, K: number): Ref => {
  const out = new Float64Array(nb * M * N)
  const scale = new Float64Array(nb * M * N)
  for (let bi = 0; bi < nb; bi++) {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0
        let t = 0
        for (let k = 0; k < K; k++) {
          const p = a.data[a.off + bi * a.sB + i * a.s0 + k * a.s1]! * b.data[b.off + bi * b.sB + k * b.s0 + j * b.s1]!
          s += p
          t += Math.abs(p)
        }
        out[(bi * M + i) * N + j] = s
        scale[(bi * M + i) * N + j] = t
      }
    }
  }
  return { out, scale }
}

/** A's strides (batch, M, K) / B's (batch, K, N) for a batch of row-major or transposed matrices. */
const view = (data: Float32Array, rows: number, cols: number, transposed: boolean, batched: boolean): StridedF32 => ({
  data,
  off: 0,
  sB: batched ? rows * cols : 0,
  s0: transposed ? 1 : cols,
  s1: transposed ? rows : 1
})

describe("WasmGemm", () => {
  // operands read in place where possible / always packed by the Wasm packers / packed in JS
  const kernels = [new WasmGemm(undefined, true), new WasmGemm(undefined, false), new WasmGemm(undefined, false, false)]

  it("random shapes 1..70, every transpose layout, operands in place, packed in Wasm, packed in JS", () => {
    const r = rng(11)
    const dim = (): number => 1 + Math.floor(r() * 70)
    let seed = 100
    for (let t = 0; t < 40; t++) {
      const [M, N, K] = [dim(), dim(), dim()]
      const aT = t % 2 === 1
      const bT = t % 4 >= 2
      const a = view(randomF32(M * K, seed++), M, K, aT, false)
      const b = view(randomF32(K * N, seed++), K, N, bT, false)
      const want = refStrided(a, b, 1, M, N, K)
      for (const g of kernels) {
        const out = new Float32Array(M * N)
        g.run(out, 0, a, b, 1, M, N, K)
        expectClose(out, want.out, want.scale)
      }
    }
  })

  it("every edge of the 4 x 8 tile and of the 256-term chunk", () => {
    let seed = 300
    for (const M of [1, 2, 3, 4, 5, 7, 8, 9])
      for (const N of [2, 3, 4, 7, 8, 9, 15, 16, 17])
        for (const K of [1, 255, 256, 257, 600]) {
          const a = view(randomF32(M * K, seed++), M, K, seed % 2 === 0, false)
          const b = view(randomF32(K * N, seed++), K, N, seed % 3 === 0, false)
          const want = refStrided(a, b, 1, M, N, K)
          const out = new Float32Array(M * N)
          kernels[seed % 3]!.run(out, 0, a, b, 1, M, N, K)
          expectClose(out, want.out, want.scale)
        }
  })

  it("batches, with either operand broadcast over the batch (stride 0), into an offset output", () => {
    const [nb, M, N, K] = [3, 9, 13, 31]
    for (const [aB, bB] of [
      [true, true],
      [false, true],
      [true, false]
    ] as const) {
      const a = view(randomF32((aB ? nb : 1) * M * K, 7), M, K, false, aB)
      const b = view(randomF32((bB ? nb : 1) * K * N, 8), K, N, true, bB)
      const want = refStrided(a, b, nb, M, N, K)
      for (const g of kernels) {
        const out = new Float32Array(5 + nb * M * N).fill(-1)
        g.run(out, 5, a, b, nb, M, N, K)
        expect(globalThis.Array.from(out.subarray(0, 5))).toEqual([-1, -1, -1, -1, -1])
        expectClose(out.subarray(5), want.out, want.scale)
      }
    }
  })

  it("strided operands with offsets (a view inside a larger buffer)", () => {
    const [M, N, K] = [6, 10, 20]
    const big = randomF32(4000, 9)
    const a: StridedF32 = { data: big, off: 17, sB: 0, s0: 45, s1: 2 }
    const b: StridedF32 = { data: big, off: 1000, sB: 0, s0: 3, s1: 70 }
    const want = refStrided(a, b, 1, M, N, K)
    for (const g of kernels) {
      const out = new Float32Array(M * N)
      g.run(out, 0, a, b, 1, M, N, K)
      expectClose(out, want.out, want.scale)
    }
  })

  it("blocks of a larger matrix (rows or columns contiguous, row stride past the block) pack like dense operands, same bits", () => {
    // the intra-op split hands each thread such a block; the Wasm packers (or in-place reads)
    // take its row stride, and the result is the dense block's bit for bit
    let seed = 500
    for (const [M, N, K] of [
      [9, 13, 40],
      [5, 37, 300],
      [21, 3, 7]
    ] as const) {
      for (const [aT, bT] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true]
      ] as const) {
        // A (M x K) inside a [M + 3, K + 5] matrix (or its transpose) at row 2 / column 3
        const [aR, aC] = aT ? [K + 5, M + 3] : [M + 3, K + 5]
        const bigA = randomF32(aR * aC, seed++)
        const a: StridedF32 = aT ? { data: bigA, off: 3 * aC + 2, sB: 0, s0: 1, s1: aC } : { data: bigA, off: 2 * aC + 3, sB: 0, s0: aC, s1: 1 }
        const [bR, bC] = bT ? [N + 6, K + 2] : [K + 2, N + 6]
        const bigB = randomF32(bR * bC, seed++)
        const b: StridedF32 = bT ? { data: bigB, off: 4 * bC + 1, sB: 0, s0: 1, s1: bC } : { data: bigB, off: 1 * bC + 4, sB: 0, s0: bC, s1: 1 }
        const dense = (x: StridedF32, rows: number, cols: number): StridedF32 => {
          const d = new Float32Array(rows * cols)
          for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) d[i * cols + j] = x.data[x.off + i * x.s0 + j * x.s1]!
          return { data: d, off: 0, sB: 0, s0: cols, s1: 1 }
        }
        const want = refStrided(a, b, 1, M, N, K)
        const denseOut = new Float32Array(M * N)
        kernels[0]!.run(denseOut, 0, dense(a, M, K), dense(b, K, N), 1, M, N, K)
        for (const g of kernels) {
          const out = new Float32Array(M * N)
          expect(g.run(out, 0, a, b, 1, M, N, K)).toBe(true)
          if (g.wasmPack) expect([g.lastModes.a, g.lastModes.b]).not.toContain("js")
          expectClose(out, want.out, want.scale)
          expect(globalThis.Array.from(out)).toEqual(globalThis.Array.from(denseOut))
        }
      }
    }
  })

  it("long contractions stay accurate: float32 chunks of 256 summed in float64", () => {
    const [M, N, K] = [5, 9, 20_000]
    const a = view(randomF32(M * K, 12, 0, 1), M, K, false, false) // positive: no cancellation
    const b = view(randomF32(K * N, 13, 0, 1), K, N, false, false)
    const want = refStrided(a, b, 1, M, N, K)
    const out = new Float32Array(M * N)
    kernels[0]!.run(out, 0, a, b, 1, M, N, K)
    // a plain float32 running sum of 20000 terms drifts by ~1e-4 relative; chunked stays ~1e-7
    expectClose(out, want.out, want.scale, 1e-6)
  })

  it("reuses its memory across calls and grows it for larger products", () => {
    const g = new WasmGemm()
    const run = (M: number, N: number, K: number): void => {
      const ok = g.run(new Float32Array(M * N), 0, view(randomF32(M * K, 1), M, K, false, false), view(randomF32(K * N, 2), K, N, false, false), 1, M, N, K)
      expect(ok).toBe(true)
    }
    run(64, 64, 64)
    const first = g.memoryBytes
    run(64, 64, 64)
    run(10, 10, 10)
    expect(g.memoryBytes).toBe(first)
    run(300, 300, 300)
    expect(g.memoryBytes).toBeGreaterThan(first)
    expect(g.memoryBytes).toBeGreaterThanOrEqual(g.bytesNeeded(300, 300, 300))
  })

  it("gives the same bits for every layout of the same product (the order of the sums is fixed)", () => {
    const [M, N, K] = [13, 21, 300]
    const a = randomF32(M * K, 20)
    const b = randomF32(K * N, 21)
    const aT = new Float32Array(M * K)
    const bT = new Float32Array(K * N)
    for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) aT[k * M + i] = a[i * K + k]!
    for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) bT[j * K + k] = b[k * N + j]!
    const results = kernels.flatMap((g) =>
      [
        [view(a, M, K, false, false), view(b, K, N, false, false)],
        [view(aT, M, K, true, false), view(bT, K, N, true, false)]
      ].map(([x, y]) => {
        const out = new Float32Array(M * N)
        g.run(out, 0, x!, y!, 1, M, N, K)
        return globalThis.Array.from(out)
      })
    )
    for (const r of results.slice(1)) expect(r).toEqual(results[0])
  })
})

// ---------------------------------------------------------------------------------------------
// dot_general through the CPU backend

interface DN {
  readonly contracting: readonly [number[], number[]]
  readonly batch: readonly [number[], number[]]
}

const strides = (s: ReadonlyArray<number>): number[] => {
  const out = s.map(() => 1)
  for (let i = s.length - 2; i >= 0; i--) out[i] = out[i + 1]! * s[i + 1]!
  return out
}

/** Naive dot_general in float64 (output: batch, lhs free, rhs free), with the error scale. */
const refDot = (x: Float32Array, xs: number[], y: Float32Array, ys: number[], dn: DN): Ref & { shape: number[] } => {
  const [lc, rc] = dn.contracting
  const [lb, rb] = dn.batch
  const lf = xs.map((_, i) => i).filter((i) => !lc.includes(i) && !lb.includes(i))
  const rf = ys.map((_, i) => i).filter((i) => !rc.includes(i) && !rb.includes(i))
  const shape = [...lb.map((d) => xs[d]!), ...lf.map((d) => xs[d]!), ...rf.map((d) => ys[d]!)]
  const cShape = lc.map((d) => xs[d]!)
  const xst = strides(xs)
  const yst = strides(ys)
  const size = (s: ReadonlyArray<number>): number => s.reduce((p, q) => p * q, 1)
  const unravel = (n: number, s: ReadonlyArray<number>): number[] => {
    const idx = s.map(() => 0)
    for (let d = s.length - 1; d >= 0; d--) {
      idx[d] = n % s[d]!
      n = Math.floor(n / s[d]!)
    }
    return idx
  }
  const out = new Float64Array(size(shape))
  const scale = new Float64Array(size(shape))
  for (let o = 0; o < out.length; o++) {
    const idx = unravel(o, shape)
    let xo = 0
    let yo = 0
    lb.forEach((d, k) => (xo += idx[k]! * xst[d]!))
    rb.forEach((d, k) => (yo += idx[k]! * yst[d]!))
    lf.forEach((d, k) => (xo += idx[lb.length + k]! * xst[d]!))
    rf.forEach((d, k) => (yo += idx[lb.length + lf.length + k]! * yst[d]!))
    for (let c = 0; c < size(cShape); c++) {
      const ci = unravel(c, cShape)
      let xi = xo
      let yi = yo
      lc.forEach((d, k) => (xi += ci[k]! * xst[d]!))
      rc.forEach((d, k) => (yi += ci[k]! * yst[d]!))
      const p = x[xi]! * y[yi]!
      out[o] = out[o]! + p
      scale[o] = scale[o]! + Math.abs(p)
    }
  }
  return { out, scale, shape }
}

const dotGeneral = (x: Float32Array, xs: number[], y: Float32Array, ys: number[], dn: DN, outShape: number[]): Float32Array =>
  run(
    "dot_general",
    [
      { buffer: x, aval: new ShapedArray(xs, "float32") },
      { buffer: y, aval: new ShapedArray(ys, "float32") }
    ],
    { dimensionNumbers: dn },
    outShape,
    "float32"
  ) as Float32Array

const checkDot = (xs: number[], ys: number[], dn: DN, seed: number): void => {
  const x = randomF32(
    xs.reduce((p, q) => p * q, 1),
    seed
  )
  const y = randomF32(
    ys.reduce((p, q) => p * q, 1),
    seed + 1
  )
  const want = refDot(x, xs, y, ys, dn)
  expectClose(dotGeneral(x, xs, y, ys, dn, want.shape), want.out, want.scale)
}

const mm = (lc: number, rc: number): DN => ({ contracting: [[lc], [rc]], batch: [[], []] })

describe("dot_general (float32) through the backend", () => {
  it("takes the Wasm kernel for these sizes", () => {
    const x = randomF32(20 * 30, 1)
    const y = randomF32(30 * 40, 2)
    expect(wasmDot(new Float32Array(800), x, [0, 30, 1], y, [0, 40, 1], 1, 20, 40, 30)).toBe(true)
    // tiny products are taken too, so a product rounds the same alone or batched
    expect(wasmDot(new Float32Array(4), x, [0, 2, 1], y, [0, 2, 1], 1, 2, 2, 2)).toBe(true)
    // declined: vector dot, matrix-vector, other dtypes, disabled
    expect(wasmDot(new Float32Array(1), x, [0, 30, 1], y, [0, 1, 1], 1, 1, 1, 30)).toBe(false)
    expect(wasmDot(new Float32Array(20), x, [0, 30, 1], y, [0, 1, 1], 1, 20, 1, 30)).toBe(false)
    expect(wasmDot(new Float64Array(800), Float64Array.from(x), [0, 30, 1], Float64Array.from(y), [0, 40, 1], 1, 20, 40, 30)).toBe(false)
    wasmDotPolicy.enabled = false
    expect(wasmDot(new Float32Array(800), x, [0, 30, 1], y, [0, 40, 1], 1, 20, 40, 30)).toBe(false)
  })

  it("all four transpose layouts on random shapes up to 70", () => {
    const r = rng(5)
    const dim = (): number => 2 + Math.floor(r() * 69)
    for (let t = 0; t < 24; t++) {
      const [M, N, K] = [dim(), dim(), dim()]
      const [lc, rc] = [t % 2, (t >> 1) % 2 === 0 ? 0 : 1]
      checkDot(lc === 1 ? [M, K] : [K, M], rc === 0 ? [K, N] : [N, K], mm(lc, rc), 50 + 2 * t)
    }
  })

  it("batch dimensions anywhere and several contracting dimensions in odd orders", () => {
    checkDot([3, 14, 25], [3, 25, 16], { contracting: [[2], [1]], batch: [[0], [0]] }, 1)
    checkDot([3, 14, 25], [3, 16, 25], { contracting: [[2], [2]], batch: [[0], [0]] }, 2)
    checkDot([3, 25, 14], [3, 25, 16], { contracting: [[1], [1]], batch: [[0], [0]] }, 3)
    checkDot([14, 3, 25], [25, 3, 16], { contracting: [[2], [0]], batch: [[1], [1]] }, 4) // batch in the middle
    checkDot([14, 25, 3], [16, 25, 3], { contracting: [[1], [1]], batch: [[2], [2]] }, 5) // batch last
    checkDot(
      [2, 9, 4, 5],
      [4, 2, 11, 5],
      {
        contracting: [
          [3, 2],
          [3, 0]
        ],
        batch: [[0], [1]]
      },
      6
    )
    checkDot(
      [2, 3, 10, 12],
      [3, 2, 12, 10],
      {
        contracting: [
          [2, 3],
          [3, 2]
        ],
        batch: [
          [0, 1],
          [1, 0]
        ]
      },
      7
    )
    checkDot(
      [5, 7, 6, 8],
      [8, 6, 9],
      {
        contracting: [
          [3, 2],
          [0, 1]
        ],
        batch: [[], []]
      },
      8
    ) // free dims grouped
    checkDot([2, 1, 30], [2, 30, 17], { contracting: [[2], [1]], batch: [[0], [0]] }, 9) // M = 1
  })

  it("vector dots and matrix-vector products keep the exactly rounded float64 path", () => {
    const n = 100_000
    const x = randomF32(n, 21)
    const y = randomF32(n, 22)
    let s = 0
    for (let i = 0; i < n; i++) s += x[i]! * y[i]!
    const out = dotGeneral(x, [n], y, [n], mm(0, 0), [])
    expect(Math.abs(out[0]! - Math.fround(s))).toBeLessThanOrEqual(Math.abs(s) * 2 ** -24)
    // matrix-vector: each output is one exactly rounded dot
    const [M, K] = [7, 5000]
    const a = randomF32(M * K, 23)
    const mv = dotGeneral(a, [M, K], y.subarray(0, K), [K], mm(1, 0), [M])
    for (let i = 0; i < M; i++) {
      let t = 0
      for (let k = 0; k < K; k++) t += a[i * K + k]! * y[k]!
      expect(Math.abs(mv[i]! - Math.fround(t))).toBeLessThanOrEqual(Math.abs(t) * 2 ** -24)
    }
  })

  it("a product too big for the shared memory gets a kernel of its own", () => {
    const shared = wasmGemm()!
    const before = shared.memoryBytes
    const saved = wasmDotPolicy.sharedBytes
    wasmDotPolicy.sharedBytes = 1024
    try {
      checkDot([90, 70], [70, 80], mm(1, 0), 41)
    } finally {
      wasmDotPolicy.sharedBytes = saved
    }
    expect(shared.memoryBytes).toBe(before)
  })

  it("agrees with the JS loops (policy off) to float32 accuracy", () => {
    const [M, N, K] = [33, 47, 515]
    const x = randomF32(M * K, 31)
    const y = randomF32(K * N, 32)
    const fast = dotGeneral(x, [M, K], y, [K, N], mm(1, 0), [M, N])
    wasmDotPolicy.enabled = false
    const slow = dotGeneral(x, [M, K], y, [K, N], mm(1, 0), [M, N])
    const want = refDot(x, [M, K], y, [K, N], mm(1, 0))
    expectClose(fast, slow, want.scale)
  })
})

// ---------------------------------------------------------------------------------------------
// the public API

const host = (shape: ReadonlyArray<number>, seed: number): { data: Float32Array; arr: Array } => {
  const data = randomF32(
    shape.reduce((p, q) => p * q, 1),
    seed
  )
  return { data, arr: np.asarray(data).reshape([...shape]) }
}

describe("np.matmul / np.dot / np.einsum / jit / grad on float32", () => {
  it("matmul, dot and einsum (batched and transposed) match the references", () => {
    const a = host([4, 23, 37], 1)
    const b = host([4, 37, 19], 2)
    const want = refDot(a.data, [4, 23, 37], b.data, [4, 37, 19], { contracting: [[2], [1]], batch: [[0], [0]] })
    expectClose(np.matmul(a.arr, b.arr).data(), want.out, want.scale)
    expectClose(jit((x: Array, y: Array) => np.matmul(x, y))(a.arr, b.arr).data(), want.out, want.scale)
    expectClose(np.einsum("bij,bjk->bik", a.arr, b.arr).data(), want.out, want.scale)

    const c = host([37, 23], 3) // c^T @ d^T via einsum and dot
    const d = host([19, 37], 4)
    const want2 = refDot(c.data, [37, 23], d.data, [19, 37], mm(0, 1))
    expectClose(np.einsum("ji,kj->ik", c.arr, d.arr).data(), want2.out, want2.scale)
    expectClose(np.dot(c.arr.T, d.arr.T).data(), want2.out, want2.scale)
    expectClose(np.matmul(np.transpose(c.arr), np.transpose(d.arr)).data(), want2.out, want2.scale)
  })

  it("grad of sum(A @ B) is ones @ B^T (float32, through the kernel)", () => {
    const a = host([16, 40], 5)
    const b = host([40, 24], 6)
    const g = grad((x: Array) => np.sum(np.matmul(x, b.arr)))(a.arr).data()
    const want = new Float64Array(16 * 40)
    const scale = new Float64Array(16 * 40)
    for (let i = 0; i < 16; i++)
      for (let k = 0; k < 40; k++)
        for (let j = 0; j < 24; j++) {
          want[i * 40 + k] = want[i * 40 + k]! + b.data[k * 24 + j]!
          scale[i * 40 + k] = scale[i * 40 + k]! + Math.abs(b.data[k * 24 + j]!)
        }
    expectClose(g, want, scale)
  })

  it("grad through matmul still matches finite differences in float64", () => {
    const r = rng(9)
    const shape = [6, 9]
    const x0 = Float64Array.from({ length: 54 }, () => r() - 0.5)
    const c = np.asarray(Float64Array.from({ length: 9 * 7 }, () => r() - 0.5)).reshape([9, 7])
    const w = np.asarray(Float64Array.from({ length: 6 * 7 }, () => r() + 0.5)).reshape([6, 7])
    const loss = (x: Array): Array => lax.reduceSum(lax.mul(np.matmul(x, c), w), [0, 1])
    const dev = (d: Float64Array): Array => np.asarray(d).reshape(shape)
    const g = grad(loss)(dev(x0)).data()
    const h = 1e-6
    for (let i = 0; i < x0.length; i++) {
      const xp = x0.slice()
      const xm = x0.slice()
      xp[i] = xp[i]! + h
      xm[i] = xm[i]! - h
      const fd = (loss(dev(xp)).item() - loss(dev(xm)).item()) / (2 * h)
      expect(Math.abs(g[i]! - fd)).toBeLessThan(1e-6 * (1 + Math.abs(fd)))
    }
  })
})
