import { describe, expect, it } from "vitest"
import { type Array, grad, jvp, makeJaxpr, np, vjp } from "../../index.js"

const f32 = (xs: ReadonlyArray<number>): Array => np.asarray(xs, { dtype: "float32" })

// What JAX prints for jax.make_jaxpr(jax.grad(lambda x: jnp.sum(x * w)))(x) (w a captured f32[3]):
//   { lambda a:f32[3]; b:f32[3]. let c = mul b a; _ = reduce_sum[axes=(0,)] c;
//       d:f32[3] = broadcast_in_dim[broadcast_dimensions=() shape=(3,)] 1.0:f32[]; e = mul d a in (e,) }
// jaxfx prints the same equations (its printer names the unused sum `d` where JAX writes `_`).
describe("jvp rules skip symbolic zero tangents", () => {
  const w = f32([1, 2, 3])
  const x = f32([4, 5, 6])

  it("grad(x => sum(x * w)) has no zeros constant and no multiply by zero (JAX's jaxpr)", () => {
    const text = makeJaxpr(grad((x: Array) => np.sum(x.mul(w))))(x).toString({ compact: true })
    expect(text).toBe(
      "{ lambda a:f32[3]; b:f32[3]. let c:f32[3] = mul b a; d:f32[] = reduce_sum[axes=(0,)] c; " +
        "e:f32[3] = broadcast_in_dim[broadcast_dimensions=() shape=(3,)] 1.0:f32[]; f:f32[3] = mul e a in (f,) }"
    )
    expect([...grad((x: Array) => np.sum(x.mul(w)))(x).data()]).toEqual([1, 2, 3])
  })

  it("a sum of a linear and a bilinear term adds only the tangents that flow (JAX: add_any e f)", () => {
    const text = makeJaxpr(grad((x: Array) => np.sum(x.mul(w).add(x))))(x).toString({ compact: true })
    expect(text).toBe(
      "{ lambda a:f32[3]; b:f32[3]. let c:f32[3] = mul b a; d:f32[3] = add c b; e:f32[] = reduce_sum[axes=(0,)] d; " +
        "f:f32[3] = broadcast_in_dim[broadcast_dimensions=() shape=(3,)] 1.0:f32[]; g:f32[3] = mul f a; h:f32[3] = add f g in (h,) }"
    )
    expect([...grad((x: Array) => np.sum(x.mul(w).add(x)))(x).data()]).toEqual([2, 3, 4])
  })

  it("jvp with a constant operand: the tangent program has no zeros and the values are exact", () => {
    // d/dx (x / w - w * x) = 1/w - w, per element
    const f = (x: Array) => x.div(w).sub(w.mul(x))
    const text = makeJaxpr((x: Array, t: Array) => jvp(f, [x], [t])[1])(x, x).toString({ compact: true })
    expect(text).not.toMatch(/0\.0:f32/)
    // JAX's jaxpr for the same function has these six equations (and no more).
    expect(text.match(/ = (\w+)/g)!.map((s) => s.slice(3))).toEqual(["div", "div", "mul", "mul", "sub", "sub"])
    const [, t] = jvp(f, [x], [f32([1, 1, 1])])
    expect([...t.data()]).toEqual([1, 2, 3].map((wi) => Math.fround(Math.fround(1 / wi) - wi)))
  })

  it("select with one differentiated case: the other case's tangent is a scalar literal, not a zeros array", () => {
    const f = (x: Array) => np.where(x.gt(5), x, w)
    const text = makeJaxpr((x: Array) => vjp(f, x)[1](np.onesLike(x)))(x).toString({ compact: true })
    // Constants: w and the ones; JAX broadcasts a zeros array here (broadcast_in_dim 0.0), jaxfx keeps the literal.
    expect(text).toBe(
      "{ lambda a:f32[3] b:f32[3]; c:f32[3]. let d:bool[3] = gt c 5.0:f32[]; e:f32[3] = select_n d a c; f:f32[3] = select_n d 0.0:f32[] b in (f,) }"
    )
    const [, back] = vjp(f, x)
    expect([...back(f32([1, 1, 1]))[0]!.data()]).toEqual([0, 0, 1])
  })
})
