import { afterEach, describe, expect, it } from "vitest"
import { type Array, config, grad, jit, lax, makeJaxpr, np, vjp, vmap } from "../../index.js"
import { DTypeError } from "../../core/errors.js"
import { setX64Warner } from "../../core/dtypes/x64.js"

// complex64 beyond the JAX goldens (backends/cpu/complex.golden.test.ts): vmap and jit against
// eager, float64 references for complex128, the operations JAX refuses for complex, grad's checks.
const z = (): Array =>
  np.array([
    { re: 1, im: 2 },
    { re: 3, im: -4 },
    { re: -0.5, im: 0.25 }
  ])
const values = (a: Array): number[] => [...a.data()]

describe("complex arrays", () => {
  it("store interleaved (re, im) pairs: data() gives 2n numbers, toJs() [re, im] pairs, item() refuses", () => {
    expect(values(z())).toEqual([1, 2, 3, -4, -0.5, 0.25])
    expect(z().toJs()).toEqual([
      [1, 2],
      [3, -4],
      [-0.5, 0.25]
    ])
    expect(() => np.array({ re: 1, im: 2 }).item()).toThrow(DTypeError)
    expect(np.zeros([2, 2], { dtype: "complex64" }).data()).toHaveLength(8)
  })

  it("vmap of complex elementwise programs equals the per-example loop, and jit equals eager", () => {
    const f = (a: Array) =>
      np
        .exp(a)
        .mul(np.conj(a))
        .add(np.sin(a).div(a.add(lax.complex(0, 1))))
    const xs = np.stack([z(), np.conj(z()).mul(2)])
    const batched = vmap(f)(xs)
    const looped = np.stack([f(np.take(xs, 0, { axis: 0 })), f(np.take(xs, 1, { axis: 0 }))])
    expect(values(batched)).toEqual(values(looped))
    expect(values(jit(f)(z()))).toEqual(values(f(z())))
  })

  it("complex128 (x64) computes in float64: exp and mul match double-precision references", () => {
    const w = np.array([{ re: 0.3, im: -1.1 }], { dtype: "complex128" })
    const e = np.exp(w).data()
    expect(e[0]).toBeCloseTo(Math.exp(0.3) * Math.cos(-1.1), 14)
    expect(e[1]).toBeCloseTo(Math.exp(0.3) * Math.sin(-1.1), 14)
    expect(np.exp(w).dtype).toBe("complex128")
  })

  it("with x64 off a complex128 request gives complex64 with JAX's warning", () => {
    const warnings: string[] = []
    const restore = setX64Warner((m) => warnings.push(m))
    config.update("jax_enable_x64", false)
    try {
      expect(np.zeros([2], { dtype: "complex128" }).dtype).toBe("complex64")
      expect(warnings.join("\n")).toMatch(/Explicitly requested dtype complex128 requested in zeros is not available, and will be truncated to dtype complex64/)
    } finally {
      config.update("jax_enable_x64", true)
      setX64Warner(restore)
    }
  })

  it("astype complex -> real drops the imaginary part with JAX's DeprecationWarning", () => {
    const warnings: string[] = []
    const restore = setX64Warner((m, c) => warnings.push(`${c}: ${m}`))
    try {
      expect(values(z().astype("float32"))).toEqual([1, 3, -0.5])
    } finally {
      setX64Warner(restore)
    }
    expect(warnings.join("\n")).toMatch(/^DeprecationWarning: Casting from complex to real dtypes will soon raise a ValueError/)
  })

  it("refuses what has no complex meaning (lax.lt, floor, rem, argmax, clip, topK, partition, median) with a DTypeError, as JAX", () => {
    for (const f of [
      () => lax.lt(z(), z()),
      () => lax.gt(z(), z()),
      () => lax.floor(z()),
      () => lax.rem(z(), z()),
      () => np.argmax(z()),
      () => np.argmin(z()),
      () => np.clip(z(), 0, 1),
      () => lax.topK(z(), 2),
      () => np.partition(z(), 1),
      () => np.median(z())
    ]) {
      expect(f).toThrow(DTypeError)
    }
    expect(() => lax.floor(z())).toThrow(/no meaning for complex numbers/)
    expect(() => np.argmax(z())).toThrow(/as in JAX/)
  })

  it("grad: complex outputs need holomorphic (JAX's message); holomorphic needs complex inputs; vjp works", () => {
    const s = np.array({ re: 3, im: 4 })
    expect(() => grad((a: Array) => a.mul(a))(s)).toThrow(/requires real-valued outputs.*holomorphic: true/)
    expect(() => grad((a: Array) => a.mul(a), { holomorphic: true })(np.array(1.5))).toThrow(/holomorphic: true requires inputs with complex dtype/)
    const [, back] = vjp((a: Array) => a.mul(a), s)
    expect(values(back(np.array({ re: 1, im: 0 }))[0])).toEqual([6, 8])
  })

  it("jaxprs show complex types", () => {
    expect(makeJaxpr((a: Array) => np.real(a.mul(a)))(z()).toString({ compact: true })).toBe(
      "{ lambda ; a:c64[3]. let b:c64[3] = mul a a; c:f32[3] = real b in (c,) }"
    )
  })
})

afterEach(() => {
  config.update("jax_enable_x64", true)
})
