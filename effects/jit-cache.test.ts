/**
 * clearCache of a jitted Effect program (issue 10, item 13) releases the compiled programs of
 * every pure function the program was compiled into, and the program keeps counting afterwards.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { type Array, config, jit, np } from "../index.js"
import { compilerStats } from "../backends/cpu/compile/index.js"
import { State } from "./index.js"

// These tests count what the calling thread's CPU compiler builds: run on device 0 whatever the default device.
config.update("jaxDefaultDevice", 0)

const Counter = State.slot<"counter", Array>("counter")

describe("jit of an Effect program", () => {
  it("clearCache releases what was compiled for it; the next call compiles again and the state flows on", () => {
    const step = jit((x: Array) =>
      Effect.gen(function* () {
        const n = yield* Counter.get
        const next = n.add(np.tanh(np.matmul(x, x)).sum())
        yield* Counter.set(next)
        return next
      })
    )
    const x = np.eye(4).mul(0.5)
    const perStep = Number(np.tanh(np.matmul(x, x)).sum().item())
    const before = { executables: compilerStats.executables, released: compilerStats.released, pooledBytes: compilerStats.pooledBytes }
    const prog = Effect.gen(function* () {
      const out: number[] = []
      out.push((yield* step(x)).item())
      out.push((yield* step(np.eye(5).mul(0.5))).item())
      const built = compilerStats.executables - before.executables
      step.clearCache()
      const released = compilerStats.released - before.released
      out.push((yield* step(x)).item())
      return { out, built, released }
    })
    const [{ out, built, released }, final] = Effect.runSync(Counter.run(np.array(0, { dtype: "float32" }))(prog))
    expect(built).toBe(2)
    expect(released).toBe(2)
    expect(compilerStats.executables - before.executables).toBe(3)
    const big = Number(
      np
        .tanh(np.matmul(np.eye(5).mul(0.5), np.eye(5).mul(0.5)))
        .sum()
        .item()
    )
    expect(out[0]).toBeCloseTo(perStep, 5)
    expect(out[1]).toBeCloseTo(perStep + big, 5)
    expect(out[2]).toBeCloseTo(2 * perStep + big, 5)
    expect(final.item()).toBeCloseTo(2 * perStep + big, 5)
  })
})
