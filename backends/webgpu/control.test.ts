/** Control flow on the WebGPU device (control.ts): scan and cond recorded without readback, against the CPU. */
import { describe, expect, it } from "vitest"
import { type Array, devicePut, jit, lax, np } from "../../index.js"
import { cpu, expectCloseToCpu, webgpuForTests } from "./test-helpers.js"

const gpu = await webgpuForTests()

describe.skipIf(gpu === undefined)("WebGPU control flow agrees with the CPU", { timeout: 120_000 }, () => {
  it("scan (carry, xs rows, ys rows, reverse, consts, length 0) and forILoop, jitted", async () => {
    const x = np.array([0.5, -1, 2, 0.25, 3, -0.5], { dtype: "float32" }).reshape([3, 2])
    const w = np.array([1.5, -0.5], { dtype: "float32" })
    const f = (xs: Array, v: Array) => {
      const step = (c: Array, r: Array): readonly [Array, Array] => [np.tanh(c.mul(v).add(r)), c.sum()]
      const [c1, ys] = lax.scan(step, np.zeros([2]), xs)
      const [c2, ys2] = lax.scan(step, np.ones([2]), xs, { reverse: true })
      const [c3] = lax.scan(step, v, lax.sliceInDim(xs, 0, 0))
      const c4 = lax.forILoop(0, 5, (i, c: Array) => c.mul(1.1).add(i.astype("float32")), v)
      return [c1, ys, c2, ys2, c3, c4]
    }
    const want = f(devicePut(x, cpu()), devicePut(w, cpu()))
    const got = jit(f)(devicePut(x, gpu!), devicePut(w, gpu!))
    for (let k = 0; k < want.length; k++) await expectCloseToCpu(got[k]!, want[k]!, 1e-5, 1e-6)
  })

  it("cond and switch pick by a predicate on the GPU (index clamped), eager and jitted", async () => {
    const f = (p: Array, i: Array, v: Array) => [
      lax.cond(
        p,
        (a: Array) => a.mul(2),
        (a: Array) => a.sub(1),
        v
      ),
      lax.switch(i, [(a: Array) => a.add(10), (a: Array) => a.mul(a), (a: Array) => np.sin(a)], v)
    ]
    const v = np.array([1, 2, 3], { dtype: "float32" })
    for (const [p, i] of [
      [true, -4],
      [false, 1],
      [true, 7]
    ] as const) {
      const args = [np.array(p), np.array(i, { dtype: "int32" }), v] as const
      const want = f(...(args.map((a) => devicePut(a, cpu())) as [Array, Array, Array]))
      const g = args.map((a) => devicePut(a, gpu!)) as [Array, Array, Array]
      const got = jit(f)(...g)
      for (let k = 0; k < want.length; k++) await expectCloseToCpu(got[k]!, want[k]!)
    }
    await expectCloseToCpu(
      lax.cond(
        devicePut(np.array(false), gpu!),
        (a: Array) => a.mul(2),
        (a: Array) => a.sub(1),
        devicePut(v, gpu!)
      ),
      v.sub(1)
    )
  })

  it("whileLoop with a data-dependent predicate, eager and jitted (0, 1, a few and over 64 iterations: several chunks)", async () => {
    const f = (x: Array, limit: Array): Array[] => {
      const [c, i] = lax.whileLoop(
        ([c, i]: readonly [Array, Array]) => np.logicalAnd(c.sum().lt(limit), i.lt(200)),
        ([c, i]: readonly [Array, Array]) => [c.mul(1.05).add(0.01), i.add(1)] as const,
        [x, np.array(0, { dtype: "int32" })] as const
      )
      return [c, i]
    }
    const x = np.array([0.5, 1, 0.25], { dtype: "float32" })
    for (const limit of [0, 1.8, 3, 100, 1e9]) {
      const lim = np.array(limit, { dtype: "float32" })
      const want = f(devicePut(x, cpu()), devicePut(lim, cpu()))
      const got = jit(f)(devicePut(x, gpu!), devicePut(lim, gpu!))
      for (let k = 0; k < want.length; k++) await expectCloseToCpu(got[k]!, want[k]!, 1e-4, 1e-5)
    }
    // eager, and work issued after the loop (which reads its outputs) runs after it
    const gx = devicePut(x, gpu!)
    const y = lax.whileLoop(
      (c: Array) => c.max().lt(10),
      (c: Array) => c.mul(2),
      gx
    )
    expect(() => y.blockUntilReady()).toThrow(/blockUntilReadyAsync/)
    const z = y.add(1).sum()
    await expectCloseToCpu(z, np.array(9 + 17 + 5, { dtype: "float32" }))
    await expectCloseToCpu(y, np.array([8, 16, 4], { dtype: "float32" }))
    expect(y.blockUntilReady()).toBe(y)
    // forILoop with traced bounds is a while loop
    const g = (n: Array, v: Array) => lax.forILoop(0, n, (i, c: Array) => c.add(i.astype("float32")), v)
    await expectCloseToCpu(jit(g)(devicePut(np.array(70, { dtype: "int32" }), gpu!), gx), g(np.array(70, { dtype: "int32" }), x))
  })

  it("while loops nested in a scan body, a while body and a cond branch run under jit (a branch not taken is not run)", async () => {
    const inner = (d: Array): Array =>
      lax.whileLoop(
        (e: Array) => e.lt(10),
        (e: Array) => e.mul(2),
        d
      )
    const f = (v: Array, n: Array): Array[] => {
      const [c, ys] = lax.scan((c: Array, x: Array) => [inner(c.add(x)), c] as const, v, np.array([0.5, 1, 2], { dtype: "float32" }))
      // an outer loop of data-dependent length whose body runs an inner loop of data-dependent length
      const [i, acc] = lax.whileLoop(
        ([i]: readonly [Array, Array]) => i.lt(n),
        ([i, acc]: readonly [Array, Array]) =>
          [
            i.add(1),
            lax.whileLoop(
              ([j]: readonly [Array, Array]) => j.lt(i.mul(3)),
              ([j, a]: readonly [Array, Array]) => [j.add(1), a.add(j.astype("float32"))] as const,
              [np.array(0, { dtype: "int32" }), acc] as const
            )[1]
          ] as const,
        [np.array(0, { dtype: "int32" }), np.array(0, { dtype: "float32" })] as const
      )
      // the branch not taken would never end on its operand
      const k = lax.cond(
        v.gt(0),
        (x: Array) => x.add(1),
        (x: Array) =>
          lax.whileLoop(
            (e: Array) => e.lt(100),
            (e: Array) => e.mul(1),
            x
          ),
        v
      )
      return [c, ys, i, acc, k]
    }
    const v = np.array(1.5, { dtype: "float32" })
    const n = np.array(5, { dtype: "int32" })
    const want = f(devicePut(v, cpu()), devicePut(n, cpu()))
    const got = jit(f)(devicePut(v, gpu!), devicePut(n, gpu!))
    for (let k = 0; k < want.length; k++) await expectCloseToCpu(got[k]!, want[k]!)
    // sum over i < 5 of sum over j < 3 i of j
    expect(await got[3]!.dataAsync()).toEqual(new Float32Array([[0, 3, 6, 9, 12].reduce((s, m) => s + (m * (m - 1)) / 2, 0)]))
  })
})
