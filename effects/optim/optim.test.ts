import { describe, expect, it } from "vitest"
import { type Array, grad, jit, np, tree, valueAndGrad, ValueError, vmap } from "../../index.js"
import * as optim from "./index.js"

// ---------------------------------------------------------------------------------------------
// The fixed problem: params { w: f64[2], b: f64[] },
//   loss = 0.5 * sum(k * (w - t)^2) + b^3,   grad_w = k * (w - t),   grad_b = 3 b^2.
// The reference runs the published update equations in float64 on plain numbers, written out
// here by hand (not calling the library), over the flat vector [w0, w1, b].

const K = [1, 4]
const T = [3, -1]
const P0 = [1, -2, 0.5]

interface Params {
  readonly w: Array
  readonly b: Array
}

const f64 = (v: number | number[]): Array => np.array(v, { dtype: "float64" })
const params0 = (): Params => ({ w: f64([P0[0]!, P0[1]!]), b: f64(P0[2]!) })
const loss = (p: Params): Array =>
  np
    .sum(np.array(K, { dtype: "float64" }).mul(p.w.sub(np.array(T, { dtype: "float64" })).square()))
    .mul(0.5)
    .add(p.b.mul(p.b).mul(p.b))
const flat = (p: Params): number[] => [...p.w.data(), ...p.b.data()]
const refGrad = (p: ReadonlyArray<number>): number[] => [K[0]! * (p[0]! - T[0]!), K[1]! * (p[1]! - T[1]!), 3 * p[2]! * p[2]!]

/** Run `opt` for `steps` steps on the problem (gradients by `valueAndGrad`), returning flat params. */
const runOpt = <S>(opt: optim.GradientTransformation<S>, steps = 3): number[][] => {
  let p = params0()
  let s = opt.init(p)
  const out: number[][] = []
  for (let i = 0; i < steps; i++) {
    const [, g] = valueAndGrad(loss)(p)
    const [u, s2] = opt.update(g, s, p)
    p = optim.applyUpdates(p, u)
    s = s2
    out.push(flat(p))
  }
  return out
}

/** A hand-written update rule: (grads, params, step t = 1, 2, ...) -> new params. */
type Rule = (g: number[], p: number[], t: number) => number[]
const runRef = (rule: Rule, steps = 3): number[][] => {
  let p = [...P0]
  const out: number[][] = []
  for (let t = 1; t <= steps; t++) {
    p = rule(refGrad(p), p, t)
    out.push([...p])
  }
  return out
}

const expectClose = (got: number[][], want: number[][], rel = 1e-12): void => {
  expect(got.length).toBe(want.length)
  got.forEach((row, i) =>
    row.forEach((x, j) => {
      const w = want[i]![j]!
      const ok = Math.abs(x - w) <= rel * Math.max(1, Math.abs(w))
      if (!ok) expect.fail(`step ${i + 1}, element ${j}: got ${x}, want ${w}`)
    })
  )
}

const lr = 0.1

