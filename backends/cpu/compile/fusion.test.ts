/**
 * What the compiler makes of whole programs: fusion (selu is one kernel), reductions with their
 * epilogues, buffer reuse, calls for opaque primitives, and grad under jit.
 */
import { describe, expect, it } from "vitest"
import { type Array, grad, jit, lax, makeJaxpr, nn, np, valueAndGrad } from "../../../index.js"
import { compileReport } from "./index.js"
import { expectClose, expectSameBits, input, rng } from "./test-util.js"

const selu = (x: Array, alpha = 1.67, lmbda = 1.05): Array => np.where(x.gt(0), x, np.exp(x).mul(alpha).sub(alpha)).mul(lmbda)

const randn = (shape: ReadonlyArray<number>, seed: number, scale = 1): Array => {
  const r = rng(seed)
  const n = shape.reduce((a, b) => a * b, 1)
  const data = Float32Array.from({ length: n }, () => (r() + r() + r() - 1.5) * scale)
  return np.asarray(data, { dtype: "float32" }).reshape([...shape])
}

describe("fusion", () => {
  it("selu is one kernel with no intermediate buffers, bit-exact", () => {
    const x = randn([1000], 1, 3)
    const report = compileReport(makeJaxpr(selu)(x))
    expect(report.kernels.length, report.toString()).toBe(1)
    expect(report.calls).toEqual([])
    expect(report.intermediates).toBe(0)
    expect(report.poolBuffers).toBe(0)
    expect([...report.kernels[0]!.primitives].sort()).toEqual(["exp", "gt", "mul", "mul", "select_n", "sub"])
    expectSameBits(jit(selu)(x), selu(x), "selu")
  })

  it("a reduction and its elementwise epilogue are one kernel (mean, logsumexp)", () => {
    const x = randn([8, 30], 2)
    const mean = (x: Array) => np.mean(x.mul(x), { axis: 1 })
    const r = compileReport(makeJaxpr(mean)(x))
    expect(r.kernels.length, r.toString()).toBe(1)
    expect(r.kernels[0]!.reducedAxes).toEqual([1])
    expectClose(jit(mean)(x), mean(x), 1e-6, "mean")
    const lse = (x: Array) => nn.logsumexp(x, { axis: 1 })
    const r2 = compileReport(makeJaxpr(lse)(x))
    expect(r2.kernels.length, r2.toString()).toBeLessThanOrEqual(2)
    expectClose(jit(lse)(x), lse(x), 1e-6, "logsumexp")
  })

  it("softmax is at most three kernels and matches eager", () => {
    const x = randn([16, 33], 3, 4)
    const f = (x: Array) => nn.softmax(x)
    const r = compileReport(makeJaxpr(f)(x))
    expect(r.kernels.length, r.toString()).toBeLessThanOrEqual(3)
    expectClose(jit(f)(x), f(x), 1e-6, "softmax")
  })

  it("dot_general is a call; its bias + relu epilogue is one kernel, fused with the call", () => {
    const x = randn([16, 32], 4)
    const w = randn([32, 8], 5)
    const b = randn([8], 6)
    const f = (x: Array, w: Array, b: Array) => nn.relu(np.dot(x, w).add(b))
    const r = compileReport(makeJaxpr(f)(x, w, b))
    expect(r.calls).toEqual(["dot_general"])
    expect(r.kernels.length, r.toString()).toBe(1)
    expect(r.epilogues, r.toString()).toEqual([`dot_general + ${r.kernels[0]!.name}`])
    expect(r.toString()).toContain("fused epilogues: dot_general + ")
    expectSameBits(jit(f)(x, w, b), f(x, w, b), "dense relu")
  })

  it("transposed operands are index maps, not copies", () => {
    const x = randn([5, 7], 7)
    const f = (x: Array) => np.exp(x.T).add(np.flip(x, 0).T.mul(2))
    const r = compileReport(makeJaxpr(f)(x))
    expect(r.kernels.length).toBe(1)
    expect(r.kernels[0]!.inputs).toBe(1)
    expectSameBits(jit(f)(x), f(x), "transposes")
  })

  it("a value with several consumers is recomputed when cheap and materialized when not", () => {
    const x = randn([50], 8)
    const cheap = (x: Array) => {
      const y = x.mul(2).add(1)
      return np.exp(y).add(np.sin(y))
    }
    const rc = compileReport(makeJaxpr(cheap)(x))
    expect(rc.kernels.length).toBe(1)
    expect(rc.intermediates).toBe(0)
    const costly = (x: Array) => {
      const y = np.exp(np.sin(x))
      return lax.transpose(np.stack([np.cos(y), np.tanh(y)]), [1, 0])
    }
    const rx = compileReport(makeJaxpr(costly)(x))
    expect(rx.intermediates, rx.toString()).toBeGreaterThanOrEqual(1)
    expectSameBits(jit(cheap)(x), cheap(x), "cheap")
    expectSameBits(jit(costly)(x), costly(x), "costly")
  })

  it("sibling kernels over one domain share a pass: an activation gradient and its bias gradient", () => {
    const z = randn([12, 20], 9)
    const g = randn([12, 20], 10)
    const f = (z: Array, g: Array): [Array, Array] => {
      const dz = np.where(z.gt(0), g, 0)
      return [dz, np.sum(dz, { axis: 0 })]
    }
    const r = compileReport(makeJaxpr(f)(z, g))
    expect(r.kernels.length, r.toString()).toBe(1)
    const [a, b] = jit(f)(z, g)
    const [ea, eb] = f(z, g)
    expectSameBits(a, ea, "dz")
    expectClose(b, eb, 1e-6, "db")
  })
})

