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
