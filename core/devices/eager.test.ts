/**
 * The eager program cache: a loop of one operation skips building its key (the last program of
 * each primitive is remembered with the input avals it ran on), without ever answering with the
 * program of other params or of a program the cache has dropped.
 */
import { describe, expect, it } from "vitest"
import { lax, np } from "../../index.js"
import { Primitive } from "../primitive.js"
import type { ArrayImpl } from "../array.js"
import { sinP } from "../primitives/elementwise.js"
import { clearEagerCache, eagerCacheSize, runEager } from "./eager.js"
import type { Device } from "./device.js"
import type { Jaxpr } from "../jaxpr.js"

describe("the eager program cache", () => {
  it("a chain of adds reuses one program, and its results are right", () => {
    const one = np.asarray([1, 1, 1, 1], { dtype: "float32" })
    let z = np.asarray([1, 2, 3, 4], { dtype: "float32" })
    z = z.add(one)
    const n = eagerCacheSize()
    for (let i = 0; i < 100; i++) z = z.add(one)
    expect(eagerCacheSize()).toBe(n)
    expect(Array.from(z.data())).toEqual([102, 103, 104, 105])
    // the result of an add keeps its input's aval object (its cache key is computed once)
    expect(z.add(one).aval).toBe(z.aval)
  })

  it("the same inputs with other params run the other program", () => {
    const x = np.arange(6, { dtype: "float32" }).reshape([2, 3])
    const rows = lax.reduceSum(x, [1])
    const cols = lax.reduceSum(x, [0])
    const all = lax.reduceSum(x, [0, 1])
    expect(Array.from(rows.data())).toEqual([3, 12])
    expect(Array.from(cols.data())).toEqual([3, 5, 7])
    expect(Array.from(all.data())).toEqual([15])
    expect(Array.from(lax.reduceSum(x, [1]).data())).toEqual([3, 12])
  })

  it("after the cache is cleared (its programs released) the operation compiles again, not through the last-use memo", () => {
    const one = np.ones([3], { dtype: "float32" })
    let z = np.zeros([3], { dtype: "float32" })
    z = z.add(one)
    clearEagerCache()
    expect(eagerCacheSize()).toBe(0)
    z = z.add(one).add(one)
    expect(eagerCacheSize()).toBe(1)
    expect(Array.from(z.data())).toEqual([3, 3, 3])
  })

  it("a primitive's program is its own: an unregistered copy sharing its name neither gets nor gives a program", () => {
    // A device whose backend records the primitive of each program it compiles.
    const compiled: Primitive[] = []
    const backend = {
      compile: (j: Jaxpr) => {
        compiled.push(j.eqns[0]!.primitive)
        return () => []
      },
      releaseProgram: () => undefined
    }
    const device = { backend } as unknown as Device
    const x = np.asarray([0.5, 1, 2], { dtype: "float32" }) as unknown as ArrayImpl
    // a copy named "sin" (Primitive's constructor does not register it)
    const real = sinP as unknown as Primitive
    const copy = new Primitive(real.name, real.shapeRule)
    clearEagerCache()
    for (const p of [copy, real, copy, real]) runEager(device, p, {}, [x], [x.aval])
    expect(compiled.length).toBe(2)
    expect(compiled[0]).toBe(copy)
    expect(compiled[1]).toBe(real)
    clearEagerCache()
  })
})
