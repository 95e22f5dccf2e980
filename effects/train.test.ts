import { Cause, Data, Deferred, Effect, Exit, Fiber, Option, Stream } from "effect"
import { describe, expect, expectTypeOf, it } from "vitest"
import { type Array, jit, type JaxfxError, np } from "../index.js"
import {
  barReporter,
  fit,
  logReporter,
  Progress,
  type ProgressReporter,
  run,
  type RunResult,
  silentReporter,
  type StepReport,
  TrainError,
  TrainInterrupted
} from "./train.js"

const f32 = (v: Parameters<typeof np.asarray>[0]) => np.asarray(v, { dtype: "float32" })
type S = { readonly w: Array }
const step = (s: S, batch: Array): readonly [S, { loss: Array }] => {
  const diff = s.w.sub(batch)
  return [{ w: s.w.sub(diff.mul(0.5)) }, { loss: np.sum(diff.mul(diff)) }]
}
const manual = (k: number): number[] => {
  let s: S = { w: f32([4, -2]) }
  for (let i = 0; i < k; i++) s = step(s, f32([i, 1]))[0]
  return [...s.w.data()]
}
const batches = Stream.fromIterable(globalThis.Array.from({ length: 50 }, (_, i) => f32([i, 1])))
const quiet = Effect.provideService(Progress, silentReporter)

