/** Small helpers shared by the primitive definitions. */
import { type Array, ShapedArray } from "../array.js"
import { allocTyped, castScalar, type DType, isComplex, isHalf, toTypedArray } from "../dtype.js"
import { fromHost } from "../trace.js"
import { Zero } from "../primitive.js"

/** A weakly typed scalar constant of `x`'s dtype: broadcasts against `x` in elementwise primitives. */
export const constLike = (x: { readonly dtype: DType }, value: number): Array => constant(value, x.dtype, [], true)

/** A concrete array filled with one value (`value + imag·i` for a complex dtype). */
export const constant = (value: number, dtype: DType, shape: ReadonlyArray<number> = [], weakType = false, imag = 0): Array => {
  let n = 1
  for (const d of shape) n *= d
  const data = allocTyped(dtype, n)
  if (isComplex(dtype)) {
    // Interleaved (re, im) pairs.
    const re = castScalar(value, dtype)
    const im = castScalar(imag, dtype)
    if (!Object.is(re, 0) || !Object.is(im, 0)) for (let i = 0; i < 2 * n; i += 2) ((data[i] = re), (data[i + 1] = im))
    return fromHost(data, new ShapedArray(shape, dtype, weakType))
  }
  // float16 / bfloat16 are stored as 16-bit words: fill with the word of the value.
  const v = isHalf(dtype) ? toTypedArray([value], dtype)[0]! : castScalar(value, dtype)
  if (!Object.is(v, 0)) data.fill(v)
  return fromHost(data, new ShapedArray(shape, dtype, weakType))
}

/** Materialize a symbolic zero. */
export const instantiate = (t: Array | Zero): Array => (t instanceof Zero ? constant(0, t.aval.dtype, t.aval.shape, t.aval.weakType) : t)

/** Zero tangent/cotangent for an abstract value (symbolic). */
export const zeroOf = (x: { readonly aval: ShapedArray }): Zero => new Zero(x.aval)

export const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i)
