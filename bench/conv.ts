/**
 * Convolution benchmark (issue 14): one conv2d forward + backward (the loss sum(conv(x, w)) and
 * its gradients with respect to the input and the kernel) for a batch of 32 28x28x32 images and a
 * 3x3x32 -> 64 kernel, "SAME" padding, float32, in one run: jaxfx (jit, NHWC/HWIO and NCHW/OIHW)
 * against TensorFlow.js's cpu and wasm backends (NHWC) and @jax-js/jax (wasm, NCHW, its only
 * layout). Every library computes the same three results; each timing forces them to memory.
 * Standalone: `npx tsx bench/run.ts conv`.
 */
import * as jaxjs from "@jax-js/jax"
import * as tf from "@tensorflow/tfjs-core"
import "@tensorflow/tfjs-backend-cpu"
import "@tensorflow/tfjs-backend-wasm"
import { type Array, jit, lax, np, random, valueAndGrad } from "../index.js"
import { type Row, time, timeAsync } from "./harness.js"

const B = 32
const H = 28
const C = 32
const O = 64
const K = 3
const opts = { reps: 7, warmup: 2 }
// tfjs-backend-cpu takes seconds per step (plain JS loops): fewer repetitions.
const slowOpts = { reps: 1, warmup: 1 }

/**
 * tfjs's Conv2D gradient, run as its kernels (tfjs-core's bundle registers no gradients): forward,
 * then backprop to input and filter. tfjs-backend-wasm has no Conv2DBackpropFilter kernel: there
 * the filter gradient is left out (`partial`), so its time is a lower bound.
 */
const tfjsStep = async (backend: "cpu" | "wasm", xData: Float32Array, wData: Float32Array, o: typeof opts): Promise<{ ms: number; sum: number; partial: boolean }> => {
  await tf.setBackend(backend)
  await tf.ready()
  const partial = tf.getKernel("Conv2DBackpropFilter", backend) === undefined
  const tx = tf.tensor4d(xData, [B, H, H, C])
  const tw = tf.tensor4d(wData, [K, K, C, O])
  const attrs = { strides: [1, 1], pad: "same", dataFormat: "NHWC", dilations: [1, 1], dimRoundingMode: undefined } as unknown as tf.NamedAttrMap
  let sum = 0
  const ms = await timeAsync(async () => {
    const y = tf.engine().runKernel("Conv2D", { x: tx, filter: tw }, attrs) as tf.Tensor
    const v = tf.sum(y)
    const dy = tf.onesLike(y)
    const gx = tf.engine().runKernel("Conv2DBackpropInput", { dy, filter: tw }, { ...attrs, inputShape: [B, H, H, C] } as unknown as tf.NamedAttrMap) as tf.Tensor
    await gx.data()
    if (!partial) {
      const gw = tf.engine().runKernel("Conv2DBackpropFilter", { x: tx, dy }, { ...attrs, filterShape: [K, K, C, O] } as unknown as tf.NamedAttrMap) as tf.Tensor
      await gw.data()
      gw.dispose()
    }
    sum = (await v.data())[0]!
    tf.dispose([y, v, dy, gx])
  }, o)
  tf.dispose([tx, tw])
  return { ms, sum, partial }
}

const jaxjsStep = async (xc: Float32Array, wc: Float32Array): Promise<{ ms: number; sum: number; partial: boolean }> => {
  await jaxjs.init("wasm")
  jaxjs.defaultDevice("wasm")
  const jx = jaxjs.numpy.array(xc).reshape([B, C, H, H])
  const jw = jaxjs.numpy.array(wc).reshape([O, C, K, K])
  const jf = jaxjs.jit(jaxjs.valueAndGrad((a: jaxjs.Array, b: jaxjs.Array) => jaxjs.numpy.sum(jaxjs.lax.conv(a, b, [1, 1], "SAME")), { argnums: [0, 1] }))
  let sum = 0
  const ms = await timeAsync(async () => {
    const [v, [ga, gb]] = jf(jx.ref, jw.ref) as unknown as [jaxjs.Array, [jaxjs.Array, jaxjs.Array]]
    await ga.data()
    await gb.data()
    sum = (await v.data())[0]!
  }, opts)
  return { ms, sum, partial: false }
}

/**
 * A promise bounded by a timer: a peer that fails or never settles (an async hang) is reported,
 * not awaited forever. Synchronous work cannot be cut short.
 */
