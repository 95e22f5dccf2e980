/** The host round trips of the WebGPU device (host.ts): eig and schur read back, run on the CPU, uploaded; against the CPU. */
import { describe, expect, it } from "vitest"
import { type Array, devicePut, jit, lax, np } from "../../index.js"
import { cpu, expectCloseToCpu, webgpuForTests } from "./test-helpers.js"

const gpu = await webgpuForTests()

// a real matrix with a complex pair and two real eigenvalues, and a batch of two
const a = np.array(
  [
    [4, -2, 1, 0.5],
    [3, 1, -1, 2],
    [0.5, 2, 3, -1],
    [1, 0, 2, -2]
  ],
  { dtype: "float32" }
)
const batch = np.stack([a, a.T.mul(0.5)])

describe.skipIf(gpu === undefined)("eig and schur on the WebGPU device (host round trip)", { timeout: 120_000 }, () => {
  it("eig (w, vl, vr) and schur (t, z), eager and jitted, real and complex, with work after them on the GPU", async () => {
    const f = (x: Array, c: Array): Array[] => {
      const [w, vl, vr] = lax.linalg.eig(x)
      const [t, z] = lax.linalg.schur(x)
      const [tc, zc] = lax.linalg.schur(c)
      // GPU work that reads the host results, and a second round trip on a GPU-computed operand
      const after = np.abs(w!).sum().add(t!.sum())
      const w2 = np.linalg.eigvals(x.mul(2).add(1))
      return [w!, vl!, vr!, t!, z!, tc!, zc!, after, w2]
    }
    const c = lax.complex(a, a.T.mul(0.25))
    const want = f(devicePut(batch, cpu()), devicePut(c, cpu()))
    const [gx, gc] = [devicePut(batch, gpu!), devicePut(c, gpu!)]
    for (const g of [f, jit(f)]) {
      const got = g(gx, gc)
      for (let k = 0; k < want.length; k++) {
        const w = want[k]!
        if (w.dtype === "complex64") {
          await expectCloseToCpu(np.real(got[k]!), np.real(w), 1e-4, 1e-5)
          await expectCloseToCpu(np.imag(got[k]!), np.imag(w), 1e-4, 1e-5)
        } else await expectCloseToCpu(got[k]!, w, 1e-4, 1e-5)
      }
    }
    // eager work issued right after the round trip waits for it
    const [w] = lax.linalg.eig(gx, { computeLeftEigenvectors: false, computeRightEigenvectors: false })
    const s = np.real(w!).mul(np.real(w!)).sum()
    await expectCloseToCpu(s, np.real(want[0]!).mul(np.real(want[0]!)).sum(), 1e-5, 1e-4)
  })

  it("inside a scan body and a while loop under jit", async () => {
    const f = (x: Array): Array[] => {
      const [m, ws] = lax.scan((m: Array, _: Array) => [m.mul(0.5), np.real(np.linalg.eigvals(m)).sum()] as const, x, np.zeros([3]))
      const [n, v] = lax.whileLoop(
        ([i]: readonly [Array, Array]) => i.lt(2),
        ([i, v]: readonly [Array, Array]) => [i.add(1), v.add(lax.linalg.schur(x, { computeSchurVectors: false })[0]!.sum())] as const,
        [np.array(0, { dtype: "int32" }), np.array(0, { dtype: "float32" })] as const
      )
      return [m, ws, n, v]
    }
    const want = f(devicePut(a, cpu()))
    const got = jit(f)(devicePut(a, gpu!))
    for (let k = 0; k < want.length; k++) await expectCloseToCpu(got[k]!, want[k]!, 1e-4, 1e-5)
    expect(got[1]!.shape).toEqual([3])
  })

  it("complex decompositions (linalg_parts: cholesky, solve, eigh, svd) run on the host, eager and jitted", async () => {
    // a Hermitian positive definite matrix: B Bᴴ + 4 I
    const b = lax.complex(a, a.T.mul(0.5))
    const h = np.matmul(b, np.conj(b.T)).add(np.eye(4).mul(4).astype("complex64"))
    const f = (m: Array): Array[] => {
      const l = np.linalg.cholesky(m)
      const x = np.linalg.solve(m, np.ones([4], { dtype: "complex64" }))
      return [np.real(l), np.imag(l), np.real(x), np.imag(x), np.linalg.eigvalsh(m), np.linalg.svd(m, { computeUv: false }) as Array]
    }
    const want = f(devicePut(h, cpu()))
    for (const g of [f, jit(f)]) {
      const got = g(devicePut(h, gpu!))
      for (let k = 0; k < want.length; k++) await expectCloseToCpu(got[k]!, want[k]!, 1e-4, 1e-4)
    }
  })
})
