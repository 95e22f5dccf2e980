/**
 * lax.reduceWindow and np.correlate against real JAX (golden/reduce_window.py): outputs and
 * gradients, eagerly and under jit; vmap against the loop; finite differences in float64 where JAX
 * has no gradient (max with window dilation); the tagged errors.
 */
import { describe, expect, it } from "vitest"
import { type Array, grad, jit, lax, np, ShapeError, ValueError, vmap } from "../../index.js"
import { type GoldenArray, loadGolden } from "../../golden/load.js"
import { expectGolden, fromGolden } from "../../effects/optim/test-helpers.js"
import type { ReduceWindowOptions } from "./reduce-window.js"

interface RwCase {
  readonly kind: "reduceWindow"
  readonly name: string
  readonly op: "sum" | "max" | "min" | "mul"
  readonly init: number
  readonly x: GoldenArray
  readonly window: ReadonlyArray<number>
  readonly options: ReduceWindowOptions
  readonly out: GoldenArray
  readonly w?: GoldenArray
  readonly grad?: GoldenArray
}
interface CorrCase {
  readonly kind: "correlate"
  readonly name: string
  readonly a: GoldenArray
  readonly v: GoldenArray
  readonly mode: "valid" | "same" | "full"
  readonly out: GoldenArray
  readonly w: GoldenArray
  readonly gradA: GoldenArray
  readonly gradV: GoldenArray
}

const golden = loadGolden<RwCase | CorrCase>("reduce_window")
const TOL = 2e-5
const comps = { sum: lax.add, max: lax.max, min: lax.min, mul: lax.mul }
const fnOf = (c: RwCase) => (x: Array) => lax.reduceWindow(x, c.init, comps[c.op], c.window, c.options)

describe("lax.reduceWindow gives JAX's numbers (golden/reduce_window.py)", () => {
  for (const c of golden.cases) {
    if (c.kind !== "reduceWindow") continue
    it(c.name, () => {
      const f = fnOf(c)
      const x = fromGolden(c.x)
      expectGolden(f(x), c.out, TOL, "out")
      expectGolden(jit(f)(x), c.out, TOL, "jit out")
      if (c.grad !== undefined) {
        const w = fromGolden(c.w!)
        const loss = (a: Array) => np.sum(f(a).mul(w))
        expectGolden(grad(loss)(x), c.grad, TOL, "grad")
        expectGolden(jit(grad(loss))(x), c.grad, TOL, "jit grad")
      }
      // vmap over a new leading axis equals the loop
      const xs = [x, x.mul(-1), x.add(0.5)]
      const want = np.stack(xs.map(f))
      const got = vmap(f)(np.stack(xs))
      expect([...got.data()]).toEqual([...want.data()])
    })
  }
  it("max with window dilation: the gradient matches central differences in float64", () => {
    const c = golden.cases.find((k) => k.name === "max with window dilation") as RwCase
    const x = fromGolden(c.x).astype("float64")
    const pool = (a: Array) => lax.reduceWindow(a, -Infinity, lax.max, c.window, c.options)
    const outShape = pool(x).shape
    const wts = np
      .arange(
        outShape.reduce((p, q) => p * q, 1),
        { dtype: "float64" }
      )
      .add(1)
      .reshape(outShape)
    const f = (a: Array) => np.sum(pool(a).mul(wts))
    const g = [...grad(f)(x).data()].map(Number)
    const base = [...x.data()].map(Number)
    const h = 1e-3
    base.forEach((_, i) => {
      const up = base.slice()
      const dn = base.slice()
      up[i]! += h
      dn[i]! -= h
      const fd =
        (Number(f(np.array(up, { dtype: "float64" }).reshape(x.shape)).data()[0]) - Number(f(np.array(dn, { dtype: "float64" }).reshape(x.shape)).data()[0])) /
        (2 * h)
      expect(Math.abs(fd - g[i]!)).toBeLessThan(1e-6)
    })
  })
})

describe("np.correlate gives JAX's numbers", () => {
  for (const c of golden.cases) {
    if (c.kind !== "correlate") continue
    it(c.name, () => {
      const a = fromGolden(c.a)
      const v = fromGolden(c.v)
      const w = fromGolden(c.w)
      expectGolden(np.correlate(a, v, { mode: c.mode }), c.out, TOL, "out")
      const loss = (p: Array, q: Array) => np.sum(np.correlate(p, q, { mode: c.mode }).mul(w))
      expectGolden(grad(loss)(a, v), c.gradA, TOL, "grad a")
      expectGolden(grad(loss, { argnums: 1 })(a, v), c.gradV, TOL, "grad v")
    })
  }
})

describe("bad windows are tagged errors", () => {
  const x = np.ones([4, 4])
  it("ranks, padding, options", () => {
    expect(() => lax.reduceWindow(x, 0, lax.add, [2])).toThrow(ShapeError)
    expect(() => lax.reduceWindow(x, 0, lax.add, [2, 2], { padding: "SAM" as never })).toThrow(/did you mean "SAME"/)
    expect(() => lax.reduceWindow(x, 0, lax.add, [2, 2], { windowStride: [1, 1] } as never)).toThrow(/did you mean "windowStrides"/)
    expect(() => lax.reduceWindow(x, 0, lax.add, [2, 2], { windowStrides: [0, 1] })).toThrow(ShapeError)
    expect(() => lax.reduceWindow(x, 0, "add" as never, [2, 2])).toThrow(ValueError)
  })
  it("the monoid check: lax.max with a finite init is folded, not pooled", () => {
    const y = np.array(
      [
        [-3, -2],
        [-5, -4]
      ],
      { dtype: "float32" }
    )
    expect([...lax.reduceWindow(y, 0, lax.max, [2, 2]).data()]).toEqual([0])
    expect([...lax.reduceWindow(y, -Infinity, lax.max, [2, 2]).data()]).toEqual([-2])
  })
})
