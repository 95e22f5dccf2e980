/**
 * The layers' behaviour beyond their numbers (golden.test.ts): Haiku's module names, parameter
 * sharing, typed parameter paths, the defaults (initializers, eps), Dropout and BatchNorm in
 * training and evaluation, jit, and typed errors for bad options and inputs.
 */
import { Effect } from "effect"
import { describe, expect, expectTypeOf, it } from "vitest"
import { type Array, jit, nn, np, random } from "../../index.js"
import { tagOf } from "../../core/test-helpers.js"
import {
  BatchNorm,
  Dropout,
  Embed,
  GroupNorm,
  Init,
  LayerNorm,
  Linear,
  MLP,
  module,
  MultiHeadAttention,
  type Params,
  RMSNorm,
  Sequential,
  transform,
  transformWithState
} from "../index.js"

const key = random.key(0)
const x = random.normal(random.key(1), [4, 6])
const data = (a: Array): number[] => [...a.data()].map(Number)

describe("module names, as Haiku's", () => {
  it("unnamed layers get linear, linear_1, ... in order of first call; init and apply agree", () => {
    const model = transform((x: Array) =>
      Effect.gen(function* () {
        const h = yield* Linear({ outputSize: 5 })(x)
        const g = yield* Linear({ outputSize: 3 })(nn.relu(h))
        return yield* module("head")(Linear({ outputSize: 2 })(g))
      })
    )
    const params = model.init(key, x)
    expect(Object.keys(params)).toEqual(["head/linear/b", "head/linear/w", "linear/b", "linear/w", "linear_1/b", "linear_1/w"])
    expect(params["linear_1/w"]!.shape).toEqual([5, 3])
    const byHand = np.matmul(nn.relu(np.matmul(x, params["linear/w"]!).add(params["linear/b"]!)), params["linear_1/w"]!).add(params["linear_1/b"]!)
    const want = np.matmul(byHand, params["head/linear/w"]!).add(params["head/linear/b"]!)
    expect(data(model.apply(params, null, x))).toEqual(data(want))
  })

  it("calling the same layer object twice shares its parameters", () => {
    const shared = Linear({ outputSize: 6 })
    const model = transform((x: Array) => Effect.flatMap(shared(x), (h) => shared(h)))
    const params = model.init(key, x)
    expect(Object.keys(params)).toEqual(["linear/b", "linear/w"])
    const once = np.matmul(x, params["linear/w"]!).add(params["linear/b"]!)
    expect(data(model.apply(params, null, x))).toEqual(data(np.matmul(once, params["linear/w"]!).add(params["linear/b"]!)))
  })

  it("Sequential names its layers where it is called; MLP scopes linear_0, linear_1, ...", () => {
    const model = transform(Sequential([Linear({ outputSize: 4 }), nn.tanh, MLP({ outputSizes: [3, 2] }), LayerNorm(), RMSNorm()]))
    expect(Object.keys(model.init(key, x))).toEqual([
      "layer_norm/offset",
      "layer_norm/scale",
      "linear/b",
      "linear/w",
      "mlp/linear_0/b",
      "mlp/linear_0/w",
      "mlp/linear_1/b",
      "mlp/linear_1/w",
      "rms_norm/scale"
    ])
  })

  it("a literal name types the parameter paths of init's record", () => {
    const dense = transform(Linear({ outputSize: 3, name: "dense" }))
    expectTypeOf(dense.init(key, x)).toEqualTypeOf<Params<"dense/w" | "dense/b">>()
    const noBias = transform(Linear({ outputSize: 3, name: "d", withBias: false }))
    expectTypeOf(noBias.init(key, x)).toEqualTypeOf<Params<"d/w">>()
    const net = transform(
      Sequential([Linear({ outputSize: 8, name: "hidden" }), nn.relu, Dropout({ rate: 0.5 }), LayerNorm({ name: "ln", createOffset: false })])
    )
    const params = net.init(key, x, { isTraining: false })
    expectTypeOf(params).toEqualTypeOf<Params<"hidden/w" | "hidden/b" | "ln/scale">>()
    expect(Object.keys(params)).toEqual(["hidden/b", "hidden/w", "ln/scale"])
    expectTypeOf(transform(MultiHeadAttention({ numHeads: 1, keySize: 2, name: "a", withBias: false })).init).returns.toEqualTypeOf<
      Params<"a/query/w" | "a/key/w" | "a/value/w" | "a/linear/w">
    >()
    // Unnamed layers make no promise about their names.
    expectTypeOf(transform(Linear({ outputSize: 3 })).init(key, x)).toEqualTypeOf<Params<string>>()
  })
})

