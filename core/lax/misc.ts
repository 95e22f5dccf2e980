/**
 * Small lax operations JAX offers beside its primitives: `clamp`, `select_n`, `expand_dims`,
 * `squeeze`, `broadcast`, `broadcasted_iota`, `full`/`full_like`, `collapse`, `square`,
 * `reciprocal`, the inverse hyperbolic functions and `cbrt`, `reduce_and`/`reduce_or`, `dot` and
 * `batch_matmul`. Like the rest of lax they do not promote: operands share a dtype.
 */
import { Array } from "../array.js"
import { type DType, isComplex, isFloat } from "../dtype.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { constant } from "../primitives/common.js"
import { dotGeneral } from "../primitives/dot.js"
import { and, ge, integerPow, max, min, or, select, xor } from "../primitives/elementwise.js"
import { reduce } from "./scans.js"
import { reduceMax, reduceMin } from "../primitives/reduce.js"
import { broadcastInDim, broadcastTo, iota, reshape } from "../primitives/shape-ops.js"
import { normalizeAxes, normalizeAxis, showShape } from "../shape.js"
import { arccosh, arcsinh, arctanh, cbrt as npCbrt } from "../numpy/math-extra.js"
import { scalarArray } from "../numpy/coerce.js"

const seq = (n: number, from = 0): number[] => globalThis.Array.from({ length: n }, (_, i) => from + i)

const sameDtype = (what: string, xs: ReadonlyArray<Array>): void => {
  const d = xs[0]!.dtype
  if (xs.some((x) => x.dtype !== d))
    throw new DTypeError(`${what}: operands must share a dtype, got ${xs.map((x) => x.dtype).join(", ")}; lax does not promote (cast with convertElementType).`)
}

const floatOnly = (what: string, x: Array): void => {
  if (!isFloat(x.dtype)) throw new DTypeError(`${what} takes a float operand, got ${x.dtype}; lax does not promote (cast with convertElementType).`)
}

/**
 * `lax.clamp(min, x, max)`: `x` limited to [min, max] elementwise (min and max may be scalars).
 *
 * @example
 * lax.clamp(np.array(0), np.array([-2, 1, 5]), np.array(3)) // [0, 1, 3]
 */
export const clamp = (minValue: Array, x: Array, maxValue: Array): Array => {
  sameDtype("lax.clamp", [minValue, x, maxValue])
  if (isComplex(x.dtype)) {
    // JAX passes complex operands to XLA's clamp, whose answer is not a lexicographic clamp
    // (clamp(0, 5j, 1) is 0 there); jaxfx refuses rather than guess.
    throw new DTypeError("lax.clamp of complex operands is not supported: complex values have no ordering; clamp np.real(x) and np.imag(x) separately.")
  }
  for (const [b, name] of [
    [minValue, "min"],
    [maxValue, "max"]
  ] as const) {
    if (b.ndim !== 0 && (b.ndim !== x.ndim || b.shape.some((s, d) => s !== x.shape[d]))) {
      throw new ShapeError(`lax.clamp: ${name} must be a scalar or have x's shape ${showShape(x.shape)}, got ${showShape(b.shape)}.`)
    }
  }
  return min(max(x, minValue), maxValue)
}

/**
 * `lax.select_n(which, *cases)`: `cases[which]` elementwise; `which` is bool (two cases) or an
 * int32 index into the cases (out-of-range values are undefined in JAX; here the last case).
 *
 * @example
 * lax.selectN(np.array([0, 2, 1]), np.zeros([3]), np.ones([3]), np.full([3], 2)) // [0, 2, 1]
 */
export const selectN = (which: Array, ...cases: ReadonlyArray<Array>): Array => {
  if (cases.length === 0) throw new ValueError("lax.selectN: give at least one case.")
  sameDtype("lax.selectN", cases)
  const shape = cases[0]!.shape
  cases.forEach((c) => {
    if (c.shape.length !== shape.length || c.shape.some((s, d) => s !== shape[d]))
      throw new ShapeError(`lax.selectN: cases must share a shape, got ${cases.map((k) => showShape(k.shape)).join(", ")}.`)
  })
  if (which.ndim !== 0 && (which.ndim !== shape.length || which.shape.some((s, d) => s !== shape[d]))) {
    throw new ShapeError(`lax.selectN: which must be a scalar or have the cases' shape ${showShape(shape)}, got ${showShape(which.shape)}.`)
  }
  if (which.dtype === "bool") {
    if (cases.length > 2) throw new ValueError(`lax.selectN: a bool which selects between at most 2 cases, got ${cases.length}.`)
    return cases.length === 1 ? cases[0]! : select(which, cases[1]!, cases[0]!)
  }
  if (which.dtype !== "int32" && which.dtype !== "uint32") throw new DTypeError(`lax.selectN: which must be bool or an integer, got ${which.dtype}.`)
  const w = broadcastTo(which, shape)
  let out = cases[0]!
  for (let k = 1; k < cases.length; k++) out = select(ge(w, constant(k, w.dtype, [], true)), cases[k]!, out)
  return out
}