const bounded = async <T>(p: Promise<T>, seconds: number): Promise<T | string> => {
  let timer: ReturnType<typeof setTimeout> | undefined
  const limit = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`did not finish in ${seconds} s`), seconds * 1000)))
  try {
    return await Promise.race([p.catch((e: unknown) => `failed: ${String(e).slice(0, 100)}`), limit])
  } finally {
    clearTimeout(timer)
  }
}

export const convBench = async (): Promise<Row[]> => {
  const bench = `conv2d fwd+bwd b${B} ${H}x${H}x${C}->${O} k${K} SAME f32`
  const rows: Row[] = []
  const [k1, k2] = random.split(random.key(0))
  const x = random.normal(k1!, [B, H, H, C])
  const w = random.normal(k2!, [K, K, C, O]).mul(0.05)
  const xData = new Float32Array(x.data() as Float32Array)
  const wData = new Float32Array(w.data() as Float32Array)

  const jaxfxStep = (f: (a: Array, b: Array) => readonly [Array, readonly [Array, Array]], a: Array, b: Array): { ms: number; sum: number } => {
    let sum = 0
    const ms = time(() => {
      const [v, [ga, gb]] = f(a, b)
      ga.blockUntilReady()
      gb.blockUntilReady()
      sum = v.item()
    }, opts)
    return { ms, sum }
  }
  const nhwc = jit(valueAndGrad((a: Array, b: Array) => np.sum(lax.convGeneralDilated(a, b, [1, 1], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] })), { argnums: [0, 1] }))
  const xc = np.transpose(x, [0, 3, 1, 2])
  const wc = np.transpose(w, [3, 2, 0, 1])
  const nchw = jit(valueAndGrad((a: Array, b: Array) => np.sum(lax.conv(a, b, [1, 1], "SAME")), { argnums: [0, 1] }))
  const cpu0 = process.cpuUsage()
  const jNhwc = jaxfxStep(nhwc, x, w)
  const cpu = process.cpuUsage(cpu0)
  const jNchw = jaxfxStep(nchw, xc, wc)
  rows.push({ bench, what: "jaxfx NHWC ms (median of 7)", value: jNhwc.ms.toFixed(1) })
  rows.push({ bench, what: "jaxfx NHWC process CPU ms per step (mean)", value: ((cpu.user + cpu.system) / 1000 / (opts.reps + opts.warmup)).toFixed(1) })
  rows.push({ bench, what: "jaxfx NCHW ms", value: jNchw.ms.toFixed(1) })
  if (process.env.JAXFX_BENCH_VERBOSE) console.error("jaxfx", jNhwc.ms, jNchw.ms)

  const peers: ReadonlyArray<readonly [string, typeof opts, () => Promise<{ ms: number; sum: number; partial: boolean }>]> = [
    ["tfjs-backend-cpu (NHWC)", slowOpts, () => tfjsStep("cpu", xData, wData, slowOpts)],
    ["tfjs-backend-wasm (NHWC)", opts, () => tfjsStep("wasm", xData, wData, opts)],
    ["@jax-js/jax wasm (NCHW)", opts, () => jaxjsStep(new Float32Array(xc.data() as Float32Array), new Float32Array(wc.data() as Float32Array))]
  ]
  // JAXFX_BENCH_PEERS=tfjs-backend-wasm,@jax-js picks peers by name prefix (default: all).
  const pick = process.env.JAXFX_BENCH_PEERS?.split(",")
  for (const [name, o, run] of peers) {
    if (pick !== undefined && !pick.some((p) => name.startsWith(p))) continue
    const cpu0 = process.cpuUsage()
    const r = await bounded(run(), 300)
    const used = process.cpuUsage(cpu0)
    if (typeof r === "string") {
      rows.push({ bench, what: `${name} ms`, value: r })
      continue
    }
    const agree = Math.abs(r.sum - jNhwc.sum) <= 1e-3 * Math.max(1, Math.abs(jNhwc.sum))
    const label = r.partial ? `${name}, no filter gradient (no kernel)` : name
    rows.push({ bench, what: `${label} ms (median of ${o.reps})`, value: `${r.ms.toFixed(1)}${agree ? "" : ` (loss ${r.sum} differs from jaxfx's ${jNhwc.sum})`}` })
    rows.push({ bench, what: `${label} / jaxfx NHWC`, value: (r.ms / jNhwc.ms).toFixed(2) })
    rows.push({ bench, what: `${label} process CPU ms per step (mean, setup included)`, value: ((used.user + used.system) / 1000 / (o.reps + o.warmup)).toFixed(1) })
    if (process.env.JAXFX_BENCH_VERBOSE) console.error(name, r.ms)
  }
  return rows
}
