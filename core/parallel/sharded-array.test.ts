/**
 * Sharded Arrays against real JAX (golden/sharding.py, "layout" cases): each device's shard index,
 * replica id and shape under a mesh and PartitionSpec, and the text of visualizeArraySharding. Runs
 * the cases whose mesh fits this run's CPU devices (8 when this file makes them; 2 under
 * JAXFX_CPU_DEVICES=2).
 */
import { describe, expect, it } from "vitest"
import { loadGolden } from "../../golden/load.js"
import { type Array, config, debug, devicePut, devices, NamedSharding, np, P, pmap, ShapeError, ShardedArray } from "../../index.js"
import { goldenMesh, goldenSpec, meshNeeds } from "./test-meshes.js"
import type { SpecEntry } from "./mesh.js"

try {
  config.update("jaxfxCpuDevices", 8)
} catch {
  // JAXFX_CPU_DEVICES set for the whole run already made the devices.
}

interface Layout {
  readonly kind: "layout"
  readonly id: string
  readonly mesh: string
  readonly spec: ReadonlyArray<SpecEntry>
  readonly shape: ReadonlyArray<number>
  readonly shards: ReadonlyArray<{ device: number; index: [number, number][]; replica: number; shape: number[] }>
  readonly replicated: boolean
  readonly text: string
}
const layouts = loadGolden<Layout | { kind: "jit" }>("sharding").cases.filter((c): c is Layout => c.kind === "layout")
const n = devices().length

describe(`sharded arrays on ${n} CPU devices, against JAX`, () => {
  for (const c of layouts) {
    it.skipIf(n < meshNeeds[c.mesh]!)(c.id, () => {
      const size = c.shape.reduce((a, b) => a * b, 1)
      const x = np
        .arange(size)
        .astype("float32")
        .reshape([...c.shape])
      const y = devicePut(x, new NamedSharding(goldenMesh(c.mesh), goldenSpec(c.spec)))
      expect(y).toBeInstanceOf(ShardedArray)
      const s = y as ShardedArray
      expect(s.isFullyReplicated).toBe(c.replicated)
      const got = s.addressableShards.map((sh) => ({
        device: sh.device.id,
        index: sh.index.map((i) => [i.start, i.stop]),
        replica: sh.replicaId,
        shape: [...sh.data.shape]
      }))
      expect(got.sort((a, b) => a.device - b.device)).toEqual(c.shards)
      // Each shard holds its block of x, on its device.
      for (const sh of s.addressableShards) {
        expect(sh.data.device).toBe(sh.device)
        const block = sh.index.reduce<Array>((v, i, d) => np.take(v, np.arange(i.start, i.stop), { axis: d }), x)
        expect(sh.data.toJs()).toEqual(block.toJs())
      }
      // Reading gathers the shards.
      expect(s.toJs()).toEqual(x.toJs())
      const lines: string[] = []
      expect(debug.visualizeArraySharding(s, { sink: (t) => lines.push(t) })).toBe(c.text)
      expect(lines).toEqual([c.text])
    })
  }
})

describe.skipIf(n < 2)("sharded arrays", () => {
  const mesh = goldenMesh("x2")
  it("are Arrays: eager operations and a plain jit read the gathered value", () => {
    const x = devicePut(np.arange(8).astype("float32"), new NamedSharding(mesh, P("x")))
    expect(x.mul(2).toJs()).toEqual([0, 2, 4, 6, 8, 10, 12, 14])
    expect(x.toString()).toBe("Array([0., 1., 2., 3., 4., 5., 6., 7.], dtype=float32)")
    expect([...x.devices()].map((d) => d.id)).toEqual([0, 1])
  })
  it("devicePut places every leaf of a pytree, and refuses a spec that does not divide the shape", () => {
    const t = devicePut({ a: np.ones([4]), b: [np.zeros([2, 2])] }, new NamedSharding(mesh, P("x")))
    expect((t.a as ShardedArray).addressableShards[1]!.data.shape).toEqual([2])
    expect((t.b[0] as ShardedArray).addressableShards[0]!.data.shape).toEqual([1, 2])
    expect(() => devicePut(np.ones([3]), new NamedSharding(mesh, P("x")))).toThrow(ShapeError)
  })
  it("delete releases every shard", () => {
    const x = devicePut(np.arange(4), new NamedSharding(mesh, P("x"))) as ShardedArray
    const shards = x.addressableShards
    x.delete()
    expect(x.isDeleted()).toBe(true)
    expect(shards.every((s) => s.data.isDeleted())).toBe(true)
    expect(() => x.toJs()).toThrow(/deleted/)
  })
  it("pmap's result is sharded over its devices, and a second pmap consumes the shards where they are", () => {
    const f = pmap((v: Array) => v.mul(2))
    const y = f(np.arange(4).astype("float32").reshape([2, 2])) as ShardedArray
    expect(y).toBeInstanceOf(ShardedArray)
    expect(y.addressableShards.map((s) => [s.device.id, s.data.shape, s.index[0]])).toEqual([
      [0, [1, 2], { start: 0, stop: 1 }],
      [1, [1, 2], { start: 1, stop: 2 }]
    ])
    const z = f(y) as ShardedArray
    expect(z.addressableShards.map((s) => s.data.device.id)).toEqual([0, 1])
    expect(z.toJs()).toEqual([
      [0, 4],
      [8, 12]
    ])
  })
  it("visualizes a single-device array as one block", () => {
    const x = np.arange(4)
    expect(debug.visualizeArraySharding(x, { sink: () => {} })).toBe(`┌───────┐\n│ CPU ${x.device.id} │\n└───────┘\n`)
  })
})