/**
 * `lax.expand_dims(array, dimensions)`: insert size-1 axes at the given positions of the result.
 *
 * @example
 * lax.expandDims(np.zeros([3]), [0, 2]).shape // [1, 3, 1]
 */
export const expandDims = (array: Array, dimensions: ReadonlyArray<number>): Array => {
  const rank = array.ndim + dimensions.length
  const dims = dimensions.map((d) => normalizeAxis(d, rank, "lax.expandDims dimensions"))
  if (new Set(dims).size !== dims.length) throw new ValueError(`lax.expandDims: repeated dimension in ${JSON.stringify(dimensions)}.`)
  const shape: number[] = []
  let k = 0
  for (let d = 0; d < rank; d++) shape.push(dims.includes(d) ? 1 : array.shape[k++]!)
  return reshape(array, shape)
}

/**
 * `lax.squeeze(array, dimensions)`: remove the given size-1 axes.
 *
 * @example
 * lax.squeeze(np.zeros([1, 3, 1]), [0, 2]).shape // [3]
 */
export const squeeze = (array: Array, dimensions: ReadonlyArray<number>): Array => {
  const dims = normalizeAxes(dimensions, array.ndim)
  dims.forEach((d) => {
    if (array.shape[d] !== 1) throw new ShapeError(`lax.squeeze: axis ${d} of shape ${showShape(array.shape)} has size ${array.shape[d]}, not 1.`)
  })
  return reshape(
    array,
    array.shape.filter((_, d) => !dims.includes(d))
  )
}

/**
 * `lax.broadcast(operand, sizes)`: add leading axes of the given sizes.
 *
 * @example
 * lax.broadcast(np.array([1, 2]), [3]).shape // [3, 2]
 */
export const broadcast = (operand: Array, sizes: ReadonlyArray<number>): Array =>
  broadcastInDim(operand, [...sizes, ...operand.shape], seq(operand.ndim, sizes.length))

/**
 * `lax.broadcasted_iota(dtype, shape, dimension)`: indices along one axis of a shape.
 *
 * @example
 * lax.broadcastedIota("int32", [2, 3], 1) // [[0, 1, 2], [0, 1, 2]]
 */
export const broadcastedIota = (dtype: DType, shape: ReadonlyArray<number>, dimension: number): Array =>
  iota(dtype, shape, normalizeAxis(dimension, shape.length, "lax.broadcastedIota dimension"))

/**
 * `lax.full(shape, fill_value, dtype)`: an array of one value (dtype default: float32 for
 * fractions, int32 for integers, bool for booleans).
 *
 * @example
 * lax.full([2], 7, "int32") // [7, 7]
 */
export const full = (shape: ReadonlyArray<number>, fillValue: number | boolean, dtype?: DType): Array => {
  const d = dtype ?? (typeof fillValue === "boolean" ? "bool" : Number.isInteger(fillValue) ? "int32" : "float32")
  return broadcastInDim(scalarArray(fillValue, d), shape, [])
}

/**
 * `lax.full_like(x, fill_value, dtype=None, shape=None)`: `full` with x's dtype and shape.
 *
 * @example
 * lax.fullLike(np.zeros([2, 2]), 1) // ones of shape [2, 2]
 */
export const fullLike = (x: Array, fillValue: number | boolean, dtype?: DType, shape?: ReadonlyArray<number>): Array =>
  full(shape ?? x.shape, fillValue, dtype ?? x.dtype)

/**
 * `lax.collapse(operand, start_dimension, stop_dimension=None)`: merge axes [start, stop) into one.
 *
 * @example
 * lax.collapse(np.zeros([2, 3, 4]), 1).shape // [2, 12]
 */
export const collapse = (operand: Array, startDimension: number, stopDimension?: number): Array => {
  const start = normalizeAxis(startDimension, operand.ndim, "lax.collapse start")
  const stop = stopDimension === undefined ? operand.ndim : stopDimension < 0 ? stopDimension + operand.ndim : stopDimension
  if (stop < start || stop > operand.ndim)
    throw new ShapeError(`lax.collapse: bad range [${startDimension}, ${stopDimension}) for shape ${showShape(operand.shape)}.`)
  const merged = operand.shape.slice(start, stop).reduce((p, s) => p * s, 1)
  return reshape(operand, [...operand.shape.slice(0, start), merged, ...operand.shape.slice(stop)])
}

/** `lax.square(x)`: `x * x`. @example lax.square(np.array(3)) // 9 */
export const square = (x: Array): Array => integerPow(x, 2)

