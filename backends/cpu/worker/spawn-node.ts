/**
 * Starting a worker device's thread in Node: a `worker_threads` Worker running worker/main (when
 * jaxfx runs from its TypeScript sources, the worker registers tsx first, as the calling process
 * did). The worker does not keep the process alive.
 */
import { BOOTED, type WorkerMessage, DONE, ERROR_LENGTH, type WorkerInit } from "./protocol.js"
import type { SpawnInit, WorkerHandle } from "./spawn.js"

interface NodeWorker {
  postMessage(value: unknown): void
  on(event: "error", f: (e: unknown) => void): void
  ref(): void
  unref(): void
}

interface NodePort {
  on(event: "message", f: (m: WorkerMessage) => void): void
  unref(): void
}

export interface WorkerThreads {
  readonly Worker: WorkerCtor
  readonly MessageChannel: new () => { port1: NodePort; port2: NodePort }
  readonly receiveMessageOnPort: (port: NodePort) => { message: WorkerMessage } | undefined
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

type WorkerCtor = new (code: string, options: { eval: true; workerData: WorkerInit & { callbacks: NodePort }; transferList: NodePort[] }) => NodeWorker

/** Node's worker_threads, loaded without a static import (so browsers can load this module); undefined elsewhere. */
export const nodeWorkerThreads = (): WorkerThreads | undefined => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (m: string) => unknown } }).process
  return proc?.getBuiltinModule?.("node:worker_threads") as WorkerThreads | undefined
}

/**
 * Start a worker. Host callbacks come back on a port of their own: this thread runs them when its
 * event loop turns, and `drain` runs the ones already sent at once (every wait for the worker does,
 * so a callback has run by the time the results of its program are read).
 */
export const spawnNodeWorker = (wt: WorkerThreads, init: SpawnInit, onMessage: (m: WorkerMessage) => void): WorkerHandle => {
  const { port1, port2 } = new wt.MessageChannel()
  const data: WorkerInit & { callbacks: NodePort } = { ...init, entry, progress: false, callbacks: port2 }
  const w = new wt.Worker(boot, { eval: true, workerData: data, transferList: [port2] })
  w.on("error", () => {
    // Failures are published in shared memory by the worker itself; nothing to do here.
  })
  w.unref()
  port1.on("message", onMessage)
  port1.unref()
  let holds = 0
  const drain = (): void => {
    for (let m = wt.receiveMessageOnPort(port1); m !== undefined; m = wt.receiveMessageOnPort(port1)) onMessage(m.message)
  }
  return {
    post: (batch) => w.postMessage(batch),
    hold: () => {
      if (holds++ === 0) w.ref()
      let done = false
      return () => {
        if (done) return
        done = true
        if (--holds === 0) w.unref()
      }
    },
    drain,
    settled: () => {
      drain()
      return Promise.resolve()
    }
  }
}
