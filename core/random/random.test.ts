/**
 * The samplers: numbers JAX printed (docs, the "Pseudorandom numbers" chapter, JAX's own test
 * tables), the PRNG laws (split/foldIn determinism and distinctness), statistical sanity with
 * fixed seeds, and the same bits under jit, vmap, scan and forILoop.
 */
import { afterEach, describe, expect, it } from "vitest"
import { type Array, grad, jit, lax, makeJaxpr, np, random, vmap } from "../../index.js"

const f32 = (x: Parameters<typeof np.asarray>[0]) => np.asarray(x, { dtype: "float32" })
const data = (k: random.KeyArray) => [...random.keyData(k).data()]
const values = (x: Array) => [...x.data()]
const mean = (xs: ArrayLike<number>) => {
  let s = 0
  for (let i = 0; i < xs.length; i++) s += xs[i]!
  return s / xs.length
}
const moments = (xs: ArrayLike<number>): [number, number] => {
  const m = mean(xs)
  let v = 0
  for (let i = 0; i < xs.length; i++) v += (xs[i]! - m) ** 2
  return [m, v / xs.length]
}
/** Relative closeness at float32 print precision (JAX's tests print 6-7 digits). */
const close = (got: ArrayLike<number>, want: ReadonlyArray<number>, tol = 2e-6) => {
  expect(got.length).toBe(want.length)
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i]!)))
}

describe("values JAX prints (partitionable threefry, JAX >= 0.5)", () => {
  it("the jax.random module docs: uniform(key(0)) and uniform of a split subkey", () => {
    const key = random.key(0)
    expect(random.uniform(key).toString()).toBe("Array(0.947667, dtype=float32)")
    expect(random.uniform(key).toString()).toBe("Array(0.947667, dtype=float32)")
    const [, subkey] = random.split(key)
    expect(random.uniform(subkey).toString()).toBe("Array(0.00729382, dtype=float32)")
  })
  it("the 'Pseudorandom numbers' chapter, explicit random state", () => {
    let key = random.key(42)
    expect(random.normal(key).str()).toBe("-0.028304616")
    expect(random.normal(key).str()).toBe("-0.028304616")
    const draws: number[] = []
    for (let i = 0; i < 3; i++) {
      const [newKey, subkey] = random.split(key)
      draws.push(random.normal(subkey).item())
      key = newKey
    }
    // Python prints the float32 values widened to double
    expect(draws).toEqual([0.6057640314102173, -0.21089035272598267, -0.3948981463909149])
  })
  it("the chapter's lack of sequential equivalence: individually, all at once, vectorized", () => {
    const subkeys = random.split(random.key(42), 3)
    expect(np.stack([...subkeys].map((k) => random.normal(k))).str()).toBe("[0.07592554 0.60576403 0.4323065 ]")
    expect(random.normal(random.key(42), [3]).str()).toBe("[-0.02830462  0.46713185  0.29570296]")
    expect(vmap((k: random.PRNGKeyArray) => random.normal(k))(subkeys).str()).toBe("[0.07592554 0.60576403 0.4323065 ]")
  })
  it("split(key, n)[i] == foldIn(key, i) (JAX's test_threefry_split_fold_in_symmetry)", () => {
    const key = random.PRNGKey(72)
    const s = random.split(key, 3)
    for (let i = 0; i < 3; i++) expect(values(random.foldIn(key, i))).toEqual(values(s.index(i)))
  })
  it("a draw of n is a prefix of a draw of m > n", () => {
    const k = random.key(9)
    expect(values(random.bits(k, [5])).slice(0, 3)).toEqual(values(random.bits(k, [3])))
    expect(values(random.normal(k, [7])).slice(0, 4)).toEqual(values(random.normal(k, [4])))
  })
})

