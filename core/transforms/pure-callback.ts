/**
 * `pureCallback` (JAX's `jax.pure_callback`): call a host (plain JS) function from inside
 * transformed code. The function receives concrete arrays and returns values of the declared
 * shapes and dtypes; it must be pure (jit may call it any number of times, or drop an unused call).
 */
import { Array, ShapedArray } from "../array.js"
import { checkDType, type DType } from "../dtype.js"
import { TreeError, ValueError } from "../errors.js"
import { asarray } from "../numpy/creation.js"
import { checkOptions, optionKeys } from "../options.js"
import { pureCallbackP, type VmapMethod } from "../primitives/callback.js"
import { bind } from "../trace.js"
import { flatten, unflatten } from "../tree.js"
import type { ShapeDtypeLike } from "./linear-transpose.js"

export type { VmapMethod } from "../primitives/callback.js"

/** Options of `pureCallback`. */
export interface PureCallbackOptions {
  /**
   * How vmap batches the call (JAX's `vmap_method`): "sequential" (one call per example),
   * "expand_dims" (one call; unbatched arguments get a leading axis of size 1), "broadcast_all"
   * (unbatched arguments broadcast to the batch size), "legacy_vectorized" (unbatched arguments as
   * they are); unset, vmap of the call is an error, as in JAX.
   */
  readonly vmapMethod?: Exclude<VmapMethod, null>
}
const CALLBACK_KEYS = optionKeys<PureCallbackOptions>()("vmapMethod")

/** The result of `pureCallback`: the declared structure with an Array at each ShapeDtypeStruct. */
export type CallbackResult<S> = S extends ShapeDtypeLike
  ? Array
  : S extends ReadonlyArray<unknown>
    ? { -readonly [K in keyof S]: CallbackResult<S[K]> }
    : S extends object
      ? { -readonly [K in keyof S]: CallbackResult<S[K]> }
      : never

const isSpec = (x: unknown): boolean => typeof x === "object" && x !== null && "shape" in x && "dtype" in x

/**
 * Call `callback` on the host with the concrete values of `args` (JAX's `pure_callback`): eagerly,
 * under jit (a `pure_callback` equation the CPU runtime runs by calling back into JS), and under vmap
 * as `opts.vmapMethod` says. `resultShapeDtypes` declares the results (a pytree of
 * `ShapeDtypeStruct`s, or of arrays whose shape and dtype are taken); the callback returns that
 * structure of Arrays (of exactly those dtypes) or JS numbers / nested lists (converted to them).
 * Not differentiable: grad and jvp are errors, as in JAX; wrap it in `customJvp` to give it a rule.
 *
 * @example
 * const hostSin = (x: Array) => np.array((x.toJs() as number[]).map(Math.sin), { dtype: "float32" })
 * const f = (x: Array) => pureCallback(hostSin, new ShapeDtypeStruct(x.shape, x.dtype), [x])
 * jit(f)(np.array([0, 1], { dtype: "float32" }))              // Array([0.       , 0.841471], dtype=float32)
 * vmap((x: Array) => pureCallback(hostSin, new ShapeDtypeStruct(x.shape, x.dtype), [x], { vmapMethod: "sequential" }))(np.ones([2, 3]))
 */
export const pureCallback = <S, A extends ReadonlyArray<unknown>>(
  callback: (...args: A) => unknown,
  resultShapeDtypes: S,
  args: A,
  opts?: PureCallbackOptions
): CallbackResult<S> => {
  checkOptions("pureCallback", opts, CALLBACK_KEYS)
  if (typeof callback !== "function") throw new ValueError("pureCallback: the first argument must be the host function to call.")
  if (!globalThis.Array.isArray(args)) {
    throw new ValueError("pureCallback: pass the callback's arguments as a list, e.g. pureCallback(f, spec, [x, y]), options after it.")
  }
  const [specLeaves, specDef] = flatten(resultShapeDtypes as unknown, { isLeaf: isSpec })
  const resultAvals = specLeaves.map((s, i) => {
    if (!isSpec(s)) throw new ValueError(`pureCallback: result ${i} of resultShapeDtypes must be a ShapeDtypeStruct (shape and dtype), got ${typeof s}.`)
    const spec = s as ShapeDtypeLike
    return new ShapedArray([...spec.shape], checkDType(spec.dtype, "pureCallback: resultShapeDtypes"))
  })
  const [argLeaves, argDef] = flatten(args as unknown)
  const ins = argLeaves.map((l) => (l instanceof Array ? l : asarray(l as never)))
  const flatCallback = (xs: ReadonlyArray<Array>): ReadonlyArray<Array> => {
    const out = (callback as (...a: ReadonlyArray<unknown>) => unknown)(...(unflatten(argDef, xs) as ReadonlyArray<unknown>))
    let leaves: ReadonlyArray<unknown>
    try {
      leaves = specDef.flattenUpTo(out)
    } catch (e) {
      throw new TreeError(`pureCallback: the callback's result does not have the structure of resultShapeDtypes ${specDef.toString()}: ${(e as Error).message}`)
    }
    return leaves.map((l, i) => (l instanceof Array ? l : asarray(l as never, { dtype: resultAvals[i]!.dtype as DType })))
  }
  Object.defineProperty(flatCallback, "name", { value: callback.name || "callback" })
  const outs = bind(pureCallbackP, ins, { callback: flatCallback, resultAvals, vmapMethod: opts?.vmapMethod ?? null })
  return unflatten(specDef, outs) as CallbackResult<S>
}
