/**
 * Conv epilogue fusion under jit (conv-epilogue.ts): a channels-last float32 conv and the
 * elementwise kernel reading it (bias + relu, a residual add, the relu mask of a backward pass) run
 * as one step, bit for bit equal to eager execution (where every primitive is its own program), with
 * a product big enough for several blocks of rows and a last, shorter block; layouts and programs
 * the fusion declines still agree.
 */
import { describe, expect, it } from "vitest"
import { type Array, devicePut, devices, grad, jit, lax, nn, np, random } from "../../../index.js"
import { compilerStats } from "./executable.js"
import { expectSameBits } from "./test-util.js"

const nhwc = { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] as const }
const conv = (x: Array, w: Array): Array => lax.convGeneralDilated(x, w, [1, 1], "SAME", { dimensionNumbers: [...nhwc.dimensionNumbers] })

/**
 * Fused conv steps built when `f` is compiled for arguments on device 0: the counter is the calling
 * thread's (the results are checked on the default device, a worker device in the suite's second run).
 */
const fusedIn = <A extends ReadonlyArray<Array>>(f: (...a: A) => unknown, ...args: A): number => {
  const before = compilerStats.convEpilogues
  jit(f)(...(args.map((a) => devicePut(a, devices()[0]!)) as unknown as A))
  return compilerStats.convEpilogues - before
}

describe("conv epilogue fusion", () => {
  const [k1, k2, k3, k4] = random.split(random.key(3), 4)
  // 3 x 28 x 28 = 2352 rows of 8 features, K = 3 * 3 * 16: blocks of 1820 rows (conv-f32.ts) and a shorter last one.
  const x = random.normal(k1!, [3, 28, 28, 16])
  const w = random.normal(k2!, [3, 3, 16, 8]).mul(0.2)
  const b = random.normal(k3!, [8])
  const r = random.normal(k4!, [3, 28, 28, 8])

  it("conv + bias + relu is one step, bit-exact with eager", () => {
    const f = (x: Array, w: Array, b: Array): Array => nn.relu(conv(x, w).add(b))
    expect(fusedIn(f, x, w, b)).toBe(1)
    expectSameBits(jit(f)(x, w, b), f(x, w, b), "conv + bias + relu")
  })

  it("a residual add and a multi-output kernel, bit-exact with eager", () => {
    const f = (x: Array, w: Array, b: Array, r: Array): [Array, Array] => {
      const y = np.tanh(conv(x, w).add(b)).add(r)
      return [y, y.gt(0)]
    }
    expect(fusedIn(f, x, w, b, r)).toBe(1)
    const got = jit(f)(x, w, b, r)
    const want = f(x, w, b, r)
    expectSameBits(got[0], want[0], "tanh(conv + b) + r")
    expectSameBits(got[1], want[1], "mask")
  })

  it("grad of a two-conv network under jit equals eager bit for bit", () => {
    const w2 = random.normal(k4!, [3, 3, 8, 4]).mul(0.2)
    const loss = (w: Array, b: Array, w2: Array): Array => np.sum(np.square(conv(nn.relu(conv(x, w).add(b)), w2)))
    const g = grad(loss, { argnums: [0, 1, 2] })
    expect(fusedIn(g, w, b, w2)).toBeGreaterThanOrEqual(1)
    const got = jit(g)(w, b, w2)
    const want = g(w, b, w2)
    got.forEach((a, i) => expectSameBits(a, want[i]!, `gradient ${i}`))
  })

  it("declines a channels-first conv; fuses and keeps a conv output that is also returned; both agree", () => {
    const xc = np.transpose(x, [0, 3, 1, 2])
    const wc = np.transpose(w, [3, 2, 0, 1])
    const nchw = (x: Array, w: Array, b: Array): Array => nn.relu(lax.conv(x, w, [1, 1], "SAME").add(b.reshape([8, 1, 1])))
    expect(fusedIn(nchw, xc, wc, b)).toBe(0)
    expectSameBits(jit(nchw)(xc, wc, b), nchw(xc, wc, b), "NCHW")
    const both = (x: Array, w: Array, b: Array): [Array, Array] => {
      const y = conv(x, w)
      return [y, nn.relu(y.add(b))]
    }
    expect(fusedIn(both, x, w, b)).toBe(1)
    const pair = jit(both)(x, w, b)
    const want = both(x, w, b)
    expectSameBits(pair[0], want[0], "conv")
    expectSameBits(pair[1], want[1], "relu")
  })
})

