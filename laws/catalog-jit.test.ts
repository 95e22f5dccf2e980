/**
 * Laws of jit and vmap on every catalogued np/nn function: jit(f) = f, vmap(f) = stacked f, and
 * jit∘grad = grad∘jit = grad (bounded runs, fixed seeds; `catalog.ts` has the functions and
 * their argument ranges).
 */
import { describe, it } from "vitest"
import { catalog, seedOf } from "./catalog.js"
import * as laws from "./index.js"

for (const [group, entries] of Object.entries(catalog)) {
  describe(group, () => {
    for (const e of entries) {
      describe(e.name, () => {
        const opts = (law: string, numRuns: number) => ({ seed: seedOf(`${e.name}/${law}`), numRuns })
        it("jit(f) = f", () => laws.check(laws.jitMatchesEager(e.f, e.args), opts("jit", 10)))
        it("vmap(f) = f stacked over examples", () => laws.check(laws.vmapMatchesStack(e.f, e.args), opts("vmap", 10)))
        if (!e.differentiable) return
        it("jit(grad f) = grad(jit f) = grad f", () =>
          laws.check(laws.jitGradCommutes(laws.scalarize(e.f), e.args), opts("commute", 10)))
      })
    }
  })
}
