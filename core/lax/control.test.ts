import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Array, grad, jit, jvp, lax, makeJaxpr, np, ShapeError, TreeError, ValueError, vjp } from "../../index.js"

const f64 = (v: number | number[]) => np.asarray(v, { dtype: "float64" })
const f32 = (v: number | number[]) => np.asarray(v, { dtype: "float32" })
const h = 1e-6
/** Central finite difference of a scalar function of a scalar, in float64. */
const fd = (g: (x: Array) => Array, v: number): number => (g(f64(v + h)).item() - g(f64(v - h)).item()) / (2 * h)

describe("cond and switch", () => {
  const f = (x: Array) =>
    lax.cond(
      x.gt(0),
      (y: Array) => y.mul(y),
      (y: Array) => y.neg(),
      x
    )
  it("picks the branch eagerly and under jit", () => {
    expect(f(f32(3)).item()).toBe(9)
    expect(f(f32(-3)).item()).toBe(3)
    expect(jit(f)(f32(3)).item()).toBe(9)
    expect(jit(f)(f32(-3)).item()).toBe(3)
  })
  it("stages both branches into one cond equation", () => {
    const text = makeJaxpr(f)(f32(1)).toString({ compact: true })
    expect(text).toContain("cond[branches=({ lambda ; a:f32[]. let b:f32[] = neg a in (b,) } { lambda ; a:f32[]. let b:f32[] = mul a a in (b,) })]")
  })
  it("differentiates in both modes, and under jit, matching finite differences (property)", () => {
    const g = (x: Array) =>
      lax.cond(
        x.gt(0.5),
        (y: Array) => np.sin(y).mul(x),
        (y: Array) => y.mul(y).mul(3),
        x
      )
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }).filter((v) => Math.abs(v - 0.5) > 1e-3),
        (v) => {
          const d = fd(g, v)
          expect(grad(g)(f64(v)).item()).toBeCloseTo(d, 6)
          expect(jit(grad(g))(f64(v)).item()).toBeCloseTo(d, 6)
          expect(jvp(g, [f64(v)], [f64(1)])[1].item()).toBeCloseTo(d, 6)
        }
      ),
      { seed: 3, numRuns: 25 }
    )
  })
  it("switch clamps its index like JAX and differentiates the chosen branch", () => {
    const sw = (i: Array, x: Array) => lax.switch(i, [(x: Array) => x, (x: Array) => x.mul(2), (x: Array) => x.mul(3)], x)
    expect(sw(np.array(1), f32(5)).item()).toBe(10)
    expect(sw(np.array(7), f32(5)).item()).toBe(15)
    expect(sw(np.array(-4), f32(5)).item()).toBe(5)
    expect(grad(sw, { argnums: 1 })(np.array(2), f32(5)).item()).toBe(3)
  })
  it("rejects branches with different output types, naming both", () => {
    expect(() =>
      lax.cond(
        true,
        (x: Array) => x,
        (x: Array) => x.reshape([1]),
        f32(1)
      )
    ).toThrow(ShapeError)
    expect(() =>
      lax.cond(
        true,
        (x: Array) => x,
        (x: Array) => [x, x] as unknown as Array,
        f32(1)
      )
    ).toThrow(TreeError)
  })
})

