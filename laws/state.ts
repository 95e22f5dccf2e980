/**
 * Laws of state (jaxfx/effects): a stateful program means the same thing whether it runs eagerly
 * or compiled, and a slot holds what was last written to it.
 *
 * - `stateJitInvariance`: `run(jit(p)) = run(p)`: the same results and the same final state, over
 *   several calls in one run. On random programs over state slots (gets, sets and updates of
 *   several slots mixing in an argument and each other, and steps that fail), or on a program of
 *   your own. Failures agree too: when run(p) fails, run(jit(p)) fails with the same error (typed
 *   in both), and with every call made a step (`State.atomic(p(x))` eagerly, a call of `jit(p)`)
 *   and its failure caught, the calls fail alike and leave the same final state.
 * - `setThenGet`: get after set returns what was set (eagerly and under jit), and the final
 *   state is the last value set.
 *
 * Importing this module imports jaxfx/effects, which teaches jit/grad/vmap about Effect programs.
 *
 * @example
 * import { Effect } from "effect"
 * import { State } from "jaxfx/effects"
 * const Counter = State.slot<"counter", Array>("counter")
 * const step = (x: Array) => Effect.gen(function* () { return yield* Counter.update((c) => c.add(x)) })
 * laws.check(laws.stateJitInvariance({ program: step, run: Counter.run, initial: arb.array({ shape: [] }), args: [arb.array({ shape: [] })] }))
 */
import { Cause, Effect, Exit } from "effect"
import fc from "fast-check"
import { type Array, type JaxfxError, np, tree } from "../index.js"
import { State } from "../effects/index.js"
import { array as arrayArb, type ArrayOptions, arrayTree, type Pytree, type ShapeOptions } from "./arbitraries.js"
import { checkLawOptions, checkShapeBounds } from "./check-options.js"
import { checkOptions, optionKeys } from "../core/options.js"
import { treeCode } from "./format.js"
import {
  type AnyFn,
  type Arbitraries,
  attempt,
  compareOutputs,
  defaultJit,
  Described,
  erase,
  type ErasedJit,
  errorText,
  indent,
  type JitLike,
  lawProperty,
  type LawProperty,
  LawViolation,
  nameOf
} from "./laws.js"
import type { Comparison } from "./format.js"

/** A state slot of any name holding S (what `State.slot(name)` returns). */
export type AnySlot<S> = State.Slot<string, S>

/** Makes a slot (default `State.slot`): replace it to check another implementation. */
export type SlotFactory = <S>(name: string) => AnySlot<S>

const defaultSlot: SlotFactory = <S>(name: string): AnySlot<S> => State.slot<string, S>(name)

type Eff = Effect.Effect<unknown, unknown, never>
/** Erase a program's requirements: the handlers installed around it provide them. */
const provided = <A, E, R>(e: Effect.Effect<A, E, R>): Effect.Effect<A, E, never> => e as unknown as Effect.Effect<A, E, never>

const runSync = <A>(what: string, e: Effect.Effect<A, unknown, never>): A => attempt(what, () => Effect.runSync(e))

export interface StateLawOptions {
  /** Calls of the program in one run of its handlers (default 1 to 3, drawn per case). */
  readonly calls?: number
  /** "exact" (default) or `{ rtol, atol }`. */
  readonly tolerance?: Comparison
  /** The jit under test (default jaxfx's). */
  readonly jit?: JitLike
}
const STATE_LAW_KEYS = optionKeys<StateLawOptions>()("calls", "tolerance", "jit")

// ---------------------------------------------------------------------------------------------
// Random programs over state slots

/** How a step changes a slot's value v. */
export type StateOp =
  | { readonly op: "add" | "mul"; readonly k: number }
  | { readonly op: "sin" | "tanh" }
  /** v + mean(x) */
  | { readonly op: "addArg" }
  /** v + sum(slot j) / 4 */
  | { readonly op: "addSlot"; readonly j: number }

/**
 * One step of a state program: write slot i (through set or update), read it into the results, or
 * fail after the writes before it: by array code throwing a ShapeError (`via: "throw"`, a reshape
 * to a size that cannot fit) or by a set that would change the slot's shape (`via: "set"`).
 */
