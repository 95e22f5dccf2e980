/**
 * np.linalg's solvers and the quantities derived from LU and SVD: solve, inv, det, slogdet,
 * lstsq, pinv, matrixRank, matrixPower, cond, tensorsolve, tensorinv. JAX's definitions
 * (thresholds, default tolerances, NumPy-2 broadcasting of solve's right-hand side).
 */
import type { Array } from "../../array.js"
import { isComplex } from "../../dtype.js"
import { ShapeError, ValueError } from "../../errors.js"
import { customJvp } from "../../transforms/custom.js"
import * as L from "../../lax/linalg.js"
import { checkOptions } from "../../options.js"
import { permuteRows } from "../../primitives/linalg/lu.js"
import { triangularSolve } from "../../primitives/linalg/triangular-solve.js"
import { broadcastShapes, describe, showShape } from "../../shape.js"
import { type ArrayLike, asArray, promoteDtypes } from "../coerce.js"
import { eye } from "../creation.js"
import { matmul } from "../linalg.js"
import { abs, exp, isnan, log, logicalAnd, logicalNot, notEqual, reciprocal, sign, where } from "../math.js"
import { any, max, prod, sum } from "../reductions.js"
import { broadcastTo, expandDims, moveaxis, reshape, take } from "../shape.js"
import { absSquared, checkMatrices, epsOf, inexactOrComplex, mH, realDTypeOf } from "./common.js"
import { diagonal } from "./products.js"
import { norm, type NormOrd } from "./norms.js"
import { svd } from "./decompositions.js"

/** Both operands as floats (or complex) of one dtype. */
const inexactPair = (a: ArrayLike, b: ArrayLike): [Array, Array] => {
  const [x, y] = promoteDtypes([inexactOrComplex(a), inexactOrComplex(b)])
  return [x!, y!]
}

/** The n x n identity in x's dtype (made real, then cast: np.eye's complex buffers are not interleaved yet). */
const identityOf = (n: number, x: Array): Array => eye(n, n, { dtype: realDTypeOf(x) }).astype(x.dtype)

/** x solving a x = b for LU factors (lu, perm) of a; b [..., n, k] with a's batch dimensions. */
const luSolve = (lu: Array, perm: Array, b: Array): Array => {
  const y = triangularSolve(lu, permuteRows(b, perm), { leftSide: true, lower: true, unitDiagonal: true })
  return triangularSolve(lu, y, { leftSide: true, lower: false })
}

/**
 * `jnp.linalg.solve`: x with a x = b for each square matrix of a stack. b is a vector (one
 * dimension: a's last) or a stack of matrices [..., n, k]; batch dimensions broadcast.
 *
 * @example
 * np.linalg.solve([[3, 1], [1, 2]], [9, 8]) // [2, 3]
 */
export const solve = (a: ArrayLike, b: ArrayLike): Array => {
  const [x, y] = inexactPair(a, b)
  const [n] = checkMatrices(x, "np.linalg.solve", true)
  const vec = y.ndim === 1
  if (!vec && y.ndim > 1 && x.ndim === y.ndim + 1 && x.shape[x.ndim - 1] === y.shape[y.ndim - 1] && n !== y.shape[y.ndim - 2]) {
    throw new ShapeError(
      `np.linalg.solve: shapes ${showShape(x.shape)} and ${showShape(y.shape)}: b is a stack of matrices (..., n, k) unless it has one ` +
        "dimension; for a batch of vectors use solve(a, b[..., None]) and squeeze the last axis."
    )
  }
  const bm = vec ? reshape(y, [y.shape[0]!, 1]) : y
  if (bm.ndim < 2 || bm.shape[bm.ndim - 2] !== n) {
    throw new ShapeError(
      `np.linalg.solve: b of shape ${showShape(y.shape)} does not fit a of shape ${showShape(x.shape)}: b's ${vec ? "length" : "second-to-last axis"} must be ${n}.`
    )
  }
  const batch = broadcastShapes(x.shape.slice(0, -2), bm.shape.slice(0, -2))
  const xa = broadcastTo(x, [...batch, n, n])
  const xb = broadcastTo(bm, [...batch, n, bm.shape[bm.ndim - 1]!])
  const [lu, , perm] = L.lu(xa)
  const out = luSolve(lu, perm, xb)
  return vec ? reshape(out, out.shape.slice(0, -1)) : out
}

