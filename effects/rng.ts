/**
 * The Rng effect: a PRNG key threaded by its handler. `Rng.next` splits the current key, keeps one
 * half and returns the other, so every draw uses a fresh key; `Rng.run(key)(program)` returns the
 * result and the final key. The key is a state slot, so under jit it is an explicit input and
 * output, and the same program with the same key gives the same numbers eagerly and under jit.
 */
import { Effect } from "effect"
import { type Array, type JaxfxError, random } from "../index.js"
import type { PRNGKeyArray } from "../core/random/keys.js"
import { checkOptions, optionKeys } from "../core/options.js"
import { slot, type StateSlot } from "./state.js"

const keySlot = slot<"jaxfx/rng", PRNGKeyArray>("jaxfx/rng")

/** The requirement of programs that draw random numbers. */
export type Rng = StateSlot<"jaxfx/rng">

/** A fresh key (the handler keeps the other half of a split). */
export const next: Effect.Effect<PRNGKeyArray, never, Rng> = Effect.flatMap(keySlot.key, (cell) =>
  Effect.sync(() => {
    const [keep, use] = random.split(cell.value)
    cell.value = keep
    return use
  })
)

/**
 * `n` fresh keys, as one key array of shape [n].
 *
 * @example
 * import { Rng } from "jaxfx/effects"
 * const keys = yield* Rng.split(4) // a key array of shape [4]
 */
export const split = (n: number): Effect.Effect<PRNGKeyArray, never, Rng> => Effect.map(next, (k) => random.split(k, [n]) as PRNGKeyArray)

/**
 * The handler: run `program` drawing from `key`; returns `[result, finalKey]`. A run is a step, as for every slot (`State.atomic`).
 *
 * @example
 * import { Rng } from "jaxfx/effects"
 * const program = Effect.gen(function* () {
 *   return yield* Rng.normal([2])
 * })
 * const [x, finalKey] = Effect.runSync(Rng.run(random.key(0))(program))
 */
export const run =
  (key: PRNGKeyArray) =>
  <A, E, R>(program: Effect.Effect<A, E, R>): Effect.Effect<readonly [A, PRNGKeyArray], E | JaxfxError, Exclude<R, Rng>> =>
    keySlot.run(key)(program)

/**
 * Draw with a fresh key: `Rng.sample((k) => random.gumbel(k, [3]))`.
 *
 * @example
 * import { Rng } from "jaxfx/effects"
 * const g = yield* Rng.sample((k) => random.gumbel(k, [3]))
 */
export const sample = <A>(f: (key: PRNGKeyArray) => A): Effect.Effect<A, never, Rng> => Effect.map(next, f)

/**
 * Standard normal samples of `shape` drawn with a fresh key from the `Rng` slot (`random.normal` with `Rng.next`).
 *
 * @example
 * import { Rng } from "jaxfx/effects"
 * const noise = yield* Rng.normal([2, 3])
 */
export const normal = (shape: random.ShapeArg = [], dtype?: random.DTypeArg<random.FloatDType>): Effect.Effect<Array, never, Rng> => {
  if (typeof dtype === "object") checkOptions("Rng.normal", dtype, ["dtype"])
  return sample((k) => random.normal(k, shape, dtype))
}

/**
 * Uniform samples of `shape` in `[minval, maxval)` (default `[0, 1)`) drawn with a fresh key from the `Rng` slot (`random.uniform`).
 *
 * @example
 * import { Rng } from "jaxfx/effects"
 * const u = yield* Rng.uniform([4], { minval: -1, maxval: 1 })
 */
export const uniform = (shape: random.ShapeArg = [], options: random.UniformOptions = {}): Effect.Effect<Array, never, Rng> => {
  checkOptions("Rng.uniform", options, optionKeys<random.UniformOptions>()("dtype", "minval", "maxval"))
  return sample((k) => random.uniform(k, shape, options))
}

/**
 * Booleans true with probability `p`, drawn with a fresh key from the `Rng` slot (`random.bernoulli`), e.g. a dropout mask.
 *
 * @example
 * import { Rng } from "jaxfx/effects"
 * const keep = yield* Rng.bernoulli(0.9, [8])
 */
export const bernoulli = (p: Array | number = 0.5, shape?: random.ShapeArg): Effect.Effect<Array, never, Rng> => sample((k) => random.bernoulli(k, p, shape))
