/**
 * Devices in the public API (issue 11): listing, printing, placement with JAX's committed rule,
 * moving arrays, reading back, the typed errors, and a worker CPU device computing what device 0
 * computes, eagerly and under jit.
 */
import { describe, expect, it } from "vitest"
import { fakeDevice } from "../../backends/cpu/test-helpers.js"
import {
  type Array,
  config,
  defaultDevice,
  deviceCount,
  deviceGet,
  devicePut,
  devicePutAsync,
  devices,
  bind1,
  definePrimitive,
  debug,
  DeviceError,
  effectsBarrier,
  jit,
  lax,
  localDeviceCount,
  np,
  random,
  ValueError,
  withDefaultDevice
} from "../../index.js"
import { ArrayImpl } from "../array.js"

// Two CPU devices: device 0 on this thread, device 1 on a worker (before the first array is made).
try {
  config.update("jaxfxCpuDevices", 2)
} catch {
  // JAXFX_CPU_DEVICES set for the whole run already made the devices.
}

const bits = (x: Array): number[] => [...x.data()]

describe("the devices of the process", () => {
  it("lists CPU devices with JAX's names and counts", () => {
    const ds = devices()
    expect(ds.length).toBeGreaterThanOrEqual(2)
    expect(ds.map(String).slice(0, 2)).toEqual(["CpuDevice(id=0)", "CpuDevice(id=1)"])
    expect(devices("cpu")).toEqual(ds)
    expect(deviceCount()).toBe(ds.length)
    expect(localDeviceCount()).toBe(ds.length)
    expect(ds[0]!.platform).toBe("cpu")
    expect(ds[1]!.deviceKind).toBe("worker cpu")
    expect(String(defaultDevice())).toMatch(/^CpuDevice\(id=\d\)$/)
  })

  it("the device count cannot change once devices exist; bad settings are ValueErrors", () => {
    expect(() => config.update("jaxfxCpuDevices", 4)).toThrow(ValueError)
    expect(() => config.update("jaxfxCpuDevices", 4)).toThrow(/set the count before the first array is made, or start the process with JAXFX_CPU_DEVICES=N/)
    expect(() => config.update("jaxfxCpuDevices", 0)).toThrow(/expected an integer from 1 to 256, got 0/)
    expect(() => config.update("jaxfxCpuDevices", 2.5)).toThrow(ValueError)
    expect(() => config.update("jaxfxCpuDevice", 2)).toThrow(/unknown setting "jaxfxCpuDevice" \(did you mean "jaxfxCpuDevices"\?\)/)
    expect(() => config.update("jaxDefaultDevice", "gpu")).toThrow(
      /expected a Device \(from devices\(\)\), a device id, a platform name \("cpu", "webgpu"\) or null, got gpu/
    )
  })

  it("an unknown platform and a device index out of range are DeviceErrors that say what exists", () => {
    expect(() => devices("tpu")).toThrow(DeviceError)
    expect(() => devices("tpu")).toThrow(/unknown platform; the platforms are "cpu"/)
    expect(() => devicePut(np.arange(2), 99)).toThrow(DeviceError)
    expect(() => devicePut(np.arange(2), 99)).toThrow(/no device with id 99: this process has \d+ devices .* JAXFX_CPU_DEVICES=N/)
  })
})

describe("placement", () => {
  it("devicePut commits arrays; results stay on their inputs' device", () => {
    const [d0, d1] = devices()
    const x = devicePut(np.arange(4).astype("float32"), d1!)
    expect(x.device).toBe(d1)
    expect(x.devices()).toEqual(new Set([d1]))
    expect((x as ArrayImpl).committed).toBe(true)
    const y = x.mul(2).add(1)
    expect(y.device).toBe(d1)
    expect((y as ArrayImpl).committed).toBe(true)
    expect(bits(y)).toEqual([1, 3, 5, 7])
    // an uncommitted operand follows the committed one
    const z = withDefaultDevice(d0!, () => np.ones([4]).add(x))
    expect(z.device).toBe(d1)
    expect(bits(z)).toEqual([1, 2, 3, 4])
  })

  it("uncommitted arrays compute on the default device", () => {
    const [d0, d1] = devices()
    const a = withDefaultDevice(d0!, () => np.arange(3))
    expect(a.device).toBe(d0)
    const b = withDefaultDevice(d1!, () => a.add(1))
    expect(b.device).toBe(d1)
    expect((b as ArrayImpl).committed).toBe(false)
    expect(bits(b)).toEqual([1, 2, 3])
  })

  it("two committed devices in one operation is a DeviceError naming both devices and devicePut", () => {
    const [d0, d1] = devices()
    const a = devicePut(np.arange(3), d0!)
    const b = devicePut(np.arange(3), d1!)
    expect(() => a.add(b)).toThrow(DeviceError)
    expect(() => a.add(b)).toThrow(/add: its inputs are committed to different devices, CpuDevice\(id=0\) and CpuDevice\(id=1\); move one with devicePut/)
    expect(() => jit((p: Array, q: Array) => p.mul(q))(a, b)).toThrow(/committed to different devices/)
    // after the error, both arrays are intact
    expect(bits(a)).toEqual([0, 1, 2])
    expect(bits(b)).toEqual([0, 1, 2])
  })

  it("devicePut takes pytrees and numbers; deviceGet brings them back as host data", () => {
    const d1 = devices()[1]!
    const t = devicePut({ w: np.arange(3), b: [2.5, np.ones([2])] }, d1)
    expect(t.w.device).toBe(d1)
    expect(t.b[0]!.device).toBe(d1)
    const host = deviceGet(t)
    expect(host.w).toBeInstanceOf(Int32Array)
    expect([...host.w]).toEqual([0, 1, 2])
    expect([...host.b[0]!]).toEqual([2.5])
    expect([...host.b[1]!]).toEqual([1, 1])
  })

  it("devicePutAsync and dataAsync wait without blocking", async () => {
    const [d0, d1] = devices()
    const x = devicePut(np.arange(5).astype("float32"), d1!).mul(3)
    expect([...(await x.dataAsync())]).toEqual([0, 3, 6, 9, 12])
    const y = await devicePutAsync(x, d0!)
    expect(y.device).toBe(d0)
    expect(bits(y)).toEqual([0, 3, 6, 9, 12])
    expect((await x.blockUntilReadyAsync()) === x).toBe(true)
  })
})