export type StateStep =
  | { readonly kind: "set" | "update"; readonly slot: number; readonly change: StateOp }
  | { readonly kind: "read"; readonly slot: number }
  | { readonly kind: "fail"; readonly slot: number; readonly via: "throw" | "set" }

export interface StateProgramOptions {
  /** Number of slots (default 1 to 3). */
  readonly slots?: { readonly min: number; readonly max: number }
  /** Most steps (default 6). */
  readonly maxSteps?: number
  /** Shapes of slot values and of the argument (default rank 0-2, at most 6 elements). */
  readonly shapes?: ShapeOptions
  /** Whether programs may contain failing steps (default true; about one program in five fails). */
  readonly failures?: boolean
}
const STATE_PROGRAM_KEYS = optionKeys<StateProgramOptions>()("slots", "maxSteps", "shapes", "failures")
const checkStatePrograms = (caller: string, o: StateProgramOptions | undefined, keys: ReadonlyArray<string>): void => {
  checkOptions(caller, o, keys)
  checkShapeBounds(`${caller} (shapes)`, o?.shapes)
}

const constants = [0.5, -1, 2, 1.5] as const

const opArb = (maxSlots: number): fc.Arbitrary<StateOp> =>
  fc.oneof(
    fc.record({ op: fc.constantFrom("add" as const, "mul" as const), k: fc.nat({ max: constants.length - 1 }).map((i) => constants[i]!) }),
    fc.record({ op: fc.constantFrom("sin" as const, "tanh" as const) }),
    fc.record({ op: fc.constant("addArg" as const) }),
    fc.record({ op: fc.constant("addSlot" as const), j: fc.nat({ max: maxSlots - 1 }) })
  )

const stepArb = (maxSlots: number, failures: boolean): fc.Arbitrary<StateStep> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({ kind: fc.constantFrom("set" as const, "update" as const), slot: fc.nat({ max: maxSlots - 1 }), change: opArb(maxSlots) })
    },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant("read" as const), slot: fc.nat({ max: maxSlots - 1 }) }) },
    {
      weight: failures ? 1 : 0,
      arbitrary: fc.record({ kind: fc.constant("fail" as const), slot: fc.nat({ max: maxSlots - 1 }), via: fc.constantFrom("throw" as const, "set" as const) })
    }
  )

/** A random state program with its slots' initial values, its argument and how often it is called. */
export interface StateProgramCase {
  readonly steps: ReadonlyArray<StateStep>
  readonly initial: ReadonlyArray<Array>
  readonly x: Array
  readonly calls: number
}

const slotCache = new Map<string, AnySlot<Array>>()
/** The slots of random programs: `laws/s0`, `laws/s1`, ... (one object per name). */
const programSlot = (i: number): AnySlot<Array> => {
  const name = `laws/s${i}`
  let s = slotCache.get(name)
  if (s === undefined) {
    s = State.slot<string, Array>(name)
    slotCache.set(name, s)
  }
  return s
}

const changeCode = (c: StateOp, v: string, k: number): string => {
  switch (c.op) {
    case "add":
      return `${v}.add(${c.k})`
    case "mul":
      return `${v}.mul(${c.k})`
    case "sin":
      return `np.sin(${v})`
    case "tanh":
      return `np.tanh(${v})`
    case "addArg":
      return `${v}.add(np.mean(x))`
    case "addSlot":
      return `${v}.add(np.sum(yield* S${c.j % k}.get).mul(0.25))`
  }
}

/**
 * The program as code.
 *
 * @example
 * laws.stateProgramCode([{ kind: "read", slot: 0 }], 1) // the program as code
 */