describe("whileLoop and forILoop", () => {
  it("runs a value-dependent loop eagerly and under jit", () => {
    const w = (x: Array) =>
      lax.whileLoop(
        (c: Array) => c.lt(100),
        (c: Array) => c.mul(2),
        x
      )
    expect(w(f32(3)).item()).toBe(192)
    expect(jit(w)(f32(3)).item()).toBe(192)
  })
  it("forward mode works through whileLoop; reverse mode fails with a message pointing to scan/forILoop", () => {
    // x^5 by repeated multiplication: derivative 5 x^4
    const pow5 = (x: Array) =>
      lax.whileLoop(
        (c: readonly [Array, Array]) => c[0].lt(5),
        (c: readonly [Array, Array]) => [c[0].add(1), c[1].mul(x)] as const,
        [np.array(0), f64(1)] as const
      )[1]
    const [y, dy] = jvp(pow5, [f64(2)], [f64(1)])
    expect([y.item(), dy.item()]).toEqual([32, 80])
    expect(() => grad(pow5)(f64(2))).toThrow(/scan.*forILoop|forILoop/)
    expect(() => grad(pow5)(f64(2))).toThrow(ValueError)
  })
  it("forILoop with static bounds is reverse-differentiable; with traced bounds it runs as a while", () => {
    const body = (x: Array) => (i: Array, c: Array) => c.mul(x).add(i.astype("float64"))
    const fl = (x: Array) => lax.forILoop(0, 5, body(x), f64(1))
    // c_{k+1} = x c_k + k from c_0 = 1: at x = 2 the values are 2, 5, 12, 27, 58
    expect(fl(f64(2)).item()).toBe(58)
    expect(grad(fl)(f64(2)).item()).toBeCloseTo(fd(fl, 2), 5)
    const dyn = jit((x: Array, n: Array) => lax.forILoop(0, n, body(x), f64(1)))
    expect(dyn(f64(2), np.array(5)).item()).toBe(58)
  })
})

describe("scan", () => {
  const xs = f32([1, 2, 3, 4])
  const cumprodScan = (x: Array) => lax.scan((c: Array, xi: Array) => [c.mul(xi), c] as const, f32(1), x)
  it("returns the final carry and the stacked outputs, eagerly and under jit", () => {
    const [c, ys] = cumprodScan(xs)
    expect(c.item()).toBe(24)
    expect([...ys.data()]).toEqual([1, 1, 2, 6])
    const [cj, ysj] = jit(cumprodScan)(xs)
    expect(cj.item()).toBe(24)
    expect([...ysj.data()]).toEqual([1, 1, 2, 6])
  })
  it("reverse mode through scan: hand-derived gradient", () => {
    // loss = prod(x) + (1 + x0 + x0 x1 + x0 x1 x2)
    const loss = (x: Array) => {
      const [c, ys] = cumprodScan(x)
      return c.add(np.sum(ys))
    }
    expect([...grad(loss)(xs).data()]).toEqual([24 + 1 + 2 + 6, 12 + 1 + 3, 8 + 2, 6])
    expect([...jit(grad(loss))(xs).data()]).toEqual([33, 16, 10, 6])
  })
  it("reverse scans, pytree carries and second derivatives match finite differences", () => {
    const s = (x: Array) =>
      lax.scan(
        (c: { a: Array; b: Array }, xi: Array) => [{ a: np.sin(c.a.mul(xi)), b: c.b.add(c.a) }, c.a] as const,
        { a: x, b: f64(0) },
        f64([0.1, 0.2, 0.3]).mul(x),
        { reverse: true }
      )[0].b
    expect(grad(s)(f64(0.7)).item()).toBeCloseTo(fd(s, 0.7), 6)
    const g = grad(s)
    expect(grad((x: Array) => g(x))(f64(0.7)).item()).toBeCloseTo(
      fd((x) => g(x), 0.7),
      4
    )
  })
  it("vjp through scan is the adjoint of jvp (property)", () => {
    const s = (x: Array) => lax.scan((c: Array, xi: Array) => [np.tanh(c.mul(xi).add(xi)), c.mul(c)] as const, f64(0.3), x)[1]
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (xv, uv, vv) => {
          const [, ju] = jvp(s, [f64(xv)], [f64(uv)])
          const [, back] = vjp(s, f64(xv))
          const [jtv] = back(f64(vv))
          expect(np.sum(ju.mul(f64(vv))).item()).toBeCloseTo(np.sum(jtv.mul(f64(uv))).item(), 10)
        }
      ),
      { seed: 8, numRuns: 20 }
    )
  })
  it("checks the carry type and the scan length", () => {
    expect(() => lax.scan((c: Array, x: Array) => [c.reshape([1]), x] as const, f32(0), xs)).toThrow(ShapeError)
    expect(() => lax.scan((c: Array, x: Array) => [c, x] as const, f32(0), xs, { length: 3 })).toThrow(ShapeError)
  })
})
