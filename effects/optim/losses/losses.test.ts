/**
 * optax's losses against golden values from real optax 0.2.8 (golden/optax.py): the losses and
 * the gradients of their sums, in float32, on inputs with edge values (large logits, zeros,
 * -inf masked logits, masks); plus argument checks and jit.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { GoldenArray } from "../../../golden/load.js"
import { type Array, DTypeError, grad, jit, nn, np, ShapeError } from "../../../index.js"
import { casesOf, expectGolden, fromGolden } from "../test-helpers.js"
import * as L from "./index.js"

type Kw = Readonly<Record<string, unknown>>
const isGolden = (v: unknown): v is GoldenArray => typeof v === "object" && v !== null && "dtype" in v && "data" in v
const arr = (kw: Kw, k: string): Array | undefined => (isGolden(kw[k]) ? fromGolden(kw[k]) : undefined)
const num = (kw: Kw, k: string): number | undefined => (typeof kw[k] === "number" ? kw[k] : undefined)
/** Python's `axis`: an int, a list (from a tuple) or null; absent is undefined. */
const axis = (kw: Kw): number | number[] | null | undefined => ("axis" in kw ? (kw["axis"] as number | number[] | null) : undefined)

/** Drop undefined values, so options satisfy exactOptionalPropertyTypes. */
const opts = <T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> }

/** The jaxfx call of every loss case of golden/optax.py, by id. */
const LOSSES: Readonly<Record<string, (a: Array[], kw: Kw) => Array>> = {
  softmax_ce: (a) => L.softmaxCrossEntropy(a[0]!, a[1]!),
  softmax_ce_axis0: (a, kw) => L.softmaxCrossEntropy(a[0]!, a[1]!, opts({ axis: axis(kw) as number })),
  softmax_ce_where: (a, kw) => L.softmaxCrossEntropy(a[0]!, a[1]!, opts({ where: arr(kw, "where") })),
  softmax_ce_masked_logits: (a) => L.softmaxCrossEntropy(a[0]!, a[1]!),
  safe_softmax_ce: (a) => L.safeSoftmaxCrossEntropy(a[0]!, a[1]!),
  safe_softmax_ce_masked_logits: (a) => L.safeSoftmaxCrossEntropy(a[0]!, a[1]!),
  softmax_ce_int: (a) => L.softmaxCrossEntropyWithIntegerLabels(a[0]!, a[1]!),
  softmax_ce_int_masked_logits: (a) => L.softmaxCrossEntropyWithIntegerLabels(a[0]!, a[1]!),
  softmax_ce_int_where: (a, kw) => L.softmaxCrossEntropyWithIntegerLabels(a[0]!, a[1]!, opts({ where: arr(kw, "where") })),
  softmax_ce_int_axis_tuple: (a, kw) => L.softmaxCrossEntropyWithIntegerLabels(a[0]!, a[1]!, opts({ axis: axis(kw) as number[] })),
  softmax_ce_int_negative_label: (a) => L.softmaxCrossEntropyWithIntegerLabels(a[0]!, a[1]!),
  sigmoid_bce: (a) => L.sigmoidBinaryCrossEntropy(a[0]!, a[1]!),
  sigmoid_focal: (a) => L.sigmoidFocalLoss(a[0]!, a[1]!),
  sigmoid_focal_alpha: (a, kw) => L.sigmoidFocalLoss(a[0]!, a[1]!, opts({ alpha: num(kw, "alpha"), gamma: num(kw, "gamma") })),
  poly_loss: (a, kw) => L.polyLossCrossEntropy(a[0]!, a[1]!, opts({ epsilon: num(kw, "epsilon") })),
  poly_loss_where: (a, kw) => L.polyLossCrossEntropy(a[0]!, a[1]!, opts({ where: arr(kw, "where") })),
  kl: (a) => L.klDivergence(a[0]!, a[1]!),
  kl_axis_none: (a, kw) => L.klDivergence(a[0]!, a[1]!, opts({ axis: axis(kw) })),
  kl_log_targets: (a) => L.klDivergenceWithLogTargets(a[0]!, a[1]!),
  generalized_kl: (a) => L.generalizedKlDivergence(a[0]!, a[1]!),
  convex_kl: (a) => L.convexKlDivergence(a[0]!, a[1]!),
  hinge: (a) => L.hingeLoss(a[0]!, a[1]!),
  perceptron: (a) => L.perceptronLoss(a[0]!, a[1]!),
  multiclass_hinge: (a) => L.multiclassHingeLoss(a[0]!, a[1]!),
  multiclass_perceptron: (a) => L.multiclassPerceptronLoss(a[0]!, a[1]!),
  sparsemax: (a) => L.sparsemaxLoss(a[0]!, a[1]!),
  squared_error: (a) => L.squaredError(a[0]!, a[1]!),
  squared_error_no_targets: (a) => L.squaredError(a[0]!),
  l2: (a) => L.l2Loss(a[0]!, a[1]!),
  huber: (a) => L.huberLoss(a[0]!, a[1]!),
  huber_delta: (a, kw) => L.huberLoss(a[0]!, a[1]!, opts({ delta: num(kw, "delta") })),
  log_cosh: (a) => L.logCosh(a[0]!, a[1]!),
  cosine_similarity: (a) => L.cosineSimilarity(a[0]!, a[1]!),
  cosine_similarity_eps: (a, kw) => L.cosineSimilarity(a[0]!, a[1]!, opts({ epsilon: num(kw, "epsilon") })),
  cosine_distance: (a, kw) => L.cosineDistance(a[0]!, a[1]!, opts({ epsilon: num(kw, "epsilon"), axis: axis(kw) })),
  smooth_labels: (a) => L.smoothLabels(a[0]!, a[1]!.item() as number),
  smooth_labels_where: (a, kw) => L.smoothLabels(a[0]!, a[1]!.item() as number, opts({ where: arr(kw, "where") })),
  ntxent: (a) => L.ntxent(a[0]!, a[1]!),
  ntxent_temperature: (a) => L.ntxent(a[0]!, a[1]!, a[2]!.item() as number),
  triplet_margin: (a) => L.tripletMarginLoss(a[0]!, a[1]!, a[2]!),
  triplet_margin_l1: (a, kw) => L.tripletMarginLoss(a[0]!, a[1]!, a[2]!, opts({ normDegree: num(kw, "norm_degree"), margin: num(kw, "margin") })),
  dice: (a) => L.diceLoss(a[0]!, a[1]!),
  dice_options: (a, kw) =>
    L.diceLoss(
      a[0]!,
      a[1]!,
      opts({
        smooth: num(kw, "smooth"),
        alpha: num(kw, "alpha"),
        beta: num(kw, "beta"),
        reduction: kw["reduction"] as "sum",
        ignoreBackground: kw["ignore_background"] as boolean,
        classWeights: arr(kw, "class_weights")
      })
    ),
  dice_probabilities: (a, kw) => L.diceLoss(a[0]!, a[1]!, { applySoftmax: kw["apply_softmax"] as boolean, reduction: kw["reduction"] as "none" }),
  multiclass_generalized_dice: (a) => L.multiclassGeneralizedDiceLoss(a[0]!, a[1]!),
  binary_dice: (a) => L.binaryDiceLoss(a[0]!, a[1]!),
  ctc: (a) => L.ctcLoss(a[0]!, a[1]!, a[2]!, a[3]!),
  ctc_blank2: (a) => L.ctcLoss(a[0]!, a[1]!, a[2]!, a[3]!, { blankId: 2, logEpsilon: -1e4 })
}

