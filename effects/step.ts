/**
 * Steps: the units in which Effect programs over state slots succeed or fail as a whole. A run of
 * a slot's handler (`slot.run`), a call of a transformed program (jit, grad, valueAndGrad or vmap
 * of an Effect) and `State.atomic(effect)` are steps. A step that fails, dies or is interrupted
 * leaves every slot in its context as it found it, and a jaxfx error thrown by array code inside
 * it (a ShapeError from `np.add`, say, which Effect alone would turn into a defect) comes out of it
 * in the typed error channel. A jitted call already behaves so (its state is written back only
 * after the whole call succeeded); these helpers give eager runs the same behaviour, so a program
 * fails the same way with or without jit: same error, same state afterwards.
 */
import { Cause, type Context, Effect, Exit } from "effect"
import { isJaxfxError, type JaxfxError } from "../core/errors.js"

/**
 * The mutable cell a handler installs for one run of a program.
 *
 * @example
 * const cell = new State.Cell("counter", np.array(0))
 * cell.value = cell.value.add(1) // what a slot's handler does on `set`
 */
export class Cell<S = unknown> {
  constructor(
    readonly name: string,
    public value: S
  ) {}
}

/** The state cells a running program can see: every slot cell in its context, in a fixed order. */
export const cellsIn = (ctx: Context.Context<never>): (readonly [string, Cell])[] =>
  [...ctx.mapUnsafe.entries()].filter((e): e is [string, Cell] => e[1] instanceof Cell).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))

const isArrayDefect = (r: Cause.Reason<unknown>): r is Cause.Die => Cause.isDieReason(r) && isJaxfxError(r.defect)

/**
 * `self`, with the jaxfx errors that array code threw inside it (defects, to Effect) moved into the
 * typed error channel. Other defects and interruptions stay as they are.
 */
export const typedErrors = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | JaxfxError, R> =>
  Effect.catchCause(self, (cause) =>
    Effect.failCause(
      cause.reasons.some(isArrayDefect)
        ? Cause.fromReasons<E | JaxfxError>(cause.reasons.map((r) => (isArrayDefect(r) ? Cause.makeFailReason(r.defect as JaxfxError) : r)))
        : cause
    )
  )

/** Run array code `f` synchronously: a jaxfx error it throws is a typed failure, anything else a defect. */
export const tryArray = <A>(f: () => A): Effect.Effect<A, JaxfxError> => typedErrors(Effect.sync(f))

/**
 * Run `effect` as one step: when it fails (or dies, or is interrupted) every state slot in its
 * context gets back the value it had before, and jaxfx errors thrown by array code inside it come
 * out typed, so `Effect.catchTag("ShapeError", ...)` sees them. This is what a call of
 * `jit(program)` does; `atomic` gives an eager program the same all-or-nothing behaviour.
 *
 * @example
 * const Pos = State.slot<"pos", Array>("pos")
 * const move = (d: Array) => Effect.gen(function* () {
 *   yield* Pos.update((p) => p.add(1))
 *   yield* Pos.update((p) => p.add(d)) // a ShapeError when d does not broadcast
 * })
 * const prog = Effect.gen(function* () {
 *   yield* State.atomic(move(np.zeros([3]))).pipe(Effect.catchTag("ShapeError", () => Effect.void))
 *   return yield* Pos.get // [0, 0]: the first update was undone with the failed step
 * })
 * Effect.runSync(Pos.run(np.zeros([2]))(prog))
 */
export const atomic = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | JaxfxError, R> =>
  Effect.flatMap(Effect.context<never>(), (ctx) => {
    const saved = cellsIn(ctx).map(([, cell]) => [cell, cell.value] as const)
    return Effect.onExit(typedErrors(effect), (exit) =>
      Exit.isSuccess(exit)
        ? Effect.void
        : Effect.sync(() => {
            for (const [cell, value] of saved) cell.value = value
          })
    )
  })
