/**
 * donateArgnums on jit and pmap (JAX's donate_argnums): the donated arrays are deleted after the
 * call and a later use is a DeviceError naming the call; other arguments and the results stay.
 */
import { describe, expect, it } from "vitest"
import type { ArrayImpl } from "../array.js"
import { type Array, DeviceError, devices, jit, lax, np, pmap, ValueError } from "../../index.js"

// The pmap case starts a worker device: allow for a loaded machine.
describe("donateArgnums", { timeout: 120_000 }, () => {
  it("jit: the donated argument is invalid after the call, the others and the result are not", () => {
    const step = jit((w: Array, g: Array) => w.sub(g.mul(0.1)), { donateArgnums: 0 })
    const w = np.ones([3])
    const g = np.arange(3).astype("float32")
    const w2 = step(w, g)
    expect(w2.toJs()).toEqual([1, 0.9, 0.8].map((v) => Math.fround(v)))
    expect(g.toJs()).toEqual([0, 1, 2])
    expect((w as ArrayImpl).isDeleted()).toBe(true)
    expect(() => w.toJs()).toThrow(DeviceError)
    expect(() => w.toJs()).toThrow(/donated to jit\(<lambda>\)|donated to jit\(/)
    expect(() => np.add(w, 1)).toThrow(DeviceError)
    // The next step consumes the previous result, as a training loop does.
    expect(np.allclose(step(w2, g), np.ones([3]).sub(g.mul(0.2))).toJs()).toBe(true)
  })
  it("a pytree argument donates every leaf; a result that is the argument itself stays valid", () => {
    const p = { a: np.ones([2]), b: np.zeros([2]) }
    jit((t: { a: Array; b: Array }) => t.a.add(t.b), { donateArgnums: [0] })(p)
    expect((p.a as ArrayImpl).isDeleted() && (p.b as ArrayImpl).isDeleted()).toBe(true)
    const x = np.ones([2])
    const same = jit((v: Array) => v, { donateArgnums: 0 })(x)
    expect(same.toJs()).toEqual([1, 1])
  })
  it("pmap: donated shards' source is invalid after the call", () => {
    const n = Math.min(devices().length, 2)
    const f = pmap((v: Array) => lax.psum(v, "i"), { axisName: "i", donateArgnums: 0, devices: devices().slice(0, n) })
    const x = np
      .arange(n * 2)
      .astype("float32")
      .reshape([n, 2])
    const y = f(x)
    expect(y.shape).toEqual([n, 2])
    expect(() => x.toJs()).toThrow(/donated to pmap/)
  })
  it("static and donated at once is an error", () => {
    expect(() => jit((a: number, b: Array) => b.mul(a), { staticArgnums: 0, donateArgnums: 0 })).toThrow(ValueError)
    expect(() => pmap((v: Array) => v, { staticArgnums: 0, donateArgnums: [0] })).toThrow(/both static and donated/)
  })
})