describe("train", () => {
  it("fit emits one report per step with the loss, and the state matches a hand loop", () => {
    const reports = Effect.runSync(Stream.runCollect(fit({ init: { w: f32([4, -2]) }, step: jit(step), data: batches, steps: 5 })).pipe(quiet))
    expect(reports.map((r) => r.step)).toEqual([1, 2, 3, 4, 5])
    expect([...reports[4]!.state.w.data()]).toEqual(manual(5))
    // loss of step 1: (4-0)^2 + (-2-1)^2 = 25
    expect(reports[0]!.loss).toBe(25)
  })

  it("run stops when asked, between steps, with the last consistent state", async () => {
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const stop = yield* Deferred.make<void>()
        let seen = 0
        const data = batches.pipe(Stream.tap(() => (++seen === 8 ? Deferred.succeed(stop, undefined) : Effect.void)))
        return yield* run({ init: { w: f32([4, -2]) }, step, data, stopWhen: Deferred.await(stop) })
      }).pipe(quiet)
    )
    expect(result.steps).toBeGreaterThanOrEqual(7)
    expect(result.steps).toBeLessThan(50)
    expect([...result.state.w.data()]).toEqual(manual(result.steps))
  })

  it("interrupting the consuming fiber leaves the last report's state consistent", async () => {
    const seen: number[][] = []
    let steps = 0
    await Effect.runPromise(
      Effect.gen(function* () {
        const infinite = Stream.forever(batches).pipe(Stream.mapEffect((b) => Effect.as(Effect.yieldNow, b)))
        const fiber = yield* Effect.forkChild(
          Stream.runForEach(fit({ init: { w: f32([4, -2]) }, step, data: infinite }), (r) =>
            Effect.sync(() => {
              seen.push([...r.state.w.data()])
              steps = r.step
            })
          )
        )
        while (steps < 20) yield* Effect.yieldNow
        yield* Fiber.interrupt(fiber)
      }).pipe(quiet)
    )
    expect(steps).toBeGreaterThanOrEqual(20)
    // every reported state is exactly k whole steps (data cycles every 50 batches, k < 50 here)
    expect(seen[seen.length - 1]).toEqual(manual(steps))
  })

  it("progress: a bar with steps, loss, steps/s and ETA on a terminal; log lines otherwise", () => {
    const out: string[] = []
    const bar = barReporter((s) => out.push(s), 10)
    const r = { step: 5, state: {}, metrics: {}, loss: 0.5, elapsedMs: 1000, stepsPerSecond: 5, firstStepMs: 250 }
    bar.onStep(r, 10)
    bar.onEnd(r, 10)
    expect(out[0]).toMatch(/\[====>     \] 5\/10 loss 0\.5000 5\.0 steps\/s ETA 1\.0s \(first step 0\.25s\)/)
    const lines: string[] = []
    const log = logReporter((s) => lines.push(s), 2)
    log.onStep({ ...r, step: 1 }, 10)
    log.onStep({ ...r, step: 3 }, 10)
    log.onStep({ ...r, step: 4 }, 10)
    expect(lines).toEqual(["step 1/10 loss 0.5000 5.0 steps/s ETA 1.8s", "step 4/10 loss 0.5000 5.0 steps/s ETA 1.2s (first step 0.25s)"])
  })

  it("the bar redraws at most every 100 ms, and console output goes above it", () => {
    const out: string[] = []
    const bar = barReporter((s) => out.push(s), 10)
    const r = { step: 1, state: {}, metrics: {}, loss: 0.5, elapsedMs: 1, stepsPerSecond: 1000, firstStepMs: 1 }
    const original = console.log
    const printed: unknown[] = []
    console.log = (...a: unknown[]) => void printed.push(a.join(" "))
    try {
      for (let step = 1; step <= 50; step++) bar.onStep({ ...r, step }, 50)
      // steps 2..49 arrive within microseconds: only the first and the last are drawn
      expect(out.filter((l) => l.includes("loss")).length).toBe(2)
      console.log("a line")
      expect(printed).toEqual(["a line"])
      // the bar's line was cleared before the message and drawn again after it
      expect(out.slice(-2)[0]).toBe("\r\x1b[2K")
      expect(out[out.length - 1]).toMatch(/50\/50 loss/)
      bar.onEnd({ ...r, step: 50 }, 50)
      // once the bar is done, console output is the console's own again
      console.log("after")
      expect(out[out.length - 1]).toMatch(/\n$/)
    } finally {
      console.log = original
    }
    expect(printed).toEqual(["a line", "after"])
  })

  it("an iterable of batches is pulled one batch per step; the ETA leaves out the first step", () => {
    let made = 0
    function* gen() {
      for (let i = 0; i < 1000; i++) {
        made++
        yield f32([i, 1])
      }
    }
    const reports: Array[] = []
    let firstStepMs = -1
    let rate = -1
    Effect.runSync(
      Stream.runForEach(fit({ init: { w: f32([4, -2]) }, step, data: gen(), steps: 3 }), (r) =>
        Effect.sync(() => {
          reports.push(r.state.w)
          firstStepMs = r.firstStepMs
          rate = r.stepsPerSecond
          // a step's batch is made just before it, not 4096 ahead
          expect(made).toBeLessThanOrEqual(r.step + 1)
        })
      ).pipe(quiet)
    )
    expect(reports.length).toBe(3)
    expect(made).toBeLessThanOrEqual(4)
    expect(firstStepMs).toBeGreaterThan(0)
    expect(rate).toBeGreaterThan(0)
  })

  it("a failing step fails the stream and does not advance the state", () => {
    let calls = 0
    const flaky = (s: S, b: Array): readonly [S, { loss: Array }] => {
      if (++calls === 3) throw new Error("boom")
      return step(s, b)
    }
    const collected: number[] = []
    const exit = Effect.runSyncExit(
      Stream.runForEach(fit({ init: { w: f32([4, -2]) }, step: flaky, data: batches }), (r) => Effect.sync(() => collected.push(r.step))).pipe(quiet)
    )
    expect(exit._tag).toBe("Failure")
    expect(collected).toEqual([1, 2])
  })
})

/** The data, with batch k (1-based) replaced by one whose shape does not fit: step k throws a ShapeError. */
const badAt = (k: number) => Stream.fromIterable(globalThis.Array.from({ length: 50 }, (_, i) => (i === k - 1 ? f32([i, 1, 0]) : f32([i, 1]))))
class DataGone extends Data.TaggedError("DataGone")<{}> {}
type Metrics = { loss: Array }

