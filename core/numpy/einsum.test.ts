/**
 * np.einsum in every form against real JAX (golden/gen_numpy_einsum.py), eagerly and under jit;
 * the contraction order (optimize) changes nothing but rounding; grad and vmap laws.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, loadGolden } from "../../golden/load.js"
import { type Array, jit, np, ValueError } from "../../index.js"
import * as laws from "../../laws/index.js"
import { arb } from "../../laws/index.js"
import { expectGoldenOut, fromGolden } from "./golden-helpers.js"

interface Case {
  readonly id: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: GoldenArray
}
const golden = loadGolden<Case>("numpy_einsum")

const calls: Readonly<Record<string, (...a: Array[]) => Array>> = {
  matmul: (a, b) => np.einsum("ij,jk->ik", a, b!),
  implicit: (a, b) => np.einsum("ij,jk", a, b!),
  "implicit-order": (a) => np.einsum("ba", a),
  trace: (a) => np.einsum("ii", a),
  diagonal: (a) => np.einsum("ii->i", a),
  "repeated-3": (a) => np.einsum("iji->j", a),
  "sum-all": (a) => np.einsum("ijk->", a),
  outer: (a, b) => np.einsum("i,j->ij", a, b!),
  "ellipsis-batch": (a, b) => np.einsum("...ij,...jk->...ik", a, b!),
  "ellipsis-implicit": (a) => np.einsum("...ij", a),
  "ellipsis-middle": (a) => np.einsum("i...j->j...i", a),
  chain3: (a, b, c) => np.einsum("ij,jk,kl->il", a, b!, c!),
  "chain4-optimize": (a, b, c, d) => np.einsum("ij,jk,kl,lm->im", a, b!, c!, d!, { optimize: "greedy" }),
  "chain4-no-optimize": (a, b, c, d) => np.einsum("ij,jk,kl,lm->im", a, b!, c!, d!, { optimize: false }),
  "hadamard-sum": (a, b) => np.einsum("ij,ij->i", a, b!),
  bilinear: (x, w, y) => np.einsum("bi,oij,bj->bo", x, w!, y!),
  interleaved: (a, b) => np.einsum(a, [0, 1], b!, [1, 2], [0, 2]),
  "interleaved-implicit": (a, b) => np.einsum(a, [0, 1], b!, [1, 2]),
  "interleaved-ellipsis": (a, b) => np.einsum(a, ["...", 0, 1], b!, ["...", 1, 2], ["...", 0, 2]),
  "interleaved-trace": (a) => np.einsum(a, [0, 0]),
  int: (a, b) => np.einsum("ij,j->i", a, b!),
  bool: (a, b) => np.einsum("ij,jk->ik", a, b!),
  "empty-axis": (a, b) => np.einsum("ij,jk->ik", a, b!)
}

describe("np.einsum equals JAX's (golden/gen_numpy_einsum.py)", () => {
  it("every golden case has a call, and every call a case", () => {
    expect(golden.cases.map((c) => c.id).sort()).toEqual(Object.keys(calls).sort())
  })
  for (const c of golden.cases) {
    it(c.id, () => {
      const f = calls[c.id]!
      const args = c.args.map(fromGolden)
      const tol = c.out.dtype === "float32" ? 2e-6 : 0
      expectGoldenOut(f(...args), c.out, c.id, tol)
      expectGoldenOut(jit(f)(...args), c.out, `jit ${c.id}`, tol)
    })
  }
  it("refuses bad sublists and options", () => {
    expect(() => np.einsum(np.ones([2]), [52])).toThrow(ValueError)
    expect(() => np.einsum("i->", np.ones([2]), { optimize: "fastest" as never })).toThrow(/unknown optimize/)
    expect(() => np.einsum("i->", np.ones([2]), { optimise: true } as never)).toThrow(/did you mean "optimize"/)
  })
})

describe("laws", () => {
  const f64 = (shape: ReadonlyArray<number>) => arb.array({ shape, dtype: "float64", min: -2, max: 2, step: 1 / 16 })
  it("a 4-operand chain (greedy order) and the interleaved form: grad and vmap", () => {
    const chain = (a: Array) => np.einsum("ij,jk,kl,lm->im", a, np.sin(a).T, a, np.cos(a).T)
    laws.check(laws.gradMatchesFiniteDifferences(laws.scalarize(chain), [f64([2, 3])]), { seed: 31, numRuns: 4 })
    laws.check(laws.vmapMatchesStack(chain, [f64([2, 3])]), { seed: 32, numRuns: 4 })
    const inter = (a: Array) => np.einsum(a, [0, 1], np.sin(a), [0, 1], [1])
    laws.check(laws.gradMatchesFiniteDifferences(laws.scalarize(inter), [f64([3, 2])]), { seed: 33, numRuns: 4 })
  })
})
