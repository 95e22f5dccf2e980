/**
 * Intra-op parallelism of the float32 GEMM: with `jaxfxIntraOpThreads` = T > 1 (by default the
 * machine's cores), a product of at least `intraOpPolicy.minWork` multiply-adds (one batch
 * element) is split into T blocks of output rows (multiples of the micro-kernel's 4 rows) or, when
 * N > M, of output columns (multiples of its 8-column panels): the calling thread computes the
 * first block in place while T - 1 helper threads (gemm-helper.ts) compute the others, reading the
 * operands in place when they are in shared memory and from one shared staging copy otherwise;
 * then it waits for them (Atomics.wait) and copies their blocks in. A block whose helper has not
 * started it by then (on a machine busier than its cores, the helper waits for a core) is taken
 * back and computed on the calling thread, so a split costs little even there. The contraction is never
 * split: each output element is the same sum in the same order as in one call (the kernel orders
 * its sums by k alone), so results are bit for bit those of one thread, for every thread count.
 * Smaller products stay on the calling thread.
 *
 * Helpers start at the first large product and are used once they have started (until then
 * products run on one thread); they need Node's worker_threads and a thread that may block
 * (`Atomics.wait`), so elsewhere (browsers) every product runs on the calling thread. Worker CPU
 * devices run with one thread: they are parallel already.
 */
import { defineSetting, parseIntStrict, positiveInt } from "../../../core/config.js"
import type { StridedF32, WasmGemm } from "./gemm.js"
import { type HelperInit, type HelperJob, HELPER_BOOTED, HELPER_CLAIM, HELPER_CONTROL_INTS, HELPER_DONE, HELPER_FAILED, HELPER_JOB } from "./gemm-protocol.js"

/** The most intra-op threads one may ask for. */
export const MAX_INTRA_OP_THREADS = 64

/** The machine's cores (Node's `os.availableParallelism`, a browser's `hardwareConcurrency`), 1 to 64. */
function defaultThreads(): number {
  const g = globalThis as {
    process?: { getBuiltinModule?: (m: string) => unknown }
    navigator?: { hardwareConcurrency?: number }
  }
  let n: number | undefined
  try {
    const os = g.process?.getBuiltinModule?.("node:os") as { availableParallelism?: () => number; cpus?: () => unknown[] } | undefined
    n = os?.availableParallelism?.() ?? os?.cpus?.().length
  } catch {
    n = undefined
  }
  n ??= g.navigator?.hardwareConcurrency
  return Number.isInteger(n) && n! >= 1 ? Math.min(n!, MAX_INTRA_OP_THREADS) : 1
}

const threadsSetting = defineSetting<number>({
  name: "jaxfxIntraOpThreads",
  env: "JAXFX_INTRA_OP_THREADS",
  initial: defaultThreads(),
  describe: "threads a large CPU kernel (a float32 matrix product) is split over, the calling thread included (default: the machine's cores); 1: no split",
  check: positiveInt(MAX_INTRA_OP_THREADS),
  parse: parseIntStrict(positiveInt(MAX_INTRA_OP_THREADS))
})

export const intraOpPolicy = {
  /** Smallest M * N * K (one batch element) split over threads. */
  minWork: 256 ** 3,
  /** Take back blocks a helper has not started (off: always wait for the helpers; tests). */
  takeBack: true
}

/**
 * How many products were split over threads, into how many blocks in all, and how many blocks the
 * calling thread took back from a helper that had not started them (for tests and benchmarks).
 */
export const intraOpStats = { split: 0, blocks: 0, takenBack: 0 }

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

// One shared buffer for the operands' and results' staging copies, grown as needed.
let staging: SharedArrayBuffer | undefined
const stagingFor = (floats: number): SharedArrayBuffer => {
  if (staging === undefined || staging.byteLength < floats * 4) staging = new SharedArrayBuffer(Math.max(floats * 4, (staging?.byteLength ?? 0) * 2))
  return staging
}

/** Whether `splitGemm` may split a product of this size (the intra-op setting and size alone; conservative: true when it might). */
export const splitsGemm = (M: number, N: number, K: number): boolean => threadsSetting.get() >= 2 && M * N * K >= intraOpPolicy.minWork && Math.max(M, N) >= 8

/** The shared buffer under a view and the view's first element in it, if it is shared memory. */
const sharedOf = (x: Float32Array): { buf: SharedArrayBuffer; base: number } | undefined =>
  typeof SharedArrayBuffer === "function" && x.buffer instanceof SharedArrayBuffer ? { buf: x.buffer, base: x.byteOffset / 4 } : undefined

/** One thread's block: output rows (or columns) lo .. hi - 1. */
interface Block {
  readonly lo: number
  readonly hi: number
}

/**
 * out[i, j] = sum_k A(i, k) B(k, j) (one batch element, offsets into the views) split over the
 * intra-op threads; false when it is not split (too small, one thread, or no helper ready yet).
 * The longer free dimension is split: output rows (multiples of the micro-kernel's rows) when
 * M >= N, else output columns (multiples of its panel width), so that the operand every thread
 * packs whole is the smaller one. Never the contraction: each output is the one-thread sum.
 * Operands and result in shared memory already are used in place; others are staged through one
 * shared buffer (the helpers' parts only).
 */
