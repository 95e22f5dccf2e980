/**
 * optax compatibility: every optimizer, transformation and schedule against golden values made
 * by real optax 0.2.8 (golden/optax.py), in float32; each optimizer's update under one `jit`
 * against eager; states through codec checkpoints.
 */
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { type Array, jit, np, random, tree, valueAndGrad } from "../../index.js"
import * as codec from "../codec/index.js"
import * as optim from "./index.js"
import { casesOf, expectGolden, type OptimizerStep } from "./test-helpers.js"

interface P {
  readonly w: Array
  readonly b: Array
}

const f32 = (v: number | number[] | number[][]): Array => np.array(v, { dtype: "float32" })
const P0: P = {
  w: f32([
    [0.5, -1.0, 2.0],
    [1.5, 0.25, -0.75]
  ]),
  b: f32([0.1, -0.3, 0.8])
}
const KW = f32([
  [1.0, 2.0, 0.5],
  [4.0, 0.25, 3.0]
])
const TW = f32([
  [1.0, 0.0, -1.0],
  [2.0, 1.0, 0.0]
])
const KB = f32([1.5, 0.8, 2.0])
const TB = f32([0.5, 0.5, -0.5])

/** The golden problem's loss, written as golden/optax.py writes it. */
const loss = (p: P): Array => np.sum(np.multiply(0.5, KW).mul(p.w.sub(TW).square())).add(np.sum(np.multiply(0.5, KB).mul(p.b.sub(TB).square())))

const sched: optim.Schedule = optim.exponentialDecay({ initValue: 0.1, transitionSteps: 2, decayRate: 0.5 })

type AnyOpt = optim.GradientTransformation<unknown>
const o = <S>(t: optim.GradientTransformation<S>): AnyOpt => t as AnyOpt

