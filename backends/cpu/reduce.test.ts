import { describe, expect, it } from "vitest"
import type { DType } from "../../core/dtype.js"
import { arr, list, randomF32, ravel, rng, run, same, sizeOf, unravel } from "./test-helpers.js"

/** Naive reduction: visit every element, combine into its output slot in index order (doubles). */
const refReduce = (
  x: ArrayLike<number>,
  shape: number[],
  axes: number[],
  init: number,
  f: (acc: number, v: number) => number
): { out: number[]; shape: number[] } => {
  const outShape = shape.filter((_, i) => !axes.includes(i))
  const out = new Array<number>(sizeOf(outShape)).fill(init)
  for (let i = 0; i < sizeOf(shape); i++) {
    const idx = unravel(i, shape)
    const o = ravel(
      idx.filter((_, d) => !axes.includes(d)),
      outShape
    )
    out[o] = f(out[o]!, x[i]!)
  }
  return { out, shape: outShape }
}

const subsets = (n: number): number[][] => {
  const out: number[][] = []
  for (let m = 1; m < 1 << n; m++) out.push(Array.from({ length: n }, (_, i) => i).filter((i) => (m >> i) & 1))
  return out
}

describe("reduce_sum / max / min / prod over every axis set", () => {
  const shape = [2, 3, 4, 5]
  const x = randomF32(sizeOf(shape), 3, -2, 2)
  for (const axes of subsets(4)) {
    it(`axes [${axes.join(",")}] of [2,3,4,5]`, () => {
      const input = arr("float32", shape, x)
      const sum = refReduce(x, shape, axes, 0, (a, v) => a + v)
      expect(list(run("reduce_sum", [input], { axes }, sum.shape, "float32"))).toEqual(sum.out.map(Math.fround))
      const max = refReduce(x, shape, axes, -Infinity, Math.max)
      expect(list(run("reduce_max", [input], { axes }, max.shape, "float32"))).toEqual(max.out)
      const min = refReduce(x, shape, axes, Infinity, Math.min)
      expect(list(run("reduce_min", [input], { axes }, min.shape, "float32"))).toEqual(min.out)
      const prod = refReduce(x, shape, axes, 1, (a, v) => a * v)
      const got = run("reduce_prod", [input], { axes }, prod.shape, "float32")
      prod.out.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThanOrEqual(Math.abs(v) * 1.2e-7))
    })
  }

  it("size-1 and empty axes", () => {
    const x1 = arr("float32", [3, 1], [1, 2, 3])
    expect(run("reduce_sum", [x1], { axes: [1] }, [3], "float32")).toBe(x1.buffer)
    const e = arr("float32", [2, 0], [])
    expect(list(run("reduce_sum", [e], { axes: [1] }, [2], "float32"))).toEqual([0, 0])
    expect(list(run("reduce_prod", [e], { axes: [1] }, [2], "float32"))).toEqual([1, 1])
    expect(list(run("reduce_max", [e], { axes: [1] }, [2], "float32"))).toEqual([-Infinity, -Infinity])
    expect(list(run("reduce_min", [arr("int32", [0], [])], { axes: [0] }, [], "int32"))).toEqual([2147483647])
    expect(list(run("reduce_max", [arr("uint32", [0], [])], { axes: [0] }, [], "uint32"))).toEqual([0])
  })

  it("max/min propagate NaN; bool max/min are any/all; ints wrap", () => {
    const x = arr("float32", [2, 3], [1, NaN, 3, -Infinity, -5, 2])
    expect(list(run("reduce_max", [x], { axes: [1] }, [2], "float32"))).toEqual([NaN, 2])
    expect(list(run("reduce_min", [x], { axes: [0] }, [3], "float32"))).toEqual([-Infinity, NaN, 2])
    const b = arr("bool", [2, 3], [0, 1, 0, 1, 1, 1])
    expect(list(run("reduce_max", [b], { axes: [1] }, [2], "bool"))).toEqual([1, 1])
    expect(list(run("reduce_min", [b], { axes: [1] }, [2], "bool"))).toEqual([0, 1])
    const i = arr("int32", [3], [2147483647, 1, 1])
    expect(list(run("reduce_sum", [i], { axes: [0] }, [], "int32"))).toEqual([-2147483647])
    const mid = arr("int32", [1, 3, 2], [2147483647, 0, 1, 0, 1, 5])
    expect(list(run("reduce_sum", [mid], { axes: [1] }, [1, 2], "int32"))).toEqual([-2147483647, 5])
    expect(list(run("reduce_prod", [arr("int32", [2], [65536, 65536])], { axes: [0] }, [], "int32"))).toEqual([0])
    expect(list(run("reduce_sum", [arr("uint32", [2], [4294967295, 2])], { axes: [0] }, [], "uint32"))).toEqual([1])
    expect(list(run("reduce_max", [arr("uint32", [2], [4294967295, 2])], { axes: [0] }, [], "uint32"))).toEqual([4294967295])
  })
})

