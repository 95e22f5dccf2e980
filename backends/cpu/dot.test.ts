import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { DType } from "../../core/dtype.js"
import { arr, list, randomF32, ravel, rng, run, sizeOf, unravel } from "./test-helpers.js"
import { wasmDotPolicy } from "./wasm/index.js"

// These tests pin down the JS loops (exactly rounded float64 accumulation); the WebAssembly float32
// kernel, which takes large float32 products by default, is tested in wasm/gemm.test.ts.
beforeAll(() => {
  wasmDotPolicy.enabled = false
})
afterAll(() => {
  wasmDotPolicy.enabled = true
})

interface DN {
  readonly contracting: readonly [number[], number[]]
  readonly batch: readonly [number[], number[]]
}

/**
 * Naive dot_general: for each output index (batch, lhs free, rhs free) sum over every contracted
 * index in doubles (exact for float32 products up to the final sum's rounding).
 */
const refDot = (
  x: ArrayLike<number>,
  xs: number[],
  y: ArrayLike<number>,
  ys: number[],
  dn: DN,
  combine: (acc: number, a: number, b: number) => number = (acc, a, b) => acc + a * b
): { out: number[]; shape: number[] } => {
  const [lc, rc] = dn.contracting
  const [lb, rb] = dn.batch
  const lf = xs.map((_, i) => i).filter((i) => !lc.includes(i) && !lb.includes(i))
  const rf = ys.map((_, i) => i).filter((i) => !rc.includes(i) && !rb.includes(i))
  const shape = [...lb.map((d) => xs[d]!), ...lf.map((d) => xs[d]!), ...rf.map((d) => ys[d]!)]
  const cShape = lc.map((d) => xs[d]!)
  const out: number[] = []
  for (let o = 0; o < sizeOf(shape); o++) {
    const idx = unravel(o, shape)
    const bi = idx.slice(0, lb.length)
    const li = idx.slice(lb.length, lb.length + lf.length)
    const ri = idx.slice(lb.length + lf.length)
    let acc = 0
    for (let c = 0; c < sizeOf(cShape); c++) {
      const ci = unravel(c, cShape)
      const xi = new Array<number>(xs.length)
      const yi = new Array<number>(ys.length)
      lb.forEach((d, k) => (xi[d] = bi[k]!))
      rb.forEach((d, k) => (yi[d] = bi[k]!))
      lf.forEach((d, k) => (xi[d] = li[k]!))
      rf.forEach((d, k) => (yi[d] = ri[k]!))
      lc.forEach((d, k) => (xi[d] = ci[k]!))
      rc.forEach((d, k) => (yi[d] = ci[k]!))
      acc = combine(acc, x[ravel(xi, xs)]!, y[ravel(yi, ys)]!)
    }
    out.push(acc)
  }
  return { out, shape }
}

const check = (xs: number[], ys: number[], dn: DN, dtype: DType = "float32", seed = 1): void => {
  const x = randomF32(sizeOf(xs), seed, -1, 1)
  const y = randomF32(sizeOf(ys), seed + 100, -1, 1)
  const ref = refDot(x, xs, y, ys, dn)
  const out = run("dot_general", [arr(dtype, xs, x), arr(dtype, ys, y)], { dimensionNumbers: dn }, ref.shape, dtype)
  const want = dtype === "float32" ? ref.out.map(Math.fround) : ref.out
  if (dtype === "float32") {
    // float64 accumulation rounded once: equal to the rounded exact sum except at rare ties
    let mismatches = 0
    want.forEach((w, i) => {
      if (out[i] !== w) {
        mismatches++
        expect(Math.abs(out[i]! - w)).toBeLessThanOrEqual(Math.abs(w) * 2 ** -23)
      }
    })
    expect(mismatches).toBeLessThanOrEqual(Math.ceil(want.length / 1000))
  } else {
    want.forEach((w, i) => expect(Math.abs(out[i]! - w)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w))))
  }
}

const mm = (lc: number, rc: number): DN => ({ contracting: [[lc], [rc]], batch: [[], []] })

