/**
 * What the calling thread and a worker device share. Commands travel in batches over the worker's
 * message port; progress travels back through shared memory, so the calling thread can wait for
 * it with `Atomics.wait` (Node) without its event loop:
 *
 *   control[DONE]    the sequence number of the last finished command
 *   control[FAILED]  the sequence number of the first failed command (0: none); its message is
 *                    UTF-8 in the error area, `control[ERROR_LENGTH]` bytes long
 *   control[BOOTED]  1 once the worker has loaded jaxfx, 2 if loading failed (message in the error area)
 */
import type { WireJaxpr } from "./wire.js"

export const DONE = 0
export const FAILED = 1
export const ERROR_LENGTH = 2
export const BOOTED = 3
export const CONTROL_INTS = 4
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
}

export interface ForgetCommand {
  readonly kind: "forget"
  readonly id: number
}

export type Command = DefineCommand | RunCommand | ForgetCommand

/** Messages from the worker: a host callback to run on the calling thread. */
export interface CallbackMessage {
  readonly kind: "callback"
  readonly id: number
  readonly args: ReadonlyArray<unknown>
}

export interface WorkerInit {
  /** The module that runs the worker (worker/main.ts or .js). */
  readonly entry: string
  readonly control: SharedArrayBuffer
  readonly error: SharedArrayBuffer
  readonly index: number
}
