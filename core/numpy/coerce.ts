/**
 * Turning user values into Arrays: nested JS arrays, TypedArrays and JS scalars (which are weakly
 * typed, like Python scalars in JAX), and NumPy-style promotion of operands to a common dtype
 * and rank.
 */
import { Array, type Nested, ShapedArray } from "../array.js"
import {
  type AnyTypedArray,
  castScalar,
  type DType,
  isDType,
  resultType,
  scalarType,
  type TypeInfo,
  typedArrayCtor
} from "../dtype.js"
import { DTypeError, ShapeError } from "../errors.js"
import { constant } from "../primitives/common.js"
import { convertElementType } from "../primitives/elementwise.js"
import { reshape } from "../primitives/shape-ops.js"
import { fromHost } from "../trace.js"

export type Scalar = number | boolean
/** Anything `np.array` accepts. */
export type ArrayLike = Array | Scalar | ReadonlyArray<Nested | Array> | AnyTypedArray
/** An operand of an `np` function: an Array or a JS scalar. */
export type Operand = Array | Scalar

const typedDType = (x: AnyTypedArray): DType =>
  x instanceof Float32Array ? "float32"
  : x instanceof Float64Array ? "float64"
  : x instanceof Int32Array ? "int32"
  : x instanceof Uint32Array ? "uint32"
  : "bool"

/** Shape of a nested JS array, checking it is rectangular. */
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

const flattenNested = (x: unknown, shape: ReadonlyArray<number>, dim: number, out: number[], kinds: { bool: boolean; float: boolean; number: boolean; dtype: DType | undefined }): void => {
  if (dim === shape.length || x instanceof Array) {
    if (x instanceof Array) {
      if (x.ndim !== shape.length - dim || x.shape.some((d, i) => d !== shape[dim + i])) {
        throw new ShapeError(`np.array: ragged nested input (an array of shape [${x.shape.join(", ")}] where [${shape.slice(dim).join(", ")}] was expected)`)
      }
      const d = x.data()
      for (let i = 0; i < d.length; i++) out.push(d[i]!)
      kinds.dtype = kinds.dtype === undefined ? x.dtype : resultType({ dtype: kinds.dtype, weakType: false }, { dtype: x.dtype, weakType: false }).dtype
      return
    }
    if (typeof x === "boolean") {
      kinds.bool = true
      out.push(x ? 1 : 0)
    } else if (typeof x === "number") {
      kinds.number = true
      if (!Number.isInteger(x)) kinds.float = true
      out.push(x)
    } else {
      throw new DTypeError(`np.array: cannot convert ${String(x)} (${typeof x}) to an array element; use numbers or booleans`)
    }
    return
  }
  if (!globalThis.Array.isArray(x) || x.length !== shape[dim]) {
    throw new ShapeError(`np.array: ragged nested input: expected a list of length ${shape[dim]} at depth ${dim}; every row must have the same length`)
  }
  for (const y of x) flattenNested(y, shape, dim + 1, out, kinds)
}

/**
 * `np.asarray`: Arrays pass through (cast when `dtype` differs); JS values are copied to the
 * default device. Integers infer int32, any fraction float32, booleans bool.
 */
export const asArray = (x: ArrayLike, dtype?: DType): Array => {
  if (dtype !== undefined && !isDType(dtype)) throw new DTypeError(`unknown dtype ${String(dtype)}; use one of float32, float64, int32, uint32, bool`)
  if (x instanceof Array) return dtype === undefined ? x : convertElementType(x, dtype)
  if (typeof x === "number" || typeof x === "boolean") {
    const d = dtype ?? scalarType(x).dtype
    return constant(typeof x === "boolean" ? (x ? 1 : 0) : x, d, [])
  }
  if (ArrayBuffer.isView(x)) {
    const src = x as AnyTypedArray
    const own = typedDType(src)
    const d = dtype ?? own
    const data = new (typedArrayCtor(d))(src.length)
    for (let i = 0; i < src.length; i++) data[i] = castScalar(src[i]!, d)
    return fromHost(data, new ShapedArray([src.length], d))
  }
  const shape = nestedShape(x)
  const flat: number[] = []
  const kinds = { bool: false, float: false, number: false, dtype: undefined as DType | undefined }
  flattenNested(x, shape, 0, flat, kinds)
  // Numbers next to Arrays are weak (they adopt the arrays' dtype), as in jnp.array([x, 1.0]).
  const infos: TypeInfo[] = []
  const nested = kinds.dtype !== undefined
  if (nested) infos.push({ dtype: kinds.dtype!, weakType: false })
  if (kinds.float) infos.push({ dtype: "float32", weakType: nested })
  else if (kinds.number) infos.push({ dtype: "int32", weakType: nested })
  if (kinds.bool) infos.push({ dtype: "bool", weakType: false })
  const d: DType = dtype ?? (infos.length === 0 ? "float32" : resultType(...infos).dtype)
  const data = new (typedArrayCtor(d))(flat.length)
  for (let i = 0; i < flat.length; i++) data[i] = castScalar(flat[i]!, d)
  return fromHost(data, new ShapedArray(shape, d))
}

export const typeOf = (x: Operand): TypeInfo => (x instanceof Array ? { dtype: x.dtype, weakType: x.weakType } : scalarType(x))

/** Convert operands to their common dtype (JAX promotion, weak types for JS scalars). */
export const promoteDtypes = (xs: ReadonlyArray<Operand>, atLeast?: "float"): Array[] => {
  let r = resultType(...xs.map(typeOf))
  if (atLeast === "float" && r.dtype !== "float32" && r.dtype !== "float64") r = { dtype: "float32", weakType: r.weakType }
  return xs.map((x) => {
    if (x instanceof Array) return x.dtype === r.dtype ? x : convertElementType(x, r.dtype, r.weakType)
    return constant(typeof x === "boolean" ? (x ? 1 : 0) : x, r.dtype, [], r.weakType)
  })
}

/** Give every non-scalar operand the same rank by inserting leading 1s (NumPy alignment). */
export const alignRanks = (xs: ReadonlyArray<Array>): Array[] => {
  let rank = 0
  for (const x of xs) rank = Math.max(rank, x.ndim)
  return xs.map((x) => (x.ndim === 0 || x.ndim === rank ? x : reshape(x, [...new globalThis.Array<number>(rank - x.ndim).fill(1), ...x.shape])))
}

/** Promote dtypes and align ranks: ready for an elementwise primitive. */
export const promote = (xs: ReadonlyArray<Operand>, atLeast?: "float"): Array[] => alignRanks(promoteDtypes(xs, atLeast))