/** Fused dot steps built when `f` is compiled for arguments on device 0 (as `fusedIn`). */
const dotFusedIn = <A extends ReadonlyArray<Array>>(f: (...a: A) => unknown, ...args: A): number => {
  const before = compilerStats.dotEpilogues
  jit(f)(...(args.map((a) => devicePut(a, devices()[0]!)) as unknown as A))
  return compilerStats.dotEpilogues - before
}

describe("dot epilogue fusion", () => {
  const [k1, k2, k3, k4, k5] = random.split(random.key(5), 5)
  // 1000 rows of 48 features: blocks of 344 rows (wasm/index.ts) and a shorter last one.
  const x = random.normal(k1!, [1000, 40])
  const w = random.normal(k2!, [40, 48]).mul(0.3)
  const b = random.normal(k3!, [48])
  const r = random.normal(k4!, [1000, 48])

  it("x @ w + b, relu is one step, bit-exact with eager", () => {
    const f = (x: Array, w: Array, b: Array): Array => nn.relu(np.matmul(x, w).add(b))
    expect(dotFusedIn(f, x, w, b)).toBe(1)
    expectSameBits(jit(f)(x, w, b), f(x, w, b), "relu(x @ w + b)")
  })

  it("batched, transposed and multi-dimensional products with a residual and a gelu, bit-exact with eager", () => {
    const xb = x.reshape([4, 250, 40])
    const rb = r.reshape([4, 250, 48])
    const batched = (x: Array, w: Array, b: Array, r: Array): Array => nn.gelu(np.matmul(x, w).add(b)).add(r)
    expect(dotFusedIn(batched, xb, w, b, rb)).toBe(1)
    expectSameBits(jit(batched)(xb, w, b, rb), batched(xb, w, b, rb), "batched")
    // w^T contracted on its last axis; the output's last axis (8) is not all of N (6 x 8 = 48)
    const wt = np.transpose(w)
    const w3 = w.reshape([40, 6, 8])
    const b8 = random.normal(k5!, [8])
    const f = (x: Array, wt: Array, w3: Array, b8: Array): [Array, Array] => [
      np.tanh(lax.dotGeneral(x, wt, { contracting: [[1], [1]], batch: [[], []] })),
      nn.relu(lax.dotGeneral(x, w3, { contracting: [[1], [0]], batch: [[], []] }).add(b8))
    ]
    expect(dotFusedIn(f, x, wt, w3, b8)).toBe(2)
    const got = f(x, wt, w3, b8)
    const want = jit(f)(x, wt, w3, b8)
    expectSameBits(want[0], got[0], "tanh(x @ w^T)")
    expectSameBits(want[1], got[1], "relu(x . w3 + b)")
  })

  it("grad of an MLP under jit equals eager bit for bit; a product the Wasm kernel declines (N = 1) still agrees", () => {
    const w2 = random.normal(k5!, [48, 1]).mul(0.3)
    const loss = (w: Array, b: Array, w2: Array): Array => np.sum(np.square(np.matmul(nn.relu(np.matmul(x, w).add(b)), w2)))
    const g = grad(loss, { argnums: [0, 1, 2] })
    expect(dotFusedIn(g, w, b, w2)).toBeGreaterThanOrEqual(1)
    const got = jit(g)(w, b, w2)
    const want = g(w, b, w2)
    got.forEach((a, i) => expectSameBits(a, want[i]!, `gradient ${i}`))
    // N = 1: the Wasm kernel declines, the fused step computes the product whole
    const mv = (x: Array, w2: Array, v: Array): Array => np.exp(np.matmul(x, w2.reshape([48]))).add(v)
    const xw = random.normal(k1!, [1000, 48])
    const v = random.normal(k4!, [1000])
    expect(dotFusedIn(mv, xw, w2, v)).toBe(1)
    expectSameBits(jit(mv)(xw, w2, v), mv(xw, w2, v), "matrix-vector")
  })
})
