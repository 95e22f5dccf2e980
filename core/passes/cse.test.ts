import { describe, expect, it } from "vitest"
import { type Array, jit, makeJaxpr, np } from "../../index.js"
import { Jaxpr, Var } from "../ir.js"
import { addP, convertElementTypeP, sinP } from "../primitives/elementwise.js"
import { reduceSumP } from "../primitives/reduce.js"
import { transposeP } from "../primitives/shape-ops.js"
import { cse, verifyJaxpr } from "./index.js"
import { aval, blockP, Builder, lit } from "./test-helpers.js"

const x3 = np.array([1.5, 2, 3])

const run = (j: Jaxpr): Jaxpr => {
  const out = cse(j)
  verifyJaxpr(out)
  return out
}

describe("cse", () => {
  it("merges repeated equations, transitively, and rewrites outs", () => {
    const j = makeJaxpr((x: Array) => {
      const a = np.sin(x).mul(2)
      const b = np.sin(x).mul(2)
      return [a.add(b), b]
    })(x3).jaxpr
    expect(run(j).toString({ compact: true })).toBe("{ lambda ; a:f32[3]. let b:f32[3] = sin a; c:f32[3] = mul b 2.0:f32[]; d:f32[3] = add c c in (d, c) }")
  })

  it("returns its input when nothing repeats", () => {
    const j = makeJaxpr((x: Array) => np.sin(x).add(np.cos(x)))(x3).jaxpr
    expect(cse(j)).toBe(j)
  })

  it("compares literals by dtype and bits: NaN merges with NaN, 0.0 and -0.0 stay apart, 1 and 2 stay apart", () => {
    const f = aval("float32", [3])
    const b = new Builder()
    const x = new Var(f)
    const outs = [
      b.bind1(addP, [x, lit(NaN)], {}),
      b.bind1(addP, [x, lit(NaN)], {}),
      b.bind1(addP, [x, lit(0)], {}),
      b.bind1(addP, [x, lit(-0)], {}),
      b.bind1(addP, [x, lit(1)], {}),
      b.bind1(addP, [x, lit(2)], {}),
      b.bind1(addP, [x, lit(1)], {})
    ]
    const out = run(b.build([x], outs))
    expect(out.toString({ compact: true })).toBe(
      "{ lambda ; a:f32[3]. let b:f32[3] = add a nan:f32[]; c:f32[3] = add a 0.0:f32[]; d:f32[3] = add a -0.0:f32[]; " +
        "e:f32[3] = add a 1.0:f32[]; f:f32[3] = add a 2.0:f32[] in (b, b, c, d, e, f, e) }"
    )
  })

  it("keeps literals of different dtypes or weak types apart", () => {
    const b = new Builder()
    const cvt = { newDtype: "float32", weakType: false } as const
    const o1 = b.bind1(convertElementTypeP, [lit(1, "int32")], cvt)
    const o2 = b.bind1(convertElementTypeP, [lit(1, "uint32")], cvt)
    const o3 = b.bind1(convertElementTypeP, [lit(1, "float32")], cvt)
    const o4 = b.bind1(convertElementTypeP, [lit(1, "int32", true)], cvt)
    const o5 = b.bind1(convertElementTypeP, [lit(1, "int32")], cvt)
    expect(run(b.build([], [o1, o2, o3, o4, o5])).toString({ compact: true })).toBe(
      "{ lambda ; . let a:f32[] = convert_element_type[new_dtype=float32 weak_type=False] 1:i32[]; " +
        "b:f32[] = convert_element_type[new_dtype=float32 weak_type=False] 1:u32[]; " +
        "c:f32[] = convert_element_type[new_dtype=float32 weak_type=False] 1.0:f32[]; " +
        "d:f32[] = convert_element_type[new_dtype=float32 weak_type=False] 1:i32[] in (a, b, c, d, a) }"
    )
  })

  it("compares params structurally", () => {
    const f = aval("float32", [2, 3])
    const b = new Builder()
    const x = new Var(f)
    const t1 = b.bind1(transposeP, [x], { permutation: [1, 0] })
    const t2 = b.bind1(transposeP, [x], { permutation: [1, 0] })
    const s0 = b.bind1(reduceSumP, [x], { axes: [0] })
    const s1 = b.bind1(reduceSumP, [x], { axes: [1] })
    const s0b = b.bind1(reduceSumP, [x], { axes: [0] })
    expect(run(b.build([x], [t1, t2, s0, s1, s0b])).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[2,3]. let b:f32[3,2] = transpose[permutation=(1, 0)] a; c:f32[3] = reduce_sum[axes=(0,)] a; " +
        "d:f32[2] = reduce_sum[axes=(1,)] a in (b, b, c, d, c) }"
    )
  })

  it("merges calls of the same program on the same inputs, not calls on different inputs", () => {
    const g = jit((y: Array) => np.cos(y))
    const j = makeJaxpr((x: Array, z: Array) => [g(x), g(x), g(z)])(x3, x3).jaxpr
    expect(run(j).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[3] b:f32[3]. let c:f32[3] = jit[name=<lambda> jaxpr={ lambda ; a:f32[3]. let b:f32[3] = cos a in (b,) }] a; " +
        "d:f32[3] = jit[name=<lambda> jaxpr={ lambda ; a:f32[3]. let b:f32[3] = cos a in (b,) }] b in (c, c, d) }"
    )
  })

  it("works inside sub-programs without crossing their boundary, and keeps shared bodies shared", () => {
    const f = aval("float32", [2])
    const bb = new Builder()
    const p = new Var(f)
    const s1 = bb.bind1(sinP, [p], {})
    const s2 = bb.bind1(sinP, [p], {})
    const body = bb.build([p], [bb.bind1(addP, [s1, s2], {})])
    const b = new Builder()
    const x = new Var(f)
    const outer = b.bind1(sinP, [x], {})
    const [c1] = b.bind(blockP, [x], { body })
    const [c2] = b.bind(blockP, [x], { body })
    const out = run(b.build([x], [outer, c1!, c2!]))
    expect(out.toString({ compact: true })).toBe(
      "{ lambda ; a:f32[2]. let b:f32[2] = sin a; c:f32[2] = passes_test_block[body={ lambda ; a:f32[2]. let b:f32[2] = sin a; c:f32[2] = add b b in (c,) }] a in (b, c, c) }"
    )
  })
})
