/**
 * Differences, products of arrays and numerical calculus in `np`: `diff`, `ediff1d`, `kron`,
 * `cross`, `gradient`, `trapezoid`, `interp` and `unwrap`, with JAX's formulas (so float32
 * results agree to rounding), written with np's own functions.
 */
import { Array } from "../array.js"
import { ShapeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { sortKeyVal } from "../primitives/bits.js"
import { convertElementType } from "../primitives/elementwise.js"
import { normalizeAxis, showShape } from "../shape.js"
import { type ArrayLike, asArray, type Operand, promoteDtypes } from "./coerce.js"
import { abs, add, divide, equal, greater, less, lessEqual, logicalAnd, multiply, notEqual, remainder, subtract, where } from "./math.js"
import { cumsum, sum } from "./reductions.js"
import { broadcastArrays, broadcastTo, concatenate, expandDims, moveaxis, reshape, stack, take } from "./shape.js"
import { sliceInDim } from "../lax/slicing.js"

const toArray = (x: ArrayLike): Array => (x instanceof Array ? x : asArray(x))
const inexact = (x: ArrayLike): Array => promoteDtypes([toArray(x)], "float")[0]!
const seq = (n: number, from = 0): number[] => globalThis.Array.from({ length: n }, (_, i) => from + i)
const sl = (a: Array, start: number | null, stop: number | null, axis: number): Array => sliceInDim(a, start, stop, 1, axis)

// ---------------------------------------------------------------------------------------------
// Differences

export interface DiffOptions {
  /** How many times to difference (default 1). */
  readonly n?: number
  /** The axis (default -1). */
  readonly axis?: number
  /** Values put before the array along the axis (a scalar is broadcast to one slice). */
  readonly prepend?: ArrayLike
  /** Values put after the array along the axis. */
  readonly append?: ArrayLike
}
const DIFF_KEYS = optionKeys<DiffOptions>()("n", "axis", "prepend", "append")

/**
 * `jnp.diff(a, n=1, axis=-1, prepend=None, append=None)`: the n-th discrete difference along an
 * axis (`a[1:] - a[:-1]`; for bools, `a[1:] != a[:-1]`).
 *
 * @example
 * np.diff(np.array([1, 4, 9, 16]))          // [3, 5, 7]
 * np.diff(np.array([1, 4, 9, 16]), { n: 2 }) // [2, 2]
 */
export const diff = (a: ArrayLike, options?: DiffOptions): Array => {
  checkOptions("np.diff", options, DIFF_KEYS)
  let x = toArray(a)
  const n = options?.n ?? 1
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`np.diff: n must be a non-negative integer, got ${n}.`)
  if (n === 0) return x
  if (x.ndim === 0) throw new ShapeError("np.diff: the input must be at least 1-D, got a scalar.")
  const d = normalizeAxis(options?.axis ?? -1, x.ndim, "np.diff axis")
  const edge = (v: ArrayLike): Array => {
    const e = toArray(v)
    return e.ndim === 0
      ? broadcastTo(
          e,
          x.shape.map((s, k) => (k === d ? 1 : s))
        )
      : e
  }
  const parts = [...(options?.prepend === undefined ? [] : [edge(options.prepend)]), x, ...(options?.append === undefined ? [] : [edge(options.append)])]
  if (parts.length > 1) x = concatenate(parts, d)
  for (let k = 0; k < n; k++) {
    const len = x.shape[d]!
    if (len === 0) break
    const hi = sl(x, 1, len, d)
    const lo = sl(x, 0, len - 1, d)
    x = x.dtype === "bool" ? notEqual(hi, lo) : subtract(hi, lo)
  }
  return x
}

export interface Ediff1dOptions {
  /** Values appended after the differences. */
  readonly toEnd?: ArrayLike
  /** Values prepended before the differences. */
  readonly toBegin?: ArrayLike
}
const EDIFF1D_KEYS = optionKeys<Ediff1dOptions>()("toEnd", "toBegin")

