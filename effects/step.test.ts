/**
 * Steps (step.ts): a handler's run, a transformed call and State.atomic fail as a whole, with the
 * errors of array code typed, and eager programs fail exactly as jitted ones do.
 */
import { Data, Deferred, Effect, Exit, Fiber } from "effect"
import { describe, expect, expectTypeOf, it } from "vitest"
import { type Array, grad, isJaxfxError, jit, type JaxfxError, np, vmap } from "../index.js"
import * as errors from "../core/errors.js"
import { State } from "./index.js"

const A = State.slot<"step/a", Array>("step/a")
const B = State.slot<"step/b", Array>("step/b")
const f32 = (v: Parameters<typeof np.asarray>[0]) => np.asarray(v, { dtype: "float32" })

/** Writes A and B, then adds x to B: np.add throws a ShapeError (inside the generator) when x does not broadcast. */
const move = (x: Array) =>
  Effect.gen(function* () {
    yield* A.update((a) => a.add(1))
    yield* B.set((yield* B.get).mul(2))
    const b = (yield* B.get).add(x)
    yield* B.set(b)
    return np.sum(b)
  })

/** How an Effect ended: "ok", or the kind of its first failure and the error's tag. */
const ending = (exit: Exit.Exit<unknown, unknown>): string => {
  if (Exit.isSuccess(exit)) return "ok"
  const r = exit.cause.reasons[0]!
  const e: unknown = r._tag === "Fail" ? r.error : r._tag === "Die" ? r.defect : "interrupt"
  return `${r._tag} ${typeof e === "object" && e !== null && "_tag" in e ? String(e._tag) : e instanceof Error ? e.name : String(e)}`
}

const bad = f32([1, 2, 3])

