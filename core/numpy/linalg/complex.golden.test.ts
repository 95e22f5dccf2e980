/**
 * Complex linear algebra against real JAX on CPU (golden/linalg_complex.py): lax.linalg's
 * decompositions and solves, np.linalg's solvers, determinants, norms and pseudo-inverses, and
 * scipy.linalg's triangular, Cholesky and LU solvers on complex64 and complex128 matrices (batches,
 * 0x0 and 1x1 edges), and jax.grad of real functions of complex matrices (JAX's convention, from
 * the golden file). Beside them, the jvp of each decomposition against central finite differences
 * in a complex direction (complex128), and the invariants of eigh and svd whose phases LAPACK
 * picks (A V = V diag(w), A = U diag(s) Vh, unitary factors).
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, loadGolden } from "../../../golden/load.js"
import { type Array, grad, jvp, lax, np, scipy } from "../../../index.js"
import { type Case, pairs, toArray } from "./eig-golden.test-helpers.js"

/** got equals JAX's want: shape, dtype, values (both parts of complex ones) within tol of 1 + the largest magnitude. */
const close = (got: Array, want: GoldenArray, tol: number, what: string): void => {
  expect(got.shape, what).toEqual(want.shape)
  // JAX's int64 (x64 on in the generator) is jaxfx's int32 (matrix_rank)
  expect(got.dtype, what).toBe(want.dtype === "int64" ? "int32" : want.dtype)
  const g = globalThis.Array.from(got.data() as ArrayLike<number>, Number)
  const w = want.dtype.startsWith("complex") ? pairs(want) : want.data.map(Number)
  expect(g.length, what).toBe(w.length)
  const scale = 1 + Math.max(0, ...w.filter(Number.isFinite).map(Math.abs))
  w.forEach((v, i) => {
    if (Number.isNaN(v)) expect(g[i], `${what}[${i}]`).toBeNaN()
    else if (!Number.isFinite(v)) expect(g[i], `${what}[${i}]`).toBe(v)
    else expect(Math.abs(g[i]! - v), `${what}[${i}]: ${g[i]} vs ${v}`).toBeLessThanOrEqual(tol * scale)
  })
}

const cases = loadGolden<Case>("linalg_complex").cases

const L = lax.linalg
const re = (x: Array): Array => np.real(x)
const reInner = (x: Array, y: Array): Array => np.sum(re(np.conj(x).mul(y)))
const mH = (x: Array): Array => np.conj(np.swapaxes(x, -1, -2))
const block = (x: Array, start: ReadonlyArray<number>, end: ReadonlyArray<number>): Array => lax.slice(x, [...start], [...end])
const slice2 = (w: Array, rows: number, cols: number): Array => block(w, [0, 0], [rows, cols])
const at = (w: Array, i: number, j: number): Array => block(w, [i, j], [i + 1, j + 1]).reshape([])
const row0 = (w: Array): Array => re(block(w, [0, 0], [1, 3]).reshape([3]))

type Call = (...a: Array[]) => Array | ReadonlyArray<Array>
const matNorms = [null, "fro", "nuc", 2, -2, 1, -1, Infinity] as const
const vecNorms = [null, 1, 2, Infinity, 0, 3] as const

/** The jaxfx call of each golden id's name (the id without its dtype and shape tags). */
const calls: Readonly<Record<string, Call>> = {
  cholesky: (x) => L.cholesky(x),
  lu: (x) => L.lu(x),
  inv: (x) => np.linalg.inv(x),
  solve: (x, b) => np.linalg.solve(x, b),
  det: (x) => np.linalg.det(x),
  slogdet: (x) => np.linalg.slogdet(x),
  eigvalsh: (x) => np.linalg.eigvalsh(x),
  "eigh abs": (x) => {
    const [w, v] = np.linalg.eigh(x)
    return [w, np.abs(v)]
  },
  "qr reduced": (x) => np.linalg.qr(x),
  "qr complete": (x) => np.linalg.qr(x, { mode: "complete" }),
  "solve_triangular lower trans0": (x, b) => scipy.linalg.solveTriangular(x, b, { trans: 0, lower: true }),
  "solve_triangular lower trans1": (x, b) => scipy.linalg.solveTriangular(x, b, { trans: 1, lower: true }),
  "solve_triangular lower trans2": (x, b) => scipy.linalg.solveTriangular(x, b, { trans: 2, lower: true }),
  "triangular_solve right conj": (x, b) => L.triangularSolve(x, b, { leftSide: false, lower: true, conjugateA: true, transposeA: false }),
  "triangular_solve upper unit transpose": (x, b) => L.triangularSolve(x, b, { leftSide: true, lower: false, transposeA: true, unitDiagonal: true }),
  cho_solve: (x, b) => scipy.linalg.choSolve(scipy.linalg.choFactor(x), b),
  "lu_solve trans2": (x, b) => scipy.linalg.luSolve(scipy.linalg.luFactor(x), b, { trans: 2 }),
  norms: (x) => matNorms.map((ord) => np.linalg.norm(x, { ord, axis: [-2, -1] })),
  svdvals: (x) => np.linalg.svd(x, { computeUv: false }),
  "svd abs": (x) => {
    const [u, s, vh] = np.linalg.svd(x, { fullMatrices: false })
    return [np.abs(u), s, np.abs(vh)]
  },
  pinv: (x) => np.linalg.pinv(x),
  lstsq: (x, b) => np.linalg.lstsq(x, b)[0],
  "matrix_rank cond": (x) => [np.linalg.matrixRank(x), np.linalg.cond(x)],
  "matrix_rank deficient": (x) => np.linalg.matrixRank(x),
  "norm vector": (v) => vecNorms.map((ord) => np.linalg.norm(v, { ord })),
  tridiagonal_solve: (dl, d, du, b) => L.tridiagonalSolve(dl, d, du, b),
  "qr raw": (x) => np.linalg.qr(x, { mode: "raw" }),
  householder_product: (x) => {
    const [h, tau] = np.linalg.qr(x, { mode: "raw" })
    const k = Math.min(...x.shape)
    return lax.linalg.householderProduct(block(np.swapaxes(h, -1, -2), [0, 0], [x.shape[0]!, k]), tau)
  },
  "scipy qr pivoting": (x) => scipy.linalg.qr(x, { pivoting: true }),
  expm: (x) => scipy.linalg.expm(x),
  "eigh upper": (x) => L.eigh(x, { lower: false, symmetrizeInput: false })[1]
}

