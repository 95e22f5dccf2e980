/**
 * makeJaxpr(...).toString() lays programs out as JAX 0.10.2 prints them (golden/jaxpr_print.py):
 * one line when it fits in 80 columns, else one equation a line, with nested programs indented;
 * `{ compact: true }` gives one line always.
 */
import { describe, expect, it } from "vitest"
import { loadGolden } from "../golden/load.js"
import { jit, makeJaxpr, np, ValueError, type JaxArray } from "../index.js"
import * as pp from "./pretty.js"

const cases = new Map(loadGolden<{ id: string; text: string }>("jaxpr_print").cases.map((c) => [c.id, c.text]))
const s = np.array(1, { dtype: "float32" })
const sin = (y: JaxArray): JaxArray => np.sin(y) // jit's name param is the function's name, as in JAX
const programs: ReadonlyArray<readonly [string, () => ReturnType<ReturnType<typeof makeJaxpr>>]> = [
  ["sin", () => makeJaxpr((x: JaxArray) => np.sin(x))(s)],
  ["identity", () => makeJaxpr((x: JaxArray) => x)(s)],
  ["log2", () => makeJaxpr((x: JaxArray) => np.log(x).div(np.log(np.array(2, { dtype: "float32" }))))(s)],
  ["two outputs", () => makeJaxpr((x: JaxArray, y: JaxArray) => [x.mul(y), x.add(1)])(s, s)],
  ["nested jit", () => makeJaxpr((x: JaxArray) => jit(sin)(x).mul(2))(s)],
  ["many inputs", () => makeJaxpr((...xs: JaxArray[]) => xs.slice(1).reduce((a, b) => a.add(b), xs[0]!))(...Array.from({ length: 10 }, () => s))]
]

describe("jaxprs print as JAX prints them", () => {
  for (const [id, make] of programs) {
    it(id, () => {
      const j = make()
      expect(j.toString()).toBe(cases.get(id))
      const compact = j.toString({ compact: true })
      expect(compact).not.toContain("\n")
      expect(compact).not.toMatch(/ {2}/)
    })
  }

  it("compact is the one-line form, without JAX's empty-part spacing; options are checked", () => {
    const log2 = programs[2]![1]()
    expect(log2.toString({ compact: true })).toBe("{ lambda ; a:f32[]. let b:f32[] = log a; c:f32[] = log 2.0:f32[]; d:f32[] = div b c in (d,) }")
    expect(programs[1]![1]().toString({ compact: true })).toBe("{ lambda ; a:f32[]. let in (a,) }")
    expect(log2.toString({ width: 200 })).toBe(log2.toString({ compact: true }))
    expect(() => log2.toString({ compat: true } as never)).toThrow(ValueError)
  })
})

describe("the pretty printer", () => {
  const d = pp.group(pp.nest(2, pp.concat([pp.text("let"), pp.brk(), pp.text("b = sin a"), pp.brk("; "), pp.text("c")])))
  it("prints a group flat when it fits, else breaks each of its breaks at the nesting level", () => {
    expect(pp.format(d, 80)).toBe("let b = sin a; c")
    expect(pp.format(d, 10)).toBe("let\n  b = sin a\n  c")
    expect(pp.format(d, Infinity)).toBe("let b = sin a; c")
  })
})
