/**
 * scipy.stats' rankdata, sem and mode against real JAX (golden/scipy_extra_13.py): ties under
 * every rank method, axes, NaNs, keepdims, and sem's gradient (JAX's, float64 as referee).
 */
import { describe, expect, it } from "vitest"
import { type Array, jit, np, scipy } from "../../../index.js"
import { checkGrad, closeAsJax, type ExtraCase, extraCases, reviveArg, x32 } from "../scipy-extra.test-helpers.js"

const S = scipy.stats
const call = (c: ExtraCase, args: ReadonlyArray<unknown>): Array[] => {
  const x = args[0] as Array
  const o = c.options as never
  switch (c.fn) {
    case "rankdata":
      return [S.rankdata(x, o)]
    case "sem":
      return [S.sem(x, o)]
    case "mode":
      return S.mode(x, o)
  }
  throw new Error(`unknown fn ${c.fn}`)
}

describe("scipy.stats' functions match JAX (golden/scipy_extra_13.py)", () => {
  const cases = extraCases(["rankdata", "sem", "mode"])
  it("has cases for rankdata, sem and mode", () => expect(new Set(cases.map((c) => c.fn))).toEqual(new Set(["rankdata", "sem", "mode"])))
  cases.forEach((c, idx) => {
    it(`${idx}: ${c.fn} ${JSON.stringify(c.options)}`, () => {
      const args = c.args.map(reviveArg)
      const outs = call(c, args)
      expect(outs.length).toBe(c.outs.length)
      outs.forEach((out, i) => {
        expect(out.dtype, `out ${i} dtype`).toBe(x32(c.outs[i]!.dtype))
        closeAsJax(out, c.outs[i]!, undefined, 1e-5, `out ${i}`)
      })
      checkGrad(c, (a) => call(c, a), args, 1e-4)
    })
  })
  it("jit gives the eager values", () => {
    const x = np.array(
      [
        [3, 1, 3, 2],
        [1, 1, 2, 2]
      ],
      { dtype: "float32" }
    )
    expect(jit((v: Array) => S.rankdata(v, { axis: 1, method: "average" }))(x).toJs()).toEqual(S.rankdata(x, { axis: 1 }).toJs())
    expect(jit((v: Array) => S.mode(v, { axis: 1 }))(x).map((a) => a.toJs())).toEqual(S.mode(x, { axis: 1 }).map((a) => a.toJs()))
  })
  it("refuses nan policies JAX does not implement", () => {
    expect(() => S.rankdata([1, 2], { nanPolicy: "omit" } as never)).toThrow(/propagate/)
    expect(() => S.mode([1, 2], { nanPolicy: "raise" } as never)).toThrow(/propagate/)
  })
})