describe("summation accuracy", () => {
  it("sums 1e7 float32 values to the float32 rounding of the exact sum", () => {
    const n = 10_000_000
    const r = rng(2024)
    const x = new Float32Array(n)
    for (let i = 0; i < n; i++) x[i] = r()
    // Exact reference: Neumaier-compensated double sum of the float32 values (error ~1e-16 relative).
    let s = 0
    let c = 0
    for (let i = 0; i < n; i++) {
      const v = x[i]!
      const t = s + v
      c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s
      s = t
    }
    const exact = Math.fround(s + c)
    const got = run("reduce_sum", [arr("float32", [n], x)], { axes: [0] }, [], "float32")
    expect(got[0]).toBe(exact)
    // A float32 running sum (rounding after every add) is off by hundreds of float32 ulps.
    let naive = 0
    for (let i = 0; i < n; i++) naive = Math.fround(naive + x[i]!)
    const ulp = 2 ** (Math.floor(Math.log2(exact)) - 23)
    expect(Math.abs(naive - exact) / ulp).toBeGreaterThan(100)
  })

  it("float64 sums are pairwise", () => {
    const n = 1_000_000
    const x = new Float64Array(n).fill(0.1)
    let seq = 0
    for (let i = 0; i < n; i++) seq += 0.1
    const got = run("reduce_sum", [arr("float64", [n], x)], { axes: [0] }, [], "float64")[0]!
    expect(Math.abs(got - 100000)).toBeLessThan(1e-9)
    expect(Math.abs(seq - 100000)).toBeGreaterThan(1e-7) // what a running sum would give
    // the same over a leading axis ([R, B] layout)
    const y = new Float64Array(n).fill(0.1)
    const cols = run("reduce_sum", [arr("float64", [n / 4, 4], y)], { axes: [0] }, [4], "float64")
    for (const v of cols) expect(Math.abs(v - 25000)).toBeLessThan(1e-9)
  })
})

describe("argmax / argmin", () => {
  it("first index of the extreme, ties keep the first, NaN wins", () => {
    const x = arr("float32", [4, 3], [1, 5, 5, 7, 7, 2, NaN, 0, NaN, 3, -1, 9])
    expect(list(run("argmax", [x], { axis: 1, indexDtype: "int32" }, [4], "int32"))).toEqual([1, 0, 0, 2])
    expect(list(run("argmin", [x], { axis: 1, indexDtype: "int32" }, [4], "int32"))).toEqual([0, 2, 0, 1])
    expect(list(run("argmax", [x], { axis: 0, indexDtype: "int32" }, [3], "int32"))).toEqual([2, 1, 2])
    expect(list(run("argmin", [x], { axis: 0, indexDtype: "int32" }, [3], "int32"))).toEqual([2, 3, 2])
    const i = arr("int32", [2, 2, 2], [3, 3, 1, 4, 2, 2, 2, 0])
    expect(list(run("argmax", [i], { axis: 1, indexDtype: "int32" }, [2, 2], "int32"))).toEqual([0, 1, 0, 0])
    expect(list(run("argmin", [i], { axis: 2, indexDtype: "int32" }, [2, 2], "int32"))).toEqual([0, 0, 0, 1])
  })

  it("agrees with a naive scan on random data", () => {
    const shape = [3, 17, 5]
    const x = randomF32(sizeOf(shape), 9)
    const out = run("argmax", [arr("float32", shape, x)], { axis: 1, indexDtype: "int32" }, [3, 5], "int32")
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 5; b++) {
        let best = 0
        for (let k = 1; k < 17; k++) if (x[(a * 17 + k) * 5 + b]! > x[(a * 17 + best) * 5 + b]!) best = k
        expect(out[a * 5 + b]).toBe(best)
      }
    }
  })
})

