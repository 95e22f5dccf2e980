/**
 * Householder reflectors in LAPACK's packed form, written with array operations (so they batch,
 * jit and differentiate like any composition): `householderProduct` (lax.linalg.householder_product,
 * LAPACK's orgqr), `geqrf` (the packed QR that np.linalg.qr's mode "raw" returns) and the column
 * pivots of a pivoted QR (LAPACK's geqp3 choice: at each step the column whose part orthogonal to
 * the columns already chosen is longest, the first such on ties). Reflector j is
 * H_j = I - tau_j v_j v_j^H with v_j = (0, .., 0, 1, a[j+1:, j]) (column j of the packed matrix); real
 * or complex (LAPACK's zlarfg for complex: beta real, the reflectors applied as H_j^H).
 */
import type { Array } from "../array.js"
import { ShapeError } from "../errors.js"
import { arange, eye, zeros } from "../numpy/creation.js"
import { takeAlongAxis } from "../numpy/edit.js"
import { add, divide, equal, greater, greaterEqual, less, logicalAnd, multiply, negative, sqrt, subtract, where } from "../numpy/math.js"
import { conj, imag, real } from "../numpy/complex.js"
import { complexPartDType, isComplex } from "../dtype.js"
import { argmax, sum } from "../numpy/reductions.js"
import { broadcastTo, concatenate, expandDims } from "../numpy/shape.js"
import { stopGradient } from "../primitives/elementwise.js"
import { showShape } from "../shape.js"
import { indexInDim } from "./slicing.js"

/** Row and column indices of an m x n matrix, as [m, 1] and [1, n] int32 arrays. */
const grid = (m: number, n: number): [Array, Array] => [arange(m).reshape([m, 1]), arange(n).reshape([1, n])]

/** The reflectors' vectors as the columns of an m x n matrix: ones on the diagonal, zeros above. */
const reflectors = (a: Array): Array => {
  const m = a.shape[a.ndim - 2]!
  const n = a.shape[a.ndim - 1]!
  const [r, c] = grid(m, n)
  return where(greater(r, c), a, where(equal(r, c), 1, 0).astype(a.dtype))
}

/** The conjugate of a complex array (the identity on real ones, whose programs stay conj-free). */
const adjointOf = (x: Array): Array => (isComplex(x.dtype) ? conj(x) : x)

/** |x|^2 elementwise, real for complex x. */
const absSquared = (x: Array): Array => (isComplex(x.dtype) ? real(multiply(conj(x), x)) : multiply(x, x))

/** Column j of x ([..., m, n] -> [..., m, 1]). */
const column = (x: Array, j: number): Array => indexInDim(x, j, x.ndim - 1, true)

/**
 * `lax.linalg.householder_product`: the first n columns of H_0 H_1 ... H_{k-1} for the packed
 * reflectors in `a` ([..., m, n], m >= n) and `taus` ([..., k], k <= n): LAPACK's orgqr, which
 * turns geqrf's output into Q. Differentiable (JAX defines no derivative for it).
 *
 * @example
 * const x = np.array([[2, 1], [1, 3], [0, 1]], { dtype: "float32" })
 * const [h, tau] = np.linalg.qr(x, { mode: "raw" })
 * const q = lax.linalg.householderProduct(np.swapaxes(h, -1, -2), tau) // np.linalg.qr(x)[0]
 */
export const householderProduct = (a: Array, taus: Array): Array => {
  if (a.ndim < 2) throw new ShapeError(`lax.linalg.householderProduct: a must be a (batch of) matrix, got shape ${showShape(a.shape)}.`)
  const m = a.shape[a.ndim - 2]!
  const n = a.shape[a.ndim - 1]!
  if (m < n) throw new ShapeError(`lax.linalg.householderProduct: a must have at least as many rows as columns, got shape ${showShape(a.shape)}.`)
  const k = taus.shape[taus.ndim - 1]
  const batch = a.shape.slice(0, -2)
  if (taus.ndim !== a.ndim - 1 || k === undefined || k > n || taus.shape.slice(0, -1).some((d, i) => d !== batch[i])) {
    throw new ShapeError(
      `lax.linalg.householderProduct: taus must have shape [...batch, k] with a's batch dimensions and k <= min(m, n) = ${n}; got a ${showShape(a.shape)} and taus ${showShape(taus.shape)}.`
    )
  }
  const v = reflectors(a)
  // (np.eye of a complex dtype is made real, then cast: its complex buffers are not interleaved yet)
  let q = broadcastTo(eye(m, n, { dtype: complexPartDType(a.dtype) }).astype(a.dtype), a.shape)
  for (let j = k - 1; j >= 0; j--) {
    const vj = column(v, j) // [..., m, 1]
    const t = expandDims(indexInDim(taus, j, taus.ndim - 1, true), -1) // [..., 1, 1]
    // Q <- Q - tau v (v^H Q)
    q = subtract(q, multiply(t, multiply(vj, sum(multiply(adjointOf(vj), q), { axis: -2, keepdims: true }))))
  }
  return q
}

