/**
 * The transformer step of bench/transformer.ts written in @jax-js/jax (its wasm backend), for the
 * side-by-side rows: the same model (token + positional embeddings, pre-LayerNorm blocks of causal
 * 4-head attention with biased q/k/v/output projections and a GELU MLP of width 4d, dropout on both
 * residual branches, a final LayerNorm and a linear head), the same task (reversing n digits; the
 * batch drawn inside the step) and the same loss (cross entropy over the reversed half), one
 * jit-compiled step with Adam. jax-js has what this needs (`nn.standardize`, `nn.gelu`,
 * `nn.softmax`, `nn.logSoftmax`, `random.bernoulli`/`randint`, grad and jit). Its
 * `nn.dotProductAttention` (with `isCausal`) fails on Node 20 (its einsum calls iterator helpers,
 * `Iterator.prototype.map`, which need Node 22), so attention is written out with matmul and
 * softmax, as in the tfjs version. It has no optimizers (optax is a separate package): Adam is
 * written out here.
 * jax-js arrays are reference counted with move semantics, also under jit: every value read twice
 * is taken with `.ref` before its last read.
 */
import * as jx from "@jax-js/jax"

export interface JaxjsTransformerConfig {
  readonly n: number
  readonly digits: number
  readonly width: number
  readonly heads: number
  readonly layers: number
  readonly dropout: number
  readonly batch: number
  readonly lr: number
}

type Params = Record<string, jx.Array>

const np = jx.numpy

