/**
 * qr: Householder QR of each m x n matrix of a batch (LAPACK's conventions, as JAX's CPU results):
 * Q m x m and R m x n with `fullMatrices`, else Q m x k and R k x n (k = min(m, n)). jvp: JAX's
 * rule for m >= n with reduced matrices (or square ones): with C = Q^T dA R^-1 and
 * Omega = tril(C, -1) - tril(C, -1)^T, dQ = Q (Omega - C) + dA R^-1 and dR = (C - Omega) R.
 */
import { type Array, ShapedArray } from "../../array.js"
import { ValueError } from "../../errors.js"
import { definePrimitive } from "../../primitive.js"
import { checkFlag, showShape } from "../../shape.js"
import { bind } from "../../trace.js"
import { add, sub } from "../elementwise.js"
import { checkMatrix, leadingBatch, mm, mT, tril } from "./common.js"
import { triangularSolve } from "./triangular-solve.js"

export interface QrParams {
  readonly fullMatrices: boolean
  readonly [k: string]: unknown
}

export const qrP = definePrimitive<QrParams>("qr", ([a], { fullMatrices }) => {
  checkFlag(fullMatrices, "qr: fullMatrices")
  const [m, n] = checkMatrix(a, "qr", false)
  const k = Math.min(m, n)
  const batch = a!.shape.slice(0, -2)
  return [
    new ShapedArray([...batch, m, fullMatrices ? m : k], a!.dtype, a!.weakType),
    new ShapedArray([...batch, fullMatrices ? m : k, n], a!.dtype, a!.weakType)
  ]
}, true)
qrP.printParams = (p) => [["full_matrices", p.fullMatrices ? "True" : "False"], ["pivoting", "False"]]

/** [q, r] of each matrix. */
export const qrRaw = (a: Array, fullMatrices: boolean): [Array, Array] => {
  const [q, r] = bind(qrP, [a], { fullMatrices })
  return [q!, r!]
}

qrP.jvp = ([a], [dx], { fullMatrices }) => {
  const m = a!.shape[a!.ndim - 2]!
  const n = a!.shape[a!.ndim - 1]!
  if (m < n || (fullMatrices && m !== n)) {
    throw new ValueError(
      `the derivative of qr is defined (as in JAX) for matrices with m >= n and reduced factors; got shape ${showShape(a!.shape)} ` +
        `with fullMatrices ${fullMatrices}. Use mode "reduced" (fullMatrices false) on a tall or square matrix.`
    )
  }
  const [q, r] = qrRaw(a!, fullMatrices)
  const dxRinv = triangularSolve(r, dx!)
  const c = mm(mT(q), dxRinv)
  const low = tril(c, -1)
  const omega = sub(low, mT(low))
  const dq = add(mm(q, sub(omega, c)), dxRinv)
  const dr = mm(sub(c, omega), r)
  return [[q, r], [dq, dr]]
}
qrP.batch = leadingBatch(qrP)
