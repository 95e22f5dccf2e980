/**
 * A worker CPU device's thread (a Node worker_threads Worker or a browser's module Web Worker):
 * loads jaxfx with one local CPU device, then runs the programs the calling thread sends, in
 * order, on buffers in shared memory, publishes progress in the shared control block and reports
 * failed commands on the callback port (protocol.ts). This is the package's `jaxfx/worker` entry:
 * bundled apps bundle it as the worker script (see the `jaxfxWorkerUrl` setting).
 */
import type { KernelInput, Executable } from "../../../core/backend.js"
import type { ShapedArray } from "../../../core/array.js"
import type { AnyTypedArray } from "../../../core/dtype.js"
import { BOOTED, type Command, DONE, ERROR_BYTES, ERROR_LENGTH, type WorkerInit, type WorkerMessage } from "./protocol.js"

interface Port {
  postMessage(m: WorkerMessage): void
}

/** How commands reach this thread: a handler for each batch. */
interface Inbox {
  readonly init: WorkerInit
  readonly callbacks: Port
  listen(f: (batch: ReadonlyArray<Command>) => void): void
}

interface NodeThreads {
  readonly workerData: WorkerInit & { callbacks: Port }
  readonly parentPort: { on(event: "message", f: (batch: ReadonlyArray<Command>) => void): void } | null
}

interface WebScope {
  addEventListener(type: "message", f: (e: { readonly data: unknown }) => void): void
}

const nodeThreads = (globalThis as { process?: { getBuiltinModule?: (m: string) => unknown } }).process?.getBuiltinModule?.("node:worker_threads") as
  NodeThreads | undefined

/**
 * In Node, the init data and commands come from worker_threads; in a Web Worker, the first message
 * is `{ init, callbacks }` and every later one a batch (kept until jaxfx has loaded).
 */
const inbox = (): Promise<Inbox> => {
  if (nodeThreads?.parentPort != null) {
    const port = nodeThreads.parentPort
    return Promise.resolve({ init: nodeThreads.workerData, callbacks: nodeThreads.workerData.callbacks, listen: (f) => port.on("message", f) })
  }
  return new Promise((resolve) => {
    let handler: ((batch: ReadonlyArray<Command>) => void) | undefined
    const early: Array<ReadonlyArray<Command>> = []
    ;(globalThis as unknown as WebScope).addEventListener("message", (e) => {
      const m = e.data as { init?: WorkerInit; callbacks?: Port }
      if (m.init !== undefined && m.callbacks !== undefined) {
        const callbacks = m.callbacks
        resolve({
          init: m.init,
          callbacks,
          listen: (f) => {
            handler = f
            for (const b of early.splice(0)) f(b)
          }
        })
      } else if (handler === undefined) early.push(e.data as ReadonlyArray<Command>)
      else handler(e.data as ReadonlyArray<Command>)
    })
  })
}

const { init, callbacks: port, listen } = await inbox()
const control = new Int32Array(init.control)
const errorArea = new Uint8Array(init.error)

const publishError = (message: string): void => {
  const bytes = new TextEncoder().encode(message).subarray(0, ERROR_BYTES)
  errorArea.set(bytes)
  Atomics.store(control, ERROR_LENGTH, bytes.length)
}

interface Program {
  readonly exe: Executable
  readonly ins: ReadonlyArray<ShapedArray>
}

const main = async (): Promise<void> => {
  // One local device: this thread is a device, not a host of devices.
  const { config } = await import("../../../index.js")
  config.update("jaxfxCpuDevices", 1)
  config.update("jaxDefaultDevice", null)
  // Devices run in parallel already: their kernels stay on their own thread.
  config.update("jaxfxIntraOpThreads", 1)
  const { hostDevice } = await import("../../../core/devices/registry.js")
  const { decodeJaxpr } = await import("./wire.js")
  const { runIntoOf } = await import("../compile/run-into.js")
  const { abortCommunicator, withMembers } = await import("../../../core/parallel/communicator.js")
  type Communicator = import("../../../core/parallel/communicator.js").Communicator
  type Member = import("../../../core/parallel/communicator.js").Member
  /** The communicators of pmaps this device takes part in, by id. */
  const comms = new Map<number, Communicator>()
  const device = hostDevice()
  const programs = new Map<number, Program>()
  /** Programs that failed to compile: their runs fail with this message. */
  const broken = new Map<number, string>()
  /** Commands that failed: commands reading their results fail with the same message. */
  const failed = new Map<number, string>()
  const callback =
    (id: number) =>
    (...args: unknown[]): void =>
      port.postMessage({ kind: "callback", id, args })
  const describe = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e))
  const run = (c: Command): void => {
    switch (c.kind) {
      case "define": {
        try {
          const jaxpr = decodeJaxpr(c.program, callback)
          programs.set(c.id, { exe: device.backend.compile(jaxpr), ins: [...jaxpr.constVars, ...jaxpr.inVars].map((v) => v.aval) })
        } catch (e) {
          broken.set(c.id, describe(e))
        }
        return
      }
      case "comm":
        comms.set(c.id, { id: c.id, size: c.size, slotBytes: c.slotBytes, buffer: c.buffer })
        return
      case "forget":
        programs.delete(c.id)
        broken.delete(c.id)
        return
      case "run": {
        let message: string | undefined
        for (const s of c.after) if (s !== 0 && (message = failed.get(s)) !== undefined) break
        message ??= broken.get(c.id)
        const members: Member[] = (c.members ?? []).map((m) => ({ axisName: m.axisName, rank: m.rank, comm: comms.get(m.comm)! }))
        if (message === undefined) {
          try {
            const p = programs.get(c.id)
            if (p === undefined) throw new Error(`jaxfx worker: program ${c.id} is not defined`)
            const inputs: KernelInput[] = c.ins.map((buffer, i) => ({ buffer, aval: p.ins[i]! }))
            // The compiler's executables write their outputs straight into the shared buffers.
            const into = runIntoOf(p.exe)
            const exec = (): void => {
              if (into !== undefined) into(inputs, c.outs as AnyTypedArray[])
              else p.exe(inputs).forEach((o, i) => (c.outs[i] as AnyTypedArray).set(o as AnyTypedArray))
            }
            if (members.length === 0) exec()
            else withMembers(members, exec)
          } catch (e) {
            message = describe(e)
          }
        }
        if (message !== undefined) {
          // The other members must not wait for this one at a collective.
          for (const m of members) abortCommunicator(m.comm)
          failed.set(c.seq, message)
          port.postMessage({ kind: "failed", seq: c.seq, message })
        }
        // (after the failure message: a reader that sees the command done finds the message)
        Atomics.store(control, DONE, c.seq)
        return
      }
    }
  }
  listen((batch) => {
    for (const c of batch) run(c)
    Atomics.notify(control, DONE)
    if (init.progress) port.postMessage({ kind: "progress", seq: Atomics.load(control, DONE) })
  })
  Atomics.store(control, BOOTED, 1)
  Atomics.notify(control, BOOTED)
}

main().catch((e: unknown) => {
  publishError(`the worker could not load jaxfx: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
  Atomics.store(control, BOOTED, 2)
  Atomics.notify(control, BOOTED)
  Atomics.notify(control, DONE)
})
