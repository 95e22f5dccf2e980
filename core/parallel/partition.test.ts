/**
 * jit with inShardings/outShardings (and lax.withShardingConstraint) against real JAX
 * (golden/sharding.py, "jit" cases): the same programs over the same meshes give JAX's values and
 * the result's shard shapes; the partitioned program equals the unsharded one; the elementwise,
 * reduction and dot_general rules run without a reshard, and a primitive without a rule reshards
 * with a warning. Runs the cases whose mesh fits this run's CPU devices (8 here, 2 under
 * JAXFX_CPU_DEVICES=2).
 */
import { afterEach, describe, expect, it, vi } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../golden/load.js"
import { type Array, config, devicePut, devices, jit, lax, makeMesh, NamedSharding, np, P, ShardedArray, ValueError } from "../../index.js"
import type { SpecEntry } from "./mesh.js"
import { goldenMesh, goldenSpec, meshNeeds } from "./test-meshes.js"

try {
  config.update("jaxfxCpuDevices", 8)
} catch {
  // JAXFX_CPU_DEVICES set for the whole run already made the devices.
}

interface JitCase {
  readonly kind: "jit"
  readonly id: string
  readonly mesh: string
  readonly in_specs: ReadonlyArray<ReadonlyArray<SpecEntry>>
  readonly out_spec: ReadonlyArray<SpecEntry>
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: GoldenArray
  readonly shard_shapes: ReadonlyArray<ReadonlyArray<number>>
}
const cases = loadGolden<JitCase | { kind: "layout" }>("sharding").cases.filter((c): c is JitCase => c.kind === "jit")
const n = devices().length

const wsc =
  (mesh: string, spec: ReadonlyArray<SpecEntry>) =>
  (v: Array): Array =>
    lax.withShardingConstraint(v, new NamedSharding(goldenMesh(mesh), goldenSpec(spec)))
// The programs of golden/sharding.py, under the same names.
const programs: Readonly<Record<string, (...a: Array[]) => Array>> = {
  "elementwise stays sharded": (a, b) => np.sin(a!).mul(b!).add(1),
  "elementwise with a replicated operand": (a, b) => a!.mul(b!).sub(a!),
  "sum over a sharded axis": (a) => a!.sum({ axis: 0 }),
  "sum over an unsharded axis": (a) => a!.sum({ axis: 1 }),
  "max over a sharded axis": (a) => a!.max({ axis: 0 }),
  "mean of everything": (a) => a!.mean(),
  "matmul with a sharded contracting dim": (a, w) => np.matmul(a!, w!),
  "batch-sharded matmul": (a, w) => np.matmul(a!, w!),
  "matmul with sharded output columns": (a, w) => np.matmul(a!, w!),
  "mlp layer": (x, w, b) => np.tanh(np.matmul(x!, w!).add(b!)),
  "row vector broadcast": (a, b) => a!.add(b!.reshape([1, -1]).mul(2)),
  transpose: (a) => a!.T.mul(3),
  "sharding constraint to replicated": (a) => wsc("x2", [])(a!.mul(2)).add(1),
  "sharding constraint to sharded": (a) => wsc("x2", ["x"])(a!.mul(2)).sum({ axis: 0 }),
  "resharded output": (a) => np.exp(a!),
  "cumsum along a sharded axis": (a) => np.cumsum(a!, { axis: 0 }),
  "2-d mesh: square and sum rows": (a) => a!.mul(a!).sum({ axis: 1 }),
  "2-d mesh: matmul over both axes": (a, w) => np.tanh(np.matmul(a!, w!)),
  "2-d mesh: sum over a dimension split by (x, y)": (a) => a!.sum({ axis: 0 }).mul(2)
}
// Programs that reshard (a rule missing), so warn: none now; partition-rules.test.ts covers the warning.
const reshards = new Set<string>()

const arr = (g: GoldenArray): Array => np.array(goldenValues(g), { dtype: "float32" }).reshape([...g.shape])

afterEach(() => {
  vi.restoreAllMocks()
})

describe(`jit with shardings on ${n} CPU devices, against JAX`, { timeout: 120_000 }, () => {
  for (const c of cases) {
    it.skipIf(n < meshNeeds[c.mesh]!)(c.id, () => {
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {})
      const mesh = goldenMesh(c.mesh)
      const ins = c.in_specs.map((s) => new NamedSharding(mesh, goldenSpec(s)))
      const f = programs[c.id]!
      const g = jit(f, { inShardings: ins, outShardings: new NamedSharding(mesh, goldenSpec(c.out_spec)) })
      const args = c.args.map(arr)
      const got = g(...args) as ShardedArray
      expect(got).toBeInstanceOf(ShardedArray)
      expect(got.shape).toEqual(c.out.shape)
      expect(got.addressableShards.map((s) => s.data.shape)).toEqual(c.shard_shapes)
      expect(got.addressableShards.map((s) => s.data.device)).toEqual(mesh.devices)
      const want = goldenValues(c.out)
      const have = [...got.data()]
      have.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4))
      // The partitioned program equals the unsharded one.
      expect(np.allclose(got, jit(f)(...args), { rtol: 1e-5, atol: 1e-5 }).item()).toBe(1)
      expect(warn.mock.calls.length > 0).toBe(reshards.has(c.id))
      // Sharded arguments already laid out as inShardings are used where they are.
      const placed = args.map((a, i) => devicePut(a, ins[i]!))
      expect(np.allclose(g(...placed), got).item()).toBe(1)
    })
  }
})

describe.skipIf(n < 2)("jit with shardings", () => {
  it("uses an argument's own sharding when inShardings leaves it out, and compiles once per layout", () => {
    const mesh = makeMesh([2], ["x"])
    let traces = 0
    const f = jit(
      (a: Array) => {
        traces++
        return a.mul(a).sum({ axis: 0 })
      },
      { outShardings: new NamedSharding(mesh, P()) }
    )
    const x = np.arange(8).astype("float32").reshape([4, 2])
    const sharded = devicePut(x, new NamedSharding(mesh, P("x")))
    expect(f(sharded).toJs()).toEqual([56, 84])
    expect(f(sharded.add(0)).toJs()).toEqual([56, 84])
    expect(f(devicePut(x.mul(2), new NamedSharding(mesh, P("x"))) as Array).toJs()).toEqual([224, 336])
    expect(traces).toBe(2)
  })
  it("runs as plain jit under grad, with constraints as the identity", async () => {
    const { grad } = await import("../../index.js")
    const mesh = makeMesh([2], ["x"])
    const f = jit((a: Array) => lax.withShardingConstraint(a.mul(a), new NamedSharding(mesh, P("x"))).sum(), { inShardings: new NamedSharding(mesh, P("x")) })
    expect(grad(f)(np.arange(4).astype("float32")).toJs()).toEqual([0, 2, 4, 6])
  })
  it("checks its options", () => {
    const mesh = makeMesh([2], ["x"])
    expect(() => jit((a: Array) => a, { inShardings: [P("x")] as never })(np.ones([2]))).toThrow(ValueError)
    expect(() => jit((a: Array) => a, { inShardings: new NamedSharding(mesh, P("x")), staticArgnums: 1, donateArgnums: 1 })).toThrow(/both static and donated/)
    expect(() => lax.withShardingConstraint(np.ones([3]), new NamedSharding(mesh, P("x")))).toThrow(/does not divide/)
  })
})
