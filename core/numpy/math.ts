/**
 * Elementwise math (jax.numpy ufuncs): arithmetic, transcendental functions, rounding,
 * comparisons and logic. Each function promotes its operands (JAX's lattice, JS numbers weakly
 * typed, ranks aligned NumPy-style) and binds the lax primitive: no other work on the eager path.
 * Transcendental functions promote integers to float32.
 */
import { Array } from "../array.js"
import { type DType, isComplex, isFloat } from "../dtype.js"
import { DTypeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { constant, constLike } from "../primitives/common.js"
import * as lax from "../primitives/elementwise.js"
import { imag, real } from "../primitives/complex.js"
import { alignRanks, type Operand, promote, promoteDtypes } from "./coerce.js"

// ---------------------------------------------------------------------------------------------
// Promotion helpers

/** One operand as an Array of its own (promoted) dtype; JS numbers stay weakly typed. */
const num1 = (x: Operand): Array => (x instanceof Array ? x : promoteDtypes([x])[0]!)

/** One operand as a float Array: integers and bools become float32. */
const float1 = (x: Operand): Array => (x instanceof Array && isFloat(x.dtype) ? x : promoteDtypes([x], "float")[0]!)

/** Two operands promoted to one dtype and rank. */
const num2 = (x: Operand, y: Operand): [Array, Array] => {
  const r = promote([x, y])
  return [r[0]!, r[1]!]
}

const float2 = (x: Operand, y: Operand): [Array, Array] => {
  const r = promote([x, y], "float")
  return [r[0]!, r[1]!]
}

const isIntOrBool = (d: DType): boolean => !isFloat(d)

/** `x != 0` as bool (identity for bools). */
const toBool = (x: Array): Array => (x.dtype === "bool" ? x : lax.ne(x, constLike(x, 0)))

/** A bool array of x's shape filled with `value` (for predicates that are constant on integers). */
const boolLike = (x: Array, value: boolean): Array => constant(value ? 1 : 0, "bool", x.shape)

// ---------------------------------------------------------------------------------------------
// Arithmetic

/**
 * `x + y`. On bools it is logical or, as in NumPy.
 *
 * @example
 * np.add(np.array([1, 2]), 10) // Array([11, 12], dtype=int32)
 */
export const add = (x: Operand, y: Operand): Array => {
  const [a, b] = num2(x, y)
  return a.dtype === "bool" ? lax.or(a, b) : lax.add(a, b)
}

/**
 * `x - y`.
 *
 * @example
 * np.subtract(np.array([5, 7]), np.array([1, 2])) // Array([4, 5], dtype=int32)
 */
export const subtract = (x: Operand, y: Operand): Array => {
  const [a, b] = num2(x, y)
  return lax.sub(a, b)
}

/**
 * `x * y`. On bools it is logical and, as in NumPy.
 *
 * @example
 * np.multiply(np.array([1.5, 2]), 2) // Array([3., 4.], dtype=float32)
 */
export const multiply = (x: Operand, y: Operand): Array => {
  const [a, b] = num2(x, y)
  return a.dtype === "bool" ? lax.and(a, b) : lax.mul(a, b)
}

/**
 * True division `x / y`: integer operands are promoted to float32 first.
 *
 * @example
 * np.divide(np.array([1, 3]), 2) // Array([0.5, 1.5], dtype=float32)
 */
export const divide = (x: Operand, y: Operand): Array => {
  const [a, b] = float2(x, y)
  return lax.div(a, b)
}
/**
 * Alias of `divide`.
 *
 * @example
 * np.trueDivide(7, np.array([2, 4])) // Array([3.5 , 1.75], dtype=float32)
 */
export const trueDivide = divide

/**
 * `x // y`: the floor of the quotient (Python/NumPy semantics, also for negative integers).
 *
 * @example
 * np.floorDivide(np.array([7, -7]), 2) // Array([ 3, -4], dtype=int32)
 */
export const floorDivide = (x: Operand, y: Operand): Array => {
  const [a, b] = num2(x, y)
  if (a.dtype === "uint32" || a.dtype === "uint8" || a.dtype === "uint16") return lax.div(a, b)
  if (a.dtype === "int32" || a.dtype === "int8" || a.dtype === "int16") {
    // Truncating division, minus one where the signs differ and the division is inexact. Signs
    // as JAX compares them (sign(0) = 0), so x // 0 is -2 for x != 0, as JAX computes it.
    const q = lax.div(a, b)
    const signsDiffer = lax.ne(lax.sign(a), lax.sign(b))
    const inexact = lax.ne(lax.rem(a, b), constLike(a, 0))
    return lax.select(lax.and(signsDiffer, inexact), lax.sub(q, constLike(q, 1)), q)
  }
  // Floats: divmod from the C remainder, adjusted to the sign of the divisor (CPython's
  // float_divmod, as JAX): x // 0 divides x itself, giving ±inf (NaN for 0 // 0).
  const m = lax.rem(a, b)
  const q = lax.div(lax.select(lax.eq(b, constLike(b, 0)), a, lax.sub(a, m)), b)
  const adjust = lax.and(lax.ne(m, constLike(m, 0)), lax.ne(lax.sign(b), lax.sign(m)))
  return lax.round(lax.select(adjust, lax.sub(q, constLike(q, 1)), q))
}

/**
 * `x % y` with the sign of the divisor (Python/NumPy modulo), for ints and floats.
 *
 * @example
 * np.mod(np.array([7, -7]), 3) // Array([1, 2], dtype=int32)
 */
export const mod = (x: Operand, y: Operand): Array => {
  let [a, b] = num2(x, y)
  const zero = constLike(a, 0)
  // Integer division by zero is undefined; NumPy and JAX use a divisor of 1 instead of trapping.
  if (!isFloat(b.dtype)) b = lax.select(lax.eq(b, constLike(b, 0)), constLike(b, 1), b)
  const r = lax.rem(a, b)
  const plus = lax.and(lax.ne(lax.lt(r, zero), lax.lt(b, zero)), lax.ne(r, zero))
  return lax.select(plus, lax.add(r, b), r)
}
/**
 * Alias of `mod` (jnp.remainder).
 *
 * @example
 * np.remainder(np.array([5.5, -5.5]), 2) // Array([1.5, 0.5], dtype=float32)
 */
export const remainder = mod

/**
 * `x ** y`. A JS integer exponent uses `integer_pow` (like `x ** 2` in JAX), keeping x's dtype;
 * integer arrays raised to integer arrays stay integers (exponentiation by squaring, non-negative
 * exponents below 64); otherwise `pow` on the promoted float operands.
 *
 * @example
 * np.power(np.array([1, 2, 3]), 2) // Array([1, 4, 9], dtype=int32)
 * np.power(np.array([4, 9]), 0.5) // Array([2., 3.], dtype=float32)
 */
export const power = (x: Operand, y: Operand): Array => {
  if (typeof y === "number" && Number.isInteger(y)) {
    const a = num1(x)
    if (y < 0 && !isFloat(a.dtype) && !isComplex(a.dtype)) {
      throw new ValueError(`np.power: integers cannot be raised to the negative power ${y}; cast the base to float first (x.astype("float32")).`)
    }
    return lax.integerPow(a, y)
  }
  const [a, b] = num2(x, y)
  if (isFloat(a.dtype) || isComplex(a.dtype)) return lax.pow(a, b)
  if (a.dtype === "bool") throw new ValueError('np.power does not take bool operands; cast them with astype("int32") first.')
  // Integer power: binary exponentiation over the low 6 bits of the exponent, as JAX does.
  const zero = constLike(b, 0)
  const two = constLike(b, 2)
  let base = a
  let e = b
  let acc = lax.select(lax.and(lax.eq(a, constLike(a, 0)), lax.ne(b, zero)), constLike(a, 0), constLike(a, 1))
  for (let i = 0; i < 6; i++) {
    acc = lax.select(lax.ne(lax.rem(e, two), zero), lax.mul(acc, base), acc)
    base = lax.mul(base, base)
    e = lax.div(e, two)
  }
  return acc
}
/**
 * Alias of `power`.
 *
 * @example
 * np.pow(2, np.array([0, 1, 10])) // Array([   1,    2, 1024], dtype=int32)
 */
export const pow = power

/**
 * `-x`.
 *
 * @example
 * np.negative(np.array([1, -2])) // Array([-1,  2], dtype=int32)
 */
export const negative = (x: Operand): Array => lax.neg(num1(x))

/**
 * `|x|` (the identity on unsigned and bool arrays).
 *
 * @example
 * np.abs(np.array([-1.5, 0, 2])) // Array([1.5, 0. , 2. ], dtype=float32)
 */
export const abs = (x: Operand): Array => {
  const a = num1(x)
  return a.dtype === "uint32" || a.dtype === "bool" ? a : lax.abs(a)
}
/**
 * Alias of `abs`.
 *
 * @example
 * np.absolute(np.array([-3, 3])) // Array([3, 3], dtype=int32)
 */
export const absolute = abs

/**
 * -1, 0 or 1 by the sign of x (0 for ±0, NaN for NaN).
 *
 * @example
 * np.sign(np.array([-2, 0, 5])) // Array([-1,  0,  1], dtype=int32)
 */
export const sign = (x: Operand): Array => lax.sign(num1(x))

/**
 * `x * x`, in x's dtype (integers stay integers).
 *
 * @example
 * np.square(np.array([2, -3])) // Array([4, 9], dtype=int32)
 */
export const square = (x: Operand): Array => lax.integerPow(num1(x), 2)

/**
 * `1 / x`; integers are promoted to float32.
 *
 * @example
 * np.reciprocal(np.array([2, 4])) // Array([0.5 , 0.25], dtype=float32)
 */
export const reciprocal = (x: Operand): Array => lax.integerPow(float1(x), -1)

// ---------------------------------------------------------------------------------------------
// Transcendental functions (integers promote to float32)

/**
 * `jnp.exp`: e raised to each element; integers and bools are promoted to float32 first, as in JAX.
 *
 * @example
 * np.exp(np.array([0, 1])) // Array([1.       , 2.7182817], dtype=float32)
 */
export const exp = (x: Operand): Array => lax.exp(float1(x))
/**
 * `jnp.exp2`: 2 raised to each element (integers promote to float32).
 *
 * @example
 * np.exp2(np.array([0, 3])) // Array([1., 8.], dtype=float32)
 */
export const exp2 = (x: Operand): Array => lax.exp2(float1(x))
/**
 * `jnp.expm1`: `exp(x) - 1`, accurate for x near 0 (integers promote to float32).
 *
 * @example
 * np.expm1(np.array([0, 1e-7])) // Array([0.e+00, 1.e-07], dtype=float32)
 */
export const expm1 = (x: Operand): Array => lax.expm1(float1(x))
/**
 * `jnp.log`: the natural logarithm of each element; NaN below 0 and -inf at 0, as in JAX (integers promote to float32).
 *
 * @example
 * np.log(np.array([1, Math.E])) // Array([0., 1.], dtype=float32)
 */
export const log = (x: Operand): Array => lax.log(float1(x))
/**
 * `jnp.log1p`: `log(1 + x)`, accurate for x near 0 (integers promote to float32).
 *
 * @example
 * np.log1p(np.array([0, 1e-7])) // Array([0.0000000e+00, 9.9999994e-08], dtype=float32)
 */
export const log1p = (x: Operand): Array => lax.log1p(float1(x))
/**
 * `log(x) / log(2)`, staged exactly as JAX does: `log a; log 2.0; div`.
 *
 * @example
 * np.log2(np.array([1, 8])) // Array([0., 3.], dtype=float32)
 */
export const log2 = (x: Operand): Array => {
  const a = float1(x)
  return lax.div(lax.log(a), lax.log(constant(2, a.dtype)))
}
/**
 * `log(x) / log(10)`, staged as `log a; log 10.0; div`.
 *
 * @example
 * np.log10(np.array([1, 1000])) // Array([0., 3.], dtype=float32)
 */
export const log10 = (x: Operand): Array => {
  const a = float1(x)
  return lax.div(lax.log(a), lax.log(constant(10, a.dtype)))
}
/**
 * `jnp.sqrt`: the non-negative square root of each element, NaN for negative reals (integers promote to float32).
 *
 * @example
 * np.sqrt(np.array([4, 9])) // Array([2., 3.], dtype=float32)
 */
export const sqrt = (x: Operand): Array => lax.sqrt(float1(x))
/**
 * `jnp.sin`: the sine of each element, in radians (integers promote to float32).
 *
 * @example
 * np.sin(np.array([0, Math.PI / 2])) // Array([0., 1.], dtype=float32)
 */
export const sin = (x: Operand): Array => lax.sin(float1(x))
/**
 * `jnp.cos`: the cosine of each element, in radians (integers promote to float32).
 *
 * @example
 * np.cos(np.array([0, Math.PI])) // Array([ 1., -1.], dtype=float32)
 */
export const cos = (x: Operand): Array => lax.cos(float1(x))
/**
 * `jnp.tan`: the tangent of each element, in radians (integers promote to float32).
 *
 * @example
 * np.tan(np.array([0, Math.PI / 4])) // Array([0., 1.], dtype=float32)
 */
export const tan = (x: Operand): Array => lax.tan(float1(x))
/**
 * `jnp.arcsin`: the inverse sine, in `[-pi/2, pi/2]`; NaN outside `[-1, 1]` (integers promote to float32).
 *
 * @example
 * np.arcsin(np.array([0, 1])) // Array([0.       , 1.5707964], dtype=float32)
 */
export const arcsin = (x: Operand): Array => lax.asin(float1(x))
/**
 * `jnp.arccos`: the inverse cosine, in `[0, pi]`; NaN outside `[-1, 1]` (integers promote to float32).
 *
 * @example
 * np.arccos(np.array([1, -1])) // Array([0.       , 3.1415927], dtype=float32)
 */
export const arccos = (x: Operand): Array => lax.acos(float1(x))
/**
 * `jnp.arctan`: the inverse tangent, in `(-pi/2, pi/2)` (integers promote to float32).
 *
 * @example
 * np.arctan(np.array([0, 1])) // Array([0.       , 0.7853981], dtype=float32)
 */
export const arctan = (x: Operand): Array => lax.atan(float1(x))
/**
 * The angle of the point (x2, x1): `arctan2(y, x)` with the quadrant from both signs.
 *
 * @example
 * np.arctan2(np.array([1, -1]), np.array([-1, -1])) // Array([ 2.3561945, -2.3561945], dtype=float32)
 */
export const arctan2 = (x1: Operand, x2: Operand): Array => {
  const [a, b] = float2(x1, x2)
  return lax.atan2(a, b)
}
/**
 * `jnp.sinh`: the hyperbolic sine of each element (integers promote to float32).
 *
 * @example
 * np.sinh(np.array([0, 1])) // Array([0.       , 1.1752012], dtype=float32)
 */
export const sinh = (x: Operand): Array => lax.sinh(float1(x))
/**
 * `jnp.cosh`: the hyperbolic cosine of each element (integers promote to float32).
 *
 * @example
 * np.cosh(np.array([0, 1])) // Array([1.       , 1.5430806], dtype=float32)
 */
export const cosh = (x: Operand): Array => lax.cosh(float1(x))
/**
 * `jnp.tanh` (also `jax.nn.tanh`): the hyperbolic tangent of each element, in `(-1, 1)` (integers promote to float32).
 *
 * @example
 * np.tanh(np.array([0, 1])) // Array([0.       , 0.7615942], dtype=float32)
 */
export const tanh = (x: Operand): Array => lax.tanh(float1(x))

// ---------------------------------------------------------------------------------------------
// Rounding (the identity on integers and bools)

/**
 * `jnp.floor`: the largest integer not above each element, in the input's float dtype; the identity on integers and bools, as in JAX.
 *
 * @example
 * np.floor(np.array([1.5, -1.5])) // Array([ 1., -2.], dtype=float32)
 */
export const floor = (x: Operand): Array => {
  const a = num1(x)
  return isIntOrBool(a.dtype) ? a : lax.floor(a)
}
/**
 * `jnp.ceil`: the smallest integer not below each element, in the input's float dtype; the identity on integers and bools, as in JAX.
 *
 * @example
 * np.ceil(np.array([1.5, -1.5])) // Array([ 2., -1.], dtype=float32)
 */
export const ceil = (x: Operand): Array => {
  const a = num1(x)
  return isIntOrBool(a.dtype) ? a : lax.ceil(a)
}

/**
 * Round to `decimals` decimal places, halves to even (NumPy/JAX): `round(x * 10^d) / 10^d`.
 * Integers are returned unchanged (negative `decimals` on integers is not supported, as in JAX).
 *
 * @example
 * np.round(np.array([0.5, 1.5, 2.5])) // Array([0., 2., 2.], dtype=float32)
 * np.round(np.array([1.25, 2.75]), 1) // Array([1.2, 2.8], dtype=float32)
 */
export const round = (x: Operand, decimals = 0): Array => {
  if (!Number.isInteger(decimals)) throw new ValueError(`np.round: decimals must be an integer, got ${decimals}.`)
  const a = num1(x)
  if (isIntOrBool(a.dtype)) {
    if (decimals < 0) throw new ValueError("np.round of an integer array with negative decimals is not supported; cast to float first.")
    return a
  }
  if (decimals === 0) return lax.round(a, "toNearestEven")
  const factor = constant(10 ** decimals, a.dtype)
  return lax.div(lax.round(lax.mul(a, factor), "toNearestEven"), factor)
}

// ---------------------------------------------------------------------------------------------
// Extremes, clipping, selection

/**
 * Elementwise maximum (NaN propagates).
 *
 * @example
 * np.maximum(np.array([1, 5]), np.array([3, 2])) // Array([3, 5], dtype=int32)
 */
export const maximum = (x: Operand, y: Operand): Array => {
  const [a, b] = num2(x, y)
  return lax.max(a, b)
}

/**
 * Elementwise minimum (NaN propagates).
 *
 * @example
 * np.minimum(np.array([1, 5]), 2) // Array([1, 2], dtype=int32)
 */
export const minimum = (x: Operand, y: Operand): Array => {
  const [a, b] = num2(x, y)
  return lax.min(a, b)
}

export interface ClipOptions {
  readonly min?: Operand | null | undefined
  readonly max?: Operand | null | undefined
}
const CLIP_KEYS = optionKeys<ClipOptions>()("min", "max")

/**
 * Limit values to `[min, max]`: `np.clip(x, min, max)` or `np.clip(x, { min, max })`; either
 * bound may be omitted (null/undefined). Computed as JAX does: `minimum(max, maximum(min, x))`.
 *
 * @example
 * np.clip(np.array([-2, 0.5, 3]), 0, 1) // Array([0., 0.5, 1.], dtype=float32)
 */
export const clip = (x: Operand, min?: Operand | ClipOptions | null, max?: Operand | null): Array => {
  let lo: Operand | null | undefined
  let hi: Operand | null | undefined
  if (min !== null && typeof min === "object" && !(min instanceof Array)) {
    checkOptions("np.clip", min, CLIP_KEYS)
    lo = min.min
    hi = min.max
  } else {
    lo = min
    hi = max
  }
  let out = num1(x)
  for (const v of [out, lo, hi]) {
    if (v instanceof Array && isComplex(v.dtype)) {
      throw new DTypeError(
        "np.clip received a complex value: complex values have no ordering and cannot be clipped (as in JAX); clip np.real(x) and np.imag(x) separately, or np.abs(x)."
      )
    }
  }
  if (lo !== undefined && lo !== null) out = maximum(lo, out)
  if (hi !== undefined && hi !== null) out = minimum(hi, out)
  return out
}

/**
 * `np.where(cond, x, y)`: x where cond is true, else y. `cond` is cast to bool (nonzero is true);
 * x and y are promoted to a common dtype; all three broadcast together.
 *
 * @example
 * np.where(np.array([true, false]), np.array([1, 2]), 0) // Array([1, 0], dtype=int32)
 */
export const where = (cond: Operand, x: Operand, y: Operand): Array => {
  const [a, b] = promoteDtypes([x, y])
  const c = toBool(num1(cond))
  const r = alignRanks([c, a!, b!])
  return lax.select(r[0]!, r[1]!, r[2]!)
}

// ---------------------------------------------------------------------------------------------
// Comparisons (bool results)

const comparison =
  (f: (a: Array, b: Array) => Array, ordering = false) =>
  (x: Operand, y: Operand): Array => {
    const [a, b] = num2(x, y)
    if (!ordering || !isComplex(a.dtype)) return f(a, b)
    // As jnp: complex numbers order lexicographically, by real part, then imaginary part.
    const [ra, rb] = [real(a), real(b)]
    return lax.select(lax.eq(ra, rb), f(imag(a), imag(b)), f(ra, rb))
  }
/**
 * `jnp.equal`: `x == y` elementwise, a bool array; operands are promoted to a common dtype and broadcast.
 *
 * @example
 * np.equal(np.array([1, 2]), 2) // Array([False,  True], dtype=bool)
 */
export const equal = comparison(lax.eq)
/**
 * `jnp.not_equal`: `x != y` elementwise, a bool array (NaN is unequal to everything); operands are promoted and broadcast.
 *
 * @example
 * np.notEqual(np.array([1, 2]), 2) // Array([ True, False], dtype=bool)
 */
export const notEqual = comparison(lax.ne)
/**
 * `jnp.less`: `x < y` elementwise, a bool array; operands are promoted and broadcast (complex values order by real part, then imaginary part, as jnp).
 *
 * @example
 * np.less(np.array([1, 2, 3]), 2) // Array([ True, False, False], dtype=bool)
 */
export const less = comparison(lax.lt, true)
/**
 * `jnp.less_equal`: `x <= y` elementwise, a bool array; operands are promoted and broadcast (complex values order by real part, then imaginary part, as jnp).
 *
 * @example
 * np.lessEqual(np.array([1, 2, 3]), 2) // Array([ True,  True, False], dtype=bool)
 */
export const lessEqual = comparison(lax.le, true)
/**
 * `jnp.greater`: `x > y` elementwise, a bool array; operands are promoted and broadcast (complex values order by real part, then imaginary part, as jnp).
 *
 * @example
 * np.greater(np.array([1, 2, 3]), 2) // Array([False, False,  True], dtype=bool)
 */
export const greater = comparison(lax.gt, true)
/**
 * `jnp.greater_equal`: `x >= y` elementwise, a bool array; operands are promoted and broadcast (complex values order by real part, then imaginary part, as jnp).
 *
 * @example
 * np.greaterEqual(np.array([1, 2, 3]), 2) // Array([False,  True,  True], dtype=bool)
 */
export const greaterEqual = comparison(lax.ge, true)

// ---------------------------------------------------------------------------------------------
// Logic (operands are cast to bool: nonzero is true)

const logical =
  (f: (a: Array, b: Array) => Array) =>
  (x: Operand, y: Operand): Array => {
    const [a, b] = num2(x, y)
    return f(toBool(a), toBool(b))
  }
/**
 * `jnp.logical_and`: true where both operands are nonzero, a bool array; operands broadcast.
 *
 * @example
 * np.logicalAnd(np.array([true, true, false]), np.array([true, false, false])) // Array([ True, False, False], dtype=bool)
 */
export const logicalAnd = logical(lax.and)
/**
 * `jnp.logical_or`: true where either operand is nonzero, a bool array; operands broadcast.
 *
 * @example
 * np.logicalOr(np.array([0, 1, 0]), np.array([0, 0, 2])) // Array([False,  True,  True], dtype=bool)
 */
export const logicalOr = logical(lax.or)
/**
 * `jnp.logical_xor`: true where exactly one operand is nonzero, a bool array; operands broadcast.
 *
 * @example
 * np.logicalXor(np.array([true, true]), np.array([true, false])) // Array([False,  True], dtype=bool)
 */
export const logicalXor = logical(lax.xor)
/**
 * `jnp.logical_not`: true where the element is zero (or false), a bool array.
 *
 * @example
 * np.logicalNot(np.array([0, 3])) // Array([ True, False], dtype=bool)
 */
export const logicalNot = (x: Operand): Array => lax.not(toBool(num1(x)))

// ---------------------------------------------------------------------------------------------
// Floating-point classification (constant on integers)

/**
 * `jnp.isnan`: true where the element is NaN; all false for integer and bool arrays.
 *
 * @example
 * np.isnan(np.array([1, NaN])) // Array([False,  True], dtype=bool)
 */
export const isnan = (x: Operand): Array => {
  const a = num1(x)
  return isFloat(a.dtype) ? lax.ne(a, a) : boolLike(a, false)
}
/**
 * `jnp.isfinite`: true where the element is neither infinite nor NaN; all true for integer and bool arrays.
 *
 * @example
 * np.isfinite(np.array([1, Infinity, NaN])) // Array([ True, False, False], dtype=bool)
 */
export const isfinite = (x: Operand): Array => {
  const a = num1(x)
  return isFloat(a.dtype) ? lax.isFinite(a) : boolLike(a, true)
}
/**
 * `jnp.isinf`: true where the element is +inf or -inf; all false for integer and bool arrays.
 *
 * @example
 * np.isinf(np.array([1, -Infinity, NaN])) // Array([False,  True, False], dtype=bool)
 */
export const isinf = (x: Operand): Array => {
  const a = num1(x)
  return isFloat(a.dtype) ? lax.eq(lax.abs(a), constLike(a, Infinity)) : boolLike(a, false)
}
