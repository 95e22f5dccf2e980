/**
 * shardMap over meshes of CPU devices (8 here, or what JAXFX_CPU_DEVICES gives: cases whose mesh
 * needs more devices are skipped), against real JAX's shard_map (golden/shard_map.py): the same
 * programs under the same names, with collectives over the mesh axes across devices. Also Mesh,
 * PartitionSpec and NamedSharding on their own.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../golden/load.js"
import { type Array, config, devices, lax, makeMesh, Mesh, NamedSharding, np, P, type PartitionSpec, shardMap, ShapeError, ValueError } from "../../index.js"

try {
  config.update("jaxfxCpuDevices", 8)
} catch {
  // JAXFX_CPU_DEVICES set for the whole run already made the devices.
}

interface Case {
  readonly id: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: GoldenArray
}
const golden = new Map(loadGolden<Case>("shard_map").cases.map((c) => [c.id, c]))
const meshes = { x8: () => makeMesh([8], ["x"]), x2: () => makeMesh([2], ["x"]), x2y4: () => makeMesh([2, 4], ["x", "y"]) }
const needs = { x8: 8, x2: 2, x2y4: 8 }

type Program = readonly [keyof typeof meshes, (...a: Array[]) => Array, PartitionSpec | ReadonlyArray<PartitionSpec>, PartitionSpec]
const ring = globalThis.Array.from({ length: 8 }, (_, i) => [i, (i + 1) % 8] as const)
const programs: Readonly<Record<string, Program>> = {
  "psum of block sums": ["x8", (b) => lax.psum(b.sum({ keepdims: true }), "x"), P("x"), P()],
  "local blocks doubled": ["x8", (b) => b.mul(2).add(lax.axisIndex("x")), P("x", null), P("x", null)],
  "allGather tiled": ["x2", (b) => lax.allGather(b, "x", { tiled: true }), P("x"), P()],
  "ppermute ring": ["x8", (b) => lax.ppermute(b, "x", ring), P("x"), P("x")],
  "psum over y of a 2-d mesh": ["x2y4", (b) => lax.psum(b, "y"), P("x", "y"), P("x", null)],
  "psum over (x, y)": ["x2y4", (b) => lax.psum(b, ["x", "y"]), P("x", "y"), P()],
  "matmul with a sharded contracting dim": ["x2", (a, w) => lax.psum(np.matmul(a!, w!), "x"), [P(null, "x"), P("x", null)], P()],
  psumScatter: ["x2", (b) => lax.psumScatter(b, "x", { tiled: true }), P(null), P("x")],
  "axis indices of a 2-d mesh": ["x2y4", (b) => b.add(lax.axisIndex("x").mul(10)).add(lax.axisIndex("y")), P("x", "y"), P("x", "y")]
}

const arr = (g: GoldenArray): Array => np.array(goldenValues(g), { dtype: "float32" }).reshape([...g.shape])

describe(`shardMap on ${devices().length} CPU devices, against JAX's shard_map`, { timeout: 120_000 }, () => {
  for (const [name, [mesh, f, inSpecs, outSpecs]] of Object.entries(programs)) {
    it.skipIf(devices().length < needs[mesh])(name, () => {
      const c = golden.get(name)!
      const got = shardMap(f, {
        mesh: meshes[mesh](),
        inSpecs: inSpecs instanceof Object && "entries" in inSpecs ? inSpecs : [...(inSpecs as PartitionSpec[])],
        outSpecs
      })(...c.args.map(arr))
      expect(got.shape).toEqual(c.out.shape)
      const want = goldenValues(c.out)
      const have = [...got.data()]
      have.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4))
    })
  }
})

describe("Mesh, PartitionSpec, NamedSharding", () => {
  it("describe a grid of devices and how an array is split over it", () => {
    const d = devices()
    const mesh = new Mesh([[d[0]!], [d[1] ?? d[0]!]].slice(0, d.length >= 2 ? 2 : 1), ["x", "y"])
    expect(mesh.axisNames).toEqual(["x", "y"])
    expect(P("x", null).toString()).toBe("PartitionSpec('x', None)")
    expect(P(["x", "y"]).toString()).toBe("PartitionSpec(('x', 'y'),)")
    if (d.length >= 2) {
      const s = new NamedSharding(mesh, P("x"))
      expect(s.shardShape([4, 3])).toEqual([2, 3])
      expect(() => s.shardShape([3])).toThrow(ShapeError)
      expect(mesh.toString()).toBe("Mesh('x': 2, 'y': 1)")
    }
    expect(() => new NamedSharding(mesh, P("z"))).toThrow(/"z" is not an axis of the mesh/)
    expect(() => new Mesh([d[0]!], ["x", "y"])).toThrow(ValueError)
  })
  it("shardMap checks its options", () => {
    expect(() => shardMap((x: Array) => x, { mesh: makeMesh([1], ["x"]), inSpecs: P(), outSpecs: P(), in_specs: P() } as never)).toThrow(
      /unknown option "in_specs"/
    )
  })
})