/** Tolerances (scaled error) where the default is too tight, with the reason. */
const TOLERANCE: Readonly<Record<string, number>> = {}
const DEFAULT_TOL = 1e-6

describe("losses match optax 0.2.8 (golden/optax.json, float32)", () => {
  const cases = casesOf("loss")
  const report: Record<string, number> = {}

  it("every golden loss has a jaxfx counterpart and the other way round", () => {
    expect(Object.keys(LOSSES).sort()).toEqual(cases.map((c) => c.id).sort())
  })

  for (const c of cases) {
    it(c.id, () => {
      const tol = TOLERANCE[c.id] ?? DEFAULT_TOL
      const args = c.args.map(fromGolden)
      const f = LOSSES[c.id]!
      let err = expectGolden(f(args, c.kwargs), c.out, tol, `${c.id} value`)
      if (c.grad !== undefined) {
        const g = grad((x: Array) => np.sum(f([x, ...args.slice(1)], c.kwargs)))(args[0]!)
        err = Math.max(err, expectGolden(g, c.grad, tol, `${c.id} gradient`))
      }
      if (c.phi !== undefined && c.emit !== undefined) {
        const [, phi, emit] = L.ctcLossWithForwardProbs(args[0]!, args[1]!, args[2]!, args[3]!)
        err = Math.max(err, expectGolden(phi, c.phi, tol, `${c.id} logAlphaBlank`), expectGolden(emit, c.emit, tol, `${c.id} logAlphaEmit`))
      }
      report[c.id] = err
    })
  }

  it("reports the largest scaled error per loss (set OPTAX_REPORT=1 to print)", () => {
    if (process.env["OPTAX_REPORT"] === "1") console.log(JSON.stringify(report, null, 1))
    expect(Object.values(report).every((e) => e <= 1e-5)).toBe(true)
  })
})

