/**
 * Training loops as Effect Streams. `train.fit` threads a training state (params, optimizer state,
 * anything) through a pure step function — usually jit-compiled — over a data Stream, emitting one
 * report per step. A step is applied whole or not at all: the state advances only after the step
 * returns and its report is out, so interrupting the fiber (or the stream) stops between steps,
 * and the last report carries the last consistent state. `train.run` hands that state back with
 * every ending: in its result, in a `TrainError` when a step, the data or a reporter fails, and in
 * a `TrainInterrupted` when its fiber is interrupted. Progress shows as a bar on a terminal and as
 * log lines elsewhere.
 */
import { Cause, Context, Data, Effect, Stream } from "effect"
import { Array, type JaxfxError } from "../index.js"
import { checkOptions, optionKeys } from "../core/options.js"
import { tryArray } from "./step.js"

export interface StepReport<S, M> {
  /** 1 for the first step. */
  readonly step: number
  /** The training state after this step. */
  readonly state: S
  /** What the step returned besides the state. */
  readonly metrics: M
  /** The loss, when the metrics are a scalar Array or have a scalar `loss` field. */
  readonly loss: number | undefined
  readonly elapsedMs: number
  /**
   * Steps per second in the steady state: over the steps after the first, whose time includes
   * tracing and compiling (for step 1, the first step's own rate).
   */
  readonly stepsPerSecond: number
  /** How long the first step took: for a jitted step, mostly tracing and compiling. */
  readonly firstStepMs: number
}

export interface FitOptions<S, B, M, E, R> {
  /** The initial training state (a pytree). */
  readonly init: S
  /** One step: new state and metrics. Pure; typically `jit(...)`. */
  readonly step: (state: S, batch: B) => readonly [S, M]
  /**
   * The batches: a Stream, or any iterable (a generator), which is pulled one batch per step (a
   * Stream built with `Stream.fromIterable` pulls its source 4096 items at a time).
   */
  readonly data: Stream.Stream<B, E, R> | Iterable<B>
  /** Stop after this many steps (the data may be infinite). */
  readonly steps?: number
  /**
   * Receives each step's metrics as one JSON line (`{"step":1,"loss":0.5,"elapsedMs":...,
   * "stepsPerSecond":...,"firstStepMs":...,"metrics":{...scalar metrics}}` and a newline), e.g.
   * `(line) => appendFileSync("metrics.jsonl", line)`.
   */
  readonly jsonLines?: (line: string) => void
  /**
   * Also log each step through Effect's `Logger` (`Effect.logInfo("train.fit step")` annotated
   * with the same fields as `jsonLines`), so the program's loggers get them: for a JSON-lines file,
   * `Logger.layer([Logger.toFile(Logger.formatJson, "metrics.jsonl")])` with a `FileSystem`. Default false.
   */
  readonly log?: boolean
}

/** How progress is shown. */
export interface ProgressReporter {
  readonly onStep: (report: StepReport<unknown, unknown>, total: number | undefined) => void
  readonly onEnd: (last: StepReport<unknown, unknown> | undefined, total: number | undefined) => void
}

const fmt = (x: number | undefined): string =>
  x === undefined ? "-" : Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : x.toFixed(4)
