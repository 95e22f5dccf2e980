/**
 * More of jax.numpy's elementwise math: `logaddexp(2)`, `fmod`, `fmin`/`fmax`, `trunc` (JAX removed `fix` in 0.10),
 * `signbit`, `copysign`, `hypot`, `cbrt`, `sinc`, `frexp`/`ldexp`, `modf`, `nextafter`,
 * `gcd`/`lcm`, `heaviside`, `float_power`, `divmod`, `around`/`rint`, `isneginf`/`isposinf`,
 * `nan_to_num`, angle conversions, the inverse hyperbolic functions and NumPy 2's names for the
 * inverse trigonometric ones. Each is JAX's composition of lax primitives (the same formulas and
 * the same guards against NaN gradients), so all transformations apply.
 */
import { Array } from "../array.js"
import { type DType, isComplex, isFloat, isInt } from "../dtype.js"
import { complex, imag, real } from "../primitives/complex.js"
import { DTypeError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { constant, constLike } from "../primitives/common.js"
import * as lax from "../primitives/elementwise.js"
import { whileLoop } from "../lax/control.js"
import { customJvp } from "../transforms/custom.js"
import { reduceMax } from "../primitives/reduce.js"
import { broadcastTo } from "../primitives/shape-ops.js"
import { type Operand, promote, promoteDtypes } from "./coerce.js"
import { bitcastConvertType as bitcast } from "../primitives/bits.js"
import { arccos, arcsin, arctan, arctan2, floorDivide, greater, less, mod, power, round } from "./math.js"

const float1 = (x: Operand): Array => (x instanceof Array && isFloat(x.dtype) ? x : promoteDtypes([x], "float")[0]!)
const num1 = (x: Operand): Array => (x instanceof Array ? x : promoteDtypes([x])[0]!)
const float2 = (x: Operand, y: Operand): [Array, Array] => promote([x, y], "float") as [Array, Array]
const num2 = (x: Operand, y: Operand): [Array, Array] => promote([x, y]) as [Array, Array]
const c = (x: Array, v: number): Array => constLike(x, v)
const boolLike = (x: Array, v: boolean): Array => constant(v ? 1 : 0, "bool", x.shape)

/** Broadcast two same-dtype operands to one shape (lax's binary ops need equal shapes or scalars). */
const bcast2 = (a: Array, b: Array): [Array, Array] => {
  if (a.ndim === 0 && b.ndim === 0) return [a, b]
  if (a.ndim === 0) return [broadcastTo(a, b.shape), b]
  if (b.ndim === 0) return [a, broadcastTo(b, a.shape)]
  if (a.shape.every((d, i) => d === b.shape[i])) return [a, b]
  const shape = a.shape.map((d, i) => (d === 1 ? b.shape[i]! : d))
  return [broadcastTo(a, shape), broadcastTo(b, shape)]
}

// ---------------------------------------------------------------------------------------------
// Log-sum-exp of pairs

/**
 * `jnp.logaddexp(x1, x2)`: `log(exp(x1) + exp(x2))` without overflow:
 * `max + log1p(exp(-|x1 - x2|))`, with equal infinities handled. Complex operands as JAX's (the
 * principal branch: imaginary part in [-pi, pi)).
 *
 * @example
 * np.logaddexp(1000, 1000) // 1000.6931
 */
export const logaddexp = (x1: Operand, x2: Operand): Array => {
  const [a, b] = bcast2(...float2(x1, x2))
  return isComplex(a.dtype) ? logaddexpComplex(a, b) : logaddexpRaw(a, b)
}

/** `x` wrapped into [-a, a) (JAX's `_wrap_between`). */
const wrapBetween = (x: Array, a: number): Array => {
  const r = lax.rem(lax.add(x, c(x, a)), c(x, 2 * a))
  return lax.sub(lax.select(lax.lt(r, c(r, 0)), lax.add(r, c(r, 2 * a)), r), c(x, a))
}

/**
 * Complex logaddexp as JAX's `lax.logaddexp`: `amax + log1p(exp(x1 + x2 - 2 amax))` with `amax`
 * the lexicographic maximum, and the imaginary part wrapped into [-pi, pi). Differentiated through
 * the formula (JAX's custom rule differs only where a real part is infinite).
 */
const logaddexpComplex = (a: Array, b: Array): Array => {
  const amax = lax.max(a, b)
  const delta = lax.sub(lax.add(a, b), lax.mul(amax, c(amax, 2)))
  const out = lax.add(amax, lax.log1p(lax.exp(delta)))
  return complex(real(out), wrapBetween(imag(out), Math.PI))
}

const logaddexpPrimal = (a: Array, b: Array): Array => {
  const amax = lax.max(a, b)
  const delta = lax.sub(a, b)
  return lax.select(lax.ne(delta, delta), lax.add(a, b), lax.add(amax, lax.log1p(lax.exp(lax.neg(lax.abs(delta))))))
}
/** Infinities as 0, so that exp(x - out) is 1 (not NaN) where x and out are the same infinity. */
const finiteOr0 = (x: Array): Array => lax.select(lax.isFinite(x), x, c(x, 0))
// JAX's rule: d out = t1 exp(x1 - out) + t2 exp(x2 - out), 1/2 each at a tie, finite at infinities.
const logaddexpRaw = customJvp(logaddexpPrimal, { name: "logaddexp" })
logaddexpRaw.defjvp(([a, b], [ta, tb]) => {
  const out = logaddexpRaw(a, b)
  const o = finiteOr0(out)
  return [out, lax.add(lax.mul(ta, lax.exp(lax.sub(finiteOr0(a), o))), lax.mul(tb, lax.exp(lax.sub(finiteOr0(b), o))))]
})

/**
 * `jnp.logaddexp2(x1, x2)`: `log2(2**x1 + 2**x2)` without overflow.
 *
 * @example
 * np.logaddexp2(1, 1) // 2
 */
export const logaddexp2 = (x1: Operand, x2: Operand): Array => {
  const [a, b] = bcast2(...float2(x1, x2))
  return logaddexp2Raw(a, b)
}

const logaddexp2Raw = customJvp(
  (a: Array, b: Array): Array => {
    const amax = lax.max(a, b)
    const delta = lax.sub(a, b)
    const tail = lax.div(lax.log1p(lax.exp2(lax.neg(lax.abs(delta)))), c(a, Math.LN2))
    return lax.select(lax.ne(delta, delta), lax.add(a, b), lax.add(amax, tail))
  },
  { name: "logaddexp2" }
)
logaddexp2Raw.defjvp(([a, b], [ta, tb]) => {
  const out = logaddexp2Raw(a, b)
  const o = finiteOr0(out)
  return [out, lax.add(lax.mul(ta, lax.exp2(lax.sub(finiteOr0(a), o))), lax.mul(tb, lax.exp2(lax.sub(finiteOr0(b), o))))]
})

// ---------------------------------------------------------------------------------------------
// Remainders, extremes, rounding

/**
 * `jnp.fmod(x1, x2)`: C's remainder, with the sign of the dividend (unlike `mod`). Integer
 * division by zero gives 0, as in JAX.
 *
 * @example
 * np.fmod(-7, 3) // -1
 */
export const fmod = (x1: Operand, x2: Operand): Array => {
  const [a, b] = num2(x1, x2)
  if (a.dtype === "bool") throw new DTypeError('np.fmod does not take bool operands; cast them with astype("int32").')
  if (isFloat(a.dtype)) return lax.rem(a, b)
  const [x, y] = bcast2(a, b)
  const zero = lax.eq(y, c(y, 0))
  return lax.select(zero, c(x, 0), lax.rem(x, lax.select(zero, c(y, 1), y)))
}

/**
 * `jnp.fmax(x1, x2)`: the elementwise maximum ignoring NaN (NaN only where both are NaN). As jnp:
 * `where(x1 > x2 | isnan(x2), x1, x2)`, so complex operands compare lexicographically (real part,
 * then imaginary part) and a complex NaN (either part) is ignored.
 *
 * @example
 * np.fmax(np.array([1, NaN]), 0) // [1, 0]
 */
export const fmax = (x1: Operand, x2: Operand): Array => {
  const [a, b] = bcast2(...num2(x1, x2))
  return lax.select(lax.or(greater(a, b), lax.ne(b, b)), a, b)
}

/**
 * `jnp.fmin(x1, x2)`: the elementwise minimum ignoring NaN. As jnp: `where(x1 < x2 | isnan(x2), x1,
 * x2)`, lexicographic for complex operands.
 *
 * @example
 * np.fmin(np.array([1, NaN]), 0) // [0, 0]
 */
export const fmin = (x1: Operand, x2: Operand): Array => {
  const [a, b] = bcast2(...num2(x1, x2))
  return lax.select(lax.or(less(a, b), lax.ne(b, b)), a, b)
}

/**
 * `jnp.trunc(x)`: round toward zero (the identity on integers).
 *
 * @example
 * np.trunc(np.array([-1.7, 1.7])) // [-1, 1]
 */
export const trunc = (x: Operand): Array => {
  const a = num1(x)
  if (!isFloat(a.dtype)) return a
  return lax.select(lax.lt(a, c(a, 0)), lax.ceil(a), lax.floor(a))
}

/**
 * `jnp.around(x, decimals=0)`: round to `decimals` places, halves to even (the same as `round`).
 *
 * @example
 * np.around(np.array([0.5, 1.5, 2.675]), 2) // [0.5, 1.5, 2.67]
 */
export const around = (x: Operand, decimals = 0): Array => round(x, decimals)

/**
 * `jnp.rint(x)`: round to the nearest integer, halves to even; integers are promoted to float.
 *
 * @example
 * np.rint(np.array([0.5, 1.5, -2.5])) // [0, 2, -2]
 */
export const rint = (x: Operand): Array => lax.round(float1(x), "toNearestEven")

/**
 * `jnp.modf(x)`: the fractional and integral parts, both with x's sign.
 *
 * @example
 * np.modf(np.array([-1.5, 2.25])) // [[-0.5, 0.25], [-1, 2]]
 */
export const modf = (x: Operand): [Array, Array] => {
  const a = float1(x)
  const whole = lax.select(lax.ge(a, c(a, 0)), lax.floor(a), lax.ceil(a))
  return [lax.sub(a, whole), whole]
}

/**
 * `jnp.divmod(x1, x2)`: `[floorDivide(x1, x2), mod(x1, x2)]`.
 *
 * @example
 * np.divmod(7, -2) // [-4, -1]
 */
export const divmod = (x1: Operand, x2: Operand): [Array, Array] => [floorDivide(x1, x2), mod(x1, x2)]

// ---------------------------------------------------------------------------------------------
// Signs

/**
 * `jnp.signbit(x)`: whether the sign bit is set (true for -0 and negative NaNs).
 *
 * @example
 * np.signbit(np.array([-0, 0, -1])) // [true, false, true]
 */
export const signbit = (x: Operand): Array => {
  const a = num1(x)
  if (a.dtype === "bool" || a.dtype === "uint32") return boolLike(a, false)
  if (a.dtype === "int32") return lax.lt(a, c(a, 0))
  if (a.dtype === "float32") return lax.lt(bitcast(a, "int32"), constant(0, "int32", [], true))
  // float64: no 64-bit integers to bitcast to; -0 is told by 1/x, a NaN's sign is not visible.
  const negZero = lax.and(lax.eq(a, c(a, 0)), lax.lt(lax.div(c(a, 1), a), c(a, 0)))
  return lax.or(lax.lt(a, c(a, 0)), negZero)
}
/**
 * `jnp.copysign(x1, x2)`: the magnitude of x1 with the sign (bit) of x2.
 *
 * @example
 * np.copysign(3, -0) // -3
 */
export const copysign = (x1: Operand, x2: Operand): Array => {
  const [a, b] = bcast2(...float2(x1, x2))
  const mag = lax.abs(a)
  return lax.select(signbit(b), lax.neg(mag), mag)
}

/**
 * `jnp.heaviside(x1, x2)`: 0 for negative x1, 1 for positive, x2 at zero (NaN stays NaN).
 *
 * @example
 * np.heaviside(np.array([-1, 0, 2]), 0.5) // [0, 0.5, 1]
 */
export const heaviside = (x1: Operand, x2: Operand): Array => {
  const [a, b] = bcast2(...float2(x1, x2))
  return lax.select(lax.lt(a, c(a, 0)), c(a, 0), lax.select(lax.gt(a, c(a, 0)), c(a, 1), lax.select(lax.ne(a, a), a, b)))
}

/** `jnp.positive(x)`: `+x`, the identity. @example np.positive(-2) // -2 */
export const positive = (x: Operand): Array => num1(x)

/** `jnp.fabs(x)`: `|x|` as a float (integers are promoted). @example np.fabs(-2) // 2 */
export const fabs = (x: Operand): Array => lax.abs(float1(x))

/** `jnp.isposinf(x)`: whether x is +inf (false for integers). @example np.isposinf(Infinity) // true */
export const isposinf = (x: Operand): Array => {
  const a = num1(x)
  return isFloat(a.dtype) ? lax.eq(a, c(a, Infinity)) : boolLike(a, false)
}

/** `jnp.isneginf(x)`: whether x is -inf (false for integers). @example np.isneginf(-Infinity) // true */
export const isneginf = (x: Operand): Array => {
  const a = num1(x)
  return isFloat(a.dtype) ? lax.eq(a, c(a, -Infinity)) : boolLike(a, false)
}

// ---------------------------------------------------------------------------------------------
// Magnitudes and special values

/**
 * `jnp.hypot(x1, x2)`: `sqrt(x1² + x2²)` without overflow or underflow.
 *
 * @example
 * np.hypot(3e30, 4e30) // 5e30 (float32 would overflow squaring)
 */
export const hypot = (x1: Operand, x2: Operand): Array => {
  const [p, q] = bcast2(...float2(x1, x2))
  const a = lax.abs(p)
  const b = lax.abs(q)
  const inf = lax.or(lax.eq(a, c(a, Infinity)), lax.eq(b, c(b, Infinity)))
  const hi = lax.max(a, b)
  const lo = lax.min(a, b)
  const zero = lax.eq(hi, c(hi, 0))
  const ratio = lax.div(lo, lax.select(zero, c(hi, 1), hi))
  const r = lax.select(zero, hi, lax.mul(hi, lax.sqrt(lax.add(c(hi, 1), lax.mul(ratio, ratio)))))
  return lax.select(inf, c(r, Infinity), r)
}

/**
 * `jnp.cbrt(x)`: the real cube root (negative for negative x).
 *
 * @example
 * np.cbrt(-27) // -3
 */
export const cbrt = (x: Operand): Array => {
  const a = float1(x)
  const m = lax.abs(a)
  // exp(log|x| / 3), then one Newton step: r - (r³ - |x|) / (3 r²); 0 and inf pass through.
  const r0 = lax.exp(lax.div(lax.log(m), c(m, 3)))
  const ok = lax.and(lax.gt(m, c(m, 0)), lax.lt(m, c(m, Infinity)))
  const safe = lax.select(ok, r0, c(m, 1))
  const r1 = lax.sub(safe, lax.div(lax.sub(lax.mul(lax.mul(safe, safe), safe), lax.select(ok, m, c(m, 1))), lax.mul(c(m, 3), lax.mul(safe, safe))))
  const r = lax.select(ok, r1, m)
  return lax.select(signbit(a), lax.neg(r), r)
}

/**
 * `jnp.sinc(x)`: the normalized sinc, `sin(πx) / (πx)`, 1 at 0 (with a zero derivative there).
 *
 * @example
 * np.sinc(np.array([0, 0.5, 1])) // [1, 0.6366, 0]
 */
export const sinc = (x: Operand): Array => {
  const a = float1(x)
  const zero = lax.eq(a, c(a, 0))
  const px = lax.mul(c(a, Math.PI), lax.select(zero, c(a, 1), a))
  return lax.select(zero, c(a, 1), lax.div(lax.sin(px), px))
}

export interface NanToNumOptions {
  /** Accepted for NumPy compatibility; JAX arrays are immutable (a new array is returned). */
  readonly copy?: boolean
  /** The value for NaN (default 0). */
  readonly nan?: number
  /** The value for +inf (default: the dtype's largest finite value). */
  readonly posinf?: number | null
  /** The value for -inf (default: the dtype's most negative finite value). */
  readonly neginf?: number | null
}
const NAN_TO_NUM_KEYS = optionKeys<NanToNumOptions>()("copy", "nan", "posinf", "neginf")

const finiteMax = (d: DType): number => (d === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE)

/**
 * `jnp.nan_to_num(x, nan=0, posinf=None, neginf=None)`: NaN and infinities replaced by finite
 * numbers (the identity on integers).
 *
 * @example
 * np.nanToNum(np.array([NaN, Infinity, -Infinity, 1])) // [0, 3.4028235e38, -3.4028235e38, 1]
 */
export const nanToNum = (x: Operand, options?: NanToNumOptions): Array => {
  checkOptions("np.nanToNum", options, NAN_TO_NUM_KEYS)
  const a = num1(x)
  if (!isFloat(a.dtype)) return a
  const big = finiteMax(a.dtype)
  let out = lax.select(lax.ne(a, a), c(a, options?.nan ?? 0), a)
  out = lax.select(lax.eq(out, c(a, Infinity)), c(a, options?.posinf ?? big), out)
  return lax.select(lax.eq(out, c(a, -Infinity)), c(a, options?.neginf ?? -big), out)
}

// ---------------------------------------------------------------------------------------------
// Exponent and mantissa

const mantissaBits = (d: DType): number => (d === "float32" ? 24 : 53)
const minExponent = (d: DType): number => (d === "float32" ? -149 : -1074)

/**
 * `jnp.frexp(x)`: mantissa in [0.5, 1) (with x's sign) and int32 exponent with
 * `x = mantissa * 2**exponent`; 0, inf and NaN give themselves and exponent 0.
 *
 * @example
 * np.frexp(np.array([8, -0.375])) // [[0.5, -0.75], [4, -1]]
 */
export const frexp = (x: Operand): [Array, Array] => {
  const a = float1(x)
  const m = lax.abs(a)
  const special = lax.or(lax.eq(m, c(m, 0)), lax.or(lax.ne(m, m), lax.eq(m, c(m, Infinity))))
  const safe = lax.select(special, c(m, 1), m)
  // floor(log2 |x|) + 1 can be off by one near powers of two: correct it exactly.
  let e = lax.add(lax.floor(lax.div(lax.log(safe), c(safe, Math.LN2))), c(safe, 1))
  e = lax.max(e, c(e, minExponent(a.dtype) + 1))
  let mant = scale2(safe, lax.neg(e))
  const high = lax.ge(mant, c(mant, 1))
  e = lax.select(high, lax.add(e, c(e, 1)), e)
  mant = lax.select(high, lax.div(mant, c(mant, 2)), mant)
  const low = lax.lt(mant, c(mant, 0.5))
  e = lax.select(low, lax.sub(e, c(e, 1)), e)
  mant = lax.select(low, lax.mul(mant, c(mant, 2)), mant)
  const signed = lax.select(signbit(a), lax.neg(mant), mant)
  return [lax.select(special, a, signed), lax.convertElementType(lax.select(special, c(e, 0), e), "int32")]
}

/** 2**e for integral float e, exact also where 2**e is subnormal (two factors, each normal). */
const pow2 = (e: Array): Array => {
  const half = lax.floor(lax.div(e, c(e, 2)))
  return lax.mul(lax.exp2(half), lax.exp2(lax.sub(e, half)))
}

/** x * 2**e in two steps, so neither 2**e nor the intermediate overflows when the result does not. */
const scale2 = (x: Array, e: Array): Array => {
  const half = lax.floor(lax.div(e, c(e, 2)))
  return lax.mul(lax.mul(x, lax.exp2(half)), lax.exp2(lax.sub(e, half)))
}

/**
 * `jnp.ldexp(x1, x2)`: `x1 * 2**x2` for integer x2, without intermediate overflow.
 *
 * @example
 * np.ldexp(0.75, 3) // 6
 */
export const ldexp = (x1: Operand, x2: Operand): Array => {
  const e2 = num1(x2)
  if (!isInt(e2.dtype)) throw new DTypeError(`np.ldexp: the exponent must be an integer, got ${e2.dtype}.`)
  const a = float1(x1)
  const [m, e] = frexp(a)
  const [mb, total] = bcast2(m, lax.convertElementType(lax.add(...bcast2(lax.convertElementType(e, "int32"), lax.convertElementType(e2, "int32"))), a.dtype))
  const out = scale2(mb, total)
  const [ab, o] = bcast2(a, out)
  // At 0 the value is 0 (its sign kept) and the derivative 2**x2, from a clamped power that cannot overflow.
  const [, eb] = bcast2(ab, lax.convertElementType(e2, a.dtype))
  const atZero = lax.mul(ab, pow2(lax.max(lax.min(eb, c(eb, 100)), c(eb, -100))))
  return lax.select(lax.eq(lax.abs(ab), c(ab, Infinity)), ab, lax.select(lax.eq(ab, c(ab, 0)), atZero, o))
}

/**
 * `jnp.nextafter(x1, x2)`: the next representable float after x1 toward x2 (in x1's dtype).
 *
 * @example
 * np.nextafter(np.array(1, { dtype: "float32" }), 2) // 1.0000001
 */
export const nextafter = (x1: Operand, x2: Operand): Array => {
  const [a, b] = bcast2(...float2(x1, x2))
  const d = a.dtype
  const [, e] = frexp(a)
  const ef = lax.convertElementType(e, d)
  // One unit in the last place at a's binade; half of it going toward zero from a power of two.
  const ulp = pow2(lax.max(lax.sub(ef, c(ef, mantissaBits(d))), c(ef, minExponent(d))))
  const m = lax.abs(a)
  const towardZero = lax.ne(lax.lt(a, b), lax.gt(a, c(a, 0)))
  const isPow2 = lax.eq(lax.div(m, pow2(lax.sub(ef, c(ef, 1)))), c(m, 1))
  const step = lax.select(lax.and(towardZero, isPow2), lax.max(lax.div(ulp, c(ulp, 2)), pow2(c(ef, minExponent(d)))), ulp)
  const tiny = pow2(lax.add(c(ef, minExponent(d)), lax.mul(ef, c(ef, 0))))
  const moved = lax.select(lax.lt(a, b), lax.add(a, step), lax.sub(a, step))
  const fromZero = lax.select(lax.lt(a, b), tiny, lax.neg(tiny))
  let out = lax.select(lax.eq(a, c(a, 0)), fromZero, moved)
  // From an infinity toward a finite number: the largest finite value of that sign.
  const big = d === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE
  out = lax.select(lax.eq(m, c(m, Infinity)), lax.select(lax.gt(a, c(a, 0)), c(a, big), c(a, -big)), out)
  out = lax.select(lax.eq(a, b), b, out)
  return lax.select(lax.or(lax.ne(a, a), lax.ne(b, b)), c(a, NaN), out)
}

// ---------------------------------------------------------------------------------------------
// Integer number theory

/**
 * `jnp.gcd(x1, x2)`: the greatest common divisor of integers (non-negative), by Euclid's
 * algorithm in a while loop.
 *
 * @example
 * np.gcd(np.array([12, -18, 0]), 8) // [4, 2, 8]
 */
export const gcd = (x1: Operand, x2: Operand): Array => {
  const [p, q] = bcast2(...num2(x1, x2))
  if (!isInt(p.dtype)) throw new DTypeError(`np.gcd: the arguments must be integers, got ${p.dtype}.`)
  const a0 = p.dtype === "uint32" ? p : lax.abs(p)
  const b0 = q.dtype === "uint32" ? q : lax.abs(q)
  const zeroOf = c(a0, 0)
  const [g] = whileLoop(
    ([, b]: readonly [Array, Array]) =>
      b.ndim === 0
        ? lax.ne(b, zeroOf)
        : reduceMax(
            lax.ne(b, zeroOf),
            b.shape.map((_, i) => i)
          ),
    ([a, b]: readonly [Array, Array]) => {
      const nz = lax.ne(b, zeroOf)
      const safe = lax.select(nz, b, c(b, 1))
      return [lax.select(nz, b, a), lax.select(nz, lax.rem(a, safe), zeroOf)] as const
    },
    [a0, b0] as const
  )
  return g
}

/**
 * `jnp.lcm(x1, x2)`: the least common multiple of integers (0 when either is 0).
 *
 * @example
 * np.lcm(np.array([4, 6, 0]), 6) // [12, 6, 0]
 */
export const lcm = (x1: Operand, x2: Operand): Array => {
  const [p, q] = bcast2(...num2(x1, x2))
  const g = gcd(p, q)
  const zero = lax.eq(g, c(g, 0))
  const a = p.dtype === "uint32" ? p : lax.abs(p)
  const b = q.dtype === "uint32" ? q : lax.abs(q)
  return lax.select(zero, c(g, 0), lax.mul(a, lax.div(b, lax.select(zero, c(g, 1), g))))
}

// ---------------------------------------------------------------------------------------------
// Powers, angles, inverse hyperbolic functions, NumPy 2 names

/**
 * `jnp.float_power(x1, x2)`: `x1 ** x2` computed in floating point (integers are promoted).
 *
 * @example
 * np.floatPower(2, -1) // 0.5
 */
export const floatPower = (x1: Operand, x2: Operand): Array => {
  const [a, b] = float2(x1, x2)
  return power(a, b)
}

/** `jnp.deg2rad(x)`: degrees to radians. @example np.deg2rad(180) // 3.1415927 */
export const deg2rad = (x: Operand): Array => {
  const a = float1(x)
  return lax.mul(a, c(a, Math.PI / 180))
}
/** `jnp.radians(x)`: the same as `deg2rad`. @example np.radians(90) // 1.5707964 */
export const radians = deg2rad

/** `jnp.rad2deg(x)`: radians to degrees. @example np.rad2deg(Math.PI) // 180 */
export const rad2deg = (x: Operand): Array => {
  const a = float1(x)
  return lax.mul(a, c(a, 180 / Math.PI))
}
/** `jnp.degrees(x)`: the same as `rad2deg`. @example np.degrees(Math.PI / 2) // 90 */
export const degrees = rad2deg

/**
 * `jnp.arcsinh(x)`: the inverse hyperbolic sine, accurate for small and large |x|.
 *
 * @example
 * np.arcsinh(1) // 0.8813736
 */
export const arcsinh = (x: Operand): Array => {
  const a = float1(x)
  const m = lax.abs(a)
  // log1p(m + m² / (1 + sqrt(1 + m²))) for moderate m; log(m) + ln 2 where m² would overflow.
  const big = lax.gt(m, c(m, a.dtype === "float32" ? 1e18 : 1e150))
  const ms = lax.select(big, c(m, 1), m)
  const small = lax.log1p(lax.add(ms, lax.div(lax.mul(ms, ms), lax.add(c(ms, 1), lax.sqrt(lax.add(c(ms, 1), lax.mul(ms, ms)))))))
  const r = lax.select(big, lax.add(lax.log(lax.select(big, m, c(m, 1))), c(m, Math.LN2)), small)
  return lax.select(signbit(a), lax.neg(r), r)
}

/**
 * `jnp.arccosh(x)`: the inverse hyperbolic cosine (NaN below 1).
 *
 * @example
 * np.arccosh(2) // 1.3169579
 */
export const arccosh = (x: Operand): Array => {
  const a = float1(x)
  const big = lax.gt(a, c(a, a.dtype === "float32" ? 1e18 : 1e150))
  const s = lax.select(big, c(a, 2), a)
  const t = lax.sub(s, c(s, 1))
  const moderate = lax.log1p(lax.add(t, lax.sqrt(lax.mul(t, lax.add(s, c(s, 1))))))
  return lax.select(big, lax.add(lax.log(lax.select(big, a, c(a, 1))), c(a, Math.LN2)), moderate)
}

/**
 * `jnp.arctanh(x)`: the inverse hyperbolic tangent, `log1p(2x / (1 - x)) / 2`.
 *
 * @example
 * np.arctanh(0.5) // 0.54930615
 */
export const arctanh = (x: Operand): Array => {
  const a = float1(x)
  const m = lax.abs(a)
  const r = lax.mul(c(m, 0.5), lax.log1p(lax.div(lax.mul(c(m, 2), m), lax.sub(c(m, 1), m))))
  return lax.select(signbit(a), lax.neg(r), r)
}

/** NumPy 2's name of `arcsin`. @example np.asin(1) // 1.5707964 */
export const asin = arcsin
/** NumPy 2's name of `arccos`. @example np.acos(1) // 0 */
export const acos = arccos
/** NumPy 2's name of `arctan`. @example np.atan(1) // 0.7853982 */
export const atan = arctan
/** NumPy 2's name of `arctan2`. @example np.atan2(1, 1) // 0.7853982 */
export const atan2 = arctan2
/** NumPy 2's name of `arcsinh`. @example np.asinh(0) // 0 */
export const asinh = arcsinh
/** NumPy 2's name of `arccosh`. @example np.acosh(1) // 0 */
export const acosh = arccosh
/** NumPy 2's name of `arctanh`. @example np.atanh(0) // 0 */
export const atanh = arctanh
