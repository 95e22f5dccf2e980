/**
 * State laws: run(jit(p)) = run(p) on random programs over state slots and on a program of one's
 * own (failures included), and get-after-set; each shown to catch a wrong jit or slot implementation.
 */
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Array, jit } from "../index.js"
import { State } from "../effects/index.js"
import * as laws from "./index.js"
import { failure } from "./test-helpers.js"

const { arb } = laws

const Counter = State.slot<"laws/counter", Array>("laws/counter")
const accumulate = function accumulate(x: Array) {
  return Effect.gen(function* () {
    const c = yield* Counter.update((c) => c.mul(0.5).add(x))
    return c.mul(2)
  })
}
const counterSubject = {
  program: accumulate,
  run: Counter.run,
  initial: arb.array({ shape: [2], step: 1 / 8 }),
  args: [arb.array({ shape: [2], step: 1 / 8 })] as const
}

const Total = State.slot<"laws/total", Array>("laws/total")
/** Halves the total, then adds x: a ShapeError from array code (after the first write) when x is [3]. */
const addTo = function addTo(x: Array) {
  return Effect.gen(function* () {
    yield* Total.update((t) => t.mul(0.5))
    const t = (yield* Total.get).add(x)
    yield* Total.set(t)
    return t
  })
}
const failingSubject = {
  program: addTo,
  run: Total.run,
  initial: arb.array({ shape: [2], step: 1 / 8 }),
  args: [arb.array({ shape: fc.constantFrom([2], [3]), step: 1 / 8 })] as const
}

describe("the state laws hold for jaxfx/effects", () => {
  it("run(jit(p)) = run(p) on random programs over state slots (results and final state, bit for bit)", () => {
    laws.check(laws.stateJitInvariance(), { seed: 1, numRuns: 40 })
  })

  it("run(jit(p)) = run(p) on a program of one's own, with its handler", () => {
    laws.check(laws.stateJitInvariance(counterSubject), { seed: 2, numRuns: 15 })
  })

  it("run(jit(p)) = run(p) when p fails: the same typed error, and with each call a caught step the same state", () => {
    laws.check(laws.stateJitInvariance(failingSubject, { calls: 3 }), { seed: 8, numRuns: 15 })
    laws.check(laws.stateJitInvariance({ programs: { maxSteps: 3 } }), { seed: 9, numRuns: 30 })
  })

  it("random state programs contain failing steps unless asked not to", () => {
    const has = (o: laws.StateProgramOptions) =>
      fc.sample(laws.stateProgramCase(o), { seed: 10, numRuns: 60 }).filter((c) => c.steps.some((s) => s.kind === "fail")).length
    expect(has({})).toBeGreaterThan(5)
    expect(has({ failures: false })).toBe(0)
  })

  it("get after set returns what was set, eagerly and under jit", () => {
    laws.check(laws.setThenGet(), { seed: 3, numRuns: 30 })
  })

  it("random state programs print as code", () => {
    const code = laws.stateProgramCode(
      [
        { kind: "set", slot: 0, change: { op: "add", k: 2 } },
        { kind: "update", slot: 1, change: { op: "addSlot", j: 0 } },
        { kind: "read", slot: 1 }
      ],
      2
    )
    expect(code).toBe(
      [
        "(x: Array) => Effect.gen(function* () {",
        "  const reads: Array[] = []",
        "  yield* S0.set((yield* S0.get).add(2))",
        "  const w = yield* S0.get",
        "  yield* S1.update((v) => v.add(np.sum(w).mul(0.25)))",
        "  reads.push(yield* S1.get)",
        "  return [...reads, np.sum(yield* S0.get).add(np.sum(yield* S1.get))]",
        "})"
      ].join("\n")
    )
  })
})