/** A training step function (returns the loss) with its parameters and Adam state. */
export const jaxjsTransformer = async (cfg: JaxjsTransformerConfig): Promise<() => Promise<number>> => {
  await jx.init("wasm")
  jx.defaultDevice("wasm")
  const d = cfg.width
  const T = 2 * cfg.n
  const vocab = cfg.digits + 1
  const dk = d / cfg.heads
  const B = cfg.batch
  const keep = 1 - cfg.dropout

  // Parameters: a flat record, each read once per forward pass.
  const shapes: Record<string, { shape: number[]; std: number | "ones" }> = {
    tokens: { shape: [vocab, d], std: 1 },
    positions: { shape: [T, d], std: 0.02 }
  }
  const linear = (name: string, i: number, o: number): void => {
    shapes[`${name}.w`] = { shape: [i, o], std: 1 / Math.sqrt(i) }
    shapes[`${name}.b`] = { shape: [o], std: 0 }
  }
  const norm = (name: string): void => {
    shapes[`${name}.s`] = { shape: [d], std: "ones" }
    shapes[`${name}.o`] = { shape: [d], std: 0 }
  }
  for (let l = 0; l < cfg.layers; l++) {
    norm(`b${l}.ln1`)
    for (const w of ["q", "k", "v", "out"]) linear(`b${l}.${w}`, d, d)
    norm(`b${l}.ln2`)
    linear(`b${l}.fc1`, d, 4 * d)
    linear(`b${l}.fc2`, 4 * d, d)
  }
  norm("lnF")
  linear("head", d, vocab)
  const names = Object.keys(shapes)
  let params: Params = {}
  const keys = jx.random.split(jx.random.key(0), names.length)
  names.forEach((name, i) => {
    const { shape, std } = shapes[name]!
    const k = keys.ref.slice(i)
    if (std === "ones") params[name] = np.ones(shape)
    else if (std === 0) params[name] = np.zeros(shape)
    else params[name] = jx.random.normal(k, shape).mul(std)
  })
  keys.dispose()
  let m: Params = Object.fromEntries(names.map((n) => [n, np.zeros(shapes[n]!.shape)]))
  let v: Params = Object.fromEntries(names.map((n) => [n, np.zeros(shapes[n]!.shape)]))

  const apply = (p: Params, name: string, x: jx.Array): jx.Array => np.matmul(x, p[`${name}.w`]!).add(p[`${name}.b`]!)
  const layerNorm = (p: Params, name: string, x: jx.Array): jx.Array => jx.nn.standardize(x, -1, { epsilon: 1e-5 }).mul(p[`${name}.s`]!).add(p[`${name}.o`]!)
  const dropout = (key: jx.Array, x: jx.Array): jx.Array => np.where(jx.random.bernoulli(key, keep, x.shape), x.div(keep), 0)
  const heads = (x: jx.Array): jx.Array => np.transpose(x.reshape([B, T, cfg.heads, dk]), [0, 2, 1, 3])
  /** Causal attention over [B, heads, T, dk]: masked scores, softmax, weighted values. */
  const attention = (q: jx.Array, k: jx.Array, v: jx.Array): jx.Array => {
    const scores = np.matmul(q, np.transpose(k, [0, 1, 3, 2])).div(Math.sqrt(dk))
    const causal = np.tril(np.ones([T, T])).greaterEqual(0.5)
    const weights = jx.nn.softmax(np.where(causal, scores, -1e9), -1)
    return np.transpose(np.matmul(weights, v), [0, 2, 1, 3]).reshape([B, T, d])
  }

  const loss = (p: Params, seqs: jx.Array, key: jx.Array): jx.Array => {
    const dropKeys = jx.random.split(key, 2 * cfg.layers)
    const inputs = seqs.ref.slice([], [0, T])
    const targets = seqs.slice([], [1, T + 1])
    let h = np.matmul(jx.nn.oneHot(inputs, vocab).astype(np.float32), p.tokens!).add(p.positions!)
    for (let l = 0; l < cfg.layers; l++) {
      const a = layerNorm(p, `b${l}.ln1`, h.ref)
      const q = heads(apply(p, `b${l}.q`, a.ref))
      const k = heads(apply(p, `b${l}.k`, a.ref))
      const val = heads(apply(p, `b${l}.v`, a))
      const att = attention(q, k, val)
      h = h.add(dropout(dropKeys.ref.slice(2 * l), apply(p, `b${l}.out`, att)))
      const mlp = apply(p, `b${l}.fc2`, jx.nn.gelu(apply(p, `b${l}.fc1`, layerNorm(p, `b${l}.ln2`, h.ref)), { approximate: true }))
      h = h.add(dropout(dropKeys.ref.slice(2 * l + 1), mlp))
    }
    dropKeys.dispose()
    const logits = apply(p, "head", layerNorm(p, "lnF", h))
    const nll = np.sum(jx.nn.logSoftmax(logits, -1).mul(jx.nn.oneHot(targets, vocab).astype(np.float32)), -1).mul(-1)
    const answer = np.arange(T).greaterEqual(cfg.n).astype(np.float32)
    return np.mean(np.sum(nll.mul(answer), -1)).div(cfg.n)
  }
  const step = jx.jit((p: Params, m: Params, v: Params, key: jx.Array, c1: jx.Array, c2: jx.Array) => {
    const ks = jx.random.split(key, 2)
    const digits = jx.random.randint(ks.ref.slice(0), { minval: 0, maxval: cfg.digits, shape: [B, cfg.n] })
    const seqs = np.concatenate([digits.ref, np.full([B, 1], cfg.digits, { dtype: np.int32 }), np.flip(digits, 1)], 1)
    const [value, g] = jx.valueAndGrad((p: Params) => loss(p, seqs, ks.slice(1)))(jx.tree.ref(p)) as [jx.Array, Params]
    const [b1, b2, eps] = [0.9, 0.999, 1e-8]
    const np2: Params = {}
    const nm: Params = {}
    const nv: Params = {}
    for (const name of names) {
      const gi = g[name]!
      const mi = m[name]!.mul(b1).add(gi.ref.mul(1 - b1))
      const vi = v[name]!.mul(b2).add(gi.ref.mul(gi).mul(1 - b2))
      const upd = mi.ref
        .div(c1.ref)
        .div(np.sqrt(vi.ref.div(c2.ref)).add(eps))
        .mul(cfg.lr)
      np2[name] = p[name]!.sub(upd)
      nm[name] = mi
      nv[name] = vi
    }
    c1.dispose()
    c2.dispose()
    return [np2, nm, nv, value] as const
  })
  let t = 0
  return async () => {
    t++
    const c1 = np.array(1 - 0.9 ** t)
    const c2 = np.array(1 - 0.999 ** t)
    const [p2, m2, v2, value] = step(params, m, v, jx.random.key(1000 + t), c1, c2) as unknown as [Params, Params, Params, jx.Array]
    params = p2
    m = m2
    v = v2
    return (await value.data())[0]!
  }
}
