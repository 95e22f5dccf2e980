/**
 * A 1024 x 1024 float32 matmul (issue 17): jaxfx with one intra-op thread and with the default
 * (`jaxfxIntraOpThreads`: the machine's cores, the product split by output rows over the calling
 * thread and helpers; at least 2 here),
 * against TensorFlow.js's wasm backend, in interleaved rounds of one run. GFLOP/s from wall-clock
 * medians, with the calling thread's CPU time (the share of the work it kept) and the machine's
 * load: on a busy machine the two-thread figure says little.
 */
import { cpus, loadavg } from "node:os"
import { readFileSync } from "node:fs"
import { type Array, config, jit, np, random } from "../index.js"
import { intraOpStats } from "../backends/cpu/wasm/gemm-threads.js"
import type { Row } from "./harness.js"
import { tf } from "./tfjs.js"

/** This thread's CPU time in ms (Linux), or NaN. */
const threadCpu = (): number => {
  try {
    return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]) / 1e6
  } catch {
    return Number.NaN
  }
}

const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export const matmulBench = async (): Promise<Row[]> => {
  const n = 1024
  const flops = 2 * n ** 3
  const a = random.normal(random.key(1), [n, n])
  const b = random.normal(random.key(2), [n, n])
  const mm = jit((u: Array, v: Array) => np.matmul(u, v))
  const before = config.read("jaxfxIntraOpThreads") as number
  const many = Math.max(2, before)
  // the helpers start at the first large product and serve the next ones
  config.update("jaxfxIntraOpThreads", many)
  mm(a, b).blockUntilReady()
  await new Promise((r) => setTimeout(r, 2000))
  await tf.setBackend("wasm")
  await tf.ready()
  const ta = tf.randomNormal([n, n])
  const tb = tf.randomNormal([n, n])
  const tfRun = (): void => {
    const c = tf.matMul(ta, tb)
    c.dataSync()
    c.dispose()
  }
  tfRun()
  const load0 = loadavg()[0]!
  const wall: Record<string, number[]> = { one: [], two: [], tf: [] }
  const own: Record<string, number[]> = { one: [], two: [] }
  const splits0 = intraOpStats.split
  for (let r = 0; r < 7; r++) {
    for (const [k, T] of [
      ["one", 1],
      ["two", many]
    ] as const) {
      config.update("jaxfxIntraOpThreads", T)
      const c0 = threadCpu()
      const t0 = performance.now()
      mm(a, b).blockUntilReady()
      wall[k]!.push(performance.now() - t0)
      own[k]!.push(threadCpu() - c0)
    }
    const t0 = performance.now()
    tfRun()
    wall.tf!.push(performance.now() - t0)
  }
  config.update("jaxfxIntraOpThreads", before)
  ta.dispose()
  tb.dispose()
  const gf = (ms: number): string => (flops / ms / 1e6).toFixed(1)
  const bench = "matmul 1024 f32"
  return [
    {
      bench,
      what: "jaxfx, 1 thread GFLOP/s (ms)",
      value: `${gf(median(wall.one!))} (${median(wall.one!).toFixed(1)}; calling thread cpu ${median(own.one!).toFixed(1)} ms)`
    },
    {
      bench,
      what: `jaxfx, ${many} threads GFLOP/s (ms)`,
      value: `${gf(median(wall.two!))} (${median(wall.two!).toFixed(1)}; calling thread cpu ${median(own.two!).toFixed(1)} ms; ${intraOpStats.split - splits0} of 7 split)`
    },
    { bench, what: "tfjs-wasm GFLOP/s (ms)", value: `${gf(median(wall.tf!))} (${median(wall.tf!).toFixed(1)})` },
    { bench, what: `jaxfx ${many} threads / tfjs-wasm`, value: (median(wall.tf!) / median(wall.two!)).toFixed(2) },
    { bench, what: "cores; load average (1 min) at start / end", value: `${cpus().length}; ${load0.toFixed(1)} / ${loadavg()[0]!.toFixed(1)}` }
  ]
}