describe("each state law catches a wrong implementation", () => {
  it("stateJitInvariance: a jit that replays the program's effects (runs it twice)", () => {
    const replayingJit: laws.JitLike = (f) => {
      const j = jit(f) as unknown as (...a: ReadonlyArray<unknown>) => Effect.Effect<unknown>
      return (...a) => Effect.andThen(j(...a), j(...a))
    }
    const r = failure(laws.stateJitInvariance({ jit: replayingJit }), { seed: 4, numRuns: 40 })
    expect(r.message).toContain("Law failed: stateJitInvariance on random state programs")
    expect(r.message).toMatch(
      /(results|final state S)\S* at \[?[\d, ]*\]?: run\(p\) [-\d.e]+, run\(jit\(p\)\) [-\d.e]+|(results|final state S)\S*: run\(p\) [-\d.e]+, run\(jit\(p\)\) [-\d.e]+/
    )
    expect(r.message).toContain("program p:\n    (x: Array) => Effect.gen(function* () {")
    expect(r.message).toMatch(/(slots S0\.\.S\d start|slot S0 starts) at:/)
  })

  it("stateJitInvariance: a jit that drops the program's state update", () => {
    const forgetfulJit: laws.JitLike = (f) => {
      const j = jit(f) as unknown as (...a: ReadonlyArray<unknown>) => Effect.Effect<unknown, never, State.StateSlot<"laws/counter">>
      return (...a) =>
        Effect.gen(function* () {
          const before = yield* Counter.get
          const out = yield* j(...a)
          yield* Counter.set(before)
          return out
        })
    }
    const r = failure(laws.stateJitInvariance(counterSubject, { jit: forgetfulJit }), { seed: 5, numRuns: 15 })
    expect(r.message).toContain("Law failed: stateJitInvariance on accumulate")
    expect(r.message).toMatch(/final state at \[\d\]: run\(p\) [-\d.e]+, run\(jit\(p\)\) [-\d.e]+/)
  })

  it("stateJitInvariance: a jit whose calls are not steps (a failing call keeps its earlier writes)", () => {
    // Runs the program as it is and types its array errors, but does not undo its writes.
    const halfJit: laws.JitLike =
      (f) =>
      (...a) =>
        Effect.catchDefect(f(...a) as unknown as Effect.Effect<unknown>, (d) => Effect.fail(d))
    const r = failure(laws.stateJitInvariance({ jit: halfJit }), { seed: 11, numRuns: 60 })
    expect(r.message).toContain("Law failed: stateJitInvariance on random state programs")
    expect(r.message).toMatch(
      /final state S\S*( at \[[\d, ]*\])?: run\(p\) with each call a caught step [-\d.e]+, run\(jit\(p\)\) with each call caught [-\d.e]+/
    )
    expect(r.message).toMatch(/grow = \(v\) => np\.reshape|fails: a slot keeps its shape/)
  })

  it("stateJitInvariance: a handler whose run is not a step (array code's errors stay defects)", () => {
    const Plain = State.slot<"laws/total", Array>("laws/total")
    // The handler as it was before runs became steps: it installs a cell and nothing else.
    const plainRun =
      (initial: Array) =>
      <A, E>(program: Effect.Effect<A, E, State.StateSlot<"laws/total">>) =>
        Effect.suspend(() => {
          const cell = new State.Cell("laws/total", initial)
          return Effect.map(Effect.provideService(program, Plain.key, cell), (a) => [a, cell.value] as const)
        })
    const r = failure(laws.stateJitInvariance({ ...failingSubject, run: plainRun }), { seed: 12, numRuns: 15 })
    expect(r.message).toContain("Law failed: stateJitInvariance on addTo")
    expect(r.message).toContain("run(p) died with ShapeError (a defect, not a typed error), but run(jit(p)) failed with ShapeError")
  })

  it("stateJitInvariance: a program that dies (a bug, not bad input) is reported, even when jit dies alike", () => {
    const buggy = function buggy(x: Array) {
      return Effect.gen(function* () {
        yield* Total.set(x)
        if (x.size > 0) throw new TypeError("not a jaxfx error")
        return x
      })
    }
    const r = failure(laws.stateJitInvariance({ ...failingSubject, program: buggy, args: [arb.array({ shape: [2] })] as const }), { seed: 13, numRuns: 5 })
    expect(r.message).toContain("run(p) and run(jit(p)) both died with TypeError: not a jaxfx error (a defect, not a typed error)")
  })

  it("setThenGet: a slot whose set drops the update", () => {
    const droppingSlot: laws.SlotFactory = <S>(name: string) => {
      const s = State.slot<string, S>(name)
      return { ...s, set: () => Effect.void }
    }
    const r = failure(laws.setThenGet({ slot: droppingSlot }), { seed: 6, numRuns: 30 })
    expect(r.message).toMatch(/value\S*( at \[[\d, ]*\])?: (a|b) [-\d.e]+, get after set\((a|b)\) [-\d.e]+/)
    expect(r.message).toMatch(/initial: .*\n {2}a: .*\n {2}b: /)
  })

  it("setThenGet: a slot whose handler reports the initial value as the final state", () => {
    const staleHandler: laws.SlotFactory = <S>(name: string) => {
      const s = State.slot<string, S>(name)
      return {
        ...s,
        run:
          (initial: S) =>
          <A, E, R>(program: Effect.Effect<A, E, R>) =>
            Effect.map(s.run(initial)(program), ([a]) => [a, initial] as const)
      }
    }
    const r = failure(laws.setThenGet({ slot: staleHandler }), { seed: 7, numRuns: 30 })
    expect(r.message).toMatch(/b [-\d.e]+, final state [-\d.e]+/)
  })
})
