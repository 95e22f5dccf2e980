import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Array, ConcretizationError, debug, grad, jit, makeJaxpr, nn, np, UnexpectedTracerError, ValueError } from "../../index.js"

const f32 = (v: Parameters<typeof np.asarray>[0]) => np.asarray(v, { dtype: "float32" })

describe("makeJaxpr", () => {
  it("prints the seed's log2 exactly, and its side effect happens once, at trace time", () => {
    const globalList: unknown[] = []
    const log2 = (x: Array) => {
      globalList.push(x)
      const lnX = np.log(x)
      const ln2 = np.log(f32(2))
      return lnX.div(ln2)
    }
    // JAX 0.10.2's print(jax.make_jaxpr(log2)(3.0)): 88 columns on one line, so one equation a line
    const staged = makeJaxpr(log2)(f32(3))
    expect(staged.toString()).toBe("{ lambda ; a:f32[]. let\n    b:f32[] = log a\n    c:f32[] = log 2.0:f32[]\n    d:f32[] = div b c\n  in (d,) }")
    expect(staged.toString({ compact: true })).toBe("{ lambda ; a:f32[]. let b:f32[] = log a; c:f32[] = log 2.0:f32[]; d:f32[] = div b c in (d,) }")
    expect(globalList.length).toBe(1)
    const jitted = jit(log2)
    jitted(f32(3))
    jitted(f32(4))
    jitted(f32(5))
    // traced once for the three calls with one signature: one more side effect, not three
    expect(globalList.length).toBe(2)
    expect(jitted(f32(8)).item()).toBe(3)
  })
  it("nested jit is a call in the program", () => {
    const inner = jit((x: Array) => np.sin(x).mul(2))
    const text = makeJaxpr((x: Array) => inner(x).add(1))(f32([1, 2])).toString({ compact: true })
    expect(text).toMatch(/jit\[name=.* jaxpr=\{ lambda ; a:f32\[2\]\. let b:f32\[2\] = sin a; c:f32\[2\] = mul b 2\.0:f32\[\] in \(c,\) \}\]/)
  })
})

describe("jit", () => {
  const selu = (x: Array, alpha = 1.67, lmbda = 1.05) => np.where(x.gt(0), x, np.exp(x).mul(alpha).sub(alpha)).mul(lmbda)
  it("gives the same numbers as eager evaluation (property, float32, bit-exact for elementwise)", () => {
    const seluJit = jit(selu)
    fc.assert(
      fc.property(fc.array(fc.float({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 20 }), (xs) => {
        const x = f32(xs)
        expect([...seluJit(x).data()]).toEqual([...selu(x).data()])
      }),
      { seed: 1, numRuns: 30 }
    )
  })

  it("caches per signature and reports why it re-traced", () => {
    const f = jit((x: Array, y: Array) => x.mul(y).sum())
    f(f32([1, 2]), f32([3, 4]))
    f(f32([5, 6]), f32([7, 8]))
    expect(f.cache.traces).toBe(1)
    f(f32([1, 2, 3]), f32([3, 4, 5]))
    f(np.array([1, 2]), np.array([3, 4]))
    f(f32([1, 2]), f32([3, 4]))
    expect(f.cache.traces).toBe(3)
    expect(f.cache.retraceReasons[0]).toMatch(/argument 0 \(x\) changed shape: f32\[2\] -> f32\[3\]/)
    expect(f.cache.retraceReasons[1]).toMatch(/argument 0 \(x\) changed dtype: f32\[3\] -> i32\[2\]/)
  })

  it("the seed's conditional f(x) fails under jit with a ConcretizationError naming x; staticArgnums fixes it", () => {
    const f = (x: Array | number) => (Number(x) > 0 ? x : np.multiply(x, 2))
    const fJit = jit(f)
    expect(() => fJit(10)).toThrow(ConcretizationError)
    expect(() => fJit(10)).toThrow(/argument 0 \(x\).*lax\.cond.*np\.where.*staticArgnums/s)
    const fStatic = jit(f, { staticArgnums: [0] })
    expect(Number(fStatic(10))).toBe(10)
    expect(Number(fStatic(-10))).toBe(-20)
    expect(fStatic.cache.retraceReasons[0]).toMatch(/static argument 0 \(x\) changed/)
  })

  it("the seed's g(x, n) loop needs n static: positional staticArgnums or an options-object field", () => {
    const g = (x: Array, n: Array | number) => {
      let i = 0
      while (i < Number(n)) i += 1
      return np.add(x, i)
    }
    expect(() => jit(g)(np.array(10), 20)).toThrow(ConcretizationError)
    expect(jit(g, { staticArgnums: [1] })(np.array(10), 20).item()).toBe(30)
    const gOpts = (x: Array, opts: { n: number }) => g(x, opts.n)
    expect(jit(gOpts, { staticArgnames: ["n"] })(np.array(10), { n: 20 }).item()).toBe(30)
  })

  it("jit composes with grad both ways on an MLP loss", () => {
    const params = {
      w: f32([
        [0.1, -0.2],
        [0.3, 0.4]
      ]),
      b: f32([0.01, -0.02])
    }
    const x = f32([
      [1, 2],
      [3, -1],
      [0.5, 0.5]
    ])
    const loss = (p: typeof params, x: Array) => np.mean(nn.relu(np.matmul(x, p.w).add(p.b)).pow(2))
    const eager = grad(loss)(params, x)
    const g1 = jit(grad(loss))(params, x)
    const g2 = grad(jit(loss))(params, x)
    for (const g of [g1, g2]) {
      expect([...g.w.data()]).toEqual([...eager.w.data()])
      expect([...g.b.data()]).toEqual([...eager.b.data()])
    }
  })

  it("string leaves must be static; a leaked tracer fails with UnexpectedTracerError", () => {
    expect(() => jit((x: Array, s: string) => x.mul(s.length))(f32(1), "ab")).toThrow(ValueError)
    expect(jit((x: Array, s: string) => x.mul(s.length), { staticArgnums: [1] })(f32(1), "ab").item()).toBe(2)
    let leaked: Array | undefined
    jit((x: Array) => {
      leaked = x
      return x
    })(f32(1))
    expect(() => leaked!.add(1)).toThrow(UnexpectedTracerError)
  })

  it("debug.print prints run-time values inside jit; console-style printing sees tracers at trace time", () => {
    const lines: string[] = []
    const prev = debug.setPrintSink((l) => lines.push(l))
    try {
      const f = jit((x: Array) => {
        debug.print("x = {}", x)
        return x.mul(2)
      })
      // Dispatch is asynchronous (on a worker device the program runs later): printing has happened
      // by the time the results are ready.
      f(np.arange(3)).blockUntilReady()
      f(np.arange(3).add(1)).blockUntilReady()
      expect(lines).toEqual(["x = [0 1 2]", "x = [1 2 3]"])
    } finally {
      debug.setPrintSink(prev)
    }
  })
})