describe("optimizers match the published equations (3 steps, float64, by hand)", () => {
  it("sgd", () => {
    expectClose(
      runOpt(optim.sgd(lr)),
      runRef((g, p) => p.map((x, i) => x - lr * g[i]!))
    )
  })

  it("sgd with momentum: trace = g + m * trace; p -= lr * trace", () => {
    const tr = [0, 0, 0]
    const rule: Rule = (g, p) =>
      p.map((x, i) => {
        tr[i] = g[i]! + 0.9 * tr[i]!
        return x - lr * tr[i]!
      })
    expectClose(runOpt(optim.sgd(lr, { momentum: 0.9 })), runRef(rule))
  })

  it("sgd with Nesterov momentum: p -= lr * (g + m * trace')", () => {
    const tr = [0, 0, 0]
    const rule: Rule = (g, p) =>
      p.map((x, i) => {
        tr[i] = g[i]! + 0.9 * tr[i]!
        return x - lr * (g[i]! + 0.9 * tr[i]!)
      })
    expectClose(runOpt(optim.sgd(lr, { momentum: 0.9, nesterov: true })), runRef(rule))
  })

  const adamRule = (b1: number, b2: number, eps: number, epsRoot: number, wd = 0, decayed = [true, true, true]): Rule => {
    const m = [0, 0, 0]
    const v = [0, 0, 0]
    return (g, p, t) =>
      p.map((x, i) => {
        m[i] = (1 - b1) * g[i]! + b1 * m[i]!
        v[i] = (1 - b2) * g[i]! * g[i]! + b2 * v[i]!
        const mHat = m[i]! / (1 - Math.pow(b1, t))
        const vHat = v[i]! / (1 - Math.pow(b2, t))
        let u = mHat / (Math.sqrt(vHat + epsRoot) + eps)
        if (decayed[i] === true) u += wd * x
        return x - lr * u
      })
  }

  it("adam (defaults b1 0.9, b2 0.999, eps 1e-8)", () => {
    expectClose(runOpt(optim.adam(lr)), runRef(adamRule(0.9, 0.999, 1e-8, 0)))
  })

  it("adam with every option set", () => {
    const opt = optim.adam(lr, { b1: 0.8, b2: 0.99, eps: 1e-3, epsRoot: 1e-4 })
    expectClose(runOpt(opt), runRef(adamRule(0.8, 0.99, 1e-3, 1e-4)))
  })

  it("adam with Nesterov momentum (NAdam as optax writes it)", () => {
    const b1 = 0.9
    const b2 = 0.999
    const m = [0, 0, 0]
    const v = [0, 0, 0]
    const rule: Rule = (g, p, t) =>
      p.map((x, i) => {
        m[i] = (1 - b1) * g[i]! + b1 * m[i]!
        v[i] = (1 - b2) * g[i]! * g[i]! + b2 * v[i]!
        const mHat = b1 * (m[i]! / (1 - Math.pow(b1, t + 1))) + (1 - b1) * (g[i]! / (1 - Math.pow(b1, t)))
        const vHat = v[i]! / (1 - Math.pow(b2, t))
        return x - lr * (mHat / (Math.sqrt(vHat) + 1e-8))
      })
    expectClose(runOpt(optim.adam(lr, { nesterov: true })), runRef(rule))
  })

  it("adamw: decoupled weight decay (update + wd * param, then scaled by -lr)", () => {
    expectClose(runOpt(optim.adamw(lr, { weightDecay: 0.05 })), runRef(adamRule(0.9, 0.999, 1e-8, 0, 0.05)))
    // default weight decay 1e-4
    expectClose(runOpt(optim.adamw(lr)), runRef(adamRule(0.9, 0.999, 1e-8, 0, 1e-4)))
  })

  it("adamw with a mask: only the masked-in leaves are decayed", () => {
    const opt = optim.adamw(lr, { weightDecay: 0.05, mask: { w: true, b: false } })
    expectClose(runOpt(opt), runRef(adamRule(0.9, 0.999, 1e-8, 0, 0.05, [true, true, false])))
    const byPath = optim.adamw(lr, { weightDecay: 0.05, mask: (path) => path[0] === "b" })
    expectClose(runOpt(byPath), runRef(adamRule(0.9, 0.999, 1e-8, 0, 0.05, [false, false, true])))
  })

  it("adamw without params fails with a ValueError that says to pass them", () => {
    const opt = optim.adamw(lr)
    const p = params0()
    expect(() => opt.update(p, opt.init(p))).toThrow(ValueError)
    expect(() => opt.update(p, opt.init(p))).toThrow(/update\(grads, state, params\)/)
  })

  it("rmsprop (defaults decay 0.9, eps 1e-8 inside the square root)", () => {
    const nu = [0, 0, 0]
    const rule: Rule = (g, p) =>
      p.map((x, i) => {
        nu[i] = (1 - 0.9) * g[i]! * g[i]! + 0.9 * nu[i]!
        return x - lr * (g[i]! * (1 / Math.sqrt(nu[i]! + 1e-8)))
      })
    expectClose(runOpt(optim.rmsprop(lr)), runRef(rule))
  })

  it("rmsprop centered with momentum: g / sqrt(nu - mu^2 + eps), scaled by -lr, then traced", () => {
    const mu = [0, 0, 0]
    const nu = [0, 0, 0]
    const tr = [0, 0, 0]
    const d = 0.95
    const rule: Rule = (g, p) =>
      p.map((x, i) => {
        mu[i] = (1 - d) * g[i]! + d * mu[i]!
        nu[i] = (1 - d) * g[i]! * g[i]! + d * nu[i]!
        const u = -lr * (g[i]! * (1 / Math.sqrt(nu[i]! - mu[i]! * mu[i]! + 1e-6)))
        tr[i] = u + 0.5 * tr[i]!
        return x + tr[i]!
      })
    const opt = optim.rmsprop(lr, { decay: d, eps: 1e-6, centered: true, momentum: 0.5 })
    expectClose(runOpt(opt), runRef(rule))
  })

  it("rmsprop with initialScale, eps outside the root and bias correction", () => {
    const nu = [1, 1, 1]
    const rule: Rule = (g, p, t) =>
      p.map((x, i) => {
        nu[i] = (1 - 0.9) * g[i]! * g[i]! + 0.9 * nu[i]!
        const nuHat = nu[i]! / (1 - Math.pow(0.9, t))
        return x - lr * (g[i]! * (1 / (Math.sqrt(nuHat) + 1e-8)))
      })
    const opt = optim.rmsprop(lr, { initialScale: 1, epsInSqrt: false, biasCorrection: true })
    expectClose(runOpt(opt), runRef(rule))
  })

  it("clipByGlobalNorm chained before sgd rescales to the max norm, leaves small gradients alone", () => {
    const clipRule =
      (maxNorm: number): Rule =>
      (g, p) => {
        const norm = Math.sqrt(g.reduce((a, x) => a + x * x, 0))
        const c = norm < maxNorm ? g : g.map((x) => (x / norm) * maxNorm)
        return p.map((x, i) => x - lr * c[i]!)
      }
    expectClose(runOpt(optim.chain(optim.clipByGlobalNorm(1), optim.sgd(lr))), runRef(clipRule(1)))
    expectClose(runOpt(optim.chain(optim.clipByGlobalNorm(100), optim.sgd(lr))), runRef(clipRule(100)))
    const [g] = [refGrad(P0)]
    expect(Math.sqrt(g.reduce((a, x) => a + x * x, 0))).toBeGreaterThan(1) // the clip really triggers
  })

  it("masked freezes the leaves outside the mask (zero updates) and keeps state only for the others", () => {
    const frozenB = (): Rule => {
      const adamW = adamRule(0.9, 0.999, 1e-8, 0)
      return (g, p, t) => {
        const next = adamW(g, p, t)
        return [next[0]!, next[1]!, p[2]!] // b frozen
      }
    }
    const opt = optim.masked(optim.adam(lr), { w: true, b: false })
    expectClose(runOpt(opt), runRef(frozenB()))
    const state = opt.init(params0())
    expect(tree.leaves(state.inner[0].mu).length).toBe(1) // mu only for w
    const byPredicate = optim.masked(optim.adam(lr), (_path, leaf) => leaf.ndim === 1)
    expectClose(runOpt(byPredicate), runRef(frozenB()))
    // a prefix mask: one flag for a whole subtree
    const nested = { layer: { w: f64([1, 2]), b: f64(0) }, head: f64(3) }
    const m = optim.masked(optim.sgd(1), { layer: true, head: false })
    const [u] = m.update(nested, m.init(nested))
    expect([...u.layer.w.data()]).toEqual([-1, -2])
    expect([...u.head.data()]).toEqual([0])
  })

  it("masked with passThrough is optax's masked; freeze zeroes where the mask is true", () => {
    const g = { w: f64([1, 2]), b: f64(3) }
    const pass = optim.masked(optim.scale(10), { w: true, b: false }, { unmasked: "passThrough" })
    const [u] = pass.update(g, pass.init(g))
    expect([...u.w.data(), ...u.b.data()]).toEqual([10, 20, 3])
    const fr = optim.freeze({ w: false, b: true })
    const [v] = fr.update(g, fr.init(g))
    expect([...v.w.data(), ...v.b.data()]).toEqual([1, 2, 0])
  })

  it("a mask that is not booleans is a ValueError", () => {
    const g = { w: f64([1, 2]), b: f64(3) }
    const bad = optim.masked(optim.sgd(1), { w: 1, b: 0 } as unknown as optim.Mask)
    expect(() => bad.init(g)).toThrow(ValueError)
  })
})

