/**
 * Elementwise primitives: unary math, binary arithmetic, comparisons, logic, select, casts.
 * Binary primitives take operands of equal rank whose dimensions are equal or 1, or a rank-0
 * operand with any shape (NumPy broadcasting without rank promotion; `np` inserts leading 1s). Each primitive's jvp and
 * transpose rules sit right under its definition.
 */
import { type Array, ShapedArray } from "../array.js"
import { checkDType, complexPartDType, type DType, isComplex, isFloat, shortName } from "../dtype.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { definePrimitive, type Primitive, UndefPrimal, Zero } from "../primitive.js"
import { checkFlag, describe, shapeEqual, showShape } from "../shape.js"
import { bind1 } from "../trace.js"
import { defBroadcasting, unbroadcast } from "./broadcasting.js"
import { constLike, instantiate, range, zeroOf } from "./common.js"
import { broadcastInDim } from "./layout.js"
import { defBilinear, defJvp, defLinear, defVectorized, defZeroJvp, setTangentAdd } from "./rules.js"

export { unbroadcast } from "./broadcasting.js"

/**
 * The dtypes an elementwise primitive takes: "float" real floats, "inexact" real or complex floats
 * (JAX's `_float | _complex`), "number" anything but bool (complex included), "real" numbers
 * without complex (ordering, rem), "realOrBool" everything but complex (comparisons).
 */
type Kind = "float" | "inexact" | "number" | "real" | "int" | "intOrBool" | "realOrBool" | "any"

const accepts = (kind: Kind, d: DType): boolean => {
  switch (kind) {
    case "float":
      return isFloat(d)
    case "inexact":
      return isFloat(d) || isComplex(d)
    case "number":
      return d !== "bool"
    case "real":
      return d !== "bool" && !isComplex(d)
    case "int":
      return d === "int32" || d === "uint32"
    case "intOrBool":
      return !isFloat(d) && !isComplex(d)
    case "realOrBool":
      return !isComplex(d)
    case "any":
      return true
  }
}

const kindText: Readonly<Record<Kind, string>> = {
  float: "real float",
  inexact: "float or complex",
  number: "numeric",
  real: "real (not complex)",
  int: "int32 or uint32",
  intOrBool: "integer or bool",
  realOrBool: "non-complex",
  any: "any"
}

const checkKind = (name: string, kind: Kind, d: DType): void => {
  if (!accepts(kind, d)) {
    throw new DTypeError(
      isComplex(d)
        ? `${name} does not accept ${d} operands: it has no meaning for complex numbers (as in JAX); apply it to ` +
            "np.real(x), np.imag(x) or np.abs(x) instead."
        : `${name} does not accept ${d} operands (it takes ${kindText[kind]} dtypes); ` +
            `convert first with x.astype(...), or use the np function, which promotes integers to float.`
    )
  }
}

// ---------------------------------------------------------------------------------------------
// Unary

const unaryShape = (name: string, kind: Kind, outDtype?: DType) => (avals: ReadonlyArray<ShapedArray>) => {
  const x = avals[0]!
  checkKind(name, kind, x.dtype)
  return [outDtype === undefined ? x : new ShapedArray(x.shape, outDtype, false)]
}

export type NoParams = Readonly<Record<string, never>>
const none: NoParams = {}

/** An elementwise primitive of one operand, with its batching rule (`defVectorized`); its binder is written beside it (with its TSDoc). */
const unary = (name: string, kind: Kind, outDtype?: DType): Primitive<NoParams> => {
  const p = definePrimitive<NoParams>(name, unaryShape(name, kind, outDtype))
  p.paramFree = true
  defVectorized(p)
  return p
}

/** jvp of f where f'(x) is given in terms of x and the output: t -> t * f'(x) (JAX's `standard_unop` rules). */
const defJvpUnary = (p: Primitive<NoParams>, deriv: (x: Array, out: Array) => Array): void => defJvp(p, (t, [x], out) => mul(t, deriv(x!, out)))

export const negP = unary("neg", "number")
/**
 * `lax.neg`: `-x` elementwise, in x's dtype (no promotion, unlike `np.negative`).
 *
 * @example
 * lax.neg(np.array([1, -2])) // Array([-1,  2], dtype=int32)
 */
export const neg = (x: Array): Array => bind1(negP, [x], none)
defLinear(negP, (ct) => [neg(ct)])

export const signP = unary("sign", "number")
/**
 * `lax.sign`: -1, 0 or 1 by the sign of each element, in x's dtype.
 *
 * @example
 * lax.sign(np.array([-3.5, 0, 2])) // Array([-1.,  0.,  1.], dtype=float32)
 */
export const sign = (x: Array): Array => bind1(signP, [x], none)
defZeroJvp(signP)
export const floorP = unary("floor", "float")
/**
 * `lax.floor`: round each element of a float array down to an integer value (its derivative is zero).
 *
 * @example
 * lax.floor(np.array([1.5, -1.5])) // Array([ 1., -2.], dtype=float32)
 */
