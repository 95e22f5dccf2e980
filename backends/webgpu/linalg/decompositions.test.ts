/**
 * qr, lu, lu_pivots_to_permutation, eigh and svd on the WebGPU device (linalg/) against the CPU:
 * batched, square, tall and wide, eagerly and under jit. Factors that are unique (qr with LAPACK's
 * signs, lu, eigenvalues, singular values) are compared directly; eigenvectors and singular vectors
 * through sign-free invariants (|v|, reconstructions, orthonormality), since their signs, and the
 * completing columns of a full U or V, are not unique.
 */
import { describe, expect, it } from "vitest"
import { type Array, devicePut, jit, lax, np } from "../../../index.js"
import { luPivotsToPermutation } from "../../../core/primitives/linalg/lu.js"
import { cpu, expectCloseToCpu, webgpuForTests } from "../test-helpers.js"

const gpu = await webgpuForTests()

const matrix = (shape: ReadonlyArray<number>, seed: number): Array => {
  const size = shape.reduce((a, b) => a * b, 1)
  const vals = globalThis.Array.from({ length: size }, (_, i) => Math.sin(i * 1.37 + seed) + 0.3 * Math.cos(i * 0.41 * seed))
  return np.array(vals, { dtype: "float32" }).reshape([...shape])
}
const mT = (x: Array): Array => np.swapaxes(x, -1, -2)

/** Both devices' results of f on the same inputs; f runs under jit on the GPU when asked. */
const both = (f: (...xs: Array[]) => Array[], xs: Array[], useJit = true): { readonly got: Array[]; readonly want: Array[] } => ({
  want: f(...xs.map((x) => devicePut(x, cpu()))),
  got: (useJit ? jit(f) : f)(...xs.map((x) => devicePut(x, gpu!)))
})

const close = async (got: Array[], want: Array[], tol = 2e-4): Promise<void> => {
  expect(got.length).toBe(want.length)
  for (let i = 0; i < want.length; i++) await expectCloseToCpu(got[i]!, want[i]!, tol, tol)
}

describe.skipIf(gpu === undefined)("WebGPU decompositions agree with the CPU", { timeout: 120_000 }, () => {
  it("qr (reduced and full; square, tall, wide, batched) matches LAPACK's signs", async () => {
    for (const [shape, useJit] of [
      [[2, 4, 4], true],
      [[5, 3], false],
      [[2, 3, 5], true]
    ] as const) {
      for (const fullMatrices of [false, true]) {
        const { got, want } = both((a) => [...lax.linalg.qr(a, { fullMatrices })], [matrix(shape, shape.length)], useJit)
        await close(got, want)
      }
    }
  })

  it("lu (pivots, permutation) and lu_pivots_to_permutation, exactly for the integers", async () => {
    for (const shape of [
      [2, 4, 4],
      [5, 3],
      [3, 5]
    ]) {
      const { got, want } = both((a) => [...lax.linalg.lu(a)], [matrix(shape, 2)])
      await close(got, want)
    }
    const piv = np.array(
      [
        [2, 2, 3],
        [0, 5, -1]
      ],
      { dtype: "int32" }
    )
    const { got, want } = both((p) => [luPivotsToPermutation(p, 5)], [piv])
    await close(got, want)
    expect(globalThis.Array.from(await got[0]!.dataAsync())).toEqual([2, 0, 3, 1, 4, 0, 1, 2, 3, 4])
  })

  it("eigh (both triangles, sorted or not): eigenvalues, |eigenvectors| and V diag(w) V^T", async () => {
    const sym = (a: Array): Array => np.add(a, mT(a))
    for (const lower of [true, false]) {
      for (const sortEigenvalues of [true, false]) {
        const f = (a: Array): Array[] => {
          // the other triangle is garbage: only `lower`'s is read
          const noisy = np.add(sym(a), lower ? np.triu(a, { k: 1 }) : np.tril(a, { k: -1 }))
          const [v, w] = lax.linalg.eigh(noisy, { lower, sortEigenvalues, symmetrizeInput: false })
          const back = np.matmul(np.multiply(v!, np.expandDims(w!, -2)), mT(v!))
          return [w!, np.abs(v!), back, np.matmul(mT(v!), v!)]
        }
        const { got, want } = both(f, [matrix([3, 5, 5], 3)])
        await close(got, want, 5e-4)
      }
    }
  })

  it("svd (values only, reduced and full; square, tall, wide, rank-deficient): s, |u|, |vt| and invariants", async () => {
    for (const shape of [
      [2, 4, 4],
      [6, 3],
      [3, 6]
    ]) {
      const a = matrix(shape, 4)
      const { got, want } = both((x) => [lax.linalg.svd(x, { fullMatrices: false, computeUv: false })], [a])
      await close(got, want)
      const thin = both(
        (x) => {
          const [u, s, vt] = lax.linalg.svd(x, { fullMatrices: false, computeUv: true })
          return [s!, np.abs(u!), np.abs(vt!), np.matmul(np.multiply(u!, np.expandDims(s!, -2)), vt!)]
        },
        [a]
      )
      await close(thin.got, thin.want, 5e-4)
      const full = both(
        (x) => {
          const [u, s, vt] = lax.linalg.svd(x, { fullMatrices: true, computeUv: true })
          const k = s!.shape[s!.ndim - 1]!
          const uk = lax.sliceInDim(u!, 0, k, 1, -1)
          const vk = lax.sliceInDim(vt!, 0, k, 1, -2)
          return [s!, np.matmul(mT(u!), u!), np.matmul(vt!, mT(vt!)), np.matmul(np.multiply(uk, np.expandDims(s!, -2)), vk)]
        },
        [a]
      )
      await close(full.got, full.want, 5e-4)
    }
    // rank 1: the zero singular values' columns are completed to an orthonormal basis
    const r1 = np.outer(np.array([1, 2, 3, 4], { dtype: "float32" }), np.array([1, -1, 2], { dtype: "float32" }))
    const { got, want } = both(
      (x) => {
        const [u, s, vt] = lax.linalg.svd(x, { fullMatrices: true, computeUv: true })
        return [s!, np.matmul(mT(u!), u!), np.matmul(vt!, mT(vt!))]
      },
      [r1]
    )
    await close(got, want, 5e-4)
  })
})
