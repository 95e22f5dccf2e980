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

/** An elementwise primitive of one operand, with its batching rule (`defVectorized`), and its binder. */
const unary = (name: string, kind: Kind, outDtype?: DType): [Primitive<NoParams>, (x: Array) => Array] => {
  const p = definePrimitive<NoParams>(name, unaryShape(name, kind, outDtype))
  p.paramFree = true
  defVectorized(p)
  return [p, (x: Array) => bind1(p, [x], none)]
}

/** jvp of f where f'(x) is given in terms of x and the output: t -> t * f'(x) (JAX's `standard_unop` rules). */
const defJvpUnary = (p: Primitive<NoParams>, deriv: (x: Array, out: Array) => Array): void => defJvp(p, (t, [x], out) => mul(t, deriv(x!, out)))

export const [negP, neg] = unary("neg", "number")
defLinear(negP, (ct) => [neg(ct)])

export const [signP, sign] = unary("sign", "number")
defZeroJvp(signP)
export const [floorP, floor] = unary("floor", "float")
defZeroJvp(floorP)
export const [ceilP, ceil] = unary("ceil", "float")
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
export const [isFiniteP, isFinite] = unary("is_finite", "float", "bool")
defZeroJvp(isFiniteP)
export const [notP, not] = unary("not", "intOrBool")
defZeroJvp(notP)

export const [expP, exp] = unary("exp", "inexact")
defJvpUnary(expP, (_x, out) => out)
export const [exp2P, exp2] = unary("exp2", "float")
defJvpUnary(exp2P, (x, out) => mul(out, constLike(x, Math.LN2)))
export const [logP, log] = unary("log", "inexact")
defJvpUnary(logP, (x) => reciprocal(x))
export const [log1pP, log1p] = unary("log1p", "inexact")
defJvpUnary(log1pP, (x) => reciprocal(add(x, constLike(x, 1))))
export const [expm1P, expm1] = unary("expm1", "inexact")
defJvpUnary(expm1P, (x, out) => add(out, constLike(x, 1)))
export const [tanhP, tanh] = unary("tanh", "inexact")
defJvpUnary(tanhP, (x, out) => sub(constLike(x, 1), mul(out, out)))
export const [logisticP, logistic] = unary("logistic", "float")
defJvpUnary(logisticP, (x, out) => mul(out, sub(constLike(x, 1), out)))
export const [sinP, sin] = unary("sin", "inexact")
defJvpUnary(sinP, (x) => cos(x))
export const [cosP, cos] = unary("cos", "inexact")
defJvpUnary(cosP, (x) => neg(sin(x)))
export const [tanP, tan] = unary("tan", "inexact")
defJvpUnary(tanP, (x, out) => add(constLike(x, 1), mul(out, out)))
export const [asinP, asin] = unary("asin", "float")
defJvpUnary(asinP, (x) => rsqrt(sub(constLike(x, 1), mul(x, x))))
export const [acosP, acos] = unary("acos", "float")
defJvpUnary(acosP, (x) => neg(rsqrt(sub(constLike(x, 1), mul(x, x)))))
export const [atanP, atan] = unary("atan", "float")
defJvpUnary(atanP, (x) => reciprocal(add(constLike(x, 1), mul(x, x))))
export const [sinhP, sinh] = unary("sinh", "inexact")
defJvpUnary(sinhP, (x) => cosh(x))
export const [coshP, cosh] = unary("cosh", "inexact")
defJvpUnary(coshP, (x) => sinh(x))
export const [sqrtP, sqrt] = unary("sqrt", "inexact")
defJvpUnary(sqrtP, (x, out) => div(constLike(x, 0.5), out))
export const [rsqrtP, rsqrt] = unary("rsqrt", "inexact")
defJvpUnary(rsqrtP, (x, out) => mul(constLike(x, -0.5), div(out, x)))
export const [erfP, erf] = unary("erf", "float")
defJvpUnary(erfP, (x) => mul(constLike(x, 2 / Math.sqrt(Math.PI)), exp(neg(mul(x, x)))))
/** abs: of a complex operand, its magnitude, a real array of the parts' dtype (complex64 -> float32). */
export const absP = definePrimitive<NoParams>("abs", ([x]) => {
  checkKind("abs", "number", x!.dtype)
  return [isComplex(x!.dtype) ? new ShapedArray(x!.shape, complexPartDType(x!.dtype), x!.weakType) : x!]
})
absP.paramFree = true
defVectorized(absP)
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

