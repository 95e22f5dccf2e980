import { describe, expect, it } from "vitest"
import { arr, list, randomF32, ravel, run, sizeOf, unravel } from "./test-helpers.js"

const iotaList = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

describe("broadcast_in_dim", () => {
  it("maps operand dims to output dims and repeats along the others", () => {
    const x = arr("float32", [3], [1, 2, 3])
    expect(list(run("broadcast_in_dim", [x], { shape: [2, 3], broadcastDimensions: [1] }, [2, 3], "float32"))).toEqual([1, 2, 3, 1, 2, 3])
    expect(list(run("broadcast_in_dim", [x], { shape: [3, 2], broadcastDimensions: [0] }, [3, 2], "float32"))).toEqual([1, 1, 2, 2, 3, 3])
    const y = arr("int32", [2, 1], [7, 8])
    expect(list(run("broadcast_in_dim", [y], { shape: [2, 4], broadcastDimensions: [0, 1] }, [2, 4], "int32"))).toEqual([7, 7, 7, 7, 8, 8, 8, 8])
    const s = arr("bool", [], [1])
    expect(list(run("broadcast_in_dim", [s], { shape: [2, 2], broadcastDimensions: [] }, [2, 2], "bool"))).toEqual([1, 1, 1, 1])
  })

  it("general case against a naive reference", () => {
    const xs = [4, 1, 3]
    const x = randomF32(12, 1)
    const shape = [2, 4, 5, 3]
    const dims = [1, 2, 3]
    const out = run("broadcast_in_dim", [arr("float32", xs, x)], { shape, broadcastDimensions: dims }, shape, "float32")
    const ref = iotaList(sizeOf(shape)).map((i) => {
      const idx = unravel(i, shape)
      return x[
        ravel(
          dims.map((d, k) => (xs[k] === 1 ? 0 : idx[d]!)),
          xs
        )
      ]!
    })
    expect(list(out)).toEqual(ref)
  })

  it("adding size-1 dims is zero-copy; permuted dims are a transpose", () => {
    const x = arr("float32", [3], [1, 2, 3])
    expect(run("broadcast_in_dim", [x], { shape: [1, 3, 1], broadcastDimensions: [1] }, [1, 3, 1], "float32")).toBe(x.buffer)
    const m = arr("float32", [2, 3], [1, 2, 3, 4, 5, 6])
    expect(list(run("broadcast_in_dim", [m], { shape: [3, 2], broadcastDimensions: [1, 0] }, [3, 2], "float32"))).toEqual([1, 4, 2, 5, 3, 6])
  })
})

describe("reshape / transpose", () => {
  it("reshape returns the same buffer", () => {
    const x = arr("float32", [2, 3], [1, 2, 3, 4, 5, 6])
    expect(run("reshape", [x], { newSizes: [3, 2] }, [3, 2], "float32")).toBe(x.buffer)
  })

  it("every permutation of a 3-d array, and a tiled 2-d transpose", () => {
    const shape = [2, 3, 4]
    const x = randomF32(24, 2)
    const perms = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0]
    ]
    for (const perm of perms) {
      const outShape = perm.map((p) => shape[p]!)
      const out = run("transpose", [arr("float32", shape, x)], { permutation: perm }, outShape, "float32")
      const ref = iotaList(24).map((i) => {
        const o = unravel(i, outShape)
        const idx: number[] = []
        perm.forEach((p, k) => (idx[p] = o[k]!))
        return x[ravel(idx, shape)]!
      })
      expect(list(out)).toEqual(ref)
    }
    const big = randomF32(70 * 45, 3)
    const t = run("transpose", [arr("float32", [70, 45], big)], { permutation: [1, 0] }, [45, 70], "float32")
    expect(list(t)).toEqual(iotaList(45 * 70).map((k) => big[(k % 70) * 45 + Math.floor(k / 70)]!))
  })

  it("moving only size-1 dims is zero-copy", () => {
    const x = arr("float32", [1, 3, 1, 2], [1, 2, 3, 4, 5, 6])
    expect(run("transpose", [x], { permutation: [2, 1, 0, 3] }, [1, 3, 1, 2], "float32")).toBe(x.buffer)
  })
})

