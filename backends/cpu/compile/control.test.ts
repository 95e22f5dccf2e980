import { describe, expect, it } from "vitest"
import { type Array, jit, lax, np } from "../../../index.js"

/** Host reference of a loop: run `body` on plain numbers while `cond` holds. */
const hostLoop = <S>(cond: (s: S) => boolean, body: (s: S) => S, s: S): S => {
  while (cond(s)) s = body(s)
  return s
}

describe("compiled whileLoop (sub-programs write into the loop's own buffers)", () => {
  it("a scalar counter matches the host loop, eagerly and under jit, and leaves its input alone", () => {
    const w = (c: Array) =>
      lax.whileLoop(
        (c: Array) => c.lt(1000),
        (c: Array) => c.add(3),
        c
      )
    const x = np.array(1)
    expect(jit(w)(x).item()).toBe(
      hostLoop(
        (c) => c < 1000,
        (c) => c + 3,
        1
      )
    )
    expect(w(x).item()).toBe(1000)
    expect(x.item()).toBe(1)
  })
  it("zero iterations return the input's values", () => {
    const w = jit((c: Array) =>
      lax.whileLoop(
        (c: Array) => c.lt(0),
        (c: Array) => c.add(1),
        c
      )
    )
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
    const [i, a, b, k, z] = w(
      np.array(0),
      np.asarray([1, 2], { dtype: "float32" }),
      np.asarray([10, 20], { dtype: "float32" }),
      np.asarray([100, 200], { dtype: "float32" })
    )
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
    const m = np.asarray(
      [
        [0, 1],
        [1, 1]
      ],
      { dtype: "float32" }
    )
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
    const w = jit((c: Array) =>
      lax.whileLoop(
        (c: Array) => c.lt(4),
        (c: Array) => c.add(1),
        c
      )
    )
    const r1 = w(np.array(0))
    const r2 = w(np.array(2))
    expect([r1.item(), r2.item()]).toEqual([4, 4])
    expect(r1.data()).not.toBe(r2.data())
  })
})

describe("compiled scan (the body writes its carry into the loop's buffers and its outputs into rows of ys)", () => {
  const xsHost = [
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 8]
  ]
  /** (a, b) -> (b, a + x), y = (x row, a * 2): carries swap, a y is a row of xs, a y is computed. */
  const step = (c: readonly [Array, Array], x: Array): [readonly [Array, Array], readonly [Array, Array]] => [
    [c[1], c[0].add(x)],
    [x, c[0].mul(2)]
  ]
  const hostStep = (c: number[][], x: number[]): [number[][], number[][]] => [
    [c[1]!, c[0]!.map((v, j) => v + x[j]!)],
    [x, c[0]!.map((v) => v * 2)]
  ]
  for (const reverse of [false, true]) {
    it(`matches the host loop${reverse ? " in reverse" : ""}, eagerly and under jit`, () => {
      let c = [
        [0, 0],
        [10, 20]
      ]
      const ys: number[][][] = [[], []]
      const order = reverse ? [3, 2, 1, 0] : [0, 1, 2, 3]
      for (const t of order) {
        const [nc, y] = hostStep(c, xsHost[t]!)
        c = nc
        ys[0]![t] = y[0]!
        ys[1]![t] = y[1]!
      }
      const f = (a: Array, b: Array, xs: Array) => lax.scan(step, [a, b] as const, xs, { reverse })
      const xs = np.asarray(xsHost, { dtype: "float32" })
      const a0 = np.asarray([0, 0], { dtype: "float32" })
      const b0 = np.asarray([10, 20], { dtype: "float32" })
      for (const g of [f, jit(f)]) {
        const [[a, b], [y0, y1]] = g(a0, b0, xs)
        expect([...a.data()]).toEqual(c[0])
        expect([...b.data()]).toEqual(c[1])
        expect([...y0.data()]).toEqual(ys[0]!.flat())
        expect([...y1.data()]).toEqual(ys[1]!.flat())
      }
      expect([...xs.data()]).toEqual(xsHost.flat())
      expect([...a0.data()]).toEqual([0, 0])
    })
  }
  it("a zero-length scan returns the initial carry and empty outputs", () => {
    const f = jit((a: Array, xs: Array) => lax.scan((c: Array, x: Array) => [c.add(x), x] as const, a, xs))
    const [c, ys] = f(np.asarray([1, 2], { dtype: "float32" }), np.zeros([0, 2], { dtype: "float32" }))
    expect([...c.data()]).toEqual([1, 2])
    expect(ys.shape).toEqual([0, 2])
  })
})
