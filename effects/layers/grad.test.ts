/**
 * Gradients through every layer against central finite differences in float64 (the laws'
 * gradMatchesFiniteDifferences): d/d params and d/d input of sum(layer(x) * w), for random x,
 * fixed params and a fixed cotangent w.
 */
import fc from "fast-check"
import { Effect } from "effect"
import { describe, it } from "vitest"
import { type Array, nn, np, random } from "../../index.js"
import * as laws from "../../laws/index.js"
import {
  BatchNorm,
  Dropout,
  Embed,
  GroupNorm,
  LayerNorm,
  Linear,
  MLP,
  MultiHeadAttention,
  type Params,
  RMSNorm,
  Sequential,
  transform,
  transformWithState
} from "../index.js"
import type { LayerEffect } from "./layer.js"

const { arb } = laws
const key = random.key(0)
const RUNS = { seed: 7, numRuns: 2 }

/** The finite-difference law for `sum(model(params, x) * w)`, x random of `shape`. */
const checkGrad = (label: string, shape: ReadonlyArray<number>, model: (x: Array) => LayerEffect, withKey = false, tolerance: laws.GradLawOptions = {}) => {
  const t = transform(model)
  const x0 = random.normal(random.key(1), shape, "float64")
  const params = t.init(key, x0)
  const w = random.normal(random.key(2), t.apply(params, key, x0).shape, "float64")
  const k = withKey ? random.key(3) : null
  const loss = (p: Params, x: Array) => np.sum(t.apply(p, k, x).mul(w))
  Object.defineProperty(loss, "name", { value: label })
  laws.check(
    laws.gradMatchesFiniteDifferences(loss, [fc.constant(params), arb.array({ shape, dtype: "float64", step: 1 / 64 })], {
      gradDtype: "float64",
      ...tolerance
    }),
    RUNS
  )
}

describe("grad through each layer matches finite differences (float64)", () => {
  it("Linear, with and without a bias", () => {
    checkGrad("Linear", [3, 4], (x) => Linear({ outputSize: 2 })(x))
    checkGrad("Linear no bias", [2, 2, 3], (x) => Linear({ outputSize: 3, withBias: false })(x))
  })

  it("LayerNorm (one axis, two axes, fast variance) and RMSNorm", () => {
    checkGrad("LayerNorm", [3, 5], (x) => LayerNorm()(x))
    checkGrad("LayerNorm axes", [2, 3, 2], (x) => LayerNorm({ axis: [1, 2] })(x))
    checkGrad("LayerNorm fast", [2, 4], (x) => LayerNorm({ useFastVariance: true })(x))
    checkGrad("RMSNorm", [3, 4], (x) => RMSNorm()(x))
  })

  it("GroupNorm", () => {
    checkGrad("GroupNorm", [2, 2, 2, 4], (x) => GroupNorm({ groups: 2 })(x))
  })

  it("BatchNorm in training (through the batch statistics) and evaluation", () => {
    for (const isTraining of [true, false]) {
      const t = transformWithState((x: Array) => BatchNorm()(x, { isTraining }))
      const x0 = random.normal(random.key(1), [4, 3], "float64")
      const [params, state] = t.init(key, x0)
      const w = random.normal(random.key(2), [4, 3], "float64")
      const loss = (p: Params, x: Array) => np.sum(t.apply(p, state, null, x)[0].mul(w))
      laws.check(laws.gradMatchesFiniteDifferences(loss, [fc.constant(params), arb.array({ shape: [4, 3], dtype: "float64" })], { gradDtype: "float64" }), RUNS)
    }
  })

  it("Dropout in training (a fixed key's mask)", () => {
    checkGrad("Dropout", [3, 4], (x) => Dropout({ rate: 0.5 })(x, { isTraining: true }), true)
  })

  it("Embed (d/d table, through the lookup and attend)", () => {
    const embed = Embed({ vocabSize: 5, embedDim: 3, dtype: "float64" })
    const ids = np.array([
      [0, 4, 4],
      [2, -1, 1]
    ])
    // sum(rows * h) + sum(sin(attend(h))): the table gets gradient from both uses
    const t = transform((h: Array) =>
      Effect.gen(function* () {
        const rows = yield* embed(ids)
        return np.sum(rows.mul(h)).add(np.sum(np.sin(yield* embed.attend(h))))
      })
    )
    const params = t.init(key, random.normal(random.key(1), [2, 3, 3], "float64"))
    const loss = (p: Params, h: Array) => t.apply(p, null, h)
    laws.check(
      laws.gradMatchesFiniteDifferences(loss, [fc.constant(params), arb.array({ shape: [2, 3, 3], dtype: "float64" })], { gradDtype: "float64" }),
      RUNS
    )
  })

  it("MultiHeadAttention (self-attention with a causal mask, and cross-attention with value size != key size)", () => {
    // nn.dotProductAttention takes its softmax in float32 whatever the input dtype (as JAX's), so
    // f carries float32 rounding (~1e-7 relative): a larger step keeps it out of the differences.
    const coarse = { eps: 1e-3, rtol: 1e-3, atol: 1e-5 }
    const self = MultiHeadAttention({ numHeads: 2, keySize: 2 })
    checkGrad("self-attention", [1, 3, 4], (x) => self(x, x, x, { isCausal: true }), false, coarse)
    const cross = MultiHeadAttention({ numHeads: 2, keySize: 2, valueSize: 1, modelSize: 2 })
    const memory = random.normal(random.key(4), [1, 2, 3], "float64")
    checkGrad("cross-attention", [1, 3, 4], (x) => cross(x, memory, memory), false, coarse)
  })

  it("MLP and Sequential", () => {
    checkGrad("MLP", [3, 4], (x) => MLP({ outputSizes: [5, 2], activation: nn.tanh })(x))
    checkGrad("Sequential", [3, 4], (x) => Sequential([Linear({ outputSize: 3 }), nn.gelu, LayerNorm(), Linear({ outputSize: 2 })])(x))
  })
})
