/**
 * The laws over the WebGPU device: `backendsAgree` compares it (under jit) with the CPU on one
 * drawn case of every entry of the laws catalog (small shapes, float32 variants), and the
 * random-bits laws hold across the backends exactly (eagerly and under jit). The catalog has no
 * decompositions: a law of its own covers qr, lu, eigh and svd.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Array, lax, np, random } from "../../index.js"
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

describe.skipIf(gpu === undefined)("the laws over the WebGPU device", { timeout: 300_000 }, () => {
  it("backendsAgree: every catalog entry gives the CPU's results under jit on the GPU", async () => {
    const devices = [laws.onDevice(cpu()), laws.onDevice(gpu!, { jit: true })]
    const failed: Record<string, string> = {}
    // The device has no complex or fft kernels yet (coverage.test.ts lists them): the np.fft entries
    // are refused with that DeviceError, and nothing else is.
    const refusedComplex = new Set<string>()
    for (const e of allEntries()) {
      for (const v of variantsOf(e)) {
        try {
          await laws.checkAsync(laws.backendsAgreeAsync(v.f, v.args, { devices }), { seed: seedOf(`${e.name}/webgpu/args`), numRuns: 1 })
        } catch (err) {
          const message = String(err instanceof Error ? err.message : err)
          if (/has no kernel for the primitive "(complex|fft)"/.test(message)) refusedComplex.add(e.name)
          else failed[e.name] ??= message.slice(0, 600)
        }
      }
    }
    // every entry agrees; a failure's report is in the assertion's diff
    expect(failed).toEqual({})
    expect([...refusedComplex].sort()).toEqual(
      allEntries()
        .map((e) => e.name)
        .filter((n) => n.startsWith("np.fft."))
        .sort()
    )
  })

  it("backendsAgree over the decompositions (qr, lu, eigh, svd, batched): unique factors directly, vectors through invariants", async () => {
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
      return [
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
