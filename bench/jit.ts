/**
 * jit benchmarks (issue 3), each measured side by side with its peers in the same run:
 *
 * 1. `selu` on 1e6 float32: jaxfx eager vs jaxfx jit vs the built-in `nn.selu` vs @jax-js/jax jit.
 * 2. The seed's linear regression (100 points, 1000 jit-compiled update steps): jaxfx, @jax-js/jax,
 *    TensorFlow.js (tfjs-core + the pure-JS CPU backend, eager with its gradient tape).
 * 3. An MLP training step (784-512-512-10, relu, softmax cross-entropy, batch 128, grad + SGD):
 *    steps per second for the three.
 * 4. Tracing + compiling a 100-equation program in jaxfx (cold cache, fresh function each time).
 *
 * Every timed region ends with the result forced (`blockUntilReady` / `data()` / `dataSync()`);
 * every library is warmed up first; times are medians. Data and initial parameters come from one
 * seeded host PRNG and are shared by all libraries. `JIT_BENCH_ONLY=selu|linreg|mlp|trace` runs one
 * section of this file (progress goes to stderr).
 */
import { createRequire } from "node:module"
import * as jaxjs from "@jax-js/jax"
import * as tf from "@tensorflow/tfjs-core"
import "@tensorflow/tfjs-backend-cpu"
import { type Array, grad, jit, makeJaxpr, nn, np, valueAndGrad } from "../index.js"
import { type Row, time, timeAsync } from "./harness.js"
import { mulberry32 as prng } from "../laws/host-random.js"

type JArray = jaxjs.Array
const jnp = jaxjs.numpy

// --- shared host data -------------------------------------------------------------------------

const normals = (rand: () => number, n: number): Float32Array => {
  const out = new Float32Array(n)
  for (let i = 0; i < n; i += 2) {
    const u = 1 - rand()
    const v = rand()
    const r = Math.sqrt(-2 * Math.log(u))
    out[i] = r * Math.cos(2 * Math.PI * v)
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v)
  }
  return out
}

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

const fmt = (x: number, digits = 2): string => x.toFixed(digits)

/**
 * Time several contenders in interleaved rounds (one run of each per round, after `warmup` runs of
 * each) and return each one's median ms. Interleaving keeps a load change on this shared machine
 * from landing on one library only, so the ratios of one run stay meaningful. Rounds continue
 * past `minRounds` until `budgetMs` is spent or `maxRounds` is reached.
 */
const interleaved = async <K extends string>(
  fns: Readonly<Record<K, () => Promise<void> | void>>,
  opts: { readonly warmup: number; readonly minRounds: number; readonly maxRounds: number; readonly budgetMs: number }
): Promise<{ readonly ms: Record<K, number>; readonly rounds: number }> => {
  const keys = Object.keys(fns) as K[]
  for (let i = 0; i < opts.warmup; i++) for (const k of keys) await fns[k]()
  const ts = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>
  const start = performance.now()
  let rounds = 0
  while (rounds < opts.maxRounds && (rounds < opts.minRounds || performance.now() - start < opts.budgetMs)) {
    for (const k of keys) {
      const t0 = performance.now()
      await fns[k]()
      ts[k].push(performance.now() - t0)
    }
    rounds++
  }
  const ms = Object.fromEntries(keys.map((k) => [k, median(ts[k])])) as Record<K, number>
  return { ms, rounds }
}

const initTf = async (): Promise<void> => {
  // tfjs-core's Node bundle registers no gradients (the @tensorflow/tfjs union package does that);
  // its ES-module build has them, in a registry shared through globalThis. That build uses
  // extensionless imports, which only CommonJS resolution (through tsx) accepts, hence require.
  createRequire(import.meta.url)("@tensorflow/tfjs-core/dist/register_all_gradients")
  tf.enableProdMode() // no debug checks, and silences the "install tfjs-node" banner
  await tf.setBackend("cpu")
  await tf.ready()
}

const initJaxjs = async (): Promise<void> => {
  await jaxjs.init("wasm")
  jaxjs.defaultDevice("wasm")
}

