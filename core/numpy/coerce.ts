/**
 * Turning user values into Arrays: nested JS arrays, TypedArrays and JS scalars (which are weakly
 * typed, like Python scalars in JAX), and NumPy-style promotion of operands to a common dtype
 * and rank.
 */
import { Array, ShapedArray } from "../array.js"
import {
  type AnyTypedArray,
  castScalar,
  convertElement,
  type DType,
  dtypes,
  isDType,
  isComplex,
  isFloat,
  literalElement,
  resultType,
  scalarType,
  type TypeInfo,
  typedArrayCtor,
  valueArrayCtor
} from "../dtype.js"
import { DTypeError, ShapeError } from "../errors.js"
import { constant } from "../primitives/common.js"
import { convertElementType } from "../primitives/elementwise.js"
import { concatenate, reshape } from "../primitives/shape-ops.js"
import { fromHost } from "../trace.js"

export type Scalar = number | boolean
/**
 * A complex number as `np.array` reads it (JS has no complex literal): `{ re: 1, im: 2 }` is
 * Python's `1+2j`. A list with one becomes complex64 (complex128 with `dtype`).
 */
export interface ComplexLike {
  readonly re: number
  readonly im: number
}
/** A (nested) list of numbers, booleans, complex numbers and Arrays, as `jnp.array` takes lists of scalars and arrays. */
export type NestedLike = Scalar | ComplexLike | Array | ReadonlyArray<NestedLike>
/**
 * The TypedArrays `np.array` reads, as JAX reads NumPy arrays: each in its own dtype (Int8Array is
 * int8, Uint8Array and Uint8ClampedArray uint8, Int16Array int16, Uint16Array uint16).
 */
export type HostArray = AnyTypedArray | Int8Array | Int16Array | Uint16Array | Uint8ClampedArray
/** Anything `np.array` accepts. */
export type ArrayLike = Array | Scalar | ComplexLike | ReadonlyArray<NestedLike> | HostArray

/** Whether `x` is a `{ re, im }` complex number. */
export const isComplexLike = (x: unknown): x is ComplexLike =>
  typeof x === "object" &&
  x !== null &&
  !(x instanceof Array) &&
  typeof (x as ComplexLike).re === "number" &&
  typeof (x as ComplexLike).im === "number" &&
  Object.keys(x).length === 2
/** An operand of an `np` function: an Array or a JS scalar. */
export type Operand = Array | Scalar

/** The dtype a TypedArray's elements take (see `HostArray`). */
const hostDType = (x: ArrayBufferView): DType => {
  if (x instanceof Float32Array) return "float32"
  if (x instanceof Float64Array) return "float64"
  if (x instanceof Int32Array) return "int32"
  if (x instanceof Uint32Array) return "uint32"
  // As JAX reads NumPy's int8 / int16 / uint8 / uint16 arrays: in their own dtype.
  if (x instanceof Int16Array) return "int16"
  if (x instanceof Int8Array) return "int8"
  if (x instanceof Uint16Array) return "uint16"
  if (x instanceof Uint8Array || x instanceof Uint8ClampedArray) return "uint8"
  throw new DTypeError(
    `np.array cannot read a ${x.constructor.name}: give a Float32Array, Float64Array, Int32Array, Uint32Array or a ` +
      "narrower integer TypedArray (jaxfx has no 64-bit integers: convert with Int32Array.from(x, Number) or Float64Array.from(x, Number))."
  )
}

/** A TypedArray's values as an array of `dtype` (or its own dtype): a cast, as `astype` does. */
const fromTypedArray = (src: ArrayBufferView, dtype: DType | undefined): Array => {
  const own = hostDType(src)
  const d = dtype ?? own
  const values = src as unknown as { readonly length: number; readonly [i: number]: number }
  const data = new (valueArrayCtor(d))(values.length)
  for (let i = 0; i < values.length; i++) data[i] = convertElement(values[i]!, own, d)
  return fromHost(data, new ShapedArray([values.length], d))
}

/** A JS scalar as an array of `dtype`, refusing integers that do not fit (see `literalElement`). */
export const scalarArray = (x: Scalar, dtype: DType, shape: ReadonlyArray<number> = [], weakType = false, rule: "exact" | "weak" = "weak"): Array =>
  constant(typeof x === "boolean" ? (x ? 1 : 0) : literalElement(x, dtype, rule), dtype, shape, weakType)

