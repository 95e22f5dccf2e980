/**
 * What every jaxfx error does to itself when made, installed by the module that owns it (kept
 * apart from errors.ts, whose exports are public): core/traceback.ts installs JAX's traceback
 * filtering here.
 */
export type StackFilter = (error: Error, ctor: abstract new (...args: never) => unknown) => void

let stackFilter: StackFilter | undefined

/** Installs the filter every jaxfx error applies to its stack when made. */
export const setStackFilter = (f: StackFilter | undefined): void => {
  stackFilter = f
}

/** Applies the installed filter (if any) to a new error. */
export const filterNewError: StackFilter = (error, ctor) => stackFilter?.(error, ctor)