/**
 * `jnp.ediff1d(ary, to_end=None, to_begin=None)`: differences of the flattened array, with
 * optional values around them (cast to the array's dtype).
 *
 * @example
 * np.ediff1d(np.array([1, 2, 4, 7]), { toBegin: [0] }) // [0, 1, 2, 3]
 */
export const ediff1d = (ary: ArrayLike, options?: Ediff1dOptions): Array => {
  checkOptions("np.ediff1d", options, EDIFF1D_KEYS)
  const x = toArray(ary)
  const flat = reshape(x, [x.size])
  const dif = x.size === 0 ? flat : diff(flat)
  const ravelAs = (v: ArrayLike): Array => {
    const a = toArray(v)
    return convertElementType(reshape(a, [a.size]), dif.dtype)
  }
  const parts = [...(options?.toBegin === undefined ? [] : [ravelAs(options.toBegin)]), dif, ...(options?.toEnd === undefined ? [] : [ravelAs(options.toEnd)])]
  return parts.length === 1 ? dif : concatenate(parts, 0)
}

// ---------------------------------------------------------------------------------------------
// Products of arrays

/**
 * `jnp.kron(a, b)`: the Kronecker product (blocks `a[i, j] * b`), ranks aligned with leading 1s.
 *
 * @example
 * np.kron(np.eye(2), np.array([[1, 2], [3, 4]])).shape // [4, 4]
 */
export const kron = (a: ArrayLike, b: ArrayLike): Array => {
  let [x, y] = promoteDtypes([toArray(a), toArray(b)]) as [Array, Array]
  if (x.ndim < y.ndim) x = reshape(x, [...new globalThis.Array<number>(y.ndim - x.ndim).fill(1), ...x.shape])
  else if (y.ndim < x.ndim) y = reshape(y, [...new globalThis.Array<number>(x.ndim - y.ndim).fill(1), ...y.shape])
  const xr = expandDims(
    x,
    seq(x.ndim).map((i) => 2 * i + 1)
  )
  const yr = expandDims(
    y,
    seq(y.ndim).map((i) => 2 * i)
  )
  return reshape(
    multiply(xr, yr),
    x.shape.map((s, i) => s * y.shape[i]!)
  )
}

export interface CrossOptions {
  /** The axis of a's vectors (default -1). */
  readonly axisa?: number
  /** The axis of b's vectors (default -1). */
  readonly axisb?: number
  /** The axis of the result's vectors (default -1). */
  readonly axisc?: number
  /** One axis for all three (overrides the others). */
  readonly axis?: number
}
const CROSS_KEYS = optionKeys<CrossOptions>()("axisa", "axisb", "axisc", "axis")

/**
 * `jnp.cross(a, b)`: the cross product of 3-vectors (2-vectors are taken with z = 0; two
 * 2-vectors give the scalar z component), broadcasting the other axes.
 *
 * @example
 * np.cross(np.array([1, 0, 0]), np.array([0, 1, 0])) // [0, 0, 1]
 */
export const cross = (a: ArrayLike, b: ArrayLike, options?: CrossOptions): Array => {
  checkOptions("np.cross", options, CROSS_KEYS)
  const [pa, pb] = promoteDtypes([toArray(a), toArray(b)]) as [Array, Array]
  const axisa = options?.axis ?? options?.axisa ?? -1
  const axisb = options?.axis ?? options?.axisb ?? -1
  const axisc = options?.axis ?? options?.axisc ?? -1
  if (pa.ndim === 0 || pb.ndim === 0) throw new ShapeError("np.cross: the arguments must be vectors (at least 1-D).")
  const x = moveaxis(pa, axisa, -1)
  const y = moveaxis(pb, axisb, -1)
  const na = x.shape[x.ndim - 1]!
  const nb = y.shape[y.ndim - 1]!
  if ((na !== 2 && na !== 3) || (nb !== 2 && nb !== 3)) {
    throw new ShapeError(`np.cross: the vectors must have 2 or 3 components, got ${na} and ${nb} (shapes ${showShape(pa.shape)} and ${showShape(pb.shape)}).`)
  }
  const comp = (v: Array, i: number): Array => reshape(sl(v, i, i + 1, v.ndim - 1), v.shape.slice(0, -1))
  const [a0, a1, b0, b1] = [comp(x, 0), comp(x, 1), comp(y, 0), comp(y, 1)]
  const z = subtract(multiply(a0, b1), multiply(a1, b0))
  if (na === 2 && nb === 2) return z
  const zero = (v: Array) => multiply(comp(v, 0), 0)
  const a2 = na === 3 ? comp(x, 2) : zero(x)
  const b2 = nb === 3 ? comp(y, 2) : zero(y)
  const parts = broadcastArrays(subtract(multiply(a1, b2), multiply(a2, b1)), subtract(multiply(a2, b0), multiply(a0, b2)), z)
  const c = stack(parts, 0)
  return moveaxis(c, 0, normalizeAxis(axisc, c.ndim, "np.cross axisc"))
}

