/**
 * Data parallelism over CPU devices (issue 16), side by side in one run on this machine:
 * - an MLP training step (784-512-512-10, batch 128, softmax cross-entropy, SGD): jit on one
 *   device against pmap over two devices (each device half the batch, gradients averaged with
 *   pmean across the devices through shared memory, parameters replicated);
 * - a 2048x2048 float32 matmul: jit on one device against pmap over two devices (rows of the left
 *   operand split, the right operand replicated).
 * Ratios are one-device time over two-device time (2.0 is the two-core limit). The machine's load
 * average is printed with them: on a busy machine the ratio says little.
 * Needs two CPU devices: `bench/run.ts` sets `jaxfxCpuDevices` before the first array is made.
 */
import { readFileSync } from "node:fs"
import { loadavg } from "node:os"
import { type Array, devices, grad, jit, lax, nn, np, pmap, random, tree } from "../index.js"
import { type Row, time } from "./harness.js"

interface Params {
  readonly w1: Array
  readonly b1: Array
  readonly w2: Array
  readonly b2: Array
  readonly w3: Array
  readonly b3: Array
}

const loss = (p: Params, x: Array, y: Array): Array => {
  const h1 = nn.relu(np.matmul(x, p.w1).add(p.b1))
  const h2 = nn.relu(np.matmul(h1, p.w2).add(p.b2))
  const logits = np.matmul(h2, p.w3).add(p.b3)
  return np.mean(np.sum(nn.logSoftmax(logits).mul(y), { axis: -1 })).neg()
}
/** This thread's CPU time in ms (Linux), or NaN: a figure the machine's load disturbs less than wall time. */
const threadCpu = (): number => {
  try {
    return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]) / 1e6
  } catch {
    return Number.NaN
  }
}

const sgd = (p: Params, g: Params): Params => tree.map((a: Array, b: Array) => a.sub(b.mul(0.01)), p, g) as Params

export const parallelBench = async (): Promise<Row[]> => {
  const rows: Row[] = []
  if (devices().length < 2) return [{ bench: "data parallel", what: "skipped", value: "one CPU device (set JAXFX_CPU_DEVICES=2)" }]
  const ks = random.split(random.key(0), 4)
  const init = (k: (typeof ks)[0], a: number, b: number): Array => random.normal(k, [a, b]).mul(Math.sqrt(2 / a))
  let params: Params = {
    w1: init(ks[0], 784, 512),
    b1: np.zeros([512]),
    w2: init(ks[1], 512, 512),
    b2: np.zeros([512]),
    w3: init(ks[2], 512, 10),
    b3: np.zeros([10])
  }
  const x = random.normal(ks[3], [128, 784])
  const y = nn.oneHot(np.arange(128).mod(10), 10)

  const step1 = jit((p: Params, xb: Array, yb: Array) => sgd(p, grad(loss)(p, xb, yb)))
  const step2 = pmap((p: Params, xb: Array, yb: Array) => sgd(p, lax.pmean(grad(loss)(p, xb, yb), "d")), {
    axisName: "d",
    inAxes: [null, 0, 0],
    outAxes: null,
    devices: devices().slice(0, 2)
  })
  const x2 = x.reshape([2, 64, 784])
  const y2 = y.reshape([2, 64, 10])
  const load0 = loadavg()[0]!
  let c = threadCpu()
  const t1 = time(
    () => {
      params = step1(params, x, y)
      params.b3.blockUntilReady()
    },
    { reps: 15, warmup: 3 }
  )
  const c1 = (threadCpu() - c) / 18
  c = threadCpu()
  const t2 = time(
    () => {
      params = step2(params, x2, y2)
      params.b3.blockUntilReady()
    },
    { reps: 15, warmup: 3 }
  )
  const c2 = (threadCpu() - c) / 18
  rows.push({ bench: "MLP step 784-512-512-10 b128", what: "1 device ms (calling thread cpu ms)", value: `${t1.toFixed(2)} (${c1.toFixed(2)})` })
  rows.push({ bench: "MLP step 784-512-512-10 b128", what: "2 devices (pmap, pmean) ms (calling thread cpu ms)", value: `${t2.toFixed(2)} (${c2.toFixed(2)})` })
  rows.push({ bench: "MLP step 784-512-512-10 b128", what: "speed-up (goal >= 1.7)", value: (t1 / t2).toFixed(2) })

  const a = random.normal(random.key(1), [2048, 2048])
  const b = random.normal(random.key(2), [2048, 2048])
  const mm1 = jit((u: Array, v: Array) => np.matmul(u, v))
  const mm2 = pmap((u: Array, v: Array) => np.matmul(u, v), { inAxes: [0, null], devices: devices().slice(0, 2) })
  const a2 = a.reshape([2, 1024, 2048])
  const m1 = time(() => void mm1(a, b).blockUntilReady(), { reps: 5, warmup: 1 })
  const m2 = time(() => void mm2(a2, b).blockUntilReady(), { reps: 5, warmup: 1 })
  rows.push({ bench: "matmul 2048x2048 f32", what: "1 device ms", value: m1.toFixed(1) })
  rows.push({ bench: "matmul 2048x2048 f32", what: "2 devices (rows split) ms", value: m2.toFixed(1) })
  rows.push({ bench: "matmul 2048x2048 f32", what: "speed-up", value: (m1 / m2).toFixed(2) })
  rows.push({ bench: "data parallel", what: "load average (1 min) at start / end", value: `${load0.toFixed(1)} / ${loadavg()[0]!.toFixed(1)}` })
  return rows
}
