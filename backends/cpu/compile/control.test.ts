import { describe, expect, it } from "vitest"
import { type Array, jit, lax, np } from "../../../index.js"

/** Host reference of a loop: run `body` on plain numbers while `cond` holds. */
const hostLoop = <S>(cond: (s: S) => boolean, body: (s: S) => S, s: S): S => {
  while (cond(s)) s = body(s)
  return s
}

describe("compiled whileLoop (sub-programs write into the loop's own buffers)", () => {
  it("a scalar counter matches the host loop, eagerly and under jit, and leaves its input alone", () => {
    const w = (c: Array) => lax.whileLoop((c: Array) => c.lt(1000), (c: Array) => c.add(3), c)
    const x = np.array(1)
    expect(jit(w)(x).item()).toBe(hostLoop((c) => c < 1000, (c) => c + 3, 1))
    expect(w(x).item()).toBe(1000)
    expect(x.item()).toBe(1)
  })
  it("zero iterations return the input's values", () => {
    const w = jit((c: Array) => lax.whileLoop((c: Array) => c.lt(0), (c: Array) => c.add(1), c))
    expect(w(np.array(5)).item()).toBe(5)
  })
  it("carries passed through, swapped, repeated and made of literals keep their values per iteration", () => {
    // (i, a, b, k, z): i counts, a and b swap, k passes through, z is a literal each time.
    type S = readonly [Array, Array, Array, Array, Array]
    const w = jit((i: Array, a: Array, b: Array, k: Array) =>
      lax.whileLoop(
        (s: S) => s[0].lt(7),
        (s: S) => [s[0].add(1), s[2], s[1].add(s[3]), s[3], np.zeros([2], { dtype: "float32" })] as const,
        [i, a, b, k, np.ones([2], { dtype: "float32" })] as const
      )
    )
    const [i, a, b, k, z] = w(np.array(0), np.asarray([1, 2], { dtype: "float32" }), np.asarray([10, 20], { dtype: "float32" }), np.asarray([100, 200], { dtype: "float32" }))
    const ref = hostLoop(
      (s: number[][]) => s[0]![0]! < 7,
      (s) => [[s[0]![0]! + 1], s[2]!, s[1]!.map((v, j) => v + s[3]![j]!), s[3]!],
      [[0], [1, 2], [10, 20], [100, 200]]
    )
    expect(i!.item()).toBe(ref[0]![0])
    expect([...a!.data()]).toEqual(ref[1])
    expect([...b!.data()]).toEqual(ref[2])
    expect([...k!.data()]).toEqual(ref[3])
    expect([...z!.data()]).toEqual([0, 0])
  })
  it("a body with a call step (a matrix product) and a carry that is the body's twice-returned value", () => {
    type S = readonly [Array, Array, Array]
    const m = np.asarray([[0, 1], [1, 1]], { dtype: "float32" })
    const w = jit((v: Array) =>
      lax.whileLoop(
        (s: S) => s[0].lt(10),
        (s: S) => {
          const nv = np.matmul(m, s[1])
          return [s[0].add(1), nv, nv] as const
        },
        [np.array(0), v, v] as const
      )
    )
    const [, v, u] = w(np.asarray([0, 1], { dtype: "float32" }))
    // Fibonacci: [F(10), F(11)].
    expect([...v!.data()]).toEqual([55, 89])
    expect([...u!.data()]).toEqual([55, 89])
  })
  it("results of separate calls are separate arrays", () => {
    const w = jit((c: Array) => lax.whileLoop((c: Array) => c.lt(4), (c: Array) => c.add(1), c))
    const r1 = w(np.array(0))
    const r2 = w(np.array(2))
    expect([r1.item(), r2.item()]).toEqual([4, 4])
    expect(r1.data()).not.toBe(r2.data())
  })
})