/** Shape of a nested JS array (following first elements; `leavesOf` checks it is rectangular). */
const nestedShape = (x: ReadonlyArray<unknown>): number[] => {
  const shape: number[] = []
  let cur: unknown = x
  while (globalThis.Array.isArray(cur)) {
    shape.push(cur.length)
    cur = cur[0]
  }
  if (cur instanceof Array) shape.push(...cur.shape)
  return shape
}

/** The leaves of a nested list in row-major order, checking every row against `shape`. */
const leavesOf = (x: unknown, shape: ReadonlyArray<number>, dim: number, out: (Scalar | ComplexLike | Array)[]): void => {
  if (x instanceof Array) {
    if (x.ndim !== shape.length - dim || x.shape.some((d, i) => d !== shape[dim + i])) {
      throw new ShapeError(`np.array: ragged nested input (an array of shape [${x.shape.join(", ")}] where [${shape.slice(dim).join(", ")}] was expected)`)
    }
    out.push(x)
  } else if (dim === shape.length) {
    if (typeof x !== "number" && typeof x !== "boolean" && !isComplexLike(x)) {
      throw new DTypeError(
        `np.array: cannot convert ${String(x)} (${typeof x}) to an array element; use numbers, booleans, { re, im } complex numbers or Arrays`
      )
    }
    out.push(x)
  } else {
    if (!globalThis.Array.isArray(x) || x.length !== shape[dim]) {
      throw new ShapeError(`np.array: ragged nested input: expected a list of length ${shape[dim]} at depth ${dim}; every row must have the same length`)
    }
    for (const y of x) leavesOf(y, shape, dim + 1, out)
  }
}

/**
 * The dtype of a list's leaves, as `jnp.array` infers it: JAX's promotion over every leaf, JS
 * numbers weak (so `[x, 1]` takes x's dtype), an empty list float32.
 */
const leavesDType = (leaves: ReadonlyArray<Scalar | ComplexLike | Array>): DType => {
  if (leaves.length === 0) return "float32"
  // One representative per kind of JS scalar, then the arrays: promotion is a join.
  let bool = false
  let int = false
  let float = false
  const infos: TypeInfo[] = []
  for (const l of leaves) {
    if (l instanceof Array) infos.push(typeOf(l))
    else if (isComplexLike(l)) infos.push({ dtype: "complex64", weakType: true })
    else if (typeof l === "boolean") bool = true
    else if (Number.isInteger(l)) int = true
    else float = true
  }
  if (bool) infos.push(scalarType(true))
  if (int) infos.push(scalarType(1))
  if (float) infos.push(scalarType(0.5))
  return resultType(...infos).dtype
}

/**
 * A nested list as an array of `dtype`. Lists of JS scalars are converted on the host. A list
 * that holds Arrays (tracers included) is `np.stack` of its elements, as in JAX: the arrays are
 * cast, flattened and concatenated with runs of the converted scalars, then reshaped, so grad,
 * jit and vmap see ordinary primitives.
 */
const fromNested = (x: ReadonlyArray<NestedLike>, dtype: DType | undefined): Array => {
  const shape = nestedShape(x)
  const leaves: (Scalar | ComplexLike | Array)[] = []
  leavesOf(x, shape, 0, leaves)
  const d = dtype ?? leavesDType(leaves)
  const host = (scalars: ReadonlyArray<Scalar | ComplexLike>, dims: ReadonlyArray<number>): Array => {
    if (isComplex(d)) {
      // Interleaved (re, im) pairs.
      const data = new (valueArrayCtor(d))(2 * scalars.length)
      for (let i = 0; i < scalars.length; i++) {
        const s = scalars[i]!
        data[2 * i] = castScalar(typeof s === "boolean" ? (s ? 1 : 0) : isComplexLike(s) ? s.re : s, d)
        data[2 * i + 1] = isComplexLike(s) ? castScalar(s.im, d) : 0
      }
      return fromHost(data, new ShapedArray(dims, d))
    }
    const data = new (valueArrayCtor(d))(scalars.length)
    for (let i = 0; i < scalars.length; i++) {
      const s = scalars[i]!
      if (isComplexLike(s)) {
        throw new DTypeError(
          `np.array: a complex number ({ re: ${s.re}, im: ${s.im} }) cannot be stored as ${d}; use dtype "complex64", or take np.real of it.`
        )
      }
      data[i] = typeof s === "boolean" ? (s ? 1 : 0) : castScalar(literalElement(s, d), d)
    }
    return fromHost(data, new ShapedArray(dims, d))
  }
  if (!leaves.some((l) => l instanceof Array)) return host(leaves as ReadonlyArray<Scalar | ComplexLike>, shape)
  const pieces: Array[] = []
  let run: (Scalar | ComplexLike)[] = []
  for (const l of leaves) {
    if (!(l instanceof Array)) {
      run.push(l)
      continue
    }
    if (run.length > 0) pieces.push(host(run, [run.length]))
    run = []
    pieces.push(reshape(convertElementType(l, d), [l.size]))
  }
  if (run.length > 0) pieces.push(host(run, [run.length]))
  return reshape(concatenate(pieces, 0), shape)
}

