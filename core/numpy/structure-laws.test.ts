/**
 * The derivative and batching laws on np's differentiable structure functions: grad against
 * central finite differences (float64), and vmap against stacking per-example results (bounded,
 * seeded runs).
 */
import { describe, it } from "vitest"
import { type Array, np } from "../../index.js"
import * as laws from "../../laws/index.js"
import { arb } from "../../laws/index.js"

const m = (shape: ReadonlyArray<number>) => arb.array({ shape, dtype: "float64", min: -3, max: 3, step: 1 / 16 })
type F = (x: Array) => Array | ReadonlyArray<Array>
const unary: ReadonlyArray<readonly [string, F, ReadonlyArray<number>]> = [
  ["tril", (x) => np.tril(x, { k: -1 }), [3, 4]],
  ["triu", (x) => np.triu(x, { k: 1 }), [2, 3, 3]],
  ["diag (build)", (x) => np.diag(x, { k: -1 }), [3]],
  ["diag (read)", (x) => np.diag(x, { k: 1 }), [3, 4]],
  ["diagonal", (x) => np.diagonal(x, { offset: -1, axis1: 2, axis2: 0 }), [3, 2, 4]],
  ["trace", (x) => np.trace(x, { offset: 1 }), [3, 3]],
  ["fillDiagonal", (x) => np.fillDiagonal(x, 2), [3, 4]],
  ["roll", (x) => np.roll(x, [1, -2], { axis: [0, 1] }), [2, 3]],
  ["roll (traced)", (x) => np.roll(x, np.array(2), { axis: 1 }), [2, 3]],
  ["rot90", (x) => np.rot90(x, 3), [2, 3]],
  ["unstack", (x) => np.unstack(x, { axis: 1 }), [2, 3]],
  [
    "block",
    (x) =>
      np.block([
        [x, x],
        [x, x]
      ]),
    [2, 2]
  ],
  ["resize", (x) => np.resize(x, [3, 3]), [4]],
  [
    "takeAlongAxis",
    (x) =>
      np.takeAlongAxis(
        x,
        np.array([
          [0, 2, 2],
          [1, -1, 0]
        ]),
        1
      ),
    [2, 3]
  ],
  ["putAlongAxis", (x) => np.putAlongAxis(x, np.array([[0], [2]]), np.array([[5], [6]], { dtype: "float64" }), 1), [2, 3]],
  ["choose", (x) => np.choose(np.array([0, 1, 0]), [x, np.multiply(x, x)], { mode: "clip" }), [3]],
  ["put", (x) => np.put(x, [0, 3], [1, 2]), [2, 3]],
  ["delete", (x) => np.delete(x, [0, 2], { axis: 1 }), [2, 3]],
  ["insert", (x) => np.insert(x, 1, 7, { axis: 0 }), [2, 3]],
  ["meshgrid", (x) => np.meshgrid([x, np.multiply(x, 2)]), [3]]
]

describe("np structure functions: grad matches finite differences, vmap matches stacking", () => {
  for (const [name, f, shape] of unary) {
    it(name, () => {
      laws.check(laws.gradMatchesFiniteDifferences(laws.scalarize(f), [m(shape)]), { seed: 7, numRuns: 4 })
      laws.check(laws.vmapMatchesStack(f, [m(shape)]), { seed: 8, numRuns: 4 })
    })
  }
})
