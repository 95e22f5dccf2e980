/**
 * train.fit's metrics as JSON lines and through Effect's Logger: one record per step, with the
 * step's scalar metrics, in the order of the steps.
 */
import { Effect, Logger, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { type JaxArray, np } from "../index.js"
import { fit, Progress, silentReporter } from "./train.js"

type S = { readonly w: JaxArray }
const step = (s: S, x: JaxArray): readonly [S, { loss: JaxArray; lr: number; note: string }] => {
  const diff = s.w.sub(x)
  return [{ w: s.w.sub(diff.mul(0.5)) }, { loss: np.sum(diff.mul(diff)), lr: 0.5, note: "not a scalar metric" }]
}
const init: S = { w: np.asarray([2], { dtype: "float32" }) }
const data = [0, 0, 0].map(() => np.asarray([0], { dtype: "float32" }))

describe("train.fit metrics", () => {
  it("writes one JSON line per step", () => {
    const lines: string[] = []
    Effect.runSync(Stream.runDrain(fit({ init, step, data, jsonLines: (l) => lines.push(l) })).pipe(Effect.provideService(Progress, silentReporter)))
    expect(lines.every((l) => l.endsWith("\n"))).toBe(true)
    const records = lines.map((l) => JSON.parse(l) as { step: number; loss: number; metrics: Record<string, unknown>; elapsedMs: number })
    // w: 2 -> 1 -> 0.5: losses 4, 1, 0.25
    expect(records.map((r) => [r.step, r.loss, r.metrics])).toEqual([
      [1, 4, { loss: 4, lr: 0.5 }],
      [2, 1, { loss: 1, lr: 0.5 }],
      [3, 0.25, { loss: 0.25, lr: 0.5 }]
    ])
    expect(records.every((r) => typeof r.elapsedMs === "number")).toBe(true)
  })

  it("logs each step through the program's Logger when log is on", () => {
    const logged: Array<{ message: unknown; annotations: Record<string, unknown> }> = []
    const capture = Logger.map(Logger.formatStructured, (r) => {
      logged.push(r as unknown as { message: unknown; annotations: Record<string, unknown> })
    })
    const program = Stream.runDrain(fit({ init, step, data, log: true })).pipe(
      Effect.provideService(Progress, silentReporter),
      Effect.provide(Logger.layer([capture]))
    )
    Effect.runSync(program)
    expect(logged.length).toBe(3)
    expect(logged.map((l) => [l.message, l.annotations["step"], l.annotations["loss"]])).toEqual([
      ["train.fit step", 1, 4],
      ["train.fit step", 2, 1],
      ["train.fit step", 3, 0.25]
    ])
  })
})