describe("a step fails as a whole, with typed errors, eagerly as under jit", () => {
  it("array code throwing inside an eager program fails its handler's run with a typed ShapeError that catchTag catches", () => {
    for (const q of [move, jit(move), grad(move)]) {
      const r = Effect.runSync(
        A.run(f32(0))(B.run(f32([1, 1]))(q(bad))).pipe(
          Effect.map(() => "no failure"),
          Effect.catchTag("ShapeError", (e) => Effect.succeed(`caught ${e._tag}`))
        )
      )
      expect(r).toBe("caught ShapeError")
    }
  })

  it("a failed run leaves the slots outside it as they were, eagerly as under jit and grad", () => {
    const outside = (q: (x: Array) => Effect.Effect<unknown, unknown, State.StateSlot<"step/a"> | State.StateSlot<"step/b">>) =>
      Effect.runSync(
        A.run(f32(0))(
          Effect.gen(function* () {
            const exit = yield* Effect.exit(B.run(f32([1, 1]))(q(bad)))
            return [ending(exit), (yield* A.get).item()] as const
          })
        )
      )[0]
    // A was written (0 -> 1) before the failure; the failed run undoes it.
    expect(outside(move)).toEqual(["Fail ShapeError", 0])
    expect(outside(jit(move))).toEqual(["Fail ShapeError", 0])
    expect(outside(grad(move))).toEqual(["Fail ShapeError", 0])
  })

  it("State.atomic makes each eager call a step: a failing call changes no slot, exactly as a jitted call, and later calls run", () => {
    const calls = (q: (x: Array) => Effect.Effect<Array, unknown, State.StateSlot<"step/a"> | State.StateSlot<"step/b">>) =>
      Effect.runSync(
        A.run(f32(0))(
          B.run(f32([1, 1]))(
            Effect.gen(function* () {
              const endings: string[] = []
              for (const x of [f32([1, 1]), bad, f32([0, 1])]) endings.push(ending(yield* Effect.exit(q(x))))
              return endings
            })
          )
        )
      )
    // By hand: call 1 gives A 1, B [2,2] + [1,1] = [3,3]; call 2 fails and changes nothing;
    // call 3 gives A 2, B [6,6] + [0,1] = [6,7].
    for (const q of [(x: Array) => State.atomic(move(x)), jit(move)]) {
      const [[endings, b], a] = calls(q)
      expect(endings).toEqual(["ok", "Fail ShapeError", "ok"])
      expect([...b.data()]).toEqual([6, 7])
      expect(a.item()).toBe(2)
    }
  })

  it("the types say so: catchTag('ShapeError') compiles on atomic, jit and vmap of a program that declares no error", () => {
    const grow = (x: Array) =>
      Effect.gen(function* () {
        return np.reshape(x, [x.size + 1])
      })
    expectTypeOf(grow).returns.toEqualTypeOf<Effect.Effect<Array, never, never>>()
    expectTypeOf(State.atomic(grow(bad))).toEqualTypeOf<Effect.Effect<Array, JaxfxError, never>>()
    expectTypeOf(jit(grow)).returns.toEqualTypeOf<Effect.Effect<Array, JaxfxError, never>>()
    expectTypeOf(vmap(grow)).returns.toEqualTypeOf<Effect.Effect<Array, JaxfxError, never>>()
    expectTypeOf(A.run(f32(0))(grow(bad))).toEqualTypeOf<Effect.Effect<readonly [Array, Array], JaxfxError, never>>()
    const caught = (e: Effect.Effect<Array, JaxfxError, never>) =>
      Effect.runSync(
        e.pipe(
          Effect.map(() => "no failure"),
          Effect.catchTag("ShapeError", (err) => Effect.succeed(err._tag))
        )
      )
    expect(caught(State.atomic(grow(bad)))).toBe("ShapeError")
    expect(caught(jit(grow)(bad))).toBe("ShapeError")
    expect(
      caught(
        vmap(grow)(
          f32([
            [1, 2],
            [3, 4]
          ])
        )
      )
    ).toBe("ShapeError")
  })

  it("update: a jaxfx error thrown by f is a typed failure and the slot keeps its value", () => {
    const [[tag, value]] = Effect.runSync(
      A.run(f32(5))(
        Effect.gen(function* () {
          const e = yield* Effect.flip(A.update((a) => np.reshape(a, [2])))
          return [e._tag, (yield* A.get).item()] as const
        })
      )
    )
    expect([tag, value]).toEqual(["ShapeError", 5])
  })

  it("other throws stay defects and the program's own failures stay typed, eagerly and under jit", () => {
    class Mine extends Data.TaggedError("Mine")<{}> {}
    const buggy = (x: Array) =>
      Effect.gen(function* () {
        yield* A.set(x)
        if (x.size > 0) throw new TypeError("a bug, not bad input")
        return x
      })
    const refusing = (x: Array) =>
      Effect.gen(function* () {
        yield* A.set(x)
        return yield* new Mine()
      })
    const end = (e: Effect.Effect<unknown, unknown, State.StateSlot<"step/a">>) => ending(Effect.runSyncExit(A.run(f32(0))(e)))
    expect([end(buggy(f32(1))), end(jit(buggy)(f32(1)))]).toEqual(["Die TypeError", "Die TypeError"])
    expect([end(refusing(f32(1))), end(jit(refusing)(f32(1)))]).toEqual(["Fail Mine", "Fail Mine"])
  })

  it("isJaxfxError knows every error class of core/errors.ts, and nothing else", () => {
    const classes = (Object.values(errors) as unknown[]).filter((v): v is new (m: string) => Error => typeof v === "function" && v.prototype instanceof Error)
    expect(classes.length).toBeGreaterThanOrEqual(11)
    for (const C of classes) expect(isJaxfxError(new C("x"))).toBe(true)
    class Lookalike extends Data.TaggedError("ShapeError")<{ readonly message: string }> {}
    for (const other of [new Error("x"), new TypeError("x"), new Lookalike({ message: "x" }), { _tag: "ShapeError" }, "ShapeError", null, undefined]) {
      expect(isJaxfxError(other)).toBe(false)
    }
  })

  it("an interrupted step, or an interrupted run of a handler, leaves the slots as they were", async () => {
    const [[during, afterStep, afterRun]] = await Effect.runPromise(
      A.run(f32(0))(
        Effect.gen(function* () {
          const interruptAfterWrite = (
            wrap: (e: Effect.Effect<never, unknown, State.StateSlot<"step/a">>) => Effect.Effect<unknown, unknown, State.StateSlot<"step/a">>
          ) =>
            Effect.gen(function* () {
              const written = yield* Deferred.make<number>()
              const fiber = yield* Effect.forkChild(
                wrap(
                  Effect.gen(function* () {
                    yield* A.set(f32(7))
                    yield* Deferred.succeed(written, (yield* A.get).item())
                    return yield* Effect.never
                  })
                )
              )
              const seen = yield* Deferred.await(written)
              yield* Fiber.interrupt(fiber)
              return [seen, (yield* A.get).item()] as const
            })
          const [seen, afterStep] = yield* interruptAfterWrite(State.atomic)
          const [, afterRun] = yield* interruptAfterWrite((e) => B.run(f32(0))(e))
          return [seen, afterStep, afterRun] as const
        })
      )
    )
    expect([during, afterStep, afterRun]).toEqual([7, 0, 0])
  })
})
