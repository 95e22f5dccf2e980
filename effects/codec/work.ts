/**
 * Work in slices. Reading a checkpoint is a long synchronous computation over data from outside;
 * written as a generator that yields after each small, bounded slice of work, it can run to
 * completion at once (the pure `decode*` functions) or give the event loop a turn every few
 * milliseconds (`codec.load`), so that a 100 MB hostile file never stalls a server.
 */
import { Effect } from "effect"
import { CodecError } from "../../index.js"

/** A computation that yields (nothing) after each bounded slice of work and returns an `A`. */
export type Work<A> = Generator<void, A, void>

/** Bytes a scanner reads between yields, and elements a loop handles between yields. */
export const SLICE_BYTES = 1 << 17
export const SLICE_ITEMS = 1 << 14

/** Run `work` to the end, synchronously. */
export const runWorkSync = <A>(work: Work<A>): A => {
  for (;;) {
    const r = work.next()
    if (r.done) return r.value
  }
}

/**
 * Any thrown value as a `CodecError`: `CodecError`s as they are, anything else (an allocation
 * failure on absurd input, say) with `what` in front, never a crash.
 */
export const asCodecError =
  (what: string) =>
  (e: unknown): CodecError =>
    e instanceof CodecError ? e : new CodecError(`${what}: ${e instanceof Error ? e.message : String(e)}`)

/** How long `runWork` keeps the event loop before giving it a turn. */
const TURN_MS = 8

/** A macrotask: Node's setImmediate, else a zero timeout (browsers). */
const nextTurn: Effect.Effect<void> = Effect.callback<void>((resume) => {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown; clearImmediate?: (h: unknown) => void }
  if (g.setImmediate !== undefined && g.clearImmediate !== undefined) {
    const handle = g.setImmediate(() => resume(Effect.void))
    return Effect.sync(() => g.clearImmediate?.(handle))
  }
  const handle = setTimeout(() => resume(Effect.void), 0)
  return Effect.sync(() => clearTimeout(handle))
})

/**
 * Run `work` as an Effect that gives the event loop a turn (timers, I/O) after about 8 ms of
 * slices; a throw becomes a `CodecError` in the error channel, and interrupting the fiber stops
 * the work between slices.
 */
export const runWork = <A>(make: () => Work<A>, what: string): Effect.Effect<A, CodecError> =>
  Effect.suspend(() => {
    const work = make()
    const turn = (): IteratorResult<void, A> => {
      const until = performance.now() + TURN_MS
      for (;;) {
        const r = work.next()
        if (r.done || performance.now() >= until) return r
      }
    }
    const loop: Effect.Effect<A, CodecError> = Effect.flatMap(Effect.try({ try: turn, catch: asCodecError(what) }), (r) =>
      r.done ? Effect.succeed(r.value) : Effect.andThen(nextTurn, loop)
    )
    return loop
  })
