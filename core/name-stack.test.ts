import { describe, expect, it } from "vitest"
import { type Array, grad, jit, makeJaxpr, namedScope, np, ValueError } from "../index.js"

const f = (x: Array): Array => {
  const z = namedScope("layer1", () => {
    const y = np.sin(x)
    return namedScope("inner", () => y.mul(2))
  })
  return z.add(1)
}
const one = np.array(1, { dtype: "float32" })

describe("namedScope", () => {
  it("prints JAX's name stacks (jax.make_jaxpr(f)(1.0).jaxpr.pretty_print(name_stack=True), JAX 0.10.2)", () => {
    expect(makeJaxpr(f)(one).toString({ nameStack: true })).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    b:f32[] = sin a           # [layer1]",
        "    c:f32[] = mul b 2.0:f32[] # [layer1/inner]",
        "    d:f32[] = add c 1.0:f32[] # []",
        "  in (d,) }"
      ].join("\n")
    )
    // Without the option the program prints as before (JAX's default print has no name stacks).
    expect(makeJaxpr(f)(one).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = mul b 2.0:f32[]; d:f32[] = add c 1.0:f32[] in (d,) }"
    )
  })
  it("grad: the forward and the transposed equations keep their scopes (JAX adds jvp(...) / transpose(...) around them)", () => {
    const text = makeJaxpr(grad(f))(one).toString({ nameStack: true })
    const scopes = text
      .split("\n")
      .filter((l) => l.includes("#"))
      .map((l) => l.slice(l.indexOf("#")))
    // JAX: [jvp(layer1)] x2, [jvp(layer1)/inner], [jvp()], [transpose(jvp(layer1))/inner], [transpose(jvp(layer1))]
    expect(scopes).toEqual(["# [layer1]", "# [layer1]", "# [layer1/inner]", "# []", "# [layer1/inner]", "# [layer1]"])
  })
  it("returns f's value, leaves eager results and jit unchanged, and closes the scope when f throws", () => {
    expect(f(one).item()).toBeCloseTo(2 * Math.sin(1) + 1, 6)
    expect(jit(f)(one).item()).toBeCloseTo(2 * Math.sin(1) + 1, 6)
    expect(() =>
      namedScope("boom", () => {
        throw new Error("inside")
      })
    ).toThrow("inside")
    expect(makeJaxpr((x: Array) => np.cos(x))(one).toString({ nameStack: true })).toContain("# []")
  })
  it("a name that is not a string is a ValueError (JAX: TypeError)", () => {
    expect(() => namedScope(3 as never, () => 1)).toThrow(ValueError)
  })
})
