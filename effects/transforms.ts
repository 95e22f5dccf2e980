/**
 * jit, grad, valueAndGrad and vmap of Effect programs that use state slots (and the Rng, itself a
 * slot). The core transformations hand such programs here (their extension point). A program is
 * turned into a pure function `(states, ...args) -> [result, states']` by running its Effect
 * synchronously against fresh cells holding the (traced) state; the core transformation applies to
 * that pure function, and the returned Effect installs the new state after each call — so the
 * seed's Counter counts 1, 2, 3 under jit. Each call is a step (`step.ts`): it fails with the
 * program's own failure (jaxfx errors typed) and writes no state unless it succeeded.
 */
import { Cause, Context, Effect, Exit } from "effect"
import { Array, jit as coreJit, tree, ValueError, valueAndGrad as coreValueAndGrad, vmap as coreVmap } from "../index.js"
import { type GradLikeOptions, registerTransformExtension, type TransformExtension } from "../core/transforms/extension.js"
import { Lru } from "../core/lru.js"
import { DEFAULT_JIT_CACHE_SIZE, type Jitted } from "../core/transforms/jit.js"
import { Cell, cellsIn, typedErrors } from "./step.js"

type Program = (...args: never[]) => unknown
type Ctx = Context.Context<never>

/** How a failure of the program itself crosses the core transformation: its whole Cause, kept. */
class ProgramFailed {
  constructor(readonly cause: Cause.Cause<unknown>) {}
}

const checkArrays = (name: string, value: unknown): void => {
  for (const leaf of tree.leaves(value)) {
    if (!(leaf instanceof Array) && typeof leaf !== "number") {
      throw new ValueError(`State slot "${name}" holds a ${typeof leaf} leaf; under jit, grad and vmap a slot must hold a pytree of Arrays.`)
    }
  }
}

/** Why a traced program could not run synchronously. */
const asyncInTrace = (): ValueError =>
  new ValueError(
    "An asynchronous effect ran inside a transformed program (jit/grad/vmap of an Effect). Transformed programs run " +
      "synchronously at trace time: do async work (I/O, sleeps, Device.read) outside the transformed function."
  )

/**
 * Run `program(...args)` synchronously in `ctx`, with the given slots replaced by cells holding
 * `states`. Returns the result and the final values of those cells. A failure is thrown as a
 * ProgramFailed carrying its Cause (so typed failures stay typed and defects stay defects).
 */
export const runPure =
  (program: Program, ctx: Ctx, keys: ReadonlyArray<string>, names: ReadonlyArray<string>) =>
  (states: ReadonlyArray<unknown>, args: ReadonlyArray<unknown>): [unknown, unknown[]] => {
    const cells = keys.map((_, i) => new Cell(names[i]!, states[i]))
    let c: Ctx = ctx
    keys.forEach((k, i) => (c = Context.addUnsafe(c, k, cells[i]!) as Ctx))
    const eff = (program as (...a: ReadonlyArray<unknown>) => Effect.Effect<unknown, unknown, never>)(...args)
    const exit = Effect.runSyncExit(Effect.provideContext(eff, c))
    if (Exit.isFailure(exit)) {
      if (exit.cause.reasons.some((r) => Cause.isDieReason(r) && Cause.isAsyncFiberError(r.defect))) throw asyncInTrace()
      throw new ProgramFailed(exit.cause)
    }
    return [exit.value, cells.map((cell) => cell.value)]
  }

/** Read the slots in context: keys, names and current values (checked to be arrays). */
const readState = (ctx: Ctx) => {
  const entries = cellsIn(ctx)
  const keys = entries.map(([k]) => k)
  const names = entries.map(([, c]) => c.name)
  const values = entries.map(([, c]) => {
    checkArrays(c.name, c.value)
    return c.value
  })
  return { entries, keys, names, values }
}

/** Install new state values (only after the whole call succeeded: no half-applied step). */
const writeState = (entries: ReadonlyArray<readonly [string, Cell]>, values: ReadonlyArray<unknown>): void => {
  entries.forEach(([, cell], i) => (cell.value = values[i]))
}

/**
 * Run a transformed call inside an Effect: the program's own failure comes out with its Cause, a
 * jaxfx error thrown by the transformation or by array code is a typed failure, anything else a
 * defect — as for the same program run eagerly in a step.
 */
const attempt = <A>(f: () => A): Effect.Effect<A, unknown> =>
  typedErrors(
    Effect.suspend(() => {
      try {
        return Effect.succeed(f())
      } catch (e) {
        return e instanceof ProgramFailed ? Effect.failCause(e.cause) : Effect.die(e)
      }
    })
  )

const shiftArgnums = (a: unknown): unknown => (typeof a === "number" ? a + 1 : globalThis.Array.isArray(a) ? a.map((x: number) => x + 1) : a)