describe("buffers", () => {
  it("a chain of 10 materialized intermediates of one size uses at most 3 pooled buffers", () => {
    const x = randn([64], 11)
    const chain = (x: Array) => {
      let y = x
      // each link is used twice (by exp and by the product): too costly to recompute; and read
      // reversed, so that consecutive links cannot share one pass
      for (let i = 0; i < 10; i++) y = np.exp(y.mul(0.1)).mul(np.flip(y))
      return y
    }
    const r = compileReport(makeJaxpr(chain)(x))
    expect(r.intermediates, r.toString()).toBeGreaterThanOrEqual(9)
    expect(r.poolBuffers, r.toString()).toBeLessThanOrEqual(3)
    const f = jit(chain)
    const want = chain(x)
    // buffers are reused across calls: results stay right and earlier outputs stay intact
    const first = f(x)
    const again = f(randn([64], 12))
    expectSameBits(first, want, "first call")
    expectSameBits(f(x), want, "third call")
    expect(again.data()).not.toEqual(first.data())
  })

  it("outputs are fresh arrays, never pooled buffers", () => {
    const f = jit((x: Array) => {
      const y = np.exp(np.sin(x))
      return [y.mul(y), y.add(y)] as const
    })
    const x = randn([16], 13)
    const [a1, b1] = f(x)
    const saved = [...a1.data(), ...b1.data()]
    f(randn([16], 14))
    expect([...a1.data(), ...b1.data()]).toEqual(saved)
    expect(a1.data().buffer).not.toBe(b1.data().buffer)
  })
})

describe("calls and transformations under jit", () => {
  it("gather, scatter, cumsum, pad and concatenate run as calls between fused kernels", () => {
    const x = randn([6, 5], 15)
    const idx = np.asarray(new Int32Array([4, 0, 2]), { dtype: "int32" })
    const f = (x: Array, idx: Array) => {
      const g = np.take(np.exp(x), idx, { axis: 1 }) // [6, 3]
      const c = np.cumsum(g.mul(2), { axis: 0 })
      const p = np.pad(c, [
        [1, 1],
        [0, 2]
      ])
      const q = np.concatenate([p, p.mul(-1)], { axis: 0 })
      return q.at(0).add(1).sum()
    }
    expectClose(jit(f)(x, idx), f(x, idx), 1e-6, "calls")
  })

  it("control flow (cond, whileLoop, scan, forILoop) runs as calls whose bodies are compiled too", () => {
    const x = randn([5], 22)
    const f = (x: Array) => {
      const c = lax.cond(
        np.sum(x).gt(0),
        (v: Array) => np.exp(v),
        (v: Array) => np.tanh(v).mul(3),
        x
      )
      const [n, w] = lax.whileLoop(
        ([i]: readonly [Array, Array]) => i.lt(4),
        ([i, v]: readonly [Array, Array]) => [i.add(1), np.sin(v).mul(1.5)] as const,
        [np.asarray(0), c] as const
      )
      const [acc, ys] = lax.scan((a: Array, r: Array) => [a.add(r), np.exp(r.mul(a))] as const, np.zeros([5]), np.stack([w, c, x]))
      const z = lax.forILoop(0, 3, (_i: Array, v: Array) => v.mul(0.5).add(1), acc)
      return [n, w, acc, ys, z] as const
    }
    const got = jit(f)(x)
    const want = f(x)
    got.forEach((g, i) => expectSameBits(g, want[i]!, `output ${i}`))
  })

  it("nested jit and stop_gradient", () => {
    const inner = jit((x: Array) => np.tanh(x).mul(3))
    const f = (x: Array) => inner(x.add(1)).add(lax.stopGradient(np.exp(x)))
    const x = randn([9], 16)
    expectSameBits(jit(f)(x), f(x), "nested")
  })

  it("jit(grad(loss)) of an MLP matches eager grad", () => {
    const x = randn([32, 20], 17)
    const labels = np.asarray(
      Int32Array.from({ length: 32 }, (_, i) => i % 5),
      { dtype: "int32" }
    )
    const params = { w1: randn([20, 16], 18, 0.3), b1: randn([16], 19, 0.1), w2: randn([16, 5], 20, 0.3), b2: randn([5], 21, 0.1) }
    type P = typeof params
    const loss = (p: P, x: Array, y: Array) => {
      const h = nn.relu(np.dot(x, p.w1).add(p.b1))
      const logits = np.dot(h, p.w2).add(p.b2)
      const logp = nn.logSoftmax(logits)
      return np.mean(np.sum(logp.mul(nn.oneHot(y, 5)), { axis: 1 })).mul(-1)
    }
    const ge = grad(loss)(params, x, labels)
    const gj = jit(grad(loss))(params, x, labels)
    for (const k of ["w1", "b1", "w2", "b2"] as const) expectClose(gj[k], ge[k], 1e-5, k)
    const [lv, lg] = jit(valueAndGrad(loss))(params, x, labels)
    expectClose(lv, loss(params, x, labels), 1e-6, "loss")
    expectClose(lg.w1, ge.w1, 1e-5, "w1 (valueAndGrad)")
  })

  it("float64 and integer reductions", () => {
    const x = input("float64", [7, 9], 3)
    const fin = (x: Array) => np.where(np.isfinite(x), x, 0)
    const f = (x: Array) => np.sum(fin(x).mul(1e-3), { axis: 0 }).add(np.max(fin(x), { axis: 0 }))
    expectClose(jit(f)(x), f(x), 1e-9, "float64")
    const i = input("int32", [6, 5], 4)
    const g = (i: Array) => [np.sum(i, { axis: 1 }), np.prod(i, { axis: 0 }), np.min(i, { axis: 1 }), np.argmin(i, { axis: 0 })] as const
    const got = jit(g)(i)
    g(i).forEach((w, k) => expectSameBits(got[k]!, w, `int reduction ${k}`))
  })
})
