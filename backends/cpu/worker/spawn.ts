/**
 * Starting a worker device's thread: a Node `worker_threads` Worker (spawn-node.ts) or, in a
 * browser, a module Web Worker (spawn-web.ts). Both run the same entry (worker/main) and share
 * buffers with the calling thread through SharedArrayBuffer.
 */
import { DeviceError } from "../../../core/errors.js"
import type { Command, WorkerInit, WorkerMessage } from "./protocol.js"
import { nodeWorkerThreads, spawnNodeWorker } from "./spawn-node.js"
import { spawnWebWorker, webWorkers } from "./spawn-web.js"

export interface WorkerHandle {
  post(batch: ReadonlyArray<Command>): void
  /** Run the host callbacks the worker has sent so far, here and now, where the platform can (Node). */
  drain(): void
  /** Resolves once every message the worker sent before finishing command `seq` has been handled. */
  settled(seq: number): Promise<void>
  /** Keep the process alive while something awaits the worker (an asynchronous read); nested holds count. */
  hold(): () => void
}

/** What the calling thread gives a worker; the spawner adds the entry and how progress is reported. */
export type SpawnInit = Omit<WorkerInit, "entry" | "progress">

/**
 * Whether the callbacks and failure reports a worker sent can be taken here synchronously (Node's
 * `receiveMessageOnPort`), as a synchronous read needs; browsers deliver them only as events.
 */
export const canDrainSynchronously = (): boolean => nodeWorkerThreads() !== undefined

/** Start a worker for a device: Node's worker_threads where they exist, else Web Workers. */
export const spawnWorker = (init: SpawnInit, onMessage: (m: WorkerMessage) => void): WorkerHandle => {
  const wt = nodeWorkerThreads()
  if (wt !== undefined) return spawnNodeWorker(wt, init, onMessage)
  if (webWorkers()) return spawnWebWorker(init, onMessage)
  throw new DeviceError(
    "worker CPU devices need Node's worker_threads (Node 20.16+) or Web Workers, which this environment does not provide; " +
      'use one CPU device here (JAXFX_CPU_DEVICES=1, or config.update("jaxfxCpuDevices", 1)).'
  )
}
