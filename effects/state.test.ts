import { Effect, Exit } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Array, grad, jit, np, ShapeError, TreeError, valueAndGrad, vmap } from "../index.js"
import { State } from "./index.js"

const Counter = State.slot<"counter", Array>("counter")
const f32 = (v: Parameters<typeof np.asarray>[0]) => np.asarray(v, { dtype: "float32" })

describe("state slots", () => {
  it("set then get returns the set value; run returns the final state", () => {
    const prog = Effect.gen(function* () {
      yield* Counter.set(np.array(41))
      const v = yield* Counter.get
      return v.add(1)
    })
    const [out, final] = Effect.runSync(Counter.run(np.array(0))(prog))
    expect(out.item()).toBe(42)
    expect(final.item()).toBe(41)
  })

  it("a set that changes shape or structure fails in the error channel and leaves the state unchanged", () => {
    const prog = Effect.gen(function* () {
      const r = yield* Effect.result(Counter.set(np.array([1, 2])))
      const v = yield* Counter.get
      return [r._tag, v.item()] as const
    })
    const [[tag, value]] = Effect.runSync(Counter.run(np.array(7))(prog))
    expect(tag).toBe("Failure")
    expect(value).toBe(7)
    const bad = Effect.runSyncExit(Counter.run(np.array(7))(Counter.set(np.array([1]))))
    expect(Exit.isFailure(bad) && Exit.findErrorOption(bad)._tag === "Some").toBe(true)
    const Pair = State.slot<"pair", { a: Array; b: Array }>("pair")
    const e = Effect.runSync(Effect.flip(Pair.run({ a: np.array(1), b: np.array(2) })(Pair.set({ a: np.array(1) } as { a: Array; b: Array }))))
    expect(e).toBeInstanceOf(TreeError)
    const e2 = Effect.runSync(Effect.flip(Counter.run(np.array(1))(Counter.set(f32(1)))))
    expect(e2).toBeInstanceOf(ShapeError)
  })

  it("the seed's Counter counts 1, 2, 3 under jit (JAX's stateful class gives 1, 1, 1)", () => {
    const count = () =>
      Effect.gen(function* () {
        const n = yield* Counter.get
        yield* Counter.set(n.add(1))
        return n.add(1)
      })
    const jc = jit(count)
    const prog = Effect.gen(function* () {
      const out: number[] = []
      for (let i = 0; i < 3; i++) out.push((yield* jc()).item())
      return out
    })
    const [values, final] = Effect.runSync(Counter.run(np.array(0))(prog))
    expect(values).toEqual([1, 2, 3])
    expect(final.item()).toBe(3)
  })

  it("grad and valueAndGrad differentiate the arguments while the state flows through", () => {
    const Acc = State.slot<"acc", Array>("acc")
    const loss = (x: Array) =>
      Effect.gen(function* () {
        yield* Acc.update((a) => a.add(x))
        return np.sum(x.mul(x))
      })
    const prog = Effect.gen(function* () {
      const g = yield* grad(loss)(f32([1, 2]))
      const [v, g2] = yield* valueAndGrad(loss)(f32([3, 4]))
      const g3 = yield* jit(grad(loss))(f32([1, 1]))
      return { g: [...g.data()], v: v.item(), g2: [...g2.data()], g3: [...g3.data()] }
    })
    const [r, acc] = Effect.runSync(Acc.run(f32([0, 0]))(prog))
    expect(r).toEqual({ g: [2, 4], v: 25, g2: [6, 8], g3: [2, 2] })
    expect([...acc.data()]).toEqual([5, 7])
  })

  it("vmap reads unbatched state, and batches it when asked with stateAxes", () => {
    const addState = (x: Array) =>
      Effect.gen(function* () {
        const n = yield* Counter.get
        return x.add(n)
      })
    const [out] = Effect.runSync(Counter.run(np.array(5))(vmap(addState)(np.arange(3))))
    expect([...out.data()]).toEqual([5, 6, 7])
    const write = (x: Array) =>
      Effect.gen(function* () {
        yield* Counter.set(x)
        return x
      })
    const notBatched = Effect.runSyncExit(Counter.run(np.array(0))(vmap(write)(np.arange(3))))
    expect(Exit.isFailure(notBatched)).toBe(true)
    const [, st] = Effect.runSync(Counter.run(np.array([0, 0, 0]))(vmap(write, { stateAxes: 0 })(np.arange(3))))
    expect([...st.data()]).toEqual([0, 1, 2])
  })

  it("an async effect inside a jitted program fails with a clear error", () => {
    const prog = jit((x: Array) =>
      Effect.gen(function* () {
        yield* Effect.promise(() => Promise.resolve(1))
        return x
      })
    )(np.arange(3))
    const exit = Effect.runSyncExit(Counter.run(np.array(0))(prog))
    const err = Exit.isFailure(exit) ? Exit.findErrorOption(exit) : undefined
    expect(err?._tag === "Some" && String((err.value as Error).message)).toMatch(/asynchronous effect/)
  })

  it("law: run(jit(p)) = run(p) for random slot programs (property)", () => {
    // p: a random sequence of get/add/mul/set steps on a float32 slot, with an argument
    const step = fc.oneof(
      fc.record({ op: fc.constant("add" as const), k: fc.integer({ min: -3, max: 3 }) }),
      fc.record({ op: fc.constant("mul" as const), k: fc.integer({ min: -2, max: 2 }) }),
      fc.record({ op: fc.constant("addArg" as const), k: fc.constant(0) })
    )
    const S = State.slot<"s", Array>("s")
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 3 }), (steps, calls) => {
        const p = (x: Array) =>
          Effect.gen(function* () {
            for (const s of steps) {
              const v = yield* S.get
              yield* S.set(s.op === "add" ? v.add(s.k) : s.op === "mul" ? v.mul(s.k) : v.add(x))
            }
            return (yield* S.get).mul(2)
          })
        const runCalls = (q: (x: Array) => Effect.Effect<Array, ShapeError | TreeError, State.StateSlot<"s">>) =>
          Effect.runSync(
            S.run(f32([1, 2]))(
              Effect.gen(function* () {
                const outs: number[][] = []
                for (let i = 0; i < calls; i++) outs.push([...(yield* q(f32([0.5, -1]))).data()])
                return outs
              })
            )
          )
        const [eager, eagerState] = runCalls(p)
        const [jitted, jitState] = runCalls(jit(p) as unknown as typeof p)
        expect(jitted).toEqual(eager)
        expect([...jitState.data()]).toEqual([...eagerState.data()])
      }),
      { seed: 77, numRuns: 25 }
    )
  })
})
