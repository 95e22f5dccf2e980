/**
 * scipy.linalg's special matrices (JAX's jax.scipy.linalg): toeplitz, hankel, circulant, leslie,
 * companion, fiedler, fiedlerCompanion and convolutionMatrix build matrices from vectors (leading
 * dimensions are batch dimensions, broadcast between two inputs, as JAX's `vectorize`); hilbert,
 * invhilbert, pascal, invpascal, helmert, hadamard and dft are fixed matrices of a size. The
 * vector-built ones are gathers and elementwise operations, so they differentiate, batch and jit.
 */
import type { Array } from "../../array.js"
import type { DType } from "../../dtype.js"
import { isComplex, isFloat } from "../../dtype.js"
import { ShapeError, ValueError } from "../../errors.js"
import { complex as makeComplex } from "../../lax/complex.js"
import { type ArrayLike, asArray, promoteDtypes } from "../../numpy/coerce.js"
import { arange, eye, full, ones, zeros } from "../../numpy/creation.js"
import { broadcastShapes } from "../../numpy/introspection.js"
import { matmul } from "../../numpy/linalg.js"
import { conj } from "../../numpy/complex.js"
import { abs, cos, equal, exp, logicalAnd, minimum, sin, where } from "../../numpy/math.js"
import { broadcastTo, concatenate, flip, reshape, take } from "../../numpy/shape.js"
import { checkOptions, optionKeys } from "../../options.js"
import { describe, showShape } from "../../shape.js"
import { comb, gammaln } from "../special/gamma.js"

const atLeast1d = (x: ArrayLike): Array => {
  const a = asArray(x)
  return a.ndim === 0 ? reshape(a, [1]) : a
}

const asInexact = (a: Array): Array => (isFloat(a.dtype) || isComplex(a.dtype) ? a : a.astype("float32"))

/** Two vectors [..., m] and [..., n] with one dtype and their batch dimensions broadcast. */
const pairOfVectors = (c: Array, r: Array): [Array, Array] => {
  const [c1, r1] = promoteDtypes([c, r])
  const batch = broadcastShapes(c1!.shape.slice(0, -1), r1!.shape.slice(0, -1))
  return [broadcastTo(c1!, [...batch, c1!.shape.at(-1)!]), broadcastTo(r1!, [...batch, r1!.shape.at(-1)!])]
}

/** An int32 matrix [m, n] with entry f(i, j). */
const indexMatrix = (m: number, n: number, f: (i: number, j: number) => number): Array => {
  const data = new Int32Array(m * n)
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) data[i * n + j] = f(i, j)
  return reshape(asArray(data), [m, n])
}

/** Row indices [m, 1] and column indices [1, n] as float32 (for elementwise formulas). */
const grid = (m: number, n: number, dtype: DType = "float32"): [Array, Array] => [reshape(arange(m, { dtype }), [m, 1]), reshape(arange(n, { dtype }), [1, n])]

const tail = (x: Array): Array => take(x, arange(1, x.shape.at(-1)!), { axis: -1 })

const checkSize = (n: number, caller: string, least = 0): number => {
  if (!Number.isInteger(n) || n < least) throw new ValueError(`${caller}: n must be an integer of at least ${least}, got ${describe(n)}.`)
  return n
}

/**
 * `jax.scipy.linalg.toeplitz(c, r?)`: the Toeplitz matrix with first column c and first row r
 * (r defaults to conj(c); r[0] is ignored). Leading dimensions of c and r are batch dimensions.
 *
 * @example
 * scipy.linalg.toeplitz([1, 2, 3], [1, 4, 5]).toJs() // [[1, 4, 5], [2, 1, 4], [3, 2, 1]]
 */
export const toeplitz = (c: ArrayLike, r?: ArrayLike): Array => {
  const c0 = atLeast1d(c)
  const [cv, rv] = pairOfVectors(c0, r === undefined ? conj(c0) : atLeast1d(r))
  const m = cv.shape.at(-1)!
  const n = rv.shape.at(-1)!
  if (m === 0 || n === 0) return zeros([...cv.shape.slice(0, -1), m, n], { dtype: cv.dtype })
  const elems = concatenate([flip(cv, -1), tail(rv)], -1)
  return take(
    elems,
    indexMatrix(m, n, (i, j) => m - 1 - i + j),
    { axis: -1 }
  )
}

