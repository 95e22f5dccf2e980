/**
 * jit(f) = f when one jitted function sees inputs of several dtypes in turn: the jit cache must
 * key on dtypes (the catalog's cases are float32 only). A jit that caches by shape alone is caught.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Array, type DType, jit, nn, np, tree } from "../index.js"
import * as laws from "./index.js"

const { arb } = laws

// The 8- and 16-bit dtypes too: the CPU computes them in 32 bits and rounds after every operation,
// eagerly and under jit alike.
const dtypes = arb.dtype(["float32", "float64", "int32", "int8", "int16", "float16", "bfloat16"])
const floats = arb.dtype(["float32", "float64", "float16", "bfloat16"])
const anyShape = { maxRank: 2, maxSize: 6 } as const

/** Two arrays of one dtype (drawn per case) and broadcast-compatible shapes. */
const samePair = dtypes.chain((dtype) => arb.broadcastingArrays({ dtype, min: -4, max: 4, shapes: anyShape }))

describe("jit(f) = f across dtypes (one jitted function, inputs of changing dtype)", () => {
  const entries: ReadonlyArray<readonly [string, (...a: ReadonlyArray<never>) => unknown, ReadonlyArray<fc.Arbitrary<unknown>>]> = [
    ["sin", np.sin, [arb.array({ dtype: floats, shape: anyShape })]],
    ["add", ([a, b]: readonly [Array, Array]) => np.add(a, b), [samePair]],
    ["multiply", ([a, b]: readonly [Array, Array]) => np.multiply(a, b), [samePair]],
    ["sum(axis=0)", (a: Array) => np.sum(a, { axis: 0 }), [arb.array({ dtype: dtypes, shape: [3, 2], min: -4, max: 4 })]],
    ["relu", nn.relu, [arb.array({ dtype: floats, shape: anyShape })]],
    ["square then cast", (a: Array) => np.square(a).astype("float32"), [arb.array({ dtype: dtypes, shape: [4], min: -4, max: 4 })]]
  ]
  for (const [name, f, arbs] of entries) {
    it(name, () => {
      const g = Object.defineProperty((...a: ReadonlyArray<unknown>) => f(...(a as ReadonlyArray<never>)), "name", { value: name })
      laws.check(laws.jitMatchesEager(g, arbs), { seed: 41, numRuns: 30 })
    })
  }
})

describe("a jit cache that ignores dtype is caught", () => {
  it("a jit that reuses the first trace for every later dtype of the same shapes", () => {
    const shapeOnlyJit: laws.JitLike = <Args extends ReadonlyArray<unknown>, R>(f: (...a: Args) => R) => {
      const j = jit(f)
      const firstDtypes = new Map<string, DType[]>()
      return (...a: Args) => {
        const leaves = tree.leaves(a) as Array[]
        const key = leaves.map((l) => l.shape.join("x")).join(";")
        const first = firstDtypes.get(key) ?? leaves.map((l) => l.dtype)
        firstDtypes.set(key, first)
        let i = 0
        const cast = tree.map((l: unknown) => (l instanceof Array ? l.astype(first[i++]!) : l), a as unknown as unknown[]) as unknown as Args
        return j(...cast)
      }
    }
    let failed: laws.LawFailure | undefined
    try {
      laws.check(laws.jitMatchesEager(np.sin, [arb.array({ dtype: floats, shape: [2] })], { jit: shapeOnlyJit }), { seed: 42, numRuns: 30 })
    } catch (e) {
      if (e instanceof laws.LawFailure) failed = e
      else throw e
    }
    expect(failed?.message).toMatch(/output: dtype (b?float(16|32|64)) \(eager\) vs (b?float(16|32|64)) \(jit\)/)
  })
})
