/** The arbitraries generate what they promise: bounds on shapes, broadcasting, dtypes, ranges. */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Array, np, tree } from "../index.js"
import * as laws from "./index.js"

const { arb } = laws
const params = { seed: 31, numRuns: 200 }

describe("shapes", () => {
  it("respect rank, dimension and size bounds", () => {
    const o = { minRank: 1, maxRank: 4, minDim: 2, maxDim: 5, maxSize: 40 }
    fc.assert(
      fc.property(arb.shape(o), (s) => {
        expect(s.length).toBeGreaterThanOrEqual(1)
        expect(s.length).toBeLessThanOrEqual(4)
        for (const d of s) expect(d >= 2 && d <= 5).toBe(true)
        expect(arb.sizeOf(s)).toBeLessThanOrEqual(40)
      }),
      params
    )
  })

  it("allow empty dimensions when minDim is 0", () => {
    const shapes = fc.sample(arb.shape({ minDim: 0, minRank: 1 }), { seed: 3, numRuns: 200 })
    expect(shapes.some((s) => s.includes(0))).toBe(true)
  })

  it("broadcastShapes gives shapes that broadcast together, as np does", () => {
    fc.assert(
      fc.property(arb.broadcastShapes({ count: 3, maxRank: 3 }), (shapes) => {
        const [a, b, c] = shapes.map((s) => np.zeros(s))
        const out = np.add(np.add(a!, b!), c!)
        expect(out.shape).toEqual(arb.broadcastShape(arb.broadcastShape(shapes[0]!, shapes[1]!)!, shapes[2]!))
      }),
      params
    )
    // Not only trivial pairs: some operands differ in rank and some have broadcast 1s.
    const pairs = fc.sample(arb.broadcastPair(), { seed: 4, numRuns: 100 })
    expect(pairs.some(([a, b]) => a.length !== b.length)).toBe(true)
    expect(pairs.some(([a, b]) => a.some((d, i) => d === 1 && b[b.length - a.length + i] !== undefined && b[b.length - a.length + i]! > 1))).toBe(true)
  })

  it("broadcastShape rejects incompatible shapes", () => {
    expect(arb.broadcastShape([2, 3], [4, 3])).toBeUndefined()
    expect(arb.broadcastShape([2, 1], [4])).toEqual([2, 4])
  })
})

describe("arrays", () => {
  it("have the requested shape, dtype and value range", () => {
    fc.assert(
      fc.property(arb.array({ shape: [2, 3], dtype: "float64", min: 0.5, max: 3 }), (x) => {
        expect(x).toBeInstanceOf(Array)
        expect(x.shape).toEqual([2, 3])
        expect(x.dtype).toBe("float64")
        for (const v of x.data()) expect(v >= 0.5 && v <= 3).toBe(true)
      }),
      params
    )
  })

  it("float32 values are float32 numbers, inside the range", () => {
    fc.assert(
      fc.property(arb.array({ min: -0.1, max: 0.1 }), (x) => {
        for (const v of x.data()) {
          expect(Math.fround(v)).toBe(v)
          expect(Math.abs(v)).toBeLessThanOrEqual(0.1)
        }
      }),
      params
    )
  })

  it("avoid excluded intervals and honour filters", () => {
    fc.assert(
      fc.property(arb.array({ exclude: [[-0.5, 0.5]], filter: (v) => v !== 1 }), (x) => {
        for (const v of x.data()) {
          expect(Math.abs(v)).toBeGreaterThanOrEqual(0.5)
          expect(v).not.toBe(1)
        }
      }),
      params
    )
  })

  it("step draws multiples of the step", () => {
    fc.assert(
      fc.property(arb.array({ step: 0.25, min: -1, max: 1 }), (x) => {
        for (const v of x.data()) expect(Number.isInteger(v * 4)).toBe(true)
      }),
      params
    )
  })

  it("integer and bool dtypes, and a dtype arbitrary", () => {
    fc.assert(
      fc.property(arb.array({ dtype: arb.dtype(["int32", "uint32", "bool"]), min: -5, max: 5 }), (x) => {
        expect(["int32", "uint32", "bool"]).toContain(x.dtype)
        for (const v of x.data()) {
          expect(Number.isInteger(v)).toBe(true)
          if (x.dtype === "uint32") expect(v >= 0 && v <= 5).toBe(true)
          if (x.dtype === "bool") expect(v === 0 || v === 1).toBe(true)
        }
      }),
      params
    )
  })

  it("shrink toward small shapes and zeros", () => {
    const details = fc.check(
      fc.property(arb.array(), (x) => x.size < 4),
      { seed: 5 }
    )
    expect(details.failed).toBe(true)
    const x = details.counterexample![0]
    expect(x.size).toBe(4)
    expect([...x.data()].every((v) => v === 0)).toBe(true)
  })

  it("broadcastingArrays pair arrays whose shapes broadcast", () => {
    fc.assert(
      fc.property(arb.broadcastingArrays(), ([a, b]) => np.add(a, b).ndim === Math.max(a.ndim, b.ndim)),
      params
    )
  })
})

describe("pytrees", () => {
  it("nest tuples, objects and nulls up to the depth bound, with array leaves", () => {
    const depth = (t: unknown): number =>
      t instanceof Array || t === null || typeof t !== "object" ? 0 : 1 + Math.max(0, ...Object.values(t as object).map(depth))
    const trees = fc.sample(arb.arrayTree({ shape: [2] }, { maxDepth: 2 }), { seed: 6, numRuns: 300 })
    for (const t of trees) {
      expect(depth(t)).toBeLessThanOrEqual(2)
      for (const l of tree.leaves(t)) expect(l).toBeInstanceOf(Array)
    }
    expect(trees.some((t) => globalThis.Array.isArray(t))).toBe(true)
    expect(trees.some((t) => t !== null && typeof t === "object" && !(t instanceof Array) && !globalThis.Array.isArray(t))).toBe(true)
    expect(trees.some((t) => t === null)).toBe(true)
  })

  it("round-trip through flatten/unflatten (the tree law), also with a registered class", () => {
    class Pair {
      constructor(
        readonly left: unknown,
        readonly right: unknown
      ) {}
    }
    tree.registerNode(Pair, { flatten: (p: Pair) => [[p.left, p.right], null], unflatten: (_aux, [l, r]) => new Pair(l, r) })
    const leaf = arb.array({ shape: [2] })
    const withPairs = fc.oneof(
      arb.pytree(leaf),
      fc.tuple(arb.pytree(leaf), arb.pytree(leaf)).map(([l, r]) => new Pair(l, r))
    )
    laws.check(laws.treeRoundTrip(withPairs), { seed: 7, numRuns: 100 })
  })
})
