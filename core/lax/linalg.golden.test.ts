/**
 * lax.linalg against real JAX (golden/linalg.py): outputs, where the factorization is unique
 * (cholesky, triangular_solve, lu, qr with LAPACK's sign conventions), directly; eigh's and svd's
 * vectors through invariants (reconstruction, orthonormality, |<v_i, v_jax_i>| = 1 for simple
 * eigen/singular values); and the gradients of JAX's loss (sign-invariant squares of the vectors).
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../golden/load.js"
import { type Array, grad, lax, np } from "../../index.js"

interface Case {
  readonly fn: string
  readonly options: Record<string, unknown>
  readonly args: ReadonlyArray<GoldenArray>
  readonly outs: ReadonlyArray<GoldenArray>
  readonly weights: ReadonlyArray<GoldenArray>
  readonly squared: ReadonlyArray<number>
  readonly use: ReadonlyArray<number>
  readonly grad?: ReadonlyArray<GoldenArray>
  readonly grad64?: ReadonlyArray<GoldenArray>
  readonly diff?: ReadonlyArray<number>
}

const golden = loadGolden<Case>("linalg")
const toArray = (g: GoldenArray): Array => np.array(goldenValues(g), { dtype: g.dtype === "int32" ? "int32" : "float32" }).reshape([...g.shape])

const call = (c: Case, args: ReadonlyArray<Array>): Array[] => {
  const o = c.options as never
  switch (c.fn) {
    case "cholesky":
      return [lax.linalg.cholesky(args[0]!, o)]
    case "tridiagonalSolve":
      return [lax.linalg.tridiagonalSolve(args[0]!, args[1]!, args[2]!, args[3]!)]
    case "triangularSolve":
      return [lax.linalg.triangularSolve(args[0]!, args[1]!, o)]
    case "lu":
      return lax.linalg.lu(args[0]!)
    case "luPivotsToPermutation":
      return [lax.linalg.luPivotsToPermutation(args[0]!, (c.options as { permutationSize: number }).permutationSize)]
    case "qr":
      return lax.linalg.qr(args[0]!, o)
    case "eigh":
      return lax.linalg.eigh(args[0]!, o)
    case "svd": {
      const r = lax.linalg.svd(args[0]!, o) as Array | Array[]
      return globalThis.Array.isArray(r) ? r : [r]
    }
  }
  throw new Error(`unknown fn ${c.fn}`)
}

const maxAbs = (xs: ReadonlyArray<number>): number => xs.reduce((m, v) => Math.max(m, Math.abs(v)), 0)

/** |got - want| <= tol * (1 + max|want|), NaN where want is NaN. */
const close = (got: Array, want: GoldenArray, tol: number, what: string) => {
  expect(got.shape, what).toEqual(want.shape)
  const g = globalThis.Array.from(got.data() as ArrayLike<number>)
  const w = goldenValues(want)
  const scale = 1 + maxAbs(w.filter((v) => Number.isFinite(v)))
  w.forEach((v, i) => {
    if (Number.isNaN(v)) expect(g[i], `${what}[${i}]`).toBeNaN()
    else expect(Math.abs(g[i]! - v), `${what}[${i}]: ${g[i]} vs ${v}`).toBeLessThanOrEqual(tol * scale)
  })
}

/**
 * Within tol of JAX's float32 result, or no further from the float64 reference than twice JAX's
 * own float32 error (ill-conditioned inputs, where both roundings differ).
 */
const closeAsJax = (got: Array, want: GoldenArray, ref: GoldenArray, tol: number, what: string) => {
  expect(got.shape, what).toEqual(want.shape)
  const g = globalThis.Array.from(got.data() as ArrayLike<number>)
  const w = goldenValues(want)
  const r = goldenValues(ref)
  const scale = 1 + maxAbs(w)
  w.forEach((v, i) => {
    const ok = Math.abs(g[i]! - v) <= tol * scale || Math.abs(g[i]! - r[i]!) <= 2 * Math.abs(v - r[i]!) + tol * scale
    expect(ok, `${what}[${i}]: ${g[i]} vs JAX ${v} (float64 ${r[i]})`).toBe(true)
  })
}

const sym = (a: Array): Array => a.add(np.swapaxes(a, -1, -2)).div(2)
const mT = (a: Array): Array => np.swapaxes(a, -1, -2)

/** Columns of x and y (same shape [..., m, k]) agree up to sign where `simple[j]`. */
const sameColumnsUpToSign = (x: Array, y: Array, simple: ReadonlyArray<boolean>, what: string) => {
  const dots = np.sum(x.mul(y), { axis: -2 }) // [..., k]
  const d = globalThis.Array.from(dots.data() as ArrayLike<number>)
  d.forEach((v, i) => {
    if (simple[i % simple.length]!) expect(Math.abs(Math.abs(v) - 1), `${what} column ${i}: <x, y> = ${v}`).toBeLessThan(2e-3)
  })
}