export const floor = (x: Array): Array => bind1(floorP, [x], none)
defZeroJvp(floorP)
export const ceilP = unary("ceil", "float")
/**
 * `lax.ceil`: round each element of a float array up to an integer value (its derivative is zero).
 *
 * @example
 * lax.ceil(np.array([1.5, -1.5])) // Array([ 2., -1.], dtype=float32)
 */
export const ceil = (x: Array): Array => bind1(ceilP, [x], none)
defZeroJvp(ceilP)
/** How `round` breaks ties (JAX's `lax.RoundingMethod`): halves away from zero (0, the default) or to even (1). */
export const RoundingMethod = { awayFromZero: 0, toNearestEven: 1 } as const
export type RoundingMethod = (typeof RoundingMethod)[keyof typeof RoundingMethod]
/** A rounding method by value or by name. */
export type RoundingMethodLike = RoundingMethod | keyof typeof RoundingMethod
export interface RoundParams {
  readonly roundingMethod: RoundingMethod
  readonly [k: string]: unknown
}
const roundingMethodOf = (m: unknown): RoundingMethod => {
  if (m === 0 || m === 1) return m
  if (m === "awayFromZero" || m === "toNearestEven") return RoundingMethod[m]
  throw new ValueError(`round: roundingMethod must be 0 or "awayFromZero" (halves away from zero), or 1 or "toNearestEven", got ${describe(m)}.`)
}
export const roundP = definePrimitive<RoundParams>("round", ([x], { roundingMethod }) => {
  checkKind("round", "float", x!.dtype)
  // The param is the number only (JAX's enum value), so equal programs have equal params.
  if (roundingMethod !== 0 && roundingMethod !== 1) {
    throw new ValueError(
      `round: the roundingMethod param must be 0 (halves away from zero) or 1 (halves to even), got ${describe(roundingMethod)}; lax.round also takes "awayFromZero" and "toNearestEven".`
    )
  }
  return [x!]
})
roundP.printParams = (p) => [["rounding_method", String(p.roundingMethod)]]
defZeroJvp(roundP)
defVectorized(roundP)
/**
 * `lax.round`: round to the nearest integer, halves away from zero by default as in JAX
 * (`np.round` rounds halves to even).
 *
 * @example
 * lax.round(np.array([0.5, 1.5, -2.5])) // [1, 2, -3]
 * lax.round(np.array([0.5, 1.5, -2.5]), "toNearestEven") // [0, 2, -2]
 */
export const round = (x: Array, roundingMethod: RoundingMethodLike = RoundingMethod.awayFromZero): Array =>
  bind1(roundP, [x], { roundingMethod: roundingMethodOf(roundingMethod) })
export const isFiniteP = unary("is_finite", "float", "bool")
/**
 * `lax.is_finite`: true where an element of a float array is neither infinite nor NaN.
 *
 * @example
 * lax.isFinite(np.array([1, Infinity, NaN])) // Array([ True, False, False], dtype=bool)
 */
export const isFinite = (x: Array): Array => bind1(isFiniteP, [x], none)
defZeroJvp(isFiniteP)
export const notP = unary("not", "intOrBool")
/**
 * `lax.bitwise_not`: logical not of a bool array, bitwise not of an integer array.
 *
 * @example
 * lax.not(np.array([true, false])) // Array([False,  True], dtype=bool)
 * lax.not(np.array([0, 5])) // Array([-1, -6], dtype=int32)
 */
export const not = (x: Array): Array => bind1(notP, [x], none)
defZeroJvp(notP)

export const expP = unary("exp", "inexact")
/**
 * `lax.exp`: e raised to each element of a float or complex array.
 *
 * @example
 * lax.exp(np.array([0, 1], { dtype: "float32" })) // Array([1.       , 2.7182817], dtype=float32)
 */
export const exp = (x: Array): Array => bind1(expP, [x], none)
defJvpUnary(expP, (_x, out) => out)
export const exp2P = unary("exp2", "float")
/**
 * `lax.exp2`: 2 raised to each element of a float array.
 *
 * @example
 * lax.exp2(np.array([0, 3], { dtype: "float32" })) // Array([1., 8.], dtype=float32)
 */
export const exp2 = (x: Array): Array => bind1(exp2P, [x], none)
defJvpUnary(exp2P, (x, out) => mul(out, constLike(x, Math.LN2)))
export const logP = unary("log", "inexact")
/**
 * `lax.log`: the natural logarithm of each element of a float or complex array.
 *
 * @example
 * lax.log(np.array([1, 100], { dtype: "float32" })) // Array([0.       , 4.6051702], dtype=float32)
 */
export const log = (x: Array): Array => bind1(logP, [x], none)
defJvpUnary(logP, (x) => reciprocal(x))
export const log1pP = unary("log1p", "inexact")
/**
 * `lax.log1p`: `log(1 + x)` of a float or complex array, accurate near 0.
 *
 * @example
 * lax.log1p(np.array([0, 1], { dtype: "float32" })) // Array([0.       , 0.6931472], dtype=float32)
 */