/**
 * `jnp.linalg.inv`: the inverse of each square matrix of a stack (infinities or NaNs when singular).
 *
 * @example
 * np.linalg.inv([[2, 0], [0, 4]]) // [[0.5, 0], [0, 0.25]]
 */
export const inv = (a: ArrayLike): Array => {
  const x = inexactOrComplex(a)
  const [n] = checkMatrices(x, "np.linalg.inv", true)
  return solve(x, broadcastTo(identityOf(n, x), x.shape))
}

/**
 * JAX's slogdet by LU: sign (0 when singular; for complex matrices the unit complex number
 * prod(d / |d|) times the permutation's sign) and log|det| (real; -inf when singular).
 */
const slogdetLu = (x: Array): [Array, Array] => {
  const n = x.shape[x.ndim - 1]!
  const [lu, piv] = L.lu(x)
  const d = diagonal(lu)
  const isZero = any(d.eq(0), { axis: -1 })
  const swaps = sum(
    notEqual(
      piv,
      asArray(
        globalThis.Array.from({ length: n }, (_, i) => i),
        "int32"
      )
    ),
    { axis: -1 }
  )
  const complex = isComplex(x.dtype)
  const parity = (complex ? swaps : swaps.add(sum(d.lt(0), { axis: -1 }))).mod(2)
  const permSign = parity.mul(-2).add(1).astype(x.dtype)
  const unit = complex ? prod(d.div(abs(d).astype(x.dtype)), { axis: -1 }).mul(permSign) : permSign
  const s = where(isZero, 0, unit).astype(x.dtype)
  const logdet = where(isZero, -Infinity, sum(log(abs(d)), { axis: -1 })).astype(realDTypeOf(x))
  return [s, logdet]
}

/** The determinant of 2x2 and 3x3 matrices by cofactors (JAX's formulas). */
const detSmall = (x: Array): Array => {
  const n = x.shape[x.ndim - 1]!
  const e = (i: number, j: number) => take(take(x, [i], { axis: -2 }), [j], { axis: -1 }).reshape(x.shape.slice(0, -2))
  if (n === 2)
    return e(0, 0)
      .mul(e(1, 1))
      .sub(e(0, 1).mul(e(1, 0)))
  return e(0, 0)
    .mul(
      e(1, 1)
        .mul(e(2, 2))
        .sub(e(1, 2).mul(e(2, 1)))
    )
    .sub(
      e(0, 1).mul(
        e(1, 0)
          .mul(e(2, 2))
          .sub(e(1, 2).mul(e(2, 0)))
      )
    )
    .add(
      e(0, 2).mul(
        e(1, 0)
          .mul(e(2, 1))
          .sub(e(1, 1).mul(e(2, 0)))
      )
    )
}

/**
 * `jnp.linalg.det`: the determinant of each square matrix of a stack (cofactors for 2x2 and 3x3,
 * else sign * exp(logdet) from LU, as JAX).
 *
 * @example
 * np.linalg.det([[1, 2], [3, 4]]) // -2
 */
export const det = (a: ArrayLike): Array => {
  const x = inexactOrComplex(a)
  const [n] = checkMatrices(x, "np.linalg.det", true)
  if (n === 2 || n === 3) return detSmall(x)
  const [s, logdet] = slogdetLu(x)
  return s.mul(exp(logdet).astype(x.dtype))
}

/**
 * `jnp.linalg.slogdet`: `[sign, logabsdet]` of each square matrix (det = sign * exp(logabsdet));
 * sign 0 and logabsdet -inf for a singular matrix.
 *
 * @example
 * const [s, l] = np.linalg.slogdet([[1, 2], [3, 4]]) // s -1, l log(2)
 */
export const slogdet = (a: ArrayLike): [Array, Array] => {
  const x = inexactOrComplex(a)
  const [n] = checkMatrices(x, "np.linalg.slogdet", true)
  if (n === 1 || n === 2) {
    const d = n === 1 ? reshape(x, x.shape.slice(0, -2)) : detSmall(x)
    return [sign(d), log(abs(d))]
  }
  return slogdetLu(x)
}

