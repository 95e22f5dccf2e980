/**
 * The `RunInto` form of the compiler's executables: the same program writing its outputs into
 * buffers the caller owns. Loops (control.ts) run their sub-programs this way, allocating nothing
 * per iteration; executable.ts registers the form of each executable it builds.
 */
import type { Executable, KernelInput } from "../../../core/backend.js"
import type { AnyTypedArray } from "../../../core/dtype.js"

/**
 * Run a program with its outputs written into `outs`: buffers of the outputs' dtypes and sizes,
 * none of them one of the inputs' buffers.
 */
export type RunInto = (ins: ReadonlyArray<KernelInput>, outs: ReadonlyArray<AnyTypedArray>) => void

const intoByRun = new WeakMap<Executable, RunInto>()

/** Register the `RunInto` form of an executable (executable.ts, for every executable it builds). */
export const registerRunInto = (run: Executable, into: RunInto): void => {
  intoByRun.set(run, into)
}

/** The `RunInto` form of an executable the CPU compiler built; undefined for any other. */
export const runIntoOf = (run: Executable): RunInto | undefined => intoByRun.get(run)