export const log1p = (x: Array): Array => bind1(log1pP, [x], none)
defJvpUnary(log1pP, (x) => reciprocal(add(x, constLike(x, 1))))
export const expm1P = unary("expm1", "inexact")
/**
 * `lax.expm1`: `exp(x) - 1` of a float or complex array, accurate near 0.
 *
 * @example
 * lax.expm1(np.array([0, 1], { dtype: "float32" })) // Array([0.       , 1.7182817], dtype=float32)
 */
export const expm1 = (x: Array): Array => bind1(expm1P, [x], none)
defJvpUnary(expm1P, (x, out) => add(out, constLike(x, 1)))
export const tanhP = unary("tanh", "inexact")
/**
 * `lax.tanh`: the hyperbolic tangent of each element of a float or complex array.
 *
 * @example
 * lax.tanh(np.array([0, 1], { dtype: "float32" })) // Array([0.       , 0.7615942], dtype=float32)
 */
export const tanh = (x: Array): Array => bind1(tanhP, [x], none)
defJvpUnary(tanhP, (x, out) => sub(constLike(x, 1), mul(out, out)))
export const logisticP = unary("logistic", "float")
/**
 * `lax.logistic`: the sigmoid `1 / (1 + exp(-x))` of each element of a float array (`jax.nn.sigmoid` binds it).
 *
 * @example
 * lax.logistic(np.array([0, 2], { dtype: "float32" })) // Array([0.5     , 0.880797], dtype=float32)
 */
export const logistic = (x: Array): Array => bind1(logisticP, [x], none)
defJvpUnary(logisticP, (x, out) => mul(out, sub(constLike(x, 1), out)))
export const sinP = unary("sin", "inexact")
/**
 * `lax.sin`: the sine of each element (radians) of a float or complex array.
 *
 * @example
 * lax.sin(np.array([0, Math.PI / 2])) // Array([0., 1.], dtype=float32)
 */
export const sin = (x: Array): Array => bind1(sinP, [x], none)
defJvpUnary(sinP, (x) => cos(x))
export const cosP = unary("cos", "inexact")
/**
 * `lax.cos`: the cosine of each element (radians) of a float or complex array.
 *
 * @example
 * lax.cos(np.array([0, Math.PI])) // Array([ 1., -1.], dtype=float32)
 */
export const cos = (x: Array): Array => bind1(cosP, [x], none)
defJvpUnary(cosP, (x) => neg(sin(x)))
export const tanP = unary("tan", "inexact")
/**
 * `lax.tan`: the tangent of each element (radians) of a float or complex array.
 *
 * @example
 * lax.tan(np.array([0, Math.PI / 4])) // Array([0., 1.], dtype=float32)
 */
export const tan = (x: Array): Array => bind1(tanP, [x], none)
defJvpUnary(tanP, (x, out) => add(constLike(x, 1), mul(out, out)))
export const asinP = unary("asin", "float")
/**
 * `lax.asin`: the inverse sine of each element of a float array, in `[-pi/2, pi/2]`.
 *
 * @example
 * lax.asin(np.array([0, 1], { dtype: "float32" })) // Array([0.       , 1.5707964], dtype=float32)
 */
export const asin = (x: Array): Array => bind1(asinP, [x], none)
defJvpUnary(asinP, (x) => rsqrt(sub(constLike(x, 1), mul(x, x))))
export const acosP = unary("acos", "float")
/**
 * `lax.acos`: the inverse cosine of each element of a float array, in `[0, pi]`.
 *
 * @example
 * lax.acos(np.array([1, -1], { dtype: "float32" })) // Array([0.       , 3.1415927], dtype=float32)
 */
export const acos = (x: Array): Array => bind1(acosP, [x], none)
defJvpUnary(acosP, (x) => neg(rsqrt(sub(constLike(x, 1), mul(x, x)))))
export const atanP = unary("atan", "float")
/**
 * `lax.atan`: the inverse tangent of each element of a float array.
 *
 * @example
 * lax.atan(np.array([0, 1], { dtype: "float32" })) // Array([0.       , 0.7853981], dtype=float32)
 */
export const atan = (x: Array): Array => bind1(atanP, [x], none)
defJvpUnary(atanP, (x) => reciprocal(add(constLike(x, 1), mul(x, x))))
export const sinhP = unary("sinh", "inexact")
/**
 * `lax.sinh`: the hyperbolic sine of each element of a float or complex array.
 *
 * @example
 * lax.sinh(np.array([0, 1], { dtype: "float32" })) // Array([0.       , 1.1752012], dtype=float32)
 */
export const sinh = (x: Array): Array => bind1(sinhP, [x], none)
defJvpUnary(sinhP, (x) => cosh(x))
export const coshP = unary("cosh", "inexact")
/**
 * `lax.cosh`: the hyperbolic cosine of each element of a float or complex array.
 *
 * @example
 * lax.cosh(np.array([0, 1], { dtype: "float32" })) // Array([1.       , 1.5430806], dtype=float32)
 */
