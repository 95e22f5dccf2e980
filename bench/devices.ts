/**
 * The devices runtime (issue 11), side by side in one run:
 * - eager dispatch on device 0: 10,000 chained adds of length-4 arrays (us/op);
 * - jit call overhead: a jitted two-op function on a length-4 array, called 10,000 times (us/call);
 * - a jit-compiled `whileLoop` of 1e5 scalar iterations against the host loop it replaces (a JS
 *   loop reading the predicate back each iteration, the old `whileLoop`), ratio;
 * - 1e6 eager ops on a worker CPU device: time per op and the process's memory before and after
 *   (flat memory: buffers of unreachable arrays are freed without any release call).
 * Needs two CPU devices: `bench/run.ts` sets `jaxfxCpuDevices` before the first array is made.
 */
import { type Array, devicePut, devices, jit, lax, np } from "../index.js"
import { type Row, time } from "./harness.js"

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1)

export const devicesBench = async (): Promise<Row[]> => {
  const rows: Row[] = []
  let sink = 0

  // --- eager dispatch on device 0
  const steps = 10_000
  const x0 = np.asarray([1, 2, 3, 4], { dtype: "float32" })
  const one = np.asarray([1, 1, 1, 1], { dtype: "float32" })
  const tChain = time(() => {
    let z = x0
    for (let i = 0; i < steps; i++) z = z.add(one)
    sink += z.data()[0]!
  })
  rows.push({ bench: "eager add x1e4 (device 0)", what: "jaxfx us/op", value: ((tChain * 1000) / steps).toFixed(3) })

  // --- jit call overhead
  const tiny = jit((x: Array) => x.mul(2).add(1))
  const tCalls = time(() => {
    let z = x0
    for (let i = 0; i < steps; i++) z = tiny(z)
    sink += z.data()[0]!
  })
  rows.push({ bench: "jit call x1e4 (device 0)", what: "jaxfx us/call", value: ((tCalls * 1000) / steps).toFixed(3) })

  // --- whileLoop: compiled (jit) against the host loop
  const n = 100_000
  const cond = (c: Array) => c.lt(n)
  const body = (c: Array) => c.add(1)
  const compiled = jit((c: Array) => lax.whileLoop(cond, body, c))
  const c0 = np.array(0)
  const tCompiled = time(
    () => {
      sink += compiled(c0).item()
    },
    { reps: 5, warmup: 1 }
  )
  const condJ = jit(cond)
  const bodyJ = jit(body)
  const tHost = time(
    () => {
      let c = c0
      while (condJ(c).item() !== 0) c = bodyJ(c)
      sink += c.item()
    },
    { reps: 3, warmup: 1 }
  )
  rows.push({ bench: "whileLoop 1e5 (device 0)", what: "jit, compiled ms", value: tCompiled.toFixed(2) })
  rows.push({ bench: "whileLoop 1e5 (device 0)", what: "host loop (replaced) ms", value: tHost.toFixed(2) })
  rows.push({ bench: "whileLoop 1e5 (device 0)", what: "host loop / compiled", value: (tHost / tCompiled).toFixed(1) })

  // --- 1e6 eager ops on a worker device, memory before and after
  const worker = devices()[1]
  if (worker === undefined) {
    rows.push({ bench: "eager x1e6 (worker)", what: "skipped", value: "one CPU device (set JAXFX_CPU_DEVICES=2)" })
  } else {
    const ops = 1_000_000
    let w = devicePut(np.zeros([4]), worker)
    w.add(1).blockUntilReady() // start the worker
    const gc = (globalThis as { gc?: () => void }).gc
    gc?.()
    const before = process.memoryUsage()
    let peak = before.rss
    const t0 = performance.now()
    for (let i = 0; i < ops; i++) {
      w = w.add(1)
      if (i % 100_000 === 0) peak = Math.max(peak, process.memoryUsage().rss)
    }
    const dispatched = performance.now() - t0
    sink += w.data()[0]!
    const total = performance.now() - t0
    gc?.()
    const after = process.memoryUsage()
    peak = Math.max(peak, after.rss)
    rows.push({ bench: "eager add x1e6 (worker)", what: "dispatch us/op", value: ((dispatched * 1000) / ops).toFixed(2) })
    rows.push({ bench: "eager add x1e6 (worker)", what: "total us/op", value: ((total * 1000) / ops).toFixed(2) })
    rows.push({ bench: "eager add x1e6 (worker)", what: "rss MB before / peak / after", value: `${mb(before.rss)} / ${mb(peak)} / ${mb(after.rss)}` })
    rows.push({ bench: "eager add x1e6 (worker)", what: "result (1e6 expected)", value: String(w.data()[0]) })
  }
  if (Number.isNaN(sink)) console.log("")
  return rows
}