/** An elementwise primitive of two broadcasting operands, with its batching rule (`defBroadcasting`), and its binder. */
const binary = (name: string, kind: Kind, outDtype?: DType): [Primitive<NoParams>, (x: Array, y: Array) => Array] => {
  const p = definePrimitive<NoParams>(name, binaryShape(name, kind, outDtype))
  p.paramFree = true
  defBroadcasting(p)
  return [p, (x: Array, y: Array) => bind1(p, [x, y], none)]
}

/** `t` broadcast to the output's shape (the tangent of an operand that was broadcast). */
const broadcastLike = (t: Array, out: Array): Array => (shapeEqual(t.shape, out.shape) ? t : broadcastInDim(t, out.shape, t.ndim === 0 ? [] : range(t.ndim)))

const unbroadcastZero = (ct: Array | Zero, x: Array | UndefPrimal): Array | Zero => (ct instanceof Zero ? new Zero(x.aval) : unbroadcast(ct, x.aval))

export const [addP, add] = binary("add", "number")
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

export const [subP, sub] = binary("sub", "number")
defAddJvp(subP, (ty) => neg(ty))
subP.transpose = ([ct], [x, y]) => [unbroadcastZero(ct!, x!), ct instanceof Zero ? new Zero(y!.aval) : unbroadcast(neg(ct!), y!.aval)]

export const [mulP, mul] = binary("mul", "number")
defBilinear(
  mulP,
  (ct, x, y) => unbroadcast(mul(ct, y), x.aval),
  (ct, x, y) => unbroadcast(mul(x, ct), y.aval)
)

export const [divP, div] = binary("div", "number")
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
export const [remP, rem] = binary("rem", "real")
// d/dx = 1, d/dy = -trunc(x / y)
defJvp(
  remP,
  (t, _xs, out) => broadcastLike(t, out),
  (t, [x, y], out) => mul(t, neg(div(sub(x!, out), y!)))
)

export const [powP, pow] = binary("pow", "number")
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
export const [maxP, max] = binary("max", "any")
defJvp(
  maxP,
  (t, [x, y], out) => mul(t, pickWeight(x!, y!, out)),
  (t, [x, y], out) => mul(t, pickWeight(y!, x!, out))
)
export const [minP, min] = binary("min", "any")
defJvp(
  minP,
  (t, [x, y], out) => mul(t, pickWeight(x!, y!, out)),
  (t, [x, y], out) => mul(t, pickWeight(y!, x!, out))
)

export const [atan2P, atan2] = binary("atan2", "float")
// d atan2(x, y) = (y dx - x dy) / (x^2 + y^2)
const atan2Denom = (x: Array, y: Array): Array => add(mul(x, x), mul(y, y))
defJvp(
  atan2P,
  (t, [x, y]) => div(mul(t, y!), atan2Denom(x!, y!)),
  (t, [x, y]) => div(mul(t, neg(x!)), atan2Denom(x!, y!))
)

export const [eqP, eq] = binary("eq", "any", "bool")
export const [neP, ne] = binary("ne", "any", "bool")
export const [ltP, lt] = binary("lt", "realOrBool", "bool")
export const [leP, le] = binary("le", "realOrBool", "bool")
export const [gtP, gt] = binary("gt", "realOrBool", "bool")
export const [geP, ge] = binary("ge", "realOrBool", "bool")
export const [andP, and] = binary("and", "intOrBool")
export const [orP, or] = binary("or", "intOrBool")
export const [xorP, xor] = binary("xor", "intOrBool")
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
/** `where(pred, onTrue, onFalse)` at the primitive level (operands of equal rank). */
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
export const stopGradient = (x: Array): Array => bind1(stopGradientP, [x], none)