export const cosh = (x: Array): Array => bind1(coshP, [x], none)
defJvpUnary(coshP, (x) => sinh(x))
export const sqrtP = unary("sqrt", "inexact")
/**
 * `lax.sqrt`: the square root of each element of a float or complex array.
 *
 * @example
 * lax.sqrt(np.array([4, 9], { dtype: "float32" })) // Array([2., 3.], dtype=float32)
 */
export const sqrt = (x: Array): Array => bind1(sqrtP, [x], none)
defJvpUnary(sqrtP, (x, out) => div(constLike(x, 0.5), out))
export const rsqrtP = unary("rsqrt", "inexact")
/**
 * `lax.rsqrt`: `1 / sqrt(x)` of each element of a float or complex array.
 *
 * @example
 * lax.rsqrt(np.array([4, 16], { dtype: "float32" })) // Array([0.5 , 0.25], dtype=float32)
 */
export const rsqrt = (x: Array): Array => bind1(rsqrtP, [x], none)
defJvpUnary(rsqrtP, (x, out) => mul(constLike(x, -0.5), div(out, x)))
export const erfP = unary("erf", "float")
/**
 * `lax.erf`: the error function of each element of a float array.
 *
 * @example
 * lax.erf(np.array([0, 1], { dtype: "float32" })) // Array([0.        , 0.84270084], dtype=float32)
 */
export const erf = (x: Array): Array => bind1(erfP, [x], none)
defJvpUnary(erfP, (x) => mul(constLike(x, 2 / Math.sqrt(Math.PI)), exp(neg(mul(x, x)))))
/** abs: of a complex operand, its magnitude, a real array of the parts' dtype (complex64 -> float32). */
export const absP = definePrimitive<NoParams>("abs", ([x]) => {
  checkKind("abs", "number", x!.dtype)
  return [isComplex(x!.dtype) ? new ShapedArray(x!.shape, complexPartDType(x!.dtype), x!.weakType) : x!]
})
absP.paramFree = true
defVectorized(absP)
/**
 * `lax.abs`: `|x|` elementwise; of a complex array, its magnitude as a real array (complex64 gives float32), as in JAX. Its derivative at 0 is 1.
 *
 * @example
 * lax.abs(np.array([-1.5, 2])) // Array([1.5, 2. ], dtype=float32)
 */
export const abs = (x: Array): Array => bind1(absP, [x], none)
// JAX's rule: the derivative at 0 (and -0) is 1, not sign(0) = 0, so grad(abs)(0) = 1. For complex
// x it is real(t * conj(x) / |x|) (|x| replaced by 1 where it is 0), as JAX's _abs_jvp_rule.
defJvp(absP, (t, [x], out) => {
  if (!isComplex(x!.dtype)) return select(ge(x!, constLike(x!, 0)), t, neg(t))
  const zero = eq(out, constLike(out, 0))
  const safe = convertElementType(select(zero, constLike(out, 1), out), x!.dtype)
  return complexHooks.real(mul(t, div(complexHooks.conj(x!), safe)))
})

/**
 * real and conj, registered by core/primitives/complex.ts (which imports this module): abs's jvp
 * needs them.
 */
export const complexHooks: { real: (x: Array) => Array; conj: (x: Array) => Array } = {
  real: () => {
    throw new Error("jaxfx internal: complex primitives not registered")
  },
  conj: () => {
    throw new Error("jaxfx internal: complex primitives not registered")
  }
}

const reciprocal = (x: Array): Array => div(constLike(x, 1), x)

/** `x ** y` for a static integer y (JAX's integer_pow). */
export interface IntegerPowParams {
  readonly y: number
  readonly [k: string]: unknown
}
export const integerPowP = definePrimitive<IntegerPowParams>("integer_pow", ([x], { y }) => {
  checkKind("integer_pow", "number", x!.dtype)
  if (typeof y !== "number" || !Number.isSafeInteger(y)) throw new DTypeError(`integer_pow needs a (safe) integer exponent, got ${describe(y)}; use pow.`)
  if (y < 0 && !isFloat(x!.dtype) && !isComplex(x!.dtype)) {
    throw new ValueError(`integer_pow: a negative exponent (${y}) of an integer (${x!.dtype}) array is not an integer; cast to float first.`)
  }
  return [x!]
})
/**
 * `lax.integer_pow`: `x ** y` for a static integer exponent y, by repeated multiplication in x's dtype (negative y only for float and complex x).
 *
 * @example
 * lax.integerPow(np.array([2, 3]), 3) // Array([ 8, 27], dtype=int32)
 */
export const integerPow = (x: Array, y: number): Array => bind1(integerPowP, [x], { y })
defJvp(integerPowP, (t, [x], _out, { y }) => mul(t, y === 0 ? constLike(x!, 0) : y === 1 ? constLike(x!, 1) : mul(constLike(x!, y), integerPow(x!, y - 1))))
defVectorized(integerPowP)