export interface LstsqOptions {
  /** Singular values below rcond * s_max count as zero (default eps * max(m, n)). */
  readonly rcond?: number
}

/**
 * `jnp.linalg.lstsq`: `[x, residuals, rank, s]`, the least-squares solution of a x = b for a 2-D
 * a (m x n) and b of shape (m,) or (m, k), by SVD; residuals are |b - a x|^2 per column (always
 * computed, as JAX does without numpyResid), rank an int32 scalar and s a's singular values.
 *
 * @example
 * const [x] = np.linalg.lstsq([[1, 0], [0, 1], [1, 1]], [1, 2, 3]) // x [1, 2]
 */
export const lstsq = (a: ArrayLike, b: ArrayLike, options?: LstsqOptions): [Array, Array, Array, Array] => {
  const { rcond } = checkOptions("np.linalg.lstsq", options, ["rcond"]) ?? {}
  const [x, y] = inexactPair(a, b)
  if (x.ndim !== 2) throw new ShapeError(`np.linalg.lstsq: a must be two-dimensional (m, n), got shape ${showShape(x.shape)}.`)
  if (y.ndim !== 1 && y.ndim !== 2) throw new ShapeError(`np.linalg.lstsq: b must be (m,) or (m, k), got shape ${showShape(y.shape)}.`)
  if (x.shape[0] !== y.shape[0])
    throw new ShapeError(`np.linalg.lstsq: the leading dimensions of a ${showShape(x.shape)} and b ${showShape(y.shape)} must match.`)
  const bm = y.ndim === 1 ? reshape(y, [y.shape[0]!, 1]) : y
  const [m, n] = [x.shape[0]!, x.shape[1]!]
  const rc = rcond === undefined ? epsOf(x) * Math.max(m, n) : rcond < 0 ? epsOf(x) : rcond
  const [u, s, vt] = svd(x, { fullMatrices: false })
  const s0 = take(s, [0], { axis: 0 })
  const mask = logicalAnd(s.gt(0), s.ge(s0.mul(rc)))
  const rank = sum(mask).astype("int32")
  const safe = where(mask, s, 1)
  const sInv = expandDims(where(mask, reciprocal(safe), 0), 1)
  const sol = matmul(mH(vt), sInv.astype(x.dtype).mul(matmul(mH(u), bm)))
  const resid = sum(absSquared(bm.sub(matmul(x, sol))), { axis: 0 })
  return [y.ndim === 1 ? reshape(sol, [n]) : sol, resid, rank, s]
}

export interface PinvOptions {
  /** Singular values at most rtol * s_max count as zero (default 10 * max(m, n) * eps). */
  readonly rtol?: number
  /** The matrices are symmetric (accepted; the general algorithm is used). */
  readonly hermitian?: boolean
}

/**
 * `jnp.linalg.pinv`: the Moore-Penrose pseudo-inverse of each matrix of a stack, by SVD.
 *
 * @example
 * np.linalg.pinv([[1, 0], [0, 0]]) // [[1, 0], [0, 0]]
 */
export const pinv = (a: ArrayLike, options?: PinvOptions): Array => {
  const { rtol } = checkOptions("np.linalg.pinv", options, ["rtol", "hermitian"]) ?? {}
  const x = inexactOrComplex(a)
  const [m, n] = checkMatrices(x, "np.linalg.pinv")
  if (m === 0 || n === 0) return broadcastTo(asArray(0, x.dtype), [...x.shape.slice(0, -2), n, m])
  const tol = rtol ?? 10 * Math.max(m, n) * epsOf(x)
  return pinvWithJvp(tol, m >= n)(x)
}

/** The pseudo-inverse from the SVD, singular values at most tol * s_max dropped. */
const pinvBySvd = (x: Array, tol: number): Array => {
  const [u, s, vh] = svd(x, { fullMatrices: false })
  const cutoff = take(s, [0], { axis: -1 }).mul(tol)
  const sSafe = where(s.gt(cutoff), s, Infinity)
  return matmul(mH(vh), mH(u).div(expandDims(sSafe, -1).astype(x.dtype)))
}