const eta = (r: StepReport<unknown, unknown>, total: number | undefined): string => {
  if (total === undefined || r.stepsPerSecond <= 0) return ""
  const s = Math.max(0, (total - r.step) / r.stepsPerSecond)
  return ` ETA ${s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${Math.round(s % 60)}s`}`
}

const compiled = (r: StepReport<unknown, unknown>): string => (r.step > 1 ? ` (first step ${(r.firstStepMs / 1000).toFixed(2)}s)` : "")

/** The console methods a bar keeps its lines away from. */
const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug"] as const

/**
 * A progress bar redrawn in place (for interactive terminals), at most every `minIntervalMs`
 * (and on the first and last steps). While it shows, console output is printed above it: the
 * bar's line is cleared, the message printed, and the bar drawn again below.
 *
 * @example
 * // draw a progress bar on stderr instead of the default reporter
 * const withBar = Effect.provideService(train.Progress, train.barReporter((s) => process.stderr.write(s)))
 */
export const barReporter = (write: (s: string) => void, width = 30, minIntervalMs = 100): ProgressReporter => {
  let line = ""
  let drawnAt = -Infinity
  let restore: (() => void) | undefined
  const keepLogsAbove = (): void => {
    if (restore !== undefined || typeof console === "undefined") return
    const saved = CONSOLE_METHODS.map((m) => [m, console[m]] as const)
    for (const [m, original] of saved) {
      console[m] = (...args: unknown[]) => {
        write("\r\x1b[2K")
        original.apply(console, args)
        write(line)
      }
    }
    restore = () => {
      for (const [m, original] of saved) console[m] = original
      restore = undefined
    }
  }
  return {
    onStep: (r, total) => {
      const frac = total === undefined ? 0 : Math.min(1, r.step / total)
      const filled = Math.round(frac * width)
      const bar = total === undefined ? "" : `[${"=".repeat(Math.max(0, filled - 1))}${filled > 0 ? ">" : ""}${" ".repeat(width - filled)}] `
      line = `\r${bar}${r.step}${total === undefined ? "" : `/${total}`} loss ${fmt(r.loss)} ${r.stepsPerSecond.toFixed(1)} steps/s${eta(r, total)}${compiled(r)}   `
      const now = performance.now()
      if (r.step === 1 || r.step === total || now - drawnAt >= minIntervalMs) {
        keepLogsAbove()
        write(line)
        drawnAt = now
      }
    },
    onEnd: (last) => {
      restore?.()
      if (last !== undefined) write(`${line}\n`)
    }
  }
}

/**
 * Plain log lines every `every` steps (for logs and CI).
 *
 * @example
 * // one log line every 10 steps (for CI logs)
 * const withLogs = Effect.provideService(train.Progress, train.logReporter(console.log, 10))
 */
export const logReporter = (log: (s: string) => void, every = 100): ProgressReporter => ({
  onStep: (r, total) => {
    if (r.step === 1 || r.step % every === 0 || r.step === total) {
      log(`step ${r.step}${total === undefined ? "" : `/${total}`} loss ${fmt(r.loss)} ${r.stepsPerSecond.toFixed(1)} steps/s${eta(r, total)}${compiled(r)}`)
    }
  },
  onEnd: () => {}
})

export const silentReporter: ProgressReporter = { onStep: () => {}, onEnd: () => {} }

/** The progress reporter used by `fit`: a bar on a TTY, log lines otherwise. Override with `Effect.provideService`. */
export const Progress = Context.Reference<ProgressReporter>("jaxfx/train/Progress", {
  defaultValue: () =>
    typeof process !== "undefined" && process.stdout?.isTTY === true ? barReporter((s) => process.stdout.write(s)) : logReporter((s) => console.log(s))
})

/**
 * A step's report as plain JSON fields: its numbers and its scalar metrics (for logs and JSON lines).
 *
 * @example
 * const reports = train.fit({ init: 0, step: (s: number, b: number) => [s + b, { loss: b }] as const, data: [1, 2, 3] })
 * const fields = yield* Stream.runCollect(Stream.map(reports, train.metricFields)) // [{ step: 1, loss: 1, ... }, ...]
 */
export const metricFields = (r: StepReport<unknown, unknown>): Record<string, unknown> => {
  const scalar = (x: unknown) => (x instanceof Array && x.size === 1 ? x.item() : typeof x === "number" || typeof x === "boolean" ? x : undefined)
  const metrics: Record<string, unknown> = {}
  if (typeof r.metrics === "object" && r.metrics !== null && !(r.metrics instanceof Array)) {
    for (const [k, v] of Object.entries(r.metrics)) {
      const s = scalar(v)
      if (s !== undefined) metrics[k] = s
    }
  }
  return { step: r.step, loss: r.loss ?? null, elapsedMs: r.elapsedMs, stepsPerSecond: r.stepsPerSecond, firstStepMs: r.firstStepMs, metrics }
}

const lossOf = (m: unknown): number | undefined => {
  const scalar = (x: unknown) => (x instanceof Array && x.size === 1 ? x.item() : typeof x === "number" ? x : undefined)
  const direct = scalar(m)
  if (direct !== undefined) return direct
  if (typeof m === "object" && m !== null && "loss" in m) return scalar((m as { loss: unknown }).loss)
  return undefined
}

/**
 * The training loop as a Stream of per-step reports. It fails with the data's errors and the
 * jaxfx errors of the step's array code (typed, so `Effect.catchTag("ShapeError", ...)` works);
 * anything else a step or the reporter throws is a defect. A failing step emits no report.
 *
 * @example
 * const opt = optim.adam(1e-2)
 * const params = { w: np.zeros([3]) }
 * type State = { params: typeof params; opt: ReturnType<typeof opt.init> }
 * const update = (s: State, [x, y]: readonly [JaxArray, JaxArray]) => {
 *   const [loss, g] = valueAndGrad((p: typeof params) => np.mean(np.square(np.matmul(x, p.w).sub(y))))(s.params)
 *   const [updates, o] = opt.update(g, s.opt, s.params)
 *   return [{ params: optim.applyUpdates(s.params, updates), opt: o }, { loss }] as const
 * }
 * const nextBatch = (): readonly [JaxArray, JaxArray] => [np.ones([8, 3]), np.full([8], 2)]
 * // a generator of batches is pulled one batch per step
 * const batches = (function* () { while (true) yield nextBatch() })()
 * const reports = train.fit({ init: { params, opt: opt.init(params) }, step: jit(update), data: batches, steps: 1000 })
 * const last = yield* Stream.runLast(reports)
 */
export const fit = <S, B, M, E = never, R = never>(opts: FitOptions<S, B, M, E, R>): Stream.Stream<StepReport<S, M>, E | JaxfxError, R> =>
  fitStream(checkOptions("train.fit", opts, FIT_KEYS))

type AnyFitOptions = FitOptions<unknown, unknown, unknown, unknown, unknown>
const FIT_KEYS = optionKeys<AnyFitOptions>()("init", "step", "data", "steps", "jsonLines", "log")
const RUN_KEYS = [...FIT_KEYS, ...optionKeys<Omit<Parameters<typeof run>[0], keyof AnyFitOptions>>()("stopWhen")]

const fitStream = <S, B, M, E, R>(opts: FitOptions<S, B, M, E, R>): Stream.Stream<StepReport<S, M>, E | JaxfxError, R> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const reporter = yield* Progress
      let state = opts.init
      let last: StepReport<S, M> | undefined
      const t0 = performance.now()
      let firstStepMs = 0
      const source: Stream.Stream<B, E, R> = Stream.isStream(opts.data) ? opts.data : Stream.fromIterable(opts.data, { chunkSize: 1 })
      const data = opts.steps === undefined ? source : Stream.take(source, opts.steps)
      return data.pipe(
        Stream.mapEffect((batch) =>
          // The step either returns a whole new state or throws: no step is half-applied.
          Effect.flatMap(
            tryArray(() => {
              const [next, metrics] = opts.step(state, batch)
              return [next, metrics, lossOf(metrics)] as const
            }),
            ([next, metrics, loss]) =>
              Effect.sync(() => {
                const n = (last?.step ?? 0) + 1
                const elapsedMs = performance.now() - t0
                if (n === 1) firstStepMs = elapsedMs
                // the rate (and so the ETA) of the steps after the first, whose time is mostly compiling
                const steady = n === 1 ? elapsedMs : elapsedMs - firstStepMs
                const rate = steady > 0 ? ((n === 1 ? 1 : n - 1) * 1000) / steady : 0
                const report: StepReport<S, M> = { step: n, state: next, metrics, loss, elapsedMs, stepsPerSecond: rate, firstStepMs }
                // A step counts once it is reported: if the reporter throws, the state stays at the step before.
                reporter.onStep(report as StepReport<unknown, unknown>, opts.steps)
                opts.jsonLines?.(JSON.stringify(metricFields(report as StepReport<unknown, unknown>)) + "\n")
                state = next
                last = report
                return report
              })
          )
        ),
        Stream.tap((report) =>
          opts.log === true ? Effect.logInfo("train.fit step").pipe(Effect.annotateLogs(metricFields(report as StepReport<unknown, unknown>))) : Effect.void
        ),
        Stream.ensuring(Effect.sync(() => reporter.onEnd(last as StepReport<unknown, unknown> | undefined, opts.steps)))
      )
    })
  )

export interface RunResult<S, M> {
  /** The state after the last completed step (the initial state if none ran). */
  readonly state: S
  readonly steps: number
  readonly last: StepReport<S, M> | undefined
}

/**
 * `train.run` failed: a step threw, the data failed, `stopWhen` failed or a reporter threw. It
 * carries what a `RunResult` would (the state after the last whole step, how many steps ran) and
 * the failure's whole `cause` (`Cause.findErrorOption(e.cause)` gives the typed error, if any).
 *
 * @example
 * const result = yield* train.run({ init: 0, step: (s: number, b: number) => [s + b, {}] as const, data: [1, 2] }).pipe(
 *   Effect.catchTag("TrainError", (e) => Effect.succeed({ state: e.state, steps: e.steps, last: e.last }))
 * )
 */
export class TrainError<S, M, E> extends Data.TaggedError("TrainError")<
  RunResult<S, M> & {
    readonly message: string
    readonly cause: Cause.Cause<E>
  }
> {}

/**
 * `train.run` was interrupted (`Fiber.interrupt`, a timeout): the interrupted fiber's exit carries
 * this error beside the interruption, with the state after the last whole step. Read it with
 * `Exit.findErrorOption(yield* Fiber.await(fiber))`.
 *
 * @example
 * const fiber = yield* Effect.forkChild(train.run({ init: 0, step: (s: number, b: number) => [s + b, {}] as const, data: [1, 2, 3] }))
 * // interrupting the fiber ends the run with a TrainInterrupted carrying the state after the last whole step
 */
export class TrainInterrupted<S, M> extends Data.TaggedError("TrainInterrupted")<RunResult<S, M> & { readonly message: string }> {}

const describeCause = (cause: Cause.Cause<unknown>): string => {
  const e = Cause.squash(cause)
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e)
}

/**
 * Run `fit` to the end of the data (or `steps`), or until `stopWhen` completes; returns the last
 * consistent state. When it cannot finish, it still hands that state back: it fails with a
 * `TrainError` (the failure's cause, the state after the last whole step), and an interrupted run
 * ends with a `TrainInterrupted` holding that state.
 *
 * @example
 * const opt = optim.adam(1e-2)
 * const params = { w: np.zeros([3]) }
 * type State = { params: typeof params; opt: ReturnType<typeof opt.init> }
 * const update = (s: State, [x, y]: readonly [JaxArray, JaxArray]) => {
 *   const [loss, g] = valueAndGrad((p: typeof params) => np.mean(np.square(np.matmul(x, p.w).sub(y))))(s.params)
 *   const [updates, o] = opt.update(g, s.opt, s.params)
 *   return [{ params: optim.applyUpdates(s.params, updates), opt: o }, { loss }] as const
 * }
 * const nextBatch = (): readonly [JaxArray, JaxArray] => [np.ones([8, 3]), np.full([8], 2)]
 * const opts = { init: { params, opt: opt.init(params) }, step: jit(update), data: [nextBatch(), nextBatch()], steps: 2 }
 * const { state } = yield* train.run(opts)
 * // keep what was learnt when a step fails:
 * train.run(opts).pipe(Effect.catchTag("TrainError", (e) => codec.save("rescue.safetensors", e.state.params)))
 */
export const run = <S, B, M, E = never, R = never, X = never, E2 = never, R2 = never>(
  opts: FitOptions<S, B, M, E, R> & { readonly stopWhen?: Effect.Effect<X, E2, R2> }
): Effect.Effect<RunResult<S, M>, TrainError<S, M, E | E2 | JaxfxError> | TrainInterrupted<S, M>, R | R2> => {
  checkOptions("train.run", opts, RUN_KEYS)
  return Effect.suspend(() => {
    let last: StepReport<S, M> | undefined
    const sofar = (): RunResult<S, M> => ({ state: last?.state ?? opts.init, steps: last?.step ?? 0, last })
    const stream = opts.stopWhen === undefined ? fitStream(opts) : Stream.interruptWhen(fitStream(opts), opts.stopWhen)
    return Stream.runForEach(stream, (r) => Effect.sync(() => void (last = r))).pipe(
      Effect.map(sofar),
      Effect.catchCause((cause) => {
        // An interruption stays one (onInterrupt below reports it); any failure or defect becomes a TrainError.
        if (Cause.hasInterruptsOnly(cause)) return Effect.failCause(cause as Cause.Cause<never>)
        const r = sofar()
        return Effect.fail(
          new TrainError({
            ...r,
            cause,
            message: `train.run failed after step ${r.steps} (${describeCause(cause)}); .state is the state after that step, the last whole one`
          })
        )
      }),
      Effect.onInterrupt(() =>
        Effect.suspend(() => {
          const r = sofar()
          return Effect.fail(
            new TrainInterrupted({ ...r, message: `train.run was interrupted after step ${r.steps}; .state is the state after that step, the last whole one` })
          )
        })
      )
    )
  })
}
