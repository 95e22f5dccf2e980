/**
 * Eager operations compile one program per signature, and some signatures carry a user's value
 * (integer_pow's exponent): the eager cache and the kernel cache keep the most recently used ones,
 * so a program that sweeps exponents does not grow them without bound (issue 10, item 13).
 */
import { describe, expect, it } from "vitest"
import { config, lax, np } from "../../index.js"
import { EAGER_CACHE_SIZE, eagerCacheSize } from "../../core/devices/eager.js"
import { kernelCacheSize } from "./compile/executable.js"

// These tests count what the calling thread's CPU compiler builds: run on device 0 whatever the default device.
config.update("jaxDefaultDevice", 0)

describe("eager programs and their kernels", () => {
  it("stay bounded however many exponents integer_pow sees, and every power is still right", () => {
    const x = np.array([-1, 1, 2, 0.5], { dtype: "float64" })
    for (let y = 2; y <= 1201; y++) {
      const got = [...lax.integerPow(x, y).data()]
      const want = [-1, 1, 2, 0.5].map((b) => Math.pow(b, y)) // powers of two and of -1: exact in float64
      if (got.some((g, i) => !Object.is(g, want[i]))) expect(got, `y = ${y}`).toEqual(want)
    }
    expect(kernelCacheSize()).toBeLessThanOrEqual(1024)
    expect(kernelCacheSize()).toBeGreaterThan(1000) // the sweep did fill the cache (the bound is what held it)
    expect(eagerCacheSize()).toBeLessThanOrEqual(EAGER_CACHE_SIZE)
    expect([...lax.integerPow(x, 3).data()]).toEqual([-1, 1, 8, 0.125])
  })
})
