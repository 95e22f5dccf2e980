/** The README's "Checking your own code with laws" examples, kept runnable (same code, local imports). */
import { Effect } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import { type Array, customJvp, nn, np, random } from "../index.js"
import { State } from "../effects/index.js"
import * as laws from "./index.js"

it("the README example holds, and its broken rule is caught", () => {
  // A one-layer model: its loss as a function of a params record and a batch of inputs.
  const loss = (params: { w: Array; b: Array }, x: Array) => np.mean(nn.softplus(np.matmul(x, params.w).add(params.b)))

  const params = fc.record({ w: laws.arb.array({ shape: [3, 2] }), b: laws.arb.array({ shape: [2] }) })
  const batch = laws.arb.array({ shape: [2, 3], min: -1, max: 1 })

  laws.check(laws.gradMatchesFiniteDifferences(loss, [params, batch]), { seed: 1, numRuns: 20 })
  laws.check(laws.jitMatchesEager(loss, [params, batch]), { seed: 1, numRuns: 20 })
  laws.check(laws.vjpIsAdjointOfJvp(loss, [params, batch]), { seed: 1, numRuns: 20 })

  // A hand-written derivative rule with a mistake: the law fails with a report.
  const softplus = customJvp((x: Array) => nn.softplus(x))
  softplus.defjvp(([x], [t]) => [softplus(x), t.mul(nn.sigmoid(x.neg()))]) // should be sigmoid(x)
  const badLoss = (params: { w: Array; b: Array }, x: Array) => np.mean(softplus(np.matmul(x, params.w).add(params.b)))
  expect(() => laws.check(laws.gradMatchesFiniteDifferences(badLoss, [params, batch]), { seed: 1, numRuns: 20 })).toThrow(
    /Law failed: gradMatchesFiniteDifferences on badLoss[\s\S]*replay: check\(property, \{ seed: 1, path: "[\d:]+" \}\)[\s\S]*d f \/ d args\[0\]\.w at \[\d, \d\]/
  )
})

it("the README's keys, state, devices and custom-rule laws hold", () => {
  // PRNG
  laws.check(laws.splitIsDeterministic(laws.arb.key()), { seed: 1, numRuns: 20 })
  laws.check(laws.splitKeysDistinct(laws.arb.key()), { seed: 1, numRuns: 20 })
  laws.check(laws.foldInDistinct(laws.arb.key()), { seed: 1, numRuns: 20 })
  laws.check(
    laws.samplerDeterministic((k) => random.normal(k, [3])),
    { seed: 1, numRuns: 20 }
  )

  // State
  const Total = State.slot<"total", Array>("total")
  const addUp = (x: Array) =>
    Effect.gen(function* () {
      return yield* Total.update((t) => t.add(np.sum(x)))
    })
  laws.check(laws.stateJitInvariance(), { seed: 1, numRuns: 40 })
  laws.check(laws.stateJitInvariance({ program: addUp, run: Total.run, initial: laws.arb.array({ shape: [] }), args: [laws.arb.array({ shape: [3] })] }), {
    seed: 1,
    numRuns: 20
  })
  laws.check(laws.setThenGet(), { seed: 1, numRuns: 20 })

  // Devices
  const layer = (x: Array, w: Array) => nn.softmax(np.matmul(x, w))
  const args = [laws.arb.array({ shape: [2, 3] }), laws.arb.array({ shape: [3, 4] })] as const
  laws.check(laws.backendsAgree(layer, args, { devices: laws.cpuDevices(), tolerance: "exact" }), { seed: 1, numRuns: 20 })

  // Custom rules
  const softplus = customJvp((x: Array) => nn.softplus(x))
  softplus.defjvp(([x], [t]) => [softplus(x), t.mul(nn.sigmoid(x))])
  const x = laws.arb.array({ shape: [3], step: 1 / 8 })
  laws.check(laws.customRuleMatchesFiniteDifferences(softplus, [x]), { seed: 1, numRuns: 20 })
  laws.check(laws.customJvpVjpAgree(softplus, [x]), { seed: 1, numRuns: 20 })
})
