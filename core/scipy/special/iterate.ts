/**
 * The elementwise convergence loop shared by the series and continued fractions: a `whileLoop`
 * (so it runs under jit and vmap, and in forward mode) that updates each element until its own
 * stopping test says so, then freezes it, and stops when no element runs or after `maxSteps`.
 */
import type { Array } from "../../array.js"
import { add, and, lt, select } from "../../primitives/elementwise.js"
import { constant } from "../../primitives/common.js"
import { reduceMax } from "../../primitives/reduce.js"
import { whileLoop } from "../../lax/control.js"
import { c } from "./common.js"

/** Whether any element is still running (false for an empty array). */
const anyRunning = (mask: Array): Array =>
  mask.size === 0
    ? constant(0, "bool", [])
    : reduceMax(
        mask,
        mask.shape.map((_, i) => i)
      )

/**
 * One step: from the state and the (scalar, float) step number n = 1, 2, ..., the next state and
 * whether each element should take another step.
 */
export type Step = (state: ReadonlyArray<Array>, n: Array) => readonly [ReadonlyArray<Array>, Array]

/**
 * Iterate `step` from `state` on the elements where `running` is set, each until its step says
 * stop, at most `maxSteps` steps; returns the final state.
 */
export const iterate = (running: Array, state: ReadonlyArray<Array>, step: Step, maxSteps: number): ReadonlyArray<Array> => {
  type Carry = readonly [Array, Array, ReadonlyArray<Array>]
  const dtype = state[0]!.dtype
  const [, , out] = whileLoop(
    ([on, n]: Carry) => and(anyRunning(on), lt(n, c(n, maxSteps))),
    ([on, n0, s]: Carry): Carry => {
      const n = add(n0, c(n0, 1))
      const [next, going] = step(s, n)
      return [and(on, going), n, next.map((v, i) => select(on, v, s[i]!))]
    },
    [running, constant(0, dtype, []), state] as Carry
  )
  return out
}
