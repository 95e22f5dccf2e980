/**
 * A worker CPU device's thread: loads jaxfx with one local CPU device, then runs the programs the
 * calling thread sends, in order, on buffers in shared memory, publishes progress in the shared
 * control block and reports failed commands on the callback port (protocol.ts).
 */
import { parentPort, workerData } from "node:worker_threads"
import type { KernelInput, Executable } from "../../../core/backend.js"
import type { ShapedArray } from "../../../core/array.js"
import type { AnyTypedArray } from "../../../core/dtype.js"
import { BOOTED, type Command, DONE, ERROR_BYTES, ERROR_LENGTH, type WorkerInit, type WorkerMessage } from "./protocol.js"

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
  const port = (workerData as { callbacks: { postMessage(m: WorkerMessage): void } }).callbacks
  const callback = (id: number) => (...args: unknown[]): void => port.postMessage({ kind: "callback", id, args })
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
            const outs = members.length === 0 ? p.exe(inputs) : withMembers(members, () => p.exe(inputs))
            outs.forEach((o, i) => (c.outs[i] as AnyTypedArray).set(o as AnyTypedArray))
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
  parentPort!.on("message", (batch: ReadonlyArray<Command>) => {
    for (const c of batch) run(c)
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
