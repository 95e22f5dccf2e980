import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { fakeDevice } from "../backends/cpu/test-helpers.js"
import type { Backend } from "../core/backend.js"
import { type Array, defaultDevice, DeviceError, devices, jit, np, ShapeError } from "../index.js"
import { Device } from "./device.js"

/**
 * A fake asynchronous device: the CPU's compiler and buffers, but reads and synchronization
 * answer with promises, as a WebGPU device does.
 */
const fakeAsync = (opts: { readonly failReads?: boolean } = {}) => {
  const log: string[] = []
  const device = fakeDevice({ name: "fake-async", async: true, log, ...(opts.failReads === true ? { failReads: true } : {}) })
  return { device, backend: device.backend, log }
}

describe("Device on the CPU", () => {
  it("put makes an array on the device; read gives the tree back with TypedArrays", async () => {
    const program = Effect.gen(function* () {
      const x = yield* Device.put([1, 2, 3])
      const y = yield* Device.put([[1.5, 2]], { dtype: "float64" })
      const dev = yield* Device
      return { name: dev.name, x, host: yield* Device.read({ x, nested: [y, null], n: 7 }) }
    })
    const r = await Effect.runPromise(Effect.provide(program, Device.cpu))
    expect(r.name).toBe("CpuDevice(id=0)")
    expect(r.x.dtype).toBe("int32")
    expect(r.host.x).toBeInstanceOf(Int32Array)
    expect([...r.host.x]).toEqual([1, 2, 3])
    expect(r.host.nested[0]).toBeInstanceOf(Float64Array)
    expect([...r.host.nested[0]!]).toEqual([1.5, 2])
    expect(r.host.nested[1]).toBeNull()
    expect(r.host.n).toBe(7)
    // the host copy is the caller's: writing to it leaves the immutable array alone
    r.host.x[0] = 99
    expect([...r.x.data()]).toEqual([1, 2, 3])
  })

  it("read and blockUntilReady need no device in the context; put does", () => {
    const x = np.arange(3)
    expect([...Effect.runSync(Device.read(x))]).toEqual([0, 1, 2])
    const t = { x }
    expect(Effect.runSync(Device.blockUntilReady(t))).toBe(t)
    const put = Effect.runSync(Effect.provide(Device.put(x), Device.cpu))
    expect(put.device).toBe(devices()[0]) // device 0, committed there
    expect((put as unknown as { committed: boolean }).committed).toBe(true)
    expect(Effect.runSync(Effect.provide(Device.put(put), Device.cpu))).toBe(put) // already committed there
  })

  it("bad input to put is a typed failure, not a defect", () => {
    const e = Effect.runSync(Effect.flip(Effect.provide(Device.put([[1, 2], [3]]), Device.cpu)))
    expect(e).toBeInstanceOf(ShapeError)
  })

  it("reading a traced value is a DeviceError in the typed channel", () => {
    let seen: unknown
    jit((x: Array) => {
      seen = Effect.runSync(Effect.flip(Device.read({ x })))
      return x
    })(np.arange(2))
    expect(seen).toBeInstanceOf(DeviceError)
    expect((seen as DeviceError).message).toMatch(/traced value/)
  })
})

