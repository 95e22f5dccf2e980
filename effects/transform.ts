/**
 * Haiku-style models. Inside a model (an Effect program), `Param.get(name, shape, init)` declares
 * a parameter and `ModelState.get/set` a piece of mutable model state (BatchNorm statistics);
 * `module(name, program)` scopes names, so parameters get readable paths like `linear/weight`.
 * `transform(model)` turns the model into pure functions
 *   init(key, ...args) -> params        apply(params, key, ...args) -> out
 * and `transformWithState(model)` into
 *   init(key, ...args) -> [params, state]    apply(params, state, key, ...args) -> [out, state']
 * Params and state are plain records of Arrays (pytrees), so the functions compose with jit, grad
 * and vmap, and the optimizers and checkpoints in this package take them as they are.
 */
import { Context, Effect } from "effect"
import { type Array, type DType, ShapeError, ValueError } from "../index.js"
import type { PRNGKeyArray } from "../core/random/keys.js"
import { checkOptions } from "../core/options.js"
import { nn, random } from "../index.js"
import * as Rng from "./rng.js"

/**
 * Parameters or model state: a flat record keyed by `module/.../name`. `P` is the union of the
 * paths when the model's type knows them (a layer given a literal `name`), else `string`.
 */
export type Params<P extends string = string> = Readonly<Record<P, Array>>

/**
 * Something whose type knows the paths `P` of the parameters it declares, relative to the scope it
 * is called in. The property is phantom: no value has it; only the type carries `P`.
 */
export interface HasParamPaths<P extends string> {
  readonly "~paramPaths"?: P
}

/** Makes an initial value from a key: `(key, shape, dtype) => Array`. */
export type Initializer = (key: PRNGKeyArray, shape: ReadonlyArray<number>, dtype: DType) => Array

interface Frame {
  readonly mode: "init" | "apply"
  readonly params: Map<string, Array>
  readonly state: Map<string, Array>
  readonly nextKey: () => PRNGKeyArray
  readonly scope: ReadonlyArray<string>
  readonly withState: boolean
  /** The scope given to each layer object on its first call (so later calls share its parameters). */
  readonly owners: Map<object, ReadonlyArray<string>>
  /** How many automatic names each `scope/base` has handed out. */
  readonly counts: Map<string, number>
}

/**
 * The requirement of code that declares parameters or model state.
 *
 * @example
 * // a program that declares parameters requires Model; transform(...).init/apply provides it
 * const layer = Param.get("w", [2], Init.zeros) // an Effect that requires Model
 * const params = transform(() => layer).init(random.key(0)) // { w: float32[2] }
 */
export class Model extends Context.Service<Model, Frame>()("jaxfx/Model") {}

const pathOf = (frame: Frame, name: string): string => [...frame.scope, name].join("/")

const checkShape = (what: string, path: string, got: Array, shape: ReadonlyArray<number>, dtype: DType): ShapeError | undefined =>
  got.shape.join(",") !== shape.join(",") || got.dtype !== dtype
    ? new ShapeError(`${what} "${path}" is ${got.aval.str()} in the given record, but the model asks for ${dtype}[${shape.join(",")}]`)
    : undefined

const declare =
  (which: "params" | "state") =>
  (name: string, shape: ReadonlyArray<number>, init: Initializer, opts: { readonly dtype?: DType } = {}) => {
    checkOptions(which === "params" ? "Param.get" : "ModelState.get", opts, ["dtype"])
    return Effect.flatMap(Model, (frame): Effect.Effect<Array, ValueError | ShapeError> => {
      const dtype = opts.dtype ?? "float32"
      const path = pathOf(frame, name)
      const store = frame[which]
      const what = which === "params" ? "parameter" : "state"
      if (which === "state" && !frame.withState) {
        return Effect.fail(new ValueError(`ModelState.get("${path}") needs transformWithState(model), not transform(model)`))
      }
      const have = store.get(path)
      if (have !== undefined) {
        const err = checkShape(what, path, have, shape, dtype)
        return err === undefined ? Effect.succeed(have) : Effect.fail(err)
      }
      if (frame.mode === "apply") {
        return Effect.fail(
          new ValueError(`${what} "${path}" is missing from the ${which} record (it has ${[...store.keys()].join(", ") || "nothing"}); build it with init(...)`)
        )
      }
      const value = init(frame.nextKey(), shape, dtype)
      store.set(path, value)
      return Effect.succeed(value)
    })
  }

