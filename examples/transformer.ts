/**
 * A 2-layer decoder-only transformer learning to reverse sequences of digits, in the Effect style:
 * layers (Embed, MultiHeadAttention with a causal mask, LayerNorm, MLP, Dropout) inside a model
 * that `transform` turns into pure `init`/`apply`; Adam through `train.run`; every batch drawn
 * from `random` inside the jit-compiled step (no downloads).
 *
 * The task: `a_1 ... a_n SEP a_n ... a_1`; the model reads the sequence left to right and is
 * trained to predict each next token of the reversed half. It is scored on held-out sequences by
 * greedy decoding: the reversed half is generated one token at a time from `a_1 ... a_n SEP`.
 *
 * Run: `npx tsx examples/transformer.ts` (full size) or with `--small` (the test suite's setting).
 */
import { Effect, Stream } from "effect"
import { type Array, jit, nn, np, random, valueAndGrad } from "../index.js"
import { Embed, LayerNorm, Linear, MLP, MultiHeadAttention, Dropout, module, optim, type Params, train, transform } from "../effects/index.js"
import { savePlot } from "./plot.js"

const small = process.argv.includes("--small")
// The small setting trains in seconds (the test suite's); the full one is the demo.
const cfg = small
  ? { n: 4, digits: 4, width: 32, heads: 2, batch: 32, steps: 150, lr: 5e-3, dropout: 0.05, target: 0.9 }
  : { n: 8, digits: 10, width: 64, heads: 4, batch: 64, steps: 1500, lr: 1e-3, dropout: 0.1, target: 0.95 }
const SEP = cfg.digits
const vocab = cfg.digits + 1
const T = 2 * cfg.n // the model reads the sequence without its last token

console.log(`task: reverse ${cfg.n} digits of 0-${cfg.digits - 1}; model: 2 layers, width ${cfg.width}, ${cfg.heads} heads; ` +
  `batch ${cfg.batch}, ${cfg.steps} steps of Adam(${cfg.lr})`)

/** A batch of whole sequences [batch, 2n + 1]: digits, SEP, the digits reversed. */
const sequences = (key: random.PRNGKeyArray, batch: number): Array => {
  const digits = random.randint(key, [batch, cfg.n], 0, cfg.digits)
  return np.concatenate([digits, np.full([batch, 1], SEP, { dtype: "int32" }), np.flip(digits, 1)], 1)
}

// --- The model: token + learned positional embeddings, 2 pre-LayerNorm blocks, a final LayerNorm
const tokens = Embed({ vocabSize: vocab, embedDim: cfg.width, name: "tokens" })
const positions = Embed({ vocabSize: T, embedDim: cfg.width, wInit: nn.initializers.truncatedNormal(0.02), name: "positions" })
const blocks = [0, 1].map((i) => ({
  name: `block_${i}`,
  ln1: LayerNorm({ name: "ln_1" }),
  attention: MultiHeadAttention({ numHeads: cfg.heads, keySize: cfg.width / cfg.heads, name: "attention" }),
  ln2: LayerNorm({ name: "ln_2" }),
  mlp: MLP({ outputSizes: [4 * cfg.width, cfg.width], activation: nn.gelu, name: "mlp" }),
  dropout: Dropout({ rate: cfg.dropout })
}))
const finalNorm = LayerNorm({ name: "ln_final" })
const head = Linear({ outputSize: vocab, name: "head" })

const model = transform((ids: Array, isTraining: boolean) =>
  Effect.gen(function*() {
    let h = (yield* tokens(ids)).add(yield* positions(np.arange(ids.shape[1]!)))
    for (const b of blocks) {
      h = yield* module(b.name)(Effect.gen(function*() {
        const a = yield* b.ln1(h)
        const attended = yield* b.attention(a, a, a, { isCausal: true })
        const h1 = h.add(yield* b.dropout(attended, { isTraining }))
        return h1.add(yield* b.dropout(yield* b.mlp(yield* b.ln2(h1)), { isTraining }))
      }))
    }
    return yield* head(yield* finalNorm(h))
  })
)

