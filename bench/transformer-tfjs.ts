/**
 * The transformer step of bench/transformer.ts written in TensorFlow.js (tfjs-core ops, its
 * gradients and tf.train.adam), for the side-by-side rows: the same model (token + positional
 * embeddings, pre-LayerNorm blocks of causal 4-head attention with biased q/k/v/output
 * projections and a GELU MLP of width 4d, dropout on both residual branches, a final LayerNorm and
 * a linear head), the same task (reversing n digits; the batch drawn inside the step) and the same
 * loss (cross entropy over the reversed half). tfjs has no jit: each step runs its ops eagerly.
 * The token embedding is a one-hot product (tfjs-backend-wasm lacks gather's gradient kernel).
 */
import { tf, withGradients } from "./tfjs.js"

export interface TfjsTransformerConfig {
  readonly n: number
  readonly digits: number
  readonly width: number
  readonly heads: number
  readonly layers: number
  readonly dropout: number
  readonly batch: number
  readonly lr: number
}

const gelu = (x: tf.Tensor): tf.Tensor => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))))

const layerNorm = (x: tf.Tensor, scale: tf.Variable, offset: tf.Variable): tf.Tensor => {
  const { mean, variance } = tf.moments(x, -1, true)
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), scale), offset)
}

/** A training step function (returns the loss) on `backend`, with its parameters and Adam state. */
export const tfjsTransformer = async (backend: "cpu" | "wasm", cfg: TfjsTransformerConfig): Promise<() => Promise<number>> => {
  await withGradients()
  await tf.setBackend(backend)
  await tf.ready()
  const d = cfg.width
  const T = 2 * cfg.n
  const vocab = cfg.digits + 1
  const dk = d / cfg.heads
  const vars: tf.Variable[] = []
  const param = (shape: number[], std: number): tf.Variable => {
    const v = tf.variable(std === 0 ? tf.zeros(shape) : tf.truncatedNormal(shape, 0, std))
    vars.push(v)
    return v
  }
  const ones = (shape: number[]): tf.Variable => {
    const v = tf.variable(tf.ones(shape))
    vars.push(v)
    return v
  }
  const linear = (i: number, o: number) => ({ w: param([i, o], 1 / Math.sqrt(i)), b: param([o], 0) })
  const apply = (l: { w: tf.Variable; b: tf.Variable }, x: tf.Tensor): tf.Tensor => {
    const s = x.shape
    return tf.reshape(tf.add(tf.matMul(tf.reshape(x, [-1, s[s.length - 1]!]), l.w), l.b), [...s.slice(0, -1), l.w.shape[1]!])
  }
  const tokens = param([vocab, d], 1)
  const positions = param([T, d], 0.02)
  const blocks = Array.from({ length: cfg.layers }, () => ({
    ln1: { s: ones([d]), o: param([d], 0) },
    q: linear(d, d),
    k: linear(d, d),
    v: linear(d, d),
    out: linear(d, d),
    ln2: { s: ones([d]), o: param([d], 0) },
    fc1: linear(d, 4 * d),
    fc2: linear(4 * d, d)
  }))
  const lnF = { s: ones([d]), o: param([d], 0) }
  const head = linear(d, vocab)
  const causal = tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), -1e9)
  const answer = tf.cast(tf.greaterEqual(tf.range(0, T), cfg.n), "float32")
  const optimizer = tf.train.adam(cfg.lr)
  const heads = (x: tf.Tensor): tf.Tensor => tf.transpose(tf.reshape(x, [cfg.batch, T, cfg.heads, dk]), [0, 2, 1, 3])

  return async () => {
    // Interleaved with the other tfjs backend: this model's variables live on `backend`.
    await tf.setBackend(backend)
    const loss = tf.tidy(() => {
      const digits = tf.randomUniformInt([cfg.batch, cfg.n], 0, cfg.digits)
      const seqs = tf.concat([digits, tf.fill([cfg.batch, 1], cfg.digits, "int32"), tf.reverse(digits, 1)], 1)
      const inputs = tf.slice(seqs, [0, 0], [cfg.batch, T])
      const targets = tf.slice(seqs, [0, 1], [cfg.batch, T])
      return optimizer.minimize(
        () => {
          // The embedding as a one-hot product: the wasm backend has no UnsortedSegmentSum for gather's gradient.
          let h = tf.add(tf.reshape(tf.matMul(tf.reshape(tf.oneHot(inputs, vocab), [-1, vocab]), tokens), [cfg.batch, T, d]), positions)
          for (const b of blocks) {
            const a = layerNorm(h, b.ln1.s, b.ln1.o)
            const scores = tf.add(tf.div(tf.matMul(heads(apply(b.q, a)), heads(apply(b.k, a)), false, true), Math.sqrt(dk)), causal)
            const att = tf.reshape(tf.transpose(tf.matMul(tf.softmax(scores), heads(apply(b.v, a))), [0, 2, 1, 3]), [cfg.batch, T, d])
            h = tf.add(h, tf.dropout(apply(b.out, att), cfg.dropout))
            h = tf.add(h, tf.dropout(apply(b.fc2, gelu(apply(b.fc1, layerNorm(h, b.ln2.s, b.ln2.o)))), cfg.dropout))
          }
          const logits = apply(head, layerNorm(h, lnF.s, lnF.o))
          const nll = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(targets, vocab)), -1))
          return tf.div(tf.mean(tf.sum(tf.mul(nll, answer), -1)), cfg.n) as tf.Scalar
        },
        true,
        vars
      )!
    })
    const value = (await loss.data())[0]!
    loss.dispose()
    return value
  }
}
