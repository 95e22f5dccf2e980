/**
 * Starting a worker device's thread. In Node: a `worker_threads` Worker running worker/main (when
 * jaxfx runs from its TypeScript sources, the worker registers tsx first, as the calling process
 * did). The worker does not keep the process alive. Browsers (Web Workers) are not wired yet.
 */
import { DeviceError } from "../../../core/errors.js"
import { BOOTED, type CallbackMessage, type Command, DONE, ERROR_LENGTH, type WorkerInit } from "./protocol.js"

export interface WorkerHandle {
  post(batch: ReadonlyArray<Command>): void
}

interface NodeWorker {
  postMessage(value: unknown): void
  on(event: "message", f: (m: CallbackMessage) => void): void
  on(event: "error", f: (e: unknown) => void): void
  unref(): void
}

// The worker's entry module, next to this one (.ts from sources, .js from the built package).
const here = import.meta.url
const entry = new URL(`./main${here.endsWith(".ts") ? ".ts" : ".js"}`, here).href

// Evaluated as the worker's script: register tsx for TypeScript sources, then load the entry.
const boot = `
const { workerData } = require("node:worker_threads");
(async () => {
  if (workerData.entry.endsWith(".ts")) {
    const { register } = await import("tsx/esm/api");
    register();
  }
  await import(workerData.entry);
})().catch((e) => {
  const c = new Int32Array(workerData.control);
  const bytes = new TextEncoder().encode("the worker could not start: " + (e && e.stack || e)).subarray(0, workerData.error.byteLength);
  new Uint8Array(workerData.error).set(bytes);
  Atomics.store(c, ${ERROR_LENGTH}, bytes.length);
  Atomics.store(c, ${BOOTED}, 2);
  Atomics.notify(c, ${BOOTED});
  Atomics.notify(c, ${DONE});
});
`

type WorkerCtor = new (code: string, options: { eval: true; workerData: WorkerInit }) => NodeWorker

let workerCtor: WorkerCtor | undefined

/** Node's Worker class, loaded without a static import (so browsers can load this module). */
const nodeWorker = (): WorkerCtor => {
  if (workerCtor !== undefined) return workerCtor
  const proc = (globalThis as { process?: { getBuiltinModule?: (m: string) => unknown; versions?: { node?: string } } }).process
  const mod = proc?.getBuiltinModule?.("node:worker_threads") as { Worker: WorkerCtor } | undefined
  if (mod !== undefined) return (workerCtor = mod.Worker)
  throw new DeviceError(
    "worker CPU devices need Node's worker_threads (Node 20.16+), which this environment does not provide; use JAXFX_CPU_DEVICES=1 here."
  )
}

export const spawnWorker = (init: Omit<WorkerInit, "entry">, onMessage: (m: CallbackMessage) => void): WorkerHandle => {
  const Worker = nodeWorker()
  const w = new Worker(boot, { eval: true, workerData: { ...init, entry } })
  w.on("message", onMessage)
  w.on("error", () => {
    // Failures are published in shared memory by the worker itself; nothing to do here.
  })
  w.unref()
  return { post: (batch) => w.postMessage(batch) }
}
