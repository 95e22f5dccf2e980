/** Small helpers shared by the primitive definitions. */
import { type Array, ShapedArray } from "../array.js"
import { allocTyped, castScalar, type DType, isHalf, toTypedArray } from "../dtype.js"
import { fromHost } from "../trace.js"
import { Zero } from "../primitive.js"

/** A weakly typed scalar constant of `x`'s dtype: broadcasts against `x` in elementwise primitives. */
export const constLike = (x: { readonly dtype: DType }, value: number): Array => constant(value, x.dtype, [], true)

/** A concrete array filled with one value. */
export const constant = (value: number, dtype: DType, shape: ReadonlyArray<number> = [], weakType = false): Array => {
  let n = 1
  for (const d of shape) n *= d
  const data = allocTyped(dtype, n)
  // float16 / bfloat16 are stored as 16-bit words: fill with the word of the value.
  const v = isHalf(dtype) ? toTypedArray([value], dtype)[0]! : castScalar(value, dtype)
  if (!Object.is(v, 0)) data.fill(v)
  return fromHost(data, new ShapedArray(shape, dtype, weakType))
}

/** Materialize a symbolic zero. */
export const instantiate = (t: Array | Zero): Array =>
  t instanceof Zero ? constant(0, t.aval.dtype, t.aval.shape, t.aval.weakType) : t

/** Zero tangent/cotangent for an abstract value (symbolic). */
export const zeroOf = (x: { readonly aval: ShapedArray }): Zero => new Zero(x.aval)

export const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i)
