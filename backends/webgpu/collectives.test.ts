/** Collectives on the WebGPU device (collectives.ts): pmap over the one GPU device, and vmap with axisName on it, against the CPU. */
import { describe, expect, it } from "vitest"
import { type Array, devicePut, lax, np, pmap, vmap } from "../../index.js"
import { deviceProgramRuns } from "../../core/parallel/device-program.js"
import { ShardedArray } from "../../core/parallel/sharded-array.js"
import { cpu, webgpuForTests } from "./test-helpers.js"

const gpu = await webgpuForTests()

/** The same shape, dtype and values (within float32 rounding) as the CPU's result. */
const expectSame = async (got: Array, want: Array): Promise<void> => {
  expect(got.shape).toEqual(want.shape)
  expect(got.dtype).toBe(want.dtype)
  const g = globalThis.Array.from(await got.dataAsync(), Number)
  const w = globalThis.Array.from(await want.dataAsync(), Number)
  g.forEach((v, i) => expect(Math.abs(v - w[i]!), `element ${i}: ${v} vs ${w[i]}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(w[i]!))))
}

/** Every collective over axis "i" (operands of a per-member shape [2, 3]... reduced to what an axis of size n allows). */
const all = (x: Array): Array[] => [
  lax.psum(x, "i"),
  lax.pmax(x, "i"),
  lax.pmin(x, "i"),
  lax.allGather(x, "i"),
  lax.allGather(x, "i", { tiled: true }),
  lax.psumScatter(x.reshape([1, 3]), "i", { scatterDimension: 0 }),
  lax.ppermute(x, "i", [[0, 0]]),
  lax.ppermute(x, "i", []),
  lax.allToAll(x.reshape([1, 3]), "i", 0, 1),
  lax.axisIndex("i").add(x.sum().astype("int32"))
]

describe.skipIf(gpu === undefined)("collectives on the WebGPU device", { timeout: 120_000 }, () => {
  it("pmap over the one WebGPU device runs them as its per-device program's routines", async () => {
    const x = np.array([[1.5, -2, 0.25]], { dtype: "float32" })
    const want = pmap(all, { axisName: "i", devices: [cpu()] })(x)
    const before = deviceProgramRuns()
    const got = pmap(all, { axisName: "i", devices: [gpu!] })(devicePut(x, gpu!))
    expect(deviceProgramRuns()).toBe(before + 1)
    // one shard, on the GPU; the sharded array's dataAsync reads its shards asynchronously
    for (let k = 0; k < want.length; k++) {
      const shards = (got[k] as ShardedArray).addressableShards
      expect(shards.map((s) => s.device)).toEqual([gpu])
      await expectSame(shards[0]!.data, want[k]!)
      await expectSame(got[k]!, want[k]!)
    }
  })

  it("vmap with axisName on the GPU (collectives as array operations) agrees with the CPU", async () => {
    const x = np.array(
      [
        [1, 2, 3],
        [4, -5, 6],
        [0.5, 7, -1]
      ],
      { dtype: "float32" }
    )
    const f = (v: Array): Array[] => [
      lax.psum(v, "i"),
      lax.pmax(v, "i"),
      lax.allGather(v, "i"),
      lax.ppermute(v, "i", [
        [0, 1],
        [1, 2],
        [2, 0]
      ]),
      lax.axisIndex("i")
    ]
    const want = vmap(f, { axisName: "i" })(devicePut(x, cpu()))
    const got = vmap(f, { axisName: "i" })(devicePut(x, gpu!))
    for (let k = 0; k < 4; k++) expect(got[k]!.device.platform).toBe("webgpu")
    for (let k = 0; k < want.length; k++) await expectSame(got[k]!, want[k]!)
  })

  it("ragged_all_to_all over the one WebGPU device copies the operand's slices into its output, as the CPU does", async () => {
    // slices (in order, the last writer wins): rows 1-2 to 0, row 0 to 3, 5 rows from 3 clamped, one empty, one overlapping
    const io = np.array([[1, 0, 3, 0, 2]], { dtype: "int32" })
    const ss = np.array([[2, 1, 5, 0, 1]], { dtype: "int32" })
    const oo = np.array([[0, 3, 4, 1, 1]], { dtype: "int32" })
    const f = (x: Array, out: Array, a: Array, b: Array, c: Array): Array => lax.raggedAllToAll(x, out, a, b, c, b, { axisName: "i" })
    const x = np
      .arange(5 * 2, { dtype: "float32" })
      .reshape([1, 5, 2])
      .add(1)
    const out = np.full([1, 6, 2], -1, { dtype: "float32" })
    const want = pmap(f, { axisName: "i", devices: [cpu()] })(x, out, io, ss, oo)
    const got = pmap(f, { axisName: "i", devices: [gpu!] })(...([x, out, io, ss, oo].map((v) => devicePut(v, gpu!)) as [Array, Array, Array, Array, Array]))
    await expectSame(got, want)
    expect(globalThis.Array.from(await want.dataAsync(), Number)).toEqual([3, 4, 5, 6, -1, -1, 1, 2, 7, 8, 9, 10])
  })
})
