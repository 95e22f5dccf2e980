import { describe, expect, it } from "vitest"
import { type Array as JArray, np, ValueError } from "../../index.js"
import { loadGolden } from "../../golden/load.js"
import { expectGoldenOut, fromGolden, type GoldenCallCase } from "./golden-helpers.js"

// Each golden id is "<subscripts> <shapes> <optimize>" (golden/numpy_einsum_path.py).
describe("np.einsumPath's path equals JAX's (opt_einsum greedy and unoptimized)", () => {
  for (const c of loadGolden<GoldenCallCase>("numpy_einsum_path").cases) {
    it(c.id, () => {
      const subscripts = c.id.split(" ")[0]!
      const optimize = c.id.endsWith("False") ? false : "greedy"
      const [path] = np.einsumPath(subscripts, ...c.args.map(fromGolden), { optimize })
      expectGoldenOut(np.array(path, { dtype: "int32" }), c.out as never, c.id)
    })
  }
  it("reports each contraction and refuses what it cannot read", () => {
    const ones = (s: number[]): JArray => np.ones(s)
    const [, report] = np.einsumPath("ij,jk,kl->il", ones([2, 3]), ones([3, 4]), ones([4, 5]))
    expect(report).toContain("Complete contraction:  ij,jk,kl->il")
    expect(report).toContain("jk,kl->jl")
    expect(() => np.einsumPath("ij,j", ones([2, 3]))).toThrow(ValueError)
    expect(() => np.einsumPath("...i,i", ones([2, 3]), ones([3]))).toThrow(/ellipses/)
    expect(() => np.einsumPath("ij,j", ones([2, 3]), ones([3]), { optimize: "dp" as never })).toThrow(ValueError)
  })
})
