/**
 * pmap with collectives across CPU devices (the calling thread and worker threads, over shared
 * memory): every collective against vmap with the same axis name, replicas bit-identical, jit and
 * grad inside the per-device program. Runs on
 * 4 devices (or as many as JAXFX_CPU_DEVICES gives; CI runs it with 2 and 8).
 */
import { describe, expect, it } from "vitest"
import { type Array, config, devices, grad, jit, lax, np, pmap, vmap } from "../../index.js"
import { type ArrayImpl, ShapedArray } from "../array.js"
import { deviceProgramRuns, traceDeviceProgram } from "./device-program.js"
import { replicaOn } from "./replicas.js"

try {
  config.update("jaxfxCpuDevices", 4)
} catch {
  // JAXFX_CPU_DEVICES set for the whole run already made the devices.
}
const n = devices().length >= 8 ? 8 : Math.min(devices().length, 4)
// Integer-valued floats: sums are exact in any order, so pmap and vmap must agree bit for bit.
const x = np
  .arange(n * n * 2)
  .astype("float32")
  .reshape([n, n, 2])
  .sub(7)

const programs: Readonly<Record<string, (v: Array) => Array>> = {
  psum: (v) => lax.psum(v, "p"),
  pmean: (v) => lax.pmean(v, "p"),
  pmax: (v) => lax.pmax(v.mul(v), "p"),
  pmin: (v) => lax.pmin(v.mul(v).neg(), "p"),
  "psum of int32": (v) => lax.psum(v.astype("int32"), "p").astype("float32"),
  // 8- and 16-bit programs run widened to 32 bits: their collectives' slots hold 32-bit elements
  "psum, pmax and pmin of float16": (v) =>
    np.stack([lax.psum(v.astype("float16"), "p"), lax.pmax(v.astype("float16"), "p"), lax.pmin(v.astype("float16"), "p")]).astype("float32"),
  "psum of bfloat16": (v) => lax.psum(v.astype("bfloat16"), "p").astype("float32"),
  "psum of int8": (v) => lax.psum(v.astype("int8"), "p").astype("float32"),
  "psum of a constant": (v) => v.mul(lax.psum(1, "p")),
  normalize: (v) => v.div(lax.psum(v.abs().add(1), "p")),
  allGather: (v) => lax.allGather(v, "p"),
  "allGather axis 1": (v) => lax.allGather(v, "p", { axis: 1 }),
  "allGather tiled axis 1": (v) => lax.allGather(v, "p", { axis: 1, tiled: true }),
  ppermute: (v) =>
    lax.ppermute(
      v,
      "p",
      globalThis.Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as const)
    ),
  pshuffle: (v) =>
    lax.pshuffle(
      v,
      "p",
      globalThis.Array.from({ length: n }, (_, i) => (i + 1) % n)
    ),
  psumScatter: (v) => lax.psumScatter(v, "p"),
  "psumScatter tiled": (v) => lax.psumScatter(v.reshape([n * 2]), "p", { tiled: true }),
  "allToAll 0 1": (v) => lax.allToAll(v, "p", 0, 1),
  "allToAll 0 0": (v) => lax.allToAll(v, "p", 0, 0),
  "allToAll tiled 0 1": (v) => lax.allToAll(v, "p", 0, 1, { tiled: true }),
  "allToAll 1 0 of a 3-d operand": (v) => lax.allToAll(np.stack([v, v.mul(3)], 1), "p", 0, 2),
  axisIndex: (v) => v.mul(lax.axisIndex("p")),
  pswapaxes: (v) => lax.pswapaxes(v, "p", 0),
  "jit inside": jit((v: Array) => v.div(lax.psum(v.abs().add(1), "p"))),
  "grad inside": grad((v: Array) => np.sum(np.sin(v).mul(lax.psum(v, "p")))) as (v: Array) => Array,
  "two collectives in a row": (v) => lax.ppermute(lax.psum(v, "p"), "p", [[0, n - 1]]).add(lax.pmax(v, "p"))
}

