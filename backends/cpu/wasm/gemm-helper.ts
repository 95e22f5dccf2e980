/**
 * An intra-op helper thread of the float32 GEMM (gemm-threads.ts): it waits on its control word,
 * claims each job (unless the calling thread took it back), computes its block of output rows or
 * columns with its own Wasm kernel from the job's shared buffers, and publishes the job as done.
 * It runs nothing else, so it may block.
 */
import { type HelperJob, HELPER_BOOTED, HELPER_CLAIM, HELPER_DONE, HELPER_FAILED, HELPER_JOB, type HelperInit } from "./gemm-protocol.js"

interface NodeThreads {
  readonly workerData: HelperInit
  readonly receiveMessageOnPort: (port: unknown) => { message: HelperJob } | undefined
}

const wt = (globalThis as { process?: { getBuiltinModule?: (m: string) => unknown } }).process?.getBuiltinModule?.("node:worker_threads") as NodeThreads
const { control, port } = wt.workerData
const ctl = new Int32Array(control)

const start = async (): Promise<void> => {
  const { WasmGemm } = await import("./gemm.js")
  const gemm = new WasmGemm()
  Atomics.store(ctl, HELPER_BOOTED, 1)
  Atomics.notify(ctl, HELPER_BOOTED)
  let seen = 0
  const runJob = (job: HelperJob): void => {
    // a job the calling thread claimed already (it was not started in time) is skipped
    if (Atomics.compareExchange(ctl, HELPER_CLAIM, job.n - 1, job.n) !== job.n - 1) return
    let failed = 0
    try {
      // (a buffer shared by two operands gets two views: the kernel only reads them)
      const a = { data: new Float32Array(job.a), off: job.aOff, sB: 0, s0: job.aS0, s1: job.aS1 }
      const b = { data: new Float32Array(job.b), off: job.bOff, sB: 0, s0: job.bS0, s1: job.bS1 }
      if (!gemm.run(new Float32Array(job.d), job.dOff, a, b, 1, job.M, job.N, job.K, job.ldd)) failed = 1
    } catch {
      failed = 1
    }
    Atomics.store(ctl, HELPER_FAILED, failed)
    Atomics.store(ctl, HELPER_DONE, job.n)
    Atomics.notify(ctl, HELPER_DONE)
  }
  for (;;) {
    // (a timed wait: the thread stays interruptible when the process ends)
    if (Atomics.wait(ctl, HELPER_JOB, seen, 1000) === "timed-out") continue
    seen = Atomics.load(ctl, HELPER_JOB)
    // every job posted so far (each is posted before its number is published)
    for (let m = wt.receiveMessageOnPort(port); m !== undefined; m = wt.receiveMessageOnPort(port)) runJob(m.message)
  }
}

start().catch(() => {
  Atomics.store(ctl, HELPER_BOOTED, 2)
  Atomics.notify(ctl, HELPER_BOOTED)
})