describe("cumsum / cumprod", () => {
  const refCum = (
    x: ArrayLike<number>,
    shape: number[],
    axis: number,
    reverse: boolean,
    exclusive: boolean,
    init: number,
    f: (a: number, b: number) => number
  ): number[] => {
    const out = new Array<number>(x.length)
    for (let i = 0; i < x.length; i++) {
      const idx = unravel(i, shape)
      let acc = init
      for (let k = 0; k < shape[axis]!; k++) {
        const before = reverse ? k > idx[axis]! : k < idx[axis]!
        const at = k === idx[axis]!
        if (before || (at && !exclusive))
          acc = f(
            acc,
            x[
              ravel(
                idx.map((v, d) => (d === axis ? k : v)),
                shape
              )
            ]!
          )
      }
      out[i] = acc
    }
    return out
  }

  for (const [axis, reverse, exclusive] of [
    [0, false, false],
    [1, false, false],
    [2, true, false],
    [1, true, true],
    [2, false, true]
  ] as const) {
    it(`axis ${axis}${reverse ? " reverse" : ""}${exclusive ? " exclusive" : ""}`, () => {
      const shape = [2, 3, 4]
      const x = randomF32(24, 5 + axis, 0.5, 1.5)
      const params = exclusive ? { axis, reverse, exclusive } : { axis, reverse }
      const s = run("cumsum", [arr("float32", shape, x)], params, shape, "float32")
      expect(list(s)).toEqual(refCum(x, shape, axis, reverse, exclusive, 0, (a, b) => a + b).map(Math.fround))
      const p = run("cumprod", [arr("float32", shape, x)], params, shape, "float32")
      expect(list(p)).toEqual(refCum(x, shape, axis, reverse, exclusive, 1, (a, b) => a * b).map(Math.fround))
    })
  }

  it("exclusive cumprod has 1 first; integer cumulative ops wrap", () => {
    const x = arr("float32", [4], [2, 3, 0, 5])
    expect(same(run("cumprod", [x], { axis: 0, reverse: false, exclusive: true }, [4], "float32"), [1, 2, 6, 0])).toBe(true)
    const i = arr("int32", [3], [2147483647, 1, 1])
    expect(list(run("cumsum", [i], { axis: 0, reverse: false }, [3], "int32"))).toEqual([2147483647, -2147483648, -2147483647])
    const m = arr("int32", [3], [65536, 65536, 3])
    expect(list(run("cumprod", [m], { axis: 0, reverse: false }, [3], "int32"))).toEqual([65536, 0, 0])
    const u = arr("uint32", [2], [4294967295, 1])
    expect(list(run("cumsum", [u], { axis: 0, reverse: false }, [2], "uint32"))).toEqual([4294967295, 0])
  })

  it("float64 and int dtypes keep their storage", () => {
    for (const d of ["float64", "int32", "uint32"] as DType[]) {
      const out = run("cumsum", [arr(d, [3], [1, 2, 3])], { axis: 0, reverse: false }, [3], d)
      expect(list(out)).toEqual([1, 3, 6])
    }
  })
})