describe("Device on an asynchronous backend", () => {
  it("x.data() fails with a message naming Device.read; Device.read works", async () => {
    const { device, backend, log } = fakeAsync()
    const program = Effect.gen(function* () {
      const x = yield* Device.put([1, 2, 3], { dtype: "float32" })
      expect(() => x.data()).toThrow(DeviceError)
      expect(() => x.data()).toThrow(/Device\.read/)
      expect(() => x.toString()).toThrow(/Device\.read/)
      const before = log.length
      const host = yield* Device.read({ a: x, b: [x], c: "label" })
      expect(log.length - before).toBe(1) // one read per distinct array
      return { x, host }
    })
    const { x, host } = await Effect.runPromise(Effect.provide(program, Device.on(device, { makeDefault: false })))
    expect((x as unknown as { backend: Backend }).backend).toBe(backend)
    expect(host.a).toBeInstanceOf(Float32Array)
    expect([...host.a]).toEqual([1, 2, 3])
    expect([...host.b[0]!]).toEqual([1, 2, 3])
    expect(host.c).toBe("label")
    // the core's own async read agrees
    expect([...(await (x as unknown as { dataAsync(): Promise<Float32Array> }).dataAsync())]).toEqual([1, 2, 3])
  })

  it("Device.read cannot be run synchronously on an async device, but runPromise can", async () => {
    const { device } = fakeAsync()
    const x = await Effect.runPromise(Effect.provide(Device.put([4, 5]), Device.on(device, { makeDefault: false })))
    expect(() => Effect.runSync(Device.read(x))).toThrow()
    expect([...(await Effect.runPromise(Device.read(x)))]).toEqual([4, 5])
  })

  it("put moves an array between devices (with a dtype conversion on the way)", async () => {
    const { device } = fakeAsync()
    const x = await Effect.runPromise(Effect.provide(Device.put([1.5, -2.5], { dtype: "float32" }), Device.on(device, { makeDefault: false })))
    const y = await Effect.runPromise(Effect.provide(Device.put(x, { dtype: "int32" }), Device.cpu))
    expect(y.dtype).toBe("int32")
    expect([...y.data()]).toEqual([1, -2]) // back on the CPU: synchronous reads work again
    const z = await Effect.runPromise(Effect.provide(Device.put(x), Device.cpu))
    expect([...z.data()]).toEqual([1.5, -2.5])
  })

  it("a failing read and a failing synchronize are DeviceErrors in the typed channel", async () => {
    const { device } = fakeAsync({ failReads: true })
    // two elements: a scalar keeps its host value, and reading it would not touch the device
    const x = await Effect.runPromise(Effect.provide(Device.put([1, 2]), Device.on(device, { makeDefault: false })))
    const e = await Effect.runPromise(Effect.flip(Device.read({ w: x })))
    expect(e).toBeInstanceOf(DeviceError)
    expect(e.message).toMatch(/\['w'\].*device lost/)
    const broken = fakeDevice({ async: true, synchronize: () => Promise.reject(new Error("timeout")) })
    const dev = await Effect.runPromise(
      Effect.provide(
        Effect.gen(function* () {
          return yield* Device
        }),
        Device.on(broken, { makeDefault: false })
      )
    )
    const e2 = await Effect.runPromise(Effect.flip(dev.synchronize))
    expect(e2).toBeInstanceOf(DeviceError)
  })

  it("blockUntilReady synchronizes each backend once and returns the tree", async () => {
    const { device, log } = fakeAsync()
    const x = await Effect.runPromise(Effect.provide(Device.put([1, 2]), Device.on(device, { makeDefault: false })))
    const t = { x, y: [x, x] }
    expect(await Effect.runPromise(Device.blockUntilReady(t))).toBe(t)
    expect(log.filter((l) => l === "sync").length).toBe(1)
  })

  it("a scoped device layer acquires, becomes the default device, and is released and restored", async () => {
    const { device } = fakeAsync()
    const events: string[] = []
    const layer = Device.layer({
      acquire: Effect.sync(() => {
        events.push("acquire")
        return device
      }),
      release: (d) => Effect.sync(() => events.push(`release ${d.platform}`))
    })
    const before = defaultDevice()
    const program = Effect.gen(function* () {
      events.push(`default ${defaultDevice().platform}`)
      // eager ops now run on the device: their results need Device.read
      const y = np.add(yield* Device.put([1, 2]), 10)
      expect(() => y.data()).toThrow(/Device\.read/)
      return [...(yield* Device.read(y))]
    })
    expect(await Effect.runPromise(Effect.provide(program, layer))).toEqual([11, 12])
    expect(events).toEqual(["acquire", "default fake-async", "release fake-async"])
    expect(defaultDevice()).toBe(before)
  })

  it("a failing acquisition fails the layer with a DeviceError", async () => {
    const layer = Device.layer({ acquire: Effect.fail(new DeviceError("no WebGPU adapter")) })
    const e = await Effect.runPromise(Effect.flip(Effect.provide(Device.put([1]), layer)))
    expect(e).toBeInstanceOf(DeviceError)
    expect(Layer.isLayer(layer)).toBe(true)
  })
})
