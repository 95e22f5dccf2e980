import { describe, expect, it } from "vitest"
import { arr, list, randomF32, ravel, run, sizeOf, unravel } from "./test-helpers.js"

/** np.take(x, clip(idx), axis) by index arithmetic. */
const refGather = (x: ArrayLike<number>, xs: number[], idx: number[], is: number[], axis: number): number[] => {
  const outShape = [...xs.slice(0, axis), ...is, ...xs.slice(axis + 1)]
  return Array.from({ length: sizeOf(outShape) }, (_, i) => {
    const o = unravel(i, outShape)
    const k = idx[ravel(o.slice(axis, axis + is.length), is)]!
    const clamped = Math.min(Math.max(k, 0), xs[axis]! - 1)
    return x[ravel([...o.slice(0, axis), clamped, ...o.slice(axis + is.length)], xs)]!
  })
}

describe("gather", () => {
  it("takes along each axis with index arrays of any rank", () => {
    const xs = [3, 4, 2]
    const x = randomF32(24, 4)
    const cases: Array<[number, number[], number[]]> = [
      [0, [2, 0, 1, 2], [4]],
      [1, [3, 1, 0, 0, 2, 3], [2, 3]],
      [2, [1, 0, 1], [3]],
      [1, [2], []]
    ]
    for (const [axis, idx, is] of cases) {
      const outShape = [...xs.slice(0, axis), ...is, ...xs.slice(axis + 1)]
      const out = run("gather", [arr("float32", xs, x), arr("int32", is, idx)], { axis }, outShape, "float32")
      expect(list(out)).toEqual(refGather(x, xs, idx, is, axis))
    }
  })

  it("clamps out-of-range indices (negative to 0, large to n-1), int32 and uint32", () => {
    const x = arr("int32", [4], [10, 11, 12, 13])
    expect(list(run("gather", [x, arr("int32", [4], [-5, 4, 100, 1])], { axis: 0 }, [4], "int32"))).toEqual([10, 13, 13, 11])
    expect(list(run("gather", [x, arr("uint32", [2], [4294967295, 2])], { axis: 0 }, [2], "int32"))).toEqual([13, 12])
  })

  it("copies long rows", () => {
    const xs = [5, 40]
    const x = randomF32(200, 5)
    const idx = [4, 0, 9, 2]
    const out = run("gather", [arr("float32", xs, x), arr("int32", [4], idx)], { axis: 0 }, [4, 40], "float32")
    expect(list(out)).toEqual(refGather(x, xs, idx, [4], 0))
  })
})

describe("scatter", () => {
  const x = arr("float32", [5], [1, 2, 3, 4, 5])
  const idx = arr("int32", [5], [1, 3, 1, 7, -1])
  const u = arr("float32", [5], [10, 20, 30, 40, 50])

  it("set: the last duplicate wins; out-of-range updates are dropped; the operand is unchanged", () => {
    expect(list(run("scatter", [x, idx, u], { axis: 0, mode: "set" }, [5], "float32"))).toEqual([1, 30, 3, 20, 5])
    expect(list(x.buffer as Float32Array)).toEqual([1, 2, 3, 4, 5])
  })

  it("add/mul/min/max combine every duplicate", () => {
    expect(list(run("scatter", [x, idx, u], { axis: 0, mode: "add" }, [5], "float32"))).toEqual([1, 42, 3, 24, 5])
    expect(list(run("scatter", [x, idx, u], { axis: 0, mode: "mul" }, [5], "float32"))).toEqual([1, 600, 3, 80, 5])
    expect(list(run("scatter", [x, idx, u], { axis: 0, mode: "min" }, [5], "float32"))).toEqual([1, 2, 3, 4, 5])
    expect(list(run("scatter", [x, idx, u], { axis: 0, mode: "max" }, [5], "float32"))).toEqual([1, 30, 3, 20, 5])
  })

  it("along a middle axis against a naive reference (add, with duplicates)", () => {
    const xs = [2, 4, 3]
    const xv = randomF32(24, 8)
    const iv = [3, 0, 3, 5, 1]
    const us = [2, 5, 3]
    const uv = randomF32(sizeOf(us), 9)
    const out = run("scatter", [arr("float32", xs, xv), arr("int32", [5], iv), arr("float32", us, uv)], { axis: 1, mode: "add" }, xs, "float32")
    const ref = Array.from(xv)
    for (let i = 0; i < sizeOf(us); i++) {
      const [a, j, b] = unravel(i, us) as [number, number, number]
      const k = iv[j]!
      if (k < 0 || k >= 4) continue
      const p = ravel([a, k, b], xs)
      ref[p] = Math.fround(ref[p]! + uv[i]!)
    }
    expect(list(out)).toEqual(ref)
  })

  it("integer modes wrap; bool set/max/min work", () => {
    const xi = arr("int32", [2], [2147483647, 65536])
    const ii = arr("int32", [2], [0, 1])
    expect(list(run("scatter", [xi, ii, arr("int32", [2], [1, 65536])], { axis: 0, mode: "add" }, [2], "int32"))).toEqual([-2147483648, 131072])
    expect(list(run("scatter", [xi, ii, arr("int32", [2], [2, 65536])], { axis: 0, mode: "mul" }, [2], "int32"))).toEqual([-2, 0])
    const xb = arr("bool", [3], [0, 1, 0])
    const ib = arr("int32", [2], [0, 1])
    expect(list(run("scatter", [xb, ib, arr("bool", [2], [1, 0])], { axis: 0, mode: "max" }, [3], "bool"))).toEqual([1, 1, 0])
    expect(list(run("scatter", [xb, ib, arr("bool", [2], [1, 0])], { axis: 0, mode: "min" }, [3], "bool"))).toEqual([0, 0, 0])
    expect(list(run("scatter", [xb, ib, arr("bool", [2], [1, 0])], { axis: 0, mode: "set" }, [3], "bool"))).toEqual([1, 0, 0])
  })

  it("float min/max propagate NaN", () => {
    const xf = arr("float32", [2], [1, NaN])
    const i2 = arr("int32", [2], [0, 1])
    expect(list(run("scatter", [xf, i2, arr("float32", [2], [NaN, 0])], { axis: 0, mode: "max" }, [2], "float32"))).toEqual([NaN, NaN])
  })
})