const jitProgram = (program: Program, opts: Readonly<Record<string, unknown>>) => {
  // One core-jitted pure function per set of slots; the context is read at trace time.
  const current: { ctx: Ctx | undefined; keys: ReadonlyArray<string>; names: ReadonlyArray<string> } = { ctx: undefined, keys: [], names: [] }
  // (core jit has checked cacheSize; a dropped function releases its compiled programs)
  const byKeys = new Lru<string, Jitted<[states: ReadonlyArray<unknown>, ...rest: unknown[]], [unknown, unknown[]]>>(
    (opts["cacheSize"] as number | undefined) ?? DEFAULT_JIT_CACHE_SIZE,
    (jf) => jf.clearCache()
  )
  const staticArgnums = opts["staticArgnums"] === undefined ? undefined : shiftArgnums(opts["staticArgnums"])
  const run = (...args: ReadonlyArray<unknown>) =>
    Effect.gen(function* () {
      const ctx = yield* Effect.context<never>()
      const st = readState(ctx)
      const sig = st.keys.join("|")
      let jf = byKeys.get(sig)
      if (jf === undefined) {
        const keys = st.keys
        const names = st.names
        jf = coreJit((states: ReadonlyArray<unknown>, ...rest: ReadonlyArray<unknown>) => runPure(program, current.ctx!, keys, names)(states, rest), {
          ...opts,
          ...(staticArgnums === undefined ? {} : { staticArgnums: staticArgnums as number[] }),
          name: program.name || "program"
        })
        byKeys.set(sig, jf)
      }
      current.ctx = ctx
      const [out, next] = (yield* attempt(() => jf!(st.values, ...args))) as [unknown, unknown[]]
      writeState(st.entries, next)
      return out
    })
  return Object.assign(run, { clearCache: () => byKeys.clear() })
}

const gradProgram =
  (program: Program, opts: GradLikeOptions, withValue: boolean) =>
  (...args: ReadonlyArray<unknown>) =>
    Effect.gen(function* () {
      const ctx = yield* Effect.context<never>()
      const st = readState(ctx)
      const hasAux = opts.hasAux === true
      const pure = runPure(program, ctx, st.keys, st.names)
      // The state rides along as auxiliary output: differentiate with respect to the arguments only.
      const f = (states: ReadonlyArray<unknown>, ...rest: ReadonlyArray<unknown>) => {
        const [out, next] = pure(states, rest)
        if (hasAux) {
          const [loss, aux] = out as readonly [Array, unknown]
          return [loss, [aux, next]] as const
        }
        return [out as Array, [undefined, next]] as const
      }
      const argnums = shiftArgnums(opts.argnums ?? 0) as number | number[]
      const [[value, [aux, next]], g] = (yield* attempt(() => coreValueAndGrad(f, { argnums, hasAux: true } as never)(st.values, ...args))) as unknown as [
        [Array, [unknown, unknown[]]],
        unknown
      ]
      writeState(st.entries, next)
      const v = hasAux ? [value, aux] : value
      return withValue ? [v, g] : hasAux ? [g, aux] : g
    })

const vmapProgram =
  (program: Program, opts: Readonly<Record<string, unknown>>) =>
  (...args: ReadonlyArray<unknown>) =>
    Effect.gen(function* () {
      const ctx = yield* Effect.context<never>()
      const st = readState(ctx)
      const stateAxes = (opts["stateAxes"] ?? null) as number | null
      const inAxes = opts["inAxes"] ?? 0
      const perArg = inAxes === null || typeof inAxes === "number" ? args.map(() => inAxes) : (inAxes as ReadonlyArray<unknown>)
      const outAxes = opts["outAxes"] ?? 0
      const pure = runPure(program, ctx, st.keys, st.names)
      const f = (states: ReadonlyArray<unknown>, ...rest: ReadonlyArray<unknown>) => pure(states, rest)
      const run = () =>
        coreVmap(f, {
          inAxes: [st.values.map(() => stateAxes), ...perArg],
          outAxes: [outAxes, st.values.map(() => stateAxes)],
          ...(opts["axisSize"] === undefined ? {} : { axisSize: opts["axisSize"] as number })
        })(st.values, ...args)
      const [out, next] = (yield* attempt(() => {
        try {
          return run()
        } catch (e) {
          if (e instanceof ValueError && /outAxes is null/.test(e.message)) {
            throw new ValueError(
              "vmap of an Effect program: the program writes state that depends on the mapped arguments, but the state is not batched. " +
                "Pass { stateAxes: 0 } to give every example its own state (the state must then be batched on that axis)."
            )
          }
          throw e
        }
      })) as [unknown, unknown[]]
      writeState(st.entries, next)
      return out
    })

/** The extension core's transformations call for functions that return an Effect. */
export const effectsExtension: TransformExtension = {
  claims: (result) => Effect.isEffect(result),
  jit: jitProgram,
  valueAndGrad: (f, opts) => gradProgram(f, opts, true),
  grad: (f, opts) => gradProgram(f, opts, false),
  vmap: vmapProgram
}

registerTransformExtension(effectsExtension)