export const splitGemm = (g: WasmGemm, out: Float32Array, a: StridedF32, b: StridedF32, M: number, N: number, K: number): boolean => {
  const T = threadsSetting.get()
  if (T < 2 || M * N * K < intraOpPolicy.minWork) return false
  if (a.s0 < 0 || a.s1 < 0 || b.s0 < 0 || b.s1 < 0) return false
  const byRows = M >= N
  const unit = byRows ? g.cfg.mr : g.cfg.nr
  const len = byRows ? M : N
  if (len < 2 * unit) return false
  const hs = readyHelpers(T - 1)
  if (hs.length === 0) return false
  const parts = Math.min(hs.length + 1, Math.floor(len / unit))
  const size = Math.ceil(len / parts / unit) * unit
  const blocks: Block[] = []
  for (let lo = 0; lo < len; lo += size) blocks.push({ lo, hi: Math.min(len, lo + size) })
  if (blocks.length < 2) return false
  const helped = blocks.slice(1)
  // each block's operands (views relative to a.off / b.off) and its output shape
  const aOf = (k: Block): number => (byRows ? k.lo * a.s0 : 0)
  const bOf = (k: Block): number => (byRows ? 0 : k.lo * b.s1)
  const mOf = (k: Block): number => (byRows ? k.hi - k.lo : M)
  const nOf = (k: Block): number => (byRows ? N : k.hi - k.lo)
  // the spans of A and B the helpers read, and the floats their results need if staged
  const aLo = aOf(helped[0]!)
  const aHi = Math.max(...helped.map((k) => aOf(k) + (mOf(k) - 1) * a.s0 + (K - 1) * a.s1 + 1))
  const bLo = bOf(helped[0]!)
  const bHi = Math.max(...helped.map((k) => bOf(k) + (K - 1) * b.s0 + (nOf(k) - 1) * b.s1 + 1))
  const sa = sharedOf(a.data)
  const sb = sharedOf(b.data)
  const sd = sharedOf(out)
  const aStage = sa === undefined ? aHi - aLo : 0
  const bStage = sb === undefined ? bHi - bLo : 0
  const dStage = sd === undefined ? helped.reduce((t, k) => t + mOf(k) * nOf(k), 0) : 0
  const st = aStage + bStage + dStage > 0 ? stagingFor(aStage + bStage + dStage) : undefined
  const f = st === undefined ? undefined : new Float32Array(st)
  if (sa === undefined) f!.set(a.data.subarray(a.off + aLo, a.off + aHi), 0)
  if (sb === undefined) f!.set(b.data.subarray(b.off + bLo, b.off + bHi), aStage)
  // where a view's element 0 (relative to a.off / b.off) is in the buffer the helper gets
  const [aBuf, a0] = sa === undefined ? [st!, -aLo] : [sa.buf, sa.base + a.off]
  const [bBuf, b0] = sb === undefined ? [st!, aStage - bLo] : [sb.buf, sb.base + b.off]
  const posted: { h: Helper; n: number; k: Block; dAt: number }[] = []
  let dNext = aStage + bStage
  helped.forEach((k, p) => {
    const h = hs[p]!
    const [dBuf, dOff, ldd] = sd === undefined ? [st!, dNext, nOf(k)] : [sd.buf, sd.base + (byRows ? k.lo * N : k.lo), N]
    const n = ++h.jobs
    posted.push({ h, n, k, dAt: dNext })
    if (sd === undefined) dNext += mOf(k) * nOf(k)
    h.post({
      n,
      a: aBuf,
      aOff: a0 + aOf(k),
      aS0: a.s0,
      aS1: a.s1,
      b: bBuf,
      bOff: b0 + bOf(k),
      bS0: b.s0,
      bS1: b.s1,
      d: dBuf,
      dOff,
      ldd,
      M: mOf(k),
      N: nOf(k),
      K
    })
    Atomics.store(h.ctl, HELPER_JOB, n)
    Atomics.notify(h.ctl, HELPER_JOB)
  })
  intraOpStats.split++
  intraOpStats.blocks += blocks.length
  const sub = (k: Block): [StridedF32, StridedF32, number] => [{ ...a, off: a.off + aOf(k) }, { ...b, off: b.off + bOf(k) }, byRows ? k.lo * N : k.lo]
  const [a1, b1, o1] = sub(blocks[0]!)
  let ok = g.run(out, o1, a1, b1, 1, mOf(blocks[0]!), nOf(blocks[0]!), K, N)
  for (const { h, n, k, dAt } of posted) {
    const [m, nk] = [mOf(k), nOf(k)]
    // a block its helper has not started yet (a busy machine: the helper waits for a core) is
    // taken back and computed here, so a split is never slower than one thread by more than a
    // hand-off; one the helper claimed is waited for
    const takenBack = intraOpPolicy.takeBack && Atomics.compareExchange(h.ctl, HELPER_CLAIM, n - 1, n) === n - 1
    if (!takenBack) while (Atomics.load(h.ctl, HELPER_DONE) !== n) Atomics.wait(h.ctl, HELPER_DONE, Atomics.load(h.ctl, HELPER_DONE), 1000)
    if (takenBack || Atomics.load(h.ctl, HELPER_FAILED) !== 0) {
      // (also a block whose helper failed: out of memory)
      if (takenBack) intraOpStats.takenBack++
      const [ak, bk, o] = sub(k)
      ok = ok && g.run(out, o, ak, bk, 1, m, nk, K, N)
    } else if (sd === undefined) {
      if (byRows) out.set(f!.subarray(dAt, dAt + m * nk), k.lo * N)
      else for (let i = 0; i < m; i++) out.set(f!.subarray(dAt + i * nk, dAt + (i + 1) * nk), i * N + k.lo)
    }
  }
  // (false only if this thread's kernel could not grow its memory: the caller computes it all)
  return ok
}