/** The real functions differentiated, of (x, w, b, rect) as in the generator. */
const losses: Readonly<Record<string, (x: Array, w: Array, b: Array, rect: Array) => Array>> = {
  "inv trace": (x) => re(np.trace(np.linalg.inv(x))),
  solve: (x, w, b) => reInner(slice2(w, 3, 2), np.linalg.solve(x, b)),
  det: (x, w) => reInner(at(w, 0, 0), np.linalg.det(x)),
  logabsdet: (x) => np.linalg.slogdet(x)[1],
  "slogdet sign": (x, w) => reInner(at(w, 0, 1), np.linalg.slogdet(x)[0]),
  cholesky: (x, w) => reInner(w, np.linalg.cholesky(x)),
  eigvalsh: (x, w) => np.sum(row0(w).mul(np.linalg.eigvalsh(x))),
  "eigh abs2": (x, w) => np.sum(re(w).mul(np.square(np.abs(np.linalg.eigh(x)[1])))),
  qr: (x, w) => {
    const [q, r] = np.linalg.qr(x)
    return reInner(w, q).add(reInner(np.transpose(w), r))
  },
  "qr tall": (x, w, _b, rect) => {
    const [q, r] = np.linalg.qr(x)
    return reInner(rect, q).add(reInner(w, r))
  },
  lu: (x, w) => reInner(w, L.lu(x)[0]),
  "norm 2": (x) => np.linalg.norm(x, { ord: 2 }),
  "norm fro": (x) => np.linalg.norm(x),
  "norm nuc": (x) => np.linalg.norm(x, { ord: "nuc" }),
  "svd abs2": (x, w, _b, rect) => {
    const [u, s] = np.linalg.svd(x, { fullMatrices: false })
    return np.sum(re(rect).mul(np.square(np.abs(u)))).add(np.sum(s.mul(row0(w))))
  },
  pinv: (x, _w, _b, rect) => reInner(np.transpose(rect), np.linalg.pinv(x)),
  triangular: (x, _w, b) => reInner(b, scipy.linalg.solveTriangular(x, b, { lower: true, trans: 2 }))
}

const nameOf = (id: string): string => id.slice(0, id.indexOf(" complex"))

describe("complex linear algebra matches JAX (golden/linalg_complex.py)", () => {
  for (const c of cases) {
    const name = nameOf(c.id)
    const tol = c.id.includes("complex128") ? 1e-9 : 2e-4
    it(c.id, () => {
      const args = c.args.map(toArray)
      if (name.startsWith("grad ")) {
        const f = losses[name.slice(5)]!
        const [x, w, b, rect] = args as [Array, Array, Array, Array]
        const g = grad((y: Array) => f(y, w, b, rect))(x)
        close(g, c.out as never, tol * 5, "grad")
        return
      }
      const call = calls[name]
      expect(call, `a call for ${name}`).toBeDefined()
      const got = call!(...args)
      const outs = globalThis.Array.isArray(c.out) ? c.out : [c.out]
      const gots = globalThis.Array.isArray(got) ? (got as ReadonlyArray<Array>) : [got as Array]
      expect(gots.length).toBe(outs.length)
      gots.forEach((o, i) => close(o, outs[i]!, tol, `out ${i}`))
    })
  }
  it("every golden case has a call", () => {
    for (const c of cases) {
      const name = nameOf(c.id)
      expect(name.startsWith("grad ") ? losses[name.slice(5)] : calls[name], c.id).toBeDefined()
    }
  })
})