/**
 * `jax.scipy.linalg.hankel(c, r?)`: the Hankel matrix with first column c and last row r (r
 * defaults to zeros; r[0] is ignored). Leading dimensions are batch dimensions.
 *
 * @example
 * scipy.linalg.hankel([1, 2, 3]).toJs() // [[1, 2, 3], [2, 3, 0], [3, 0, 0]]
 */
export const hankel = (c: ArrayLike, r?: ArrayLike): Array => {
  const c0 = asArray(c)
  const r0 = r === undefined ? zeros(c0.shape, { dtype: c0.dtype }) : asArray(r)
  if (c0.ndim === 0 || r0.ndim === 0) throw new ShapeError("scipy.linalg.hankel: c and r must be at least 1-dimensional, got a scalar.")
  const [cv, rv] = pairOfVectors(c0, r0)
  const m = cv.shape.at(-1)!
  const n = rv.shape.at(-1)!
  if (m === 0 || n === 0) return zeros([...cv.shape.slice(0, -1), m, n], { dtype: cv.dtype })
  return take(
    concatenate([cv, tail(rv)], -1),
    indexMatrix(m, n, (i, j) => i + j),
    { axis: -1 }
  )
}

/**
 * `jax.scipy.linalg.circulant(c)`: the circulant matrix whose first column is c (each column the
 * previous one rolled down by one). Leading dimensions are batch dimensions.
 *
 * @example
 * scipy.linalg.circulant([1, 2, 3]).toJs() // [[1, 3, 2], [2, 1, 3], [3, 2, 1]]
 */
export const circulant = (c: ArrayLike): Array => {
  const cv = atLeast1d(c)
  const n = cv.shape.at(-1)!
  return take(
    cv,
    indexMatrix(n, n, (i, j) => (((i - j) % n) + n) % n),
    { axis: -1 }
  )
}

/**
 * `jax.scipy.linalg.leslie(f, s)`: the Leslie matrix, fecundities f (length n) on the first row
 * and survival rates s (length n - 1) on the subdiagonal. Leading dimensions are batch dimensions.
 *
 * @example
 * scipy.linalg.leslie([0.1, 2, 1], [0.2, 0.8]).toJs() // [[0.1, 2, 1], [0.2, 0, 0], [0, 0.8, 0]]
 */
export const leslie = (f: ArrayLike, s: ArrayLike): Array => {
  const fv = atLeast1d(f)
  const sv = atLeast1d(s)
  const n = fv.shape.at(-1)!
  if (n < 2) throw new ShapeError(`scipy.linalg.leslie: f's last axis must have length at least 2, got shape ${showShape(fv.shape)}.`)
  if (sv.shape.at(-1)! !== n - 1)
    throw new ShapeError(`scipy.linalg.leslie: s's last axis must be one shorter than f's, got f ${showShape(fv.shape)} and s ${showShape(sv.shape)}.`)
  const [fb, sb] = pairOfVectors(fv, sv)
  const sPadded = concatenate([sb, zeros([...sb.shape.slice(0, -1), 1], { dtype: sb.dtype })], -1)
  const [i, j] = grid(n, n)
  const zero = zeros([], { dtype: fb.dtype })
  const below = where(
    equal(j, i.sub(1)),
    take(
      sPadded,
      indexMatrix(n, n, (_, jj) => jj),
      { axis: -1 }
    ),
    zero
  )
  return where(equal(i, 0), reshape(fb, [...fb.shape.slice(0, -1), 1, n]), below)
}

/**
 * `jax.scipy.linalg.companion(a)`: the companion matrix of the polynomial with coefficients a
 * (highest degree first): first row -a[1:] / a[0], ones on the subdiagonal. Leading dimensions
 * are batch dimensions.
 *
 * @example
 * scipy.linalg.companion([1, -10, 31, -30]).toJs() // [[10, -31, 30], [1, 0, 0], [0, 1, 0]]
 */
export const companion = (a: ArrayLike): Array => {
  const av = asInexact(atLeast1d(a))
  const len = av.shape.at(-1)!
  if (len < 2) throw new ShapeError(`scipy.linalg.companion: a's last axis must have length at least 2, got shape ${showShape(av.shape)}.`)
  const m = len - 1
  const lead = take(av, asArray([0]), { axis: -1 })
  const first = tail(av).neg().div(lead)
  const [i] = grid(m, m)
  return where(equal(i, 0), reshape(first, [...first.shape.slice(0, -1), 1, m]), eye(m, m, { k: -1, dtype: av.dtype }))
}