// --- Loss and accuracy on the reversed half (positions n .. 2n-1 predict the reversed digits)
const answer = np.arange(T).ge(cfg.n).astype("float32")
const answerCount = cfg.n
const lossAndAccuracy = (params: Params, seqs: Array, key: random.PRNGKeyArray | null, isTraining: boolean) => {
  const inputs = seqs.index(":", np.s(0, T))
  const targets = seqs.index(":", np.s(1, T + 1))
  const logits: Array = model.apply(params, key, inputs, isTraining)
  const nll = np.sum(nn.logSoftmax(logits).mul(nn.oneHot(targets, vocab)), { axis: -1 }).neg()
  const loss = np.mean(np.sum(nll.mul(answer), { axis: -1 })).div(answerCount)
  const correct = np.argmax(logits, { axis: -1 }).eq(targets).astype("float32")
  const accuracy = np.mean(np.sum(correct.mul(answer), { axis: -1 })).div(answerCount)
  return [loss, accuracy] as const
}

const optimizer = optim.adam(cfg.lr)
const [initKey, dataKey, testKey] = random.split(random.key(0), 3)
const params0 = model.init(initKey, sequences(dataKey, 2).index(":", np.s(0, T)), true)
const parameterCount = Object.values(params0).reduce((s, p) => s + p.size, 0)
console.log(`${Object.keys(params0).length} parameter arrays, ${parameterCount} numbers`)

type TrainState = { readonly params: Params; readonly opt: ReturnType<typeof optimizer.init> }
const step = jit((s: TrainState, key: random.PRNGKeyArray): readonly [TrainState, { loss: Array; accuracy: Array }] => {
  const [batchKey, dropoutKey] = random.split(key)
  const seqs = sequences(batchKey, cfg.batch)
  const [[loss, accuracy], grads] = valueAndGrad((p: Params) => lossAndAccuracy(p, seqs, dropoutKey, true), { hasAux: true })(s.params)
  const [updates, opt] = optimizer.update(grads, s.opt, s.params)
  return [{ params: optim.applyUpdates(s.params, updates) as Params, opt }, { loss, accuracy }]
})

// One fresh key per step: an endless stream of new sequences.
const keys = Stream.map(Stream.iterate(0, (i) => i + 1), (i) => random.foldIn(dataKey, i))
const losses: number[] = []
const t0 = performance.now()
const result = Effect.runSync(
  Stream.runLast(train.fit({ init: { params: params0, opt: optimizer.init(params0) }, step, data: keys, steps: cfg.steps }).pipe(
    Stream.tap((r) => Effect.sync(() => void losses.push(r.loss ?? NaN)))
  ))
)
const seconds = (performance.now() - t0) / 1000
const last = result._tag === "Some" ? result.value : undefined
if (last === undefined) throw new Error("no training step ran")
console.log(`trained ${last.step} steps in ${seconds.toFixed(1)} s (${(seconds * 1000 / last.step).toFixed(1)} ms/step): ` +
  `loss ${last.loss?.toFixed(4)}, training-batch token accuracy ${(last.metrics.accuracy.item() * 100).toFixed(1)}%`)
const params = last.state.params

// --- Held-out evaluation: teacher-forced token accuracy, then greedy decoding of the reversed half
const test = sequences(testKey, 256)
const evaluate = jit((p: Params, seqs: Array) => lossAndAccuracy(p, seqs, null, false))
const [testLoss, testAccuracy] = evaluate(params, test)
console.log(`held-out (256 sequences, teacher-forced): loss ${testLoss.item().toFixed(4)}, token accuracy ${(testAccuracy.item() * 100).toFixed(1)}%`)

// Generation: the model's input has a fixed length T, so the not-yet-generated positions hold SEP;
// by causality they do not affect the prediction at position t.
const predictAt = jit((p: Params, seqs: Array, t: Array) => np.take(np.argmax(model.apply(p, null, seqs, false), { axis: -1 }), t, { axis: 1 }))
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
console.log(`greedy-decoded sequence accuracy: ${(sequenceAccuracy * 100).toFixed(1)}% of ${tests} held-out sequences entirely right ` +
  `(stated: at least ${cfg.target * 100}%): ${sequenceAccuracy >= cfg.target ? "reached" : "NOT reached"}`)

const plotPath = small ? "out/transformer-loss-small.svg" : "out/transformer-loss.svg"
savePlot(plotPath, "jaxfx: 2-layer transformer reversing digits, training loss", [
  { kind: "line", xs: losses.map((_, i) => i + 1), ys: losses, label: "loss (nats per answer token)" }
])
console.log(`plot written to ${plotPath}`)