describe("slice", () => {
  it("strided slices in several dims", () => {
    const shape = [9, 7]
    const x = iotaList(63)
    const out = run("slice", [arr("int32", shape, x)], { startIndices: [1, 0], limitIndices: [8, 7], strides: [2, 3] }, [4, 3], "int32")
    const ref: number[] = []
    for (let i = 1; i < 8; i += 2) for (let j = 0; j < 7; j += 3) ref.push(i * 7 + j)
    expect(list(out)).toEqual(ref)
    const c = run("slice", [arr("int32", shape, x)], { startIndices: [2, 1], limitIndices: [4, 5], strides: [1, 1] }, [2, 4], "int32")
    expect(list(c)).toEqual([15, 16, 17, 18, 22, 23, 24, 25])
    const rows = run("slice", [arr("int32", shape, x)], { startIndices: [3, 0], limitIndices: [5, 7], strides: [1, 1] }, [2, 7], "int32")
    expect(list(rows)).toEqual(iotaList(14).map((i) => i + 21))
  })

  it("a full slice returns the buffer; an empty slice is empty", () => {
    const x = arr("float32", [2, 2], [1, 2, 3, 4])
    expect(run("slice", [x], { startIndices: [0, 0], limitIndices: [2, 2], strides: [1, 1] }, [2, 2], "float32")).toBe(x.buffer)
    expect(run("slice", [x], { startIndices: [1, 0], limitIndices: [1, 2], strides: [1, 1] }, [0, 2], "float32").length).toBe(0)
  })
})

describe("pad", () => {
  it("low, high and interior padding with a padding value", () => {
    const x = arr("float32", [3], [1, 2, 3])
    const v = arr("float32", [], [-1])
    expect(list(run("pad", [x, v], { paddingConfig: [[1, 2, 1]] }, [8], "float32"))).toEqual([-1, 1, -1, 2, -1, 3, -1, -1])
  })

  it("2-d against a naive reference", () => {
    const xs = [2, 3]
    const x = [1, 2, 3, 4, 5, 6]
    const config: Array<[number, number, number]> = [
      [1, 0, 2],
      [0, 2, 1]
    ]
    const outShape = xs.map((d, i) => config[i]![0] + config[i]![1] + d + (d - 1) * config[i]![2])
    const out = run("pad", [arr("int32", xs, x), arr("int32", [], [9])], { paddingConfig: config }, outShape, "int32")
    const ref = new Array<number>(sizeOf(outShape)).fill(9)
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) {
        ref[ravel([1 + i * 3, j * 2], outShape)] = x[i * 3 + j]!
      }
    }
    expect(outShape).toEqual([5, 7])
    expect(list(out)).toEqual(ref)
  })
})

