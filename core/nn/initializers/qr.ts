/**
 * A small QR factorization for the orthogonal initializers (jaxfx has no np.linalg.qr yet):
 * Householder reflections in LAPACK's convention (dgeqr2 / dlarfg / dorg2r): for column k,
 * beta = -sign(alpha) ||x||, v = x / (alpha - beta) with v_k = 1, tau = (beta - alpha) / beta, and
 * no reflection (tau = 0, beta = alpha) when x has nothing below the diagonal. Written with array
 * primitives inside `lax.forILoop`, so it runs eagerly, under jit and under vmap; it computes in
 * the matrix's dtype. Private to core/nn.
 */
import type { Array } from "../../array.js"
import { ShapeError } from "../../errors.js"
import { forILoop } from "../../lax/control.js"
import { arange, eye } from "../../numpy/creation.js"
import { matmul, outer } from "../../numpy/linalg.js"
import { add, divide, equal, greater, greaterEqual, multiply, negative, sqrt, subtract, where } from "../../numpy/math.js"
import { sum } from "../../numpy/reductions.js"
import { expandDims } from "../../numpy/shape.js"
import { constant } from "../../primitives/common.js"
import { showShape } from "../../shape.js"

type Carry = readonly [Array, Array, Array, Array]

/**
 * The reduced QR of a [m, n] matrix with m >= n: `[q, rDiag]`, q [m, n] with orthonormal columns
 * and rDiag [n] the diagonal of R (LAPACK's signs).
 */
export const householderQr = (a: Array): [Array, Array] => {
  if (a.ndim !== 2 || a.shape[0]! < a.shape[1]!) {
    throw new ShapeError(`householderQr: expected a [m, n] matrix with m >= n, got ${showShape(a.shape)}.`)
  }
  const [m, n] = a.shape as [number, number]
  const dtype = a.dtype
  const rows = arange(m)
  const cols = arange(n)
  const zero = constant(0, dtype)
  const step = (k: Array, [r, vs, taus, diag]: Carry): Carry => {
    const isCol = equal(cols, k) // [n]
    const colK = sum(where(expandDims(isCol, 0), r, zero), { axis: 1 }) // R[:, k]
    const isRow = equal(rows, k)
    const alpha = sum(where(isRow, colK, zero))
    const tail = where(greater(rows, k), colK, zero)
    const sigma = sum(multiply(tail, tail))
    const noReflection = equal(sigma, 0)
    const norm = sqrt(add(multiply(alpha, alpha), sigma))
    const beta = where(noReflection, alpha, where(greaterEqual(alpha, 0), negative(norm), norm))
    const v = where(isRow, constant(1, dtype), divide(tail, where(noReflection, constant(1, dtype), subtract(alpha, beta))))
    const tau = where(noReflection, zero, divide(subtract(beta, alpha), beta))
    // R <- H R on the columns right of k (column k becomes [.., beta, 0, ..], kept as diag[k]).
    const w = where(greater(cols, k), matmul(v, r), zero)
    return [subtract(r, multiply(tau, outer(v, w))), where(expandDims(isCol, 0), expandDims(v, 1), vs), where(isCol, tau, taus), where(isCol, beta, diag)]
  }
  const init: Carry = [a, constant(0, dtype, [m, n]), constant(0, dtype, [n]), constant(0, dtype, [n])]
  const [, vs, taus, diag] = forILoop(0, n, step, init)
  // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity, innermost first.
  const q = forILoop(
    0,
    n,
    (i: Array, q: Array) => {
      const k = subtract(n - 1, i)
      const isCol = equal(cols, k)
      const v = sum(where(expandDims(isCol, 0), vs, zero), { axis: 1 })
      const tau = sum(where(isCol, taus, zero))
      return subtract(q, multiply(tau, outer(v, matmul(v, q))))
    },
    eye(m, n, { dtype })
  )
  return [q, diag]
}