describe("schedules", () => {
  const at = (s: optim.Schedule, n: number): number => s(np.array(n, { dtype: "int32" })).item()
  const close = (x: number, want: number) => expect(Math.abs(x - want)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)))

  it("constantSchedule", () => {
    close(at(optim.constantSchedule(0.3), 0), 0.3)
    close(at(optim.constantSchedule(0.3), 1000), 0.3)
  })

  it("exponentialDecay: init * rate^((t - begin) / steps), staircase, begin and end value", () => {
    const s = optim.exponentialDecay({ initValue: 2, transitionSteps: 4, decayRate: 0.5 })
    for (const t of [0, 1, 3, 4, 9]) close(at(s, t), 2 * Math.pow(0.5, t / 4))
    const st = optim.exponentialDecay({ initValue: 2, transitionSteps: 4, decayRate: 0.5, staircase: true })
    for (const t of [0, 3, 4, 7, 8, 9]) close(at(st, t), 2 * Math.pow(0.5, Math.floor(t / 4)))
    const b = optim.exponentialDecay({ initValue: 2, transitionSteps: 4, decayRate: 0.5, transitionBegin: 3, endValue: 0.5 })
    for (const t of [0, 2, 3, 5, 100]) close(at(b, t), t <= 3 ? 2 : Math.max(0.5, 2 * Math.pow(0.5, (t - 3) / 4)))
  })

  it("warmupCosineDecaySchedule: linear warmup, then cosine to the end value", () => {
    const o = { initValue: 0.1, peakValue: 1, warmupSteps: 4, decaySteps: 14, endValue: 0.2 }
    const s = optim.warmupCosineDecaySchedule(o)
    const want = (t: number): number => {
      if (t < o.warmupSteps) return o.initValue + (o.peakValue - o.initValue) * (t / o.warmupSteps)
      const T2 = o.decaySteps - o.warmupSteps
      const c = Math.min(t - o.warmupSteps, T2)
      const alpha = o.endValue / o.peakValue
      return o.peakValue * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * c) / T2)) + alpha)
    }
    for (const t of [0, 1, 3, 4, 5, 9, 13, 14, 20]) close(at(s, t), want(t))
  })

  it("a schedule as the learning rate: the optimizer state counts steps as int32", () => {
    const sched = optim.exponentialDecay({ initValue: 0.1, transitionSteps: 1, decayRate: 0.5 })
    const rule: Rule = (g, p, t) => p.map((x, i) => x - Math.fround(0.1 * Math.pow(0.5, t - 1)) * g[i]!)
    expectClose(runOpt(optim.sgd(sched)), runRef(rule), 1e-7)
    const opt = optim.adam(sched)
    const p = params0()
    let s = opt.init(p)
    for (let i = 0; i < 3; i++) s = opt.update(p, s, p)[1]
    const counter = s[1]
    expect(counter).not.toBeNull()
    if (counter !== null) {
      expect(counter.count.dtype).toBe("int32")
      expect(counter.count.item()).toBe(3)
    }
    expect(s[0].count.item()).toBe(3)
  })

  it("the step count saturates at the largest int32 instead of wrapping", () => {
    const max = np.array(2147483647, { dtype: "int32" })
    expect(optim.safeIncrement(max).item()).toBe(2147483647)
    expect(optim.safeIncrement(np.array(5, { dtype: "int32" })).item()).toBe(6)
  })
})