/**
 * `jax.scipy.linalg.fiedler(a)`: the symmetric matrix |a[i] - a[j]|. Leading dimensions are
 * batch dimensions.
 *
 * @example
 * scipy.linalg.fiedler([1, 4, 12]).toJs() // [[0, 3, 11], [3, 0, 8], [11, 8, 0]]
 */
export const fiedler = (a: ArrayLike): Array => {
  const av = atLeast1d(a)
  const n = av.shape.at(-1)!
  const b = av.shape.slice(0, -1)
  return abs(reshape(av, [...b, n, 1]).sub(reshape(av, [...b, 1, n])))
}

/**
 * `jax.scipy.linalg.fiedler_companion(a)`: Fiedler's pentadiagonal companion matrix of the
 * polynomial with coefficients a (highest degree first); its eigenvalues are the polynomial's
 * roots. Leading dimensions are batch dimensions.
 *
 * @example
 * scipy.linalg.fiedlerCompanion([1, -6, 11, -6]).toJs() // [[6, -11, 1], [1, 0, 0], [0, 6, 0]]
 */
export const fiedlerCompanion = (a: ArrayLike): Array => {
  const av = asInexact(atLeast1d(a))
  const len = av.shape.at(-1)!
  if (len === 0) throw new ShapeError(`scipy.linalg.fiedlerCompanion: a's last axis must not be empty, got shape ${showShape(av.shape)}.`)
  const batch = av.shape.slice(0, -1)
  const n = len - 1
  if (n === 0) return zeros([...batch, 0, 0], { dtype: av.dtype })
  const an = av.div(take(av, asArray([0]), { axis: -1 }))
  if (n === 1) return reshape(tail(an).neg(), [...batch, 1, 1])
  const at = (idx: Array): Array => take(an, idx, { axis: -1 })
  const rows = arange(n)
  const superVal = reshape(at(minimum(rows.add(2), n)).neg(), [...batch, n, 1])
  const subVal = reshape(at(minimum(rows.add(1), n)).neg(), [...batch, n, 1])
  const [i, j] = grid(n, n, "int32")
  const even = equal(i.mod(2), 0)
  const odd = equal(i.mod(2), 1)
  const one = ones([], { dtype: an.dtype })
  const zero = zeros([], { dtype: an.dtype })
  const minusA1 = reshape(at(asArray([1])).neg(), [...batch, 1, 1])
  const conds: ReadonlyArray<readonly [Array, Array]> = [
    [logicalAnd(equal(i, 0), equal(j, 0)), minusA1],
    [logicalAnd(equal(i, 1), equal(j, 0)), one],
    [logicalAnd(equal(j, i.add(1)), even), superVal],
    [logicalAnd(equal(j, i.add(2)), even), one],
    [logicalAnd(logicalAnd(equal(j, i.sub(1)), even), i.ge(2)), subVal],
    [logicalAnd(logicalAnd(equal(j, i.sub(2)), odd), i.ge(3)), one]
  ]
  // np.select: the first condition that holds wins.
  let out: Array = broadcastTo(zero, [...batch, n, n])
  for (let k = conds.length - 1; k >= 0; k--) out = where(conds[k]![0], conds[k]![1], out)
  return out
}

export type ConvolutionMode = "full" | "valid" | "same"

/**
 * `jax.scipy.linalg.convolution_matrix(a, n, mode?)`: the Toeplitz matrix A with A @ v equal to
 * `np.convolve(a, v, mode)` for every v of length n. Leading dimensions of a are batch dimensions.
 *
 * @example
 * scipy.linalg.convolutionMatrix([1, 2], 3).toJs() // [[1, 0, 0], [2, 1, 0], [0, 2, 1], [0, 0, 2]]
 */
