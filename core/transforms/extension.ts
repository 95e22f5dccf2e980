/**
 * The one extension point of the transformations: functions whose result is not a pytree of
 * arrays (an Effect program with state, say). When a transformation finds such a result while
 * tracing, it hands the whole job to the registered extension, which returns the transformed
 * function (jaxfx/effects registers one that threads state explicitly). Core never imports it.
 */
import type { Effect } from "effect/Effect"
import type { JaxfxError } from "../errors.js"
import type { Argnums } from "./autodiff.js"

/**
 * What a transformed function returns where the original returned R: an Effect program may also
 * fail with jaxfx's errors (its array code's, typed), so its error channel says so.
 */
export type WithArrayErrors<R> = R extends Effect<infer A, infer E, infer Q> ? Effect<A, E | JaxfxError, Q> : R

export interface GradLikeOptions {
  readonly argnums?: Argnums
  readonly hasAux?: boolean
}

export interface TransformExtension {
  /** Whether this extension handles a function that returned `result`. */
  claims(result: unknown): boolean
  /** The jitted function; its `clearCache` (if any) is called by the core jitted function's. */
  jit(
    f: (...args: never[]) => unknown,
    opts: Readonly<Record<string, unknown>>
  ): ((...args: ReadonlyArray<unknown>) => unknown) & {
    readonly clearCache?: () => void
  }
  valueAndGrad(f: (...args: never[]) => unknown, opts: GradLikeOptions): (...args: ReadonlyArray<unknown>) => unknown
  grad(f: (...args: never[]) => unknown, opts: GradLikeOptions): (...args: ReadonlyArray<unknown>) => unknown
  vmap(f: (...args: never[]) => unknown, opts: Readonly<Record<string, unknown>>): (...args: ReadonlyArray<unknown>) => unknown
}

let extension: TransformExtension | undefined

/** Install the extension (jaxfx/effects does this when imported). */
export const registerTransformExtension = (e: TransformExtension): void => {
  extension = e
}

/** Thrown through a trace when the extension claims a result; caught by the transformation. */
export class Claimed {
  constructor(readonly result: unknown) {}
}

/** Call from inside a transformation on a function's raw result. */
export const checkClaim = (result: unknown): void => {
  if (extension !== undefined && extension.claims(result)) throw new Claimed(result)
}

/**
 * Run `direct`; if the traced function's result was claimed, use the extension's version of the
 * transformation instead (memoized per transformed function by the caller).
 */
export const withExtension = <A>(direct: () => A, viaExtension: (e: TransformExtension) => A): A => {
  try {
    return direct()
  } catch (err) {
    if (err instanceof Claimed && extension !== undefined) return viaExtension(extension)
    throw err
  }
}
