/**
 * Training loops as Effect Streams. `train.fit` threads a training state (params, optimizer state,
 * anything) through a pure step function — usually jit-compiled — over a data Stream, emitting one
 * report per step. A step is applied whole or not at all: the state advances only after the step
 * returns, so interrupting the fiber (or the stream) stops between steps, and the last report
 * carries the last consistent state. Progress shows as a bar on a terminal and as log lines
 * elsewhere.
 */
import { Context, Effect, Option, Stream } from "effect"
import { Array } from "../index.js"

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
  readonly stepsPerSecond: number
}

export interface FitOptions<S, B, M, E, R> {
  /** The initial training state (a pytree). */
  readonly init: S
  /** One step: new state and metrics. Pure; typically `jit(...)`. */
  readonly step: (state: S, batch: B) => readonly [S, M]
  readonly data: Stream.Stream<B, E, R>
  /** Stop after this many steps (the data may be infinite). */
  readonly steps?: number
}

/** How progress is shown. */
export interface ProgressReporter {
  readonly onStep: (report: StepReport<unknown, unknown>, total: number | undefined) => void
  readonly onEnd: (last: StepReport<unknown, unknown> | undefined, total: number | undefined) => void
}

const fmt = (x: number | undefined): string => (x === undefined ? "-" : Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : x.toFixed(4))
const eta = (r: StepReport<unknown, unknown>, total: number | undefined): string => {
  if (total === undefined || r.stepsPerSecond <= 0) return ""
  const s = Math.max(0, (total - r.step) / r.stepsPerSecond)
  return ` ETA ${s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${Math.round(s % 60)}s`}`
}

/** A progress bar redrawn in place (for interactive terminals). */
export const barReporter = (write: (s: string) => void, width = 30): ProgressReporter => ({
  onStep: (r, total) => {
    const frac = total === undefined ? 0 : Math.min(1, r.step / total)
    const filled = Math.round(frac * width)
    const bar = total === undefined ? "" : `[${"=".repeat(Math.max(0, filled - 1))}${filled > 0 ? ">" : ""}${" ".repeat(width - filled)}] `
    write(`\r${bar}${r.step}${total === undefined ? "" : `/${total}`} loss ${fmt(r.loss)} ${r.stepsPerSecond.toFixed(1)} steps/s${eta(r, total)}   `)
  },
  onEnd: (last) => {
    if (last !== undefined) write("\n")
  }
})

/** Plain log lines every `every` steps (for logs and CI). */
export const logReporter = (log: (s: string) => void, every = 100): ProgressReporter => ({
  onStep: (r, total) => {
    if (r.step === 1 || r.step % every === 0 || r.step === total) {
      log(`step ${r.step}${total === undefined ? "" : `/${total}`} loss ${fmt(r.loss)} ${r.stepsPerSecond.toFixed(1)} steps/s${eta(r, total)}`)
    }
  },
  onEnd: () => {}
})

export const silentReporter: ProgressReporter = { onStep: () => {}, onEnd: () => {} }

/** The progress reporter used by `fit`: a bar on a TTY, log lines otherwise. Override with `Effect.provideService`. */
export const Progress = Context.Reference<ProgressReporter>("jaxfx/train/Progress", {
  defaultValue: () =>
    typeof process !== "undefined" && process.stdout?.isTTY === true
      ? barReporter((s) => process.stdout.write(s))
      : logReporter((s) => console.log(s))
})

const lossOf = (m: unknown): number | undefined => {
  const scalar = (x: unknown) => (x instanceof Array && x.size === 1 ? x.item() : typeof x === "number" ? x : undefined)
  const direct = scalar(m)
  if (direct !== undefined) return direct
  if (typeof m === "object" && m !== null && "loss" in m) return scalar((m as { loss: unknown }).loss)
  return undefined
}

/**
 * The training loop as a Stream of per-step reports.
 *
 * @example
 * const reports = train.fit({ init: { params, opt }, step: jit(update), data: batches, steps: 1000 })
 * const last = yield* Stream.runLast(reports)
 */
export const fit = <S, B, M, E, R>(opts: FitOptions<S, B, M, E, R>): Stream.Stream<StepReport<S, M>, E | unknown, R> =>
  Stream.unwrap(
    Effect.gen(function*() {
      const reporter = yield* Progress
      let state = opts.init
      let n = 0
      let last: StepReport<S, M> | undefined
      const t0 = performance.now()
      const data = opts.steps === undefined ? opts.data : Stream.take(opts.data, opts.steps)
      return data.pipe(
        Stream.mapEffect((batch) =>
          Effect.try({
            try: () => {
              // The step either returns a whole new state or throws: no step is half-applied.
              const [next, metrics] = opts.step(state, batch)
              state = next
              n += 1
              const elapsedMs = performance.now() - t0
              last = { step: n, state, metrics, loss: lossOf(metrics), elapsedMs, stepsPerSecond: elapsedMs > 0 ? (n * 1000) / elapsedMs : 0 }
              reporter.onStep(last as StepReport<unknown, unknown>, opts.steps)
              return last
            },
            catch: (e) => e
          })
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
 * Run `fit` to the end of the data (or `steps`), or until `stopWhen` completes; returns the last
 * consistent state.
 *
 * @example
 * const { state } = yield* train.run({ init, step: jit(update), data, steps: 100 })
 */
export const run = <S, B, M, E, R, X = never, E2 = never, R2 = never>(
  opts: FitOptions<S, B, M, E, R> & { readonly stopWhen?: Effect.Effect<X, E2, R2> }
): Effect.Effect<RunResult<S, M>, E | E2 | unknown, R | R2> => {
  const stream = opts.stopWhen === undefined ? fit(opts) : Stream.interruptWhen(fit(opts), opts.stopWhen)
  return Effect.map(Stream.runLast(stream), (last) =>
    Option.match(last, {
      onNone: () => ({ state: opts.init, steps: 0, last: undefined }),
      onSome: (r) => ({ state: r.state, steps: r.step, last: r })
    })
  )
}
