/** cholesky and triangular_solve on the WebGPU device (linalg.ts) against the CPU. */
import { describe, it } from "vitest"
import { type Array, devicePut, jit, np } from "../../index.js"
import { choleskyRaw } from "../../core/primitives/linalg/cholesky.js"
import { triangularSolve } from "../../core/primitives/linalg/triangular-solve.js"
import { tridiagonalSolve } from "../../core/primitives/linalg/tridiagonal-solve.js"
import { cpu, expectCloseToCpu, webgpuForTests } from "./test-helpers.js"

const gpu = await webgpuForTests()

const values = (n: number, f: (i: number) => number) => globalThis.Array.from({ length: n }, (_, i) => f(i))

describe.skipIf(gpu === undefined)("WebGPU linear algebra agrees with the CPU", { timeout: 120_000 }, () => {
  it("cholesky of a batch (one matrix not positive definite) and triangular solves under every flag, tridiagonal solves", async () => {
    const m = np
      .array(
        values(2 * 4 * 4, (i) => Math.sin(i * 1.3)),
        { dtype: "float32" }
      )
      .reshape([2, 4, 4])
    const spd = np.matmul(m, m.transpose([0, 2, 1])).add(np.eye(4).astype("float32"))
    const a = np.stack([
      np.take(spd, 0, { axis: 0 }),
      np.array(
        [
          [1, 2, 0, 0],
          [2, 1, 0, 0],
          [0, 0, 1, 0],
          [0, 0, 0, 1]
        ],
        { dtype: "float32" }
      )
    ])
    const b = np
      .array(
        values(2 * 4 * 3, (i) => Math.cos(i * 0.7)),
        { dtype: "float32" }
      )
      .reshape([2, 4, 3])
    const f = (x: Array, y: Array, s: Array) => {
      const outs = [choleskyRaw(x)]
      for (const leftSide of [true, false]) {
        for (const lower of [true, false]) {
          for (const transposeA of [true, false]) {
            const rhs = leftSide ? y : y.transpose([0, 2, 1])
            outs.push(triangularSolve(s, rhs, { leftSide, lower, transposeA, unitDiagonal: lower && !transposeA }))
          }
        }
      }
      // a diagonally dominant tridiagonal system per batch, from s's entries
      const t = np.take(s, 0, { axis: 2 })
      outs.push(tridiagonalSolve(t.mul(0.1), t.add(5), t.mul(-0.2), y))
      return outs
    }
    const want = f(devicePut(a, cpu()), devicePut(b, cpu()), devicePut(spd, cpu()))
    const got = jit(f)(devicePut(a, gpu!), devicePut(b, gpu!), devicePut(spd, gpu!))
    for (let k = 0; k < want.length; k++) await expectCloseToCpu(got[k]!, want[k]!, 1e-4, 1e-5)
  })
})
