/**
 * JAX 101, "Stateful Computations", in jaxfx — in the explicit-state form the chapter teaches and
 * in the Effect form, whose handlers thread the state so it stays correct under jit.
 * Run: `npx tsx examples/stateful.ts`.
 */
import { Effect, Stream } from "effect"
import { type Array, grad, jit, nn, np, random, tree, valueAndGrad } from "../index.js"
import { codec, optim, State, train } from "../effects/index.js"
import { savePlot } from "./plot.js"

const section = (title: string): void => console.log(`\n## ${title}`)

// --- A stateful class: fine eagerly, wrong under jit (as in JAX)
section("Counter: a class with mutable state")
class Counter {
  n = 0
  count(): number {
    this.n += 1
    return this.n
  }
  reset(): void {
    this.n = 0
  }
}
const counter = new Counter()
console.log(`eager: ${[counter.count(), counter.count(), counter.count()].join(" ")}   (JAX: 1 2 3)`)
counter.reset()
const fastCount = jit(() => counter.count())
console.log(`jit:   ${[fastCount(), fastCount(), fastCount()].map((x) => x.str()).join(" ")}   (JAX: 1 1 1 — the state was read once, at trace time)`)

// --- The explicit form: state in, state out
section("CounterV2: explicit state")
const countV2 = (n: Array): [Array, Array] => [n.add(1), n.add(1)]
let state = np.array(0)
const v2: string[] = []
for (let i = 0; i < 3; i++) {
  const [value, next] = countV2(state)
  state = next
  v2.push(value.str())
}
console.log(`eager: ${v2.join(" ")}   (JAX: 1 2 3)`)
const fastCountV2 = jit(countV2)
state = np.array(0)
const v2j: string[] = []
for (let i = 0; i < 3; i++) {
  const [value, next] = fastCountV2(state)
  state = next
  v2j.push(value.str())
}
console.log(`jit:   ${v2j.join(" ")}   (JAX: 1 2 3)`)

// --- The Effect form: a state slot, threaded by its handler — correct under jit
section("Counter as a state slot: jit of an Effect program")
const CounterSlot = State.slot<"counter", Array>("counter")
const count = () =>
  Effect.gen(function* () {
    const n = yield* CounterSlot.update((c) => c.add(1))
    return n
  })
const fastSlotCount = jit(count)
const [slotValues] = Effect.runSync(
  CounterSlot.run(np.array(0))(
    Effect.gen(function* () {
      const out: string[] = []
      for (let i = 0; i < 3; i++) out.push((yield* fastSlotCount()).str())
      return out
    })
  )
)
console.log(`jit:   ${slotValues.join(" ")}   (a stateful-looking program, correct under jit: 1 2 3)`)

// --- Linear regression with Params { weight, bias }
section("Linear regression with an explicit Params record")
interface Params {
  readonly weight: Array
  readonly bias: Array
}
const init = (rng: Array): Params => {
  const [weightsKey, biasKey] = random.split(rng)
  return { weight: random.normal(weightsKey!, []), bias: random.normal(biasKey!, []) }
}
const loss = (params: Params, x: Array, y: Array): Array => np.mean(params.weight.mul(x).add(params.bias).sub(y).pow(2))
const LEARNING_RATE = 0.005
const update = jit((params: Params, x: Array, y: Array): Params => {
  const g = grad(loss)(params, x, y)
  return tree.map((param: Array, gi: Array) => param.sub(gi.mul(LEARNING_RATE)), params, g) as Params
})
const rng = random.PRNGKey(42)
const [xRng, noiseRng] = random.split(rng)
const xs = random.normal(xRng!, [128, 1])
const noise = random.normal(noiseRng!, [128, 1]).mul(0.5)
const ys = xs.mul(2).sub(1).add(noise)
let params = init(rng)
for (let i = 0; i < 1000; i++) params = update(params, xs, ys)
console.log(`after 1000 jit-compiled steps: weight ${params.weight.item().toFixed(3)}, bias ${params.bias.item().toFixed(3)}  (true: 2, -1)`)
await savePlot("out/stateful-regression.svg", "jaxfx: y = 2x - 1 + noise, fitted with Params { weight, bias }", [
  { kind: "scatter", xs: [...xs.data()], ys: [...ys.data()], label: "data" },
  { kind: "line", xs: [...xs.data()], ys: [...params.weight.mul(xs).add(params.bias).data()], color: "red", label: "Model Prediction" }
])
console.log("plot written to out/stateful-regression.svg")

// --- An MLP trained with Adam through train.fit, with a checkpoint saved and reloaded
section("An MLP on a generated classification set: Adam, train.fit, a checkpoint")
const [dataKey, initKey] = random.split(random.key(0))
const points = random.normal(dataKey, [512, 2])
// two classes: inside or outside the circle of radius 1
const labels = np.sum(points.pow(2), { axis: 1 }).gt(1).astype("int32")
const oneHot = nn.oneHot(labels, 2)
type Mlp = { w1: Array; b1: Array; w2: Array; b2: Array }
const [k1, k2] = random.split(initKey)
const mlpParams: Mlp = {
  w1: random.normal(k1, [2, 32]).mul(0.5),
  b1: np.zeros([32]),
  w2: random.normal(k2, [32, 2]).mul(0.5),
  b2: np.zeros([2])
}
const logits = (p: Mlp, x: Array) => np.matmul(nn.relu(np.matmul(x, p.w1).add(p.b1)), p.w2).add(p.b2)
const xent = (p: Mlp, x: Array, y: Array) => np.mean(np.sum(nn.logSoftmax(logits(p, x)).mul(y), { axis: 1 })).neg()
const opt = optim.adam(0.05)
type TrainState = { params: Mlp; opt: ReturnType<typeof opt.init> }
const step = jit((s: TrainState, batch: { x: Array; y: Array }): readonly [TrainState, { loss: Array }] => {
  const [l, g] = valueAndGrad(xent)(s.params, batch.x, batch.y)
  const [updates, optState] = opt.update(g, s.opt, s.params)
  return [{ params: optim.applyUpdates(s.params, updates) as Mlp, opt: optState }, { loss: l }]
})
const batches = Stream.forever(Stream.make({ x: points, y: oneHot }))
const result = Effect.runSync(train.run({ init: { params: mlpParams, opt: opt.init(mlpParams) }, step, data: batches, steps: 300 }))
const accuracy = (p: Mlp) => np.mean(np.argmax(logits(p, points), { axis: 1 }).eq(labels).astype("float32")).item()
console.log(`after ${result.steps} steps: loss ${result.last?.loss?.toFixed(4)}, accuracy ${(accuracy(result.state.params) * 100).toFixed(1)}%`)
const path = "out/mlp.safetensors"
await Effect.runPromise(
  Effect.gen(function* () {
    yield* codec.save(path, result.state.params)
    const reloaded = yield* codec.load(path, mlpParams)
    console.log(
      `checkpoint ${path} saved and reloaded: same accuracy ${(accuracy(reloaded) * 100).toFixed(1)}%, same weights: ${np.arrayEqual(reloaded.w1, result.state.params.w1).toJs()}`
    )
  }).pipe(Effect.orDie)
)
