/**
 * Convolution benchmark (issue 14): one conv2d forward + backward (the loss sum(conv(x, w)) and
 * its gradients with respect to the input and the kernel) for a batch of 32 28x28x32 images and a
 * 3x3x32 -> 64 kernel, "SAME" padding, float32, in one run (bench/side-by-side.ts: interleaved
 * rounds, medians, wall clock, slow peers bounded): jaxfx (jit, NHWC/HWIO and NCHW/OIHW) against
 * TensorFlow.js's cpu and wasm backends (NHWC) and @jax-js/jax (wasm, NCHW, its only layout).
 * Every library computes the same three results; each timing forces them to memory. Also, with
 * and without jit's conv and dot epilogue fusion (backends/cpu/compile/conv-epilogue.ts): the forward
 * relu(conv + bias) at the same size, and the train step of examples/cnn.ts's LeNet (batch 32).
 * Standalone: `npx tsx bench/run.ts conv`.
 */
import * as jaxjs from "@jax-js/jax"
import * as tf from "@tensorflow/tfjs-core"
import "@tensorflow/tfjs-backend-cpu"
import "@tensorflow/tfjs-backend-wasm"
import { type Array, jit, lax, nn, np, random, valueAndGrad } from "../index.js"
import { convEpiloguePolicy } from "../backends/cpu/compile/conv-epilogue.js"
import { type Row } from "./harness.js"
import { lenet } from "../examples/cnn-model.js"
import { type Contender, load, sideBySide, type Timed } from "./side-by-side.js"

const B = 32
const H = 28
const C = 32
const O = 64
const K = 3
/** The smaller variant of the slow peers: batch 2, timed x 16. */
const SMALL = 2

/**
 * tfjs's Conv2D gradient, run as its kernels (tfjs-core's bundle registers no gradients): forward,
 * then backprop to input and filter. tfjs-backend-wasm has no Conv2DBackpropFilter kernel: there
 * the filter gradient is left out (`partial`), so its time is a lower bound.
 */
const tfjsStep = async (backend: "cpu" | "wasm", xData: Float32Array, wData: Float32Array, batch: number): Promise<() => Promise<Timed>> => {
  await tf.setBackend(backend)
  await tf.ready()
  const attrs = { strides: [1, 1], pad: "same", dataFormat: "NHWC", dilations: [1, 1], dimRoundingMode: undefined } as unknown as tf.NamedAttrMap
  const x = xData.subarray(0, batch * H * H * C)
  return async () => {
    // Interleaved with the other tfjs backend: select this one and upload the inputs, untimed.
    await tf.setBackend(backend)
    const partial = tf.getKernel("Conv2DBackpropFilter", backend) === undefined
    const tx = tf.tensor4d(x, [batch, H, H, C])
    const tw = tf.tensor4d(wData, [K, K, C, O])
    const t0 = performance.now()
    const y = tf.engine().runKernel("Conv2D", { x: tx, filter: tw }, attrs) as tf.Tensor
    const v = tf.sum(y)
    const dy = tf.onesLike(y)
    const gx = tf
      .engine()
      .runKernel("Conv2DBackpropInput", { dy, filter: tw }, { ...attrs, inputShape: [batch, H, H, C] } as unknown as tf.NamedAttrMap) as tf.Tensor
    await gx.data()
    if (!partial) {
      const gw = tf
        .engine()
        .runKernel("Conv2DBackpropFilter", { x: tx, dy }, { ...attrs, filterShape: [K, K, C, O] } as unknown as tf.NamedAttrMap) as tf.Tensor
      await gw.data()
      gw.dispose()
    }
    const value = (await v.data())[0]!
    const ms = performance.now() - t0
    tf.dispose([tx, tw, y, v, dy, gx])
    return { ms, value }
  }
}