// --- 1. selu --------------------------------------------------------------------------------

const seluBench = async (rows: Row[]): Promise<void> => {
  const bench = "selu 1e6 f32"
  const alpha = 1.67
  const lmbda = 1.05
  const n = 1_000_000
  const host = new Float32Array(n)
  for (let i = 0; i < n; i++) host[i] = Math.fround(i * 1e-5 - 5)

  const selu = (x: Array): Array => np.where(x.gt(0), x, np.exp(x).mul(alpha).sub(alpha)).mul(lmbda)
  const seluJit = jit(selu)
  const seluJs = jaxjs.jit((x: JArray): JArray => jnp.where(x.ref.greater(0), x.ref, jnp.exp(x).mul(alpha).sub(alpha)).mul(lmbda))
  const x = np.asarray(host)
  const jx = jnp.array(host)
  const { ms } = await interleaved(
    {
      eager: () => void selu(x).blockUntilReady(),
      jit: () => void seluJit(x).blockUntilReady(),
      nnSelu: () => void nn.selu(x).blockUntilReady(),
      js: async () => {
        const y = seluJs(jx.ref)
        await y.blockUntilReady()
        y.dispose()
      }
    },
    { warmup: 3, minRounds: 15, maxRounds: 40, budgetMs: 2000 }
  )
  const tEager = ms.eager
  const tJit = ms.jit
  const tJs = ms.js
  const ref = selu(x).data() as Float32Array
  const got = seluJit(x).data() as Float32Array
  const jsOut = await seluJs(jx.ref).data()
  seluJs.dispose()
  jx.dispose()

  let maxDiffJit = 0
  let maxDiffJs = 0
  for (let i = 0; i < n; i++) {
    maxDiffJit = Math.max(maxDiffJit, Math.abs(got[i]! - ref[i]!))
    maxDiffJs = Math.max(maxDiffJs, Math.abs(jsOut[i]! - ref[i]!))
  }
  rows.push({ bench, what: "jaxfx eager ms", value: fmt(tEager, 3) })
  rows.push({ bench, what: "jaxfx jit ms", value: fmt(tJit, 3) })
  rows.push({ bench, what: "jaxfx nn.selu (built-in, eager call) ms", value: fmt(ms.nnSelu, 3) })
  rows.push({ bench, what: "@jax-js/jax jit (wasm) ms", value: fmt(tJs, 3) })
  rows.push({ bench, what: "jaxfx eager / jaxfx jit", value: fmt(tEager / tJit) })
  rows.push({ bench, what: "@jax-js/jax jit / jaxfx jit", value: fmt(tJs / tJit) })
  rows.push({ bench, what: "max |jit - eager|, |jax-js - eager|", value: `${maxDiffJit.toExponential(1)}, ${maxDiffJs.toExponential(1)}` })
}

// --- 2. linear regression ------------------------------------------------------------------

