/**
 * jax.random's distributions against real JAX (golden/random_distributions.py): the same samples
 * for the same key in both threefry modes, float32 and float64, parameters broadcasting; the
 * gradients of gamma, loggamma, beta and dirichlet (implicit reparameterization) as JAX's; the
 * same samples under jit and under vmap over keys.
 */
import fc from "fast-check"
import { afterEach, describe, expect, it } from "vitest"
import { goldenValues, type GoldenArray, loadGolden } from "../../golden/load.js"
import { type Array, grad, jit, np, random, ShapeError, vmap } from "../../index.js"

interface Case {
  readonly fn: string
  readonly args: ReadonlyArray<number | GoldenArray>
  readonly shape: ReadonlyArray<number> | null
  readonly dtype: "float32" | "float64" | null
  readonly seed: number
  readonly partitionable: boolean
  readonly grad?: boolean
  readonly wrt?: ReadonlyArray<number>
  readonly weights?: GoldenArray
  readonly out: GoldenArray | ReadonlyArray<GoldenArray>
}
const golden = loadGolden<Case>("random_distributions")

const toArg = (a: number | GoldenArray): number | Array =>
  typeof a === "number" ? a : np.asarray(goldenValues(a), { dtype: a.dtype as "float32" }).reshape(a.shape)

type Sampler = (key: random.KeyArray, ...rest: never[]) => Array
const draw = (c: Case, key: random.KeyArray, args: ReadonlyArray<number | Array>): Array => {
  const shape = c.shape ?? undefined
  const dtype = c.dtype ?? undefined
  if (c.fn === "multinomial") return random.multinomial(key, args[0]!, args[1] as Array, { ...(shape ? { shape } : {}), ...(dtype ? { dtype } : {}) })
  if (c.fn === "orthogonal") return random.orthogonal(key, args[0] as number, shape, { ...(dtype ? { dtype } : {}), m: args[1] as number })
  const f = (random as unknown as Record<string, Sampler>)[c.fn]!
  return (f as (...a: unknown[]) => Array)(key, ...args, c.shape, dtype)
}

/** Integer-valued samplers must agree exactly; floats to a few ulp of JAX's XLA kernels. */
const EXACT = new Set(["poisson", "geometric", "rademacher", "binomial", "multinomial"])
const tolerance = (c: Case): [number, number] => (EXACT.has(c.fn) ? [0, 0] : c.dtype === "float64" ? [1e-12, 1e-13] : [2e-5, 2e-6])

const closeTo = (got: ArrayLike<number>, want: ReadonlyArray<number>, [rtol, atol]: [number, number], what: string) => {
  expect(got.length, what).toBe(want.length)
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!
    const w = want[i]!
    if (Number.isNaN(w) || !Number.isFinite(w)) expect(g, `${what} [${i}]`).toBe(w)
    else expect(Math.abs(g - w), `${what} [${i}]: got ${g}, JAX ${w}`).toBeLessThanOrEqual(rtol * Math.abs(w) + atol)
  }
}
const label = (c: Case) =>
  `${c.fn}(${c.args.map((a) => (typeof a === "number" ? a : `[${a.shape}]`)).join(", ")}; shape ${JSON.stringify(c.shape)}, ${c.dtype ?? "default"}, seed ${c.seed})`

afterEach(() => random.threefryPartitionable(true))

const samples = golden.cases.filter((c) => c.grad !== true)
const grads = golden.cases.filter((c) => c.grad === true)

describe.each([true, false])("JAX's samples, threefry partitionable = %s", (partitionable) => {
  const mine = samples.filter((c) => c.partitionable === partitionable)
  it.each([...new Set(mine.map((c) => c.fn))])("%s", (fn) => {
    random.threefryPartitionable(partitionable)
    for (const c of mine.filter((m) => m.fn === fn)) {
      const out = draw(c, random.key(c.seed), c.args.map(toArg))
      const want = c.out as GoldenArray
      expect(out.shape, label(c)).toEqual(want.shape)
      expect(out.dtype, label(c)).toBe(want.dtype === "int64" ? "int32" : want.dtype)
      closeTo(out.data() as ArrayLike<number>, goldenValues(want), tolerance(c), label(c))
    }
  })
  it.each([...new Set(grads.map((c) => c.fn))])("the gradient of %s (implicit reparameterization)", (fn) => {
    random.threefryPartitionable(partitionable)
    for (const c of grads.filter((g) => g.fn === fn && g.partitionable === partitionable)) {
      const args = c.args.map(toArg)
      const weights = toArg(c.weights!) as Array
      const wrt = c.wrt!
      const loss = (...ps: Array[]): Array => {
        const full = [...args]
        wrt.forEach((i, j) => (full[i] = ps[j]!))
        return np.sum(np.multiply(draw(c, random.key(c.seed), full), weights))
      }
      const gs = grad(loss, { argnums: wrt.map((_, j) => j) })(...wrt.map((i) => args[i] as Array)) as unknown as Array[]
      ;(c.out as ReadonlyArray<GoldenArray>).forEach((want, j) =>
        closeTo(gs[j]!.data() as ArrayLike<number>, goldenValues(want), [1e-5, 1e-6], `${label(c)} d/d arg ${wrt[j]}`)
      )
    }
  })
})