/** The jaxfx side of every optimizer case of golden/optax.py, by id. */
const OPTIMIZERS: Readonly<Record<string, () => AnyOpt>> = {
  sgd: () => o(optim.sgd(0.1)),
  sgd_nesterov: () => o(optim.sgd(0.1, { momentum: 0.9, nesterov: true })),
  adam: () => o(optim.adam(0.1)),
  adamw: () => o(optim.adamw(0.1, { weightDecay: 0.1 })),
  rmsprop_centered: () => o(optim.rmsprop(0.1, { centered: true, momentum: 0.5 })),
  nadam: () => o(optim.nadam(0.1)),
  nadamw: () => o(optim.nadamw(0.1, { weightDecay: 0.1 })),
  adamax: () => o(optim.adamax(0.1)),
  adamaxw: () => o(optim.adamaxw(0.1, { weightDecay: 0.05 })),
  radam: () => o(optim.radam(0.1)),
  radam_rectified: () => o(optim.radam(0.1, { b2: 0.99, threshold: 3.5 })),
  radam_nesterov: () => o(optim.radam(0.1, { b2: 0.99, threshold: 3.5, nesterov: true })),
  amsgrad: () => o(optim.amsgrad(0.1)),
  amsgrad_no_bias_correction: () => o(optim.amsgrad(0.1, { biasCorrectionMu: false, biasCorrectionNu: false })),
  adabelief: () => o(optim.adabelief(0.1)),
  adabelief_nesterov: () => o(optim.adabelief(0.1, { nesterov: true })),
  yogi: () => o(optim.yogi(0.1)),
  adan: () => o(optim.adan(0.1, { weightDecay: 0.01 })),
  lamb: () => o(optim.lamb(0.1, { weightDecay: 0.01 })),
  novograd: () => o(optim.novograd(0.1, { weightDecay: 0.01 })),
  lion: () => o(optim.lion(0.01)),
  lion_smooth: () => o(optim.chain(optim.scaleByLion({ mode: "smooth", smoothBeta: 2 }), optim.scale(-0.05))),
  lion_refined: () => o(optim.chain(optim.scaleByLion({ mode: "refined" }), optim.scale(-0.05))),
  optimistic_adam_v2: () => o(optim.optimisticAdamV2(0.1)),
  adagrad: () => o(optim.adagrad(0.1)),
  adagrad_options: () => o(optim.adagrad(0.5, { initialAccumulatorValue: 0, eps: 1e-3 })),
  adadelta: () => o(optim.adadelta(1.0)),
  adadelta_decay: () => o(optim.adadelta(0.5, { rho: 0.95, eps: 1e-4, weightDecay: 0.01 })),
  adafactor: () => o(optim.adafactor(0.1)),
  adafactor_no_lr: () => o(optim.adafactor()),
  adafactor_factored: () => o(optim.adafactor(0.1, { minDimSizeToFactor: 2, momentum: 0.9, weightDecayRate: 0.01 })),
  lars: () => o(optim.lars(0.1, { weightDecay: 0.01 })),
  lars_nesterov: () => o(optim.lars(0.1, { trustCoefficient: 0.01, momentum: 0.5, nesterov: true })),
  fromage: () => o(optim.fromage(0.1)),
  fromage_schedule: () => o(optim.fromage(sched)),
  sm3: () => o(optim.sm3(0.1)),
  rprop: () => o(optim.rprop(0.05)),
  sign_sgd: () => o(optim.signSgd(0.05)),
  signum: () => o(optim.signum(0.05)),
  noisy_sgd: () => o(optim.noisySgd(0.1, { key: random.key(0) })),
  noisy_sgd_options: () => o(optim.noisySgd(0.1, { eta: 0.5, gamma: 0.3, key: random.key(7) })),
  polyak_sgd: () => o(optim.polyakSgd({ maxLearningRate: 1 })),
  polyak_sgd_plus: () => o(optim.polyakSgd({ maxLearningRate: 0.3, fMin: 1, variant: "sps+" })),
  optimistic_gradient_descent: () => o(optim.optimisticGradientDescent(0.1, { alpha: 0.5, beta: 0.7 })),
  lbfgs: () => o(optim.lbfgs()),
  lbfgs_lr_no_linesearch: () => o(optim.lbfgs({ learningRate: 0.5, linesearch: null })),
  lbfgs_memory2: () => o(optim.lbfgs({ memorySize: 2, scaleInitPrecond: false })),
  zoom_linesearch: () => o(optim.chain(optim.sgd(1), optim.scaleByZoomLinesearch(15))),
  zoom_linesearch_max_lr: () => o(optim.chain(optim.sgd(1), optim.scaleByZoomLinesearch(15, { maxLearningRate: 0.3 }))),
  backtracking_linesearch: () => o(optim.chain(optim.sgd(1), optim.scaleByBacktrackingLinesearch(15))),
  backtracking_linesearch_store_grad: () => o(optim.chain(optim.sgd(2), optim.scaleByBacktrackingLinesearch(15, { storeGrad: true, decreaseFactor: 0.5 }))),
  adamw_schedule_decay: () => o(optim.adamw(0.1, { weightDecay: sched })),
  clip: () => o(optim.chain(optim.clip(0.5), optim.sgd(0.1))),
  clip_by_block_rms: () => o(optim.chain(optim.clipByBlockRms(0.5), optim.sgd(0.1))),
  adaptive_grad_clip: () => o(optim.chain(optim.adaptiveGradClip(0.1), optim.sgd(0.1))),
  centralize: () => o(optim.chain(optim.centralize(), optim.sgd(0.1))),
  keep_params_nonnegative: () => o(optim.chain(optim.sgd(0.3), optim.keepParamsNonnegative())),
  normalize_by_update_norm: () => o(optim.chain(optim.normalizeByUpdateNorm({ scaleFactor: 0.5 }), optim.sgd(0.1))),
  scale_by_param_block_norm: () => o(optim.chain(optim.scaleByParamBlockNorm(), optim.sgd(0.1))),
  scale_by_param_block_rms: () => o(optim.chain(optim.scaleByParamBlockRms(), optim.sgd(0.1))),
  scale_by_trust_ratio: () => o(optim.chain(optim.scaleByTrustRatio({ trustCoefficient: 0.5 }), optim.sgd(0.1))),
  ema: () => o(optim.chain(optim.ema(0.9), optim.sgd(0.1))),
  ema_no_debias: () => o(optim.chain(optim.ema(0.8, { debias: false }), optim.sgd(0.1))),
  apply_every: () => o(optim.chain(optim.sgd(0.1), optim.applyEvery(3))),
  multi_steps: () => o(new optim.MultiSteps(optim.adam(0.1), 3)),
  multi_steps_sum: () => o(new optim.MultiSteps(optim.sgd(0.1, { momentum: 0.9 }), 2, { useGradMean: false })),
  multi_steps_skip_not_finite: () => o(new optim.MultiSteps(optim.adam(0.1), 2, { shouldSkipUpdateFn: optim.skipNotFinite })),
  multi_steps_skip_large: () => o(new optim.MultiSteps(optim.sgd(0.1), 2, { shouldSkipUpdateFn: optim.skipLargeUpdates(20) })),
  apply_if_finite: () => o(optim.applyIfFinite(optim.adam(0.1), 2)),
  zero_nans: () => o(optim.chain(optim.zeroNans(), optim.sgd(0.1))),
  conditionally_mask: () => o(optim.conditionallyMask(optim.sgd(0.1, { momentum: 0.9 }), (s) => s.ge(2))),
  conditionally_transform: () =>
    o(
      optim.chain(
        optim.conditionallyTransform(optim.clip(0.1), (s) => s.lt(2)),
        optim.sgd(0.1)
      )
    ),
  multi_transform: () => o(optim.multiTransform({ a: optim.adam(0.1), s: optim.sgd(0.1) }, { w: "a", b: "s" })),
  named_chain: () => o(optim.namedChain({ clip: optim.clipByGlobalNorm(1), adam: optim.adam(0.1) })),
  inject_adam_schedule: () => o(optim.injectHyperparams((h) => optim.adam(h.learningRate), { learningRate: sched })),
  inject_sgd: () => o(optim.injectHyperparams((h) => optim.sgd(h.learningRate, { momentum: 0.9 }), { learningRate: 0.1 }))
}

