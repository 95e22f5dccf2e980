/**
 * Complex corner cases against JAX 0.10.2 (golden/complex_corners.py): np.fmax / np.fmin on complex
 * operands (lexicographic; NaN in either part ignored), np.logaddexp and lax.cumlogsumexp on complex
 * operands, and max / min reductions where JAX's answer does not depend on XLA's reduction order.
 * With a NaN real part JAX's complex max / min reductions are order-dependent (the generator asserts
 * jnp.max([nan, 1]) = 1 but jnp.max([1, nan]) = nan); jaxfx propagates NaN there.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, loadGolden } from "../../golden/load.js"
import { type Array, type DType, jit, lax, np } from "../../index.js"

interface Case {
  readonly id: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: GoldenArray
}
const golden = loadGolden<Case>("complex_corners").cases
const isPair = (v: unknown): v is readonly [number, number] => globalThis.Array.isArray(v)
const arr = (g: GoldenArray): Array => {
  const values = g.data.map((v) => (isPair(v) ? { re: v[0], im: v[1] } : typeof v === "boolean" ? (v ? 1 : 0) : v))
  const a = np.array(values, { dtype: g.dtype as DType })
  return g.shape.length === 0 ? a.reshape([]) : a.reshape([...g.shape])
}
const flat = (g: GoldenArray): number[] => g.data.flatMap((v) => (isPair(v) ? [v[0], v[1]] : [Number(v)]))
const near = (got: number, want: number, tol: number): boolean =>
  Number.isNaN(want) ? Number.isNaN(got) : !Number.isFinite(want) ? got === want : Math.abs(got - want) <= tol * Math.max(1, Math.abs(want))

const ops: Record<string, readonly [(...xs: Array[]) => Array, number]> = {
  fmax: [(a, b) => np.fmax(a, b!), 0],
  "fmax swapped": [(a, b) => np.fmax(a, b!), 0],
  fmin: [(a, b) => np.fmin(a, b!), 0],
  "fmin swapped": [(a, b) => np.fmin(a, b!), 0],
  maximum: [(a, b) => np.maximum(a, b!), 0],
  minimum: [(a, b) => np.minimum(a, b!), 0],
  logaddexp: [(a, b) => np.logaddexp(a, b!), 2e-6],
  "cumlogsumexp axis 0": [(a) => lax.cumlogsumexp(a, 0), 2e-6],
  "cumlogsumexp axis 1 reverse": [(a) => lax.cumlogsumexp(a, 1, true), 2e-6],
  "max ties": [(a) => np.max(a, { axis: 1 }), 0],
  "min ties": [(a) => np.min(a, { axis: 1 }), 0],
  "max nan imag not extreme": [(a) => np.max(a), 0],
  "min nan imag at the min": [(a) => np.min(a), 0]
}

describe("complex corner cases equal JAX's", () => {
  it("every golden case has an op and every op a case", () => expect(golden.map((c) => c.id).sort()).toEqual(Object.keys(ops).sort()))
  for (const c of golden) {
    it(c.id, () => {
      const [f, tol] = ops[c.id]!
      const args = c.args.map(arr)
      for (const [how, out] of [
        ["eager", f(...args)],
        ["jit", jit((...xs: Array[]) => f(...xs))(...args)]
      ] as const) {
        expect(out.dtype, `${c.id} ${how}`).toBe(c.out.dtype)
        expect(out.shape, `${c.id} ${how}`).toEqual(c.out.shape)
        const got = [...out.data()].map(Number)
        const want = flat(c.out)
        const bad = got.findIndex((v, i) => !near(v, want[i]!, tol))
        expect(bad, `${c.id} ${how}: element ${bad} is ${got[bad]}, JAX ${want[bad]}`).toBe(-1)
      }
    })
  }
  it("a NaN real part: jaxfx's complex max / min give NaN + NaN i (JAX's answer depends on the reduction order)", () => {
    for (const order of [
      [NaN, 1],
      [1, NaN]
    ]) {
      const z = lax.complex(np.array(order, { dtype: "float32" }), np.zeros([2]))
      const [re, im] = [...np.max(z).data()]
      expect([Number.isNaN(re), Number.isNaN(im)]).toEqual([true, true])
    }
  })
})
