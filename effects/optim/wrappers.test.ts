/**
 * The wrappers' laws (property-based), and the behaviour the golden cases do not show: argument
 * errors, `hasUpdated`, `valueAndGradFromState`, injected hyperparameters changed between steps,
 * line searches under jit with data captured by the objective.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Array, jit, np, tree, valueAndGrad, ValueError } from "../../index.js"
import * as optim from "./index.js"

interface P {
  readonly w: Array
  readonly b: Array
}
const f32 = (v: number | number[] | number[][]): Array => np.array(v, { dtype: "float32" })
const host = (t: unknown): number[][] => tree.leaves(t).map((x) => [...(x as Array).data()].map(Number))

const finite = fc.float({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true })
const treeArb = fc.record({ w: fc.array(finite, { minLength: 3, maxLength: 3 }), b: fc.array(finite, { minLength: 2, maxLength: 2 }) })
const toP = (t: { w: number[]; b: number[] }): P => ({ w: f32(t.w), b: f32(t.b) })

/** The updates of `steps` updates of `opt` on fixed gradient and param trees. */
const updatesOf = (opt: optim.GradientTransformation<unknown>, p: P, gs: ReadonlyArray<P>): number[][][] => {
  let s = opt.init(p)
  return gs.map((g) => {
    const [u, s2] = opt.update(g, s, p)
    s = s2
    return host(u)
  })
}

const inners: ReadonlyArray<() => optim.GradientTransformation<unknown>> = [
  () => optim.adam(0.1) as optim.GradientTransformation<unknown>,
  () => optim.sgd(0.1, { momentum: 0.9 }) as optim.GradientTransformation<unknown>,
  () => optim.lamb(0.05, { weightDecay: 0.1 }) as optim.GradientTransformation<unknown>
]

describe("laws of the wrappers (fast-check)", () => {
  const run = (law: (inner: () => optim.GradientTransformation<unknown>, p: P, gs: P[]) => void, seed: number) =>
    fc.assert(
      fc.property(fc.integer({ min: 0, max: inners.length - 1 }), treeArb, fc.array(treeArb, { minLength: 1, maxLength: 3 }), (k, p, gs) => {
        law(inners[k]!, toP(p), gs.map(toP))
      }),
      { seed, numRuns: 12 }
    )

  it("multiTransform with one label for everything is that transformation", () => {
    run((inner, p, gs) => {
      expect(updatesOf(optim.multiTransform({ only: inner() }, "only") as optim.GradientTransformation<unknown>, p, gs)).toEqual(updatesOf(inner(), p, gs))
    }, 11)
  })

  it("MultiSteps with k = 1 is its inner optimizer", () => {
    run((inner, p, gs) => {
      expect(updatesOf(new optim.MultiSteps(inner(), 1) as optim.GradientTransformation<unknown>, p, gs)).toEqual(updatesOf(inner(), p, gs))
    }, 12)
  })

  it("applyIfFinite and an always-true conditionallyTransform leave finite steps to the inner optimizer", () => {
    run((inner, p, gs) => {
      const want = updatesOf(inner(), p, gs)
      expect(updatesOf(optim.applyIfFinite(inner(), 1) as optim.GradientTransformation<unknown>, p, gs)).toEqual(want)
      expect(updatesOf(optim.conditionallyTransform(inner(), () => true) as optim.GradientTransformation<unknown>, p, gs)).toEqual(want)
    }, 13)
  })

  it("namedChain is chain", () => {
    run((inner, p, gs) => {
      const named = optim.namedChain({ clip: optim.clip(1), inner: inner() }) as optim.GradientTransformation<unknown>
      expect(updatesOf(named, p, gs)).toEqual(updatesOf(optim.chain(optim.clip(1), inner()) as optim.GradientTransformation<unknown>, p, gs))
    }, 14)
  })
})