const jaxjsStep = async (xc: Float32Array, wc: Float32Array, batch: number): Promise<() => Promise<Timed>> => {
  await jaxjs.init("wasm")
  jaxjs.defaultDevice("wasm")
  const jx = jaxjs.numpy.array(xc.subarray(0, batch * C * H * H)).reshape([batch, C, H, H])
  const jw = jaxjs.numpy.array(wc).reshape([O, C, K, K])
  const jf = jaxjs.jit(jaxjs.valueAndGrad((a: jaxjs.Array, b: jaxjs.Array) => jaxjs.numpy.sum(jaxjs.lax.conv(a, b, [1, 1], "SAME")), { argnums: [0, 1] }))
  return async () => {
    const t0 = performance.now()
    const [v, [ga, gb]] = jf(jx.ref, jw.ref) as unknown as [jaxjs.Array, [jaxjs.Array, jaxjs.Array]]
    await ga.data()
    await gb.data()
    const value = (await v.data())[0]!
    return { ms: performance.now() - t0, value }
  }
}

const jaxfxStep =
  (f: (...a: Array[]) => readonly [Array, ReadonlyArray<Array>], ...args: Array[]): (() => Promise<Timed>) =>
  async () => {
    const t0 = performance.now()
    const [v, gs] = f(...args)
    for (const g of gs) g.blockUntilReady()
    const value = v.item() as number
    return { ms: performance.now() - t0, value }
  }

