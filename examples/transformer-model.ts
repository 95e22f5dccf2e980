/**
 * The model, task and training step of examples/transformer.ts, shared with its benchmark
 * (bench/transformer.ts): a decoder-only transformer (token + learned positional embeddings,
 * pre-LayerNorm blocks of causal MultiHeadAttention and an MLP, Dropout on both residual branches,
 * a final LayerNorm and a linear head) learning to reverse a sequence of digits.
 */
import { Effect } from "effect"
import { type Array, jit, nn, np, random, valueAndGrad } from "../index.js"
import { Dropout, Embed, LayerNorm, Linear, MLP, module, MultiHeadAttention, optim, type Params, transform } from "../effects/index.js"

export interface ReversalConfig {
  /** How many digits are reversed. */
  readonly n: number
  /** The digits are 0 .. digits - 1; the separator is `digits`. */
  readonly digits: number
  /** The model width (embedding size). */
  readonly width: number
  readonly heads: number
  readonly layers: number
  readonly dropout: number
  readonly batch: number
  readonly lr: number
}

/**
 * The task, the model and a jit-compiled Adam step. A sequence is `a_1 ... a_n SEP a_n ... a_1`
 * ([2n + 1] tokens); the model reads its first 2n tokens and is scored on predicting the reversed
 * half (positions n .. 2n - 1 predict tokens n + 1 .. 2n).
 *
 * @example
 * const r = reversal({ n: 4, digits: 4, width: 32, heads: 2, layers: 2, dropout: 0.05, batch: 32, lr: 5e-3 })
 * const params = r.init(random.key(0))
 * const [state, metrics] = r.step({ params, opt: r.optimizer.init(params) }, random.key(1))
 */
export const reversal = (cfg: ReversalConfig) => {
  const SEP = cfg.digits
  const vocab = cfg.digits + 1
  const T = 2 * cfg.n

  /** A batch of whole sequences [batch, 2n + 1]: digits, SEP, the digits reversed. */
  const sequences = (key: random.PRNGKeyArray, batch: number): Array => {
    const digits = random.randint(key, [batch, cfg.n], 0, cfg.digits)
    return np.concatenate([digits, np.full([batch, 1], SEP, { dtype: "int32" }), np.flip(digits, 1)], 1)
  }

  const tokens = Embed({ vocabSize: vocab, embedDim: cfg.width, name: "tokens" })
  const positions = Embed({ vocabSize: T, embedDim: cfg.width, wInit: nn.initializers.truncatedNormal(0.02), name: "positions" })
  const blocks = globalThis.Array.from({ length: cfg.layers }, (_, i) => ({
    name: `block_${i}`,
    ln1: LayerNorm({ name: "ln_1" }),
    attention: MultiHeadAttention({ numHeads: cfg.heads, keySize: cfg.width / cfg.heads, name: "attention" }),
    ln2: LayerNorm({ name: "ln_2" }),
    mlp: MLP({ outputSizes: [4 * cfg.width, cfg.width], activation: nn.gelu, name: "mlp" }),
    dropout: Dropout({ rate: cfg.dropout })
  }))
  const finalNorm = LayerNorm({ name: "ln_final" })
  const head = Linear({ outputSize: vocab, name: "head" })

  /** Logits [B, T, vocab] for token ids [B, T]. */
  const model = transform((ids: Array, isTraining: boolean) =>
    Effect.gen(function* () {
      let h = (yield* tokens(ids)).add(yield* positions(np.arange(ids.shape[1]!)))
      for (const b of blocks) {
        h = yield* module(b.name)(
          Effect.gen(function* () {
            const a = yield* b.ln1(h)
            const attended = yield* b.attention(a, a, a, { isCausal: true })
            const h1 = h.add(yield* b.dropout(attended, { isTraining }))
            return h1.add(yield* b.dropout(yield* b.mlp(yield* b.ln2(h1)), { isTraining }))
          })
        )
      }
      return yield* head(yield* finalNorm(h))
    })
  )

  // Loss (nats per answer token) and token accuracy over the reversed half.
  const answer = np.arange(T).ge(cfg.n).astype("float32")
  const lossAndAccuracy = (params: Params, seqs: Array, key: random.PRNGKeyArray | null, isTraining: boolean): readonly [Array, Array] => {
    const inputs = seqs.index(":", np.s(0, T))
    const targets = seqs.index(":", np.s(1, T + 1))
    const logits: Array = model.apply(params, key, inputs, isTraining)
    const nll = np.sum(nn.logSoftmax(logits).mul(nn.oneHot(targets, vocab)), { axis: -1 }).neg()
    const loss = np.mean(np.sum(nll.mul(answer), { axis: -1 })).div(cfg.n)
    const correct = np.argmax(logits, { axis: -1 }).eq(targets).astype("float32")
    return [loss, np.mean(np.sum(correct.mul(answer), { axis: -1 })).div(cfg.n)]
  }

  const optimizer = optim.adam(cfg.lr)
  type TrainState = { readonly params: Params; readonly opt: ReturnType<typeof optimizer.init> }
  /** One Adam step on a fresh batch drawn from `key` (which also seeds the dropout masks). */
  const step = jit((s: TrainState, key: random.PRNGKeyArray): readonly [TrainState, { loss: Array; accuracy: Array }] => {
    const [batchKey, dropoutKey] = random.split(key)
    const seqs = sequences(batchKey, cfg.batch)
    const [[loss, accuracy], grads] = valueAndGrad((p: Params) => lossAndAccuracy(p, seqs, dropoutKey, true), { hasAux: true })(s.params)
    const [updates, opt] = optimizer.update(grads, s.opt, s.params)
    return [
      { params: optim.applyUpdates(s.params, updates) as Params, opt },
      { loss, accuracy }
    ]
  })

  const init = (key: random.PRNGKeyArray): Params => model.init(key, sequences(key, 2).index(":", np.s(0, T)), true)
  return { SEP, vocab, T, sequences, model, lossAndAccuracy, optimizer, step, init }
}
