import { describe, expect, it } from "vitest"
import { type Array, np, ValueError } from "../index.js"

describe("Array immutability and access", () => {
  it("assignment into an array is a (tagged) ValueError that names .at(...).set(...)", () => {
    const x = np.array([1, 2, 3])
    expect(() => {
      ;(x as unknown as Record<number, number>)[0] = 123
    }).toThrow(ValueError)
    expect(() => {
      ;(x as unknown as Record<number, number>)[0] = 123
    }).toThrow(/\.at\(0\)\.set/)
    expect([...x.data()]).toEqual([1, 2, 3])
  })
  it("data() returns a copy: writing into it leaves the array unchanged", () => {
    const x = np.array([1, 2, 3])
    const d = x.data()
    d[0] = 99
    expect([...x.data()]).toEqual([1, 2, 3])
    expect(x.toString()).toBe("Array([1, 2, 3], dtype=int32)")
  })
  it("toJs, item, str, iteration and instanceof Object behave like JAX arrays in JS", () => {
    const m = np.array(
      [
        [1, 2],
        [3, 4]
      ],
      { dtype: "float32" }
    )
    expect(m.toJs()).toEqual([
      [1, 2],
      [3, 4]
    ])
    expect(np.array([true, false]).toJs()).toEqual([true, false])
    expect(np.sum(m).item()).toBe(10)
    expect(m.str()).toBe("[[1. 2.]\n [3. 4.]]")
    const [r0, r1] = m as Iterable<Array> as Array[]
    expect([...r0!.data(), ...r1!.data()]).toEqual([1, 2, 3, 4])
    expect(m instanceof Object).toBe(true)
    expect(() => [...(np.array(1) as unknown as Iterable<Array>)]).toThrow(TypeError)
  })
})
