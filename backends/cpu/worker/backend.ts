/**
 * The calling thread's side of a worker CPU device. Buffers are TypedArrays over SharedArrayBuffers,
 * allocated here (the output shapes are known from the program) and written by the worker; they
 * belong to the garbage collector of both threads, so memory stays flat without any release call.
 *
 * Dispatch never waits: a program runs by queueing a command (flushed to the worker in batches,
 * at the latest on the next microtask), and its outputs carry the command's sequence number.
 * A read waits until the worker's published progress reaches that number: `readSync` blocks with
 * `Atomics.wait` (Node allows it on any thread), `read` awaits `Atomics.waitAsync`. If the calling
 * thread gets too far ahead, dispatch waits for the worker (back-pressure). In a browser (a page's
 * main thread may not block, and a worker's reports arrive only as events) the device has no
 * `readSync` (a synchronous read is the DeviceError that names `Device.read` / `x.dataAsync()`) and
 * no back-pressure.
 */
import type { ShapedArray } from "../../../core/array.js"
import type { Backend, DeviceBuffer, Executable, KernelInput } from "../../../core/backend.js"
import { allocationFailure, type AnyTypedArray, isHalf, itemsize, toTypedArray, typedArrayCtor } from "../../../core/dtype.js"
import { DeviceError } from "../../../core/errors.js"
import type { Jaxpr } from "../../../core/ir.js"
import { BOOTED, type Command, CONTROL_INTS, DONE, ERROR_BYTES, ERROR_LENGTH, type WorkerMessage } from "./protocol.js"
import { canDrainSynchronously, type SpawnInit, spawnWorker, type WorkerHandle } from "./spawn.js"
import { encodeJaxpr } from "./wire.js"
import { dispatchingNow } from "../../../core/devices/dispatch-now.js"
import { currentMembers } from "../../../core/parallel/communicator.js"

/** ES2024's Atomics.waitAsync (Node 16+), not in this project's ES2022 lib. */
interface AtomicsWaitAsync {
  waitAsync(a: Int32Array, index: number, value: number, timeout: number): { async: false; value: string } | { async: true; value: Promise<string> }
}

/** A buffer of a worker device: shared memory, valid once command `seq` has finished. */
export class SharedBuffer {
  constructor(
    readonly data: AnyTypedArray,
    readonly seq: number
  ) {}
}

/** Commands queued before the calling thread waits for the worker to catch up. */
const MAX_IN_FLIGHT = 4096
/** Commands per message to the worker. */
const BATCH = 256
/** How long a wait may see no progress before the worker is declared lost. */
const STALL_MS = 120_000

/** Atomics.waitAsync, or (browsers without it, such as older Firefox) a short sleep before looking again. */
const atomicsWaitAsync: AtomicsWaitAsync["waitAsync"] =
  typeof (Atomics as Partial<AtomicsWaitAsync>).waitAsync === "function"
    ? (a, index, value, timeout) => (Atomics as unknown as AtomicsWaitAsync).waitAsync(a, index, value, timeout)
    : () => ({ async: true, value: new Promise<string>((resolve) => setTimeout(() => resolve("timed-out"), 2)) })

/** Whether this thread may block in `Atomics.wait` (Node: any thread; browsers: workers, not the page). */
const mayBlock = (): boolean => {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0)
    return true
  } catch {
    return false
  }
}

const shared = (aval: ShapedArray): AnyTypedArray => {
  const ctor = typedArrayCtor(aval.dtype)
  try {
    return new ctor(new SharedArrayBuffer(aval.size * itemsize(aval.dtype)) as unknown as number)
  } catch (e) {
    throw allocationFailure(e, aval.dtype, aval.size)
  }
}