describe("losses: arguments, jit", () => {
  const logits = np.array(
    [
      [2, 1, 0.1],
      [0.5, -1, 3]
    ],
    { dtype: "float32" }
  )

  it("integer logits are a DTypeError that says to convert them", () => {
    const ints = np.array([[2, 1, 0]], { dtype: "int32" })
    expect(() => L.softmaxCrossEntropy(ints, np.array([[1, 0, 0]]))).toThrow(DTypeError)
    expect(() => L.softmaxCrossEntropyWithIntegerLabels(ints, np.array([0]))).toThrow(/astype\("float32"\)/)
    expect(() => L.squaredError(ints)).toThrow(DTypeError)
  })

  it("float labels for the integer-label cross entropy, and mismatched shapes, are refused", () => {
    expect(() => L.softmaxCrossEntropyWithIntegerLabels(logits, np.array([0, 1], { dtype: "float32" }))).toThrow(DTypeError)
    expect(() => L.softmaxCrossEntropyWithIntegerLabels(logits, np.array([0, 1, 2]))).toThrow(ShapeError)
    expect(() => L.squaredError(logits, np.array([1, 2]))).toThrow(ShapeError)
    expect(() => L.perceptronLoss(logits, np.array([1, 2]))).toThrow(ShapeError)
  })

  it("a loss inside jit gives its eager values, gradient included", () => {
    const labels = np.array([2, 0])
    const f = (x: Array) => np.mean(L.softmaxCrossEntropyWithIntegerLabels(x, labels))
    expect([...jit(f)(logits).data()]).toEqual([...f(logits).data()])
    expect([...jit(grad(f))(logits).data()]).toEqual([...grad(f)(logits).data()])
    const g = (x: Array) =>
      np.sum(
        L.safeSoftmaxCrossEntropy(
          x,
          np.array([
            [0, 1, 0],
            [0.5, 0.5, 0]
          ])
        )
      )
    expect([...jit(grad(g))(logits).data()]).toEqual([...grad(g)(logits).data()])
  })
})

describe("laws of the losses (fast-check)", () => {
  // quarters in [-20, 20]: no subnormals, whose squares would vanish and make the laws meaningless
  const finite = fc.integer({ min: -80, max: 80 }).map((k) => k / 4)
  const rows = fc.integer({ min: 1, max: 4 }).chain((n) =>
    fc.record({
      logits: fc.array(fc.array(finite, { minLength: 3, maxLength: 3 }), { minLength: n, maxLength: n }),
      labels: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n })
    })
  )
  const close = (a: Array, b: Array, tol: number): void =>
    [...a.data()].forEach((x, i) => expect(Math.abs(x - b.data()[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b.data()[i]!))))

  it("the integer-label cross entropy is the cross entropy against one-hot labels", () => {
    fc.assert(
      fc.property(rows, ({ logits, labels }) => {
        const x = np.array(logits, { dtype: "float32" })
        const y = np.array(labels, { dtype: "int32" })
        close(L.softmaxCrossEntropyWithIntegerLabels(x, y), L.softmaxCrossEntropy(x, nn.oneHot(y, 3)), 1e-5)
      }),
      { seed: 21, numRuns: 25 }
    )
  })

  it("a distribution has zero KL divergence from itself, and any other has a positive one", () => {
    fc.assert(
      fc.property(rows, ({ logits }) => {
        const logP = nn.logSoftmax(np.array(logits, { dtype: "float32" }))
        const p = np.exp(logP)
        close(L.klDivergence(logP, p), np.zerosLike(L.klDivergence(logP, p)), 1e-5)
        const uniform = np.fullLike(p, 1 / 3)
        for (const v of L.klDivergence(logP, uniform).data()) expect(v).toBeGreaterThanOrEqual(-1e-6)
      }),
      { seed: 22, numRuns: 25 }
    )
  })

  it("the cosine similarity is invariant to positive scaling, and huber with a large delta is the l2 loss", () => {
    fc.assert(
      fc.property(rows, fc.float({ min: Math.fround(0.1), max: 10, noNaN: true }), ({ logits }, c) => {
        const x = np.array(logits, { dtype: "float32" })
        const t = x.add(1)
        close(L.cosineSimilarity(x.mul(c), t, { epsilon: 1e-12 }), L.cosineSimilarity(x, t, { epsilon: 1e-12 }), 1e-5)
        close(L.huberLoss(x, t.mul(0.5), { delta: 1e6 }), L.l2Loss(x, t.mul(0.5)), 1e-6)
      }),
      { seed: 23, numRuns: 25 }
    )
  })
})