describe("transformations compose with jit and vmap", () => {
  interface Linear {
    readonly w: Array
    readonly b: Array
  }
  const xs = np.array(
    [
      [1, 2, 3],
      [0.5, -1, 2],
      [3, 0, -1],
      [-2, 1, 1]
    ],
    { dtype: "float32" }
  )
  const ys = np.array([1, -1, 2, 0.5], { dtype: "float32" })
  const mse = (p: Linear, x: Array, y: Array): Array => np.mean(x.matmul(p.w).add(p.b).sub(y).square())
  const opt = optim.chain(optim.clipByGlobalNorm(10), optim.adam(0.05))
  type S = optim.StateOf<typeof opt>
  const step = (p: Linear, s: S, x: Array, y: Array): [Linear, S, Array] => {
    const [l, g] = valueAndGrad(mse)(p, x, y)
    const [u, s2] = opt.update(g, s, p)
    return [optim.applyUpdates(p, u), s2, l]
  }

  it("a whole Adam training step (grad + update + applyUpdates) under one jit gives eager's numbers", () => {
    const jitted = jit(step)
    const p0: Linear = { w: np.array([0.1, -0.2, 0.3], { dtype: "float32" }), b: np.array(0, { dtype: "float32" }) }
    let pe = p0
    let se = opt.init(p0)
    let pj = p0
    let sj = opt.init(p0)
    for (let i = 0; i < 5; i++) {
      const [pe2, se2, le] = step(pe, se, xs, ys)
      const [pj2, sj2, lj] = jitted(pj, sj, xs, ys)
      expect([...lj.data()]).toEqual([...le.data()])
      ;[pe, se, pj, sj] = [pe2, se2, pj2, sj2]
    }
    expect([...pj.w.data()]).toEqual([...pe.w.data()])
    expect([...pj.b.data()]).toEqual([...pe.b.data()])
    const host = (t: unknown) => tree.leaves(t).map((x) => [...(x as Array).data()])
    expect(host(sj)).toEqual(host(se))
    expect(pj.w.dtype).toBe("float32")
    expect(sj[1][0].count.dtype).toBe("int32")
    expect(sj[1][0].count.item()).toBe(5)
    expect(jitted.cache.traces).toBe(1) // the state's types are stable from step to step
    expect(mse(pj, xs, ys).item()).toBeLessThan(mse(p0, xs, ys).item())
  })

  it("grad flows through an Adam update (meta-gradient), matching central differences in float64", () => {
    const adam = optim.adam(0.1, { epsRoot: 1e-8 })
    const afterStep = (p: Params): Array => {
      const [, g] = valueAndGrad(loss)(p)
      const [u] = adam.update(g, adam.init(p), p)
      return loss(optim.applyUpdates(p, u))
    }
    const gw = grad(afterStep)(params0())
    const h = 1e-6
    const fd = (i: number): number => {
      const bump = (d: number) => {
        const w = [P0[0]!, P0[1]!]
        w[i] = w[i]! + d
        return afterStep({ w: f64(w), b: f64(P0[2]!) }).item()
      }
      return (bump(h) - bump(-h)) / (2 * h)
    }
    const got = [...gw.w.data()]
    ;[0, 1].forEach((i) => expect(Math.abs(got[i]! - fd(i))).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd(i)))))
  })

  it("vmap over a batch of independent optimizer states equals a loop", () => {
    const adam = optim.adam(0.1)
    const ps = {
      w: np.array(
        [
          [1, 2],
          [3, -4],
          [0.5, 0]
        ],
        { dtype: "float32" }
      )
    }
    const gs = {
      w: np.array(
        [
          [0.1, -0.2],
          [1, 2],
          [-3, 0.5]
        ],
        { dtype: "float32" }
      )
    }
    const update = (g: typeof ps, s: optim.AdamChainState, p: typeof ps) => adam.update(g, s, p)
    const states = vmap((p: typeof ps) => adam.init(p))(ps)
    const [ub] = vmap(update)(gs, states, ps)
    for (let i = 0; i < 3; i++) {
      const p = { w: ps.w.index(i) }
      const g = { w: gs.w.index(i) }
      const [u] = adam.update(g, adam.init(p), p)
      expect([...ub.w.index(i).data()]).toEqual([...u.w.data()])
    }
  })
})