/** A random complex128 array of a shape (seeded, deterministic). */
const crand = (shape: ReadonlyArray<number>, seed: number): Array => {
  let s = seed
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s / 2147483648 - 0.5
  }
  const n = shape.reduce((p, d) => p * d, 1)
  const part = () => np.array(globalThis.Array.from({ length: n }, next), { dtype: "float64" }).reshape([...shape])
  return lax.complex(part(), part())
}

const maxAbsDiff = (a: Array, b: Array): number => np.max(np.abs(a.sub(b))).item() as number

describe("complex decompositions: jvp against central differences in a complex direction (complex128)", () => {
  const n = 3
  const a = crand([n, n], 1).add(np.eye(n, n, { dtype: "float64" }).mul(3))
  const h = np.matmul(a, mH(a)).add(np.eye(n, n, { dtype: "float64" }).mul(n))
  const da = crand([n, n], 2)
  const dh = da.add(mH(da))
  const fns: ReadonlyArray<readonly [string, (x: Array) => Array, Array, Array]> = [
    ["cholesky", (x) => L.cholesky(x), h, dh],
    ["lu", (x) => L.lu(x)[0], a, da],
    ["qr: q", (x) => L.qr(x, { fullMatrices: false })[0], a, da],
    ["qr: r", (x) => L.qr(x, { fullMatrices: false })[1], a, da],
    ["qr wide: r", (x) => L.qr(block(x, [0, 0], [2, 3]), { fullMatrices: false })[1], a, da],
    [
      "triangular_solve (conjugate, transpose)",
      (x) => L.triangularSolve(np.tril(x), a, { leftSide: true, lower: true, transposeA: true, conjugateA: true }),
      a,
      da
    ],
    ["eigh: eigenvalues", (x) => L.eigh(x)[1], h, dh],
    ["eigh: |v|^2", (x) => np.square(np.abs(L.eigh(x)[0])), h, dh],
    ["svd: s", (x) => L.svd(x, { computeUv: false }), a, da],
    [
      "svd: u diag(s) vh",
      (x) => {
        const [u, s, vh] = L.svd(x, { fullMatrices: false })
        return np.matmul(u.mul(s.astype("complex128")), vh)
      },
      a,
      da
    ],
    ["det", (x) => np.linalg.det(x), a, da],
    ["slogdet sign", (x) => np.linalg.slogdet(x)[0], a, da],
    ["inv", (x) => np.linalg.inv(x), a, da]
  ]
  for (const [label, f, x, t] of fns) {
    it(label, () => {
      const [, tangent] = jvp(f, [x], [t]) as unknown as [Array, Array]
      const eps = 1e-6
      const fd = f(x.add(t.mul(eps)))
        .sub(f(x.sub(t.mul(eps))))
        .div(2 * eps)
      const scale = 1 + (np.max(np.abs(fd)).item() as number)
      expect(maxAbsDiff(tangent.astype(fd.dtype), fd) / scale).toBeLessThan(1e-6)
    })
  }
})

describe("eigh and svd of complex matrices: the invariants (phases are LAPACK's choice)", () => {
  it("A V = V diag(w) with V unitary, and A = U diag(s) Vh with U, Vh unitary", () => {
    for (const dtype of ["complex64", "complex128"] as const) {
      const tol = dtype === "complex64" ? 1e-4 : 1e-11
      const a = crand([2, 4, 4], 3).astype(dtype)
      const h = a.add(mH(a))
      const [w, v] = np.linalg.eigh(h)
      expect(w.dtype).toBe(dtype === "complex64" ? "float32" : "float64")
      expect(maxAbsDiff(np.matmul(h, v), v.mul(np.expandDims(w, -2).astype(dtype)))).toBeLessThan(tol * 10)
      expect(maxAbsDiff(np.matmul(mH(v), v), np.eye(4, 4, { dtype: "float32" }).astype(dtype))).toBeLessThan(tol)
      for (const shape of [
        [3, 5],
        [5, 3],
        [4, 4]
      ] as const) {
        const x = crand(shape, 4).astype(dtype)
        for (const fullMatrices of [false, true]) {
          const [u, s, vh] = np.linalg.svd(x, { fullMatrices })
          const k = Math.min(...shape)
          const us = block(u, [0, 0], [shape[0], k]).mul(s.astype(dtype))
          expect(maxAbsDiff(np.matmul(us, block(vh, [0, 0], [k, shape[1]])), x)).toBeLessThan(tol * 10)
          expect(maxAbsDiff(np.matmul(mH(u), u), np.eye(u.shape[1]!, u.shape[1]!, { dtype: "float32" }).astype(dtype))).toBeLessThan(tol)
          expect(maxAbsDiff(np.matmul(vh, mH(vh)), np.eye(vh.shape[0]!, vh.shape[0]!, { dtype: "float32" }).astype(dtype))).toBeLessThan(tol)
        }
      }
    }
  })
})
