/**
 * Keys: seeds (JAX's seed handling), typed key arrays (printing, key dtype, arithmetic refused,
 * pytree node, indexing), legacy raw keys, keyData/wrapKeyData, and the key-reuse checker.
 */
import { afterEach, describe, expect, it } from "vitest"
import { type Array, DTypeError, jit, KeyReuseError, lax, np, random, tree, vmap } from "../../index.js"

const data = (k: random.KeyArray) => [...random.keyData(k).data()]

describe("seeds", () => {
  it("random.key(0) and PRNGKey(0) hold [0, 0]; key(42) prints as JAX prints it", () => {
    expect(data(random.key(0))).toEqual([0, 0])
    expect(random.PRNGKey(0).toString()).toBe("Array([0, 0], dtype=uint32)")
    // jax.random module docs and the "Pseudorandom numbers" chapter
    expect(random.key(0).toString()).toBe("Array((), dtype=key<fry>) overlaying:\n[0 0]")
    expect(random.key(42).toString()).toBe("Array((), dtype=key<fry>) overlaying:\n[ 0 42]")
    expect(random.key(42).dtype).toBe("key<fry>")
    expect(random.key(42).shape).toEqual([])
  })
  it("follows JAX's seed table for 32-bit seeds (test_prng_seeds_and_keys, default mode)", () => {
    const table: ReadonlyArray<readonly [number, number[]]> = [
      [0, [0, 0]],
      [1, [0, 1]],
      [2, [0, 2]],
      [3, [0, 3]],
      [-1, [0, 4294967295]],
      [-2, [0, 4294967294]],
      [-3, [0, 4294967293]],
      [2 ** 31 - 1 + 100, [0, 2147483747]],
      [2 ** 31 - 1 + 101, [0, 2147483748]]
    ]
    for (const [seed, key] of table) {
      expect(data(random.PRNGKey(seed))).toEqual(key)
      expect(data(random.key(seed))).toEqual(key)
    }
  })
  it("splits 64-bit seeds into their high and low words (JAX's x64 seeds), from numbers and bigints", () => {
    expect(data(random.key(2 ** 32 + 5))).toEqual([1, 5])
    expect(data(random.key(2 ** 53 - 1))).toEqual([2 ** 21 - 1, 4294967295])
    expect(data(random.key(12345678901234567890n))).toEqual([2874452364, 3944680146])
    expect(data(random.key(2n ** 64n - 1n))).toEqual([4294967295, 4294967295])
    // below int32: the 64-bit two's complement, as JAX with x64 (its table: int32.min - 100)
    expect(data(random.key(-(2 ** 31) - 100))).toEqual([4294967295, 2147483548])
    expect(data(random.key(-(2n ** 63n)))).toEqual([2147483648, 0])
    expect(() => random.key(2n ** 64n)).toThrow(/64 bits/)
    expect(() => random.key(1.5)).toThrow(DTypeError)
    expect(() => random.key(np.array([1, 2]))).toThrow(/scalar/)
  })
  it("takes traced int seeds: jit and vmap of random.key", () => {
    expect(data(jit((s: Array) => random.key(s))(np.array(7)))).toEqual([0, 7])
    const keys = vmap((s: Array) => random.key(s))(np.asarray([0, 1, 4294967295], { dtype: "uint32" }))
    expect(keys.shape).toEqual([3])
    expect(random.keyData(keys).toJs()).toEqual([
      [0, 0],
      [0, 1],
      [0, 4294967295]
    ])
    expect(data(random.PRNGKey(np.asarray(-2, { dtype: "int32" })))).toEqual([0, 4294967294])
  })
})