describe("dot_general layouts", () => {
  it("matrix products in all four transpose layouts, odd sizes", () => {
    check([5, 7], [7, 3], mm(1, 0)) // A @ B
    check([5, 7], [3, 7], mm(1, 1)) // A @ B^T
    check([7, 5], [7, 3], mm(0, 0)) // A^T @ B
    check([7, 5], [3, 7], mm(0, 1)) // A^T @ B^T
    check([9, 13], [11, 13], mm(1, 1)) // A @ B^T large enough for the gemm path
    check([13, 9], [11, 13], mm(0, 1))
  })

  it("blocks larger than the kernel's tiles (k > 128, n > 256) and unroll remainders", () => {
    check([5, 301], [301, 270], mm(1, 0), "float32", 3)
    check([3, 131], [131, 9], mm(1, 0), "float64", 4)
  })

  it("vectors: dot, matrix-vector, vector-matrix, outer product", () => {
    check([37], [37], mm(0, 0))
    check([6, 37], [37], mm(1, 0))
    check([37, 6], [37], mm(0, 0)) // A^T v with A stored [K, M]
    check([37], [37, 6], mm(0, 0))
    check([37], [6, 37], mm(0, 1))
    check([4], [5], { contracting: [[], []], batch: [[], []] })
  })

  it("batch dimensions, leading or not, and several contracting dims in odd orders", () => {
    check([3, 4, 5], [3, 5, 6], { contracting: [[2], [1]], batch: [[0], [0]] })
    check([3, 4, 5], [3, 6, 5], { contracting: [[2], [2]], batch: [[0], [0]] })
    check([4, 3, 5], [5, 3, 6], { contracting: [[2], [0]], batch: [[1], [1]] }) // batch in the middle
    check([4, 5, 3], [6, 5, 3], { contracting: [[1], [1]], batch: [[2], [2]] }) // batch last
    check([2, 3, 4, 5], [4, 2, 6, 5], {
      contracting: [
        [3, 2],
        [3, 0]
      ],
      batch: [[0], [1]]
    })
    check([2, 3, 4], [4, 3, 2], {
      contracting: [
        [1, 2],
        [1, 0]
      ],
      batch: [[0], [2]]
    })
    check([2, 3, 4, 5], [3, 2, 5, 4], {
      contracting: [
        [2, 3],
        [3, 2]
      ],
      batch: [
        [0, 1],
        [1, 0]
      ]
    })
    check([2, 1, 3], [2, 3, 1], { contracting: [[2], [1]], batch: [[0], [0]] }) // size-1 free dims
  })

  it("float64 operands", () => {
    check([6, 10], [10, 4], mm(1, 0), "float64")
    check([2, 6, 10], [2, 4, 10], { contracting: [[2], [2]], batch: [[0], [0]] }, "float64")
  })
})

describe("dot_general numerics", () => {
  it("float32 accumulates in float64 and rounds once", () => {
    const x = arr("float32", [3], [1e8, 1, -1e8])
    const y = arr("float32", [3], [1, 1, 1])
    expect(list(run("dot_general", [x, y], { dimensionNumbers: mm(0, 0) }, [], "float32"))).toEqual([1])
    // the same contraction through the gemm path
    const a = arr("float32", [2, 3], [1e8, 1, -1e8, 3, 1, 1])
    const b = arr("float32", [3, 2], [1, 2, 1, 2, 1, 2])
    expect(list(run("dot_general", [a, b], { dimensionNumbers: mm(1, 0) }, [2, 2], "float32"))).toEqual([1, 2, 5, 10])
  })

  it("a long float32 dot equals the rounded double dot", () => {
    const n = 100_000
    const x = randomF32(n, 21)
    const y = randomF32(n, 22)
    let s = 0
    for (let i = 0; i < n; i++) s += x[i]! * y[i]!
    const out = run("dot_general", [arr("float32", [n], x), arr("float32", [n], y)], { dimensionNumbers: mm(0, 0) }, [], "float32")
    expect(Math.abs(out[0]! - Math.fround(s))).toBeLessThanOrEqual(Math.abs(s) * 2 ** -24)
  })

  it("int32 wraps like int32 multiply-adds", () => {
    const r = rng(5)
    const xs = [3, 4]
    const ys = [4, 2]
    const x = Array.from({ length: 12 }, () => Math.floor((r() - 0.5) * 2 ** 31))
    const y = Array.from({ length: 8 }, () => Math.floor((r() - 0.5) * 2 ** 31))
    const ref = refDot(x, xs, y, ys, mm(1, 0), (acc, a, b) => (acc + Math.imul(a, b)) | 0)
    const out = run("dot_general", [arr("int32", xs, x), arr("int32", ys, y)], { dimensionNumbers: mm(1, 0) }, ref.shape, "int32")
    expect(list(out)).toEqual(ref.out)
    const outT = run("dot_general", [arr("int32", [4, 3], transpose2(x, 3, 4)), arr("int32", ys, y)], { dimensionNumbers: mm(0, 0) }, ref.shape, "int32")
    expect(list(outT)).toEqual(ref.out)
    const v = run("dot_general", [arr("uint32", [2], [65536, 4294967295]), arr("uint32", [2], [65536, 2])], { dimensionNumbers: mm(0, 0) }, [], "uint32")
    expect(list(v)).toEqual([4294967294])
  })

  it("empty contraction gives zeros; empty outputs are empty", () => {
    const z = run("dot_general", [arr("float32", [2, 0], []), arr("float32", [0, 3], [])], { dimensionNumbers: mm(1, 0) }, [2, 3], "float32")
    expect(list(z)).toEqual([0, 0, 0, 0, 0, 0])
    const e = run("dot_general", [arr("float32", [0, 2], []), arr("float32", [2, 3], [1, 2, 3, 4, 5, 6])], { dimensionNumbers: mm(1, 0) }, [0, 3], "float32")
    expect(e.length).toBe(0)
  })
})

/** [rows, cols] row-major -> its transpose [cols, rows]. */
const transpose2 = (x: number[], rows: number, cols: number): number[] => {
  const out: number[] = []
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out.push(x[i * cols + j]!)
  return out
}
