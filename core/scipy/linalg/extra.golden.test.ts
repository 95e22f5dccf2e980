/**
 * The scipy.linalg names that issue 13's audit found missing, against real JAX
 * (golden/scipy_extra_13.py): special matrices, and cholesky, det, inv, lu, eigh, svd, solve and
 * polar in scipy's spelling. Values, gradients (JAX's, float64 as referee), batching against the
 * unbatched call, and vmap.
 */
import { describe, expect, it } from "vitest"
import { type Array, np, scipy, vmap } from "../../../index.js"
import { checkGrad, closeAsJax, type ExtraCase, extraCases, reviveArg, x32 } from "../scipy-extra.test-helpers.js"

const S = scipy.linalg
const call = (c: ExtraCase, args: ReadonlyArray<unknown>): Array[] => {
  const a = args as ReadonlyArray<never>
  const o = c.options as never
  const one = (x: Array | Array[]): Array[] => (globalThis.Array.isArray(x) ? x : [x])
  switch (c.fn) {
    case "toeplitz":
      return [a.length === 1 ? S.toeplitz(a[0]!) : S.toeplitz(a[0]!, a[1]!)]
    case "hankel":
      return [a.length === 1 ? S.hankel(a[0]!) : S.hankel(a[0]!, a[1]!)]
    case "circulant":
      return [S.circulant(a[0]!)]
    case "leslie":
      return [S.leslie(a[0]!, a[1]!)]
    case "companion":
      return [S.companion(a[0]!)]
    case "fiedler":
      return [S.fiedler(a[0]!)]
    case "fiedlerCompanion":
      return [S.fiedlerCompanion(a[0]!)]
    case "convolutionMatrix":
      return [S.convolutionMatrix(a[0]!, a[1]!, a[2]!)]
    case "hilbert":
      return [S.hilbert(a[0]!)]
    case "invhilbert":
      return [S.invhilbert(a[0]!)]
    case "pascal":
      return [S.pascal(a[0]!, a[1]!)]
    case "invpascal":
      return [S.invpascal(a[0]!, a[1]!)]
    case "helmert":
      return [S.helmert(a[0]!, o)]
    case "hadamard":
      return [S.hadamard(a[0]!, o)]
    case "dft":
      return [S.dft(a[0]!, o)]
    case "cholesky":
      return [S.cholesky(a[0]!, o)]
    case "det":
      return [S.det(a[0]!)]
    case "inv":
      return [S.inv(a[0]!)]
    case "lu":
      return S.lu(a[0]!, o)
    case "eigh":
      return one(S.eigh(a[0]!, o))
    case "svd":
      return one(S.svd(a[0]!, o))
    case "solve":
      return [S.solve(a[0]!, a[1]!, o)]
    case "polar":
      return S.polar(a[0]!, o)
  }
  throw new Error(`unknown fn ${c.fn}`)
}

/** eigh's eigenvectors are defined up to sign: each column made to have a positive largest entry. */
const signFixed = (v: Array): Array => {
  const idx = np.argmax(np.abs(v), { axis: -2, keepdims: true })
  return v.mul(np.sign(np.takeAlongAxis(v, idx, -2)))
}

const fns = [
  ...["toeplitz", "hankel", "circulant", "leslie", "companion", "fiedler", "fiedlerCompanion", "convolutionMatrix"],
  ...["hilbert", "invhilbert", "pascal", "invpascal", "helmert", "hadamard", "dft"],
  ...["cholesky", "det", "inv", "lu", "eigh", "svd", "solve", "polar"]
]

