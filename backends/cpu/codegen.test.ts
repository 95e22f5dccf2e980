/**
 * The eager backend's generated kernels are cached per key, and some keys carry a user's value
 * (integer_pow's exponent): the cache keeps the most recently used ones, so a program that sweeps
 * exponents does not grow it without bound (issue 10, item 13).
 */
import { describe, expect, it } from "vitest"
import { lax, np } from "../../index.js"
import { compiledCount } from "./codegen.js"

describe("generated eager kernels", () => {
  it("stay at most 1024 however many exponents integer_pow sees, and every power is still right", () => {
    const x = np.array([-1, 1, 2, 0.5], { dtype: "float64" })
    for (let y = 2; y <= 1201; y++) {
      const got = [...lax.integerPow(x, y).data()]
      const want = [-1, 1, 2, 0.5].map((b) => Math.pow(b, y)) // powers of two and of -1: exact in float64
      if (got.some((g, i) => !Object.is(g, want[i]))) expect(got, `y = ${y}`).toEqual(want)
    }
    expect(compiledCount()).toBeLessThanOrEqual(1024)
    expect(compiledCount()).toBeGreaterThan(1000) // the sweep did fill the cache (the bound is what held it)
    expect([...lax.integerPow(x, 3).data()]).toEqual([-1, 1, 8, 0.125])
  })
})