export const stateProgramCode = (steps: ReadonlyArray<StateStep>, slots: number): string => {
  const lines = [`(x: Array) => Effect.gen(function* () {`, `  const reads: Array[] = []`]
  for (const s of steps) {
    const i = s.slot % slots
    if (s.kind === "read") lines.push(`  reads.push(yield* S${i}.get)`)
    else if (s.kind === "fail") {
      lines.push(
        s.via === "throw"
          ? `  yield* S${i}.set(grow(yield* S${i}.get)) // grow = (v) => np.reshape(v, [v.size + 1]) throws a ShapeError`
          : `  yield* S${i}.set(np.zeros([(yield* S${i}.get).size + 1])) // fails: a slot keeps its shape (ShapeError)`
      )
    } else if (s.kind === "set") lines.push(`  yield* S${i}.set(${changeCode(s.change, `(yield* S${i}.get)`, slots)})`)
    else if (s.change.op === "addSlot") lines.push(`  const w = yield* S${s.change.j % slots}.get`, `  yield* S${i}.update((v) => v.add(np.sum(w).mul(0.25)))`)
    else lines.push(`  yield* S${i}.update((v) => ${changeCode(s.change, "v", slots)})`)
  }
  let total = "np.sum(yield* S0.get)"
  for (let i = 1; i < slots; i++) total = `${total}.add(np.sum(yield* S${i}.get))`
  lines.push(`  return [...reads, ${total}]`, `})`)
  return lines.join("\n")
}

/**
 * The program itself: one call reads and writes the slots and returns the reads and the sum of all slots.
 *
 * @example
 * const once = laws.stateProgram([{ kind: "read", slot: 0 }], 1)
 * // the program's slots are the state slots "laws/s0", "laws/s1", ...: run it under their handlers
 * const S0 = State.slot<"laws/s0", Array>("laws/s0")
 * Effect.runSync(S0.run(np.array([2], { dtype: "float32" }))(once(np.array(1, { dtype: "float32" })))) // [[reads..., sum of slots], final s0]
 */
export const stateProgram =
  (steps: ReadonlyArray<StateStep>, slots: number) =>
  (x: Array): Effect.Effect<Array[], unknown, never> =>
    provided(
      Effect.gen(function* () {
        const slot = (i: number) => programSlot(i % slots)
        const reads: Array[] = []
        for (const s of steps) {
          const target = slot(s.slot)
          if (s.kind === "read") {
            reads.push(yield* target.get)
            continue
          }
          if (s.kind === "fail") {
            const v = yield* target.get
            // "throw": array code throws inside the generator (Effect alone would make it a defect).
            yield* target.set(s.via === "throw" ? np.reshape(v, [v.size + 1]) : np.zeros([v.size + 1], { dtype: v.dtype }))
            continue
          }
          const change = s.change
          // addSlot reads the other slot first (as the printed code does for update; for set the
          // order of two reads does not matter).
          const w = change.op === "addSlot" ? yield* slot(change.j).get : undefined
          const next = (v: Array): Array => (w === undefined ? pureApply(change, v, x) : v.add(np.sum(w).mul(0.25)))
          if (s.kind === "set") yield* target.set(next(yield* target.get))
          else yield* target.update(next)
        }
        let total = np.sum(yield* slot(0).get)
        for (let i = 1; i < slots; i++) total = total.add(np.sum(yield* slot(i).get))
        return [...reads, total]
      })
    )

const pureApply = (c: StateOp, v: Array, x: Array): Array => {
  switch (c.op) {
    case "add":
      return v.add(c.k)
    case "mul":
      return v.mul(c.k)
    case "sin":
      return np.sin(v)
    case "tanh":
      return np.tanh(v)
    case "addArg":
      return v.add(np.mean(x))
    case "addSlot":
      throw new Error("unreachable: addSlot reads a slot first")
  }
}

/**
 * Random state programs with initial slot values, an argument and a number of calls.
 *
 * @example
 * fc.sample(laws.stateProgramCase({ calls: 2 }), 1) // a program, initial slot values, an argument
 */
export const stateProgramCase = (options: StateProgramOptions & { readonly calls?: number } = {}): fc.Arbitrary<StateProgramCase> => {
  checkStatePrograms("laws.stateProgramCase", options, [...STATE_PROGRAM_KEYS, "calls"])
  const { min, max } = options.slots ?? { min: 1, max: 3 }
  const shapes: ShapeOptions = options.shapes ?? { maxRank: 2, maxDim: 3, maxSize: 6 }
  const values: ArrayOptions = { shape: shapes, min: -2, max: 2, step: 1 / 16 }
  return fc.integer({ min, max }).chain((k) =>
    fc.record({
      steps: fc.array(stepArb(k, options.failures ?? true), { minLength: 1, maxLength: options.maxSteps ?? 6 }),
      initial: fc.array(arrayArb(values), { minLength: k, maxLength: k }),
      x: arrayArb(values),
      calls: options.calls === undefined ? fc.integer({ min: 1, max: 3 }) : fc.constant(options.calls)
    })
  )
}