describe("values JAX printed before 0.5 (threefryPartitionable(false))", () => {
  afterEach(() => random.threefryPartitionable(true))
  const adler32 = (s: string) => {
    let a = 1
    let b = 0
    for (const c of new TextEncoder().encode(s)) {
      a = (a + c) % 65521
      b = (b + a) % 65521
    }
    return ((b << 16) | a) >>> 0
  }
  /** JAX's RandomValuesCase: key = PRNGKey(adler32(name + "threefry2x32")). */
  const caseKey = (name: string) => random.PRNGKey(adler32(name + "threefry2x32"))

  it("the jax.random docs and the earlier chapter (PRNGKey(12) draws)", () => {
    random.threefryPartitionable(false)
    const key = random.key(0)
    expect(random.uniform(key).toString()).toBe("Array(0.41845703, dtype=float32)")
    const [, subkey] = random.split(key)
    expect(random.uniform(subkey).toString()).toBe("Array(0.10536897, dtype=float32)")
    expect(random.split(random.PRNGKey(0)).toJs()).toEqual([
      [4146024105, 967050713],
      [2718843009, 1272950319]
    ])
    let k = random.PRNGKey(12)
    const draws: number[] = []
    for (let i = 0; i < 3; i++) {
      const ks = random.split(k)
      draws.push(random.normal(ks.index(1)).item())
      k = ks.index(0)
    }
    expect(draws).toEqual([0.735927939414978, 1.810187578201294, 0.11553369462490082])
  })
  it("JAX's testRngRandomBits, testPRNGValues and odd-length draws", () => {
    random.threefryPartitionable(false)
    expect(values(random.bits(random.PRNGKey(1701), [3]))).toEqual([56197195, 4200222568, 961309823])
    const k = random.PRNGKey(0)
    expect(random.randint(k, [3, 3], 0, 8).toJs()).toEqual([
      [2, 1, 3],
      [6, 1, 5],
      [6, 3, 4]
    ])
    expect(random.split(k, 4).toJs()).toEqual([
      [2285895361, 1501764800],
      [1518642379, 4090693311],
      [433833334, 4221794875],
      [839183663, 3740430601]
    ])
    expect(values(random.foldIn(k, 4))).toEqual([2285895361, 433833334])
    // an odd number of counters is padded with a 0 before the halves are paired
    expect(values(random.bits(k, [3]))).toEqual([4146024105, 1351547692, 2718843009])
    expect(random.normal(k, [3]).str()).toBe("[ 1.8160863  -0.48262316  0.33988908]")
  })
  it("JAX's _RANDOM_VALUES_CASES table (threefry2x32)", () => {
    random.threefryPartitionable(false)
    expect(random.bernoulli(caseKey("bernoulli"), 0.5, [5]).toJs()).toEqual([false, true, true, true, false])
    expect(values(random.bits(caseKey("bits"), [5]))).toEqual([1978747883, 4134381225, 3628107870, 689687174, 2788938207])
    close(random.exponential(caseKey("exponential"), [5]).data(), [0.526067, 0.043046, 0.039932, 0.46427, 0.123886])
    close(random.gumbel(caseKey("gumbel"), [5]).data(), [2.06701, 0.911726, 0.145736, 0.185427, -0.00711])
    close(random.laplace(caseKey("laplace"), [5]).data(), [0.578939, -0.204902, 0.555733, 0.911053, -0.96456])
    // JAX now computes log(u) - log1p(-u) where the table's JAX computed log(u / (1 - u))
    close(random.logistic(caseKey("logistic"), [5]).data(), [0.19611, -1.709053, -0.274093, -0.208322, -1.675489], 5e-6)
    close(random.normal(caseKey("normal"), [5]).data(), [-1.173234, -1.511662, 0.070593, -0.099764, 1.052845])
    expect(values(random.randint(caseKey("randint"), [5], 0, 10))).toEqual([0, 5, 7, 7, 5])
    close(random.truncatedNormal(caseKey("truncated_normal"), 0, 2, [5]).data(), [0.582807, 1.709771, 0.159513, 0.861376, 0.36148])
    close(random.uniform(caseKey("uniform"), [5]).data(), [0.298671, 0.073213, 0.873356, 0.260549, 0.412797])
    const mvn = random.multivariateNormal(caseKey("multivariate_normal"), np.ones([1, 3]), np.eye(3), { shape: [2] })
    close(mvn.data(), [1.067826, 1.215599, 0.234166, -0.237534, 1.32591, 1.413987])
  })
  it("permutation sorts on random keys as JAX's _shuffle (Nx.Random, a port of it, prints the same)", () => {
    random.threefryPartitionable(false)
    expect(values(random.permutation(random.key(0), 10))).toEqual([2, 7, 9, 6, 0, 8, 1, 3, 4, 5])
  })
  it("split is bits: split(k, 4) holds the words of bits(k, [8])", () => {
    random.threefryPartitionable(false)
    const k = random.key(0)
    expect(values(random.keyData(random.split(k, 4)).reshape([-1]))).toEqual(values(random.bits(k, [8])))
  })
})

