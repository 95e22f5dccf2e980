/**
 * pmap over CPU devices (4 here; 2 when the run sets JAXFX_CPU_DEVICES=2): one slice per device,
 * collectives across the slices, the device-count error, and composition with jit, grad and vmap
 * (each against vmap with the same axis name).
 */
import { describe, expect, it } from "vitest"
import { type Array, config, DeviceError, devices, grad, jit, lax, np, pmap, ValueError, vmap } from "../../index.js"

try {
  config.update("jaxfxCpuDevices", 4)
} catch {
  // JAXFX_CPU_DEVICES set for the whole run already made the devices.
}
const n = Math.min(devices().length, 4)
const x = np
  .arange(n * 3)
  .astype("float32")
  .reshape([n, 3])

// The first call starts the worker devices and compiles on each: allow for a loaded machine.
describe("pmap", { timeout: 120_000 }, () => {
  it("maps over the leading axis, one slice per device, compiled once", () => {
    let traces = 0
    const f = pmap((v: Array) => {
      traces++
      return np.sin(v).mul(2)
    })
    const want = np.sin(x).mul(2).toJs()
    expect(f(x).toJs()).toEqual(want)
    const after = traces
    expect(f(x.add(1)).toJs()).toEqual(np.sin(x.add(1)).mul(2).toJs())
    expect(traces).toBe(after)
    expect(String(f(x).device)).toBe(String(x.device))
  })
  it("inAxes (null replicates), outAxes and staticArgnums", () => {
    const w = np.array([1, 10, 100], { dtype: "float32" })
    const f = pmap((v: Array, u: Array, k: number) => v.mul(u).add(k), { inAxes: [1, null, null], outAxes: 1, staticArgnums: [2] })
    const xt = x.T
    expect(f(xt, w, 5).toJs()).toEqual(vmap((v: Array) => v.mul(w).add(5), { inAxes: 1, outAxes: 1 })(xt).toJs())
    expect(f(xt, w, 7).toJs()).toEqual(vmap((v: Array) => v.mul(w).add(7), { inAxes: 1, outAxes: 1 })(xt).toJs())
  })
  it("collectives over axisName combine the slices (as vmap with the same axis name)", () => {
    const norm = (v: Array) => v.div(lax.psum(v, "p"))
    expect(pmap(norm, { axisName: "p" })(x).toJs()).toEqual(vmap(norm, { axisName: "p" })(x).toJs())
    const gathered = pmap((v: Array) => lax.allGather(v, "p").sum({ axis: 0 }).add(lax.axisIndex("p")), { axisName: "p" })(x)
    expect(gathered.toJs()).toEqual(
      x
        .sum({ axis: 0 })
        .add(np.arange(n).reshape([n, 1]))
        .toJs()
    )
    expect(pmap((v: Array) => lax.pmean(v, "p"), { axisName: "p" })(x).toJs()).toEqual(np.broadcastTo(x.mean({ axis: 0 }), [n, 3]).toJs())
  })
  it("more slices than devices is a DeviceError that says how to get more", () => {
    const f = pmap((v: Array) => v)
    expect(() => f(np.ones([devices().length + 1, 2]))).toThrow(DeviceError)
    expect(() => f(np.ones([devices().length + 1, 2]))).toThrow(
      new RegExp(`size ${devices().length + 1}, but there are ${devices().length} devices.*JAXFX_CPU_DEVICES=${devices().length + 1}`)
    )
    expect(() => pmap((v: Array) => v, { devices: devices().slice(0, 1) })(np.ones([2, 2]))).toThrow(/in the devices option/)
  })
  it("composes with jit, grad and vmap", () => {
    const body = (v: Array) => np.sin(v).mul(lax.psum(v, "p"))
    const p = pmap(body, { axisName: "p" })
    const v = vmap(body, { axisName: "p" })
    expect(jit(p)(x).toJs()).toEqual(v(x).toJs())
    const loss = (g: (a: Array) => Array) => (a: Array) => g(a).sum()
    expect(grad(loss(p))(x).toJs()).toEqual(grad(loss(v))(x).toJs())
    expect(vmap(p)(np.stack([x, x.mul(2)])).toJs()).toEqual(vmap(v)(np.stack([x, x.mul(2)])).toJs())
    expect(grad(loss(pmap((a: Array) => np.sin(a))))(x).toJs()).toEqual(np.cos(x).toJs())
  })
  it("bad options", () => {
    expect(() => pmap((v: Array) => v, { axisNam: "i" } as never)).toThrow(/pmap: unknown option "axisNam" \(did you mean "axisName"\?\)/)
    expect(() => pmap((v: Array) => v, { axisName: 3 } as never)).toThrow(ValueError)
    expect(() => pmap((v: Array) => v, { inAxes: null })(x)).toThrow(/pass \{ axisSize \}/)
  })
})