describe("under jit and vmap", () => {
  const key = random.key(3)
  const a = np.asarray([0.4, 1.0, 3.0], { dtype: "float32" })
  const cases: ReadonlyArray<[string, (k: random.KeyArray) => Array]> = [
    ["gamma", (k) => random.gamma(k, a)],
    ["loggamma", (k) => random.loggamma(k, a)],
    ["beta", (k) => random.beta(k, a, 2)],
    ["dirichlet", (k) => random.dirichlet(k, a)],
    ["poisson", (k) => random.poisson(k, np.asarray([0.5, 6, 40], { dtype: "float32" }))],
    ["binomial", (k) => random.binomial(k, 50, np.asarray([0.05, 0.5, 0.9], { dtype: "float32" }))],
    ["multinomial", (k) => random.multinomial(k, 30, a)],
    ["t", (k) => random.t(k, a)],
    ["orthogonal", (k) => random.orthogonal(k, 3)],
    ["ball", (k) => random.ball(k, 3, 2, [2])],
    ["geometric", (k) => random.geometric(k, 0.3, [3])],
    ["cauchy", (k) => random.cauchy(k, [3])],
    ["chisquare", (k) => random.chisquare(k, a)],
    ["f", (k) => random.f(k, a, 4)],
    ["lognormal", (k) => random.lognormal(k, a)],
    ["pareto", (k) => random.pareto(k, a)],
    ["weibullMin", (k) => random.weibullMin(k, 1, a, [3])],
    ["rayleigh", (k) => random.rayleigh(k, a)],
    ["maxwell", (k) => random.maxwell(k, [3])],
    ["doubleSidedMaxwell", (k) => random.doubleSidedMaxwell(k, 1, 2, [3])],
    ["generalizedNormal", (k) => random.generalizedNormal(k, 1.5, [3])],
    ["triangular", (k) => random.triangular(k, 0, 1, 3, [3])],
    ["wald", (k) => random.wald(k, a)],
    ["rademacher", (k) => random.rademacher(k, [3])]
  ]
  it.each(cases)("%s: jit gives the eager samples", (_name, f) => {
    const eager = [...f(key).data()]
    closeTo(jit(f)(key).data() as ArrayLike<number>, eager, [1e-6, 1e-7], "jit")
  })
  it("gamma's gradient under jit and vmap over keys is the eager one", () => {
    const loss = (k: random.KeyArray, x: Array): Array => np.sum(random.gamma(k, x))
    const g = grad(loss, { argnums: 1 })
    const eager = [...g(key, a).data()]
    closeTo(jit(g)(key, a).data() as ArrayLike<number>, eager, [1e-6, 1e-7], "jit(grad)")
    const keys = random.split(key, 2)
    const batched = vmap(g, { inAxes: [0, null] })(keys, a)
    closeTo(batched.index(1).data() as ArrayLike<number>, [...g(keys.index(1), a).data()], [1e-6, 1e-7], "vmap(grad)")
  })
  it.each(cases)("%s: vmap over keys gives each key's samples", (_name, f) => {
    const keys = random.split(key, 3)
    const batched = vmap(f)(keys)
    for (let i = 0; i < 3; i++) {
      closeTo(batched.index(i).data() as ArrayLike<number>, [...f(keys.index(i)).data()], [1e-6, 1e-7], `vmap row ${i}`)
    }
  })
})

describe("statistics", () => {
  it("gamma, beta and poisson have their means and variances (20000 draws)", () => {
    const m = (x: Array) => np.mean(x).item() as number
    const v = (x: Array) => np.var(x).item() as number
    const g = random.gamma(random.key(1), 2.5, [20000])
    expect(m(g)).toBeCloseTo(2.5, 1)
    expect(v(g)).toBeCloseTo(2.5, 0)
    const b = random.beta(random.key(2), 2, 6, [20000])
    expect(m(b)).toBeCloseTo(0.25, 2)
    const p = random.poisson(random.key(3), 30, [20000]).astype("float32")
    expect(m(p)).toBeCloseTo(30, 0)
    expect(Math.abs(v(p) - 30)).toBeLessThan(1.5)
  })
  it("orthogonal matrices are orthogonal", () => {
    const q = random.orthogonal(random.key(0), 4, [2])
    const qtq = np.matmul(np.swapaxes(q, -1, -2), q)
    closeTo(qtq.data() as ArrayLike<number>, [...np.broadcastTo(np.eye(4), [2, 4, 4]).data()], [0, 1e-5], "QᵀQ")
  })
})