describe("PRNG laws", () => {
  it("split is deterministic; subkeys differ from each other and from the parent", () => {
    for (let seed = 0; seed < 20; seed++) {
      const k = random.key(seed)
      const a = random.keyData(random.split(k, 4)).toJs() as number[][]
      expect(random.keyData(random.split(k, 4)).toJs()).toEqual(a)
      const all = [data(k).join(","), ...a.map((r) => r.join(","))]
      expect(new Set(all).size).toBe(5)
    }
  })
  it("split takes shapes", () => {
    const ks = random.split(random.key(1), [2, 3])
    expect(ks.shape).toEqual([2, 3])
    expect(new Set((random.keyData(ks).reshape([6, 2]).toJs() as number[][]).map((r) => r.join())).size).toBe(6)
  })
  it("foldIn(key, i) differs for different i, and from the key", () => {
    const k = random.key(3)
    const seen = new Set([data(k).join()])
    for (let i = 0; i < 100; i++) seen.add(data(random.foldIn(k, i)).join())
    seen.add(data(random.foldIn(k, np.asarray(100, { dtype: "int32" }))).join())
    expect(seen.size).toBe(102)
    expect(data(random.foldIn(k, 7))).toEqual(data(random.foldIn(k, 7)))
    expect(data(random.foldIn(k, -1))).toEqual(data(random.foldIn(k, 4294967295)))
  })
  it("different keys give different draws; the same key the same draw", () => {
    const [a, b] = random.split(random.key(0))
    expect(values(random.uniform(a, [4]))).not.toEqual(values(random.uniform(b, [4])))
    expect(values(random.uniform(a, [4]))).toEqual(values(random.uniform(a, [4])))
  })
})

