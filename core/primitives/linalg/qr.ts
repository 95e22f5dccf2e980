/**
 * qr: Householder QR of each real or complex m x n matrix of a batch (LAPACK's conventions, as
 * JAX's CPU results; R's diagonal real for complex input): Q m x m and R m x n with `fullMatrices`,
 * else Q m x k and R k x n (k = min(m, n)). jvp: JAX's rule for every shape and mode: for m >= n,
 * with C = Q^H dA R^-1 and Omega = tril(C, -1) - tril(C, -1)^H (plus i Im diag(C) for complex),
 * dQ = Q (Omega - C) + dA R^-1 and dR = (C - Omega) R; wide and full-matrices
 * shapes build on it (see the rule).
 */
import { type Array, ShapedArray } from "../../array.js"
import { isComplex } from "../../dtype.js"
import { definePrimitive } from "../../primitive.js"
import { checkFlag } from "../../shape.js"
import { bind } from "../../trace.js"
import { constant } from "../common.js"
import { add, mul, sub } from "../elementwise.js"
import { concatenate, slice } from "../shape-ops.js"
import { checkMatrix, eyeOf, leadingBatch, mH, mm, mT, realOf, tril } from "./common.js"
import { luRaw, permuteRows } from "./lu.js"
import { triangularSolve } from "./triangular-solve.js"

export interface QrParams {
  readonly fullMatrices: boolean
  readonly [k: string]: unknown
}

export const qrP = definePrimitive<QrParams>(
  "qr",
  ([a], { fullMatrices }) => {
    checkFlag(fullMatrices, "qr: fullMatrices")
    const [m, n] = checkMatrix(a, "qr", false)
    const k = Math.min(m, n)
    const batch = a!.shape.slice(0, -2)
    return [
      new ShapedArray([...batch, m, fullMatrices ? m : k], a!.dtype, a!.weakType),
      new ShapedArray([...batch, fullMatrices ? m : k, n], a!.dtype, a!.weakType)
    ]
  },
  true
)
qrP.printParams = (p) => [
  ["full_matrices", p.fullMatrices ? "True" : "False"],
  ["pivoting", "False"]
]

/** [q, r] of each matrix. */
export const qrRaw = (a: Array, fullMatrices: boolean): [Array, Array] => {
  const [q, r] = bind(qrP, [a], { fullMatrices })
  return [q!, r!]
}

/** JAX's _thin_qr_jvp: tangents of Q (m x n) and R (n x n) of an m x n matrix with m >= n. */
const thinQrJvp = (q: Array, r: Array, dx: Array): [Array, Array] => {
  const dxRinv = triangularSolve(r, dx)
  const c = mm(mH(q), dxRinv)
  const low = tril(c, -1)
  let omega = sub(low, mH(low))
  // JAX's correction for complex inputs: the diagonal's imaginary part of C joins Omega.
  if (isComplex(c.dtype)) omega = add(omega, mul(eyeOf(c.shape[c.ndim - 1]!, c.dtype, c.shape.slice(0, -2)), sub(c, realOf(c))))
  return [add(mm(q, sub(omega, c)), dxRinv), mm(sub(c, omega), r)]
}

/** x[..., r0:r1, c0:c1]. */
const block = (x: Array, r0: number, r1: number, c0: number, c1: number): Array => {
  const nb = x.ndim - 2
  return slice(x, [...x.shape.slice(0, nb).map(() => 0), r0, c0], [...x.shape.slice(0, nb), r1, c1])
}

/**
 * x = A^-H b for square A (batched), through A's LU: A^H = U^H L^H P, so x = P^T L^-H U^-H b.
 * (JAX's lu_solve with trans=2; A^-T b for real matrices.)
 */
const solveAdjoint = (a: Array, b: Array): Array => {
  const [lu, , perm] = luRaw(a)
  const conjugateA = isComplex(a.dtype)
  const y = triangularSolve(lu, b, { leftSide: true, lower: false, transposeA: true, conjugateA })
  const w = triangularSolve(lu, y, { leftSide: true, lower: true, transposeA: true, conjugateA, unitDiagonal: true })
  const n = a.shape[a.ndim - 1]!
  const p = permuteRows(eyeOf(n, a.dtype, a.shape.slice(0, -2)), perm)
  return mm(mT(p), w)
}

/**
 * JAX's qr_jvp_rule: the thin rule for m >= n; for wide matrices (m < n) the square block
 * X1 = Q R1 by the thin rule and dR2 = dQ^T X2 + Q^T dX2; with full matrices on a tall one, Q's
 * last m - n columns from arXiv:2409.13374 (eqs. 32-33) and zero rows below dR.
 */
qrP.jvp = ([a], [dx], { fullMatrices }) => {
  const m = a!.shape[a!.ndim - 2]!
  const n = a!.shape[a!.ndim - 1]!
  const [q, r] = qrRaw(a!, fullMatrices)
  const last = a!.ndim - 1
  if (m < n) {
    const [dq, dr1] = thinQrJvp(q, block(r, 0, m, 0, m), block(dx!, 0, m, 0, m))
    const dr2 = add(mm(mH(dq), block(a!, 0, m, m, n)), mm(mH(q), block(dx!, 0, m, m, n)))
    return [
      [q, r],
      [dq, concatenate([dr1, dr2], last)]
    ]
  }
  if (!fullMatrices || m === n) return [[q, r], thinQrJvp(q, r, dx!)]
  const qmn = block(q, 0, m, 0, n)
  const [dqmn, drnn] = thinQrJvp(qmn, block(r, 0, n, 0, n), dx!)
  const qnn = block(qmn, 0, n, 0, n)
  const qpn = block(qmn, n, m, 0, n)
  const qmp = block(q, 0, m, n, m)
  const batch = a!.shape.slice(0, -2)
  const zpnH = solveAdjoint(sub(qnn, eyeOf(n, a!.dtype, batch)), mH(qpn))
  const zpn = mH(zpnH)
  const dqpn = block(dqmn, n, m, 0, n)
  const dqnn = block(dqmn, 0, n, 0, n)
  const dqmp = sub(mm(dqmn, zpnH), mm(add(qmn, mm(qmp, zpn)), mH(sub(dqpn, mm(zpn, dqnn)))))
  const zeros = constant(0, a!.dtype, [...batch, m - n, n])
  return [
    [q, r],
    [concatenate([dqmn, dqmp], last), concatenate([drnn, zeros], last - 1)]
  ]
}
qrP.batch = leadingBatch(qrP)
