/**
 * A 2-layer decoder-only transformer learning to reverse sequences of digits, in the Effect style:
 * layers (Embed, MultiHeadAttention with a causal mask, LayerNorm, MLP, Dropout) inside a model
 * that `transform` turns into pure `init`/`apply`; Adam through `train.fit`; every batch drawn
 * from `random` inside the jit-compiled step (no downloads).
 *
 * The task: `a_1 ... a_n SEP a_n ... a_1`; the model reads the sequence left to right and is
 * trained to predict each next token of the reversed half. It is scored on held-out sequences by
 * greedy decoding: the reversed half is generated one token at a time from `a_1 ... a_n SEP`.
 *
 * Run: `npx tsx examples/transformer.ts` (full size) or with `--small` (the test suite's setting).
 */
import { Effect, Stream } from "effect"
import { type Array, jit, np, random } from "../index.js"
import { type Params, train } from "../effects/index.js"
import { savePlot } from "./plot.js"
import { reversal } from "./transformer-model.js"

const small = process.argv.includes("--small")
// The small setting trains in seconds (the test suite's); the full one is the demo.
const cfg = small
  ? { n: 4, digits: 4, width: 32, heads: 2, batch: 32, steps: 120, lr: 5e-3, dropout: 0.05, target: 0.9 }
  : { n: 8, digits: 10, width: 64, heads: 4, batch: 64, steps: 600, lr: 1e-3, dropout: 0.1, target: 0.95 }

console.log(
  `task: reverse ${cfg.n} digits of 0-${cfg.digits - 1}; model: 2 layers, width ${cfg.width}, ${cfg.heads} heads; ` +
    `batch ${cfg.batch}, ${cfg.steps} steps of Adam(${cfg.lr})`
)

const task = reversal({ ...cfg, layers: 2 })
const { SEP, T, step } = task
const [initKey, dataKey, testKey] = random.split(random.key(0), 3)
const params0 = task.init(initKey)
const parameterCount = Object.values(params0).reduce((s, p) => s + p.size, 0)
console.log(`${Object.keys(params0).length} parameter arrays, ${parameterCount} numbers`)

// One fresh key per step: an endless stream of new sequences.
const keys = Stream.map(
  Stream.iterate(0, (i) => i + 1),
  (i) => random.foldIn(dataKey, i)
)
const losses: number[] = []
const t0 = performance.now()
const result = Effect.runSync(
  Stream.runLast(
    train
      .fit({ init: { params: params0, opt: task.optimizer.init(params0) }, step, data: keys, steps: cfg.steps })
      .pipe(Stream.tap((r) => Effect.sync(() => void losses.push(r.loss ?? NaN))))
  )
)
const seconds = (performance.now() - t0) / 1000
const last = result._tag === "Some" ? result.value : undefined
if (last === undefined) throw new Error("no training step ran")
console.log(
  `trained ${last.step} steps in ${seconds.toFixed(1)} s (${((seconds * 1000) / last.step).toFixed(1)} ms/step): ` +
    `loss ${last.loss?.toFixed(4)}, training-batch token accuracy ${(last.metrics.accuracy.item() * 100).toFixed(1)}%`
)
const params = last.state.params

// --- Held-out evaluation: teacher-forced token accuracy, then greedy decoding of the reversed half
const test = task.sequences(testKey, 256)
const evaluate = jit((p: Params, seqs: Array) => task.lossAndAccuracy(p, seqs, null, false))
const [testLoss, testAccuracy] = evaluate(params, test)
console.log(`held-out (256 sequences, teacher-forced): loss ${testLoss.item().toFixed(4)}, token accuracy ${(testAccuracy.item() * 100).toFixed(1)}%`)

// Generation: the model's input has a fixed length T, so the not-yet-generated positions hold SEP;
// by causality they do not affect the prediction at position t.
const predictAt = jit((p: Params, seqs: Array, t: Array) => np.take(np.argmax(task.model.apply(p, null, seqs, false), { axis: -1 }), t, { axis: 1 }))
const truth = test.data() as Int32Array
const tests = 256
const generated = new Int32Array(tests * (T + 1)).fill(SEP)
for (let i = 0; i < tests; i++) for (let j = 0; j <= cfg.n; j++) generated[i * (T + 1) + j] = truth[i * (T + 1) + j]!
for (let t = cfg.n; t < T; t++) {
  const inputs = np.reshape(np.array(generated, { dtype: "int32" }), [tests, T + 1]).index(":", np.s(0, T))
  const next = predictAt(params, inputs, np.array(t)).data()
  for (let i = 0; i < tests; i++) generated[i * (T + 1) + t + 1] = Number(next[i])
}
let right = 0
for (let i = 0; i < tests; i++) {
  let ok = true
  for (let j = cfg.n + 1; j <= T; j++) ok &&= generated[i * (T + 1) + j] === truth[i * (T + 1) + j]
  if (ok) right++
}
const sequenceAccuracy = right / tests
const row = (a: Int32Array, from: number, to: number) => [...a.subarray(from, to)].join(" ")
console.log(`example: ${row(truth, 0, cfg.n)} -> ${row(generated, cfg.n + 1, T + 1)} (expected ${row(truth, cfg.n + 1, T + 1)})`)
console.log(
  `greedy-decoded sequence accuracy: ${(sequenceAccuracy * 100).toFixed(1)}% of ${tests} held-out sequences entirely right ` +
    `(stated: at least ${cfg.target * 100}%): ${sequenceAccuracy >= cfg.target ? "reached" : "NOT reached"}`
)

const plotPath = small ? "out/transformer-loss-small.svg" : "out/transformer-loss.svg"
await savePlot(plotPath, "jaxfx: 2-layer transformer reversing digits, training loss", [
  { kind: "line", xs: losses.map((_, i) => i + 1), ys: losses, label: "loss (nats per answer token)" }
])
console.log(`plot written to ${plotPath}`)