describe("defaults", () => {
  it("Init.normal() and Init.truncatedNormal() have JAX's stddev 0.01; Init.glorotUniform counts the receptive field", () => {
    const k = random.key(3)
    expect(data(Init.normal()(k, [4]))).toEqual(data(random.normal(k, [4]).mul(0.01)))
    expect(data(Init.truncatedNormal()(k, [4]))).toEqual(data(random.truncatedNormal(k, -2, 2, [4]).mul(0.01)))
    // 3x3 kernel, 2 -> 4 channels: fan in 18, fan out 36, limit sqrt(6 / 27)
    const limit = Math.fround(Math.sqrt(Math.fround(3 * Math.fround(1 / 27))))
    expect(data(Init.glorotUniform()(k, [3, 3, 2, 4]))).toEqual(data(random.uniform(k, [3, 3, 2, 4], { minval: -1 }).mul(limit)))
  })

  it("Linear's w is Haiku's truncated normal with stddev 1 / sqrt(inputSize); MLP's and Embed's follow Haiku", () => {
    const init = (wInit?: Parameters<typeof Linear>[0]["wInit"]) => transform(Linear({ outputSize: 3, wInit })).init(key, x)["linear/w"]!
    expect(data(init())).toEqual(data(init(Init.truncatedNormal(1 / Math.sqrt(6)))))
    const table = (wInit?: Parameters<typeof Embed>[0]["wInit"]) =>
      transform(Embed({ vocabSize: 5, embedDim: 2, wInit })).init(key, np.array([1]))["embed/embeddings"]!
    expect(data(table())).toEqual(data(table(Init.truncatedNormal(1))))
    const attention = (wInit?: Parameters<typeof MultiHeadAttention>[0]["wInit"]) => {
      const mha = MultiHeadAttention({ numHeads: 2, keySize: 3, wInit })
      return transform((x: Array) => mha(x, x, x)).init(key, x)["multi_head_attention/query/w"]!
    }
    expect(data(attention())).toEqual(data(attention(Init.lecunNormal())))
  })

  it("LayerNorm, RMSNorm and GroupNorm use Haiku's eps 1e-5", () => {
    const tiny = np.array([[1, 1.001, 1.002, 0.999]], { dtype: "float64" })
    const ln = transform(LayerNorm({ createScale: false, createOffset: false }))
    const mean = 1.0005
    const variance = [1, 1.001, 1.002, 0.999].reduce((s, v) => s + (v - mean) ** 2, 0) / 4
    const got = data(ln.apply({}, null, tiny))
    ;[1, 1.001, 1.002, 0.999].forEach((v, i) => expect(got[i]).toBeCloseTo((v - mean) / Math.sqrt(variance + 1e-5), 10))
    const rms = transform(RMSNorm({ createScale: false }))
    const ms = [1, 1.001, 1.002, 0.999].reduce((s, v) => s + v * v, 0) / 4
    expect(data(rms.apply({}, null, tiny))[0]).toBeCloseTo(1 / Math.sqrt(ms + 1e-5), 12)
  })
})

