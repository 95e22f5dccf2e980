/** The README's "Checking your own code with laws" example, kept runnable (same code, local imports). */
import fc from "fast-check"
import { expect, it } from "vitest"
import { type Array, customJvp, nn, np } from "../index.js"
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