export const convolutionMatrix = (a: ArrayLike, n: number, mode: ConvolutionMode = "full"): Array => {
  if (!Number.isInteger(n) || n <= 0) throw new ValueError(`scipy.linalg.convolutionMatrix: n must be a positive integer, got ${describe(n)}.`)
  const av = asArray(a)
  if (av.ndim === 0) throw new ShapeError("scipy.linalg.convolutionMatrix: a must be at least 1-dimensional, got a scalar.")
  const m = av.shape.at(-1)!
  if (m < 1) throw new ShapeError(`scipy.linalg.convolutionMatrix: a's last axis must not be empty, got shape ${showShape(av.shape)}.`)
  if (mode !== "full" && mode !== "valid" && mode !== "same")
    throw new ValueError(`scipy.linalg.convolutionMatrix: mode must be "full", "valid" or "same", got ${describe(mode)}.`)
  const batch = av.shape.slice(0, -1)
  const pad = zeros([...batch, n - 1], { dtype: av.dtype })
  const az = concatenate([av, pad], -1)
  const raz = concatenate([flip(av, -1), pad], -1)
  const L = m + n - 1
  const trim = Math.min(n, m) - 1
  const [tb, te] = mode === "same" ? [trim >> 1, trim - (trim >> 1)] : mode === "valid" ? [trim, trim] : [0, 0]
  const col0 = take(az, arange(tb, L - te), { axis: -1 })
  const row0 = take(raz, arange(L - n - tb, L - tb), { axis: -1 })
  return toeplitz(col0, row0)
}

/**
 * `jax.scipy.linalg.hilbert(n)`: the n x n Hilbert matrix 1 / (i + j + 1), float32.
 *
 * @example
 * scipy.linalg.hilbert(2).toJs() // [[1, 0.5], [0.5, 0.33333334]]
 */
export const hilbert = (n: number): Array => {
  const [i, j] = grid(checkSize(n, "scipy.linalg.hilbert"), n)
  return asArray(1).astype("float32").div(i.add(j).add(1))
}

/**
 * `jax.scipy.linalg.invhilbert(n)`: the inverse of the n x n Hilbert matrix, from its closed form
 * (float32: exact only for small n; the entries grow fast).
 *
 * @example
 * scipy.linalg.invhilbert(2).toJs() // [[4, -6], [-6, 12]]
 */
export const invhilbert = (n: number): Array => {
  const [i, j] = grid(checkSize(n, "scipy.linalg.invhilbert"), n)
  const s = i.add(j)
  const sign = where(equal(s.mod(2), 0), 1, -1).astype("float32")
  return sign
    .mul(s.add(1))
    .mul(comb(i.add(n), j.neg().add(n - 1)))
    .mul(comb(j.add(n), i.neg().add(n - 1)))
    .mul(comb(s, i).square())
}

/** JAX's binomial of floats, exp(lgamma(n + 1) - lgamma(n - k + 1) - lgamma(k + 1)). */
const binom = (n: Array, k: Array): Array =>
  exp(
    gammaln(n.add(1))
      .sub(gammaln(n.sub(k).add(1)))
      .sub(gammaln(k.add(1)))
  )

export type PascalKind = "symmetric" | "lower" | "upper"
const checkKind = (kind: unknown, caller: string): PascalKind => {
  if (kind === "symmetric" || kind === "lower" || kind === "upper") return kind
  throw new ValueError(`${caller}: kind must be "symmetric", "lower" or "upper", got ${describe(kind)}.`)
}

/**
 * `jax.scipy.linalg.pascal(n, kind?)`: the n x n Pascal matrix (binomial coefficients) in float32,
 * symmetric (default), lower or upper triangular.
 *
 * @example
 * scipy.linalg.pascal(3).toJs() // [[1, 1, 1], [1, 2, 3], [1, 3, 6]]
 */
export const pascal = (n: number, kind: PascalKind = "symmetric"): Array => {
  const k = checkKind(kind, "scipy.linalg.pascal")
  const [i, j] = grid(checkSize(n, "scipy.linalg.pascal"), n)
  const l = binom(i, j)
  return k === "lower" ? l : k === "upper" ? l.transpose() : matmul(l, l.transpose())
}

/**
 * `jax.scipy.linalg.invpascal(n, kind?)`: the inverse of `pascal(n, kind)`, float32.
 *
 * @example
 * scipy.linalg.invpascal(3).toJs() // [[3, -3, 1], [-3, 5, -2], [1, -2, 1]]
 */
