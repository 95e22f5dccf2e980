/** disableJit (jax.disable_jit) and clearCaches (jax.clear_caches). */
import { describe, expect, it } from "vitest"
import { type Array, clearCaches, ConcretizationError, disableJit, jit, np } from "../../index.js"
import { eagerCacheSize } from "../devices/eager.js"

describe("disableJit", () => {
  it("runs jitted functions on concrete values, with the same results, and restores jit afterwards", () => {
    const seen: number[] = []
    const f = jit((x: Array) => {
      seen.push(x.sum().item()) // concrete only without jit
      return x.mul(2)
    })
    const x = np.asarray([1, 2, 3], { dtype: "float32" })
    expect(() => f(x)).toThrow(ConcretizationError)
    const y = disableJit(() => f(x))
    expect([...y.data()]).toEqual([2, 4, 6])
    expect(seen).toEqual([6])
    expect(f.cache.traces).toBe(0)
    // nested, and restored even when the body throws
    expect(() =>
      disableJit(() =>
        disableJit(() => {
          throw new Error("inner")
        })
      )
    ).toThrow("inner")
    expect(() => f(x)).toThrow(ConcretizationError)
  })
})

describe("clearCaches", () => {
  it("drops every jitted function's programs and the eager programs", () => {
    const f = jit((x: Array) => x.add(1))
    const g = jit((x: Array) => x.mul(3))
    const x = np.ones([2])
    f(x)
    g(x)
    x.add(x)
    expect(eagerCacheSize()).toBeGreaterThan(0)
    clearCaches()
    expect(eagerCacheSize()).toBe(0)
    expect(f.cache.size).toBe(0)
    expect(g.cache.size).toBe(0)
    expect([...f(x).data()]).toEqual([2, 2])
    expect(f.cache.traces).toBe(2)
  })
})
