import { describe, expect, it } from "vitest"
import { type Array, jit, makeJaxpr, np } from "../../index.js"
import { Jaxpr, Lit, Var } from "../ir.js"
import { addP, cosP, sinP } from "../primitives/elementwise.js"
import { reduceSumP } from "../primitives/reduce.js"
import { verifyJaxpr } from "./index.js"
import { aval, blockP, Builder, concrete, lit } from "./test-helpers.js"

const f3 = aval("float32", [3])

describe("verifyJaxpr", () => {
  it("accepts traced programs, with calls and literals", () => {
    const g = jit((y: Array) => np.cos(y).mul(2))
    const j = makeJaxpr((x: Array, z: Array) => [g(x).add(np.sum(z)), np.array(1), x])(np.zeros([3]), np.ones([3])).jaxpr
    expect(() => verifyJaxpr(j)).not.toThrow()
  })

  it("rejects a use before definition, naming the equation", () => {
    const b = new Builder()
    const x = new Var(f3)
    const later = new Var(f3)
    b.raw(addP, [x, later], {}, [new Var(f3)])
    b.raw(sinP, [x], {}, [later])
    expect(() => verifyJaxpr(b.build([x], [later]))).toThrow(
      /^verifyJaxpr: equation 0 \(b:f32\[3\] = add a \?\): input 1 \(f32\[3\]\) is used before it is defined/
    )
  })

  it("rejects a variable defined twice", () => {
    const b = new Builder()
    const x = new Var(f3)
    const y = b.bind1(sinP, [x], {})
    b.raw(cosP, [x], {}, [y])
    expect(() => verifyJaxpr(b.build([x], [y]))).toThrow(/equation 1 \(.*= cos a\): output 0 \(f32\[3\]\) is defined twice/)
    expect(() => verifyJaxpr(new Jaxpr([x], [x], [], [x]))).toThrow(/invar 0 \(f32\[3\]\) is defined twice/)
  })

  it("rejects an output aval that disagrees with the shape rule: shape, dtype or weak type", () => {
    const x = new Var(aval("float32", [2, 3]))
    const check =
      (declared: ReturnType<typeof aval>): (() => void) =>
      () => {
        const b = new Builder()
        const o = new Var(declared)
        b.raw(reduceSumP, [x], { axes: [0] }, [o])
        verifyJaxpr(b.build([x], [o]))
      }
    expect(check(aval("float32", [3]))).not.toThrow()
    const eqn = (decl: string): string => `equation 0 \\(b:${decl} = reduce_sum\\[axes=\\(0,\\)\\] a\\): output 0 is declared`
    expect(check(aval("float32", [2]))).toThrow(new RegExp(`${eqn("f32\\[2\\]")} f32\\[2\\] but the shape rule gives f32\\[3\\]`))
    expect(check(aval("int32", [3]))).toThrow(new RegExp(`${eqn("i32\\[3\\]")} i32\\[3\\] but the shape rule gives f32\\[3\\]`))
    expect(check(aval("float32", [3], true))).toThrow(new RegExp(`${eqn("f32\\[3\\]")} f32\\[3\\] \\(weak\\) but the shape rule gives f32\\[3\\]`))
  })

  it("rejects inputs the shape rule refuses", () => {
    const b = new Builder()
    const x = new Var(f3)
    const y = new Var(aval("int32", [3]))
    const o = new Var(f3)
    b.raw(addP, [x, y], {}, [o])
    expect(() => verifyJaxpr(b.build([x, y], [o]))).toThrow(/equation 0 .*the shape rule of add rejects its inputs: add needs operands of one dtype/)
  })

  it("rejects undefined outs and non-scalar literals", () => {
    expect(() => verifyJaxpr(new Jaxpr([], [], [], [new Var(f3)]))).toThrow(/out 0 \(f32\[3\]\) is used before it is defined/)
    const b = new Builder()
    const x = new Var(f3)
    const o = new Var(f3)
    b.raw(addP, [x, new Lit(1, f3)], {}, [o])
    expect(() => verifyJaxpr(b.build([x], [o]))).toThrow(/input 1 is a literal of rank 1/)
    expect(() => verifyJaxpr(new Jaxpr([], [], [], [lit(2)]))).not.toThrow()
  })

  it("checks sub-programs in their own scope and names the path", () => {
    const bb = new Builder()
    const p = new Var(f3)
    const outer = new Var(f3)
    const bad = new Var(f3)
    bb.raw(addP, [p, outer], {}, [bad])
    const body = bb.build([p], [bad])
    const b = new Builder()
    const [o] = b.bind(blockP, [outer], { body })
    expect(() => verifyJaxpr(b.build([outer], [o!]))).toThrow(
      /^verifyJaxpr: in equation 0 \(passes_test_block\) params\.body: equation 0 \(b:f32\[3\] = add a \?\): input 1/
    )
  })

  it("checks a jit call's inputs against its body", () => {
    const g = jit((y: Array) => y.add(1))
    const call = makeJaxpr((x: Array) => g(x))(np.zeros([3])).jaxpr.eqns[0]!
    const b = new Builder()
    const x = new Var(aval("float32", [2]))
    b.raw(call.primitive, [x], call.params, [new Var(f3)])
    // The jit primitive's shape rule checks its program against its inputs; the verifier reports it.
    expect(() => verifyJaxpr(b.build([x], []))).toThrow(
      /shape rule of jit rejects its inputs: jit: the program takes \(f32\[3\]\) but is called on \(f32\[2\]\)/
    )
  })
})
