/**
 * A worker CPU device's thread: loads jaxfx with one local CPU device, then runs the programs the
 * calling thread sends, in order, on buffers in shared memory, and publishes progress and
 * failures in the shared control block (protocol.ts).
 */
import { parentPort, workerData } from "node:worker_threads"
import type { KernelInput, Executable } from "../../../core/backend.js"
import type { ShapedArray } from "../../../core/array.js"
import type { AnyTypedArray } from "../../../core/dtype.js"
import { BOOTED, type CallbackMessage, type Command, DONE, ERROR_BYTES, ERROR_LENGTH, FAILED, type WorkerInit } from "./protocol.js"

const init = workerData as WorkerInit
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
  const { hostDevice } = await import("../../../core/devices/registry.js")
  const { decodeJaxpr } = await import("./wire.js")
  const device = hostDevice()
  const programs = new Map<number, Program>()
  let failed = false
  const callbacks = (workerData as { callbacks: { postMessage(m: unknown): void } }).callbacks
  const callback = (id: number) => (...args: unknown[]): void => {
    const m: CallbackMessage = { kind: "callback", id, args }
    callbacks.postMessage(m)
  }
  const run = (c: Command): void => {
    switch (c.kind) {
      case "define": {
        const jaxpr = decodeJaxpr(c.program, callback)
        programs.set(c.id, { exe: device.backend.compile(jaxpr), ins: [...jaxpr.constVars, ...jaxpr.inVars].map((v) => v.aval) })
        return
      }
      case "forget":
        programs.delete(c.id)
        return
      case "run": {
        const p = programs.get(c.id)
        if (p === undefined) throw new Error(`jaxfx worker: program ${c.id} is not defined`)
        const inputs: KernelInput[] = c.ins.map((buffer, i) => ({ buffer, aval: p.ins[i]! }))
        const outs = p.exe(inputs)
        outs.forEach((o, i) => (c.outs[i] as AnyTypedArray).set(o as AnyTypedArray))
        return
      }
    }
  }
  parentPort!.on("message", (batch: ReadonlyArray<Command>) => {
    for (const c of batch) {
      if (!failed) {
        try {
          run(c)
        } catch (e) {
          failed = true
          publishError(e instanceof Error ? `${e.name}: ${e.message}` : String(e))
          Atomics.store(control, FAILED, c.kind === "run" ? c.seq : Math.max(1, Atomics.load(control, DONE) + 1))
        }
      }
      if (c.kind === "run") Atomics.store(control, DONE, c.seq)
    }
    Atomics.notify(control, DONE)
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