describe("concatenate / rev / iota", () => {
  it("concatenates along each axis", () => {
    const a = arr("float32", [2, 2], [1, 2, 3, 4])
    const b = arr("float32", [1, 2], [5, 6])
    const c = arr("float32", [3, 2], [7, 8, 9, 10, 11, 12])
    expect(list(run("concatenate", [a, b, c], { dimension: 0 }, [6, 2], "float32"))).toEqual(iotaList(12).map((i) => i + 1))
    const d = arr("float32", [2, 1], [9, 8])
    const e = arr("float32", [2, 3], [1, 2, 3, 4, 5, 6])
    expect(list(run("concatenate", [a, d, e], { dimension: 1 }, [2, 6], "float32"))).toEqual([1, 2, 9, 1, 2, 3, 3, 4, 8, 4, 5, 6])
  })

  it("rev reverses the given dims", () => {
    const x = arr("int32", [2, 3], [1, 2, 3, 4, 5, 6])
    expect(list(run("rev", [x], { dimensions: [1] }, [2, 3], "int32"))).toEqual([3, 2, 1, 6, 5, 4])
    expect(list(run("rev", [x], { dimensions: [0] }, [2, 3], "int32"))).toEqual([4, 5, 6, 1, 2, 3])
    expect(list(run("rev", [x], { dimensions: [0, 1] }, [2, 3], "int32"))).toEqual([6, 5, 4, 3, 2, 1])
    const y = arr("int32", [1, 3], [1, 2, 3])
    expect(run("rev", [y], { dimensions: [0] }, [1, 3], "int32")).toBe(y.buffer)
  })

  it("iota counts along one dimension", () => {
    expect(list(run("iota", [], { dtype: "int32", shape: [5], dimension: 0 }, [5], "int32"))).toEqual([0, 1, 2, 3, 4])
    expect(list(run("iota", [], { dtype: "float32", shape: [2, 3], dimension: 0 }, [2, 3], "float32"))).toEqual([0, 0, 0, 1, 1, 1])
    expect(list(run("iota", [], { dtype: "uint32", shape: [2, 3], dimension: 1 }, [2, 3], "uint32"))).toEqual([0, 1, 2, 0, 1, 2])
  })
})

describe("large strided copies (row and tiled paths)", () => {
  it("broadcasts along long rows and long columns", () => {
    const col = randomF32(300, 31)
    const a = run("broadcast_in_dim", [arr("float32", [300, 1], col)], { shape: [300, 40], broadcastDimensions: [0, 1] }, [300, 40], "float32")
    expect(list(a)).toEqual(iotaList(300 * 40).map((k) => col[Math.floor(k / 40)]!))
    const row = randomF32(300, 32)
    const b = run("broadcast_in_dim", [arr("float32", [300], row)], { shape: [40, 300], broadcastDimensions: [1] }, [40, 300], "float32")
    expect(list(b)).toEqual(iotaList(40 * 300).map((k) => row[k % 300]!))
  })

  it("pads, reverses, slices and concatenates large arrays", () => {
    const x = randomF32(20 * 30, 33)
    const padded = run(
      "pad",
      [arr("float32", [20, 30], x), arr("float32", [], [0])],
      {
        paddingConfig: [
          [2, 3, 1],
          [1, 0, 2]
        ]
      },
      [44, 89],
      "float32"
    )
    // rows: 2 + 20 + 19 interior + 3 = 44; columns: 1 + 30 + 29 * 2 interior + 0 = 89
    const ref = new Array<number>(44 * 89).fill(0)
    for (let i = 0; i < 20; i++) for (let j = 0; j < 30; j++) ref[(2 + 2 * i) * 89 + 1 + 3 * j] = x[i * 30 + j]!
    expect(list(padded)).toEqual(ref)

    const r = run("rev", [arr("float32", [20, 30], x)], { dimensions: [0, 1] }, [20, 30], "float32")
    expect(list(r)).toEqual(list(x).reverse())

    const big = randomF32(100 * 80, 34)
    const s = run("slice", [arr("float32", [100, 80], big)], { startIndices: [3, 5], limitIndices: [99, 80], strides: [4, 1] }, [24, 75], "float32")
    expect(list(s)).toEqual(iotaList(24 * 75).map((k) => big[(3 + 4 * Math.floor(k / 75)) * 80 + 5 + (k % 75)]!))

    const p = randomF32(10 * 70, 35)
    const q = randomF32(10 * 80, 36)
    const c = run("concatenate", [arr("float32", [10, 70], p), arr("float32", [10, 80], q)], { dimension: 1 }, [10, 150], "float32")
    for (let i = 0; i < 10; i++) {
      expect(list(c.subarray(i * 150, i * 150 + 70))).toEqual(list(p.subarray(i * 70, i * 70 + 70)))
      expect(list(c.subarray(i * 150 + 70, i * 150 + 150))).toEqual(list(q.subarray(i * 80, i * 80 + 80)))
    }
  })
})