// ---------------------------------------------------------------------------------------------
// Numerical calculus

export interface GradientOptions {
  /** Sample spacing: one number for every axis, or per axis a number or a coordinate array. */
  readonly spacing?: number | Array | ReadonlyArray<number | Array>
  /** The axes to differentiate along (default all). */
  readonly axis?: number | ReadonlyArray<number> | null
  /** Only 1 (JAX implements first-order edges only). */
  readonly edgeOrder?: 1
}
const GRADIENT_KEYS = optionKeys<GradientOptions>()("spacing", "axis", "edgeOrder")

const gradientAlong = (a: Array, h: number | Array, axis: number): Array => {
  const n = a.shape[axis]!
  if (n < 2)
    throw new ShapeError(`np.gradient: axis ${axis} of shape ${showShape(a.shape)} is too short for a numerical gradient; it needs at least 2 samples.`)
  let upper = subtract(sl(a, 1, 2, axis), sl(a, 0, 1, axis))
  let lower = subtract(sl(a, n - 1, n, axis), sl(a, n - 2, n - 1, axis))
  let inner: Array
  if (typeof h === "number" || h.ndim === 0) {
    inner = divide(multiply(subtract(sl(a, 2, n, axis), sl(a, 0, n - 2, axis)), 0.5), h)
    upper = divide(upper, h)
    lower = divide(lower, h)
  } else {
    if (h.ndim !== 1 || h.shape[0] !== n)
      throw new ShapeError(`np.gradient: coordinates of shape ${showShape(h.shape)} must be 1-D with the axis' length ${n}.`)
    const hs = reshape(
      inexact(h),
      a.shape.map((_, k) => (k === axis ? n : 1))
    )
    upper = divide(upper, subtract(sl(hs, 1, 2, axis), sl(hs, 0, 1, axis)))
    lower = divide(lower, subtract(sl(hs, n - 1, n, axis), sl(hs, n - 2, n - 1, axis)))
    const dx1 = subtract(sl(hs, 1, n - 1, axis), sl(hs, 0, n - 2, axis))
    const dx2 = subtract(sl(hs, 2, n, axis), sl(hs, 1, n - 1, axis))
    const ca = divide(multiply(dx2, -1), multiply(dx1, add(dx1, dx2)))
    const cb = divide(subtract(dx2, dx1), multiply(dx1, dx2))
    const cc = divide(dx1, multiply(dx2, add(dx1, dx2)))
    inner = add(add(multiply(ca, sl(a, 0, n - 2, axis)), multiply(cb, sl(a, 1, n - 1, axis))), multiply(cc, sl(a, 2, n, axis)))
  }
  return concatenate([upper, inner, lower], axis)
}

/**
 * `jnp.gradient(f, *varargs, axis=None, edge_order=None)`: central differences inside, one-sided
 * at the edges, along each requested axis (a list of arrays; one Array for a single axis).
 *
 * @example
 * np.gradient(np.array([1, 2, 4, 7, 11]))                                  // [1, 1.5, 2.5, 3.5, 4]
 * np.gradient(np.array([1, 4, 9]), { spacing: [np.array([0, 1, 3])] })   // non-uniform samples
 */