const linregBench = async (rows: Row[]): Promise<void> => {
  const bench = "linreg 1000 steps"
  const steps = 1000
  const lr = 0.1
  const rand = prng(42)
  const xs = normals(rand, 100)
  const noise = normals(rand, 100)
  const ys = new Float32Array(100)
  for (let i = 0; i < 100; i++) ys[i] = 3 * xs[i]! - 1 + 0.1 * noise[i]!
  const theta0 = new Float32Array([1, 1])

  // jaxfx: jit of the whole update
  const model = (theta: Array, x: Array): Array => theta.index(0).mul(x).add(theta.index(1))
  const loss = (theta: Array, x: Array, y: Array): Array => np.mean(np.square(model(theta, x).sub(y)))
  const update = jit((theta: Array, x: Array, y: Array): Array => theta.sub(grad(loss)(theta, x, y).mul(lr)))
  const fx = np.asarray(xs)
  const fy = np.asarray(ys)
  let fxTheta = np.asarray(theta0)
  const runFx = (): void => {
    let theta = np.asarray(theta0)
    for (let i = 0; i < steps; i++) theta = update(theta, fx, fy)
    fxTheta = theta.blockUntilReady()
  }

  // @jax-js/jax: jit of the whole update; arguments are owned, so pass .ref to keep x, y alive
  const jloss = (theta: JArray, x: JArray, y: JArray): JArray => {
    const pred = theta.ref.slice(0).mul(x).add(theta.slice(1))
    return jnp.square(pred.sub(y)).mean()
  }
  const jupdate = jaxjs.jit((theta: JArray, x: JArray, y: JArray): JArray => theta.ref.sub(jaxjs.grad(jloss)(theta, x, y).mul(lr)))
  const jx = jnp.array(xs)
  const jy = jnp.array(ys)
  let jsTheta: ArrayLike<number> = [NaN, NaN]
  // jax-js defers work: an unforced chain of 1000 calls costs it superlinearly, so it is timed
  // both as the plain loop (forced once at the end) and forced after every step.
  const runJs = (forceEvery: number) => async (): Promise<void> => {
    let theta = jnp.array(theta0)
    for (let i = 0; i < steps; i++) {
      theta = jupdate(theta, jx.ref, jy.ref)
      if ((i + 1) % forceEvery === 0) await theta.blockUntilReady()
    }
    jsTheta = await theta.data()
  }

  // TensorFlow.js (CPU backend): no jit; tf.grad with its tape, each step in tf.tidy
  const tx = tf.tensor1d(xs)
  const ty = tf.tensor1d(ys)
  const tloss = (theta: tf.Tensor): tf.Scalar => {
    const [w, b] = tf.unstack(theta)
    return tf.mean(tf.square(tf.sub(tf.add(tf.mul(w!, tx), b!), ty)))
  }
  const tgrad = tf.grad(tloss)
  let tfTheta: ArrayLike<number> = [NaN, NaN]
  const runTf = (): void => {
    let theta: tf.Tensor = tf.tensor1d(theta0)
    for (let i = 0; i < steps; i++) {
      const next = tf.tidy(() => tf.sub(theta, tf.mul(tgrad(theta), lr)))
      theta.dispose()
      theta = next
    }
    tfTheta = theta.dataSync()
    theta.dispose()
  }

  const { ms } = await interleaved({ fx: runFx, jsEnd: runJs(steps), jsEach: runJs(1), tf: runTf }, { warmup: 1, minRounds: 5, maxRounds: 9, budgetMs: 4000 })
  const tFx = ms.fx
  const tJsEnd = ms.jsEnd
  const tJsEach = ms.jsEach
  const tJs = Math.min(tJsEnd, tJsEach)
  const tTf = ms.tf
  jupdate.dispose()
  jx.dispose()
  jy.dispose()
  tx.dispose()
  ty.dispose()

  const wb = (t: ArrayLike<number>): string => `w=${fmt(t[0]!, 4)} b=${fmt(t[1]!, 4)}`
  const fxData = fxTheta.data() as Float32Array
  rows.push({ bench, what: "jaxfx jit ms", value: fmt(tFx) })
  rows.push({ bench, what: "@jax-js/jax jit (wasm), forced at end ms", value: fmt(tJsEnd) })
  rows.push({ bench, what: "@jax-js/jax jit (wasm), forced every step ms", value: fmt(tJsEach) })
  rows.push({ bench, what: "TF.js cpu (eager tape) ms", value: fmt(tTf) })
  rows.push({ bench, what: "@jax-js/jax (faster variant) / jaxfx", value: fmt(tJs / tFx) })
  rows.push({ bench, what: "TF.js / jaxfx", value: fmt(tTf / tFx) })
  rows.push({ bench, what: "jaxfx result", value: wb(fxData) })
  rows.push({ bench, what: "@jax-js/jax result", value: wb(jsTheta) })
  rows.push({ bench, what: "TF.js result", value: wb(tfTheta) })
}

// --- 3. MLP training step ------------------------------------------------------------------

const sizes = [784, 512, 512, 10] as const
const batch = 128
const mlpLr = 0.01