// ---------------------------------------------------------------------------------------------
// Binary

const binaryShape = (name: string, kind: Kind, outDtype?: DType) => (avals: ReadonlyArray<ShapedArray>) => {
  const x = avals[0]!
  const y = avals[1]!
  if (x.dtype !== y.dtype) {
    throw new DTypeError(
      `${name} needs operands of one dtype, got ${shortName[x.dtype]}${showShape(x.shape)} and ` +
        `${shortName[y.dtype]}${showShape(y.shape)}; the np functions promote for you, or cast with astype.`
    )
  }
  checkKind(name, kind, x.dtype)
  const shape = broadcastEqualRank(name, x.shape, y.shape)
  const dtype = outDtype ?? x.dtype
  const weak = outDtype === undefined && x.weakType && y.weakType
  // An input's own aval when it describes the result: eager chains then reuse its cache key.
  for (const a of avals) if (a.dtype === dtype && a.weakType === weak && sameShape(a.shape, shape)) return [a]
  return [new ShapedArray(shape, dtype, weak)]
}

const sameShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Broadcast two shapes of equal rank (each dim equal or 1), or a rank-0 shape with any shape. */
export const broadcastEqualRank = (name: string, a: ReadonlyArray<number>, b: ReadonlyArray<number>): number[] => {
  // Rank-0 operands broadcast against anything (scalar literals, as in JAX's jaxprs).
  if (a.length === 0) return [...b]
  if (b.length === 0) return [...a]
  if (a.length !== b.length) {
    throw new ShapeError(`${name} needs operands of equal rank, got shapes ${showShape(a)} and ${showShape(b)}; reshape one first.`)
  }
  const out: number[] = []
  for (let i = 0; i < a.length; i++) {
    const p = a[i]!
    const q = b[i]!
    if (p !== q && p !== 1 && q !== 1) {
      throw new ShapeError(`${name}: shapes ${showShape(a)} and ${showShape(b)} cannot be broadcast together (dimension ${i}: ${p} vs ${q}).`)
    }
    out.push(p === 1 ? q : p)
  }
  return out
}

/** An elementwise primitive of two broadcasting operands, with its batching rule (`defBroadcasting`); its binder is written beside it (with its TSDoc). */
const binary = (name: string, kind: Kind, outDtype?: DType): Primitive<NoParams> => {
  const p = definePrimitive<NoParams>(name, binaryShape(name, kind, outDtype))
  p.paramFree = true
  defBroadcasting(p)
  return p
}

/** `t` broadcast to the output's shape (the tangent of an operand that was broadcast). */
const broadcastLike = (t: Array, out: Array): Array => (shapeEqual(t.shape, out.shape) ? t : broadcastInDim(t, out.shape, t.ndim === 0 ? [] : range(t.ndim)))

const unbroadcastZero = (ct: Array | Zero, x: Array | UndefPrimal): Array | Zero => (ct instanceof Zero ? new Zero(x.aval) : unbroadcast(ct, x.aval))

export const addP = binary("add", "number")
/**
 * `lax.add`: `x + y` elementwise. The operands must share a dtype and rank (dims equal or 1) or be rank 0; `np.add` promotes and broadcasts for you.
 *
 * @example
 * lax.add(np.array([1, 2]), np.array([10, 20])) // Array([11, 22], dtype=int32)
 */
export const add = (x: Array, y: Array): Array => bind1(addP, [x, y], none)
setTangentAdd(add)
/**
 * The jvp of add and sub (JAX's `_add_jvp` / `_sub_jvp`): the primitive itself on two tangents,
 * one tangent alone (negated for sub's right operand, broadcast to the output) when the other is zero.
 */
const defAddJvp = (p: Primitive<NoParams>, alone: (ty: Array) => Array): void => {
  p.jvpSymbolic = ([x, y], [tx, ty]) => {
    const out = bind1(p, [x!, y!], none)
    if (tx instanceof Zero) return [[out], [ty instanceof Zero ? zeroOf(out) : broadcastLike(alone(ty!), out)]]
    return [[out], [ty instanceof Zero ? broadcastLike(tx!, out) : bind1(p, [tx!, ty!], none)]]
  }
}
defAddJvp(addP, (ty) => ty)
addP.transpose = ([ct], [x, y]) => [unbroadcastZero(ct!, x!), unbroadcastZero(ct!, y!)]

export const subP = binary("sub", "number")
/**
 * `lax.sub`: `x - y` elementwise, for operands of one dtype and rank (or rank 0).
 *
 * @example
 * lax.sub(np.array([5, 7]), np.array([1, 2])) // Array([4, 5], dtype=int32)
 */
export const sub = (x: Array, y: Array): Array => bind1(subP, [x, y], none)
defAddJvp(subP, (ty) => neg(ty))
subP.transpose = ([ct], [x, y]) => [unbroadcastZero(ct!, x!), ct instanceof Zero ? new Zero(y!.aval) : unbroadcast(neg(ct!), y!.aval)]