export const gradient = (f: ArrayLike, options?: GradientOptions): Array | Array[] => {
  checkOptions("np.gradient", options, GRADIENT_KEYS)
  if (options?.edgeOrder !== undefined && options.edgeOrder !== 1)
    throw new ValueError(`np.gradient: edgeOrder ${String(options.edgeOrder)} is not implemented (nor in JAX); use 1.`)
  const a = inexact(f)
  const axisOpt = options?.axis ?? null
  const axes =
    axisOpt === null ? seq(a.ndim) : (typeof axisOpt === "number" ? [axisOpt] : [...axisOpt]).map((d) => normalizeAxis(d, a.ndim, "np.gradient axis"))
  const sp = options?.spacing
  const spacings: ReadonlyArray<number | Array> = sp === undefined ? axes.map(() => 1) : typeof sp === "number" || sp instanceof Array ? axes.map(() => sp) : sp
  if (spacings.length !== axes.length) throw new ValueError(`np.gradient: ${spacings.length} spacings for ${axes.length} axes; give one, or one per axis.`)
  const out = axes.map((d, i) => gradientAlong(a, spacings[i]!, d))
  return out.length === 1 ? out[0]! : out
}

export interface TrapezoidOptions {
  /** The sample points (default: evenly spaced by dx). */
  readonly x?: ArrayLike
  /** The spacing when x is not given (default 1). */
  readonly dx?: number
  /** The axis to integrate along (default -1). */
  readonly axis?: number
}
const TRAPEZOID_KEYS = optionKeys<TrapezoidOptions>()("x", "dx", "axis")

/**
 * `jnp.trapezoid(y, x=None, dx=1.0, axis=-1)`: the integral by the trapezoidal rule.
 *
 * @example
 * np.trapezoid(np.array([1, 2, 3]))                           // 4
 * np.trapezoid(np.array([1, 2, 3]), { x: [0, 1, 3] })       // 6.5
 */
export const trapezoid = (y: ArrayLike, options?: TrapezoidOptions): Array => {
  checkOptions("np.trapezoid", options, TRAPEZOID_KEYS)
  const a = inexact(y)
  if (a.ndim === 0) throw new ShapeError("np.trapezoid: y must be at least 1-D.")
  const d = normalizeAxis(options?.axis ?? -1, a.ndim, "np.trapezoid axis")
  const ym = moveaxis(a, d, -1)
  const n = ym.shape[ym.ndim - 1]!
  let dx: Operand = options?.dx ?? 1
  if (options?.x !== undefined) {
    const xs = inexact(options.x)
    dx = xs.ndim === 1 ? diff(xs) : moveaxis(diff(xs, { axis: d }), d, -1)
  }
  const last = ym.ndim - 1
  const pair = add(sl(ym, 1, n, last), sl(ym, 0, Math.max(0, n - 1), last))
  return multiply(sum(multiply(dx, pair), { axis: -1 }), 0.5)
}

export interface InterpOptions {
  /** The value below xp[0] (default fp[0]). */
  readonly left?: number
  /** The value above xp[-1] (default fp[-1]). */
  readonly right?: number
  /** The period of periodic x-coordinates (left and right are then ignored). */
  readonly period?: number
}
const INTERP_KEYS = optionKeys<InterpOptions>()("left", "right", "period")

/**
 * `jnp.interp(x, xp, fp, left=None, right=None, period=None)`: piecewise-linear interpolation of
 * the points (xp, fp) (xp increasing) at x.
 *
 * @example
 * np.interp(np.array([0.5, 2.5]), np.array([0, 1, 2, 3]), np.array([0, 10, 20, 30])) // [5, 25]
 */