/** `lax.reciprocal(x)`: `1 / x` (float operands). @example lax.reciprocal(np.array(4.0)) // 0.25 */
export const reciprocal = (x: Array): Array => {
  floatOnly("lax.reciprocal", x)
  return integerPow(x, -1)
}

/** `lax.asinh(x)`: the inverse hyperbolic sine (float operands). @example lax.asinh(np.array(0.0)) // 0 */
export const asinh = (x: Array): Array => {
  floatOnly("lax.asinh", x)
  return arcsinh(x)
}
/** `lax.acosh(x)`: the inverse hyperbolic cosine (float operands). @example lax.acosh(np.array(1.0)) // 0 */
export const acosh = (x: Array): Array => {
  floatOnly("lax.acosh", x)
  return arccosh(x)
}
/** `lax.atanh(x)`: the inverse hyperbolic tangent (float operands). @example lax.atanh(np.array(0.0)) // 0 */
export const atanh = (x: Array): Array => {
  floatOnly("lax.atanh", x)
  return arctanh(x)
}
/** `lax.cbrt(x)`: the real cube root (float operands). @example lax.cbrt(np.array(-8.0)) // -2 */
export const cbrt = (x: Array): Array => {
  floatOnly("lax.cbrt", x)
  return npCbrt(x)
}

const bitReduce =
  (what: string, op: (a: Array, b: Array) => Array, init: (d: DType) => number, boolFast?: (x: Array, axes: ReadonlyArray<number>) => Array) =>
  (operand: Array, axes: ReadonlyArray<number>): Array => {
    if (operand.dtype !== "bool" && operand.dtype !== "int32" && operand.dtype !== "uint32") {
      throw new DTypeError(`${what} takes bool or integer operands, got ${operand.dtype}.`)
    }
    const dims = normalizeAxes(axes, operand.ndim)
    if (operand.dtype === "bool" && boolFast !== undefined) return boolFast(operand, dims)
    return reduce(operand, scalarArray(init(operand.dtype), operand.dtype), op, dims)
  }
const allOnes = (d: DType): number => (d === "bool" ? 1 : d === "uint32" ? 0xffffffff : -1)
/** `lax.reduce_and(operand, axes)`: logical (bool) or bitwise (integers) and along the axes. @example lax.reduceAnd(np.array([true, false]), [0]) // false */
export const reduceAnd: (operand: Array, axes: ReadonlyArray<number>) => Array = bitReduce("lax.reduceAnd", and, allOnes, reduceMin)
/** `lax.reduce_or(operand, axes)`: logical (bool) or bitwise (integers) or along the axes. @example lax.reduceOr(np.array([true, false]), [0]) // true */
export const reduceOr: (operand: Array, axes: ReadonlyArray<number>) => Array = bitReduce("lax.reduceOr", or, () => 0, reduceMax)
/** `lax.reduce_xor(operand, axes)`: logical (bool) or bitwise (integers) exclusive or along the axes. @example lax.reduceXor(np.array([true, true, true]), [0]) // true */
export const reduceXor: (operand: Array, axes: ReadonlyArray<number>) => Array = bitReduce("lax.reduceXor", xor, () => 0)

/**
 * `lax.dot(lhs, rhs)`: vector·vector, matrix·vector or matrix·matrix (ranks 1 or 2, no
 * promotion).
 *
 * @example
 * lax.dot(np.ones([2, 3]), np.ones([3])) // [3, 3]
 */
export const dot = (lhs: Array, rhs: Array): Array => {
  if (lhs.ndim < 1 || lhs.ndim > 2 || rhs.ndim < 1 || rhs.ndim > 2)
    throw new ShapeError(`lax.dot: operands must have rank 1 or 2, got shapes ${showShape(lhs.shape)} and ${showShape(rhs.shape)}.`)
  return dotGeneral(lhs, rhs, { contracting: [[lhs.ndim - 1], [0]], batch: [[], []] })
}

/**
 * `lax.batch_matmul(lhs, rhs)`: matrix products over matching leading batch axes (equal ranks of
 * at least 2).
 *
 * @example
 * lax.batchMatmul(np.ones([5, 2, 3]), np.ones([5, 3, 4])).shape // [5, 2, 4]
 */
export const batchMatmul = (lhs: Array, rhs: Array): Array => {
  if (lhs.ndim < 2 || lhs.ndim !== rhs.ndim)
    throw new ShapeError(`lax.batchMatmul: operands must have one rank of at least 2, got shapes ${showShape(lhs.shape)} and ${showShape(rhs.shape)}.`)
  const b = seq(lhs.ndim - 2)
  return dotGeneral(lhs, rhs, { contracting: [[lhs.ndim - 1], [rhs.ndim - 2]], batch: [b, b] })
}