describe("laws (fast-check, seeded)", () => {
  const arbSeed = fc.integer({ min: 0, max: 2 ** 31 - 1 })
  const arbShape = fc.double({ min: 0.05, max: 20, noNaN: true })
  it("gamma samples are positive, beta samples lie in [0, 1], dirichlet samples sum to 1", () => {
    fc.assert(
      fc.property(arbSeed, arbShape, arbShape, (seed, a, b) => {
        const key = random.key(seed)
        const g = [...random.gamma(key, a, [4]).data()]
        expect(g.every((x) => x >= 0 && Number.isFinite(x))).toBe(true)
        const be = [...random.beta(key, a, b, [4]).data()]
        expect(be.every((x) => x >= 0 && x <= 1)).toBe(true)
        const d = [...random.dirichlet(key, [a, b, 1]).data()]
        expect(Math.abs(d.reduce((s, x) => s + x, 0) - 1)).toBeLessThan(1e-5)
        // exp(loggamma) is gamma, up to rounding, for the same key (as JAX documents)
        const lg = [...random.loggamma(key, a, [4]).data()]
        lg.forEach((l, i) => expect(Math.abs(Math.exp(l) - g[i]!)).toBeLessThanOrEqual(1e-4 * g[i]! + 1e-30))
      }),
      { numRuns: 12, seed: 1 }
    )
  })
  it("ball points lie in the unit p-ball; binomial counts lie in [0, n]; multinomial counts sum to n", () => {
    fc.assert(
      fc.property(
        arbSeed,
        fc.double({ min: 0.6, max: 4, noNaN: true }),
        fc.integer({ min: 0, max: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (seed, p, n, q) => {
          const key = random.key(seed)
          const x = random.ball(key, 3, p, [2])
          const norms = [...np.sum(np.power(np.abs(x), p), { axis: -1 }).data()]
          expect(norms.every((v) => v <= 1 + 1e-5)).toBe(true)
          const c = [...random.binomial(key, n, q, [3]).data()]
          expect(c.every((v) => Number.isInteger(v) && v >= 0 && v <= n)).toBe(true)
          const m = [...random.multinomial(key, n, [q, 1 - q, 0.5]).data()]
          expect(m.reduce((s, v) => s + v, 0)).toBe(n)
        }
      ),
      { numRuns: 10, seed: 2 }
    )
  })
})

describe("bad input", () => {
  const key = random.key(0)
  it("refuses integer dtypes for float samplers and float dtypes for integer ones", () => {
    expect(() => random.gamma(key, 1, [2], "int32" as never)).toThrow(/dtype argument to random.gamma must be a float dtype/)
    expect(() => random.poisson(key, 1, [2], "float32" as never)).toThrow(/random.poisson must be an integer dtype/)
    expect(() => random.geometric(key, 0.5, [2], "float32" as never)).toThrow(/random.geometric must be an int dtype/)
  })
  it("refuses parameters that do not broadcast to the shape", () => {
    expect(() => random.gamma(key, np.ones([3]), [2])).toThrow(ShapeError)
    expect(() => random.gamma(key, np.ones([2]), [3, 1])).toThrow(/must broadcast to the shape argument/)
    expect(() => random.dirichlet(key, np.ones([]))).toThrow(/alpha.ndim >= 1/)
  })
  it("refuses unknown options", () => {
    expect(() => random.multinomial(key, 3, [0.5, 0.5], { shapes: [2] } as never)).toThrow(/unknown option "shapes"/)
    expect(() => random.orthogonal(key, 3, [], { n: 2 } as never)).toThrow(/unknown option "n"/)
  })
})

describe("threefry2x32, keyImpl, keyDtype", () => {
  it("hashes counts as JAX's threefry_2x32 (the Random123 known-answer vectors)", () => {
    // threefry2x32_20 KAT: key (0x13198a2e, 0x03707344), counts (0x243f6a88, 0x85a308d3)
    const k = np.asarray([0x13198a2e, 0x03707344], { dtype: "uint32" })
    const out = random.threefry2x32(k, np.asarray([0x243f6a88, 0x85a308d3], { dtype: "uint32" }))
    expect([...out.data()]).toEqual([0xc4923a9c, 0x483df7a0])
    // an odd count is padded with a 0 and cut back
    const odd = random.threefry2x32(k, np.asarray([1, 2, 3], { dtype: "uint32" }))
    expect(odd.shape).toEqual([3])
    expect(() => random.threefry2x32(k, np.asarray([1, 2], { dtype: "int32" }))).toThrow(/requires uint32 arguments/)
  })
  it("names the key implementation and dtype", () => {
    expect(random.keyImpl(random.key(0))).toBe("threefry2x32")
    expect(random.keyDtype()).toBe("key<fry>")
  })
})