describe("a worker CPU device computes what device 0 computes, bit for bit", () => {
  const [d0, d1] = devices()
  const on = <T>(d: typeof d0, f: () => T): T => withDefaultDevice(d!, f)
  const same = (f: () => Array): void => {
    const a = on(d0, f)
    const b = on(d1, f)
    expect(b.device).toBe(d1)
    expect(bits(b)).toEqual(bits(a))
  }

  it("eager operations, fused jit programs, GEMM, control flow and random numbers", () => {
    same(() => np.tanh(np.linspace(-3, 3, 17)).mul(np.exp(np.linspace(0, 1, 17))))
    same(() => np.matmul(np.arange(12).reshape([3, 4]).astype("float32"), np.ones([4, 5])))
    same(() => jit((x: Array) => np.sum(np.sin(x).mul(x), { axis: 0 }))(np.arange(20).reshape([4, 5]).astype("float32")))
    same(() =>
      lax.whileLoop(
        (c: Array) => c.lt(1000),
        (c: Array) => c.mul(2).add(1),
        np.array(1)
      )
    )
    same(() =>
      jit((x: Array) => lax.scan((c: Array, r: Array) => [c.add(r), c.mul(r)] as const, np.zeros([3]), x)[1])(np.arange(12).reshape([4, 3]).astype("float32"))
    )
    same(() =>
      lax.cond(
        np.array(true),
        (x: Array) => x.add(1),
        (x: Array) => x.sub(1),
        np.arange(3)
      )
    )
    same(() => random.normal(random.key(7), [6]))
  })

  it("user-defined primitives run on a worker through their impl; one without an impl is a ValueError", () => {
    const d = devices()[1]!
    const double = definePrimitive<Record<string, never>>("test_double_on_worker", ([a]) => [a!])
    double.impl = ([a]) => [a!.mul(2)]
    const x = devicePut(np.arange(3), d)
    expect(bits(bind1(double, [x], {}))).toEqual([0, 2, 4])
    const opaque = definePrimitive<Record<string, never>>("test_opaque_on_worker", ([a]) => [a!])
    expect(() => bind1(opaque, [x], {})).toThrow(ValueError)
    expect(() => bind1(opaque, [x], {})).toThrow(/"test_opaque_on_worker" has no impl rule, so it cannot run on a worker device/)
    expect(bits(x)).toEqual([0, 1, 2]) // the operand is intact
  })
})

describe("effectsBarrier", () => {
  it("runs the host callbacks of work dispatched to a worker device by the time it returns", () => {
    const lines: string[] = []
    const f = jit((x: Array) => {
      debug.print("x={}", x)
      return x.add(1)
    })
    const previous = debug.setPrintSink((l) => lines.push(l))
    try {
      withDefaultDevice(devices()[1]!, () => f(np.arange(3)))
      effectsBarrier()
    } finally {
      debug.setPrintSink(previous)
    }
    expect(lines).toEqual(["x=[0 1 2]"])
  })
})

describe("asynchronous devices", () => {
  it("a synchronous read where none is possible is a DeviceError naming the asynchronous API", async () => {
    const gpu = fakeDevice({ name: "fake-gpu", async: true })
    const x = devicePut(np.arange(4), gpu)
    expect(() => x.data()).toThrow(DeviceError)
    expect(() => x.data()).toThrow(/cannot be read synchronously here: read it with the Effect API `Device\.read\(x\)` \(or `await x\.dataAsync\(\)`\)/)
    expect(() => deviceGet({ x })).toThrow(/Device\.read/)
    expect(() => x.blockUntilReady()).toThrow(/blockUntilReadyAsync/)
    expect([...(await x.mul(2).dataAsync())]).toEqual([0, 2, 4, 6])
  })
})