describe("statistics (fixed seeds)", () => {
  const n = 20000
  it("uniform bits pass a chi-square test (top nibble and every byte)", () => {
    const b = random.bits(random.key(11), [n]).data()
    const chi2 = (counts: number[], expected: number) => counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0)
    const top = new globalThis.Array<number>(16).fill(0)
    for (const v of b) top[v >>> 28]!++
    // 15 degrees of freedom: P(chi2 > 45) ~ 7e-5
    expect(chi2(top, n / 16)).toBeLessThan(45)
    for (let byte = 0; byte < 4; byte++) {
      const c = new globalThis.Array<number>(256).fill(0)
      for (const v of b) c[(v >>> (8 * byte)) & 255]!++
      // 255 degrees of freedom: mean 255, sd 22.6
      expect(chi2(c, n / 256)).toBeLessThan(255 + 6 * 22.6)
    }
  })
  it("uniform is in [minval, maxval) with the right mean and variance", () => {
    const u = random.uniform(random.key(12), [n], { minval: -2, maxval: 3 }).data()
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2)
    expect(Math.max(...u)).toBeLessThan(3)
    const [m, v] = moments(u)
    expect(Math.abs(m - 0.5)).toBeLessThan(5 * Math.sqrt(25 / 12 / n))
    expect(Math.abs(v - 25 / 12)).toBeLessThan(0.1)
  })
  it("normal, truncated normal, exponential, laplace, logistic, gumbel moments", () => {
    const check = (x: ArrayLike<number>, mu: number, variance: number) => {
      const [m, v] = moments(x)
      expect(Math.abs(m - mu)).toBeLessThan(5 * Math.sqrt(variance / n))
      expect(Math.abs(v / variance - 1)).toBeLessThan(0.08)
    }
    check(random.normal(random.key(13), [n]).data(), 0, 1)
    check(random.normal(random.key(13), [n], "float64").data(), 0, 1)
    check(random.exponential(random.key(14), [n]).data(), 1, 1)
    check(random.laplace(random.key(15), [n]).data(), 0, 2)
    check(random.logistic(random.key(16), [n]).data(), 0, Math.PI ** 2 / 3)
    check(random.gumbel(random.key(17), [n]).data(), 0.5772156649, Math.PI ** 2 / 6)
    check(random.gumbel(random.key(17), [n], { mode: "high" }).data(), 0.5772156649, Math.PI ** 2 / 6)
    // truncated to (-1, 1): variance 1 - 2 phi(1) / (2 Phi(1) - 1)
    const t = random.truncatedNormal(random.key(18), -1, 1, [n]).data()
    expect(Math.min(...t)).toBeGreaterThan(-1)
    expect(Math.max(...t)).toBeLessThan(1)
    check(t, 0, 1 - (2 * Math.exp(-0.5)) / Math.sqrt(2 * Math.PI) / 0.6826894921370859)
  })
  it("bernoulli, randint, categorical and choice frequencies", () => {
    const freq = (x: ArrayLike<number>, k: number) => {
      const c = new globalThis.Array<number>(k).fill(0)
      for (let i = 0; i < x.length; i++) c[x[i]!]!++
      return c.map((v) => v / x.length)
    }
    const within = (got: number[], want: number[]) =>
      got.forEach((g, i) => expect(Math.abs(g - want[i]!)).toBeLessThan(5 * Math.sqrt((want[i]! * (1 - want[i]!)) / n) + 1e-9))
    within(freq(random.bernoulli(random.key(20), 0.3, [n]).data(), 2), [0.7, 0.3])
    const r = random.randint(random.key(21), [n], 5, 10).data()
    expect(Math.min(...r)).toBe(5)
    expect(Math.max(...r)).toBe(9)
    within(
      freq(
        r.map((v) => v - 5),
        5
      ),
      [0.2, 0.2, 0.2, 0.2, 0.2]
    )
    const p = [0.1, 0.2, 0.3, 0.4]
    within(freq(random.categorical(random.key(22), np.log(f32(p)), { shape: [n] }).data(), 4), p)
    within(freq(random.choice(random.key(23), 4, [n], { p: f32(p) }).data(), 4), p)
    within(freq(random.choice(random.key(24), 4, [n]).data(), 4), [0.25, 0.25, 0.25, 0.25])
  })
  it("permutations and choices without replacement are permutations / distinct", () => {
    for (let s = 0; s < 5; s++) {
      const perm = values(random.permutation(random.key(s), 50))
      expect([...perm].sort((a, b) => a - b)).toEqual(np.arange(50).toJs())
      const pick = values(random.choice(random.key(s), 20, [10], { replace: false }))
      expect(new Set(pick).size).toBe(10)
      const weighted = values(random.choice(random.key(s), 20, [10], { replace: false, p: np.ones([20]).div(20) }))
      expect(new Set(weighted).size).toBe(10)
    }
    const x = np.arange(12).reshape([3, 4])
    const rows = random.permutation(random.key(1), x).toJs() as number[][]
    expect(rows.map((r) => r[0]).sort((a, b) => a! - b!)).toEqual([0, 4, 8])
    const cols = random.permutation(random.key(1), x, { axis: 1, independent: true }).toJs() as number[][]
    cols.forEach((r, i) => expect([...r].sort((a, b) => a - b)).toEqual([0, 1, 2, 3].map((j) => 4 * i + j)))
    // without replacement, categorical draws distinct categories
    expect(new Set(values(random.categorical(random.key(2), f32([0, 0, 0, 0, 0]), { shape: [5], replace: false }))).size).toBe(5)
  })
  it("multivariate normal has the given mean and covariance", () => {
    const cov = f32([
      [2, 0.6],
      [0.6, 1]
    ])
    const x = random.multivariateNormal(random.key(30), f32([1, -1]), cov, { shape: [n] }).toJs() as number[][]
    const a = x.map((r) => r[0]!)
    const b = x.map((r) => r[1]!)
    const [ma, va] = moments(a)
    const [mb, vb] = moments(b)
    const c = a.reduce((s, v, i) => s + (v - ma) * (b[i]! - mb), 0) / n
    expect(Math.abs(ma - 1)).toBeLessThan(0.05)
    expect(Math.abs(mb + 1)).toBeLessThan(0.04)
    expect(Math.abs(va - 2)).toBeLessThan(0.12)
    expect(Math.abs(vb - 1)).toBeLessThan(0.06)
    expect(Math.abs(c - 0.6)).toBeLessThan(0.06)
  })
})

