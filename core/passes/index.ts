/**
 * Program-level optimization of staged programs (jaxprs): each pass is a pure function
 * `(jaxpr) => jaxpr` that keeps constvars, invars and the avals of outs, works inside
 * sub-programs without changing their signatures, and returns its input itself when it has
 * nothing to change. `optimize` runs them all to a fixed point; `verifyJaxpr` checks the
 * invariants every pass preserves.
 */
import type { Jaxpr } from "../ir.js"
import { cse } from "./cse.js"
import { dce } from "./dce.js"
import { foldConstants } from "./fold.js"
import { inlineJit } from "./inline.js"
import { simplify } from "./simplify.js"

export { cse } from "./cse.js"
export { dce } from "./dce.js"
export { foldConstants, maxKnownElements } from "./fold.js"
export { inlineJit } from "./inline.js"
export { countEqns } from "./rewrite.js"
export { simplify } from "./simplify.js"
export { verifyJaxpr } from "./verify.js"

export interface OptimizeOptions {
  /** Rounds of all passes at most (default 10); rounds stop early once nothing changes. */
  readonly maxIterations?: number
}

/** The passes of one round, in order. */
export const passes: ReadonlyArray<(jaxpr: Jaxpr) => Jaxpr> = [inlineJit, simplify, foldConstants, cse, dce]

/**
 * Inline jit calls, simplify, fold constants, merge common subexpressions and remove dead code,
 * repeated until a round changes nothing (or `maxIterations` rounds). The result computes
 * bit-for-bit the same outputs and never has more equations (counted with `countEqns`).
 */
export const optimize = (jaxpr: Jaxpr, options: OptimizeOptions = {}): Jaxpr => {
  const rounds = options.maxIterations ?? 10
  let cur = jaxpr
  for (let i = 0; i < rounds; i++) {
    let next = cur
    for (const pass of passes) next = pass(next)
    if (next === cur) break
    cur = next
  }
  return cur
}