/** `body` under fresh handlers of the case's slots: its result and the final slot values. */
const withHandlers = <A>(c: StateProgramCase, body: Effect.Effect<A, unknown, never>): Effect.Effect<[A, Array[]], unknown, never> => {
  let eff: Effect.Effect<[A, Array[]], unknown, never> = Effect.map(body, (o) => [o, []])
  c.initial.forEach((init, i) => {
    const inner = eff
    eff = provided(Effect.map(programSlot(i).run(init)(inner), ([[o, states], s]) => [o, [...states, s]] as [A, Array[]]))
  })
  return eff
}

/** `call` applied `calls` times in one program, collecting what `each` makes of every call. */
const callsOf = <A>(
  calls: number,
  call: () => Effect.Effect<unknown, unknown, never>,
  each: (e: Effect.Effect<unknown, unknown, never>) => Effect.Effect<A, unknown, never>
) =>
  Effect.gen(function* () {
    const outs: A[] = []
    for (let i = 0; i < calls; i++) outs.push(yield* each(call()))
    return outs
  })

// ---------------------------------------------------------------------------------------------
// Failures: how a run or a step ended, and the comparison of two endings

/** How a run (or one step) ended: its value, or what its failure was. */
type Outcome<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly failure: string }

const tagOf = (e: unknown): string => (typeof e === "object" && e !== null && "_tag" in e && typeof e._tag === "string" ? e._tag : errorText(e))

/** A failure by its kind and tag (messages may differ between eager and traced code; tags may not). */
const failureText = (cause: Cause.Cause<unknown>): string => {
  const r = cause.reasons[0]
  if (r === undefined) return "failed with an empty cause"
  if (Cause.isFailReason(r)) return `failed with ${tagOf(r.error)}`
  if (Cause.isDieReason(r)) return `died with ${tagOf(r.defect)} (a defect, not a typed error)`
  return "was interrupted"
}

const outcomeOf = <A>(exit: Exit.Exit<A, unknown>): Outcome<A> =>
  Exit.isSuccess(exit) ? { ok: true, value: exit.value } : { ok: false, failure: failureText(exit.cause) }

/** Run `eff` to its end (a failure is an outcome, not a violation). */
const runOutcome = <A>(eff: Effect.Effect<A, unknown, never>): Outcome<A> => outcomeOf(Effect.runSyncExit(eff))

/** Two endings agree: both failed alike, or both succeeded with values that `same` accepts. */
const compareOutcomes = <A>(a: Outcome<A>, b: Outcome<A>, labels: readonly [string, string], same: (x: A, y: A) => void): void => {
  if (a.ok && b.ok) return same(a.value, b.value)
  const say = (o: Outcome<A>) => (o.ok ? "succeeded" : o.failure)
  if (a.ok !== b.ok || (!a.ok && !b.ok && a.failure !== b.failure)) throw new LawViolation(`${labels[0]} ${say(a)}, but ${labels[1]} ${say(b)}`)
}

/** Both runs dying alike is no agreement: a program under test fails with typed errors (or has a bug). */
const notADefect = (failure: string): void => {
  if (failure.startsWith("died")) throw new LawViolation(`run(p) and run(jit(p)) both ${failure}: a failing program should fail with a typed error`)
}

/** Per-step endings and final state: each call its own step, its failure caught. */
const compareSteps = (
  eager: readonly [ReadonlyArray<Outcome<unknown>>, unknown],
  jitted: readonly [ReadonlyArray<Outcome<unknown>>, unknown],
  cmp: Comparison,
  stateName: string
): void => {
  const labels = ["State.atomic(p(x))", "jit(p)(x)"] as const
  eager[0].forEach((e, i) =>
    compareOutcomes(e, jitted[0][i]!, [`call ${i}: ${labels[0]}`, labels[1]], (x, y) => compareOutputs(x, y, cmp, labels, `results of call ${i}`))
  )
  compareOutputs(eager[1], jitted[1], cmp, ["run(p) with each call a caught step", "run(jit(p)) with each call caught"], stateName)
}