/**
 * pinv with JAX's jvp (its `_pinv_jvp`), which differentiates the pseudo-inverse itself rather
 * than the SVD: correct at repeated singular values (e.g. near the identity), where the SVD's
 * derivative divides by s_i^2 - s_j^2.
 */
const pinvWithJvp = (tol: number, tall: boolean) =>
  customJvp((x: Array): Array => pinvBySvd(x, tol), { name: "pinv" }).defjvp(([a], [aDot]) => {
    const p = pinvBySvd(a, tol)
    const d = aDot as Array
    const mm = (...xs: Array[]): Array => xs.reduce((acc, y) => matmul(acc, y))
    if (tall) {
      const s = mm(p, mH(p), mH(d))
      const t = mm(mH(d), mH(p), p)
      return [
        p,
        mm(p, d, p)
          .neg()
          .add(s)
          .sub(mm(s, a, p))
          .add(t)
          .sub(mm(p, a, t))
      ]
    }
    const s = matmul(p, matmul(mH(p), mH(d)))
    const t = matmul(mH(d), matmul(mH(p), p))
    return [
      p,
      matmul(p, matmul(d, p))
        .neg()
        .add(s)
        .sub(matmul(s, matmul(a, p)))
        .add(t)
        .sub(matmul(p, matmul(a, t)))
    ]
  })

export interface MatrixRankOptions {
  /** Singular values above this count (default s_max * max(m, n) * eps). */
  readonly rtol?: number
  /** The same threshold (NumPy's older name); give one of rtol and tol. */
  readonly tol?: number
  /** The matrices are symmetric (accepted; the general algorithm is used). */
  readonly hermitian?: boolean
}

/**
 * `jnp.linalg.matrixRank`: the number of singular values above the threshold, per matrix (int32);
 * for a vector or scalar, 1 if any element is nonzero.
 *
 * @example
 * np.linalg.matrixRank([[1, 2], [2, 4]]) // 1
 */
export const matrixRank = (M: ArrayLike, options?: MatrixRankOptions): Array => {
  const o = checkOptions("np.linalg.matrixRank", options, ["rtol", "tol", "hermitian"]) ?? {}
  if (o.tol !== undefined && o.rtol !== undefined) throw new ValueError("np.linalg.matrixRank: give only one of tol and rtol (they name the same threshold).")
  const x = inexactOrComplex(M)
  if (x.ndim < 2) return any(x.ne(0)).astype("int32")
  const s = svd(x, { computeUv: false })
  const given = o.rtol ?? o.tol
  const thr =
    given === undefined ? max(s, { axis: -1, keepdims: true }).mul(Math.max(x.shape[x.ndim - 1]!, x.shape[x.ndim - 2]!) * epsOf(x)) : asArray(given, s.dtype)
  return sum(s.gt(thr), { axis: -1 }).astype("int32")
}

/**
 * `jnp.linalg.matrixPower`: a raised to an integer power n by repeated squaring (n = 0: the
 * identity; n < 0: powers of the inverse).
 *
 * @example
 * np.linalg.matrixPower([[1, 1], [0, 1]], 3) // [[1, 3], [0, 1]]
 */
export const matrixPower = (a: ArrayLike, n: number): Array => {
  let x = asArray(a)
  checkMatrices(x, "np.linalg.matrixPower", true)
  if (!Number.isSafeInteger(n)) throw new ValueError(`np.linalg.matrixPower: the exponent must be an integer, got ${describe(n)}.`)
  if (n === 0) return broadcastTo(identityOf(x.shape[x.ndim - 1]!, x), x.shape)
  if (n < 0) {
    x = inv(x)
    n = -n
  }
  let z: Array | undefined
  let result: Array | undefined
  while (n > 0) {
    z = z === undefined ? x : matmul(z, z)
    const bit = n % 2
    n = Math.floor(n / 2)
    if (bit === 1) result = result === undefined ? z : matmul(result, z)
  }
  return result!
}

/**
 * `jnp.linalg.cond`: the condition number of each matrix: s_max / s_min for p 2 (default), its
 * inverse for -2, else norm(x, p) * norm(inv(x), p) (square matrices); NaNs from a singular
 * matrix become infinity.
 *
 * @example
 * np.linalg.cond([[1, 0], [0, 2]]) // 2
 */
