/**
 * The JAX 101 chapter snippets (the playground's, playground/chapters.ts) in Node with the WebGPU
 * device (Dawn + lavapipe) as the default device: each runs to the end and prints JAX's values
 * (golden/jax101_printed.json) within float32 tolerance, as the browser test checks on Chromium's
 * adapter. The GPU's exp/log/tanh are not the CPU's, so numbers agree closely, not digit for digit.
 */
import { describe, expect, it } from "vitest"
import { loadGolden } from "../../golden/load.js"
import { chapters } from "../../playground/chapters.js"
import { runSnippet } from "../../playground/run.js"
import { webgpuForTests } from "./test-helpers.js"

const gpu = await webgpuForTests()
const golden = new Map(loadGolden<{ id: string; printed: string[] }>("jax101_printed").cases.map((c) => [c.id, c.printed]))

/** A printed line as its tokens: numbers parsed, everything else (brackets, names) kept as text. */
const tokens = (line: string): ReadonlyArray<number | string> =>
  (line.match(/-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|-?nan|-?inf|[^\s\d.-]+/g) ?? []).map((t) =>
    /\d|nan|inf/.test(t) ? Number(t.replace("inf", "Infinity")) : t
  )

describe.skipIf(gpu === undefined)("the JAX 101 chapters with the GPU as the default device (Node)", { timeout: 300_000 }, () => {
  it("every chapter snippet prints JAX's values, computed on the WebGPU device", async () => {
    expect(chapters.length).toBe(golden.size)
    for (const s of chapters) {
      const r = await runSnippet(s.code, "webgpu")
      expect({ id: s.id, error: r.error }).toEqual({ id: s.id, error: undefined })
      const want = golden.get(s.id)!
      expect(r.printed.length, s.id).toBe(want.length)
      r.printed.forEach((line, i) => {
        const got = tokens(line)
        const w = tokens(want[i]!)
        expect(got.length, `${s.id}: ${line} vs ${want[i]}`).toBe(w.length)
        got.forEach((t, k) => {
          const e = w[k]!
          if (typeof e === "number" && Number.isFinite(e) && typeof t === "number") {
            expect(Math.abs(t - e), `${s.id}: ${line} vs ${want[i]}`).toBeLessThanOrEqual(2e-6 * Math.abs(e) + 1e-7)
          } else expect(t, `${s.id}: ${line} vs ${want[i]}`).toEqual(e)
        })
      })
    }
    const r = await runSnippet("await print(np.arange(3).device)", "webgpu")
    expect(r.printed).toEqual([String(gpu)])
  })
})