/** Orthonormal columns: x^T x = I. */
const orthonormal = (x: Array, what: string) => {
  const k = x.shape[x.ndim - 1]!
  const g = np.matmul(mT(x), x)
  close(g, asGolden(np.broadcastTo(np.eye(k, k, { dtype: "float32" }), g.shape)), 2e-5, what)
}

const gaps = (vals: ReadonlyArray<number>, k: number): boolean[] =>
  vals.map((v, i) => {
    const j = i % k
    const prev = j > 0 ? vals[i - 1]! : -Infinity
    const next = j < k - 1 ? vals[i + 1]! : Infinity
    return Math.min(Math.abs(v - prev), Math.abs(next - v)) > 1e-3 * (1 + Math.abs(v))
  })

/** An array as a golden one (to compare against with `close`). */
const asGolden = (x: Array): GoldenArray => ({ dtype: "float32", shape: x.shape, data: globalThis.Array.from(x.data() as ArrayLike<number>) })

describe("lax.linalg matches JAX (golden/linalg.py)", () => {
  golden.cases.forEach((c, idx) => {
    it(`${idx}: ${c.fn} ${JSON.stringify(c.options)} on ${c.args.map((a) => `(${a.shape.join(",")})`).join(" ")}`, () => {
      const args = c.args.map(toArray)
      const outs = call(c, args)
      expect(outs.length).toBe(c.outs.length)
      if (c.fn === "eigh") {
        const [v, w] = outs as [Array, Array]
        close(w, c.outs[1]!, 1e-5, "w")
        orthonormal(v, "v")
        const n = w.shape[w.ndim - 1]!
        if (n > 0) {
          const a = c.options.symmetrizeInput === false ? args[0]! : sym(args[0]!)
          const full =
            c.options.lower === false
              ? np.where(np.arange(n).reshape([n, 1]).le(np.arange(n)), a, mT(a))
              : np.where(np.arange(n).reshape([n, 1]).ge(np.arange(n)), a, mT(a))
          const rec = np.matmul(v.mul(np.expandDims(w, -2)), mT(v))
          close(rec, asGolden(full), 2e-5, "v diag(w) v^T")
          sameColumnsUpToSign(v, toArray(c.outs[0]!), gaps(goldenValues(c.outs[1]!), n), "v vs JAX")
        }
      } else if (c.fn === "svd" && outs.length === 3) {
        const [u, s, vh] = outs as [Array, Array, Array]
        close(s, c.outs[1]!, 1e-5, "s")
        orthonormal(u, "u")
        orthonormal(mT(vh), "vh^T")
        const k = s.shape[s.ndim - 1]!
        const m = u.shape[u.ndim - 2]!
        const n = vh.shape[vh.ndim - 1]!
        const uk = np.take(u, np.arange(k), { axis: -1 })
        const vk = np.take(vh, np.arange(k), { axis: -2 })
        const rec = np.matmul(uk.mul(np.expandDims(s, -2)), vk)
        close(rec, c.args[0]!, 2e-5, "u diag(s) vh")
        const simple = gaps(goldenValues(c.outs[1]!), k).map((g, i) => g && goldenValues(c.outs[1]!)[i]! > 1e-3)
        sameColumnsUpToSign(uk, np.take(toArray(c.outs[0]!), np.arange(k), { axis: -1 }), simple, "u vs JAX")
        sameColumnsUpToSign(mT(vk), mT(np.take(toArray(c.outs[2]!), np.arange(k), { axis: -2 })), simple, "v vs JAX")
        expect([m, n]).toEqual([c.outs[0]!.shape.at(-2), c.outs[2]!.shape.at(-1)])
      } else {
        outs.forEach((o, i) => close(o, c.outs[i]!, c.fn === "triangularSolve" ? 1e-4 : 2e-5, `out ${i}`))
      }
      if (c.grad !== undefined) {
        const diff = c.diff!
        const weights = c.weights.map(toArray)
        const loss = (...xs: Array[]) => {
          const full = [...args]
          diff.forEach((d, i) => (full[d] = xs[i]!))
          const os = call(c, full)
          let total = np.array(0, { dtype: "float32" })
          os.forEach((o, i) => {
            if (!c.use.includes(i) || o.dtype === "int32") return
            total = total.add(np.sum((c.squared.includes(i) ? o.mul(o) : o).mul(weights[i]!)))
          })
          return total
        }
        const g = grad(loss, { argnums: diff.map((_, i) => i) })(...diff.map((d) => args[d]!)) as unknown as Array[]
        g.forEach((gi, i) => closeAsJax(gi, c.grad![i]!, c.grad64![i]!, c.fn === "triangularSolve" ? 2e-4 : 1e-4, `grad ${i}`))
      }
    })
  })
})