export const mulP = binary("mul", "number")
/**
 * `lax.mul`: `x * y` elementwise, for operands of one dtype and rank (or rank 0).
 *
 * @example
 * lax.mul(np.array([2, 3]), np.array([4, 5])) // Array([ 8, 15], dtype=int32)
 */
export const mul = (x: Array, y: Array): Array => bind1(mulP, [x, y], none)
defBilinear(
  mulP,
  (ct, x, y) => unbroadcast(mul(ct, y), x.aval),
  (ct, x, y) => unbroadcast(mul(x, ct), y.aval)
)

export const divP = binary("div", "number")
/**
 * `lax.div`: `x / y` elementwise; on integers it truncates toward zero (C division), unlike `np.floorDivide`.
 *
 * @example
 * lax.div(np.array([7, -7]), np.array([2, 2])) // Array([ 3, -3], dtype=int32)
 */
export const div = (x: Array, y: Array): Array => bind1(divP, [x, y], none)
defJvp(
  divP,
  (t, [, y]) => div(t, y!),
  (t, [, y], out) => mul(t, neg(div(out, y!)))
)
divP.transpose = ([ct], [x, y]) => {
  // Internal invariants (plain Errors): linearity analysis never marks these inputs as linear.
  if (y instanceof UndefPrimal) throw new Error("div is linear only in its numerator")
  if (ct instanceof Zero) return [new Zero(x!.aval), null]
  return [unbroadcast(div(ct!, y!), x!.aval), null]
}

/** Remainder with the sign of the dividend (C fmod, like lax.rem). */
export const remP = binary("rem", "real")
/**
 * `lax.rem`: the remainder of `x / y` with the sign of the dividend (C `fmod`), unlike `np.mod`.
 *
 * @example
 * lax.rem(np.array([7, -7]), np.array([3, 3])) // Array([ 1, -1], dtype=int32)
 */
export const rem = (x: Array, y: Array): Array => bind1(remP, [x, y], none)
// d/dx = 1, d/dy = -trunc(x / y)
defJvp(
  remP,
  (t, _xs, out) => broadcastLike(t, out),
  (t, [x, y], out) => mul(t, neg(div(sub(x!, out), y!)))
)

export const powP = binary("pow", "number")
/**
 * `lax.pow`: `x ** y` elementwise for float or complex operands of one dtype (`np.power` handles integers and promotion).
 *
 * @example
 * lax.pow(np.array([2, 9], { dtype: "float32" }), np.array([3, 0.5], { dtype: "float32" })) // Array([8., 3.], dtype=float32)
 */
export const pow = (x: Array, y: Array): Array => bind1(powP, [x, y], none)
// d/dx = y x^(y-1) ; d/dy = out log x (0 where x == 0, as JAX does)
defJvp(
  powP,
  (t, [x, y]) => mul(t, mul(y!, pow(x!, sub(y!, constLike(y!, 1))))),
  (t, [x], out) => {
    const zero = constLike(x!, 0)
    const safeLog = select(eq(x!, zero), log(select(eq(x!, zero), add(x!, constLike(x!, 1)), x!)), log(x!))
    return mul(t, select(eq(x!, zero), mul(out, constLike(out, 0)), mul(out, safeLog)))
  }
)

/**
 * The share of operand `x` of max/min in the derivative (JAX's `_balanced_eq`): 1 where it is the
 * result, 0 where it is not, and 1/2 where both operands are (JAX shares ties equally). Written
 * with `eq` only, so it holds for complex operands, which max/min order lexicographically.
 */
const pickWeight = (x: Array, y: Array, out: Array): Array => select(eq(x, out), select(eq(y, out), constLike(x, 0.5), constLike(x, 1)), constLike(x, 0))

// max/min take complex operands, as JAX's: (real, imaginary) pairs compared lexicographically.
export const maxP = binary("max", "any")
/**
 * `lax.max`: the elementwise maximum of two operands of one dtype (complex operands compare lexicographically, by real then imaginary part); NaN propagates, and ties share the derivative equally as in JAX.
 *
 * @example
 * lax.max(np.array([1, 5]), np.array([3, 2])) // Array([3, 5], dtype=int32)
 */
export const max = (x: Array, y: Array): Array => bind1(maxP, [x, y], none)
defJvp(
  maxP,
  (t, [x, y], out) => mul(t, pickWeight(x!, y!, out)),
  (t, [x, y], out) => mul(t, pickWeight(y!, x!, out))
)
export const minP = binary("min", "any")
/**
 * `lax.min`: the elementwise minimum of two operands of one dtype (complex operands compare lexicographically, by real then imaginary part); NaN propagates, and ties share the derivative equally as in JAX.
 *
 * @example
 * lax.min(np.array([1, 5]), np.array([3, 2])) // Array([1, 2], dtype=int32)
 */
export const min = (x: Array, y: Array): Array => bind1(minP, [x, y], none)
defJvp(
  minP,
  (t, [x, y], out) => mul(t, pickWeight(x!, y!, out)),
  (t, [x, y], out) => mul(t, pickWeight(y!, x!, out))
)