export const interp = (x: ArrayLike, xp: ArrayLike, fp: ArrayLike, options?: InterpOptions): Array => {
  checkOptions("np.interp", options, INTERP_KEYS)
  let [xa, xpa, fpa] = promoteDtypes([inexact(x), inexact(xp), inexact(fp)]) as [Array, Array, Array]
  if (xpa.ndim !== 1 || fpa.ndim !== 1 || xpa.shape[0] !== fpa.shape[0]) {
    throw new ShapeError(`np.interp: xp and fp must be 1-D of one length, got shapes ${showShape(xpa.shape)} and ${showShape(fpa.shape)}.`)
  }
  if (xpa.shape[0] === 0) throw new ValueError("np.interp: xp and fp must not be empty.")
  const period = options?.period
  if (period !== undefined) {
    if (period === 0) throw new ValueError("np.interp: period must be nonzero.")
    const p = Math.abs(period)
    xa = remainder(xa, p)
    xpa = remainder(xpa, p)
    ;[xpa, fpa] = sortKeyVal(xpa, fpa, 0)
    const m = xpa.shape[0]!
    xpa = concatenate([subtract(sl(xpa, m - 1, m, 0), p), xpa, add(sl(xpa, 0, 1, 0), p)], 0)
    fpa = concatenate([sl(fpa, m - 1, m, 0), fpa, sl(fpa, 0, 1, 0)], 0)
  }
  const m = xpa.shape[0]!
  // searchsorted(xp, x, side="right"): how many xp are <= x; clipped to [1, m - 1].
  const count = sum(lessEqual(xpa, expandDims(xa, -1)), { axis: -1 })
  const i = convertElementType(where(less(count, 1), 1, where(greater(count, m - 1), m - 1, count)), "int32")
  const im1 = subtract(i, 1)
  const fpi = take(fpa, i)
  const fpi1 = take(fpa, im1)
  const xpi = take(xpa, i)
  const xpi1 = take(xpa, im1)
  const df = subtract(fpi, fpi1)
  const dx = subtract(xpi, xpi1)
  const delta = subtract(xa, xpi1)
  // np.spacing(finfo(dtype).eps): JAX treats steps this small as zero (no NaN gradients).
  const eps = xa.dtype === "float32" ? 2 ** -46 : 2 ** -104
  const dx0 = lessEqual(abs(dx), eps)
  let f = where(dx0, fpi1, add(fpi1, multiply(divide(delta, where(dx0, 1, dx)), df)))
  if (period === undefined) {
    f = where(less(xa, take(xpa, 0)), options?.left ?? take(fpa, 0), f)
    f = where(greater(xa, take(xpa, m - 1)), options?.right ?? take(fpa, m - 1), f)
  }
  return f
}

export interface UnwrapOptions {
  /** Jumps smaller than this are kept (default period / 2). */
  readonly discont?: number
  /** The axis (default -1). */
  readonly axis?: number
  /** The period (default 2π). */
  readonly period?: number
}
const UNWRAP_KEYS = optionKeys<UnwrapOptions>()("discont", "axis", "period")

/**
 * `jnp.unwrap(p, discont=None, axis=-1, period=2π)`: remove jumps larger than `discont` by adding
 * multiples of the period.
 *
 * @example
 * np.unwrap(np.array([0, 3, 6.5, 0.2])) // [0, 3, 0.2168, 0.2] → [0, 3, 6.5, 6.4832]
 */
export const unwrap = (p: ArrayLike, options?: UnwrapOptions): Array => {
  checkOptions("np.unwrap", options, UNWRAP_KEYS)
  const a = inexact(p)
  if (a.ndim === 0) throw new ShapeError("np.unwrap: the input must be at least 1-D.")
  const d = normalizeAxis(options?.axis ?? -1, a.ndim, "np.unwrap axis")
  const period = options?.period ?? 2 * Math.PI
  const discont = options?.discont ?? period / 2
  const interval = period / 2
  const n = a.shape[d]!
  if (n === 0) return a
  const dd = diff(a, { axis: d })
  let ddmod = subtract(remainder(add(dd, interval), period), interval)
  ddmod = where(logicalAnd(equal(ddmod, -interval), greater(dd, 0)), interval, ddmod)
  const correct = where(less(abs(dd), discont), 0, subtract(ddmod, dd))
  return concatenate([sl(a, 0, 1, d), add(sl(a, 1, n, d), cumsum(correct, { axis: d }))], d)
}
