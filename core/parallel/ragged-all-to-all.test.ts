/**
 * lax.raggedAllToAll against hand-derived values (JAX's docstring example: two members, ragged
 * rows), as array operations under vmap with the axis name and as the shared-memory routine under
 * pmap across two CPU devices; jvp, the transpose (grad inside the per-member program) and another
 * vmap around it.
 */
import { describe, expect, it } from "vitest"
import { type Array, config, grad, jit, jvp, lax, np, pmap, ShapeError, vmap } from "../../index.js"
import { deviceProgramRuns } from "./device-program.js"

try {
  config.update("jaxfxCpuDevices", 2)
} catch {
  // JAXFX_CPU_DEVICES set for the whole run already made the devices.
}

// Member 0 sends row 0 to itself (at 0) and rows 1..2 to member 1 (at 0); member 1 sends row 0 to
// member 0 (at 1) and row 1 to itself (at 2).
const operand = np
  .array([
    [1, 2, 2],
    [3, 4, 0]
  ])
  .astype("float32")
const output = np.zeros([2, 4])
const io = np.array([
  [0, 1],
  [0, 1]
])
const ss = np.array([
  [1, 2],
  [1, 1]
])
const oo = np.array([
  [0, 0],
  [1, 2]
])
const rs = np.array([
  [1, 1],
  [2, 1]
])
const want = [
  [1, 3, 0, 0],
  [2, 2, 4, 0]
]
const f = (x: Array, o: Array, a: Array, b: Array, c: Array, d: Array): Array => lax.raggedAllToAll(x, o, a, b, c, d, { axisName: "i" })

describe("lax.raggedAllToAll", { timeout: 120_000 }, () => {
  it("under vmap with the axis name: JAX's example", () => {
    expect(vmap(f, { axisName: "i" })(operand, output, io, ss, oo, rs).toJs()).toEqual(want)
    expect(jit(vmap(f, { axisName: "i" }))(operand, output, io, ss, oo, rs).toJs()).toEqual(want)
  })
  it("under pmap across two devices (the shared-memory routine): the same", () => {
    const before = deviceProgramRuns()
    expect(pmap(f, { axisName: "i" })(operand, output, io, ss, oo, rs).toJs()).toEqual(want)
    expect(deviceProgramRuns()).toBe(before + 1)
  })
  it("rows of 2-d slices, and an output whose rows nobody writes keep their values", () => {
    const x = np.stack([operand, operand.mul(10)], -1) // [2, 3, 2]
    const out = np.zeros([2, 4, 2]).sub(1)
    const got = pmap(f, { axisName: "i" })(x, out, io, ss, oo, rs)
    const w = np.array(want).astype("float32")
    const expected = np.where(
      np
        .array([
          [true, true, false, false],
          [true, true, true, false]
        ])
        .reshape([2, 4, 1]),
      np.stack([w, w.mul(10)], -1),
      -1
    )
    expect(got.toJs()).toEqual(expected.toJs())
    expect(vmap(f, { axisName: "i" })(x, out, io, ss, oo, rs).toJs()).toEqual(expected.toJs())
  })
  it("jvp: linear in operand and output", () => {
    const [y, t] = jvp(
      (x: Array, o: Array) => vmap(f, { axisName: "i", inAxes: [0, 0, 0, 0, 0, 0] })(x, o, io, ss, oo, rs),
      [operand, output],
      [np.ones([2, 3]), np.ones([2, 4])]
    )
    expect(y.toJs()).toEqual(want)
    expect(t.toJs()).toEqual([
      [1, 1, 1, 1],
      [1, 1, 1, 1]
    ])
  })
  it("grad inside the per-member program (the transpose rule): each row's weight where it lands, the output's where nothing lands", () => {
    const w = np.arange(1, 9).astype("float32").reshape([2, 4])
    const g = (x: Array, o: Array, a: Array, b: Array, c: Array, d: Array, wi: Array): [Array, Array] =>
      grad((u: Array, v: Array) => np.sum(f(u, v, a, b, c, d).mul(wi)), { argnums: [0, 1] })(x, o) as [Array, Array]
    for (const run of [vmap(g, { axisName: "i" }), pmap(g, { axisName: "i" })]) {
      const [gx, go] = run(operand, output, io, ss, oo, rs, w)
      expect(gx.toJs()).toEqual([
        [1, 5, 6],
        [2, 7, 0]
      ])
      expect(go.toJs()).toEqual([
        [0, 0, 3, 4],
        [0, 0, 0, 8]
      ])
    }
  })
  it("under another vmap (a batch of exchanges): each batch element as on its own", () => {
    const inner = (x: Array): Array => vmap(f, { axisName: "i" })(x, output, io, ss, oo, rs)
    const xs = np.stack([operand, operand.mul(2), operand.add(1)])
    const byHand = np.stack([inner(operand), inner(operand.mul(2)), inner(operand.add(1))])
    // the batch outside the named axis, and inside it
    expect(vmap(inner)(xs).toJs()).toEqual(byHand.toJs())
    const innerBatched = vmap((x: Array, o: Array, a: Array, b: Array, c: Array, d: Array) => vmap((xi: Array) => f(xi, o, a, b, c, d))(x), {
      axisName: "i"
    })
    expect(innerBatched(np.moveaxis(xs, 0, 1), output, io, ss, oo, rs).toJs()).toEqual(np.moveaxis(byHand, 0, 1).toJs())
  })
  it("refuses offsets whose count the members cannot share, and mismatched rows", () => {
    const three = np.zeros([2, 3], { dtype: "int32" })
    expect(() => vmap(f, { axisName: "i" })(operand, output, three, three, three, three)).toThrow(ShapeError)
    expect(() => vmap(f, { axisName: "i" })(operand, output, three, three, three, three)).toThrow(/divide among the 2 members/)
    expect(() => vmap(f, { axisName: "i" })(operand, np.zeros([2, 4, 2]), io, ss, oo, rs)).toThrow(/must agree after the leading axis/)
  })
})
