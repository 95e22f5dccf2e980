/**
 * Data parallelism over CPU devices (issue 16), side by side in one run on this machine:
 * - an MLP training step (784-512-512-10, batch 128, softmax cross-entropy, SGD): jit on one
 *   device against pmap over two devices (each device half the batch, put there beforehand;
 *   gradients averaged with pmean across the devices through shared memory, parameters and their
 *   updates staying replicated on the devices between steps);
 * - a 2048x2048 float32 matmul: jit on one device against pmap over two devices (rows of the left
 *   operand split, the right operand replicated).
 * Ratios are one-device time over two-device time (2.0 is the two-core limit), medians of steps
 * timed one by one in alternating rounds. The machine's load average is printed with them: on a
 * busy machine the ratio says little (a device waiting at a collective for a thread the machine has
 * not scheduled loses the difference).
 * Needs two CPU devices: `bench/run.ts` sets `jaxfxCpuDevices` before the first array is made.
 */
import { loadavg } from "node:os"
import { type Array, devicePut, devices, grad, jit, lax, Mesh, NamedSharding, nn, np, P, pmap, random, tree } from "../index.js"
import type { Row } from "./harness.js"

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
/** The process's CPU time in ms (every thread: the devices' workers too). */
const processCpu = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const median = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!

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
  const two = devices().slice(0, 2)
  const step2 = pmap((p: Params, xb: Array, yb: Array) => sgd(p, lax.pmean(grad(loss)(p, xb, yb), "d")), {
    axisName: "d",
    inAxes: [null, 0, 0],
    outAxes: null,
    devices: two
  })
  // The batch already split over the devices (as the one-device step finds its batch on its device).
  const split = new NamedSharding(new Mesh(two, ["d"]), P("d"))
  const x2 = devicePut(x.reshape([2, 64, 784]), split)
  const y2 = devicePut(y.reshape([2, 64, 10]), split)
  const load0 = loadavg()[0]!
  // Rounds alternate one device and two (the machine's load drifts); each step is timed on its own.
  const one: number[] = []
  const both: number[] = []
  const cpu1: number[] = []
  const cpu2: number[] = []
  const stepOne = (): void => {
    params = step1(params, x, y)
    params.b3.blockUntilReady()
  }
  const stepTwo = (): void => {
    params = step2(params, x2, y2)
    params.b3.blockUntilReady()
  }
  for (let i = 0; i < 3; i++) {
    stepOne()
    stepTwo()
  }
  for (let round = 0; round < 8; round++) {
    for (const [f, ts, cs] of [
      [stepOne, one, cpu1],
      [stepTwo, both, cpu2]
    ] as const) {
      for (let k = 0; k < 4; k++) {
        const c = processCpu()
        const t = performance.now()
        f()
        ts.push(performance.now() - t)
        cs.push(processCpu() - c)
      }
    }
  }
  const t1 = median(one)
  const t2 = median(both)
  rows.push({ bench: "MLP step 784-512-512-10 b128", what: "1 device ms (process cpu ms)", value: `${t1.toFixed(2)} (${median(cpu1).toFixed(2)})` })
  rows.push({
    bench: "MLP step 784-512-512-10 b128",
    what: "2 devices (pmap, pmean) ms (process cpu ms)",
    value: `${t2.toFixed(2)} (${median(cpu2).toFixed(2)})`
  })
  rows.push({ bench: "MLP step 784-512-512-10 b128", what: "speed-up, medians of 32 steps each (goal >= 1.7)", value: (t1 / t2).toFixed(2) })

  const a = random.normal(random.key(1), [2048, 2048])
  const b = random.normal(random.key(2), [2048, 2048])
  const mm1 = jit((u: Array, v: Array) => np.matmul(u, v))
  const mm2 = pmap((u: Array, v: Array) => np.matmul(u, v), { inAxes: [0, null], devices: two })
  const a2 = devicePut(a.reshape([2, 1024, 2048]), split)
  mm1(a, b).blockUntilReady()
  mm2(a2, b).blockUntilReady()
  const mt1: number[] = []
  const mt2: number[] = []
  for (let round = 0; round < 4; round++) {
    let t = performance.now()
    mm1(a, b).blockUntilReady()
    mt1.push(performance.now() - t)
    t = performance.now()
    mm2(a2, b).blockUntilReady()
    mt2.push(performance.now() - t)
  }
  const m1 = median(mt1)
  const m2 = median(mt2)
  rows.push({ bench: "matmul 2048x2048 f32", what: "1 device ms", value: m1.toFixed(1) })
  rows.push({ bench: "matmul 2048x2048 f32", what: "2 devices (rows split) ms", value: m2.toFixed(1) })
  rows.push({ bench: "matmul 2048x2048 f32", what: "speed-up", value: (m1 / m2).toFixed(2) })
  rows.push({ bench: "data parallel", what: "load average (1 min) at start / end", value: `${load0.toFixed(1)} / ${loadavg()[0]!.toFixed(1)}` })
  return rows
}
