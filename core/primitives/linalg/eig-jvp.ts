/**
 * JAX's jvp of eig (jax/_src/lax/linalg.py, eig_jvp_rule and _eig_vec_jvp): the eigenvalues'
 * tangent diag(V^-1 dA V) always; the eigenvectors' tangents only when asked with
 * `enableEigvecDerivs` (valid for distinct eigenvalues and an eigenvector whose largest entry is
 * unique), by first-order perturbation theory with the free multiple of each v_j fixed by LAPACK's
 * normalization (unit 2-norm, largest entry real). Left eigenvectors are the right ones of A^H.
 * V^-1 is applied by a real solve of the equivalent 2n x 2n real system (LU, two triangular solves).
 */
import type { Array } from "../../array.js"
import { complexPartDType, isComplex } from "../../dtype.js"
import { constant } from "../common.js"
import { complex, conj, imag, real } from "../complex.js"
import { abs, add, convertElementType, div, eq, mul, neg, select, sub } from "../elementwise.js"
import { argmax, reduceSum } from "../reduce.js"
import { broadcastInDim, concatenate, iota, slice } from "../shape-ops.js"
import { eyeOf, mm, mT } from "./common.js"
import { diagonalOf } from "./eigh.js"
import { luRaw, permuteRows } from "./lu.js"
import { triangularSolve } from "./triangular-solve.js"

/** a^-1 b for real a (batched): LU with partial pivoting and two triangular solves. */
const realSolve = (a: Array, b: Array): Array => {
  const [lu, , perm] = luRaw(a)
  const y = triangularSolve(lu, permuteRows(b, perm), { leftSide: true, lower: true, unitDiagonal: true })
  return triangularSolve(lu, y, { leftSide: true, lower: false })
}

/** a^-1 b for complex a and b: [[Re a, -Im a], [Im a, Re a]] [Re x; Im x] = [Re b; Im b]. */
export const complexSolve = (a: Array, b: Array): Array => {
  const r = a.ndim - 2
  const n = a.shape[r]!
  const k = b.shape[r + 1]!
  const ar = real(a)
  const ai = imag(a)
  const m = concatenate([concatenate([ar, neg(ai)], r + 1), concatenate([ai, ar], r + 1)], r)
  const x = realSolve(m, concatenate([real(b), imag(b)], r))
  const lo = x.shape.map(() => 0)
  const part = (from: number) =>
    slice(
      x,
      lo.map((_, i) => (i === r ? from : 0)),
      x.shape.map((d, i) => (i === r ? from + n : i === r + 1 ? k : d))
    )
  return complex(part(0), part(n))
}

/** x[..., None, :] broadcast to [..., n, n] (a row per matrix). */
const asRows = (x: Array, n: number): Array => {
  const batch = x.shape.slice(0, -1)
  return broadcastInDim(x, [...batch, n, n], [...batch.map((_, i) => i), batch.length + 1])
}
/** x[..., :, None] broadcast to [..., n, n] (a column per matrix). */
const asCols = (x: Array, n: number): Array => {
  const batch = x.shape.slice(0, -1)
  return broadcastInDim(x, [...batch, n, n], [...batch.map((_, i) => i), batch.length])
}

/** The eigenvalues' tangent diag(v^-1 da v), JAX's formula (defined for repeated eigenvalues too). */
export const eigvalsTangent = (vr: Array, da: Array): Array => reduceSum(mul(complexSolve(vr, da), mT(vr)), [vr.ndim - 1])

/** [dw, dv]: tangents of eigenvalues w and right eigenvectors v (LAPACK's normalization) for da. */
export const eigvecTangents = (w: Array, v: Array, da: Array): [Array, Array] => {
  const n = w.shape[w.ndim - 1]!
  const batch = w.shape.slice(0, -1)
  const eye = eyeOf(n, w.dtype, batch)
  const one = constant(1, w.dtype, v.shape)
  const fmat = sub(div(one, add(eye, sub(asRows(w, n), asCols(w, n)))), eye)
  const p = mm(complexSolve(v, da), v)
  const dw = diagonalOf(p)
  const u = mm(v, mul(fmat, p))
  // c_j = -Re(v_j^H u_j) - i Im(u_{k j}) / v_{k j}, k the row of v_j's largest entry
  const rowAxis = v.ndim - 2
  const k = argmax(abs(v), rowAxis)
  const rows = iota("int32", v.shape, rowAxis)
  const isTop = eq(rows, broadcastInDim(k, v.shape, [...batch.map((_, i) => i), rowAxis + 1]))
  const mask = select(isTop, constant(1, v.dtype, v.shape), constant(0, v.dtype, v.shape))
  const cRe = neg(real(reduceSum(mul(conj(v), u), [rowAxis])))
  const cIm = neg(div(imag(reduceSum(mul(mask, u), [rowAxis])), real(reduceSum(mul(mask, v), [rowAxis]))))
  return [dw, add(u, mul(v, asRows(complex(cRe, cIm), n)))]
}

/** The tangent of eig's input as the complex dtype of its outputs. */
export const complexTangent = (t: Array, like: Array): Array =>
  isComplex(t.dtype) ? t : convertElementType(convertElementType(t, complexPartDType(like.dtype)), like.dtype)
