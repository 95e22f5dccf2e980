/**
 * dot_general in compiled programs is a call of the eager kernel: bit for bit the eager result for
 * every operand layout the eager kernel distinguishes (row-major, transposed operands, batch
 * dimensions, several contracting dimensions, matrix-vector products, float64), with fused
 * producers (operands computed by kernels, transposes materialized) and fused epilogues.
 */
import { describe, it } from "vitest"
import { type Array, jit, lax, np } from "../../../index.js"
import type { DotDimensionNumbers } from "../../../core/primitives/dot.js"
import { expectSameBits, rng } from "./test-util.js"

const rand = (shape: ReadonlyArray<number>, seed: number, dtype: "float32" | "float64" = "float32"): Array => {
  const r = rng(seed)
  const n = shape.reduce((a, b) => a * b, 1)
  const data = Float64Array.from({ length: n }, () => (r() - 0.5) * 4)
  return np.asarray(dtype === "float32" ? Float32Array.from(data) : data, { dtype }).reshape([...shape])
}

const dn = (lc: number[], rc: number[], lb: number[] = [], rb: number[] = []): DotDimensionNumbers => ({ contracting: [lc, rc], batch: [lb, rb] })

const cases: ReadonlyArray<readonly [string, ReadonlyArray<number>, ReadonlyArray<number>, DotDimensionNumbers]> = [
  ["A @ B", [37, 53], [53, 29], dn([1], [0])],
  ["A @ B, K beyond one block of 128, odd N", [9, 300], [300, 261], dn([1], [0])],
  ["A^T @ B", [53, 37], [53, 29], dn([0], [0])],
  ["A @ B^T", [37, 53], [29, 53], dn([1], [1])],
  ["A^T @ B^T", [53, 37], [29, 53], dn([0], [1])],
  ["batched", [3, 12, 20], [3, 20, 17], dn([2], [1], [0], [0])],
  ["batch last on the right", [3, 12, 20], [20, 17, 3], dn([2], [0], [0], [2])],
  ["two contracting dimensions", [6, 4, 5], [4, 5, 9], dn([1, 2], [0, 1])],
  ["matrix-vector", [40, 30], [30], dn([1], [0])],
  ["vector-matrix", [30], [30, 40], dn([0], [0])],
  ["matrix-vector with a strided matrix (gemmT)", [30, 40], [30], dn([0], [0])],
  ["small output", [3, 70], [70, 5], dn([1], [0])]
]

describe("dot_general under jit", () => {
  for (const dtype of ["float32", "float64"] as const) {
    for (const [name, xs, ys, d] of cases) {
      it(`${name} (${dtype})`, () => {
        const x = rand(xs, 1, dtype)
        const y = rand(ys, 2, dtype)
        const f = (x: Array, y: Array) => lax.dotGeneral(x, y, d)
        expectSameBits(jit(f)(x, y), f(x, y), name)
        // computed operands and an epilogue around the call
        const g = (x: Array, y: Array) => lax.tanh(lax.dotGeneral(lax.mul(x, x), lax.neg(y), d))
        expectSameBits(jit(g)(x, y), g(x, y), `${name} with producers and epilogue`)
      })
    }
  }
  it("int32 products run on the eager kernel", () => {
    const x = np.arange(12).reshape([3, 4])
    const y = np.arange(20).reshape([4, 5])
    const f = (x: Array, y: Array) => np.matmul(x, y)
    expectSameBits(jit(f)(x, y), f(x, y), "int32")
  })
})
