/**
 * The partitioning rules of jit with shardings beyond elementwise / reduce-sum / dot_general, on 2
 * CPU devices: cumulative ops, arg-reductions and products over a split axis, slice / pad / rev /
 * concatenate, convolution, cond / while / scan. Each sharded program must equal the unsharded one
 * (plain jit); a program whose rule keeps everything local must not warn, and one that must gather
 * a split dimension (or has no rule) warns once and still gives the same values.
 */
import { afterEach, describe, expect, it, vi } from "vitest"
import type { ArrayImpl } from "../array.js"
import { type Array, config, devices, jit, lax, makeMesh, NamedSharding, np, P, type PartitionSpec, ShardedArray } from "../../index.js"

try {
  config.update("jaxfxCpuDevices", 2)
} catch {
  // JAXFX_CPU_DEVICES set for the whole run already made the devices.
}

afterEach(() => {
  vi.restoreAllMocks()
})

// Distinct, exactly representable values (sums and products are exact in float32), with ties.
const x83 = np.array([3, -1, 2, 5, 0, 2, -4, 1, 6, 2, 2, -2, 1, 7, 3, 0, -1, 4, 2, 5, 1, 6, 6, -3], { dtype: "float32" }).reshape([8, 3])
const small = x83.div(4).add(1)

type Case = readonly [string, (...a: Array[]) => Array, ReadonlyArray<Array>, ReadonlyArray<PartitionSpec>, boolean]
const cases: ReadonlyArray<Case> = [
  ["cumsum along the split axis", (a) => np.cumsum(a!, { axis: 0 }), [x83], [P("x")], false],
  ["reversed cumsum along the split axis", (a) => lax.cumsum(a!, 0, true), [x83], [P("x")], false],
  ["cumsum along an unsplit axis", (a) => np.cumsum(a!, { axis: 1 }), [x83], [P("x")], false],
  ["cumprod along the split axis", (a) => np.cumprod(a!, { axis: 0 }), [small], [P("x")], false],
  ["argmax along the split axis (ties: first)", (a) => np.argmax(a!, { axis: 0 }), [x83], [P("x")], false],
  ["argmin along the split axis", (a) => np.argmin(a!, { axis: 0 }), [x83], [P("x")], false],
  ["argmax along an unsplit axis", (a) => np.argmax(a!, { axis: 1 }), [x83], [P("x")], false],
  ["argmax of a column-split matrix along rows", (a) => np.argmax(a!.T, { axis: 1 }), [x83], [P("x")], false],
  ["prod over the split axis", (a) => np.prod(a!, { axis: 0 }), [small], [P("x")], false],
  ["max and min over the split axis", (a) => np.max(a!, { axis: 0 }).sub(np.min(a!, { axis: 0 })), [x83], [P("x")], false],
  ["slice of an unsplit axis", (a) => lax.slice(a!, [0, 1], [8, 3]).mul(2), [x83], [P("x")], false],
  [
    "pad of an unsplit axis",
    (a) =>
      np.pad(a!, [
        [0, 0],
        [1, 2]
      ]),
    [x83],
    [P("x")],
    false
  ],
  ["concatenate along an unsplit axis", (a, b) => np.concatenate([a!, b!.mul(2)], { axis: 1 }), [x83, x83], [P("x"), P()], false],
  ["slice of the split axis (gathers)", (a) => lax.slice(a!, [1, 0], [6, 3]), [x83], [P("x")], true],
  ["rev of the split axis (gathers)", (a) => np.flip(a!, 0), [x83], [P("x")], true],
  ["gather by indices (no rule: gathers)", (a) => np.take(a!, np.array([7, 0, 3]), { axis: 0 }), [x83], [P("x")], true],
  [
    "batch-split convolution",
    (l, r) => lax.conv(l!, r!, [1, 1], "SAME"),
    [
      np
        .arange(2 * 2 * 4 * 4)
        .astype("float32")
        .reshape([2, 2, 4, 4])
        .div(8),
      np
        .arange(3 * 2 * 3 * 3)
        .astype("float32")
        .reshape([3, 2, 3, 3])
        .div(16)
    ],
    [P("x"), P()],
    false
  ],
  [
    "cond on a reduced predicate",
    (a) =>
      lax.cond(
        a!.sum().gt(0),
        (v: Array) => v.mul(2),
        (v: Array) => v.neg(),
        a!
      ),
    [x83],
    [P("x")],
    false
  ],
  ["while with a split carry", (a) => lax.forILoop(0, 3, (_i: Array, c: Array) => c.mul(2).add(a!), a!), [x83], [P("x")], false],
  [
    "scan over an unsplit axis with a split carry",
    (a) => {
      const [c, ys] = lax.scan((c: Array, row: Array) => [c.add(row.sum()), c.mul(row.sum())] as const, a!.sum({ axis: 1 }), a!.T)
      return c.add(ys.sum({ axis: 0 }))
    },
    [x83],
    [P("x")],
    false
  ]
]

