/**
 * The laws over the WebGPU device: `backendsAgree` compares it (under jit) with the CPU on one
 * drawn case of every entry of the laws catalog (small shapes, float32 variants), and the
 * random-bits laws hold across the backends exactly (eagerly and under jit). The catalog has no
 * decompositions: a law of its own covers qr, lu, eigh and svd (kernels) and eig and schur (host
 * round trips, host.ts).
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Array, lax, np, random, vmap } from "../../index.js"
import { allEntries, seedOf, type Variant } from "../../laws/catalog.js"
import * as laws from "../../laws/index.js"
import { cpu, webgpuForTests } from "./test-helpers.js"

const gpu = await webgpuForTests()

/**
 * Two float32 variants of an entry (the device refuses float64), drawn with a stable seed: of 20
 * draws, those with the most parameters written out (more axes, longer shapes), so that one case
 * per entry is not a scalar.
 */
const variantsOf = (e: { readonly name: string; readonly variants: fc.Arbitrary<Variant> }): ReadonlyArray<Variant> => {
  const vs = fc.sample(e.variants, { seed: seedOf(`${e.name}/webgpu`), numRuns: 20 })
  const f32 = vs.filter((v) => !v.params.includes("float64"))
  return [...(f32.length > 0 ? f32 : vs)].sort((a, b) => b.params.length - a.params.length).slice(0, 2)
}

describe.skipIf(gpu === undefined)("the laws over the WebGPU device", { timeout: 600_000 }, () => {
  it("backendsAgree: every catalog entry gives the CPU's results under jit on the GPU", async () => {
    const devices = [laws.onDevice(cpu()), laws.onDevice(gpu!, { jit: true })]
    const failed: Record<string, string> = {}
    for (const e of allEntries()) {
      for (const v of variantsOf(e)) {
        try {
          await laws.checkAsync(laws.backendsAgreeAsync(v.f, v.args, { devices }), { seed: seedOf(`${e.name}/webgpu/args`), numRuns: 1 })
        } catch (err) {
          failed[e.name] ??= String(err instanceof Error ? err.message : err).slice(0, 600)
        }
      }
    }
    // every entry agrees (the np.fft ones included: complex.ts, fft.ts); a failure's report is in the assertion's diff
    expect(failed).toEqual({})
  })

  it("backendsAgree: while loops and the collectives (under vmap with axisName), which the catalog has no entries for", async () => {
    const devices = [laws.onDevice(cpu()), laws.onDevice(gpu!, { jit: true }), laws.onDevice(gpu!)]
    const loop = (x: Array): Array[] => {
      const [c, i] = lax.whileLoop(
        ([c, i]: readonly [Array, Array]) => np.logicalAnd(np.abs(c).sum().lt(20), i.lt(100)),
        ([c, i]: readonly [Array, Array]) => [c.mul(1.3).add(0.1), i.add(1)] as const,
        [x, np.array(0, { dtype: "int32" })] as const
      )
      return [c, i]
    }
    await laws.checkAsync(laws.backendsAgreeAsync(loop, [laws.arb.array({ shape: [3], min: 0.1, max: 2 })], { devices }), { seed: 5, numRuns: 2 })
    const collectives = vmap(
      (v: Array): Array[] => [
        lax.psum(v, "i"),
        lax.pmax(v, "i"),
        lax.pmin(v, "i"),
        lax.allGather(v, "i"),
        lax.psumScatter(v, "i", { scatterDimension: 0, tiled: true }),
        lax.ppermute(v, "i", [
          [0, 1],
          [1, 0]
        ]),
        lax.allToAll(v.reshape([2, 1]), "i", 0, 1),
        lax.axisIndex("i")
      ],
      { axisName: "i" }
    )
    await laws.checkAsync(laws.backendsAgreeAsync(collectives, [laws.arb.array({ shape: [2, 2] })], { devices }), { seed: 6, numRuns: 2 })
  })

  it("backendsAgree over the decompositions (qr, lu, eigh, svd, eig, schur, batched): unique factors directly, vectors through invariants", async () => {
    const devices = [laws.onDevice(cpu()), laws.onDevice(gpu!, { jit: true })]
    const mT = (x: Array): Array => np.swapaxes(x, -1, -2)
    // Drawn entries plus 5 on the diagonal: full rank and clear pivots, where the factors are unique
    // (a rank-deficient draw leaves Q's columns free); subnormal draws are zeroed, as a GPU may flush them.
    const decompositions = (a0: Array, b0: Array): Array[] => {
      const normal = (x: Array): Array => np.where(np.less(np.abs(x), 1e-30), 0, x)
      const a = np.add(normal(a0), np.multiply(np.eye(4, 3, { dtype: "float32" }), 5))
      const b = np.add(normal(b0), np.multiply(np.eye(3, 3, { dtype: "float32" }), 5))
      const [q, r] = lax.linalg.qr(a, { fullMatrices: false })
      const [lu, piv, perm] = lax.linalg.lu(b)
      const sym = np.add(b, mT(b))
      const [v, w] = lax.linalg.eigh(sym)
      const [u, s, vt] = lax.linalg.svd(a, { fullMatrices: false })
      // eig and schur of the same operand on both devices: LAPACK's order and normalization
      const [ew, vr] = lax.linalg.eig(b, { computeLeftEigenvectors: false })
      const [t, z] = lax.linalg.schur(b)
      return [
        np.real(ew!),
        np.imag(ew!),
        np.abs(vr!),
        t!,
        np.matmul(np.matmul(z!, t!), mT(z!)),
        q!,
        r!,
        lu,
        piv,
        perm,
        lax.linalg.luPivotsToPermutation(piv, 4),
        w!,
        np.matmul(np.multiply(v!, np.expandDims(w!, -2)), mT(v!)),
        np.matmul(mT(v!), v!),
        s!,
        np.matmul(np.multiply(u!, np.expandDims(s!, -2)), vt!),
        np.matmul(mT(u!), u!)
      ]
    }
    const args = [laws.arb.array({ shape: [2, 4, 3], min: -2, max: 2 }), laws.arb.array({ shape: [2, 3, 3], min: -2, max: 2 })] as const
    await laws.checkAsync(laws.backendsAgreeAsync(decompositions, args, { devices, tolerance: { atol: 1e-4, rtol: 1e-3 } }), { seed: 15, numRuns: 3 })
  })

  it("random bits are the CPU's exactly (keys, split, foldIn, bits, uniform, normal)", async () => {
    const devices = [laws.onDevice(cpu()), laws.onDevice(gpu!), laws.onDevice(gpu!, { jit: true })]
    const draws = (k: random.PRNGKeyArray): Array[] => {
      const [a, b] = random.split(k)
      return [random.bits(a!, [5]), random.uniform(random.foldIn(b!, 7), [3]), random.normal(k, [2, 2]), random.randint(a!, [4], 0, 10)]
    }
    await laws.checkAsync(laws.backendsAgreeAsync(draws, [laws.arb.key()], { devices, tolerance: "exact" }), { seed: 11, numRuns: 3 })
  })
})