/**
 * LAPACK's geqrf: [packed, taus] with R on and above the diagonal of `packed` and the reflectors'
 * vectors below it, taus [..., k]. Column j's reflector maps (alpha, x) to (beta, 0) with
 * beta = -sign(alpha) ||(alpha, x)||, or is the identity (tau 0) when x is zero.
 */
export const geqrf = (x: Array): [Array, Array] => {
  const m = x.shape[x.ndim - 2]!
  const n = x.shape[x.ndim - 1]!
  const k = Math.min(m, n)
  const [rowIdx, cols] = grid(m, n)
  let w = x
  const taus: Array[] = []
  const complex = isComplex(x.dtype)
  for (let j = 0; j < k; j++) {
    const col = column(w, j) // [..., m, 1]
    const alpha = indexInDim(col, j, col.ndim - 2, true) // [..., 1, 1]
    const below = greater(rowIdx, j)
    const xn2 = sum(where(below, absSquared(col), 0), { axis: -2, keepdims: true })
    // zlarfg: the identity only when x is zero and alpha is real; beta real, of the sign opposite to Re(alpha).
    const ar = complex ? real(alpha) : alpha
    const trivial = complex ? logicalAnd(equal(xn2, 0), equal(imag(alpha), 0)) : equal(xn2, 0)
    const norm = sqrt(add(absSquared(alpha), xn2))
    const betaReal = where(greaterEqual(ar, 0), negative(norm), norm)
    const beta = betaReal.astype(x.dtype)
    const safeBeta = where(trivial, 1, beta)
    const tau = where(trivial, 0, divide(subtract(beta, alpha), safeBeta))
    const scale = divide(1, where(trivial, 1, subtract(alpha, beta)))
    const v = where(below, multiply(col, scale), where(equal(rowIdx, j), 1, 0).astype(x.dtype)) // [..., m, 1]
    // columns right of j: W <- H^H W = W - conj(tau) v (v^H W)
    const update = multiply(adjointOf(tau), multiply(v, sum(multiply(adjointOf(v), w), { axis: -2, keepdims: true })))
    const packedCol = where(less(rowIdx, j), col, where(equal(rowIdx, j), where(trivial, alpha, beta), v))
    w = where(greater(cols, j), subtract(w, update), where(equal(cols, j), packedCol, w))
    taus.push(tau)
  }
  const batch = x.shape.slice(0, -2)
  const tau =
    k === 0
      ? zeros([...batch, 0], { dtype: x.dtype })
      : concatenate(
          taus.map((t) => t.reshape([...batch, 1])),
          { axis: -1 }
        )
  return [w, tau]
}

/**
 * The column pivots of a pivoted QR of x ([..., m, n] -> int32 [..., n]): for each of the first
 * min(m, n) steps, the remaining column of largest norm after the chosen ones are projected out
 * (modified Gram-Schmidt), swapped into place. Not differentiated (integer result).
 */
export const qrPivots = (x: Array): Array => {
  const m = x.shape[x.ndim - 2]!
  const n = x.shape[x.ndim - 1]!
  const k = Math.min(m, n)
  const batch = x.shape.slice(0, -2)
  const idx = arange(n)
  let w = stopGradient(x)
  let perm = broadcastTo(idx, [...batch, n])
  for (let j = 0; j < k; j++) {
    const norms = sum(absSquared(w), { axis: -2 }) // [..., n]
    const p = expandDims(argmax(where(less(idx, j), -1, norms), { axis: -1 }), -1) // [..., 1]
    const swap = where(equal(idx, j), p, where(equal(idx, p), j, idx)) // [..., n]
    perm = takeAlongAxis(perm, swap, -1)
    w = takeAlongAxis(w, broadcastTo(expandDims(swap, -2), w.shape), -1)
    const col = column(w, j)
    const nrm = sqrt(sum(absSquared(col), { axis: -2, keepdims: true }))
    const q = divide(col, where(greater(nrm, 0), nrm, 1).astype(x.dtype))
    w = where(greater(idx, j), subtract(w, multiply(q, sum(multiply(adjointOf(q), w), { axis: -2, keepdims: true }))), w)
  }
  return perm.astype("int32")
}
