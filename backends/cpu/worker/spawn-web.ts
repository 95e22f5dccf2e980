/**
 * Starting a worker device's thread in a browser: a module Web Worker running worker/main. Commands
 * go to the worker with `postMessage`; buffers are SharedArrayBuffers, which browsers give only to
 * cross-origin isolated pages (served with `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`). The worker's script is worker/main.js next to this
 * module, or, for bundled apps, the URL in the `jaxfxWorkerUrl` setting (a bundle of
 * `jaxfx/worker`).
 */
import { defineSetting } from "../../../core/config.js"
import { ValueError } from "../../../core/errors.js"
import { BOOTED, ERROR_LENGTH, type WorkerInit, type WorkerMessage } from "./protocol.js"
import type { SpawnInit, WorkerHandle } from "./spawn.js"

interface WebPort {
  postMessage(value: unknown, transfer?: ReadonlyArray<unknown>): void
  onmessage: ((e: { readonly data: WorkerMessage }) => void) | null
}

interface WebWorker {
  postMessage(value: unknown, transfer?: ReadonlyArray<unknown>): void
  addEventListener(type: "error" | "messageerror", f: (e: { readonly message?: string }) => void): void
}

interface WebGlobals {
  readonly Worker?: new (url: string, options: { type: "module"; name: string }) => WebWorker
  readonly MessageChannel?: new () => { port1: WebPort; port2: WebPort }
  readonly location?: { readonly href: string }
}

const web = globalThis as unknown as WebGlobals

/** Whether this environment has module Web Workers (a browser page or worker). */
export const webWorkers = (): boolean => typeof web.Worker === "function" && typeof web.MessageChannel === "function"

const workerUrl = defineSetting<string | null>({
  name: "jaxfxWorkerUrl",
  initial: null,
  describe: "in a browser, the URL of the script worker CPU devices run (a bundle of the entry jaxfx/worker); null: worker/main.js next to jaxfx's own modules",
  check: (v, source) => {
    if (v === null || typeof v === "string") return v
    if (typeof v === "object" && v !== null && typeof (v as { href?: unknown }).href === "string") return (v as { href: string }).href
    throw new ValueError(`${source}: expected the URL of the worker script (a string or URL) or null, got ${String(v)}.`)
  }
})

// The worker's entry module, next to this one (.ts from sources, .js from the built package or a bundle).
const here = import.meta.url
const defaultEntry = (): string => new URL(`./main${here.endsWith(".ts") ? ".ts" : ".js"}`, here).href

/** Write `message` as the worker's start failure, as the worker itself would. */
const publishStartFailure = (init: SpawnInit, message: string): void => {
  const control = new Int32Array(init.control)
  if (Atomics.load(control, BOOTED) !== 0) return
  const bytes = new TextEncoder().encode(message).subarray(0, init.error.byteLength)
  new Uint8Array(init.error).set(bytes)
  Atomics.store(control, ERROR_LENGTH, bytes.length)
  Atomics.store(control, BOOTED, 2)
  Atomics.notify(control, BOOTED)
  Atomics.notify(control, 0)
}

/** Start a module Web Worker for a device; its progress messages tell which messages have arrived. */
export const spawnWebWorker = (init: SpawnInit, onMessage: (m: WorkerMessage) => void): WorkerHandle => {
  const Worker = web.Worker!
  const Channel = web.MessageChannel!
  const configured = workerUrl.get()
  const entry = configured === null ? defaultEntry() : new URL(configured, web.location?.href ?? here).href
  const w = new Worker(entry, { type: "module", name: `jaxfx CpuDevice ${init.index}` })
  w.addEventListener("error", (e) =>
    publishStartFailure(
      init,
      `the worker script ${entry} could not run (${e.message ?? "no message"}); in a bundled app, bundle the entry jaxfx/worker ` +
        'and give its URL with config.update("jaxfxWorkerUrl", url).'
    )
  )
  const { port1, port2 } = new Channel()
  let progress = 0
  const waiting: Array<{ seq: number; resolve: () => void }> = []
  port1.onmessage = (e) => {
    const m = e.data
    if (m.kind !== "progress") return onMessage(m)
    progress = Math.max(progress, m.seq)
    for (let i = waiting.length - 1; i >= 0; i--) {
      if (waiting[i]!.seq <= progress) waiting.splice(i, 1)[0]!.resolve()
    }
  }
  const data: WorkerInit = { ...init, entry, progress: true }
  w.postMessage({ init: data, callbacks: port2 }, [port2])
  return {
    post: (batch) => w.postMessage(batch),
    // A browser cannot take messages off a port synchronously: they arrive when the event loop turns.
    drain: () => {},
    settled: (seq) => (seq <= progress ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ seq, resolve }))),
    // Pages do not exit while a worker runs.
    hold: () => () => {}
  }
}