describe("Dropout", () => {
  const ones = np.ones([2000])
  const model = transform((x: Array, isTraining: boolean) => Dropout({ rate: 0.25 })(x, { isTraining }))

  it("is the identity in evaluation, drawing no key", () => {
    expect(data(model.apply({}, null, ones, false))).toEqual(data(ones))
    const rng = transform((x: Array) =>
      Effect.gen(function* () {
        const a = yield* Dropout({ rate: 0.5 })(x, { isTraining: false })
        return yield* Dropout({ rate: 0.5 })(a, { isTraining: true })
      })
    )
    const direct = transform((x: Array) => Dropout({ rate: 0.5 })(x, { isTraining: true }))
    // the evaluation-mode call consumed nothing: the training call gets the same key either way
    expect(data(rng.apply({}, random.key(4), ones))).toEqual(data(direct.apply({}, random.key(4), ones)))
  })

  it("in training keeps about 1 - rate of the elements, scaled by 1 / (1 - rate), from the apply key, the same under jit", () => {
    const a = model.apply({}, random.key(1), ones, true)
    const values = data(a)
    expect(new Set(values)).toEqual(new Set([0, Math.fround(1 / 0.75)]))
    const kept = values.filter((v) => v !== 0).length / values.length
    expect(kept).toBeGreaterThan(0.72)
    expect(kept).toBeLessThan(0.78)
    expect(data(model.apply({}, random.key(1), ones, true))).toEqual(values)
    expect(data(model.apply({}, random.key(2), ones, true))).not.toEqual(values)
    const jitted = jit((k: random.PRNGKeyArray, x: Array) => model.apply({}, k, x, true))
    expect(data(jitted(random.key(1), ones))).toEqual(values)
  })

  it("rate 0 is the identity and rate 1 zeroes everything; MLP drops only in training", () => {
    expect(data(transform((x: Array) => Dropout({ rate: 0 })(x, { isTraining: true })).apply({}, key, x))).toEqual(data(x))
    expect(data(transform((x: Array) => Dropout({ rate: 1 })(x, { isTraining: true })).apply({}, key, x))).toEqual(new globalThis.Array(24).fill(0))
    const mlp = MLP({ outputSizes: [64, 2], dropoutRate: 0.5 })
    const m = transform((x: Array, isTraining: boolean) => mlp(x, { isTraining }))
    const params = m.init(key, x, false)
    const plain = transform(MLP({ outputSizes: [64, 2] })).apply(params, null, x)
    expect(data(m.apply(params, random.key(9), x, false))).toEqual(data(plain))
    expect(data(m.apply(params, random.key(9), x, true))).not.toEqual(data(plain))
  })

  it("without a training flag, and with a bad rate, it fails with a ValueError", () => {
    expect(tagOf(() => transform((x: Array) => Dropout({ rate: 0.5 })(x)).apply({}, key, x), "no flag")).toBe("ValueError")
    expect(tagOf(() => Dropout({ rate: 1.5 }), "rate > 1")).toBe("ValueError")
    expect(tagOf(() => transform((x: Array) => MLP({ outputSizes: [2], dropoutRate: 0.1, activateFinal: true })(x)).init(key, x), "MLP")).toBe("ValueError")
  })
})

describe("BatchNorm", () => {
  const bn = BatchNorm({ decay: 0.5 })
  const model = transformWithState((x: Array, isTraining: boolean) => bn(x, { isTraining }))
  const batch = np.array([[[1, 10]], [[3, 30]]], { dtype: "float32" }) // [2, 1, 2]: statistics over the first two axes

  it("updates the running statistics in training and reads them in evaluation, under jit", () => {
    const [params, state] = model.init(key, batch, true)
    const train = jit((p: Params, s: Params, x: Array) => model.apply(p, s, null, x, true))
    const [y, s1] = train(params, state, batch)
    expect(data(s1["batch_norm/mean"]!)).toEqual([1, 10])
    expect(data(s1["batch_norm/var"]!)).toEqual([1, 50.5])
    data(y).forEach((v, i) => expect(v).toBeCloseTo([-1, -1, 1, 1][i]!, 4))
    const [ye, s2] = model.apply(params, s1, null, np.array([[[1, 10]]], { dtype: "float32" }), false)
    // evaluation reads the statistics and leaves them as they were (the same values; on a worker
    // device the arrays are other objects over other buffers)
    expect(Object.keys(s2).sort()).toEqual(Object.keys(s1).sort())
    for (const k of Object.keys(s1)) expect(data(s2[k]!)).toEqual(data(s1[k]!))
    expect(data(ye)[0]).toBeCloseTo(0, 5)
    expect(data(ye)[1]).toBeCloseTo(0, 5)
  })

  it("needs a training flag", () => {
    const noFlag = transformWithState((x: Array) => BatchNorm()(x))
    expect(tagOf(() => noFlag.init(key, batch), "no flag")).toBe("ValueError")
  })
})

describe("Embed", () => {
  it("looks up rows, and attend scores against the same table", () => {
    const embed = Embed({ vocabSize: 6, embedDim: 3, name: "tok" })
    const model = transform((ids: Array) => Effect.flatMap(embed(ids), (h) => embed.attend(h)))
    const ids = np.array([
      [0, 5],
      [2, 2]
    ])
    const params = model.init(key, ids)
    expect(Object.keys(params)).toEqual(["tok/embeddings"])
    const table = params["tok/embeddings"]!
    const rows = np.take(table, ids, { axis: 0 })
    expect(data(model.apply(params, null, ids))).toEqual(data(np.matmul(rows, table.T)))
  })
})

