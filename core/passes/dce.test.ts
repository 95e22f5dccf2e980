import { describe, expect, it } from "vitest"
import { type Array, jit, makeJaxpr, np } from "../../index.js"
import { countEqns, dce, verifyJaxpr } from "./index.js"
import { addP, cosP, expP, sinP } from "../primitives/elementwise.js"
import { aval, blockP, Builder, lit } from "./test-helpers.js"
import { Jaxpr, Var } from "../ir.js"

const x3 = np.array([1.5, 2, 3])

const run = (j: Jaxpr): Jaxpr => {
  const out = dce(j)
  verifyJaxpr(out)
  return out
}

describe("dce", () => {
  it("drops equations whose results are never used", () => {
    const j = makeJaxpr((x: Array) => {
      np.sin(x)
      np.cos(x).mul(2)
      return np.exp(x)
    })(x3).jaxpr
    expect(run(j).toString({ compact: true })).toBe("{ lambda ; a:f32[3]. let b:f32[3] = exp a in (b,) }")
  })

  it("keeps what outs use transitively, in order, and every input", () => {
    const j = makeJaxpr((x: Array, y: Array) => {
      const a = np.sin(x)
      const dead = np.cos(a).add(1)
      void dead
      return [a.mul(a).add(1), x]
    })(x3, x3).jaxpr
    expect(run(j).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[3] b:f32[3]. let c:f32[3] = sin a; d:f32[3] = mul c c; e:f32[3] = add d 1.0:f32[] in (e, a) }"
    )
  })

  it("returns its input when nothing is dead", () => {
    const j = makeJaxpr((x: Array) => np.sin(x).add(x))(x3).jaxpr
    expect(dce(j)).toBe(j)
  })

  it("keeps a call whole when one output is used, and cleans inside its body", () => {
    const g = jit((y: Array) => {
      np.exp(y)
      return [np.sin(y), np.cos(y)]
    })
    const j = makeJaxpr((x: Array) => g(x)[0]!)(x3).jaxpr
    expect(j.toString({ compact: true })).toBe(
      "{ lambda ; a:f32[3]. let b:f32[3] c:f32[3] = jit[name=<lambda> jaxpr={ lambda ; a:f32[3]. let b:f32[3] = exp a; c:f32[3] = sin a; d:f32[3] = cos a in (c, d) }] a in (b,) }"
    )
    expect(run(j).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[3]. let b:f32[3] c:f32[3] = jit[name=<lambda> jaxpr={ lambda ; a:f32[3]. let b:f32[3] = sin a; c:f32[3] = cos a in (b, c) }] a in (b,) }"
    )
  })

  it("removes a dead call entirely and keeps sub-program signatures (unused body inputs stay)", () => {
    const f = aval("float32", [2])
    const bb = new Builder()
    const [p, q] = [new Var(f), new Var(f)]
    const s = bb.bind1(sinP, [p], {})
    bb.bind1(cosP, [q], {})
    const body = bb.build([p, q], [s])
    const b = new Builder()
    const x = new Var(f)
    const [used] = b.bind(blockP, [x, x], { body })
    b.bind(blockP, [x, x], { body })
    const e = b.bind1(expP, [used!], {})
    const j = b.build([x], [e])
    const out = run(j)
    expect(out.toString({ compact: true })).toBe(
      "{ lambda ; a:f32[2]. let b:f32[2] = passes_test_block[body={ lambda ; a:f32[2] b:f32[2]. let c:f32[2] = sin a in (c,) }] a a; c:f32[2] = exp b in (c,) }"
    )
    expect(countEqns(out)).toBe(3)
    expect(countEqns(j)).toBe(7)
  })

  it("keeps constvars, invars and literal outs", () => {
    const f = aval("float32", [])
    const b = new Builder()
    const c = new Var(f)
    const x = new Var(f)
    b.bind1(addP, [c, x], {})
    const j = b.build([x], [x, c, lit(2.5)], [c])
    expect(run(j).toString({ compact: true })).toBe("{ lambda a:f32[]; b:f32[]. let in (b, a, 2.5:f32[]) }")
  })
})