export const Param = {
  /** Declare (at init) or fetch (at apply) the parameter `name` in the current module scope. */
  get: declare("params")
}

export const ModelState = {
  /** Declare or read a piece of model state (e.g. BatchNorm running statistics). */
  get: declare("state"),
  /** Replace a piece of model state (ignored at init, where the initial value stands). */
  set: (name: string, value: Array) =>
    Effect.flatMap(Model, (frame): Effect.Effect<void, ValueError | ShapeError> => {
      const path = pathOf(frame, name)
      const have = frame.state.get(path)
      if (have === undefined) return Effect.fail(new ValueError(`ModelState.set("${path}"): declare it first with ModelState.get`))
      const err = checkShape("state", path, value, have.shape, have.dtype)
      if (err !== undefined) return Effect.fail(err)
      if (frame.mode === "apply") frame.state.set(path, value)
      return Effect.void
    })
}

/**
 * Run `program` with its parameter names under `name/`.
 *
 * @example
 * const linear = (x: Array) =>
 *   module("linear")(
 *     Effect.gen(function* () {
 *       const w = yield* Param.get("w", [x.shape[1]!, 2], Init.normal(0.1))
 *       return np.matmul(x, w)
 *     })
 *   )
 * const params = transform(linear).init(random.key(0), np.ones([1, 3])) // { "linear/w": float32[3, 2] }
 */