describe("train.run hands back the last whole state with every failure", () => {
  it("the error types are the real ones: fit fails with the data's errors or a jaxfx error; run with TrainError or TrainInterrupted", () => {
    const data = Stream.concat(Stream.take(batches, 3), Stream.fail(new DataGone()))
    const opts = { init: { w: f32([4, -2]) }, step, data }
    expectTypeOf(fit(opts)).toEqualTypeOf<Stream.Stream<StepReport<S, Metrics>, DataGone | JaxfxError, never>>()
    expectTypeOf(run(opts)).toEqualTypeOf<
      Effect.Effect<RunResult<S, Metrics>, TrainError<S, Metrics, DataGone | JaxfxError> | TrainInterrupted<S, Metrics>, never>
    >()
    // catchTag compiles on the real tags, and catches
    const fromFit = Effect.runSync(
      Stream.runDrain(fit({ ...opts, data: Stream.concat(badAt(2), Stream.fail(new DataGone())) })).pipe(
        Effect.as("no failure"),
        Effect.catchTag("ShapeError", (e) => Effect.succeed(e._tag)),
        Effect.catchTag("DataGone", (e) => Effect.succeed(e._tag)),
        quiet
      )
    )
    expect(fromFit).toBe("ShapeError")
    const fromRun = Effect.runSync(
      run(opts).pipe(
        Effect.as("no failure"),
        Effect.catchTag("TrainError", (e) => Effect.succeed(`${e._tag} after ${e.steps}: ${Option.getOrThrow(Cause.findErrorOption(e.cause))._tag}`)),
        quiet
      )
    )
    expect(fromRun).toBe("TrainError after 3: DataGone")
  })

  it("a step failing at step k gives back the state after step k-1, with the step's typed error", () => {
    for (const s of [step, jit(step)]) {
      const e = Effect.runSync(Effect.flip(run({ init: { w: f32([4, -2]) }, step: s, data: badAt(5) })).pipe(quiet))
      expect(e).toBeInstanceOf(TrainError)
      if (!(e instanceof TrainError)) continue
      expect(e.steps).toBe(4)
      expect([...e.state.w.data()]).toEqual(manual(4))
      expect(e.last?.step).toBe(4)
      expect(Option.getOrThrow(Cause.findErrorOption(e.cause))._tag).toBe("ShapeError")
      expect(e.message).toMatch(/after step 4 \(ShapeError: .*\); \.state is the state after that step/)
    }
  })

  it("a failure before any step gives back the initial state", () => {
    const e = Effect.runSync(Effect.flip(run({ init: { w: f32([4, -2]) }, step, data: badAt(1) })).pipe(quiet))
    expect(e._tag === "TrainError" && [e.steps, [...e.state.w.data()]]).toEqual([0, [4, -2]])
  })

  it("a reporter that throws at step k: the state after step k-1, and the throw as a defect in the cause", () => {
    const throwing: ProgressReporter = {
      onStep: (r) => {
        if (r.step === 3) throw new RangeError("the terminal went away")
      },
      onEnd: () => {}
    }
    const e = Effect.runSync(Effect.flip(run({ init: { w: f32([4, -2]) }, step, data: batches })).pipe(Effect.provideService(Progress, throwing)))
    expect(e._tag).toBe("TrainError")
    if (e._tag !== "TrainError") return
    expect(e.steps).toBe(2)
    expect([...e.state.w.data()]).toEqual(manual(2))
    expect(Cause.hasDies(e.cause)).toBe(true)
    expect(String(Cause.squash(e.cause))).toMatch(/the terminal went away/)
  })

  it("an interrupted run ends with TrainInterrupted holding the last whole state", async () => {
    let reported = 0
    const counting: ProgressReporter = { onStep: (r) => void (reported = r.step), onEnd: () => {} }
    const infinite = Stream.forever(batches).pipe(Stream.mapEffect((b) => Effect.as(Effect.yieldNow, b)))
    const exit = await Effect.runPromise(
      Effect.gen(function* () {
        const fiber = yield* Effect.forkChild(run({ init: { w: f32([4, -2]) }, step, data: infinite }))
        while (reported < 20) yield* Effect.yieldNow
        yield* Fiber.interrupt(fiber)
        return yield* Fiber.await(fiber)
      }).pipe(Effect.provideService(Progress, counting))
    )
    expect(Exit.isFailure(exit) && Cause.hasInterrupts(exit.cause)).toBe(true)
    const e = Option.getOrThrow(Exit.findErrorOption(exit))
    expect(e).toBeInstanceOf(TrainInterrupted)
    if (!(e instanceof TrainInterrupted)) return
    expect(e.steps).toBeGreaterThanOrEqual(20)
    expect(e.steps).toBeLessThan(50)
    // exactly e.steps whole steps (the data cycles every 50 batches)
    expect([...e.state.w.data()]).toEqual(manual(e.steps))
  })
})
