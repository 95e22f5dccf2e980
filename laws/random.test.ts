/**
 * PRNG laws: they hold for jaxfx's threefry keys and samplers, and each one catches a
 * deliberately wrong key function, sampler or transformation.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Array, jit, np, random, tree, vmap } from "../index.js"
import * as laws from "./index.js"
import { failure } from "./test-helpers.js"

const { arb } = laws
type Key = random.PRNGKeyArray

describe("the PRNG laws hold for jaxfx", () => {
  it("split is deterministic, eagerly and under jit", () => {
    laws.check(laws.splitIsDeterministic(arb.key()), { seed: 1, numRuns: 25 })
  })

  it("the keys of a split tree are distinct (subkeys from each other and from their parents)", () => {
    laws.check(laws.splitKeysDistinct(arb.key(), { depth: 2 }), { seed: 2, numRuns: 25 })
    laws.check(laws.splitKeysDistinct(arb.key({ from: "seed" }), { num: 4, depth: 1 }), { seed: 2, numRuns: 25 })
  })

  it("foldIn: different data give different keys, none equal to the parent", () => {
    laws.check(laws.foldInDistinct(arb.key()), { seed: 3, numRuns: 25 })
    // small data too (0, 1, 2, ...), where a sloppy hash would collide first
    laws.check(laws.foldInDistinct(arb.key(), { data: fc.integer({ min: 0, max: 8 }) }), { seed: 3, numRuns: 25 })
  })

  it("samplers give the same numbers for the same key, eagerly, under jit and under vmap over keys", () => {
    laws.check(
      laws.samplerDeterministic((k: Key) => random.normal(k, [3])),
      { seed: 4, numRuns: 15 }
    )
    laws.check(
      laws.samplerDeterministic((k: Key) => random.uniform(k, [2, 2], { minval: -1, maxval: 1 })),
      { seed: 4, numRuns: 10 }
    )
    laws.check(
      laws.samplerDeterministic((k: Key) => random.randint(k, [4], 0, 10)),
      { seed: 4, numRuns: 10 }
    )
    const twoDraws = (k: Key) => {
      const [a, b] = random.split(k)
      return { noise: random.normal(a, [2], "float64"), mask: random.bernoulli(b, 0.5, [3]) }
    }
    laws.check(laws.samplerDeterministic(twoDraws), { seed: 4, numRuns: 10 })
  })
})

describe("each PRNG law catches a wrong implementation", () => {
  it("splitIsDeterministic: a split that mixes in a call counter", () => {
    let calls = 0
    const counting = (k: Key, n: number): Key => random.split(random.foldIn(k, calls++), n)
    const r = failure(laws.splitIsDeterministic(arb.key(), { split: counting }), { seed: 5, numRuns: 10 })
    expect(r.message).toMatch(/split\(k, \d\)\[0\] is \[\d+, \d+\] the first time and \[\d+, \d+\] the second/)
    expect(r.message).toMatch(/key: random\.(key\(\d+\)|wrapKeyData)/)
  })

  it("splitIsDeterministic: a jit whose result differs from eager", () => {
    const skewedJit: laws.JitLike = <Args extends ReadonlyArray<unknown>, R>(f: (...a: Args) => R) => {
      const j = jit(f)
      return (...a: Args) => random.wrapKeyData(np.flip(random.keyData(j(...a) as unknown as Key), 0))
    }
    const r = failure(laws.splitIsDeterministic(arb.key(), { jit: skewedJit }), { seed: 6, numRuns: 10 })
    expect(r.message).toMatch(/eagerly but \[\d+, \d+\] under jit/)
  })

  it("splitKeysDistinct: a split whose first subkey is the parent key", () => {
    const parentFirst = (k: Key, n: number): Key =>
      random.wrapKeyData(np.concatenate([np.expandDims(random.keyData(k), 0), random.keyData(random.split(k, n)).index("1:")], 0))
    const r = failure(laws.splitKeysDistinct(arb.key(), { split: parentFirst }), { seed: 7, numRuns: 10 })
    expect(r.message).toContain("k.split[0] = k")
    expect(r.message).toContain("a split returned its parent key")
    expect(r.message).toContain("key: random.key(0)")
  })

  it("splitKeysDistinct: a split that gives every subkey the same key", () => {
    const copies = (k: Key, n: number): Key => random.wrapKeyData(np.broadcastTo(random.keyData(random.foldIn(k, 1)), [n, 2]))
    const r = failure(laws.splitKeysDistinct(arb.key(), { split: copies, depth: 1 }), { seed: 8, numRuns: 10 })
    expect(r.message).toMatch(/k\.split\[1\] = k\.split\[0\]/)
  })

  it("foldInDistinct: a foldIn that reads only the low byte of the data, and one that ignores it", () => {
    const lowByte = (k: Key, d: number): Key => random.foldIn(k, d & 0xff)
    const r = failure(laws.foldInDistinct(arb.key(), { foldIn: lowByte }), { seed: 9, numRuns: 50 })
    expect(r.message).toMatch(/foldIn\(k, \d+\) = foldIn\(k, \d+\) = \[\d+, \d+\]: different data gave the same key/)
    const identity = (k: Key): Key => random.clone(k)
    const r2 = failure(laws.foldInDistinct(arb.key(), { foldIn: identity }), { seed: 9, numRuns: 10 })
    expect(r2.message).toContain("folding in data returned the key unchanged")
  })

  it("samplerDeterministic: a sampler with hidden state, a jit that changes the key, a vmap that mixes up the keys", () => {
    let draws = 0
    const stateful = function stateful(k: Key) {
      return random.normal(random.foldIn(k, draws++), [2])
    }
    const r1 = failure(laws.samplerDeterministic(stateful), { seed: 10, numRuns: 10 })
    expect(r1.message).toContain("Law failed: samplerDeterministic on stateful")
    expect(r1.message).toMatch(/sample at \[\d\]: first call [-\d.e]+, second call [-\d.e]+/)

    const sampler = (k: Key) => random.uniform(k, [3])
    const keyChangingJit: laws.JitLike = <Args extends ReadonlyArray<unknown>, R>(f: (...a: Args) => R) => {
      const j = jit(f)
      return (...a: Args) => j(...(a.map((k) => random.foldIn(k as Key, 7)) as unknown as Args))
    }
    const r2 = failure(laws.samplerDeterministic(sampler, { jit: keyChangingJit }), { seed: 11, numRuns: 10 })
    expect(r2.message).toMatch(/sample at \[\d\]: eager [\d.e-]+, jit [\d.e-]+/)

    const reversingVmap: laws.VmapLike = <Args extends ReadonlyArray<unknown>, R>(f: (...a: Args) => R) => {
      const v = vmap(f)
      return (...a: Args) => tree.map((l) => np.flip(l as Array, 0), v(...a))
    }
    const r3 = failure(laws.samplerDeterministic(sampler, { vmap: reversingVmap }), { seed: 12, numRuns: 20 })
    expect(r3.message).toMatch(/samples \(batch of [23]\) at \[\d, \d\]: per key [\d.e-]+, vmap [\d.e-]+/)
    expect(r3.message).toContain("batch of keys for vmap: [")
  })
})
