/**
 * What the calling thread and a worker device share. Commands travel in batches over the worker's
 * message port; progress travels back through shared memory, so the calling thread can wait for
 * it with `Atomics.wait` (Node) without its event loop:
 *
 *   control[DONE]    the sequence number of the last finished command (failed or not)
 *   control[BOOTED]  1 once the worker has loaded jaxfx, 2 if loading failed (its message is UTF-8
 *                    in the error area, `control[ERROR_LENGTH]` bytes long)
 *
 * A command that fails poisons only its own results, as an asynchronous error in JAX does: the
 * worker posts a FailureMessage before it publishes the command as done, later commands that read
 * a poisoned buffer fail with the same message, and every other command runs as usual.
 */
import type { WireJaxpr } from "./wire.js"

export const DONE = 0
export const ERROR_LENGTH = 1
export const BOOTED = 2
export const CONTROL_INTS = 3
/** Bytes of the error message area. */
export const ERROR_BYTES = 4096

export interface DefineCommand {
  readonly kind: "define"
  readonly id: number
  readonly program: WireJaxpr
}

export interface RunCommand {
  readonly kind: "run"
  readonly id: number
  readonly seq: number
  /** Input buffers (views of shared memory), constants then arguments. */
  readonly ins: ReadonlyArray<ArrayBufferView>
  /** Output buffers the worker writes (views of shared memory). */
  readonly outs: ReadonlyArray<ArrayBufferView>
  /** The commands whose results the inputs are (0: data from the host), for poisoning. */
  readonly after: ReadonlyArray<number>
  /** The named axes this run is a member of (a pmap's per-device program with collectives). */
  readonly members?: ReadonlyArray<WireMember>
}

/** A member of a named axis as it travels: its communicator by id (sent once by a CommCommand). */
export interface WireMember {
  readonly axisName: string
  readonly comm: number
  readonly rank: number
}

/** A shared-memory communicator (core/parallel/communicator.ts), shared with the worker once. */
export interface CommCommand {
  readonly kind: "comm"
  readonly id: number
  readonly size: number
  readonly slotBytes: number
  readonly buffer: SharedArrayBuffer
}

export interface ForgetCommand {
  readonly kind: "forget"
  readonly id: number
}

export type Command = DefineCommand | RunCommand | ForgetCommand | CommCommand

/** A message from the worker: a host callback to run on the calling thread. */
export interface CallbackMessage {
  readonly kind: "callback"
  readonly id: number
  readonly args: ReadonlyArray<unknown>
}

/** A message from the worker: command `seq` failed (or read a failed command's results). */
export interface FailureMessage {
  readonly kind: "failed"
  readonly seq: number
  readonly message: string
}

/**
 * A message from a Web Worker: every command up to `seq` is done. Messages on one port arrive in
 * order, so once the calling thread has received it, it has also received every callback and
 * failure the worker sent before (browsers have no way to drain a port synchronously).
 */
export interface ProgressMessage {
  readonly kind: "progress"
  readonly seq: number
}

export type WorkerMessage = CallbackMessage | FailureMessage | ProgressMessage

export interface WorkerInit {
  /** The module that runs the worker (worker/main.ts or .js). */
  readonly entry: string
  /** Whether to post a ProgressMessage after each batch (Web Workers). */
  readonly progress: boolean
  readonly control: SharedArrayBuffer
  readonly error: SharedArrayBuffer
  readonly index: number
}
