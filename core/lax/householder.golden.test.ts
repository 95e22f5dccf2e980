/**
 * Householder routines against real JAX (golden/householder.py): lax.linalg.householderProduct,
 * np.linalg.qr's mode "raw", lax.linalg.qr with pivoting (outputs and the gradient JAX defines
 * through the pivoted columns) and scipy.linalg.qr's modes. Pivots must be equal; floats within
 * a float32 tolerance of JAX's.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../golden/load.js"
import { type Array, grad, jit, lax, np, scipy, vmap } from "../../index.js"

interface Case {
  readonly id: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: GoldenArray | ReadonlyArray<GoldenArray>
}

const golden = loadGolden<Case>("householder")
const toArray = (g: GoldenArray): Array => np.array(goldenValues(g), { dtype: g.dtype === "int32" ? "int32" : "float32" }).reshape([...g.shape])

const close = (got: Array, want: GoldenArray, tol: number, what: string): void => {
  expect(got.shape, `${what} shape`).toEqual(want.shape)
  const w = goldenValues(want)
  const g = globalThis.Array.from(got.data() as ArrayLike<number>)
  if (want.dtype === "int32") {
    expect(g, what).toEqual(w)
    return
  }
  const scale = 1 + Math.max(0, ...w.map(Math.abs))
  w.forEach((v, i) => expect(Math.abs(g[i]! - v), `${what}[${i}]: ${g[i]} vs ${v}`).toBeLessThanOrEqual(tol * scale))
}

const pivotedLoss =
  (full: boolean, wq: Array, wr: Array) =>
  (a: Array): Array => {
    const [q, r] = lax.linalg.qr(a, { pivoting: true, fullMatrices: full })
    return np.sum(q.mul(wq)).add(np.sum(r.mul(wr)))
  }

const call = (c: Case, args: ReadonlyArray<Array>): Array[] => {
  const [a, b, d] = args as [Array, Array, Array]
  const opt = (k: string): string | undefined => new RegExp(`${k}=(\\w+)`).exec(c.id)?.[1]
  if (c.id.startsWith("householderProduct")) return [lax.linalg.householderProduct(a, b)]
  if (c.id.startsWith("qrRaw")) return np.linalg.qr(a, { mode: "raw" })
  if (c.id.startsWith("qrPivoting")) {
    const full = opt("full") === "True"
    const outs: Array[] = lax.linalg.qr(a, { pivoting: true, fullMatrices: full })
    return args.length === 3 ? [...outs, grad(pivotedLoss(full, b, d))(a)] : outs
  }
  if (c.id.startsWith("scipyQr")) {
    const mode = opt("mode") as "full" | "economic" | "r"
    return scipy.linalg.qr(a, { mode, pivoting: opt("pivoting") === "True" }) as Array[]
  }
  throw new Error(`unknown case ${c.id}`)
}

describe("Householder routines against JAX", () => {
  for (const c of golden.cases) {
    it(c.id, () => {
      const outs = call(c, c.args.map(toArray))
      const want = globalThis.Array.isArray(c.out) ? (c.out as GoldenArray[]) : [c.out as GoldenArray]
      expect(outs.length).toBe(want.length)
      // gradients (the 4th output of pivoted cases) through a rank-deficient matrix are large: relative
      want.forEach((w, i) => close(outs[i]!, w, i === 3 ? 1e-3 : 2e-5 * Math.max(...w.shape, 1), `${c.id} out ${i}`))
    })
  }
})

describe("Householder routines under transformations", () => {
  const x = np.array(
    [
      [0.1, 2, -1],
      [1.5, 0.3, 0.2],
      [-0.4, 1, 3],
      [2, -1, 0.5]
    ],
    { dtype: "float32" }
  )

  it("householderProduct of qr's raw output is qr's q; jit and vmap agree", () => {
    const [q] = np.linalg.qr(x)
    const hp = (a: Array): Array => {
      const [h, tau] = np.linalg.qr(a, { mode: "raw" })
      return lax.linalg.householderProduct(np.swapaxes(h, -1, -2), tau)
    }
    const d = (u: Array, v: Array): number => np.max(np.abs(u.sub(v))).item() as number
    expect(d(hp(x), q)).toBeLessThan(1e-5)
    expect(d(jit(hp)(x), q)).toBeLessThan(1e-5)
    const xs = np.stack([x, x.mul(-2)])
    const each = np.stack([hp(x), hp(x.mul(-2))])
    expect(d(vmap(hp)(xs), each)).toBeLessThan(1e-5)
  })

  it("pivots come from the largest remaining column, batched under vmap like one by one", () => {
    const a = np.array(
      [
        [1, 3, 0],
        [0, 4, 1],
        [0, 0, 1]
      ],
      { dtype: "float32" }
    )
    expect(lax.linalg.qr(a, { pivoting: true })[2].toJs()).toEqual([1, 2, 0])
    const ps = vmap((m: Array) => lax.linalg.qr(m, { pivoting: true })[2])(np.stack([a, a.mul(-1)]))
    expect(ps.toJs()).toEqual([
      [1, 2, 0],
      [1, 2, 0]
    ])
  })

  it("refuses shapes JAX refuses", () => {
    expect(() => lax.linalg.householderProduct(np.ones([2, 3]), np.ones([2]))).toThrow(/at least as many rows/)
    expect(() => lax.linalg.householderProduct(np.ones([4, 3]), np.ones([4]))).toThrow(/k <= min/)
  })
})