const LOOKAHEAD: Readonly<Record<string, () => optim.Lookahead<unknown>>> = {
  lookahead: () => optim.lookahead(optim.adam(0.1), 2, 0.5) as optim.Lookahead<unknown>,
  lookahead_reset: () => optim.lookahead(optim.sgd(0.1, { momentum: 0.9 }), 3, 0.3, { resetState: true }) as optim.Lookahead<unknown>
}

/** Tolerances (scaled error) where the default of 1e-6 is too tight, with the reason. */
const TOLERANCE: Readonly<Record<string, number>> = {
  // Near convergence the two-loop recursion subtracts nearly equal terms, so the float32 rounding
  // of its dot products (summed in another order than XLA's) shows in the small last updates.
  lbfgs_memory2: 1e-5
}
const DEFAULT_TOL = 1e-6

type Extra = "value" | "linesearch" | "lookahead" | null

interface Run {
  readonly params: P[]
  readonly updates: P[]
  readonly hyper: Array[]
}

/** Where the gradient gets a NaN on the golden cases' NaN step: w[0, 0]. */
const NAN_AT = np.array([
  [true, false, false],
  [false, false, false]
])
const NO_NAN = np.zeros([2, 3], { dtype: "bool" })
const nanMask = (step: number, nanStep: number | null): Array => (step === nanStep ? NAN_AT : NO_NAN)

const extraArgs = (extra: Extra, value: Array, grad: P): optim.ExtraArgs<P> | undefined =>
  extra === "value" ? { value } : extra === "linesearch" ? { value, grad, valueFn: loss } : undefined

/** One training step: gradients by valueAndGrad (NaN where `mask` is true), then the optimizer's update. */
const stepOf =
  (opt: AnyOpt, extra: Extra) =>
  (p: P, s: unknown, mask: Array): [P, unknown, P] => {
    const [value, g0] = valueAndGrad(loss)(p)
    const g = { w: np.where(mask, NaN, g0.w), b: g0.b }
    const [u, s2] = opt.update(g, s, p, extraArgs(extra, value, g))
    return [optim.applyUpdates(p, u), s2, u]
  }

const hyperOf = (s: unknown): Array | undefined => (s as { hyperparams?: { learningRate?: Array } }).hyperparams?.learningRate

const runOptimizer = (opt: AnyOpt, steps: number, extra: Extra, nanStep: number | null): Run => {
  const step = stepOf(opt, extra)
  let p = P0
  let s = opt.init(p)
  const out: Run = { params: [], updates: [], hyper: [] }
  for (let i = 0; i < steps; i++) {
    const [p2, s2, u] = step(p, s, nanMask(i, nanStep))
    p = p2
    s = s2
    out.params.push(p)
    out.updates.push(u)
    const h = hyperOf(s)
    if (h !== undefined) out.hyper.push(h)
  }
  return out
}

const report: Record<string, number> = {}
const record = (id: string, err: number): void => {
  report[id] = Math.max(report[id] ?? 0, err)
}

