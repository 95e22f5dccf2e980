/**
 * Derivative laws on every differentiable catalogued np/nn function: grad against central
 * differences in float64, jvp linearity, vjp/jvp adjointness (bounded runs, fixed seeds).
 */
import { describe, it } from "vitest"
import { catalog, seedOf } from "./catalog.js"
import * as laws from "./index.js"

for (const [group, all] of Object.entries(catalog)) {
  const entries = all.filter((x) => x.differentiable)
  if (entries.length === 0) continue
  describe(group, () => {
    for (const e of entries) {
      describe(e.name, () => {
        const opts = (law: string, numRuns: number) => ({ seed: seedOf(`${e.name}/${law}`), numRuns })
        it("grad matches central differences (float64)", () =>
          laws.check(laws.gradMatchesFiniteDifferences(laws.scalarize(e.f), e.args), opts("grad", 10)))
        it("jvp is linear in the tangent", () => laws.check(laws.jvpIsLinear(e.f, e.args), opts("jvp", 10)))
        it("vjp is the adjoint of jvp", () => laws.check(laws.vjpIsAdjointOfJvp(e.f, e.args), opts("vjp", 10)))
      })
    }
  })
}
