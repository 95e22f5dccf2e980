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
import { np, random } from "../index.js"
import * as Rng from "./rng.js"

/** Parameters or model state: a flat record keyed by `module/.../name`. */
export type Params = Readonly<Record<string, Array>>

/** Makes an initial value from a key: `(key, shape, dtype) => Array`. */
export type Initializer = (key: PRNGKeyArray, shape: ReadonlyArray<number>, dtype: DType) => Array

interface Frame {
  readonly mode: "init" | "apply"
  readonly params: Map<string, Array>
  readonly state: Map<string, Array>
  readonly nextKey: () => PRNGKeyArray
  readonly scope: ReadonlyArray<string>
  readonly withState: boolean
}

/** The requirement of code that declares parameters or model state. */
export class Model extends Context.Service<Model, Frame>()("jaxfx/Model") {}

const pathOf = (frame: Frame, name: string): string => [...frame.scope, name].join("/")

const checkShape = (what: string, path: string, got: Array, shape: ReadonlyArray<number>, dtype: DType): ShapeError | undefined =>
  got.shape.join(",") !== shape.join(",") || got.dtype !== dtype
    ? new ShapeError(`${what} "${path}" is ${got.aval.str()} in the given record, but the model asks for ${dtype}[${shape.join(",")}]`)
    : undefined

const declare = (which: "params" | "state") => (name: string, shape: ReadonlyArray<number>, init: Initializer, opts: { readonly dtype?: DType } = {}) => {
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
      return Effect.fail(new ValueError(`${what} "${path}" is missing from the ${which} record (it has ${[...store.keys()].join(", ") || "nothing"}); build it with init(...)`))
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

/** Run `program` with its parameter names under `name/`. */
export const module = (name: string) => <A, E, R>(program: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | Model> =>
  Effect.flatMap(Model, (frame) => Effect.provideService(program, Model, { ...frame, scope: [...frame.scope, name] }))

type ModelFn<Args extends ReadonlyArray<unknown>, A, E> = (...args: Args) => Effect.Effect<A, E, Model | Rng.Rng>

const runModel = <Args extends ReadonlyArray<unknown>, A, E>(
  model: ModelFn<Args, A, E>,
  frame: Frame,
  key: PRNGKeyArray | null,
  args: Args
): A => {
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
  return [{ mode: "init", params: new Map(), state: new Map(), nextKey, scope: [], withState }, rngKey]
}

const record = (m: Map<string, Array>): Params => Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))

export interface Transformed<Args extends ReadonlyArray<unknown>, A> {
  readonly init: (key: PRNGKeyArray, ...args: Args) => Params
  readonly apply: (params: Params, key: PRNGKeyArray | null, ...args: Args) => A
}

/**
 * Pure `init` and `apply` for a model that declares parameters with `Param.get`.
 *
 * @example
 * const linear = (x: Array) => Effect.gen(function* () {
 *   const w = yield* Param.get("weight", [x.shape[1]!, 3], Init.normal(0.1))
 *   return np.matmul(x, w)
 * })
 * const model = transform((x: Array) => module("linear")(linear(x)))
 * const params = model.init(random.key(0), x)      // { "linear/weight": ... }
 * const y = model.apply(params, null, x)
 */
export const transform = <Args extends ReadonlyArray<unknown>, A, E>(model: ModelFn<Args, A, E>): Transformed<Args, A> => ({
  init: (key, ...args) => {
    const [frame, rngKey] = initFrame(key, false)
    runModel(model, frame, rngKey, args)
    return record(frame.params)
  },
  apply: (params, key, ...args) =>
    runModel(model, { mode: "apply", params: new Map(Object.entries(params)), state: new Map(), nextKey: noKey, scope: [], withState: false }, key, args)
})

export interface TransformedWithState<Args extends ReadonlyArray<unknown>, A> {
  readonly init: (key: PRNGKeyArray, ...args: Args) => readonly [Params, Params]
  readonly apply: (params: Params, state: Params, key: PRNGKeyArray | null, ...args: Args) => readonly [A, Params]
}

/** Like `transform`, for models that also keep state with `ModelState`. */
export const transformWithState = <Args extends ReadonlyArray<unknown>, A, E>(model: ModelFn<Args, A, E>): TransformedWithState<Args, A> => ({
  init: (key, ...args) => {
    const [frame, rngKey] = initFrame(key, true)
    runModel(model, frame, rngKey, args)
    return [record(frame.params), record(frame.state)]
  },
  apply: (params, state, key, ...args) => {
    const frame: Frame = { mode: "apply", params: new Map(Object.entries(params)), state: new Map(Object.entries(state)), nextKey: noKey, scope: [], withState: true }
    const out = runModel(model, frame, key, args)
    return [out, record(frame.state)]
  }
})

/** Common initializers. */
export const Init = {
  zeros: ((_k, shape, dtype) => np.zeros(shape, { dtype })) as Initializer,
  ones: ((_k, shape, dtype) => np.ones(shape, { dtype })) as Initializer,
  constant: (value: number): Initializer => (_k, shape, dtype) => np.full(shape, value, { dtype }),
  normal: (stddev = 1): Initializer => (k, shape, dtype) => random.normal(k, shape, dtype as never).mul(stddev),
  truncatedNormal: (stddev = 1): Initializer => (k, shape, dtype) => random.truncatedNormal(k, -2, 2, shape, dtype as never).mul(stddev),
  /** Glorot/Xavier uniform over the last two dimensions (fan in, fan out). */
  glorotUniform: (): Initializer => (k, shape, dtype) => {
    const fanIn = shape.length >= 2 ? shape[shape.length - 2]! : shape[0] ?? 1
    const fanOut = shape[shape.length - 1] ?? 1
    const limit = Math.sqrt(6 / (fanIn + fanOut))
    return random.uniform(k, shape, { dtype: dtype as never, minval: -limit, maxval: limit })
  }
}