export const invpascal = (n: number, kind: PascalKind = "symmetric"): Array => {
  const k = checkKind(kind, "scipy.linalg.invpascal")
  const [i, j] = grid(checkSize(n, "scipy.linalg.invpascal"), n)
  const l = where(equal(i.sub(j).mod(2), 0), 1, -1)
    .astype("float32")
    .mul(binom(i, j))
  return k === "lower" ? l : k === "upper" ? l.transpose() : matmul(l.transpose(), l)
}

export interface HelmertOptions {
  /** Include the first row 1 / sqrt(n) (default false: the (n - 1) x n matrix). */
  readonly full?: boolean
}
const HELMERT_KEYS = optionKeys<HelmertOptions>()("full")

/**
 * `jax.scipy.linalg.helmert(n, { full })`: the Helmert matrix, (n - 1) x n (n x n with `full`),
 * whose rows are orthonormal and orthogonal to the ones vector.
 *
 * @example
 * scipy.linalg.helmert(2).toJs() // [[0.70710677, -0.70710677]]
 */
export const helmert = (n: number, options?: HelmertOptions): Array => {
  const { full: withFirst = false } = checkOptions("scipy.linalg.helmert", options, HELMERT_KEYS) ?? {}
  checkSize(n, "scipy.linalg.helmert", 1)
  const [i, j] = grid(n - 1, n)
  const k = i.add(1)
  const denom = k.mul(k.add(1)).sqrt()
  const h = where(j.le(i), asArray(1).astype("float32").div(denom), where(equal(j, k), k.neg().div(denom), 0))
  return withFirst ? concatenate([full([1, n], 1 / Math.sqrt(n), { dtype: "float32" }), h], 0) : h
}

export interface HadamardOptions {
  /** The dtype (default int32). */
  readonly dtype?: DType
}
const HADAMARD_KEYS = optionKeys<HadamardOptions>()("dtype")

/**
 * `jax.scipy.linalg.hadamard(n, { dtype })`: Sylvester's n x n Hadamard matrix of ±1 (n a power of
 * two), int32 by default.
 *
 * @example
 * scipy.linalg.hadamard(2).toJs() // [[1, 1], [1, -1]]
 */
export const hadamard = (n: number, options?: HadamardOptions): Array => {
  const { dtype = "int32" } = checkOptions("scipy.linalg.hadamard", options, HADAMARD_KEYS) ?? {}
  if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0) throw new ValueError(`scipy.linalg.hadamard: n must be a positive power of 2, got ${describe(n)}.`)
  // Entry (i, j) is (-1)^popcount(i & j).
  return indexMatrix(n, n, (i, j) => {
    let b = i & j
    let p = 0
    while (b !== 0) {
      p ^= b & 1
      b >>>= 1
    }
    return p === 0 ? 1 : -1
  }).astype(dtype)
}

export interface DftOptions {
  /** Divide by sqrt(n) ("sqrtn") or by n ("n"); default no scaling. */
  readonly scale?: "sqrtn" | "n" | null
  /** A complex dtype (default complex64). */
  readonly dtype?: DType
}
const DFT_KEYS = optionKeys<DftOptions>()("scale", "dtype")

/**
 * `jax.scipy.linalg.dft(n, { scale, dtype })`: the n x n discrete Fourier transform matrix
 * exp(-2 pi i j k / n) (complex64 by default), so `dft(n) @ x` is `np.fft.fft(x)`.
 *
 * @example
 * scipy.linalg.dft(2).toJs() // [[1, 1], [1, -1]] as complex numbers
 */
export const dft = (n: number, options?: DftOptions): Array => {
  const { scale = null, dtype = "complex64" } = checkOptions("scipy.linalg.dft", options, DFT_KEYS) ?? {}
  if (scale !== null && scale !== "sqrtn" && scale !== "n")
    throw new ValueError(`scipy.linalg.dft: scale must be "sqrtn", "n" or null, got ${describe(scale)}.`)
  if (!isComplex(dtype)) throw new ValueError(`scipy.linalg.dft: dtype must be a complex dtype, got ${describe(dtype)}.`)
  const real = dtype === "complex128" ? "float64" : "float32"
  const [i, j] = grid(checkSize(n, "scipy.linalg.dft"), n, real)
  const theta = i
    .mul(-2 * Math.PI)
    .mul(j)
    .div(n)
  const w = makeComplex(cos(theta), sin(theta))
  return scale === "sqrtn" ? w.div(Math.sqrt(n)) : scale === "n" ? w.div(n) : w
}
