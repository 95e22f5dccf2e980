/**
 * Typed state slots. A slot is an Effect service whose value is a cell holding a pytree of Arrays;
 * `get`/`set`/`update` read and write it, and `run(initial)(program)` is the handler that installs
 * a fresh cell and returns `[result, finalState]`. A program's type lists the slots it uses in its
 * requirements. Under jit/grad/vmap the handler's cells are threaded explicitly (`transforms.ts`),
 * so stateful programs stay correct under every transformation. A run of the handler is a step
 * (`step.ts`): if the program fails, jaxfx errors from its array code come out typed and every
 * other slot in context is left as it was.
 */
import { Context, Effect } from "effect"
import { Array, type JaxfxError, ShapeError, tree, TreeError } from "../index.js"
import { atomic, Cell, tryArray } from "./step.js"

export { atomic, Cell } from "./step.js"

/** The identifier type of a slot named `Name` (what appears in a program's requirements). */
export interface StateSlot<Name extends string> {
  readonly _jaxfxStateSlot: Name
}

export interface Slot<Name extends string, S> {
  readonly name: Name
  readonly key: Context.Service<StateSlot<Name>, Cell<S>>
  /** The current value. */
  readonly get: Effect.Effect<S, never, StateSlot<Name>>
  /** Replace the value. Fails (leaving the state unchanged) if the new value's structure, shapes or dtypes differ. */
  set(value: S): Effect.Effect<void, ShapeError | TreeError, StateSlot<Name>>
  /** Apply `f` to the value; returns the new value. A jaxfx error thrown by `f` is a typed failure (the value stays). */
  update(f: (s: S) => S): Effect.Effect<S, JaxfxError, StateSlot<Name>>
  /**
   * The handler: run `program` with this slot starting at `initial`; returns `[result, finalState]`.
   * The run is one step: jaxfx errors thrown by array code in `program` fail it in the typed
   * channel, and a failed run leaves the other slots in context as they were before it.
   */
  run(initial: S): <A, E, R>(program: Effect.Effect<A, E, R>) => Effect.Effect<readonly [A, S], E | JaxfxError, Exclude<R, StateSlot<Name>>>
}

const describeLeaf = (x: unknown): string => (x instanceof Array ? x.aval.str() : typeof x)

/**
 * A new value may replace the old one only with the same structure and leaf types.
 *
 * @example
 * State.checkCompatible("w", np.zeros([2]), np.ones([2])) // undefined: same structure and leaf types
 * State.checkCompatible("w", np.zeros([2]), np.ones([3])) // a ShapeError naming the slot
 */
export const checkCompatible = (name: string, old: unknown, next: unknown): ShapeError | TreeError | undefined => {
  const [ol, od] = tree.flatten(old)
  const [nl, nd] = tree.flatten(next)
  if (!od.equals(nd)) {
    return new TreeError(`State slot "${name}": the new value has structure ${nd.toString()} but the slot holds ${od.toString()}; keep the structure fixed.`)
  }
  for (let i = 0; i < ol.length; i++) {
    const a = ol[i]
    const b = nl[i]
    if (a instanceof Array && b instanceof Array) {
      if (a.dtype !== b.dtype || a.shape.join(",") !== b.shape.join(",")) {
        return new ShapeError(
          `State slot "${name}": leaf ${i} would change from ${describeLeaf(a)} to ${describeLeaf(b)}; a slot keeps its shapes and dtypes (cast or reshape first).`
        )
      }
    }
  }
  return undefined
}

/**
 * Define a state slot.
 *
 * @example
 * const Counter = State.slot<"counter", Array>("counter")
 * const step = Effect.gen(function* () { const n = yield* Counter.update((c) => c.add(1)); return n })
 * Effect.runSync(Counter.run(np.array(0))(step)) // [Array(1), Array(1)]
 */
export const slot = <const Name extends string, S>(name: Name): Slot<Name, S> => {
  const key = Context.Service<StateSlot<Name>, Cell<S>>(`jaxfx/State/${name}`)
  const set = (value: S): Effect.Effect<void, ShapeError | TreeError, StateSlot<Name>> =>
    Effect.flatMap(key, (cell) => {
      const err = checkCompatible(name, cell.value, value)
      if (err !== undefined) return Effect.fail(err)
      cell.value = value
      return Effect.void
    })
  return {
    name,
    key,
    get: Effect.map(key, (cell) => cell.value),
    set,
    update: (f) =>
      Effect.flatMap(key, (cell) =>
        Effect.flatMap(
          tryArray(() => f(cell.value)),
          (next) => Effect.as(set(next), next)
        )
      ),
    run: (initial) => (program) =>
      Effect.suspend(() => {
        const cell = new Cell<S>(name, initial)
        return Effect.map(atomic(Effect.provideService(program, key, cell)), (a) => [a, cell.value] as const)
      })
  }
}
