/**
 * lax.pcast: the identity on values (jaxfx keeps no varying-axes types), checked: its `to` is one
 * of JAX's kinds and its axes are bound. Hand-derived values and gradients under vmap and pmap.
 */
import { describe, expect, it } from "vitest"
import { type Array, config, grad, lax, np, pmap, ValueError, NameError, vmap } from "../../index.js"

try {
  config.update("jaxfxCpuDevices", 2)
} catch {
  // JAXFX_CPU_DEVICES set for the whole run already made the devices.
}

describe("lax.pcast", { timeout: 120_000 }, () => {
  const x = np.array([1, 2, 3], { dtype: "float32" })
  it("leaves values as they are under vmap, for every kind, on pytrees", () => {
    for (const to of ["varying", "reduced", "unreduced"] as const) {
      const got = vmap((v: Array) => lax.psum(lax.pcast({ a: v, b: v.mul(2) }, "i", { to }).b, "i"), { axisName: "i" })(x)
      expect(got.toJs()).toEqual([12, 12, 12])
    }
  })
  it("differentiates as the identity: d/dx of sum over members of psum(pcast(x)) is the axis size", () => {
    const g = grad((v: Array) => np.sum(vmap((u: Array) => lax.psum(lax.pcast(u, "i", { to: "varying" }), "i"), { axisName: "i" })(v)))(x)
    expect(g.toJs()).toEqual([3, 3, 3])
  })
  it("runs in a pmap across devices", () => {
    const got = pmap((v: Array) => lax.psum(lax.pcast(v, "p", { to: "varying" }), "p"), { axisName: "p" })(np.array([4, 5], { dtype: "float32" }))
    expect(got.toJs()).toEqual([9, 9])
  })
  it("refuses an unknown kind and an unbound axis", () => {
    expect(() => vmap((v: Array) => lax.pcast(v, "i", { to: "invariant" as "varying" }), { axisName: "i" })(x)).toThrow(ValueError)
    expect(() => vmap((v: Array) => lax.pcast(v, "i", { to: "invariant" as "varying" }), { axisName: "i" })(x)).toThrow(/to: "varying"/)
    expect(() => vmap((v: Array) => lax.pcast(v, "j", { to: "varying" }), { axisName: "i" })(x)).toThrow(NameError)
  })
})