export const atan2P = binary("atan2", "float")
/**
 * `lax.atan2`: the angle of the point (y, x) = (second, first) as `atan(x / y)` with the quadrant from both signs, for float operands.
 *
 * @example
 * lax.atan2(np.array([1, -1], { dtype: "float32" }), np.array([-1, -1], { dtype: "float32" })) // Array([ 2.3561945, -2.3561945], dtype=float32)
 */
export const atan2 = (x: Array, y: Array): Array => bind1(atan2P, [x, y], none)
// d atan2(x, y) = (y dx - x dy) / (x^2 + y^2)
const atan2Denom = (x: Array, y: Array): Array => add(mul(x, x), mul(y, y))
defJvp(
  atan2P,
  (t, [x, y]) => div(mul(t, y!), atan2Denom(x!, y!)),
  (t, [x, y]) => div(mul(t, neg(x!)), atan2Denom(x!, y!))
)

export const eqP = binary("eq", "any", "bool")
/**
 * `lax.eq`: `x == y` elementwise as a bool array, for operands of one dtype.
 *
 * @example
 * lax.eq(np.array([1, 2]), np.array([1, 3])) // Array([ True, False], dtype=bool)
 */
export const eq = (x: Array, y: Array): Array => bind1(eqP, [x, y], none)
export const neP = binary("ne", "any", "bool")
/**
 * `lax.ne`: `x != y` elementwise as a bool array, for operands of one dtype.
 *
 * @example
 * lax.ne(np.array([1, 2]), np.array([1, 3])) // Array([False,  True], dtype=bool)
 */
export const ne = (x: Array, y: Array): Array => bind1(neP, [x, y], none)
export const ltP = binary("lt", "realOrBool", "bool")
/**
 * `lax.lt`: `x < y` elementwise as a bool array, for real or bool operands of one dtype.
 *
 * @example
 * lax.lt(np.array([1, 3]), np.array([2, 2])) // Array([ True, False], dtype=bool)
 */
export const lt = (x: Array, y: Array): Array => bind1(ltP, [x, y], none)
export const leP = binary("le", "realOrBool", "bool")
/**
 * `lax.le`: `x <= y` elementwise as a bool array, for real or bool operands of one dtype.
 *
 * @example
 * lax.le(np.array([1, 2]), np.array([2, 2])) // Array([ True,  True], dtype=bool)
 */
export const le = (x: Array, y: Array): Array => bind1(leP, [x, y], none)
export const gtP = binary("gt", "realOrBool", "bool")
/**
 * `lax.gt`: `x > y` elementwise as a bool array, for real or bool operands of one dtype.
 *
 * @example
 * lax.gt(np.array([1, 3]), np.array([2, 2])) // Array([False,  True], dtype=bool)
 */
export const gt = (x: Array, y: Array): Array => bind1(gtP, [x, y], none)
export const geP = binary("ge", "realOrBool", "bool")
/**
 * `lax.ge`: `x >= y` elementwise as a bool array, for real or bool operands of one dtype.
 *
 * @example
 * lax.ge(np.array([1, 2]), np.array([2, 2])) // Array([False,  True], dtype=bool)
 */
export const ge = (x: Array, y: Array): Array => bind1(geP, [x, y], none)
export const andP = binary("and", "intOrBool")
/**
 * `lax.bitwise_and`: logical and of bool arrays, bitwise and of integer arrays.
 *
 * @example
 * lax.and(np.array([true, true]), np.array([true, false])) // Array([ True, False], dtype=bool)
 * lax.and(np.array([6]), np.array([3])) // Array([2], dtype=int32)
 */
export const and = (x: Array, y: Array): Array => bind1(andP, [x, y], none)
export const orP = binary("or", "intOrBool")
/**
 * `lax.bitwise_or`: logical or of bool arrays, bitwise or of integer arrays.
 *
 * @example
 * lax.or(np.array([6]), np.array([3])) // Array([7], dtype=int32)
 */
export const or = (x: Array, y: Array): Array => bind1(orP, [x, y], none)
export const xorP = binary("xor", "intOrBool")
/**
 * `lax.bitwise_xor`: logical exclusive or of bool arrays, bitwise xor of integer arrays.
 *
 * @example
 * lax.xor(np.array([6]), np.array([3])) // Array([5], dtype=int32)
 */
export const xor = (x: Array, y: Array): Array => bind1(xorP, [x, y], none)
for (const p of [eqP, neP, ltP, leP, gtP, geP, andP, orP, xorP]) defZeroJvp(p)

// ---------------------------------------------------------------------------------------------
// select_n(which, *cases): cases[which]; with a bool predicate, (false_case, true_case).