export const makeWorkerBackend = (index: number): Backend => {
  if (typeof SharedArrayBuffer !== "function") {
    throw new DeviceError(
      `worker CPU device ${index} needs SharedArrayBuffer, which this page does not have: serve it cross-origin isolated ` +
        "(headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), or use one CPU device."
    )
  }
  // Synchronous reads need to block and then to take the worker's failure reports at once (Node);
  // in browsers (even in a Web Worker, where blocking is allowed) reads are asynchronous.
  const canBlock = mayBlock() && canDrainSynchronously()
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4))
  const errorArea = new SharedArrayBuffer(ERROR_BYTES)
  let worker: WorkerHandle | undefined
  let queue: Command[] = []
  let flushScheduled = false
  let seq = 0
  let nextProgram = 0
  const callbacks = new Map<number, (...args: never[]) => unknown>()
  const callbackIds = new Map<(...args: never[]) => unknown, number>()
  const programs = new WeakMap<Jaxpr, number>()
  /** The communicators this worker has been sent. */
  const comms = new Set<number>()
  /** The commands that failed, with their messages (reported by the worker before it marks them done). */
  const failures = new Map<number, string>()

  const start = (): WorkerHandle => {
    if (worker !== undefined) return worker
    const init: SpawnInit = { control: control.buffer as SharedArrayBuffer, error: errorArea, index }
    worker = spawnWorker(init, (m: WorkerMessage) => {
      if (m.kind === "progress") return
      if (m.kind === "failed") {
        failures.set(m.seq, m.message)
        return
      }
      const f = callbacks.get(m.id)
      if (f !== undefined) (f as (...args: unknown[]) => unknown)(...m.args)
    })
    return worker
  }

  const flush = (): void => {
    flushScheduled = false
    if (queue.length === 0) return
    const batch = queue
    queue = []
    start().post(batch)
  }
  const enqueue = (c: Command): void => {
    queue.push(c)
    if (queue.length >= BATCH) flush()
    else if (!flushScheduled) {
      flushScheduled = true
      queueMicrotask(flush)
    }
  }

  /**
   * The error of a buffer made by command `seq` (after a wait for it): a worker that could not start,
   * or the failure of that command or of one whose results it read. Other buffers stay readable.
   */
  const failure = (seq: number): DeviceError | undefined => {
    if (Atomics.load(control, BOOTED) === 2) return startFailure()
    const message = failures.get(seq)
    if (message !== undefined) return new DeviceError(`a computation on worker CPU device ${index} failed: ${message}`)
    return undefined
  }
  const startFailure = (): DeviceError => new DeviceError(`CpuDevice worker ${index} failed to start: ${errorText()}`)
  const errorText = (): string => new TextDecoder().decode(new Uint8Array(errorArea).slice(0, Atomics.load(control, ERROR_LENGTH)))

  /** Block until command `target` has finished (or the worker failed to start). */
  const waitSync = (target: number): void => {
    flush()
    let last = Atomics.load(control, DONE)
    let since = Date.now()
    while (last < target && Atomics.load(control, BOOTED) !== 2) {
      Atomics.wait(control, DONE, last, 100)
      const now = Atomics.load(control, DONE)
      if (now !== last) {
        last = now
        since = Date.now()
      } else if (Date.now() - since > STALL_MS && Atomics.load(control, BOOTED) === 1) {
        throw new DeviceError(`worker CPU device ${index} made no progress for ${STALL_MS / 1000} s; it may have crashed.`)
      }
    }
    worker?.drain()
    if (Atomics.load(control, BOOTED) === 2) throw startFailure()
  }

  const waitAsync = async (target: number): Promise<void> => {
    flush()
    // An asynchronous wait keeps the process alive (the worker itself does not).
    const release = Atomics.load(control, DONE) >= target ? undefined : start().hold()
    try {
      for (;;) {
        const done = Atomics.load(control, DONE)
        if (done >= target || Atomics.load(control, BOOTED) === 2) break
        const r = atomicsWaitAsync(control, DONE, done, 1000)
        if (r.async) await r.value
      }
    } finally {
      release?.()
    }
    if (Atomics.load(control, BOOTED) === 2) throw startFailure()
    // (the callbacks and failures the worker sent before finishing `target`)
    await worker?.settled(target)
  }

  const bufferOf = (b: DeviceBuffer): SharedBuffer => {
    if (!(b instanceof SharedBuffer)) throw new Error("jaxfx worker device: not one of its buffers")
    return b
  }

  const register = (f: (...args: never[]) => unknown): number => {
    let id = callbackIds.get(f)
    if (id === undefined) {
      id = callbacks.size
      callbacks.set(id, f)
      callbackIds.set(f, id)
    }
    return id
  }

  const compile = (jaxpr: Jaxpr): Executable => {
    let id = programs.get(jaxpr)
    if (id === undefined) {
      id = nextProgram++
      enqueue({ kind: "define", id, program: encodeJaxpr(jaxpr, { register }) })
      programs.set(jaxpr, id)
    }
    const pid = id
    const outAvals = jaxpr.outs.map((o) => o.aval)
    return (inputs: ReadonlyArray<KernelInput>) => {
      if (canBlock && seq - Atomics.load(control, DONE) >= MAX_IN_FLIGHT) waitSync(seq - MAX_IN_FLIGHT / 2)
      const s = ++seq
      const outs = outAvals.map(shared)
      const ins = inputs.map((x) => bufferOf(x.buffer))
      // A member of a pmap's axes: the others wait for it at their first collective, so it goes now.
      const members = currentMembers()
      if (members.length === 0) {
        enqueue({ kind: "run", id: pid, seq: s, ins: ins.map((b) => b.data), outs, after: ins.map((b) => b.seq) })
        if (dispatchingNow()) flush()
      } else {
        for (const { comm } of members) {
          if (comms.has(comm.id)) continue
          comms.add(comm.id)
          enqueue({ kind: "comm", id: comm.id, size: comm.size, slotBytes: comm.slotBytes, buffer: comm.buffer })
        }
        const wire = members.map((m) => ({ axisName: m.axisName, comm: m.comm.id, rank: m.rank }))
        enqueue({ kind: "run", id: pid, seq: s, ins: ins.map((b) => b.data), outs, after: ins.map((b) => b.seq), members: wire })
        flush()
      }
      return outs.map((d) => new SharedBuffer(d, s))
    }
  }

  return {
    platform: "cpu",
    fromHost(data: AnyTypedArray, aval: ShapedArray): DeviceBuffer {
      const out = shared(aval)
      // float16 / bfloat16 values (not words) are encoded here, as the thread's CPU backend does.
      out.set(isHalf(aval.dtype) && !(data instanceof Uint16Array) ? toTypedArray(data, aval.dtype) : data)
      return new SharedBuffer(out, 0)
    },
    readSync: !canBlock
      ? undefined
      : (b: DeviceBuffer): AnyTypedArray => {
          const sb = bufferOf(b)
          if (Atomics.load(control, DONE) < sb.seq) waitSync(sb.seq)
          else worker?.drain()
          const f = failure(sb.seq)
          if (f !== undefined) throw f
          return sb.data
        },
    read: async (b: DeviceBuffer): Promise<AnyTypedArray> => {
      const sb = bufferOf(b)
      await waitAsync(sb.seq)
      const f = failure(sb.seq)
      if (f !== undefined) throw f
      return sb.data.slice()
    },
    compile,
    releaseProgram: (jaxpr: Jaxpr) => {
      const id = programs.get(jaxpr)
      if (id === undefined) return
      programs.delete(jaxpr)
      enqueue({ kind: "forget", id })
    },
    isReady: (b) => Atomics.load(control, DONE) >= bufferOf(b).seq,
    // shared memory belongs to the garbage collectors of both threads
    manualMemory: false,
    release: () => {},
    synchronize: () => waitAsync(seq),
    synchronizeSync: canBlock ? () => waitSync(seq) : undefined
  }
}