interface HostMlp {
  readonly ws: ReadonlyArray<Float32Array>
  readonly bs: ReadonlyArray<Float32Array>
  readonly x: Float32Array
  readonly labels: Int32Array
  readonly onehot: Float32Array
}

const mlpHost = (): HostMlp => {
  const rand = prng(7)
  const ws: Float32Array[] = []
  const bs: Float32Array[] = []
  for (let l = 0; l < 3; l++) {
    const fanIn = sizes[l]!
    const w = normals(rand, fanIn * sizes[l + 1]!)
    const scale = Math.sqrt(2 / fanIn)
    for (let i = 0; i < w.length; i++) w[i] = w[i]! * scale
    ws.push(w)
    bs.push(new Float32Array(sizes[l + 1]!))
  }
  const x = new Float32Array(batch * sizes[0])
  for (let i = 0; i < x.length; i++) x[i] = rand()
  const labels = new Int32Array(batch)
  const onehot = new Float32Array(batch * 10)
  for (let i = 0; i < batch; i++) {
    labels[i] = Math.floor(rand() * 10)
    onehot[i * 10 + labels[i]!] = 1
  }
  return { ws, bs, x, labels, onehot }
}

const mlpBench = async (rows: Row[]): Promise<void> => {
  const bench = "MLP 784-512-512-10 b128"
  const h = mlpHost()

  // jaxfx: whole step (valueAndGrad + SGD) under jit; the new parameters and the loss are forced each step
  type Params = { readonly ws: ReadonlyArray<Array>; readonly bs: ReadonlyArray<Array> }
  const fxLoss = (p: Params, x: Array, y: Array): Array => {
    let a = x
    for (let l = 0; l < 3; l++) {
      const z = np.matmul(a, p.ws[l]!).add(p.bs[l]!)
      a = l < 2 ? nn.relu(z) : z
    }
    return np.mean(np.sum(nn.logSoftmax(a).mul(y), { axis: -1 })).neg()
  }
  const fxStep = jit((p: Params, x: Array, y: Array): [Params, Array] => {
    const [l, g] = valueAndGrad(fxLoss)(p, x, y)
    return [{ ws: p.ws.map((w, i) => w.sub(g.ws[i]!.mul(mlpLr))), bs: p.bs.map((b, i) => b.sub(g.bs[i]!.mul(mlpLr))) }, l]
  })
  const fxX = np.asarray(h.x).reshape([batch, sizes[0]])
  const fxY = np.asarray(h.onehot).reshape([batch, 10])
  let fxP: Params = {
    ws: h.ws.map((w, l) => np.asarray(w).reshape([sizes[l]!, sizes[l + 1]!])),
    bs: h.bs.map((b) => np.asarray(b))
  }
  const fxLosses: number[] = []
  const fxRun = (): void => {
    const [p, l] = fxStep(fxP, fxX, fxY)
    fxP = p
    for (const a of [...p.ws, ...p.bs]) a.blockUntilReady()
    fxLosses.push(l.item())
  }

  // @jax-js/jax: whole step under jit
  type JParams = { ws: JArray[]; bs: JArray[] }
  const jsLoss = (p: JParams, x: JArray, y: JArray): JArray => {
    let a = x
    for (let l = 0; l < 3; l++) {
      const z = jnp.matmul(a, p.ws[l]!).add(p.bs[l]!)
      a = l < 2 ? jaxjs.nn.relu(z) : z
    }
    return jaxjs.nn.logSoftmax(a, -1).mul(y).sum(-1).mean().neg()
  }
  const jsStep = jaxjs.jit((p: JParams, x: JArray, y: JArray): [JParams, JArray] => {
    const keep: JParams = { ws: p.ws.map((w) => w.ref), bs: p.bs.map((b) => b.ref) }
    const [l, g] = jaxjs.valueAndGrad(jsLoss)(p, x, y)
    return [{ ws: keep.ws.map((w, i) => w.sub(g.ws[i]!.mul(mlpLr))), bs: keep.bs.map((b, i) => b.sub(g.bs[i]!.mul(mlpLr))) }, l]
  })
  const jsX = jnp.array(h.x).reshape([batch, sizes[0]])
  const jsY = jnp.array(h.onehot).reshape([batch, 10])
  let jsP: JParams = {
    ws: h.ws.map((w, l) => jnp.array(w).reshape([sizes[l]!, sizes[l + 1]!])),
    bs: h.bs.map((b) => jnp.array(b))
  }
  const jsLosses: number[] = []
  let jsErr: string | undefined
  const jsRun = async (): Promise<void> => {
    if (jsErr !== undefined) return
    try {
      const [p, l] = jsStep(jsP, jsX.ref, jsY.ref)
      jsP = p
      await jaxjs.blockUntilReady(p) // force the new parameters too, not only the loss
      jsLosses.push((await l.data())[0]!)
    } catch (e) {
      jsErr = e instanceof Error ? e.message.split("\n")[0]! : String(e)
    }
  }

  // TensorFlow.js: eager, tf.variableGrads on tf.Variables, SGD by assign, inside tf.tidy
  const tfWs = h.ws.map((w, l) => tf.variable(tf.tensor2d(w, [sizes[l]!, sizes[l + 1]!])))
  const tfBs = h.bs.map((b) => tf.variable(tf.tensor1d(b)))
  const tfX = tf.tensor2d(h.x, [batch, sizes[0]])
  const tfY = tf.tensor2d(h.onehot, [batch, 10])
  const tfLossFn = (): tf.Scalar => {
    let a: tf.Tensor = tfX
    for (let l = 0; l < 3; l++) {
      const z = tf.add(tf.matMul(a, tfWs[l]!), tfBs[l]!)
      a = l < 2 ? tf.relu(z) : z
    }
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(a, -1), tfY), -1))) as tf.Scalar
  }
  const tfLosses: number[] = []
  const tfRun = (): void => {
    const l = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(tfLossFn)
      for (const v of [...tfWs, ...tfBs]) v.assign(tf.sub(v, tf.mul(grads[v.name]!, mlpLr)))
      return value
    })
    tfLosses.push(l.dataSync()[0]!)
    l.dispose()
  }

  // One step of each library per round, so all take the same steps from the same start.
  const { ms, rounds } = await interleaved({ fx: fxRun, js: jsRun, tf: tfRun }, { warmup: 2, minRounds: 5, maxRounds: 12, budgetMs: 8000 })
  jsStep.dispose()
  for (const a of [...jsP.ws, ...jsP.bs, jsX, jsY]) a.dispose()
  for (const v of [...tfWs, ...tfBs, tfX, tfY]) v.dispose()

  rows.push({ bench, what: "jaxfx jit steps/s", value: fmt(1000 / ms.fx) })
  rows.push({ bench, what: "@jax-js/jax jit (wasm) steps/s", value: jsErr === undefined ? fmt(1000 / ms.js) : `cannot: ${jsErr}` })
  rows.push({ bench, what: "TF.js cpu (eager tape) steps/s", value: fmt(1000 / ms.tf) })
  if (jsErr === undefined) rows.push({ bench, what: "jaxfx / @jax-js/jax (steps/s)", value: fmt(ms.js / ms.fx) })
  rows.push({ bench, what: "jaxfx / TF.js (steps/s)", value: fmt(ms.tf / ms.fx) })
  const last = fxLosses.length
  const lossAt = (ls: ReadonlyArray<number>, i: number): string => (ls.length >= i ? fmt(ls[i - 1]!, 5) : "-")
  rows.push({ bench, what: "steps (2 warm-up + timed)", value: String(2 + rounds) })
  rows.push({ bench, what: "loss at step 1 (jaxfx, jax-js, TF.js)", value: [fxLosses, jsLosses, tfLosses].map((ls) => lossAt(ls, 1)).join(", ") })
  rows.push({ bench, what: `loss at step ${last} (jaxfx, jax-js, TF.js)`, value: [fxLosses, jsLosses, tfLosses].map((ls) => lossAt(ls, last)).join(", ") })
}

