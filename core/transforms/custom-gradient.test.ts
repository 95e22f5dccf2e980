import { describe, expect, it } from "vitest"
import { type Array, customGradient, grad, jacobian, jacrev, jit, jvp, nn, np, ValueError, vmap } from "../../index.js"

const f32 = (v: Parameters<typeof np.asarray>[0]) => np.asarray(v, { dtype: "float32" })
const close = (a: Array, b: ReadonlyArray<number>) => [...a.data()].forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 4))

// References: JAX 0.10.2 (jax.custom_gradient), values printed by the snippet in each comment.
describe("customGradient", () => {
  // @jax.custom_gradient def f(x): return x ** 2, lambda g: (g * x,)
  const f = customGradient((x: Array) => [x.pow(2), (g: Array) => [g.mul(x)]])
  it("grad uses the given vjp; grad of grad and jvp of grad differentiate the vjp itself, as JAX", () => {
    expect(f(f32(3)).item()).toBe(9)
    expect(grad(f)(f32(3)).item()).toBe(3) // jax.grad(f)(3.) = 3.0
    expect(grad(grad(f))(f32(3)).item()).toBe(1) // 1.0
    const [p, t] = jvp(grad(f), [f32(3)], [f32(1)]) // (3.0, 1.0)
    expect([p.item(), t.item()]).toEqual([3, 1])
    expect([...vmap(grad(f))(f32([1, 2])).data()]).toEqual([1, 2]) // [1. 2.]
    expect(jit(grad(f))(f32(3)).item()).toBe(3)
  })
  it("a single cotangent stands for the one-tuple of a one-argument function; NaN-free where autodiff is not", () => {
    const softplus = customGradient((x: Array) => [np.log1p(np.exp(x)), (g: Array) => g.mul(nn.sigmoid(x))])
    expect(grad(softplus)(f32(100)).item()).toBe(1)
    expect(Number.isNaN(grad((x: Array) => np.log1p(np.exp(x)))(f32(100)).item())).toBe(true)
  })
  it("pytree outputs and several arguments, under grad and jit (JAX: ([21.551651, 34.20907], [1.4794255, 6.8414707]))", () => {
    const h = customGradient((x: Array, y: Array) => {
      const s = np.sin(x).mul(y)
      return [{ a: s, b: x.mul(y) }, (g: { a: Array; b: Array }) => [g.a.mul(np.cos(x)).mul(y).mul(10).add(g.b.mul(y)), g.a.mul(np.sin(x)).add(g.b.mul(x))]]
    })
    const x = f32([0.5, 1])
    const y = f32([2, 3])
    const loss = (x: Array, y: Array) => {
      const o = h(x, y)
      return np.sum(o.a).add(np.sum(o.b.pow(2)))
    }
    const [gx, gy] = grad(loss, { argnums: [0, 1] })(x, y)
    close(gx, [21.551651, 34.20907])
    close(gy, [1.4794255, 6.8414707])
    // jax.jit(jax.grad(lambda x, y: jnp.sum(h(x, y)['a'])))(x, y) = [17.551651 16.209068]
    close(jit(grad((x: Array, y: Array) => np.sum(h(x, y).a)))(x, y), [17.551651, 16.209068])
  })
  it("forward mode of the function itself is refused (JAX: can't apply forward-mode autodiff to a custom_vjp function)", () => {
    expect(() => jvp(f, [f32(3)], [f32(1)])).toThrow(/forward-mode/)
  })
  it("a function that does not return [value, vjp] is a ValueError", () => {
    const bad = customGradient(((x: Array) => x) as never)
    expect(() => bad(f32(1))).toThrow(ValueError)
  })
})

describe("jacobian", () => {
  it("is jacrev (jax.jacobian is jax.jacrev), under its own name in errors", () => {
    const g = (x: Array) => np.sin(x).mul(x)
    const x = f32([0.5, 1, 2])
    expect([...jacobian(g)(x).data()]).toEqual([...jacrev(g)(x).data()])
    expect(() => jacobian(g, { argnum: 0 } as never)).toThrow(/jacobian: unknown option/)
  })
})
