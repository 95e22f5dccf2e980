/**
 * Second derivatives through np.linalg (issue 13): hessian of losses built on det, slogdet, solve,
 * inv, cholesky, eigh, eigvalsh, svd and qr against real JAX (golden/linalg_hessian.py, float32
 * with a float64 reference) and against central finite differences of the gradient in float64;
 * at repeated eigenvalues the Hessian is NaN wherever JAX's is (its eigh rule divides by w_i - w_j).
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../../golden/load.js"
import { type Array, grad, hessian, np } from "../../../index.js"

interface Case {
  readonly id: string
  readonly fn: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly hessian: GoldenArray
  readonly hessian64: GoldenArray
}

const golden = loadGolden<Case>("linalg_hessian")
const L = np.linalg

const LOSSES: Readonly<Record<string, (a: Array, ...w: Array[]) => Array>> = {
  det: (a) => L.det(a),
  slogdet: (a) => L.slogdet(a)[1],
  solve: (a, b, w) => np.sum(L.solve(a, b!).mul(w!)),
  inv: (a, w) => np.sum(L.inv(a).mul(w!)),
  cholesky: (a, w) => np.sum(L.cholesky(a).mul(w!)),
  eigh: (a, c, w) => {
    const [ev, v] = L.eigh(a)
    return np.sum(ev.mul(c!)).add(np.sum(v.mul(v).mul(w!)))
  },
  eigvalsh: (a, c) => np.sum(L.eigvalsh(a).mul(c!)),
  svdvals: (a, c) => np.sum(L.svd(a, { computeUv: false }).mul(c!)),
  qr: (a, w) => np.sum(L.qr(a)[1].mul(w!))
}

const arr = (g: GoldenArray, dtype: "float32" | "float64"): Array => np.array(goldenValues(g), { dtype }).reshape([...g.shape])
const values = (x: Array): number[] => globalThis.Array.from(x.data() as ArrayLike<number>)

describe("hessians through np.linalg against JAX", () => {
  for (const c of golden.cases) {
    it(c.id, () => {
      const f = LOSSES[c.fn]!
      const [x, ...ws] = c.args.map((g) => arr(g, "float32"))
      const h = hessian((a: Array) => f(a, ...ws))(x!)
      expect(h.shape).toEqual(c.hessian.shape)
      const got = values(h)
      const want = goldenValues(c.hessian)
      const ref = goldenValues(c.hessian64)
      const scale = 1 + Math.max(0, ...ref.filter(Number.isFinite).map(Math.abs))
      want.forEach((v, i) => {
        const g = got[i]!
        if (Number.isNaN(v)) return expect(g, `${c.id}[${i}] is NaN in JAX`).toBeNaN()
        // within float32 rounding of JAX, or no further from float64 than twice JAX's own error
        const ok = Math.abs(g - v) <= 2e-4 * scale || Math.abs(g - ref[i]!) <= 2 * Math.abs(v - ref[i]!) + 2e-4 * scale
        expect(ok, `${c.id}[${i}]: ${g} vs JAX ${v} (float64 ${ref[i]})`).toBe(true)
      })
    })
  }
})

describe("hessians through np.linalg against finite differences (float64)", () => {
  for (const c of golden.cases.filter((k) => !goldenValues(k.hessian).some(Number.isNaN))) {
    it(c.id, () => {
      const f = LOSSES[c.fn]!
      const [x, ...ws] = c.args.map((g) => arr(g, "float64"))
      const n = x!.size
      const h = values(hessian((a: Array) => f(a, ...ws))(x!))
      const g = grad((a: Array) => f(a, ...ws))
      const base = values(x!)
      const eps = 1e-6
      for (let j = 0; j < n; j++) {
        const plus = base.slice()
        const minus = base.slice()
        plus[j] = plus[j]! + eps
        minus[j] = minus[j]! - eps
        const gp = values(g(np.array(plus, { dtype: "float64" }).reshape(x!.shape)))
        const gm = values(g(np.array(minus, { dtype: "float64" }).reshape(x!.shape)))
        for (let i = 0; i < n; i++) {
          const fd = (gp[i]! - gm[i]!) / (2 * eps)
          // the symmetrizing losses (cholesky, eigh) see A's two triangles as one: both the
          // hessian and the FD of the gradient are taken through the same symmetrization
          expect(Math.abs(h[i * n + j]! - fd), `${c.id} H[${i}, ${j}]: ${h[i * n + j]} vs fd ${fd}`).toBeLessThan(1e-5 * (1 + Math.abs(fd)))
        }
      }
    })
  }
})
