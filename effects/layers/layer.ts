/**
 * What every layer shares. A layer is a function `(x, { isTraining }) => Effect` that declares its
 * parameters with `Param.get` inside its own module scope (Haiku's naming: `linear`, `linear_1`, ...
 * or the `name` it was given), so a model is plain composition and `transform(model)` gives its
 * pure `init` and `apply`. A layer's type carries the paths of its parameters when its name is a
 * literal, so `init` returns a record with those keys.
 */
import { Effect } from "effect"
import { type Array, DTypeError, isJaxfxError, type JaxfxError, ValueError } from "../../index.js"
import { isFloat } from "../../core/dtype.js"
import { checkOptions, optionKeys } from "../../core/options.js"
import type { Rng } from "../rng.js"
import { type HasParamPaths, layerScope, type Model } from "../transform.js"

/** The options every layer takes at its call. */
export interface CallOptions {
  /** Training mode: Dropout drops and BatchNorm uses (and updates) batch statistics. */
  readonly isTraining?: boolean | undefined
}

const callKeys = optionKeys<CallOptions>()("isTraining")

/** What a layer's call computes: an array, declaring parameters (Model) and maybe drawing keys (Rng). */
export type LayerEffect = Effect.Effect<Array, JaxfxError, Model | Rng>

/**
 * A layer: call it on an array inside a model. `P` is the union of the paths of its parameters
 * relative to the scope it is called in (`string` when its name is not a literal).
 */
export interface Layer<P extends string = string> extends HasParamPaths<P> {
  (x: Array, options?: CallOptions): LayerEffect
}

/** The paths `name/local` of a layer's parameters when `N` is a literal name, else `string`. */
export type Scoped<N extends string, Local extends string> = [N] extends [never] ? string : string extends N ? string : `${N}/${Local}`

/** `T` when the flag `B` is literally true, nothing when literally false, any name when unknown. */
export type Flagged<B extends boolean, T extends string> = boolean extends B ? string : B extends false ? never : T

const layers = new WeakSet<object>()

/**
 * Whether `f` is a layer made by this module: Sequential passes the call options to layers and
 * calls other functions with the array alone.
 *
 * @example
 * isLayer(Linear({ outputSize: 3 }))  // true
 * isLayer(nn.relu)                    // false
 */
export const isLayer = (f: unknown): f is Layer => typeof f === "function" && layers.has(f)

/** A jaxfx error thrown by the layer's array code becomes a typed failure; anything else stays a defect. */
export const typed = <A, E, R>(program: Effect.Effect<A, E, R>): Effect.Effect<A, E | JaxfxError, R> =>
  Effect.catchDefect(program, (d) => (isJaxfxError(d) ? Effect.fail(d) : Effect.die(d)))

/**
 * Make a layer from its body: the body runs in the layer's module scope (`name`, or `base` made
 * unique), with its call options checked.
 */
export const makeLayer = <P extends string>(
  caller: string,
  base: string,
  name: string | undefined,
  body: (x: Array, options: CallOptions) => Effect.Effect<Array, JaxfxError, Model | Rng>
): Layer<P> => {
  const layer = (x: Array, options?: CallOptions): LayerEffect =>
    typed(
      Effect.suspend(() => {
        checkOptions(`${caller} call`, options, callKeys)
        return layerScope(layer, base, name)(body(x, options ?? {}))
      })
    )
  layers.add(layer)
  return layer
}

/** A layer without a module scope of its own (Sequential): its parts are named where it is called. */
export const unscopedLayer = <P extends string>(caller: string, body: (x: Array, options: CallOptions) => LayerEffect): Layer<P> => {
  const layer = (x: Array, options?: CallOptions): LayerEffect =>
    typed(
      Effect.suspend(() => {
        checkOptions(`${caller} call`, options, callKeys)
        return body(x, options ?? {})
      })
    )
  layers.add(layer)
  return layer
}

/** The dtype of a layer's float input, which its parameters take (as Haiku's). */
export const floatInput = (caller: string, x: Array): "float32" | "float64" => {
  if (!isFloat(x.dtype)) throw new DTypeError(`${caller}: the input must be float32 or float64, got ${x.dtype}; cast it with x.astype("float32").`)
  return x.dtype as "float32" | "float64"
}

/** The training flag of a call, or the layer's own; a ValueError when neither says. */
export const trainingFlag = (caller: string, call: boolean | undefined, own: boolean | undefined): boolean => {
  const flag = call ?? own
  if (flag === undefined) {
    throw new ValueError(`${caller}: say whether this is training: call it as layer(x, { isTraining: true }) (or false), or build it with { isTraining }.`)
  }
  return flag
}

/** A layer's checks of its construction options: a ValueError names the option. */
export const positiveInt = (caller: string, what: string, v: unknown): number => {
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw new ValueError(`${caller}: ${what} must be a positive integer, got ${String(v)}.`)
  return v
}

export const finiteNumber = (caller: string, what: string, v: unknown): number => {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new ValueError(`${caller}: ${what} must be a finite number, got ${String(v)}.`)
  return v
}

export const layerName = (caller: string, name: unknown): string | undefined => {
  if (name === undefined) return undefined
  if (typeof name !== "string" || name === "" || name.includes("/")) {
    throw new ValueError(`${caller}: name must be a non-empty string without "/", got ${JSON.stringify(name)}.`)
  }
  return name
}