describe("typed key arrays", () => {
  it("refuse arithmetic with a DTypeError that names random.keyData", () => {
    const k = random.key(0) as unknown as { add(y: number): unknown; mul(y: number): unknown }
    expect(() => k.add(1)).toThrow(DTypeError)
    expect(() => k.mul(2)).toThrow(/random\.keyData/)
    expect(() => +(random.key(0) as unknown as number)).toThrow(DTypeError)
    expect(`${random.key(3)}`).toContain("key<fry>")
  })
  it("are pytree nodes over their uint32 data (jit, vmap, scan carry them as keys)", () => {
    const [leaves, def] = tree.flatten({ k: random.key(5), x: 1 })
    expect(leaves.length).toBe(2)
    expect(def.toString()).toContain("PRNGKeyArray")
    const rebuilt = tree.unflatten(def, leaves) as { k: random.PRNGKeyArray }
    expect(rebuilt.k).toBeInstanceOf(random.PRNGKeyArray)
    const out = jit((k: random.PRNGKeyArray) => random.split(k))(random.key(5))
    expect(out).toBeInstanceOf(random.PRNGKeyArray)
    expect(out.shape).toEqual([2])
    const [carry] = lax.scan((k: random.PRNGKeyArray, _: null) => [random.split(k).index(0), null] as const, random.key(5), null, { length: 2 })
    expect(carry).toBeInstanceOf(random.PRNGKeyArray)
  })
  it("index, iterate, reshape and round-trip through keyData/wrapKeyData", () => {
    const keys = random.split(random.key(0), 6)
    expect(keys.shape).toEqual([6])
    const grid = keys.reshape([2, 3])
    expect(grid.shape).toEqual([2, 3])
    expect(grid.index(1, 2).shape).toEqual([])
    expect(data(grid.index(1, 2))).toEqual(data(keys.index(5)))
    const parts = [...keys]
    expect(parts.length).toBe(6)
    expect(data(parts[3]!)).toEqual(data(keys.index(3)))
    const raw = random.keyData(keys)
    expect(raw.shape).toEqual([6, 2])
    expect(random.wrapKeyData(raw).shape).toEqual([6])
    expect(() => random.wrapKeyData(np.zeros([3]))).toThrow(DTypeError)
    expect(() => [...random.key(0)]).toThrow(/0-d key array/)
  })
  it("legacy raw keys keep their flavour: split(PRNGKey) is uint32[n, 2]", () => {
    const raw = random.split(random.PRNGKey(0), 3)
    expect(raw.dtype).toBe("uint32")
    expect(raw.shape).toEqual([3, 2])
    expect(random.foldIn(random.PRNGKey(0), 1).shape).toEqual([2])
    expect(random.split(random.key(0), 3)).toBeInstanceOf(random.PRNGKeyArray)
  })
})

describe("checkKeyReuse", () => {
  afterEach(() => random.checkKeyReuse(false))
  it("is off by default: reusing a key gives the same numbers and no error", () => {
    const k = random.key(1)
    expect(random.normal(k).item()).toBe(random.normal(k).item())
  })
  it("raises a KeyReuseError naming where the key was first consumed", () => {
    random.checkKeyReuse(true)
    const k = random.key(1)
    random.normal(k)
    let err: unknown
    try {
      random.uniform(k)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(KeyReuseError)
    expect((err as KeyReuseError)._tag).toBe("KeyReuseError")
    expect((err as Error).message).toMatch(/already consumed by random\.normal at .*keys\.test\.ts:\d+/)
    expect((err as Error).message).toContain("random.split")
  })
  it("counts split as consumption, not foldIn or keyData; fresh split keys and clones are fine", () => {
    random.checkKeyReuse(true)
    const k = random.key(2)
    random.foldIn(k, 0)
    random.foldIn(k, 1)
    random.keyData(k)
    const [a, b] = random.split(k)
    expect(() => random.split(k)).toThrow(KeyReuseError)
    const va = random.normal(a!).item()
    random.normal(b!)
    expect(() => random.normal(a!)).toThrow(KeyReuseError)
    // a clone is a deliberate reuse: same numbers, no error
    expect(random.normal(random.clone(a!)).item()).toBe(va)
  })
  it("sees reuse inside a traced function", () => {
    random.checkKeyReuse(true)
    const f = jit((k: random.PRNGKeyArray) => random.normal(k).add(random.uniform(k)))
    expect(() => f(random.key(3))).toThrow(KeyReuseError)
    const g = jit((k: random.PRNGKeyArray) => {
      const [a, b] = random.split(k)
      return random.normal(a!).add(random.uniform(b!))
    })
    expect(() => g(random.key(3))).not.toThrow()
  })
  it("tracks raw keys too", () => {
    random.checkKeyReuse(true)
    const k = random.PRNGKey(4)
    random.bits(k)
    expect(() => random.randint(k, [2], 0, 3)).toThrow(KeyReuseError)
  })
})
