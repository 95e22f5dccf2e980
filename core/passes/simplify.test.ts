import { describe, expect, it } from "vitest"
import { type Array, jit, lax, makeJaxpr, np } from "../../index.js"
import { Jaxpr, Var } from "../ir.js"
import { addP, convertElementTypeP, divP, mulP, negP, sinP, subP } from "../primitives/elementwise.js"
import { broadcastInDimP, reshapeP, transposeP } from "../primitives/shape-ops.js"
import { optimize, simplify, verifyJaxpr } from "./index.js"
import { aval, Builder, lit } from "./test-helpers.js"

const x3 = np.array([1.5, 2, 3])

const run = (j: Jaxpr): Jaxpr => {
  const out = simplify(j)
  verifyJaxpr(out)
  return out
}

/** A program of one binary equation on an input of aval `x` and a literal. */
const binop = (prim: typeof addP, x: ReturnType<typeof aval>, c: ReturnType<typeof lit>, litFirst = false): Jaxpr => {
  const b = new Builder()
  const v = new Var(x)
  const o = b.bind1(prim, litFirst ? [c, v] : [v, c], {})
  return b.build([v], [o])
}

describe("simplify: arithmetic identities", () => {
  it("x * 1, 1 * x and x / 1 become x", () => {
    const j = makeJaxpr((x: Array) => np.multiply(1, np.sin(x).mul(1)).div(1))(x3).jaxpr
    expect(run(j).toString({ compact: true })).toBe("{ lambda ; a:f32[3]. let b:f32[3] = sin a in (b,) }")
  })

  it("integer x + 0, 0 + x, x - 0 become x", () => {
    const i3 = np.array([1, 2, 3])
    const j = makeJaxpr((x: Array) => np.add(0, x.add(0).sub(0)).mul(3))(i3).jaxpr
    expect(run(j).toString({ compact: true })).toBe("{ lambda ; a:i32[3]. let b:i32[3] = mul a 3:i32[] in (b,) }")
  })

  it("float x + -0.0, -0.0 + x, x - 0.0 become x, but x + 0.0 and x - -0.0 do not (-0.0 + 0.0 is +0.0)", () => {
    const f = aval("float32", [3])
    expect(run(binop(addP, f, lit(-0))).toString({ compact: true })).toBe("{ lambda ; a:f32[3]. let in (a,) }")
    expect(run(binop(addP, f, lit(-0), true)).toString({ compact: true })).toBe("{ lambda ; a:f32[3]. let in (a,) }")
    expect(run(binop(subP, f, lit(0))).toString({ compact: true })).toBe("{ lambda ; a:f32[3]. let in (a,) }")
    for (const j of [binop(addP, f, lit(0)), binop(addP, f, lit(0), true), binop(subP, f, lit(-0)), binop(subP, f, lit(0), true)]) {
      expect(simplify(j)).toBe(j)
    }
  })

  it("x * 0 is never rewritten (NaN * 0 and inf * 0 are NaN)", () => {
    const j = makeJaxpr((x: Array) => x.mul(0))(x3).jaxpr
    expect(simplify(j)).toBe(j)
    const ji = makeJaxpr((x: Array) => x.mul(0))(np.array([1, 2])).jaxpr
    expect(simplify(ji)).toBe(ji)
  })

  it("does not rewrite when the result's aval differs: broadcasting or a weak type lost", () => {
    // x:i32[1,3] + zeros:i32[2,3] has shape [2,3].
    const b = new Builder()
    const x = new Var(aval("int32", [1, 3]))
    const zeros = b.bind1(broadcastInDimP, [lit(0, "int32")], { shape: [2, 3], broadcastDimensions: [] })
    const o = b.bind1(addP, [x, zeros], {})
    const j = b.build([x], [o])
    expect(simplify(j)).toBe(j)
    // A scalar x + 0 broadcast to [3].
    const b2 = new Builder()
    const s = new Var(aval("int32", []))
    const z3 = b2.bind1(broadcastInDimP, [lit(0, "int32")], { shape: [3], broadcastDimensions: [] })
    const j2 = b2.build([s], [b2.bind1(addP, [s, z3], {})])
    expect(simplify(j2)).toBe(j2)
    // weak x * strong 1 is strong.
    const j3 = binop(mulP, aval("float32", [], true), lit(1))
    expect(simplify(j3)).toBe(j3)
    // ...but weak x * weak 1 is x.
    expect(run(binop(mulP, aval("float32", [], true), lit(1, "float32", true))).toString({ compact: true })).toBe("{ lambda ; a:f32[]. let in (a,) }")
  })

  it("sees through a broadcast literal when the shapes agree", () => {
    const b = new Builder()
    const x = new Var(aval("float32", [2, 3]))
    const ones = b.bind1(broadcastInDimP, [lit(1)], { shape: [2, 3], broadcastDimensions: [] })
    const j = b.build([x], [b.bind1(mulP, [ones, x], {})])
    expect(run(j).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[2,3]. let b:f32[2,3] = broadcast_in_dim[broadcast_dimensions=() shape=(2, 3)] 1.0:f32[] in (a,) }"
    )
    expect(optimize(j).toString({ compact: true })).toBe("{ lambda ; a:f32[2,3]. let in (a,) }")
  })

  it("neg (neg x) becomes x", () => {
    const j = makeJaxpr((x: Array) => np.negative(np.negative(np.sin(x))))(x3).jaxpr
    expect(optimize(j).toString({ compact: true })).toBe("{ lambda ; a:f32[3]. let b:f32[3] = sin a in (b,) }")
    const b = new Builder()
    const x = new Var(aval("int32", []))
    const n = b.bind1(negP, [x], {})
    const j2 = b.build([x], [b.bind1(negP, [n], {}), n])
    expect(run(j2).toString({ compact: true })).toBe("{ lambda ; a:i32[]. let b:i32[] = neg a in (a, b) }")
  })
})

