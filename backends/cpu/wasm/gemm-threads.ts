/**
 * Intra-op parallelism of the float32 GEMM: with `jaxfxIntraOpThreads` = T > 1, a product of at
 * least `intraOpPolicy.minWork` multiply-adds (one batch element) is split by output rows into T
 * blocks (multiples of the micro-kernel's 4 rows): the calling thread computes the first block in
 * place while T - 1 helper threads (gemm-helper.ts) compute the others from a shared copy of the
 * operands, then it waits for them and copies their rows in. Each output element is the same sum
 * in the same order as in one call (the kernel orders its sums by k alone), so results are bit for
 * bit those of one thread. Smaller products stay on the calling thread.
 *
 * Helpers start at the first large product and are used once they have started (until then
 * products run on one thread); they need Node's worker_threads and a thread that may block
 * (`Atomics.wait`), so elsewhere (browsers) every product runs on the calling thread. Worker CPU
 * devices run with one thread: they are parallel already.
 */
import { defineSetting, parseIntStrict, positiveInt } from "../../../core/config.js"
import type { StridedF32, WasmGemm } from "./gemm.js"
import { type HelperInit, type HelperJob, HELPER_BOOTED, HELPER_CONTROL_INTS, HELPER_DONE, HELPER_FAILED, HELPER_JOB } from "./gemm-protocol.js"

/** The most intra-op threads one may ask for. */
export const MAX_INTRA_OP_THREADS = 64

const threadsSetting = defineSetting<number>({
  name: "jaxfxIntraOpThreads",
  env: "JAXFX_INTRA_OP_THREADS",
  initial: 1,
  describe: "threads a large CPU kernel (a float32 matrix product) is split over, the calling thread included; 1: no split",
  check: positiveInt(MAX_INTRA_OP_THREADS),
  parse: parseIntStrict(positiveInt(MAX_INTRA_OP_THREADS))
})

export const intraOpPolicy = {
  /** Smallest M * N * K (one batch element) split over threads. */
  minWork: 256 ** 3
}

/** How many products were split over threads (for tests). */
export const intraOpStats = { split: 0 }

interface NodeThreads {
  readonly Worker: new (
    code: string,
    options: { eval: true; workerData: HelperInit; transferList: unknown[] }
  ) => {
    unref(): void
    on(event: "error", f: (e: unknown) => void): void
  }
  readonly MessageChannel: new () => { port1: { postMessage(m: HelperJob): void; unref?(): void }; port2: unknown }
}

interface Helper {
  readonly ctl: Int32Array
  readonly post: (job: HelperJob) => void
  jobs: number
}

const threads = (): NodeThreads | undefined =>
  (globalThis as { process?: { getBuiltinModule?: (m: string) => unknown } }).process?.getBuiltinModule?.("node:worker_threads") as NodeThreads | undefined

const mayBlock = (): boolean => {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0)
    return true
  } catch {
    return false
  }
}

const here = import.meta.url
const entry = new URL(`./gemm-helper${here.endsWith(".ts") ? ".ts" : ".js"}`, here).href
// The helper's script: register tsx for TypeScript sources, then load the helper module.
const boot = `
const { workerData } = require("node:worker_threads");
(async () => {
  if (workerData.entry.endsWith(".ts")) (await import("tsx/esm/api")).register();
  await import(workerData.entry);
})().catch(() => {
  const c = new Int32Array(workerData.control);
  Atomics.store(c, ${HELPER_BOOTED}, 2);
  Atomics.notify(c, ${HELPER_BOOTED});
});
`

const helpers: Helper[] = []
let usable: boolean | undefined

const spawn = (wt: NodeThreads): Helper => {
  const control = new SharedArrayBuffer(HELPER_CONTROL_INTS * 4)
  const { port1, port2 } = new wt.MessageChannel()
  const w = new wt.Worker(boot, { eval: true, workerData: { control, port: port2, entry }, transferList: [port2] })
  w.on("error", () => {
    // a helper that fails to start reports it in its control words
  })
  w.unref()
  port1.unref?.()
  return { ctl: new Int32Array(control), post: (job) => port1.postMessage(job), jobs: 0 }
}