describe("optimizers match optax 0.2.8 step by step (golden/optax.json, float32)", () => {
  const cases = casesOf("optimizer")

  it("every golden case has a jaxfx counterpart and the other way round", () => {
    const ids = cases.map((c) => c.id).sort()
    expect([...Object.keys(OPTIMIZERS), ...Object.keys(LOOKAHEAD)].sort()).toEqual(ids)
  })

  for (const c of cases) {
    if (c.extra === "lookahead") continue
    it(c.id, () => {
      const tol = TOLERANCE[c.id] ?? DEFAULT_TOL
      const run = runOptimizer(OPTIMIZERS[c.id]!(), c.steps.length, c.extra, c.nan_step)
      c.steps.forEach((want: OptimizerStep, i) => {
        for (const k of ["w", "b"] as const) {
          record(c.id, expectGolden(run.params[i]![k], want.params![k], tol, `${c.id} step ${i + 1} params.${k}`))
          record(c.id, expectGolden(run.updates[i]![k], want.updates![k], tol, `${c.id} step ${i + 1} updates.${k}`))
        }
        if (want.hyper !== undefined) record(c.id, expectGolden(run.hyper[i]!, want.hyper, tol, `${c.id} step ${i + 1} hyperparams`))
      })
    })
  }

  for (const c of cases) {
    if (c.extra !== "lookahead") continue
    it(c.id, () => {
      const opt = LOOKAHEAD[c.id]!()
      let p = optim.lookaheadParams(P0)
      let s = opt.init(p)
      c.steps.forEach((want, i) => {
        const g = valueAndGrad(loss)(p.fast)[1]
        const [u, s2] = opt.update(g, s, p)
        p = optim.applyUpdates(p, u)
        s = s2
        for (const k of ["w", "b"] as const) {
          record(c.id, expectGolden(p.fast[k], want.fast![k], DEFAULT_TOL, `${c.id} step ${i + 1} fast.${k}`))
          record(c.id, expectGolden(p.slow[k], want.slow![k], DEFAULT_TOL, `${c.id} step ${i + 1} slow.${k}`))
          record(c.id, expectGolden(u.fast[k], want.updates_fast![k], DEFAULT_TOL, `${c.id} step ${i + 1} updates.fast.${k}`))
        }
      })
    })
  }

  it("reports the largest scaled error per optimizer (set OPTAX_REPORT=1 to print)", () => {
    if (process.env["OPTAX_REPORT"] === "1") console.log(JSON.stringify(report, null, 1))
    expect(Object.values(report).every((e) => e <= 1e-5)).toBe(true)
  })
})

describe("schedules match optax at steps 0..29", () => {
  const sgdrCycles = [
    { initValue: 0, peakValue: 0.1, warmupSteps: 3, decaySteps: 10 },
    { initValue: 0.01, peakValue: 0.05, warmupSteps: 2, decaySteps: 8, endValue: 0.005 }
  ]
  const SCHEDULES: Readonly<Record<string, () => optim.Schedule>> = {
    constant: () => optim.constantSchedule(0.3),
    polynomial: () => optim.polynomialSchedule({ initValue: 0.1, endValue: 0.001, power: 2, transitionSteps: 10, transitionBegin: 3 }),
    linear: () => optim.linearSchedule({ initValue: 0.5, endValue: 0.05, transitionSteps: 12 }),
    polynomial_rounding: () => optim.polynomialSchedule({ initValue: 0.3, endValue: 0.1, power: 1, transitionSteps: 10 }),
    linear_rounding: () => optim.linearSchedule({ initValue: 0.7, endValue: 0.1, transitionSteps: 8 }),
    exponential_decay: () => optim.exponentialDecay({ initValue: 0.2, transitionSteps: 3, decayRate: 0.7, transitionBegin: 2, endValue: 0.05 }),
    exponential_decay_staircase: () => optim.exponentialDecay({ initValue: 0.2, transitionSteps: 4, decayRate: 1.5, staircase: true, endValue: 0.5 }),
    cosine_decay: () => optim.cosineDecaySchedule({ initValue: 0.1, decaySteps: 10, alpha: 0.1, exponent: 2 }),
    piecewise_constant: () => optim.piecewiseConstantSchedule(0.1, { 5: 0.5, 10: 0.1, 15: 2.0 }),
    piecewise_constant_empty: () => optim.piecewiseConstantSchedule(0.25),
    piecewise_interpolate_linear: () => optim.piecewiseInterpolateSchedule("linear", 0.1, { 4: 2.0, 10: 0.5, 20: 0.1 }),
    piecewise_interpolate_cosine: () => optim.piecewiseInterpolateSchedule("cosine", 0.1, { 4: 2.0, 10: 0.5, 20: 0.1 }),
    linear_onecycle: () => optim.linearOnecycleSchedule(20, 0.1),
    cosine_onecycle: () => optim.cosineOnecycleSchedule(20, 0.1, { pctStart: 0.25, divFactor: 10, finalDivFactor: 100 }),
    warmup_constant: () => optim.warmupConstantSchedule({ initValue: 0, peakValue: 0.1, warmupSteps: 6 }),
    warmup_cosine_decay: () =>
      optim.warmupCosineDecaySchedule({ initValue: 0.01, peakValue: 0.1, warmupSteps: 5, decaySteps: 20, endValue: 0.001, exponent: 1.5 }),
    warmup_exponential_decay: () =>
      optim.warmupExponentialDecaySchedule({
        initValue: 0,
        peakValue: 0.1,
        warmupSteps: 4,
        transitionSteps: 3,
        decayRate: 0.5,
        transitionBegin: 2,
        staircase: true,
        endValue: 0.01
      }),
    sgdr: () => optim.sgdrSchedule(sgdrCycles),
    join: () => optim.joinSchedules([optim.constantSchedule(0.1), optim.linearSchedule({ initValue: 0.1, endValue: 0, transitionSteps: 10 })], [5])
  }
  const cases = casesOf("schedule")
  /** Bit-exact, except where a transcendental function (XLA's cos, pow) may differ by an ulp. */
  const SCHEDULE_TOL: Readonly<Record<string, number>> = {
    // one float32 ulp of a value near 1e-5 at one step: cos(pi * pct) rounds differently
    cosine_onecycle: 1e-7
  }

  it("every golden schedule has a jaxfx counterpart and the other way round", () => {
    expect(Object.keys(SCHEDULES).sort()).toEqual(cases.map((c) => c.id).sort())
  })

  for (const c of cases) {
    it(c.id, () => {
      const s = SCHEDULES[c.id]!()
      const values = np.stack([...globalThis.Array(30).keys()].map((i) => s(np.array(i, { dtype: "int32" })).astype("float32")))
      expectGolden(values, c.values, SCHEDULE_TOL[c.id] ?? 0, c.id)
      // and the same numbers under jit, with the count traced
      const jitted = jit((n: Array) => s(n).astype("float32"))
      expect([...np.stack([...globalThis.Array(30).keys()].map((i) => jitted(np.array(i, { dtype: "int32" })))).data()]).toEqual([...values.data()])
    })
  }
})