const describeProgramCase = (c: StateProgramCase): string =>
  [
    `program p:\n${indent(stateProgramCode(c.steps, c.initial.length))}`,
    `${c.initial.length === 1 ? "slot S0 starts" : `slots S0..S${c.initial.length - 1} start`} at:\n${indent(c.initial.map((v, i) => `S${i}: ${treeCode(v)}`).join("\n"))}`,
    `argument x: ${treeCode(c.x)}`,
    `calls of p in one run: ${c.calls} (results[i] are call i's reads, then the sum of all slots)`
  ].join("\n")

// ---------------------------------------------------------------------------------------------
// run(jit(p)) = run(p)

/** A stateful program of your own, with its handler and arbitraries for its state and arguments. */
export interface StatefulSubject<Args extends ReadonlyArray<unknown>, S, R> {
  /** One call of the program. */
  readonly program: (...args: Args) => Effect.Effect<unknown, unknown, R>
  /** The handler: runs a program with the state starting at `initial` (e.g. `Counter.run`; it may add jaxfx's errors). */
  readonly run: (initial: S) => <A, E>(program: Effect.Effect<A, E, R>) => Effect.Effect<readonly [A, S], E | JaxfxError, never>
  /** Initial states. */
  readonly initial: fc.Arbitrary<S>
  /** One arbitrary per argument of the program. */
  readonly args: Arbitraries<Args>
}

interface SubjectCase {
  readonly initial: unknown
  readonly args: ReadonlyArray<unknown>
  readonly calls: number
}

/**
 * `run(jit(p)) = run(p)`: calling the jitted program (several times, in one run of the handlers)
 * gives the same results and leaves the same final state as calling p itself. Without a subject
 * the law runs on random programs over up to three slots (`stateProgramCase`); with one, on your
 * program, its handler, and random initial states and arguments. Bit-exact by default.
 *
 * @example
 * laws.check(laws.stateJitInvariance(), { seed: 1, numRuns: 20 })
 */
export function stateJitInvariance(options?: StateLawOptions & { readonly programs?: StateProgramOptions }): LawProperty<Described<StateProgramCase>>
export function stateJitInvariance<Args extends ReadonlyArray<unknown>, S, R>(
  subject: StatefulSubject<Args, S, R>,
  options?: StateLawOptions
): LawProperty<Described<SubjectCase>>
export function stateJitInvariance<Args extends ReadonlyArray<unknown>, S, R>(
  subjectOrOptions?: StatefulSubject<Args, S, R> | (StateLawOptions & { readonly programs?: StateProgramOptions }),
  maybeOptions: StateLawOptions = {}
): LawProperty<Described<StateProgramCase>> | LawProperty<Described<SubjectCase>> {
  if (subjectOrOptions !== undefined && "program" in subjectOrOptions) {
    return subjectLaw(subjectOrOptions, checkLawOptions("laws.stateJitInvariance", maybeOptions, STATE_LAW_KEYS))
  }
  const options = checkLawOptions("laws.stateJitInvariance", subjectOrOptions ?? {}, [...STATE_LAW_KEYS, "programs"])
  checkStatePrograms("laws.stateJitInvariance (programs)", options.programs, STATE_PROGRAM_KEYS)
  const jitFn: ErasedJit = erase(options.jit, defaultJit)
  const cmp = options.tolerance ?? "exact"
  const cases = stateProgramCase({ ...options.programs, ...(options.calls === undefined ? {} : { calls: options.calls }) }).map(
    (c) => new Described(c, describeProgramCase)
  )
  return lawProperty("stateJitInvariance", "random state programs", cases, (c) => {
    const p = stateProgram(c.steps, c.initial.length)
    const jp = jitFn(p as unknown as AnyFn) as unknown as typeof p
    const whole = (call: typeof p) =>
      runOutcome(
        withHandlers(
          c,
          callsOf(
            c.calls,
            () => call(c.x),
            (e) => e
          )
        )
      )
    const eager = whole(p)
    compareOutcomes(eager, whole(jp), ["run(p)", "run(jit(p))"], ([eo, es], [jo, js]) => {
      compareOutputs(eo, jo, cmp, ["run(p)", "run(jit(p))"], "results")
      compareOutputs(es, js, cmp, ["run(p)", "run(jit(p))"], "final state S")
    })
    if (eager.ok) return
    notADefect(eager.failure)
    // A run failed: with each call a step whose failure is caught, the calls fail alike and the state agrees.
    const stepwise = (call: (x: Array) => Effect.Effect<unknown, unknown, never>, what: string) =>
      runSync(
        what,
        withHandlers(
          c,
          callsOf(
            c.calls,
            () => call(c.x),
            (e) => Effect.map(Effect.exit(e), outcomeOf)
          )
        )
      )
    compareSteps(
      stepwise((x) => State.atomic(p(x)), "run(p) with each call a caught step"),
      stepwise(jp, "run(jit(p)) with each call caught"),
      cmp,
      "final state S"
    )
  })
}

