import { describe, expect, it } from "vitest"
import { type Array, config, devices, jit, lax, np, pmap, vmap } from "../../index.js"

try {
  config.update("jaxfxCpuDevices", 4)
} catch {
  // JAXFX_CPU_DEVICES set for the whole run already made the devices.
}

// complex values beyond the JAX goldens (backends/cpu/complex-ops.golden.test.ts): collectives
// under pmap across CPU devices equal vmap with the same axis name, complex128 (x64) ordering and
// products against exact values, and scatter mul's order of updates.
const z = (dtype: "complex64" | "complex128" = "complex64"): Array =>
  np.array(
    [
      { re: 1, im: 2 },
      { re: 1, im: -1 },
      { re: 0, im: 5 },
      { re: -1, im: 0 },
      { re: 2, im: 0.5 },
      { re: -1, im: -3 }
    ],
    { dtype }
  )
// + 0: -0 and 0 compare equal (a product's zero imaginary part may carry either sign).
const values = (a: Array): number[] => [...a.data()].map((v) => Number(v) + 0)

describe("complex collectives under pmap", () => {
  const n = Math.min(devices().length, 4)
  const programs: Readonly<Record<string, (v: Array) => Array>> = {
    psum: (v) => lax.psum(v, "p"),
    pmean: (v) => lax.pmean(v, "p"),
    pmax: (v) => lax.pmax(v, "p"),
    pmin: (v) => lax.pmin(v, "p"),
    allGather: (v) => lax.allGather(v, "p"),
    ppermute: (v) => lax.ppermute(v, "p", [[0, n - 1]]),
    psumScatter: (v) => lax.psumScatter(v.reshape([n]), "p", { tiled: true }),
    "sort inside": (v) => np.sort(v.mul(lax.psum(v, "p")))
  }
  // Gaussian integers: sums and products are exact in any order, so pmap and vmap agree exactly.
  const x = lax.complex(
    np
      .arange(n * n)
      .reshape([n, n])
      .sub(3)
      .astype("float32"),
    np
      .remainder(
        np
          .arange(n * n)
          .reshape([n, n])
          .mul(7),
        5
      )
      .astype("float32")
  )
  for (const [name, f] of Object.entries(programs)) {
    it.runIf(n >= 2)(`${name} equals vmap with the same axis name`, () => {
      const got = pmap(f, { axisName: "p" })(x)
      expect(got.dtype).toBe("complex64")
      expect(got.toJs()).toEqual(vmap(f, { axisName: "p" })(x).toJs())
    })
  }
})

describe("complex128 ordering and products", () => {
  it("sort, max, min and cumprod of complex128 keep the dtype and are exact", () => {
    const a = z("complex128")
    expect(np.sort(a).dtype).toBe("complex128")
    expect(values(np.sort(a))).toEqual([-1, -3, -1, 0, 0, 5, 1, -1, 1, 2, 2, 0.5])
    expect(values(np.max(a))).toEqual([2, 0.5])
    expect(values(np.min(a))).toEqual([-1, -3])
    // (1+2i)(1-i) = 3+i; (3+i)(5i) = -5+15i; * -1 = 5-15i; * (2+0.5i) = 17.5-27.5i; * (-1-3i) = -100-25i
    expect(values(np.cumprod(a))).toEqual([1, 2, 3, 1, -5, 15, 5, -15, 17.5, -27.5, -100, -25])
    expect(values(np.prod(a))).toEqual([-100, -25])
    expect(values(jit((b: Array) => np.prod(b))(a))).toEqual([-100, -25])
  })

  it("a product of more factors than the left fold takes (a pairwise tree) is still exact on Gaussian integers", () => {
    // 200 factors of i: i^200 = 1.
    const a = lax.complex(np.zeros([200]), np.ones([200]))
    expect(values(np.prod(a))).toEqual([1, 0])
    expect(values(np.prod(a.reshape([2, 100]), { axis: 1 }))).toEqual([1, 0, 1, 0])
  })

  it("scatter mul multiplies repeated indices' updates in order, and scatter max keeps the operand where it wins", () => {
    const x = np.ones([3], { dtype: "complex64" })
    const u = lax.complex(np.array([0, 1, 2, 0], { dtype: "float32" }), np.array([1, 1, 0, 2], { dtype: "float32" }))
    // index 0: i * (2+0i) = 2i ; index 2: (1+i)(2i) = -2+2i
    expect(values(x.at(np.array([0, 2, 0, 2])).multiply(u))).toEqual([0, 2, 1, 0, -2, 2])
    expect(values(x.at(np.array([0, 2, 0, 2])).max(u))).toEqual([2, 0, 1, 0, 1, 1])
  })

  it("a while loop carries complex128 values under jit", () => {
    const f = jit(
      (a: Array) =>
        lax.whileLoop(
          (s: [Array, Array]) => np.less(s[0], 4),
          (s: [Array, Array]) => [s[0].add(1), s[1].mul(a)] as [Array, Array],
          [np.array(0), a] as [Array, Array]
        )[1]
    )
    // (1+i)^5 = -4-4i
    expect(values(f(np.array({ re: 1, im: 1 }, { dtype: "complex128" })))).toEqual([-4, -4])
  })
})