export const convBench = async (): Promise<Row[]> => {
  const bench = `conv2d fwd+bwd b${B} ${H}x${H}x${C}->${O} k${K} SAME f32`
  const rows: Row[] = [{ bench, what: "load average at start (1, 5, 15 min)", value: load() }]
  const [k1, k2, k3] = random.split(random.key(0), 3)
  const x = random.normal(k1!, [B, H, H, C])
  const w = random.normal(k2!, [K, K, C, O]).mul(0.05)
  const bias = random.normal(k3!, [O]).mul(0.1)
  const xData = new Float32Array(x.data() as Float32Array)
  const wData = new Float32Array(w.data() as Float32Array)
  const xc = np.transpose(x, [0, 3, 1, 2])
  const wc = np.transpose(w, [3, 2, 0, 1])
  const xcData = new Float32Array(xc.data() as Float32Array)
  const wcData = new Float32Array(wc.data() as Float32Array)

  const nhwcConv = (a: Array, b: Array): Array => lax.convGeneralDilated(a, b, [1, 1], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] })
  const nhwc = jit(valueAndGrad((a: Array, b: Array) => np.sum(nhwcConv(a, b)), { argnums: [0, 1] }))
  const nchw = jit(valueAndGrad((a: Array, b: Array) => np.sum(lax.conv(a, b, [1, 1], "SAME")), { argnums: [0, 1] }))
  // The fusion policy is read when a program is compiled, i.e. on each jitted function's first call.
  const withPolicy = (fused: boolean, first: () => void): void => {
    convEpiloguePolicy.enabled = fused
    convEpiloguePolicy.dot = fused
    try {
      first()
    } finally {
      convEpiloguePolicy.enabled = true
      convEpiloguePolicy.dot = true
    }
  }
  const biasRelu = (fused: boolean) => async (): Promise<() => Promise<Timed>> => {
    const f = jit((a: Array, b: Array, c: Array) => nn.relu(nhwcConv(a, b).add(c)))
    withPolicy(fused, () => f(x, w, bias).blockUntilReady())
    return async () => {
      const t0 = performance.now()
      const y = f(x, w, bias)
      y.blockUntilReady()
      return { ms: performance.now() - t0, value: 0 }
    }
  }
  const lenetStep = (fused: boolean) => async (): Promise<() => Promise<Timed>> => {
    const task = lenet({ c1: 6, c2: 16, hidden: [120, 84], batch: 32, lr: 1e-3 })
    const params = task.init(random.key(0))
    let state = { params, opt: task.optimizer.init(params) }
    let i = 0
    const run = (): number => {
      const [next, metrics] = task.step(state, random.foldIn(random.key(1), i++))
      state = next
      for (const p of Object.values(next.params)) p.blockUntilReady()
      return metrics.loss.item() as number
    }
    withPolicy(fused, run)
    return async () => {
      const t0 = performance.now()
      const value = run()
      return { ms: performance.now() - t0, value }
    }
  }
  const all: ReadonlyArray<Contender> = [
    { name: "jaxfx NHWC", full: () => Promise.resolve(jaxfxStep(nhwc, x, w)) },
    { name: "jaxfx NCHW", full: () => Promise.resolve(jaxfxStep(nchw, xc, wc)) },
    { name: "tfjs-backend-wasm (NHWC, no filter gradient: no kernel)", full: () => tfjsStep("wasm", xData, wData, B) },
    {
      name: "tfjs-backend-cpu (NHWC)",
      full: () => tfjsStep("cpu", xData, wData, B),
      small: { label: `batch ${SMALL}`, factor: B / SMALL, make: () => tfjsStep("cpu", xData, wData, SMALL) }
    },
    {
      name: "@jax-js/jax wasm (NCHW)",
      full: () => jaxjsStep(xcData, wcData, B),
      small: { label: `batch ${SMALL}`, factor: B / SMALL, make: () => jaxjsStep(xcData, wcData, SMALL) }
    },
    { name: "jaxfx NHWC relu(conv + bias) forward, epilogue fused", full: biasRelu(true) },
    { name: "jaxfx NHWC relu(conv + bias) forward, unfused", full: biasRelu(false) },
    { name: "jaxfx LeNet train step b32, epilogue fused", full: lenetStep(true) },
    { name: "jaxfx LeNet train step b32, unfused", full: lenetStep(false) }
  ]
  // JAXFX_BENCH_PEERS=tfjs-backend-wasm,@jax-js picks contenders by name prefix (jaxfx NHWC always runs).
  const pick = process.env.JAXFX_BENCH_PEERS?.split(",")
  const contenders = all.filter((c) => c.name === "jaxfx NHWC" || pick === undefined || pick.some((p) => c.name.startsWith(p)))
  const t0 = performance.now()
  const outcomes = await sideBySide(contenders, { rounds: 7, budgetS: 15, slowS: 30, extrapolateS: 60 })
  const base = outcomes.find((r) => r.name === "jaxfx NHWC")
  const baseMs = base !== undefined && "ms" in base ? base.ms : Number.NaN
  const baseValue = base !== undefined && "ms" in base ? base.value : Number.NaN
  for (const r of outcomes) {
    if ("error" in r) {
      rows.push({ bench, what: `${r.name} ms`, value: `failed: ${r.error}` })
      continue
    }
    // The extrapolated peers ran a smaller batch, and the fusion rows other programs: no common loss.
    const own = r.name.includes("bias") || r.name.includes("LeNet")
    const comparable = !own && !r.how.startsWith("extrapolated")
    const sameLoss = !comparable || Math.abs(r.value - baseValue) <= 1e-3 * Math.max(1, Math.abs(baseValue))
    rows.push({ bench, what: `${r.name} ms (${r.how})`, value: `${r.ms.toFixed(1)}${sameLoss ? "" : ` (loss ${r.value} differs from jaxfx's ${baseValue})`}` })
    if (r.name !== "jaxfx NHWC" && !own) rows.push({ bench, what: `${r.name} / jaxfx NHWC`, value: (r.ms / baseMs).toFixed(2) })
    if (!Number.isNaN(r.cpuMs)) rows.push({ bench, what: `${r.name} process CPU ms per step (mean)`, value: r.cpuMs.toFixed(1) })
  }
  for (const what of ["relu(conv + bias) forward", "LeNet train step b32"]) {
    const fused = outcomes.find((r) => r.name.includes(what) && r.name.endsWith("epilogue fused"))
    const unfused = outcomes.find((r) => r.name.includes(what) && r.name.endsWith("unfused"))
    if (fused !== undefined && unfused !== undefined && "ms" in fused && "ms" in unfused) {
      rows.push({
        bench,
        what: `${what}: unfused / fused (wall; CPU)`,
        value: `${(unfused.ms / fused.ms).toFixed(2)}; ${(unfused.cpuMs / fused.cpuMs).toFixed(2)}`
      })
    }
  }
  rows.push({ bench, what: "suite wall s; load average at end", value: `${((performance.now() - t0) / 1000).toFixed(0)}; ${load()}` })
  return rows
}
