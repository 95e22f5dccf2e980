import { describe, expect, it } from "vitest"
import { type Array, jit, lax, makeJaxpr, np } from "../../index.js"
import { ShapedArray } from "../array.js"
import { evalJaxpr, Jaxpr, Lit, Var } from "../ir.js"
import { definePrimitive } from "../primitive.js"
import { addP, divP, expP, mulP, sinP } from "../primitives/elementwise.js"
import { reduceSumP } from "../primitives/reduce.js"
import { broadcastInDimP } from "../primitives/shape-ops.js"
import { dce, foldConstants, optimize, verifyJaxpr } from "./index.js"
import { aval, Builder, lit, sameResults } from "./test-helpers.js"

const x3 = np.array([1.5, 2, 3])

const run = (j: Jaxpr): Jaxpr => {
  const out = foldConstants(j)
  verifyJaxpr(out)
  return out
}

describe("foldConstants", () => {
  it("evaluates equations on literals into a literal", () => {
    const j = makeJaxpr((x: Array) => x.add(np.array(2).astype("float32").mul(np.array(3.0))))(x3).jaxpr
    expect(j.toString({ compact: true })).toBe(
      "{ lambda ; a:f32[3]. let b:f32[] = convert_element_type[new_dtype=float32 weak_type=False] 2:i32[]; " +
        "c:f32[] = convert_element_type[new_dtype=float32 weak_type=False] 3:i32[]; d:f32[] = mul b c; e:f32[3] = add a d in (e,) }"
    )
    expect(run(j).toString({ compact: true })).toBe("{ lambda ; a:f32[3]. let b:f32[3] = add a 6.0:f32[] in (b,) }")
  })

  it("returns its input when nothing is constant", () => {
    const j = makeJaxpr((x: Array) => np.sin(x).add(1))(x3).jaxpr
    expect(foldConstants(j)).toBe(j)
  })

  it("folds through small non-scalar constants, which keep their equation until dce", () => {
    const j = makeJaxpr((x: Array) => x.add(lax.reduceSum(lax.iota("float32", [4]), [0])))(x3).jaxpr
    const folded = run(j)
    expect(folded.toString({ compact: true })).toBe(
      "{ lambda ; a:f32[3]. let b:f32[4] = iota[dimension=0 dtype=float32 shape=(4,)]; c:f32[3] = add a 6.0:f32[] in (c,) }"
    )
    expect(dce(folded).toString({ compact: true })).toBe("{ lambda ; a:f32[3]. let b:f32[3] = add a 6.0:f32[] in (b,) }")
  })

  it("does not materialize large constants", () => {
    const j = makeJaxpr((x: Array) => x.add(lax.reduceSum(lax.iota("float32", [5000]), [0])))(x3).jaxpr
    expect(foldConstants(j)).toBe(j)
  })

  it("gives exactly the runtime's values: float32 rounding, NaN, -0.0, inf", () => {
    const b = new Builder()
    const outs = [
      b.bind1(sinP, [lit(1)], {}),
      b.bind1(divP, [lit(0), lit(0)], {}),
      b.bind1(mulP, [lit(-0), lit(5)], {}),
      b.bind1(divP, [lit(1), lit(-0)], {}),
      b.bind1(expP, [lit(100)], {}),
      b.bind1(addP, [lit(0.1), lit(0.2)], {}),
      b.bind1(divP, [lit(7, "int32"), lit(-2, "int32")], {})
    ]
    const j = b.build([], outs)
    const folded = run(j)
    expect(folded.eqns.length).toBe(0)
    expect(folded.outs.every((o) => o instanceof Lit)).toBe(true)
    expect(sameResults(evalJaxpr(folded, [], []), evalJaxpr(j, [], []))).toBe(true)
    expect(folded.toString({ compact: true })).toBe(
      "{ lambda ; . let in (0.84147096:f32[], nan:f32[], -0.0:f32[], -inf:f32[], inf:f32[], 0.3:f32[], -3:i32[]) }"
    )
    expect(Object.is((folded.outs[2] as Lit).value.data()[0], -0)).toBe(true)
  })

  it("folds a reduction of a broadcast literal", () => {
    const b = new Builder()
    const x = new Var(aval("float32", [2, 3]))
    const ones = b.bind1(broadcastInDimP, [lit(1.5)], { shape: [2, 3], broadcastDimensions: [] })
    const s = b.bind1(reduceSumP, [ones], { axes: [0, 1] })
    const y = b.bind1(mulP, [x, s], {})
    expect(optimize(b.build([x], [y])).toString({ compact: true })).toBe("{ lambda ; a:f32[2,3]. let b:f32[2,3] = mul a 9.0:f32[] in (b,) }")
  })

  it("does not fold calls (it folds inside them) nor anything that fails to evaluate", () => {
    const g = jit((y: Array) => np.cos(y).mul(np.array(2).astype("float32")))
    const j = makeJaxpr((x: Array) => g(np.array(2.0).astype("float32")).add(x))(x3).jaxpr
    expect(run(j).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[3]. let b:f32[] = jit[name=<lambda> jaxpr={ lambda ; a:f32[]. let b:f32[] = cos a; c:f32[] = mul b 2.0:f32[] in (c,) }] 2.0:f32[]; " +
        "c:f32[3] = add b a in (c,) }"
    )
    // After inlining, the whole constant computation folds.
    expect(optimize(j).toString({ compact: true })).toBe("{ lambda ; a:f32[3]. let b:f32[3] = add -0.8322937:f32[] a in (b,) }")

    const failing = definePrimitive<Record<string, never>>("passes_test_unimplemented", () => [new ShapedArray([], "float32")])
    const b = new Builder()
    const o = b.bind1(failing, [], {})
    const k = b.build([], [o])
    expect(foldConstants(k)).toBe(k)
  })
})
