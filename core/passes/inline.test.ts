import { describe, expect, it } from "vitest"
import { type Array, jit, makeJaxpr, np } from "../../index.js"
import { evalJaxpr, Jaxpr, Var } from "../ir.js"
import { addP, cosP } from "../primitives/elementwise.js"
import { countEqns, inlineJit, optimize, verifyJaxpr } from "./index.js"
import { aval, blockP, Builder, concrete, sameResults } from "./test-helpers.js"

const x3 = np.array([1.5, 2, 3])

const run = (j: Jaxpr): Jaxpr => {
  const out = inlineJit(j)
  verifyJaxpr(out)
  return out
}

describe("inlineJit", () => {
  it("copies a call's body in place of the call", () => {
    const g = jit((y: Array) => np.cos(y).mul(2))
    const j = makeJaxpr((x: Array) => g(x).add(np.sum(x)))(x3).jaxpr
    expect(run(j).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[3]. let b:f32[3] = cos a; c:f32[3] = mul b 2.0:f32[]; d:f32[] = reduce_sum[axes=(0,)] a; e:f32[3] = add c d in (e,) }"
    )
  })

  it("gives each copy of a body called twice its own variables", () => {
    const g = jit((y: Array) => np.cos(y))
    const j = makeJaxpr((x: Array, z: Array) => g(x).mul(g(z)))(x3, x3).jaxpr
    const out = run(j)
    expect(out.toString({ compact: true })).toBe("{ lambda ; a:f32[3] b:f32[3]. let c:f32[3] = cos a; d:f32[3] = cos b; e:f32[3] = mul c d in (e,) }")
    expect(out.eqns[0]!.outVars[0]).not.toBe(out.eqns[1]!.outVars[0])
    const args = [concrete([1, 2, 3], "float32", [3]), concrete([-1, 0.5, 4], "float32", [3])]
    expect(sameResults(evalJaxpr(out, [], args), evalJaxpr(j, [], args))).toBe(true)
  })

  it("flattens calls nested in calls, and maps body outs that are inputs or literals", () => {
    const inner = jit((y: Array) => [np.sin(y), y])
    const outer = jit((y: Array) => {
      const [s, same] = inner(y)
      return [s!.add(same!), np.array(3)]
    })
    const j = makeJaxpr((x: Array) => outer(x))(x3).jaxpr
    expect(countEqns(j)).toBe(4)
    const out = run(j)
    expect(out.toString({ compact: true })).toBe("{ lambda ; a:f32[3]. let b:f32[3] = sin a; c:f32[3] = add b a in (c, 3:i32[]) }")
    expect(countEqns(out)).toBe(2)
  })

  it("keeps other sub-programs but inlines calls inside them", () => {
    const f = aval("float32", [2])
    const g = jit((y: Array) => np.cos(y))
    const callBody = makeJaxpr((y: Array) => g(y))(np.zeros([2])).jaxpr
    const b = new Builder()
    const x = new Var(f)
    const [o] = b.bind(blockP, [x], { body: callBody })
    const j = b.build([x], [b.bind1(addP, [o!, x], {})])
    expect(run(j).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[2]. let b:f32[2] = passes_test_block[body={ lambda ; a:f32[2]. let b:f32[2] = cos a in (b,) }] a; c:f32[2] = add b a in (c,) }"
    )
  })

  it("leaves a call whose inputs do not match its body exactly", () => {
    const bb = new Builder()
    const p = new Var(aval("float32", [], true))
    const body = bb.build([p], [bb.bind1(cosP, [p], {})])
    const b = new Builder()
    const x = new Var(aval("float32", []))
    const j = b.build([x], b.bind(jitFor(), [x], { jaxpr: body, name: "g" }))
    expect(inlineJit(j)).toBe(j)
  })

  it("returns its input when there is no call, and optimize removes calls", () => {
    const j = makeJaxpr((x: Array) => np.sin(x))(x3).jaxpr
    expect(inlineJit(j)).toBe(j)
    const g = jit((y: Array) => np.cos(y))
    expect(optimize(makeJaxpr((x: Array) => g(g(x)))(x3).jaxpr).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[3]. let b:f32[3] = cos a; c:f32[3] = cos b in (c,) }"
    )
  })
})

/** The jit primitive, fetched from a staged call (the passes never import it). */
const jitFor = () => {
  const g = jit((y: Array) => y.add(1))
  return makeJaxpr((x: Array) => g(x))(x3).jaxpr.eqns[0]!.primitive
}