/** The helpers ready now (starting the missing ones, which join later calls). */
const readyHelpers = (want: number): Helper[] => {
  usable ??= typeof SharedArrayBuffer === "function" && threads() !== undefined && mayBlock()
  if (!usable) return []
  const wt = threads()!
  while (helpers.length < want) helpers.push(spawn(wt))
  return helpers.slice(0, want).filter((h) => Atomics.load(h.ctl, HELPER_BOOTED) === 1)
}

// One shared buffer for the operands and the helpers' rows, grown as needed.
let staging: SharedArrayBuffer | undefined
const stagingFor = (floats: number): SharedArrayBuffer => {
  if (staging === undefined || staging.byteLength < floats * 4) staging = new SharedArrayBuffer(Math.max(floats * 4, (staging?.byteLength ?? 0) * 2))
  return staging
}

/** Whether `splitGemm` would try to split a product of this size (the intra-op setting and size alone). */
export const splitsGemm = (M: number, N: number, K: number): boolean => threadsSetting.get() >= 2 && M * N * K >= intraOpPolicy.minWork && M >= 8

/**
 * out[i, j] = sum_k A(i, k) B(k, j) (one batch element, offsets 0) split over the intra-op
 * threads; false when it is not split (too small, one thread, or no helper ready yet).
 */
export const splitGemm = (g: WasmGemm, out: Float32Array, a: StridedF32, b: StridedF32, M: number, N: number, K: number): boolean => {
  const T = threadsSetting.get()
  if (T < 2 || M * N * K < intraOpPolicy.minWork || M < 8) return false
  const hs = readyHelpers(T - 1)
  if (hs.length === 0) return false
  const parts = hs.length + 1
  const rows = Math.ceil(M / parts / 4) * 4
  // the operands' spans, then each helper's rows of D
  const aLen = (M - 1) * a.s0 + (K - 1) * a.s1 + 1
  const bLen = (K - 1) * b.s0 + (N - 1) * b.s1 + 1
  const dOff = aLen + bLen
  const data = stagingFor(dOff + Math.max(0, M - rows) * N)
  const f = new Float32Array(data)
  f.set(a.data.subarray(a.off, a.off + aLen), 0)
  f.set(b.data.subarray(b.off, b.off + bLen), aLen)
  const posted: { h: Helper; lo: number; hi: number }[] = []
  for (let p = 1; p < parts; p++) {
    const lo = Math.min(M, p * rows)
    const hi = Math.min(M, lo + rows)
    if (lo >= hi) break
    const h = hs[p - 1]!
    h.post({ data, aOff: lo * a.s0, aS0: a.s0, aS1: a.s1, bOff: aLen, bS0: b.s0, bS1: b.s1, dOff: dOff + (lo - rows) * N, M: hi - lo, N, K })
    Atomics.store(h.ctl, HELPER_JOB, ++h.jobs)
    Atomics.notify(h.ctl, HELPER_JOB)
    posted.push({ h, lo, hi })
  }
  intraOpStats.split++
  let ok = g.run(out, 0, a, b, 1, Math.min(rows, M), N, K)
  for (const { h, lo, hi } of posted) {
    while (Atomics.load(h.ctl, HELPER_DONE) !== h.jobs) Atomics.wait(h.ctl, HELPER_DONE, Atomics.load(h.ctl, HELPER_DONE), 1000)
    const sub = { ...a, off: a.off + lo * a.s0 }
    // a helper that failed (memory) leaves its rows to this thread
    if (Atomics.load(h.ctl, HELPER_FAILED) !== 0) ok = ok && g.run(out, lo * N, sub, b, 1, hi - lo, N, K)
    else out.set(f.subarray(dOff + (lo - rows) * N, dOff + (hi - rows) * N), lo * N)
  }
  // (false only if this thread's kernel could not grow its memory: the caller computes it all)
  return ok
}