describe("every optimizer's update compiles under one jit and gives eager's numbers", () => {
  const cases = casesOf("optimizer").filter((c) => c.extra !== "lookahead")
  for (const c of cases) {
    it(c.id, () => {
      const opt = OPTIMIZERS[c.id]!()
      const step = stepOf(opt, c.extra)
      const steps = Math.min(c.steps.length, 3)
      const jitted = jit(step)
      let pe = P0
      let se = opt.init(P0)
      let pj = P0
      let sj = opt.init(P0)
      for (let i = 0; i < steps; i++) {
        ;[pe, se] = step(pe, se, nanMask(i, c.nan_step))
        ;[pj, sj] = jitted(pj, sj, nanMask(i, c.nan_step))
      }
      expect(jitted.cache.traces).toBe(1)
      const host = (t: unknown) => tree.leaves(t).map((x) => [...(x as Array).data()].map(Number))
      expect(host(pj)).toEqual(host(pe))
      expect(host(sj)).toEqual(host(se))
    })
  }
})

describe("optimizer states are pytrees of Arrays that checkpoint with codec", () => {
  const cases = casesOf("optimizer").filter((c) => c.extra !== "lookahead")
  for (const c of cases) {
    it(c.id, () => {
      const opt = OPTIMIZERS[c.id]!()
      const step = stepOf(opt, c.extra)
      let p = P0
      let s = opt.init(P0)
      for (let i = 0; i < 2; i++) [p, s] = step(p, s, nanMask(i, c.nan_step))
      const host = (t: unknown) => tree.leaves(t).map((x) => [(x as Array).dtype, ...(x as Array).data()].map(String))
      const fromSafetensors = codec.decodeSafetensors(codec.encodeSafetensors(s), s)
      const fromJson = codec.decodeJson(codec.encodeJson(s), s)
      expect(Result.isSuccess(fromSafetensors) && host(fromSafetensors.success)).toEqual(host(s))
      expect(Result.isSuccess(fromJson) && host(fromJson.success)).toEqual(host(s))
      // the restored state carries on exactly as the original
      if (Result.isSuccess(fromSafetensors)) {
        expect(host(step(p, fromSafetensors.success, NO_NAN))).toEqual(host(step(p, s, NO_NAN)))
      }
    })
  }
})