describe("wrappers: behaviour and errors", () => {
  const p: P = { w: f32([1, -2, 0.5]), b: f32([0.25, 3]) }
  const g: P = { w: f32([0.1, 0.2, -0.3]), b: f32([1, -1]) }

  it("MultiSteps.hasUpdated is true exactly after every k-th mini-step", () => {
    const opt = new optim.MultiSteps(optim.sgd(0.1), 3)
    let s = opt.init(p)
    const seen: boolean[] = []
    for (let i = 0; i < 7; i++) {
      s = opt.update(g, s, p)[1]
      seen.push(Boolean(opt.hasUpdated(s).item()))
    }
    expect(seen).toEqual([false, false, true, false, false, true, false])
  })

  it("multiTransform refuses a label with no transformation, naming it", () => {
    const opt = optim.multiTransform({ a: optim.sgd(0.1) }, { w: "a", b: "c" } as unknown as optim.LabelTree<"a">)
    expect(() => opt.init(p)).toThrow(ValueError)
    expect(() => opt.init(p)).toThrow(/labels c/)
  })

  it("multiTransform takes labels computed from the params", () => {
    const opt = optim.multiTransform({ big: optim.sgd(1), small: optim.setToZero() }, (t) => ({
      w: (t as P).w.size > 2 ? "big" : "small",
      b: (t as P).b.size > 2 ? "big" : "small"
    }))
    const [u] = opt.update(g, opt.init(p), p)
    expect(host(u)).toEqual([[0, 0], host({ w: g.w.neg() })[0]!])
  })

  it("transformations that need params, the value or the objective say so", () => {
    const needsParams: ReadonlyArray<optim.GradientTransformation<unknown>> = [
      optim.lamb(0.1) as optim.GradientTransformation<unknown>,
      optim.novograd(0.1) as optim.GradientTransformation<unknown>,
      optim.adafactor(0.1),
      optim.lbfgs({ linesearch: null }) as optim.GradientTransformation<unknown>,
      optim.keepParamsNonnegative() as optim.GradientTransformation<unknown>
    ]
    for (const t of needsParams) expect(() => t.update(g, t.init(p))).toThrow(/params/)
    const polyak = optim.polyakSgd()
    expect(() => polyak.update(g, polyak.init(p), p)).toThrow(/\{ value \}/)
    const lb = optim.lbfgs()
    expect(() => lb.update(g, lb.init(p), p, { value: f32(1) })).toThrow(/valueFn/)
  })

  it("bad hyperparameters are ValueErrors", () => {
    expect(() => optim.applyEvery(0)).toThrow(ValueError)
    expect(() => new optim.MultiSteps(optim.sgd(1), 1.5)).toThrow(ValueError)
    expect(() => optim.lookahead(optim.sgd(1), 0, 0.5)).toThrow(ValueError)
    expect(() => optim.scaleByLbfgs({ memorySize: 0 })).toThrow(ValueError)
    expect(() => optim.piecewiseConstantSchedule(0.1, { 10: -1 })).toThrow(/non-negative/)
    expect(() => optim.linearOnecycleSchedule(0, 0.1)).toThrow(ValueError)
    expect(() => optim.sm3(0.1).init({ s: f32(1) })).toThrow(/rank >= 1/)
  })
})

describe("injectHyperparams", () => {
  const p: P = { w: f32([1, -2, 0.5]), b: f32([0.25, 3]) }
  const g: P = { w: f32([0.1, 0.2, -0.3]), b: f32([1, -1]) }

  it("a hyperparameter changed in the state changes the next step, under jit without retracing", () => {
    const opt = optim.injectHyperparams((h) => optim.sgd(h.learningRate), { learningRate: 0.1 })
    type S = optim.StateOf<typeof opt>
    const step = jit((s: S) => opt.update(g, s, p))
    const s0 = opt.init(p)
    expect(s0.hyperparams.learningRate.item()).toBeCloseTo(0.1, 7)
    const [u1, s1] = step(s0)
    const s1b: S = { ...s1, hyperparams: { learningRate: f32(0.5) } }
    const [u2] = step(s1b)
    expect(host(u1)).toEqual(host({ w: g.w.mul(-0.1), b: g.b.mul(-0.1) }))
    expect(host(u2)).toEqual(host({ w: g.w.mul(-0.5), b: g.b.mul(-0.5) }))
    expect(step.cache.traces).toBe(1)
  })
})

describe("line searches", () => {
  const x = f32([
    [1, 2],
    [3, -1],
    [0.5, 0.5],
    [-2, 1]
  ])
  const y = f32([1, 0, 2, -1])
  const lsq = (w: Array, data: Array, target: Array): Array => np.mean(data.matmul(w).sub(target).square())

  it("lbfgs under jit, with an objective that captures the batch, gives eager's numbers and decreases the loss", () => {
    const opt = optim.lbfgs()
    type S = optim.StateOf<typeof opt>
    const step = (w: Array, s: S, data: Array, target: Array): [Array, S, Array] => {
      const f = (q: Array) => lsq(q, data, target)
      const [value, grad] = valueAndGrad(f)(w)
      const [u, s2] = opt.update(grad, s, w, { value, grad, valueFn: f })
      return [optim.applyUpdates(w, u), s2, value]
    }
    const jitted = jit(step)
    let we = f32([0, 0])
    let se = opt.init(we)
    let wj = we
    let sj = se
    for (let i = 0; i < 4; i++) {
      ;[we, se] = step(we, se, x, y)
      ;[wj, sj] = jitted(wj, sj, x, y)
    }
    expect(host(wj)).toEqual(host(we))
    expect(host(sj)).toEqual(host(se))
    expect(lsq(we, x, y).item()).toBeLessThan(lsq(f32([0, 0]), x, y).item())
  })

  it("valueAndGradFromState returns the state's finite value and gradient, and evaluates when the value is not finite", () => {
    const f = (w: Array) => lsq(w, x, y)
    const vg = optim.valueAndGradFromState(f)
    const w = f32([0.5, -0.5])
    const stored = { learningRate: f32(1), value: f32(42), grad: f32([7, 8]) }
    const [v, g] = vg(w, [null, stored])
    expect([v.item(), ...g.data()]).toEqual([42, 7, 8])
    const [v2, g2] = vg(w, [null, { ...stored, value: f32(Infinity) }])
    const [vf, gf] = valueAndGrad(f)(w)
    expect([v2.item(), ...g2.data()]).toEqual([vf.item(), ...gf.data()])
    // after an lbfgs step the state holds the line search's value at the new params
    const opt = optim.lbfgs()
    const [v0, g0] = valueAndGrad(f)(w)
    const [u, s1] = opt.update(g0, opt.init(w), w, { value: v0, grad: g0, valueFn: f })
    const w1 = optim.applyUpdates(w, u)
    expect(Math.abs(vg(w1, s1)[0].item() - f(w1).item())).toBeLessThan(1e-6)
    expect(() => vg(w, { value: f32(1) })).toThrow(/exactly one/)
  })
})