describe("jit", () => {
  it("a transformer-style block gives the same numbers under jit", () => {
    const mha = MultiHeadAttention({ numHeads: 2, keySize: 4 })
    const block = (x: Array, isTraining: boolean) =>
      Effect.gen(function* () {
        const h = yield* LayerNorm()(x)
        const a = yield* mha(h, h, h, { isCausal: true })
        const y = x.add(yield* Dropout({ rate: 0.1 })(a, { isTraining }))
        return y.add(yield* MLP({ outputSizes: [16, 8], activation: nn.gelu })(yield* LayerNorm()(y)))
      })
    const model = transform(block)
    const xs = random.normal(random.key(5), [2, 3, 8])
    const params = model.init(key, xs, true)
    const eager = model.apply(params, random.key(6), xs, true)
    const jitted = jit((p: Params, k: random.PRNGKeyArray, x: Array) => model.apply(p, k, x, true))(params, random.key(6), xs)
    data(jitted).forEach((v, i) => expect(v).toBeCloseTo(data(eager)[i]!, 5))
  })
})

describe("errors", () => {
  it("bad options are ValueErrors at construction, naming the option", () => {
    expect(tagOf(() => Linear({ outputSize: 3, with_bias: false } as never), "snake_case")).toBe("ValueError")
    expect(tagOf(() => Linear({ outputSize: 0 }), "size 0")).toBe("ValueError")
    expect(tagOf(() => Linear({ outputSize: 2, name: "a/b" }), "slash")).toBe("ValueError")
    expect(tagOf(() => LayerNorm({ createScale: false, scaleInit: Init.ones }), "scaleInit without scale")).toBe("ValueError")
    expect(tagOf(() => LayerNorm({ eps: -1 }), "eps")).toBe("ValueError")
    expect(tagOf(() => GroupNorm({ groups: 0 }), "groups")).toBe("ValueError")
    expect(tagOf(() => MultiHeadAttention({ numHeads: 2, keySize: 3, heads: 2 } as never), "unknown")).toBe("ValueError")
    expect(tagOf(() => MLP({ outputSizes: [] }), "no sizes")).toBe("ValueError")
    expect(tagOf(() => Embed({ vocabSize: 3, embedDim: 2, dtype: "int32" }), "int table")).toBe("DTypeError")
    expect(tagOf(() => BatchNorm({ decay: 2 }), "decay")).toBe("ValueError")
    expect(() => Linear({ outputSize: 3, with_bias: false } as never)).toThrow(/with_bias.*withBias/)
  })

  it("bad calls and inputs fail with typed errors, and leave the params as they were", () => {
    const lin = transform((x: Array) => Linear({ outputSize: 3 })(x, { training: true } as never))
    expect(tagOf(() => lin.init(key, x), "unknown call option")).toBe("ValueError")
    expect(tagOf(() => transform(Linear({ outputSize: 3 })).init(key, np.array([[1, 2]])), "int input")).toBe("DTypeError")
    expect(tagOf(() => transform(GroupNorm({ groups: 4 })).init(key, x), "6 channels in 4 groups")).toBe("ShapeError")
    expect(tagOf(() => transform(LayerNorm({ axis: 2 })).init(key, x), "axis out of range")).toBe("ShapeError")
    expect(tagOf(() => transform(Embed({ vocabSize: 3, embedDim: 2 })).init(key, x), "float ids")).toBe("DTypeError")
    const mha = MultiHeadAttention({ numHeads: 2, keySize: 2 })
    const xs = random.normal(key, [2, 3, 4])
    const bad = transform((x: Array) => mha(x, x, x, { mask: np.ones([3, 3], { dtype: "bool" }) }))
    expect(tagOf(() => bad.init(key, xs), "mask rank")).toBe("ShapeError")
    expect(tagOf(() => transform((x: Array) => mha(x, x, x)).init(key, np.ones([4])), "1-D input")).toBe("ShapeError")
    expect(tagOf(() => transform(Sequential([mha as never])).init(key, xs), "MultiHeadAttention called with x alone")).toBe("ValueError")
    const model = transform(Linear({ outputSize: 3 }))
    const params = model.init(key, x)
    const before = data(params["linear/w"]!)
    expect(tagOf(() => model.apply(params, null, np.ones([4, 5])), "wrong feature size")).toBe("ShapeError")
    expect(data(params["linear/w"]!)).toEqual(before)
  })

  it("failures travel in the Effect error channel", () => {
    const program = Effect.gen(function* () {
      return yield* Linear({ outputSize: 3 })(np.array([[1, 2]]))
    })
    const model = transform(() => Effect.catchTag(program, "DTypeError", () => Effect.succeed(np.zeros([1]))))
    expect(data(model.apply({}, null))).toEqual([0])
  })
})
