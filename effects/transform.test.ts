import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { type Array, grad, jit, np, random, ShapeError, ValueError } from "../index.js"
import { batchNorm, Init, module, Param, Rng, transform, transformWithState } from "./index.js"

const f32 = (v: Parameters<typeof np.asarray>[0]) => np.asarray(v, { dtype: "float32" })

const linear = (x: Array, out: number) =>
  Effect.gen(function* () {
    const w = yield* Param.get("weight", [x.shape[1]!, out], Init.normal(0.5))
    const b = yield* Param.get("bias", [out], Init.zeros)
    return np.matmul(x, w).add(b)
  })
const mlp = (x: Array) =>
  Effect.gen(function* () {
    const h = yield* module("linear")(linear(x, 4))
    return yield* module("linear_1")(linear(np.tanh(h), 2))
  })

describe("transform", () => {
  const model = transform(mlp)
  const x = f32([
    [1, 2, 3],
    [0, -1, 0.5]
  ])

  it("init collects params with readable names; apply computes with them", () => {
    const params = model.init(random.key(0), x)
    expect(Object.keys(params)).toEqual(["linear/bias", "linear/weight", "linear_1/bias", "linear_1/weight"])
    expect(params["linear/weight"]!.shape).toEqual([3, 4])
    const y = model.apply(params, null, x)
    // by hand with the same params
    const h = np.tanh(np.matmul(x, params["linear/weight"]!).add(params["linear/bias"]!))
    const expected = np.matmul(h, params["linear_1/weight"]!).add(params["linear_1/bias"]!)
    expect([...y.data()]).toEqual([...expected.data()])
  })

  it("init is deterministic per key and apply composes with jit and grad", () => {
    const p1 = model.init(random.key(1), x)
    const p2 = model.init(random.key(1), x)
    expect([...p1["linear/weight"]!.data()]).toEqual([...p2["linear/weight"]!.data()])
    expect([...p1["linear/weight"]!.data()]).not.toEqual([...model.init(random.key(2), x)["linear/weight"]!.data()])
    const loss = (p: typeof p1, x: Array) => np.sum(model.apply(p, null, x).pow(2))
    const g = grad(loss)(p1, x)
    const gj = jit(grad(loss))(p1, x)
    expect(Object.keys(g)).toEqual(Object.keys(p1))
    expect([...gj["linear/weight"]!.data()]).toEqual([...g["linear/weight"]!.data()])
  })

  it("apply with a missing or mis-shaped parameter fails with a message naming it", () => {
    const params = model.init(random.key(0), x)
    const { ["linear/bias"]: _, ...missing } = params
    expect(() => model.apply(missing, null, x)).toThrow(ValueError)
    expect(() => model.apply(missing, null, x)).toThrow(/linear\/bias/)
    expect(() => model.apply({ ...params, "linear/bias": f32([1, 2]) }, null, x)).toThrow(ShapeError)
  })

  it("the model's own randomness comes from the key given to apply (dropout)", () => {
    const dropout = transform((x: Array) =>
      Effect.gen(function* () {
        const keep = yield* Rng.bernoulli(0.5, x.shape)
        return np.where(keep, x.mul(2), 0)
      })
    )
    const ones = np.ones([1000])
    const a = dropout.apply({}, random.key(3), ones)
    const b = dropout.apply({}, random.key(3), ones)
    expect([...a.data()]).toEqual([...b.data()])
    const kept = np.sum(a).item() / 2
    expect(kept).toBeGreaterThan(420)
    expect(kept).toBeLessThan(580)
  })
})

describe("transformWithState: BatchNorm", () => {
  const model = transformWithState((x: Array, isTraining: boolean) => batchNorm(x, { isTraining, decay: 0.5 }))
  const x = f32([
    [1, 10],
    [3, 30]
  ])
  it("updates running statistics in training mode and reads them in evaluation mode, under jit", () => {
    const [params, state] = model.init(random.key(0), x, true)
    expect([...state["batch_norm/mean"]!.data()]).toEqual([0, 0])
    const train = jit((p: typeof params, s: typeof state, x: Array) => model.apply(p, s, null, x, true))
    const [y, s1] = train(params, state, x)
    // batch mean [2, 20], var [1, 100]; running = 0.5 * old + 0.5 * batch
    expect([...s1["batch_norm/mean"]!.data()]).toEqual([1, 10])
    expect([...s1["batch_norm/var"]!.data()]).toEqual([1, 50.5])
    // training output is normalized with batch statistics: (x - mean) / sqrt(var + eps)
    expect([...y.data()].map((v) => Math.round(v * 1e4) / 1e4)).toEqual([-1, -1, 1, 1])
    const evaluate = jit((p: typeof params, s: typeof state, x: Array) => model.apply(p, s, null, x, false))
    const [ye, s2] = evaluate(params, s1, f32([[1, 10]]))
    expect([...s2["batch_norm/mean"]!.data()]).toEqual([1, 10])
    expect(Math.abs(ye.data()[0]!)).toBeLessThan(1e-4)
  })
})

describe("Rng", () => {
  it("Rng.run is deterministic per key, the same eagerly and under jit, and returns the final key", () => {
    const draw = () =>
      Effect.gen(function* () {
        const a = yield* Rng.normal([3])
        const b = yield* Rng.uniform([2])
        return np.concatenate([a, b])
      })
    const eager = Effect.runSync(Rng.run(random.key(7))(draw()))
    const again = Effect.runSync(Rng.run(random.key(7))(draw()))
    const jitted = Effect.runSync(Rng.run(random.key(7))(jit(draw)()))
    expect([...eager[0].data()]).toEqual([...again[0].data()])
    expect([...jitted[0].data()]).toEqual([...eager[0].data()])
    expect([...random.keyData(jitted[1]).data()]).toEqual([...random.keyData(eager[1]).data()])
    // the first draw uses the second half of split(key)
    const [, use] = random.split(random.key(7))
    expect([...eager[0].data()].slice(0, 3)).toEqual([...random.normal(use, [3]).data()])
  })
})
