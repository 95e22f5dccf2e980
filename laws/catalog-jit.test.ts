/**
 * Laws of jit and vmap on every catalogued np/nn/lax function: jit(f) = f, vmap(f) = stacked f,
 * and jit∘grad = grad∘jit = grad (bounded runs, fixed seeds). Each run draws the function's
 * static parameters and shapes (`catalog.ts`), and a few runs draw large shapes that reach the
 * compiled kernels' tiled and blocked paths and the Wasm GEMM's edges.
 */
import { describe, it } from "vitest"
import { catalog, entryProperty, seedOf } from "./catalog.js"
import * as laws from "./index.js"

for (const [group, entries] of Object.entries(catalog)) {
  describe(group, () => {
    for (const e of entries) {
      describe(e.name, () => {
        const run = (law: string, on: Parameters<typeof entryProperty>[2], numRuns: number, large: number) => {
          laws.check(entryProperty(e, law, on), { seed: seedOf(`${e.name}/${law}`), numRuns })
          if (e.large !== undefined && large > 0) laws.check(entryProperty(e, law, on, "large"), { seed: seedOf(`${e.name}/${law}/large`), numRuns: large })
        }
        it("jit(f) = f", () => run("jitMatchesEager", (f, args) => laws.jitMatchesEager(f, args), 12, 2))
        it("vmap(f) = f stacked over examples", () => run("vmapMatchesStack", (f, args) => laws.vmapMatchesStack(f, args), 10, 1))
        if (!e.differentiable) return
        it("jit(grad f) = grad(jit f) = grad f", () => run("jitGradCommutes", (f, args) => laws.jitGradCommutes(laws.scalarize(f), args), 10, 1))
      })
    }
  })
}
