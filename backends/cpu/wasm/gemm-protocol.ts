/**
 * What the calling thread and a GEMM helper thread (gemm-helper.ts) share: the control words of
 * one helper (Int32 indices into its control buffer) and the job message.
 */

/** 0 while starting, 1 ready, 2 failed to start. */
export const HELPER_BOOTED = 0
/** The number of the last job posted. */
export const HELPER_JOB = 1
/** The number of the last job finished. */
export const HELPER_DONE = 2
/** 1 if the last job finished failed (its rows are not written). */
export const HELPER_FAILED = 3
/**
 * The number of the last job claimed, by the helper (it runs it) or by the calling thread (it
 * found the job not started when its own block was done, and computes it itself): whoever moves
 * it from n - 1 to n (Atomics.compareExchange) owns job n.
 */
export const HELPER_CLAIM = 4
export const HELPER_CONTROL_INTS = 5

/** What a helper thread starts with. */
export interface HelperInit {
  readonly control: SharedArrayBuffer
  /** The port jobs arrive on (read synchronously after the job word changes). */
  readonly port: unknown
  /** The helper's module (.ts from sources, .js from the built package). */
  readonly entry: string
}

/**
 * One block of the product: D = A B over float32 views of shared buffers (offsets and strides in
 * elements): A (M x K) in `a` at aOff with strides (aS0, aS1), B (K x N) in `b` at bOff with
 * strides (bS0, bS1), D (M x N, rows `ldd` apart) written into `d` at dOff. The buffers are the
 * operands' own where they are shared already, else a staging copy.
 */
export interface HelperJob {
  /** The job's number (1, 2, ... per helper). */
  readonly n: number
  readonly a: SharedArrayBuffer
  readonly aOff: number
  readonly aS0: number
  readonly aS1: number
  readonly b: SharedArrayBuffer
  readonly bOff: number
  readonly bS0: number
  readonly bS1: number
  readonly d: SharedArrayBuffer
  readonly dOff: number
  readonly ldd: number
  readonly M: number
  readonly N: number
  readonly K: number
}