describe("scipy.linalg's special matrices and decompositions match JAX (golden/scipy_extra_13.py)", () => {
  const cases = extraCases(fns)
  it("has a case for every function", () => expect(new Set(cases.map((c) => c.fn))).toEqual(new Set(fns)))
  cases.forEach((c, idx) => {
    it(`${idx}: ${c.fn} ${JSON.stringify(c.options)}`, () => {
      const args = c.args.map(reviveArg)
      const outs = call(c, args)
      expect(outs.length).toBe(c.outs.length)
      outs.forEach((out, i) => {
        const want = c.outs[i]!
        expect(out.dtype, `out ${i} dtype`).toBe(x32(want.dtype))
        if (c.fn === "svd" && outs.length === 3) {
          // u and vh are defined up to the signs of their paired columns and rows: check s and u diag(s) vh = a.
          if (i === 1) closeAsJax(out, want, undefined, 1e-4, "singular values")
          if (i === 0) expect(np.allclose(np.matmul(out.mul(outs[1]!.reshape([1, -1])), outs[2]!), args[0] as Array, { atol: 1e-4 }).item()).toBeTruthy()
        } else if (c.fn === "eigh" && i === 1) {
          const ref = np.array(want.data as number[], { dtype: "float32" }).reshape([...want.shape])
          closeAsJax(signFixed(out), { ...want, data: globalThis.Array.from(signFixed(ref).data() as Float32Array) }, undefined, 1e-4, "eigenvectors")
        } else closeAsJax(out, want, undefined, c.fn === "pascal" || c.fn === "invpascal" ? 3e-5 : 1e-4, `out ${i}`)
      })
      checkGrad(c, (a) => call(c, a), args, 2e-4)
    })
  })
})

describe("scipy.linalg batches over leading dimensions as the unbatched call", () => {
  const key = (s: number) =>
    np.array(
      globalThis.Array.from({ length: s }, (_, i) => Math.sin(i * 1.7) * 2),
      { dtype: "float32" }
    )
  it("lu, polar, solve (pos), cholesky of a stack equal each matrix's", () => {
    const a = key(18).reshape([2, 3, 3]).add(np.eye(3).mul(4))
    const spd = np.matmul(a, np.swapaxes(a, -1, -2))
    const b = key(6).reshape([2, 3])
    const each = <T extends Array[]>(f: (x: Array, i: number) => T) => [0, 1].map((i) => f(a.index(i), i))
    const stacked = S.lu(a)
    each((x) => S.lu(x)).forEach((parts, i) => parts.forEach((p, j) => expect(stacked[j]!.index(i).toJs()).toEqual(p.toJs())))
    const [u, p] = S.polar(a)
    each((x) => S.polar(x)).forEach(([ui, pi], i) => {
      expect(np.allclose(u.index(i), ui, { atol: 1e-5 }).item()).toBeTruthy()
      expect(np.allclose(p.index(i), pi, { atol: 1e-5 }).item()).toBeTruthy()
    })
    const x = S.solve(spd, b, { assumeA: "pos" })
    ;[0, 1].forEach((i) => expect(np.allclose(x.index(i), S.solve(spd.index(i), b.index(i), { assumeA: "pos" }), { atol: 1e-5 }).item()).toBeTruthy())
    expect(np.allclose(np.matmul(spd, x.reshape([2, 3, 1])).reshape([2, 3]), b, { atol: 1e-4 }).item()).toBeTruthy()
  })
  it("vmap of toeplitz and companion equals their batched form", () => {
    const c = key(8).reshape([2, 4]).add(3)
    expect(vmap((v: Array) => S.toeplitz(v))(c).toJs()).toEqual(S.toeplitz(c).toJs())
    expect(np.allclose(vmap((v: Array) => S.companion(v))(c), S.companion(c)).item()).toBeTruthy()
  })
  it("refuses bad sizes with errors that say what to give", () => {
    expect(() => S.hadamard(3)).toThrow(/power of 2/)
    expect(() => S.leslie([1, 2, 3], [1])).toThrow(/one shorter/)
    expect(() => S.convolutionMatrix([1, 2], 0)).toThrow(/positive integer/)
    expect(() => S.pascal(3, "diag" as never)).toThrow(/kind must be/)
    expect(() =>
      S.solve(
        [
          [1, 0],
          [0, 1]
        ],
        [1, 2, 3],
        { assumeA: "pos" }
      )
    ).toThrow(/does not fit/)
  })
})