/**
 * `np.asarray`: Arrays pass through (cast when `dtype` differs); JS values are copied to the
 * default device. Integers infer int32, any fraction float32, booleans bool; a list holding
 * Arrays stacks them. A JS number that does not fit an integer dtype is an OverflowError.
 */
export const asArray = (x: ArrayLike, dtype?: DType): Array => {
  if (dtype !== undefined && !isDType(dtype)) throw new DTypeError(`unknown dtype ${String(dtype)}; use one of ${dtypes.join(", ")}`)
  if (x instanceof Array) return dtype === undefined ? x : convertElementType(x, dtype)
  if (typeof x === "number" || typeof x === "boolean") return scalarArray(x, dtype ?? scalarType(x).dtype, [], false, "exact")
  if (isComplexLike(x)) return fromNested([x], dtype).reshape([])
  if (ArrayBuffer.isView(x)) return fromTypedArray(x, dtype)
  if (!globalThis.Array.isArray(x)) {
    throw new DTypeError(`np.array: cannot convert ${String(x)} (${typeof x}); give a number, a boolean, a (nested) list, a TypedArray or an Array`)
  }
  return fromNested(x, dtype)
}

export const typeOf = (x: Operand): TypeInfo => (x instanceof Array ? { dtype: x.dtype, weakType: x.weakType } : scalarType(x))

/** Convert operands to their common dtype (JAX promotion, weak types for JS scalars). */
export const promoteDtypes = (xs: ReadonlyArray<Operand>, atLeast?: "float"): Array[] => {
  if (alreadyPromoted(xs, atLeast)) return xs.slice() as Array[]
  let r = resultType(...xs.map(typeOf))
  if (atLeast === "float" && !isFloat(r.dtype) && !isComplex(r.dtype)) r = { dtype: "float32", weakType: r.weakType }
  return xs.map((x) => {
    if (x instanceof Array) return x.dtype === r.dtype ? x : convertElementType(x, r.dtype, r.weakType)
    return scalarArray(x, r.dtype, [], r.weakType)
  })
}

/** Arrays of one dtype and weak type (the common case of eager arithmetic) need no promotion. */
const alreadyPromoted = (xs: ReadonlyArray<Operand>, atLeast: "float" | undefined): boolean => {
  const x0 = xs[0]
  if (!(x0 instanceof Array) || (atLeast === "float" && !isFloat(x0.dtype) && !isComplex(x0.dtype))) return false
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i]
    if (!(x instanceof Array) || x.dtype !== x0.dtype || x.weakType !== x0.weakType) return false
  }
  return true
}

/** Give every non-scalar operand the same rank by inserting leading 1s (NumPy alignment). */
export const alignRanks = (xs: ReadonlyArray<Array>): Array[] => {
  let rank = 0
  for (const x of xs) rank = Math.max(rank, x.ndim)
  return xs.map((x) => (x.ndim === 0 || x.ndim === rank ? x : reshape(x, [...new globalThis.Array<number>(rank - x.ndim).fill(1), ...x.shape])))
}

/** Promote dtypes and align ranks: ready for an elementwise primitive. */
export const promote = (xs: ReadonlyArray<Operand>, atLeast?: "float"): Array[] => alignRanks(promoteDtypes(xs, atLeast))
