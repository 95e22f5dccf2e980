/**
 * Derivative laws on every differentiable catalogued np/nn/lax function: grad against central
 * differences in float64, jvp linearity, vjp/jvp adjointness (bounded runs, fixed seeds). Each run
 * draws the function's static parameters and shapes (`catalog.ts`); the laws whose cost does not
 * grow with the number of elements also run once on a large variant.
 */
import { describe, it } from "vitest"
import { catalog, entryProperty, seedOf } from "./catalog.js"
import * as laws from "./index.js"

for (const [group, all] of Object.entries(catalog)) {
  const entries = all.filter((x) => x.differentiable)
  if (entries.length === 0) continue
  describe(group, () => {
    for (const e of entries) {
      describe(e.name, () => {
        const run = (law: string, on: Parameters<typeof entryProperty>[2], numRuns: number, large: number) => {
          laws.check(entryProperty(e, law, on), { seed: seedOf(`${e.name}/${law}`), numRuns })
          if (e.large !== undefined && large > 0) laws.check(entryProperty(e, law, on, "large"), { seed: seedOf(`${e.name}/${law}/large`), numRuns: large })
        }
        it("grad matches central differences (float64)", () =>
          run("gradMatchesFiniteDifferences", (f, args) => laws.gradMatchesFiniteDifferences(laws.scalarize(f), args), 10, 0))
        it("jvp is linear in the tangent", () => run("jvpIsLinear", (f, args) => laws.jvpIsLinear(f, args), 10, 1))
        it("vjp is the adjoint of jvp", () => run("vjpIsAdjointOfJvp", (f, args) => laws.vjpIsAdjointOfJvp(f, args), 10, 1))
      })
    }
  })
}