export const cond = (x: ArrayLike, p: NormOrd = null): Array => {
  const a = inexactOrComplex(x)
  const [m, n] = checkMatrices(a, "np.linalg.cond")
  if (m === 0 || n === 0) throw new ValueError(`np.linalg.cond: the matrices must not be empty, got shape ${showShape(a.shape)}.`)
  let r: Array
  if (p === null || p === 2 || p === -2) {
    const s = svd(a, { computeUv: false })
    const first = take(s, [0], { axis: -1 }).reshape(s.shape.slice(0, -1))
    const last = take(s, [s.shape[s.ndim - 1]! - 1], { axis: -1 }).reshape(s.shape.slice(0, -1))
    if (p !== -2) return first.div(last)
    r = last.div(first)
  } else {
    if (m !== n) throw new ShapeError(`np.linalg.cond: for p ${String(p)} the matrices must be square, got shape ${showShape(a.shape)}.`)
    r = norm(a, { ord: p, axis: [-2, -1] }).mul(norm(inv(a), { ord: p, axis: [-2, -1] }))
  }
  return where(logicalAnd(isnan(r), logicalNot(any(isnan(a), { axis: [-2, -1] }))), Infinity, r)
}

/**
 * `jnp.linalg.tensorsolve`: x with tensordot(a, x, x.ndim) = b; `axes` of a are moved to the end first.
 *
 * @example
 * np.linalg.tensorsolve(np.eye(6).reshape([2, 3, 6]), np.ones([2, 3])).shape // [6]
 */
export const tensorsolve = (a: ArrayLike, b: ArrayLike, options?: { readonly axes?: ReadonlyArray<number> }): Array => {
  const { axes } = checkOptions("np.linalg.tensorsolve", options, ["axes"]) ?? {}
  let [x, y] = inexactPair(a, b)
  if (axes !== undefined)
    x = moveaxis(
      x,
      [...axes],
      axes.map(() => x.ndim - 1)
    )
  const outShape = x.shape.slice(y.ndim)
  const outSize = outShape.reduce((p, d) => p * d, 1)
  if (x.shape.slice(0, y.ndim).some((d, i) => d !== y.shape[i])) {
    throw new ShapeError(`np.linalg.tensorsolve: after moving axes, the leading shape of a ${showShape(x.shape)} must equal b's shape ${showShape(y.shape)}.`)
  }
  if (y.size !== outSize)
    throw new ShapeError(
      `np.linalg.tensorsolve: prod(a.shape[:b.ndim]) (${y.size}) must equal prod(a.shape[b.ndim:]) (${outSize}); got a ${showShape(x.shape)}.`
    )
  return reshape(solve(reshape(x, [y.size, outSize]), reshape(y, [y.size])), outShape)
}

/**
 * `jnp.linalg.tensorinv`: the inverse of a tensor with respect to tensordot over its first `ind`
 * axes (default 2): the result has shape a.shape[ind:] + a.shape[:ind].
 *
 * @example
 * np.linalg.tensorinv(np.eye(6).reshape([2, 3, 6]), { ind: 2 }).shape // [6, 2, 3]
 */
export const tensorinv = (a: ArrayLike, options?: { readonly ind?: number }): Array => {
  const { ind = 2 } = checkOptions("np.linalg.tensorinv", options, ["ind"]) ?? {}
  const x = inexactOrComplex(a)
  if (!Number.isSafeInteger(ind) || ind <= 0) throw new ValueError(`np.linalg.tensorinv: ind must be a positive integer, got ${describe(ind)}.`)
  const head = x.shape.slice(0, ind)
  const tail = x.shape.slice(ind)
  const rows = head.reduce((p, d) => p * d, 1)
  const cols = tail.reduce((p, d) => p * d, 1)
  if (rows !== cols)
    throw new ShapeError(
      `np.linalg.tensorinv: the product of the first ${ind} dimensions (${rows}) must equal that of the others (${cols}); got shape ${showShape(x.shape)}.`
    )
  return reshape(inv(reshape(x, [rows, cols])), [...tail, ...head])
}
