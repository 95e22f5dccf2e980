/**
 * jit's fast path: a call whose arguments are the concrete Arrays of the last call's avals (the
 * same aval objects, as when a loop feeds a function its own results) runs the compiled program
 * without flattening or a cache key (pytree arguments are matched against the last call's
 * structure). It must never change what a call means.
 */
import { describe, expect, expectTypeOf, it } from "vitest"
import { type Array, grad, jit, makeJaxpr, np, random, UnexpectedTracerError, vmap } from "../../index.js"

const step = (x: Array): Array => x.mul(2).add(1)
const seq = (n: number): number[][] => {
  const out: number[][] = []
  let v = [1, 2, 3]
  for (let i = 0; i < n; i++) out.push((v = v.map((a) => 2 * a + 1)))
  return out
}

describe("jit's same-avals fast path", () => {
  it("a loop over its own results gives the results of the traced program, tracing once", () => {
    const f = jit(step)
    let z = np.asarray([1, 2, 3], { dtype: "float32" })
    const got: number[][] = []
    for (let i = 0; i < 6; i++) got.push([...(z = f(z)).data()])
    expect(got).toEqual(seq(6))
    expect(f.cache.traces).toBe(1)
  })

  it("under grad, vmap and an outer jit the call is traced as before", () => {
    const f = jit((x: Array) => x.mul(x).sum())
    let z = np.asarray([1, 2, 3], { dtype: "float32" })
    f(z)
    z = np.asarray([4, 5, 6], { dtype: "float32" })
    expect(f(z).item()).toBe(77)
    expect([...grad(f)(z).data()]).toEqual([8, 10, 12])
    expect([
      ...vmap(f)(
        np.asarray(
          [
            [1, 2],
            [3, 4]
          ],
          { dtype: "float32" }
        )
      ).data()
    ]).toEqual([5, 25])
    // inside an outer trace the concrete argument is a constant of the outer program, and the
    // inner call stays a call equation (not run on the spot)
    expect(makeJaxpr(() => f(z))().toString()).toMatch(/jit\[/)
  })

  it("other avals, a cleared cache and a leaked tracer take the full path", () => {
    const f = jit(step)
    const x = np.asarray([1, 2, 3], { dtype: "float32" })
    const y = f(f(x))
    expect([...f(np.asarray([1, 2], { dtype: "float32" })).data()]).toEqual([3, 5])
    expect(f.cache.traces).toBe(2)
    f.clearCache()
    expect([...f(y).data()]).toEqual(seq(3)[2])
    expect(f.cache.traces).toBe(3) // traced again after clearCache (the count is a running total)
    let leaked: Array | undefined
    jit((t: Array) => {
      leaked = t
      return t
    })(x)
    expect(() => f(leaked!)).toThrow(UnexpectedTracerError)
  })

  it("pytree arguments: the same structure is matched, any other structure takes the full path", () => {
    type P = { w: Array; b: Array; extra?: Array | null | undefined }
    const f = jit((p: P, x: Array) => ({ w: p.w.sub(x), b: p.b.add(1), n: p.extra === undefined ? 0 : p.extra === null ? 1 : 2 }))
    const x = np.asarray([1, 2], { dtype: "float32" })
    let p: P = { w: np.zeros([2]), b: np.zeros([]) }
    for (let i = 0; i < 4; i++) {
      const out = f(p, x)
      p = { w: out.w, b: out.b }
    }
    expect([...p.w.data()]).toEqual([-4, -8])
    expect(p.b.item()).toBe(4)
    const traces = f.cache.traces
    // the same avals inside other structures: a new key, null, undefined, a swapped order of leaves
    expect(f({ ...p, extra: null }, x).n.item()).toBe(1)
    expect(f({ ...p, extra: p.b }, x).n.item()).toBe(2)
    expect(f({ ...p, extra: undefined }, x).n.item()).toBe(0)
    expect(f.cache.traces).toBe(traces + 3)
    const swapped = f({ w: p.w, b: p.b }, p.w)
    expect([...swapped.w.data()]).toEqual([0, 0])
    // the recorded object's leaves inside an instance of an unregistered class: a leaf jit refuses
    class Box {
      constructor(
        readonly w: Array,
        readonly b: Array
      ) {}
    }
    expect(() => f(new Box(p.w, p.b) as unknown as P, x)).toThrow(/cannot be traced/)
  })

  it("types: numbers in returned records, tuples and lists are Arrays; class instances keep their type", () => {
    const f = jit((x: Array) => ({ loss: 1, parts: [x, 2] as const, ok: true, nested: { n: 3 } }))
    const out = f(np.ones([2]))
    expectTypeOf(out.loss).toEqualTypeOf<Array>()
    expectTypeOf(out.ok).toEqualTypeOf<Array>()
    expectTypeOf(out.parts[1]).toEqualTypeOf<Array>()
    expectTypeOf(out.nested.n).toEqualTypeOf<Array>()
    expect(out.loss.item()).toBe(1)
    expect(out.nested.n.item()).toBe(3)
    const k = jit((key: ReturnType<typeof random.key>) => random.split(key)[0]!)(random.key(0))
    expectTypeOf(k).toEqualTypeOf<ReturnType<typeof random.key>>()
  })
})
