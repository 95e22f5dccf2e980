/**
 * `x.sharding` on every Array (SingleDeviceSharding for one device, as JAX), and shardMap's
 * results as sharded arrays whose shards stay on their devices, consumed in place by a second
 * shardMap, and shardMap under jit, grad and vmap (the per-device programs as nested named vmaps).
 * Values are hand-derived (JAX prints the same; see the comments). Two CPU devices.
 */
import { describe, expect, it } from "vitest"
import {
  type Array,
  config,
  devicePut,
  devices,
  grad,
  jit,
  lax,
  makeMesh,
  NamedSharding,
  np,
  P,
  shardMap,
  ShardedArray,
  SingleDeviceSharding,
  vmap
} from "../../index.js"

try {
  config.update("jaxfxCpuDevices", 2)
} catch {
  // JAXFX_CPU_DEVICES set for the whole run already made the devices.
}
const two = devices().length >= 2

describe("x.sharding on every array", () => {
  it("a single-device array has a SingleDeviceSharding with JAX's fields", () => {
    const x = np.arange(4).astype("float32")
    const s = x.sharding
    expect(s).toBeInstanceOf(SingleDeviceSharding)
    expect([...s.deviceSet]).toEqual([x.device])
    expect(s.numDevices).toBe(1)
    expect(s.isFullyReplicated).toBe(true)
    expect(s.isFullyAddressable).toBe(true)
    expect(s.memoryKind).toBe("device")
    expect(s.shardShape([4])).toEqual([4])
    expect([...s.devicesIndicesMap([4, 3]).entries()]).toEqual([
      [
        x.device,
        [
          { start: 0, stop: 4 },
          { start: 0, stop: 3 }
        ]
      ]
    ])
    // SingleDeviceSharding(device=CpuDevice(id=0), memory_kind=device) in JAX.
    expect(String(s)).toBe(`SingleDeviceSharding(device=${x.device.toString()}, memory_kind=device)`)
    expect(x.isFullyReplicated).toBe(true)
    const shards = x.addressableShards
    expect(shards).toHaveLength(1)
    expect(shards[0]!.data).toBe(x)
    expect(shards[0]!.index).toEqual([{ start: 0, stop: 4 }])
    expect(shards[0]!.replicaId).toBe(0)
  })
  it("a traced value has no sharding", () => {
    expect(() => jit((x: Array) => x.sharding.numDevices)(np.ones([2]))).toThrow(/no device/)
  })
  it("equivalence across kinds of sharding", () => {
    const x = np.ones([4])
    const one = new NamedSharding(makeMesh([1], ["x"]), P("x"))
    expect(x.sharding.isEquivalentTo(one, 1)).toBe(one.mesh.devices[0] === x.device)
    expect(one.isFullyReplicated).toBe(true)
    if (!two) return
    const mesh = makeMesh([2], ["x"])
    const split = new NamedSharding(mesh, P("x"))
    expect(split.isFullyReplicated).toBe(false)
    expect(new NamedSharding(mesh, P()).isFullyReplicated).toBe(true)
    expect(split.numDevices).toBe(2)
    expect(x.sharding.isEquivalentTo(split, 1)).toBe(false)
    // JAX: {CpuDevice(id=0): (slice(0, 2),), CpuDevice(id=1): (slice(2, 4),)}
    const d = mesh.devices
    expect(split.devicesIndicesMap([4])).toEqual(
      new Map([
        [d[0]!, [{ start: 0, stop: 2 }]],
        [d[1]!, [{ start: 2, stop: 4 }]]
      ])
    )
    const y = devicePut(np.arange(4), split)
    expect(y.sharding).toBe(split)
    expect(y.sharding.isEquivalentTo(new NamedSharding(mesh, P("x")), 1)).toBe(true)
    expect(y.isFullyReplicated).toBe(false)
  })
})

describe.skipIf(!two)("shardMap results are sharded arrays", { timeout: 120_000 }, () => {
  const mesh = (): ReturnType<typeof makeMesh> => makeMesh([2], ["x"])
  it("outSpecs lay out the devices' blocks, which stay on their devices", () => {
    const m = mesh()
    const double = shardMap((b: Array) => b.mul(2).add(lax.axisIndex("x")), { mesh: m, inSpecs: P("x"), outSpecs: P("x") })
    const y = double(np.arange(6).astype("float32"))
    expect(y).toBeInstanceOf(ShardedArray)
    const s = y as ShardedArray
    expect(s.sharding.spec.toString()).toBe("PartitionSpec('x',)")
    expect(s.addressableShards.map((sh) => sh.device)).toEqual([...m.devices])
    expect(s.addressableShards.map((sh) => sh.data.device)).toEqual([...m.devices])
    expect(s.addressableShards.map((sh) => sh.data.toJs())).toEqual([
      [0, 2, 4],
      [7, 9, 11]
    ])
    // A second shardMap takes the shards where they are (its input spec is theirs).
    const again = shardMap((b: Array) => lax.psum(b.sum({ keepdims: true }), "x"), { mesh: m, inSpecs: P("x"), outSpecs: P() })
    const total = again(y) as ShardedArray
    expect(total.toJs()).toEqual([33])
    expect(total.isFullyReplicated).toBe(true)
    expect(total.addressableShards.map((sh) => sh.replicaId)).toEqual([0, 1])
    expect(total.addressableShards.map((sh) => sh.data.toJs())).toEqual([[33], [33]])
  })
  it("composes with jit, grad and vmap (same values as on the devices)", () => {
    const m = mesh()
    const f = shardMap((a: Array, w: Array) => lax.psum(np.matmul(a, w), "x"), { mesh: m, inSpecs: [P(null, "x"), P("x", null)], outSpecs: P() })
    const a = np.arange(12).astype("float32").reshape([3, 4])
    const w = np.arange(8).astype("float32").reshape([4, 2]).div(4)
    const want = np.matmul(a, w).toJs()
    expect(f(a, w).toJs()).toEqual(want)
    expect(jit(f)(a, w).toJs()).toEqual(want)
    // d/dw sum(a @ w) = a^T @ ones: column sums of a, repeated over w's 2 columns.
    const g = grad((w: Array) => f(a, w).sum())(w)
    expect(g.toJs()).toEqual(np.matmul(a.T, np.ones([3, 2])).toJs())
    const batch = np.stack([w, w.mul(2)])
    expect(vmap((w: Array) => f(a, w))(batch).toJs()).toEqual([want, np.matmul(a, w.mul(2)).toJs()])
    // Blocks of a 2-d output assembled by a spec over the leading dimension under jit.
    const tag = shardMap((b: Array) => b.add(lax.axisIndex("x").mul(100)), { mesh: m, inSpecs: P("x", null), outSpecs: P("x", null) })
    const x = np.arange(8).reshape([4, 2])
    expect(jit(tag)(x).toJs()).toEqual(tag(x).toJs())
    expect(tag(x).toJs()).toEqual([
      [0, 1],
      [2, 3],
      [104, 105],
      [106, 107]
    ])
  })
})