// --- 4. trace + compile of a 100-equation program -------------------------------------------

const traceCompileBench = async (rows: Row[]): Promise<void> => {
  const bench = "trace+compile 100 eqns"
  const n = 64
  const host = new Float32Array(n)
  for (let i = 0; i < n; i++) host[i] = -1 + (2 * i) / (n - 1)
  const x = np.asarray(host)
  const links = 20 // 5 equations each: mul, tanh, reduce_sum, div, sub
  /** A fresh function per call: 100 dependent ops (elementwise + reductions), with its own constants. */
  const makeChain =
    (k: number) =>
    (x: Array): Array => {
      let y = x
      for (let i = 0; i < links; i++) {
        y = np.tanh(y.mul(1 + (k * 100 + i) * 1e-6))
        y = y.sub(np.mean(y))
      }
      return y
    }
  const eqns = makeJaxpr(makeChain(0))(x).jaxpr.eqns.length
  const reps = 9
  const firsts: number[] = []
  const seconds: number[] = []
  const warms: number[] = []
  for (let k = 1; k <= reps; k++) {
    const f = jit(makeChain(k))
    let t0 = performance.now()
    f(x).blockUntilReady()
    firsts.push(performance.now() - t0)
    t0 = performance.now()
    f(x).blockUntilReady()
    seconds.push(performance.now() - t0) // shows it if compilation were deferred to a later call
    warms.push(time(() => void f(x).blockUntilReady(), { reps: 5, warmup: 1 }))
  }
  const diffs = firsts.map((t, i) => t - warms[i]!)

  // @jax-js/jax: the same chain (owned arguments: y is used twice per link, hence y.ref)
  const makeJsChain =
    (k: number) =>
    (x: JArray): JArray => {
      let y = x
      for (let i = 0; i < links; i++) {
        y = jnp.tanh(y.mul(1 + (k * 100 + i) * 1e-6))
        y = y.ref.sub(y.mean())
      }
      return y
    }
  const jx = jnp.array(host)
  const jsDiffs: number[] = []
  for (let k = 1; k <= reps; k++) {
    const f = jaxjs.jit(makeJsChain(k))
    const t0 = performance.now()
    await f(jx.ref).data()
    const first = performance.now() - t0
    const warm = await timeAsync(async () => void (await f(jx.ref).data()), { reps: 5, warmup: 1 })
    jsDiffs.push(first - warm)
    f.dispose()
  }
  jx.dispose()

  rows.push({ bench, what: "equations in the jaxfx program", value: String(eqns) })
  rows.push({ bench, what: `jaxfx first call ms (median of ${reps})`, value: fmt(median(firsts), 3) })
  rows.push({ bench, what: "jaxfx second call ms (median)", value: fmt(median(seconds), 3) })
  rows.push({ bench, what: "jaxfx warm call ms (median)", value: fmt(median(warms), 3) })
  rows.push({ bench, what: "jaxfx trace+compile ms (first - warm)", value: fmt(median(diffs), 3) })
  rows.push({ bench, what: "@jax-js/jax trace+compile ms (first - warm)", value: fmt(median(jsDiffs), 3) })
}

export const jitBench = async (): Promise<Row[]> => {
  await initJaxjs()
  await initTf()
  const rows: Row[] = []
  const only = process.env["JIT_BENCH_ONLY"]
  const sections: ReadonlyArray<readonly [string, (rows: Row[]) => Promise<void> | void]> = [
    ["selu", seluBench],
    ["linreg", linregBench],
    ["mlp", mlpBench],
    ["trace", traceCompileBench]
  ]
  for (const [name, run] of sections) {
    if (only !== undefined && only !== name) continue
    const t0 = performance.now()
    try {
      await run(rows)
    } catch (e) {
      // A failure is a row of the table, not a missing benchmark.
      rows.push({ bench: name, what: "FAILED", value: e instanceof Error ? `${e.name}: ${e.message.split("\n")[0]!}` : String(e) })
    }
    console.error(`(bench/jit ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`)
  }
  return rows
}