describe("simplify: structural", () => {
  it("composes transposes, and cancels inverse ones", () => {
    const x = np.zeros([2, 3, 4])
    const j = makeJaxpr((x: Array) => np.transpose(np.transpose(x, [1, 0, 2]), [2, 0, 1]))(x).jaxpr
    expect(optimize(j).toString({ compact: true })).toBe("{ lambda ; a:f32[2,3,4]. let b:f32[4,3,2] = transpose[permutation=(2, 1, 0)] a in (b,) }")
    const k = makeJaxpr((x: Array) => np.transpose(np.transpose(x, [1, 2, 0]), [2, 0, 1]).add(1))(x).jaxpr
    expect(optimize(k).toString({ compact: true })).toBe("{ lambda ; a:f32[2,3,4]. let b:f32[2,3,4] = add a 1.0:f32[] in (b,) }")
  })

  it("an identity transpose, reshape or broadcast becomes x", () => {
    const b = new Builder()
    const x = new Var(aval("float32", [2, 3]))
    const t = b.bind1(transposeP, [x], { permutation: [0, 1] })
    const r = b.bind1(reshapeP, [t], { newSizes: [2, 3] })
    const c = b.bind1(broadcastInDimP, [r], { shape: [2, 3], broadcastDimensions: [0, 1] })
    expect(run(b.build([x], [c])).toString({ compact: true })).toBe("{ lambda ; a:f32[2,3]. let in (a,) }")
  })

  it("composes reshapes, and drops those that restore the shape", () => {
    const x = np.zeros([2, 3])
    const j = makeJaxpr((x: Array) => [x.reshape([3, 2]).reshape([6]), x.reshape([6]).reshape([2, 3])])(x).jaxpr
    expect(optimize(j).toString({ compact: true })).toBe("{ lambda ; a:f32[2,3]. let b:f32[6] = reshape[dimensions=None new_sizes=(6,)] a in (b, a) }")
  })

  it("composes broadcasts", () => {
    const b = new Builder()
    const x = new Var(aval("float32", [3]))
    const b1 = b.bind1(broadcastInDimP, [x], { shape: [1, 3], broadcastDimensions: [1] })
    const b2 = b.bind1(broadcastInDimP, [b1], { shape: [4, 2, 3], broadcastDimensions: [1, 2] })
    expect(optimize(b.build([x], [b2])).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[3]. let b:f32[4,2,3] = broadcast_in_dim[broadcast_dimensions=(2,) shape=(4, 2, 3)] a in (b,) }"
    )
  })

  it("a conversion to the same dtype and weak type becomes x; one that changes the weak type stays", () => {
    const b = new Builder()
    const x = new Var(aval("float32", [3]))
    const c1 = b.bind1(convertElementTypeP, [x], { newDtype: "float32", weakType: false })
    const c2 = b.bind1(convertElementTypeP, [c1], { newDtype: "float32", weakType: true })
    const c3 = b.bind1(convertElementTypeP, [c2], { newDtype: "int32", weakType: false })
    expect(run(b.build([x], [c1, c2, c3])).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[3]. let b:f32[3] = convert_element_type[new_dtype=float32 weak_type=True] a; " +
        "c:i32[3] = convert_element_type[new_dtype=int32 weak_type=False] b in (a, b, c) }"
    )
  })

  it("a transposed product (grad's weight gradient) becomes the product with its operands swapped, with the same bits", () => {
    const x = np.sin(np.arange(12 * 9).astype("float32")).reshape([12, 9])
    const d = np.cos(np.arange(12 * 10).astype("float32")).reshape([12, 10])
    const f = (a: Array, b: Array): Array => np.transpose(lax.dotGeneral(b, a, { contracting: [[0], [0]], batch: [[], []] }))
    const j = makeJaxpr(f)(x, d).jaxpr
    expect(optimize(run(j)).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[12,9] b:f32[12,10]. let c:f32[9,10] = dot_general[dimension_numbers=(([0], [0]), ([], [])) precision=None preferred_element_type=None] a b in (c,) }"
    )
    // bit for bit: the kernels sum over k in the same order for either operand order
    const want = (f(x, d).data() as Float32Array).slice()
    expect(jit(f)(x, d).data()).toEqual(want)
    // with a batch dimension, only the free blocks swap
    const xb = x.reshape([2, 6, 9])
    const db = d.reshape([2, 6, 10])
    const g = (a: Array, b: Array): Array => np.transpose(lax.dotGeneral(b, a, { contracting: [[1], [1]], batch: [[0], [0]] }), [0, 2, 1])
    expect(optimize(makeJaxpr(g)(xb, db).jaxpr).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[2,6,9] b:f32[2,6,10]. let c:f32[2,9,10] = dot_general[dimension_numbers=(([1], [1]), ([0], [0])) precision=None preferred_element_type=None] a b in (c,) }"
    )
    expect(jit(g)(xb, db).data()).toEqual(g(xb, db).data())
  })

  it("keeps a transposed product whose product is used elsewhere, or whose free block is small", () => {
    const x = np.ones([12, 9])
    const d = np.ones([12, 10])
    const shared = makeJaxpr((a: Array, b: Array) => {
      const p = lax.dotGeneral(b, a, { contracting: [[0], [0]], batch: [[], []] })
      return [np.transpose(p), p]
    })(x, d).jaxpr
    expect(simplify(shared)).toBe(shared)
    const narrow = makeJaxpr((a: Array, b: Array) => np.transpose(lax.dotGeneral(b, a, { contracting: [[0], [0]], batch: [[], []] })))(
      np.ones([12, 4]),
      d
    ).jaxpr
    expect(simplify(narrow)).toBe(narrow)
  })

  it("works inside sub-programs, keeping their signature (an out may become an input)", () => {
    const g = jit((y: Array) => [y.mul(1), np.sin(y).div(1)])
    const j = makeJaxpr((x: Array) => g(x))(x3).jaxpr
    expect(run(j).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[3]. let b:f32[3] c:f32[3] = jit[name=<lambda> jaxpr={ lambda ; a:f32[3]. let b:f32[3] = sin a in (a, b) }] a in (b, c) }"
    )
  })

  it("returns its input when nothing applies", () => {
    const j = makeJaxpr((x: Array) => np.sin(x).mul(2).add(x))(x3).jaxpr
    expect(simplify(j)).toBe(j)
  })

  it("leaves division by other constants alone", () => {
    const b = new Builder()
    const x = new Var(aval("float32", [3]))
    const j = b.build([x], [b.bind1(divP, [x, lit(2)], {}), b.bind1(sinP, [x], {})])
    expect(simplify(j)).toBe(j)
  })
})