const subjectLaw = <Args extends ReadonlyArray<unknown>, S, R>(
  s: StatefulSubject<Args, S, R>,
  options: StateLawOptions
): LawProperty<Described<SubjectCase>> => {
  const jitFn: ErasedJit = erase(options.jit, defaultJit)
  const cmp = options.tolerance ?? "exact"
  const program = s.program as unknown as AnyFn
  let jitted: AnyFn | undefined
  const list = s.args as unknown as ReadonlyArray<fc.Arbitrary<unknown>>
  const cases = fc
    .record({
      initial: s.initial as fc.Arbitrary<unknown>,
      args: fc.tuple(...list),
      calls: options.calls === undefined ? fc.integer({ min: 1, max: 3 }) : fc.constant(options.calls)
    })
    .map(
      (c) =>
        new Described<SubjectCase>(c, ({ initial, args, calls }) =>
          [
            `initial state: ${treeCode(initial)}`,
            `arguments:\n${indent(args.map((a, i) => `argument ${i}: ${treeCode(a)}`).join("\n"))}`,
            `calls in one run: ${calls}`
          ].join("\n")
        )
    )
  const handler = s.run as unknown as (initial: unknown) => (e: Eff) => Effect.Effect<readonly [unknown, unknown], unknown, never>
  const whole = (c: SubjectCase, call: AnyFn) =>
    runOutcome(
      handler(c.initial)(
        callsOf(
          c.calls,
          () => call(...c.args) as Eff,
          (e) => e
        )
      )
    )
  const stepwise = (c: SubjectCase, call: AnyFn, what: string): readonly [Outcome<unknown>[], unknown] =>
    runSync<readonly [unknown, unknown]>(
      what,
      handler(c.initial)(
        callsOf(
          c.calls,
          () => call(...c.args) as Eff,
          (e) => Effect.map(Effect.exit(e), outcomeOf)
        )
      )
    ) as readonly [Outcome<unknown>[], unknown]
  return lawProperty("stateJitInvariance", nameOf(s.program), cases, (c) => {
    jitted ??= jitFn(program)
    const eager = whole(c, program)
    compareOutcomes(eager, whole(c, jitted), ["run(p)", "run(jit(p))"], ([eo, es], [jo, js]) => {
      compareOutputs(eo, jo, cmp, ["run(p)", "run(jit(p))"], "results")
      compareOutputs(es, js, cmp, ["run(p)", "run(jit(p))"], "final state")
    })
    if (eager.ok) return
    notADefect(eager.failure)
    const atomicProgram: AnyFn = (...a) => State.atomic(program(...a) as Eff)
    compareSteps(
      stepwise(c, atomicProgram, "run(p) with each call a caught step"),
      stepwise(c, jitted, "run(jit(p)) with each call caught"),
      cmp,
      "final state"
    )
  })
}

// ---------------------------------------------------------------------------------------------
// get after set