describe.skipIf(devices().length < 2)("partition rules on 2 CPU devices", { timeout: 120_000 }, () => {
  for (const [name, f, args, specs, reshards] of cases) {
    it(name, () => {
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {})
      const mesh = makeMesh([2], ["x"])
      const g = jit(f, { inShardings: specs.map((s) => new NamedSharding(mesh, s)) })
      const got = g(...args)
      expect(got).toBeInstanceOf(ShardedArray)
      const want = jit(f)(...args)
      expect(got.dtype).toBe(want.dtype)
      expect(got.toJs()).toEqual(want.toJs())
      expect(warn.mock.calls.length > 0).toBe(reshards)
      if (reshards) expect(String(warn.mock.calls[0]![0])).toMatch(/gathered/)
    })
  }
})

describe.skipIf(devices().length < 2)("jit with shardings and static or donated arguments", { timeout: 120_000 }, () => {
  it("staticArgnums: one partitioned program per static value; inShardings name the other arguments", () => {
    const mesh = makeMesh([2], ["x"])
    let traces = 0
    const f = (a: Array, k: number, b: Array): Array => {
      traces++
      return a.mul(k).add(b).sum({ axis: 0 })
    }
    const g = jit(f, { staticArgnums: 1, inShardings: [new NamedSharding(mesh, P("x")), new NamedSharding(mesh, P())] })
    const a = x83
    const b = np.ones([3])
    expect(g(a, 2, b).toJs()).toEqual(jit(f, { staticArgnums: 1 })(a, 2, b).toJs())
    expect(g(a, 2, b.mul(3)).toJs()).toEqual(a.mul(2).add(3).sum({ axis: 0 }).toJs())
    expect(g(a, 3, b).toJs()).toEqual(a.mul(3).add(1).sum({ axis: 0 }).toJs())
    // Two static values: two partitioned traces (plus one for the plain jit above).
    expect(traces).toBe(3)
  })
  it("donateArgnums: the donated sharded argument is consumed; results keep their values", () => {
    const mesh = makeMesh([2], ["x"])
    const s = new NamedSharding(mesh, P("x"))
    const step = jit((w: Array, g: Array) => w.sub(g.mul(0.5)), { inShardings: [s, s], outShardings: s, donateArgnums: 0 })
    const w = np.arange(6).astype("float32")
    const grad = np.ones([6])
    const w1 = step(w, grad)
    expect(w1.toJs()).toEqual([-0.5, 0.5, 1.5, 2.5, 3.5, 4.5])
    expect((w as ArrayImpl).isDeleted()).toBe(true)
    expect((grad as ArrayImpl).isDeleted()).toBe(false)
    const w2 = step(w1, grad)
    expect(w2.toJs()).toEqual([-1, 0, 1, 2, 3, 4])
    expect(() => w1.toJs()).toThrow(/donated to jit/)
  })
})
