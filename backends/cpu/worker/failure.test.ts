/**
 * A failed computation on a worker CPU device poisons only its own results and the results of
 * computations that read them (as an asynchronous error in JAX does): every other array on the
 * device stays readable and later work runs normally.
 */
import { describe, expect, it } from "vitest"
import { config, type Device, devicePut, devices, DeviceError, np } from "../../../index.js"
import { type ArrayImpl, ShapedArray } from "../../../core/array.js"
import type { DeviceBuffer } from "../../../core/backend.js"
import { Jaxpr, Var } from "../../../core/ir.js"
import { lookupPrimitive } from "../../../core/primitive.js"

try {
  config.update("jaxfxCpuDevices", 2)
} catch {
  // JAXFX_CPU_DEVICES set for the whole run already made the devices.
}

const f32 = (n: number): ShapedArray => new ShapedArray([n], "float32")

/** A program the worker cannot run: dot_general given one operand (core never builds it; the runtime must survive it). */
const broken = (d: Device, x: ArrayImpl): DeviceBuffer => {
  const i = new Var(f32(4))
  const o = new Var(f32(4))
  const exe = d.backend.compile(new Jaxpr([], [i], [{ primitive: lookupPrimitive("dot_general")!, inputs: [i], params: {}, outVars: [o] }], [o]))
  return exe([{ buffer: x.buffer, aval: x.aval }])[0]!
}

/** The program `x + x` on raw buffers (to feed a poisoned buffer into it). */
const doubled = (d: Device, b: DeviceBuffer): DeviceBuffer => {
  const i = new Var(f32(4))
  const o = new Var(f32(4))
  const exe = d.backend.compile(new Jaxpr([], [i], [{ primitive: lookupPrimitive("add")!, inputs: [i, i], params: {}, outVars: [o] }], [o]))
  return exe([{ buffer: b, aval: f32(4) }])[0]!
}

describe("a failure on a worker device", () => {
  it("fails the reads of its results and of what depends on them, and nothing else", async () => {
    const d = devices()[1]!
    const x = devicePut(np.arange(4, { dtype: "float32" }), d) as ArrayImpl
    const before = x.add(1)
    const bad = broken(d, x)
    const worse = doubled(d, bad)
    const after = x.mul(3)
    expect(() => d.backend.readSync!(bad, f32(4))).toThrow(DeviceError)
    expect(() => d.backend.readSync!(bad, f32(4))).toThrow(/a computation on worker CPU device 1 failed: .*missing input 1/)
    expect(() => d.backend.readSync!(worse, f32(4))).toThrow(/missing input 1/)
    await expect(d.backend.read(worse, f32(4))).rejects.toThrow(DeviceError)
    // arrays computed before and after, and new work, are unaffected
    expect([...before.data()]).toEqual([1, 2, 3, 4])
    expect([...after.data()]).toEqual([0, 3, 6, 9])
    expect([...x.add(x).data()]).toEqual([0, 2, 4, 6])
    expect([...(await x.sub(1).dataAsync())]).toEqual([-1, 0, 1, 2])
  })
})