describe("transformations give the same bits as eager", () => {
  const samplers: ReadonlyArray<readonly [string, (k: random.PRNGKeyArray) => Array]> = [
    ["bits", (k) => random.bits(k, [7])],
    ["uniform", (k) => random.uniform(k, [2, 3], { minval: -1, maxval: 2 })],
    ["uniform f64", (k) => random.uniform(k, [3], { dtype: "float64" })],
    ["normal", (k) => random.normal(k, [5])],
    ["truncatedNormal", (k) => random.truncatedNormal(k, -0.5, 1.5, [4])],
    ["bernoulli", (k) => random.bernoulli(k, 0.4, [6])],
    [
      "categorical",
      (k) =>
        random.categorical(
          k,
          f32([
            [0.1, 2, 0.3],
            [1, 1, 1]
          ]),
          { shape: [3, 2] }
        )
    ],
    ["randint", (k) => random.randint(k, [6], -3, 40)],
    ["permutation", (k) => random.permutation(k, 9)],
    ["choice", (k) => random.choice(k, 8, [3], { replace: false })],
    ["choice p", (k) => random.choice(k, 4, [5], { p: f32([0.1, 0.2, 0.3, 0.4]) })],
    ["gumbel", (k) => random.gumbel(k, [3])],
    ["exponential", (k) => random.exponential(k, [3])],
    ["laplace", (k) => random.laplace(k, [3])],
    ["logistic", (k) => random.logistic(k, [3])],
    [
      "multivariateNormal",
      (k) =>
        random.multivariateNormal(
          k,
          f32([0, 1]),
          f32([
            [1, 0.5],
            [0.5, 2]
          ]),
          { shape: [2] }
        )
    ],
    ["split", (k) => random.keyData(random.split(k, 3))],
    ["foldIn", (k) => random.keyData(random.foldIn(k, 12))]
  ]
  it("jit(f)(key) == f(key)", () => {
    const key = random.key(2024)
    for (const [name, f] of samplers) {
      const eager = values(f(key))
      expect([name, values(jit(f)(key))]).toEqual([name, eager])
    }
  })
  it("vmap over a batch of keys == a loop over the keys", () => {
    const keys = random.split(random.key(7), 4)
    for (const [name, f] of samplers) {
      const batched = vmap(f)(keys)
      const looped = np.stack([...keys].map(f))
      expect([name, values(batched)]).toEqual([name, values(looped)])
    }
    // raw keys too, and a vmap of jit
    const raw = random.keyData(keys)
    expect(values(vmap((k: Array) => random.normal(k, [2]))(raw))).toEqual(values(vmap((k: random.PRNGKeyArray) => random.normal(k, [2]))(keys)))
    expect(values(vmap(jit((k: random.PRNGKeyArray) => random.uniform(k, [3])))(keys))).toEqual(values(np.stack([...keys].map((k) => random.uniform(k, [3])))))
  })
  it("lax.scan and forILoop thread keys with the same bits as a JS loop", () => {
    const step = (k: random.PRNGKeyArray): [random.PRNGKeyArray, Array] => {
      const [next, sub] = random.split(k)
      return [next, random.normal(sub, [2])]
    }
    let k = random.key(5)
    const loop: Array[] = []
    for (let i = 0; i < 4; i++) {
      const [next, y] = step(k)
      loop.push(y)
      k = next
    }
    const [kEnd, ys] = lax.scan((c: random.PRNGKeyArray, _: null) => step(c), random.key(5), null, { length: 4 })
    expect(values(ys)).toEqual(values(np.stack(loop)))
    expect(data(kEnd)).toEqual(data(k))
    const total = lax.forILoop(0, 4, (i, acc: Array) => acc.add(np.sum(random.uniform(random.foldIn(random.key(6), i), [3]))), f32(0))
    let want = f32(0)
    for (let i = 0; i < 4; i++) want = want.add(np.sum(random.uniform(random.foldIn(random.key(6), i), [3])))
    expect(total.item()).toBe(want.item())
    expect(values(jit(() => lax.scan((c: random.PRNGKeyArray, _: null) => step(c), random.key(5), null, { length: 4 })[1])())).toEqual(values(ys))
  })
  it("stages random_bits and differentiates through the float transformations", () => {
    const text = makeJaxpr((k: random.PRNGKeyArray) => random.uniform(k, [3]))(random.key(0)).toString()
    expect(text).toContain("random_bits[bit_width=32 shape=(3,)]")
    expect(text).toContain("shift_right_logical")
    expect(text).toContain("bitcast_convert_type[new_dtype=float32]")
    // d/dmaxval sum(uniform(k, minval=0, maxval=m)) = sum(u) where u ~ U[0, 1)
    const k = random.key(3)
    const u = random.uniform(k, [4])
    const g = grad((m: Array) => np.sum(random.uniform(k, [4], { minval: 0, maxval: m })))(f32(2))
    expect(g.item()).toBeCloseTo(np.sum(u).item(), 5)
    const h = grad((s: Array) => np.sum(random.normal(k, [4]).mul(s)))(f32(1))
    expect(h.item()).toBeCloseTo(np.sum(random.normal(k, [4])).item(), 5)
  })
})

describe("argument checking", () => {
  it("samplers take a single key and float dtypes", () => {
    expect(() => random.normal(random.split(random.key(0), 2))).toThrow(/single key.*vmap/)
    expect(() => random.uniform(random.key(0), [2], { dtype: "int32" as never })).toThrow(/float dtype/)
    expect(() => random.normal(np.zeros([3]))).toThrow(/key data/)
    expect(() => random.choice(random.key(0), 3, [5], { replace: false })).toThrow(/larger sample/)
    expect(() => random.bernoulli(random.key(0), f32([0.1, 0.2]), [3])).toThrow(/broadcast/)
  })
})