export const module =
  (name: string) =>
  <A, E, R>(program: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | Model> =>
    Effect.flatMap(Model, (frame) => Effect.provideService(program, Model, { ...frame, scope: [...frame.scope, name] }))

/**
 * Run `program` in the module scope of the layer object `owner`, Haiku's naming: on its first call
 * in a model run, an owner named explicitly gets `name`; an unnamed one gets `base`, `base_1`,
 * `base_2`, ... (the next one free in the current scope). Later calls of the same owner reuse its
 * scope, so they share its parameters. Names follow the order of first calls, which is the same
 * in `init` and in `apply`.
 */
export const layerScope =
  (owner: object, base: string, name: string | undefined) =>
  <A, E, R>(program: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | Model> =>
    Effect.flatMap(Model, (frame) => {
      let scope = frame.owners.get(owner)
      if (scope === undefined) {
        if (name !== undefined) {
          scope = [...frame.scope, name]
        } else {
          const counter = [...frame.scope, base].join("/")
          const n = frame.counts.get(counter) ?? 0
          frame.counts.set(counter, n + 1)
          scope = [...frame.scope, n === 0 ? base : `${base}_${n}`]
        }
        frame.owners.set(owner, scope)
      }
      return Effect.provideService(program, Model, { ...frame, scope })
    })

type ModelFn<Args extends ReadonlyArray<unknown>, A, E> = (...args: Args) => Effect.Effect<A, E, Model | Rng.Rng>

const runModel = <Args extends ReadonlyArray<unknown>, A, E>(model: ModelFn<Args, A, E>, frame: Frame, key: PRNGKeyArray | null, args: Args): A => {
  const program = Effect.provideService(model(...args), Model, frame)
  // The model's own randomness (dropout, say) comes from the Rng with this key.
  const withRng = Effect.map(Rng.run(key ?? noKey())(program), ([a]) => a)
  return Effect.runSync(withRng as Effect.Effect<A, E>)
}

const noKey = (): PRNGKeyArray => random.key(0)

const initFrame = (key: PRNGKeyArray, withState: boolean): [Frame, PRNGKeyArray] => {
  const [paramKey, rngKey] = random.split(key)
  let k = paramKey
  const nextKey = () => {
    const [keep, use] = random.split(k)
    k = keep
    return use
  }
  return [{ mode: "init", params: new Map(), state: new Map(), nextKey, scope: [], withState, owners: new Map(), counts: new Map() }, rngKey]
}

const applyFrame = (params: Params, state: Params, withState: boolean): Frame => ({
  mode: "apply",
  params: new Map(Object.entries(params)),
  state: new Map(Object.entries(state)),
  nextKey: noKey,
  scope: [],
  withState,
  owners: new Map(),
  counts: new Map()
})

const record = <P extends string>(m: Map<string, Array>): Params<P> =>
  Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as Params<P>

/**
 * Declares the parameter paths of a model written with `Param.get` (names its type cannot see),
 * so that `transform(...).init` returns a record keyed by exactly those paths and `apply` takes one.
 * The paths are not checked against the model at run time.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { np, random, type JaxArray } from "jaxfx"
 * import { Init, module, Param, transform, withParamPaths } from "jaxfx/effects"
 * const linear = (x: JaxArray) => module("linear")(Effect.gen(function* () {
 *   const w = yield* Param.get("w", [x.shape[1]!, 3], Init.normal(0.1))
 *   return np.matmul(x, w)
 * }))
 * const model = transform(withParamPaths<"linear/w">()(linear))
 * const params = model.init(random.key(0), np.ones([2, 4]))
 * params["linear/w"].shape   // [4, 3]
 * ```
 */
export const withParamPaths =
  <P extends string>() =>
  <F extends (...args: never) => Effect.Effect<unknown, unknown, Model | Rng.Rng>>(model: F): F & HasParamPaths<P> =>
    model as F & HasParamPaths<P>

/**
 * A model's pure functions. `P` is the union of its parameter paths when its type knows them (a
 * layer with a literal `name`, or a `Sequential` of such layers), else `string`.
 */
export interface Transformed<Args extends ReadonlyArray<unknown>, A, P extends string = string> {
  readonly init: (key: PRNGKeyArray, ...args: Args) => Params<P>
  readonly apply: (params: Params<P>, key: PRNGKeyArray | null, ...args: Args) => A
}

/**
 * Pure `init` and `apply` for a model that declares parameters with `Param.get`.
 *
 * @example
 * const x = np.ones([2, 4])
 * const linear = (x: Array) => Effect.gen(function* () {
 *   const w = yield* Param.get("weight", [x.shape[1]!, 3], Init.normal(0.1))
 *   return np.matmul(x, w)
 * })
 * const model = transform((x: Array) => module("linear")(linear(x)))
 * const params = model.init(random.key(0), x)      // { "linear/weight": ... }
 * const y = model.apply(params, null, x)
 * // A layer with a literal name types its parameter paths:
 * const dense = transform(Linear({ outputSize: 3, name: "dense" }))
 * dense.init(random.key(0), x)["dense/w"]          // Array, not Array | undefined
 */
export const transform = <Args extends ReadonlyArray<unknown>, A, E, P extends string = string>(
  model: ModelFn<Args, A, E> & HasParamPaths<P>
): Transformed<Args, A, P> => ({
  init: (key, ...args) => {
    const [frame, rngKey] = initFrame(key, false)
    runModel(model, frame, rngKey, args)
    return record<P>(frame.params)
  },
  apply: (params, key, ...args) => runModel(model, applyFrame(params, {}, false), key, args)
})

export interface TransformedWithState<Args extends ReadonlyArray<unknown>, A, P extends string = string> {
  readonly init: (key: PRNGKeyArray, ...args: Args) => readonly [Params<P>, Params]
  readonly apply: (params: Params<P>, state: Params, key: PRNGKeyArray | null, ...args: Args) => readonly [A, Params]
}

/**
 * Like `transform`, for models that also keep state with `ModelState`.
 *
 * @example
 * const x = random.normal(random.key(1), [8, 4])
 * const model = transformWithState((x: Array, isTraining: boolean) => BatchNorm()(x, { isTraining }))
 * const [params, state] = model.init(random.key(0), x, true)
 * const [y, newState] = model.apply(params, state, null, x, true)
 */
export const transformWithState = <Args extends ReadonlyArray<unknown>, A, E, P extends string = string>(
  model: ModelFn<Args, A, E> & HasParamPaths<P>
): TransformedWithState<Args, A, P> => ({
  init: (key, ...args) => {
    const [frame, rngKey] = initFrame(key, true)
    runModel(model, frame, rngKey, args)
    return [record<P>(frame.params), record(frame.state)]
  },
  apply: (params, state, key, ...args) => {
    const frame = applyFrame(params, state, true)
    const out = runModel(model, frame, key, args)
    return [out, record(frame.state)]
  }
})

/**
 * The initializers for `Param.get`: jax.nn.initializers (`nn.initializers`) with JAX's defaults,
 * e.g. `Init.normal()` has stddev 0.01 and `Init.glorotUniform()` counts a kernel's receptive
 * field in its fans, as JAX does.
 *
 * @example
 * const w = yield* Param.get("w", [784, 128], Init.heNormal())
 * const b = yield* Param.get("b", [128], Init.zeros)
 */
export const Init = nn.initializers