export interface SetThenGetOptions {
  /** Values to store: pytrees of arrays (default: small trees of float32 and int32 arrays). */
  readonly values?: fc.Arbitrary<Pytree<Array>>
  /** The slot implementation under test (default `State.slot`). */
  readonly slot?: SlotFactory
  /** The jit under test (default jaxfx's). */
  readonly jit?: JitLike
}

interface SetGetCase {
  readonly initial: Pytree<Array>
  readonly first: Pytree<Array>
  readonly second: Pytree<Array>
}

/** A tree with the structure, shapes and dtypes of t and new values. */
const like = (t: Pytree<Array>): fc.Arbitrary<Pytree<Array>> => {
  const [leaves, def] = tree.flatten(t)
  return fc
    .tuple(...leaves.map((l) => arrayArb({ shape: (l as Array).shape, dtype: (l as Array).dtype, min: -4, max: 4, step: 1 / 8 })))
    .map((ls) => tree.unflatten(def, ls) as Pytree<Array>)
}

/**
 * A slot holds what was last written: in one run from `initial`, `get` returns initial, then
 * after `set(a)` returns a, after `set(b)` returns b, and the handler's final state is b. The same
 * holds when each set-then-get is a jitted program (`jit(v => set(v) then get)`), which checks that
 * the jit of Effect programs writes the state back.
 *
 * @example
 * laws.check(laws.setThenGet(), { seed: 1, numRuns: 20 })
 */
export const setThenGet = (options: SetThenGetOptions = {}): LawProperty<Described<SetGetCase>> => {
  checkLawOptions("laws.setThenGet", options, optionKeys<SetThenGetOptions>()("values", "slot", "jit"))
  const makeSlot = options.slot ?? defaultSlot
  const jitFn: ErasedJit = erase(options.jit, defaultJit)
  const values =
    options.values ??
    arrayTree(
      { shape: { maxRank: 2, maxSize: 6 }, dtype: fc.constantFrom("float32" as const, "int32" as const), min: -4, max: 4, step: 1 / 8 },
      { maxDepth: 2, nulls: false }
    )
  const slot = makeSlot<Pytree<Array>>("laws/setThenGet")
  const setGet = (v: Pytree<Array>) =>
    Effect.gen(function* () {
      yield* slot.set(v)
      return yield* slot.get
    })
  const jitted = jitFn(setGet as unknown as AnyFn) as unknown as typeof setGet
  const cases = values
    .chain((initial) => fc.record({ initial: fc.constant(initial), first: like(initial), second: like(initial) }))
    .map((c) => new Described<SetGetCase>(c, ({ initial, first, second }) => `initial: ${treeCode(initial)}\na: ${treeCode(first)}\nb: ${treeCode(second)}`))
  return lawProperty("setThenGet", "state slots", cases, ({ initial, first, second }) => {
    const [[g0, g1, g2], final] = runSync(
      "run(initial)(get; set(a); get; set(b); get)",
      slot.run(initial)(
        Effect.gen(function* () {
          const before = yield* slot.get
          yield* slot.set(first)
          const afterA = yield* slot.get
          yield* slot.set(second)
          const afterB = yield* slot.get
          return [before, afterA, afterB] as const
        })
      )
    )
    compareOutputs(initial, g0, "exact", ["initial", "get before any set"], "value")
    compareOutputs(first, g1, "exact", ["a", "get after set(a)"], "value")
    compareOutputs(second, g2, "exact", ["b", "get after set(b)"], "value")
    compareOutputs(second, final, "exact", ["b", "final state"], "value")
    const [[j1, j2], jitFinal] = runSync(
      "run(initial)(jit(setGet)(a); jit(setGet)(b))",
      slot.run(initial)(
        Effect.gen(function* () {
          const r1 = yield* jitted(first)
          const r2 = yield* jitted(second)
          return [r1, r2] as const
        })
      )
    )
    compareOutputs(first, j1, "exact", ["a", "jit(v => set(v); get)(a)"], "value")
    compareOutputs(second, j2, "exact", ["b", "jit(v => set(v); get)(b)"], "value")
    compareOutputs(second, jitFinal, "exact", ["b", "final state after the jitted sets"], "value")
  })
}