describe(`pmap across ${n} CPU devices`, { timeout: 120_000 }, () => {
  for (const [name, f] of Object.entries(programs)) {
    it(`${name} equals vmap with the same axis name`, () => {
      const before = deviceProgramRuns()
      const got = pmap(f, { axisName: "p" })(x)
      expect(deviceProgramRuns()).toBe(before + 1)
      const want = vmap(f, { axisName: "p" })(x)
      // sin and cos may differ in the last bit between a batched and an unbatched kernel
      if (name === "grad inside") expect(np.allclose(got, want, { rtol: 1e-6 }).toJs()).toBe(true)
      else expect(got.toJs()).toEqual(want.toJs())
    })
  }
  it("replicas of a float psum are bit-identical", () => {
    const y = np
      .sin(np.arange(n * 1000).astype("float32"))
      .reshape([n, 1000])
      .mul(1e3)
    const out = pmap((v: Array) => lax.psum(v, "p"), { axisName: "p" })(y)
    const d = out.data() as Float32Array
    for (let k = 1; k < n; k++) expect(Buffer.compare(Buffer.from(d.buffer, d.byteOffset + k * 4000, 4000), Buffer.from(d.buffer, d.byteOffset, 4000))).toBe(0)
    expect(np.allclose(np.broadcastTo(y.sum({ axis: 0 }), [n, 1000]), out, { rtol: 1e-5, atol: 1e-2 }).toJs()).toBe(true)
  })
  it("a replicated output (outAxes null) keeps each device's value, which the next pmap takes without a copy", () => {
    const w = np.arange(6).astype("float32")
    const v = np.ones([n, 6])
    for (const [step, once, twice] of [
      [pmap((p: Array, u: Array) => p.add(lax.pmean(u, "p")), { axisName: "p", inAxes: [null, 0], outAxes: null }), w.add(1), w.add(2)],
      [pmap((p: Array, _u: Array) => p.mul(2), { inAxes: [null, 0], outAxes: null }), w.mul(2), w.mul(4)]
    ] as const) {
      const p1 = step(w, v)
      expect(p1.toJs()).toEqual(once.toJs())
      for (let k = 1; k < n; k++) {
        const r = replicaOn(p1 as ArrayImpl, devices()[k]!)
        expect(r?.device).toBe(devices()[k])
        expect(r!.toJs()).toEqual(p1.toJs())
      }
      expect(step(p1, v).toJs()).toEqual(twice.toJs())
    }
  })
  it("the per-device program is compiled once and called again", () => {
    let traces = 0
    const f = pmap(
      (v: Array) => {
        traces++
        return lax.psum(v, "p")
      },
      { axisName: "p" }
    )
    f(x)
    const t = traces
    expect(f(x.add(1)).toJs()).toEqual(np.broadcastTo(x.add(1).sum({ axis: 0 }), x.shape).toJs())
    expect(traces).toBe(t)
  })
  it("the psums of a pytree's leaves meet once: one psum per dtype in the device program, with vmap's values", () => {
    const f = (v: Array): Array => {
      const s = lax.psum({ a: v, b: v.mul(2).sum(), c: v.astype("int32"), d: v.neg() }, "p")
      // (a psum of a psum's result: the first is needed before the second)
      return s.a
        .add(s.b)
        .add(s.c.astype("float32"))
        .add(lax.psum(s.d.mul(3), "p"))
    }
    const prog = traceDeviceProgram((xs) => f(xs[0]!), [new ShapedArray([n, 2], "float32")], [{ name: "p", size: n }])
    const psums = prog.jaxpr.eqns.filter((e) => e.primitive.name === "psum").map((e) => e.inputs[0]!.aval.dtype)
    expect(psums).toEqual(["float32", "int32", "float32"])
    expect(pmap(f, { axisName: "p" })(x).toJs()).toEqual(vmap(f, { axisName: "p" })(x).toJs())
  })
  it("pswapaxes swaps the device axis with a positional one (a transpose of the blocks)", () => {
    const got = pmap((v: Array) => lax.pswapaxes(v, "p", 0), { axisName: "p" })(x)
    expect(got.toJs()).toEqual(np.transpose(x, [1, 0, 2]).toJs())
  })
})