export const selectNP = definePrimitive<NoParams>("select_n", (avals) => {
  const [w, ...cases] = avals
  if (cases.length === 0) throw new ShapeError("select_n needs at least one case")
  const c0 = cases[0]!
  if (w!.dtype !== "bool" && w!.dtype !== "int32") {
    throw new DTypeError(`select_n needs a bool or int32 predicate, got ${w!.dtype}`)
  }
  let shape: number[] = [...c0.shape]
  for (const c of cases) {
    if (c.dtype !== c0.dtype) throw new DTypeError(`select_n cases must share a dtype, got ${c0.dtype} and ${c.dtype}`)
    shape = broadcastEqualRank("select_n", shape, c.shape)
  }
  shape = broadcastEqualRank("select_n", shape, w!.shape)
  return [
    new ShapedArray(
      shape,
      c0.dtype,
      cases.every((c) => c.weakType)
    )
  ]
})
selectNP.paramFree = true
defBroadcasting(selectNP)
/**
 * `where(pred, onTrue, onFalse)` at the primitive level (operands of equal rank).
 *
 * @example
 * lax.select(np.array([true, false]), np.array([1, 2]), np.array([10, 20])) // Array([ 1, 20], dtype=int32)
 */
export const select = (pred: Array, onTrue: Array, onFalse: Array): Array => bind1(selectNP, [pred, onFalse, onTrue], none)
selectNP.jvpSymbolic = ([w, ...cs], [, ...ts]) => {
  const out = bind1(selectNP, [w!, ...cs], none)
  if (ts.every((t): boolean => t instanceof Zero)) return [[out], [zeroOf(out)]]
  // A case without a tangent contributes a scalar zero (a literal, broadcast by select_n): no zeros array.
  const picks = ts.map((t) => (t instanceof Zero ? constLike(out, 0) : t!))
  return [[out], [broadcastLike(bind1(selectNP, [w!, ...picks], none), out)]]
}
selectNP.transpose = ([ct], [w, ...cs]) => {
  if (w instanceof UndefPrimal) throw new Error("select_n is not linear in its predicate") // internal invariant
  const out: (Array | Zero | null)[] = [null]
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!
    if (!(c instanceof UndefPrimal)) {
      out.push(null)
      continue
    }
    if (ct instanceof Zero) {
      out.push(new Zero(c.aval))
      continue
    }
    const zeros = constLike(ct!, 0)
    const picks = cs.map((_, j) => (j === i ? ct! : zeros))
    out.push(unbroadcast(bind1(selectNP, [w!, ...picks], none), c.aval))
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// convert_element_type

export interface ConvertParams {
  readonly newDtype: DType
  readonly weakType: boolean
  readonly [k: string]: unknown
}
export const convertElementTypeP = definePrimitive<ConvertParams>("convert_element_type", ([x], p) => [
  new ShapedArray(x!.shape, checkDType(p.newDtype, "convert_element_type (astype)"), checkFlag(p.weakType, "convert_element_type: weakType"))
])
convertElementTypeP.printParams = (p) => [
  ["new_dtype", p.newDtype],
  ["weak_type", p.weakType ? "True" : "False"]
]
/**
 * `lax.convert_element_type` (what `astype` binds): the array converted to `newDtype`, floats truncated toward zero when cast to integers; `weakType` marks the result weakly typed. Only conversions between float and complex dtypes carry a derivative.
 *
 * @example
 * lax.convertElementType(np.array([1.7, -1.7]), "int32") // Array([ 1, -1], dtype=int32)
 */
export const convertElementType = (x: Array, newDtype: DType, weakType = false): Array =>
  x.dtype === checkDType(newDtype, "astype") && x.weakType === weakType ? x : bind1(convertElementTypeP, [x], { newDtype, weakType })
convertElementTypeP.jvpSymbolic = ([x], [t], p) => {
  const out = bind1(convertElementTypeP, [x!], p)
  // Only conversions between float and complex dtypes carry a derivative (complex -> real keeps the real part).
  const inexact = (d: DType) => isFloat(d) || isComplex(d)
  if (t instanceof Zero || !inexact(x!.dtype) || !inexact(p.newDtype)) return [[out], [zeroOf(out)]]
  return [[out], [bind1(convertElementTypeP, [t!], p)]]
}
defVectorized(convertElementTypeP)
convertElementTypeP.transpose = ([ct], [x]) => [ct instanceof Zero ? new Zero(x!.aval) : convertElementType(instantiate(ct!), x!.aval.dtype, x!.aval.weakType)]

/** Stop gradients: identity forward, zero derivative. */
export const stopGradientP = definePrimitive<NoParams>("stop_gradient", ([x]) => [x!])
stopGradientP.impl = ([x]) => [x!]
stopGradientP.paramFree = true
defZeroJvp(stopGradientP)
defVectorized(stopGradientP)
/**
 * `jax.lax.stop_gradient`: the identity on values, with a zero derivative: gradients do not flow through it.
 *
 * @example
 * grad((x: Array) => np.multiply(x, stopGradient(x)))(np.array(3, { dtype: "float32" })) // Array(3., dtype=float32)
 */
export const stopGradient = (x: Array): Array => bind1(stopGradientP, [x], none)
