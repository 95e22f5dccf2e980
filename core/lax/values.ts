/**
 * Small lax functions about values rather than computations: `lax.dtype` (the canonical dtype of a
 * value), `lax.stage` (lift a value into the current trace) and `lax.shapeAsValue` (a shape as an
 * int32 array).
 */
import { Array } from "../array.js"
import { DTypeError } from "../errors.js"
import { type DTypeName, isDTypeName } from "../dtypes/names.js"
import { resultType } from "../dtypes/lattice.js"
import { asArray, type ArrayLike } from "../numpy/coerce.js"
import { array } from "../numpy/creation.js"
import { checkIntList, describe } from "../shape.js"

/**
 * `lax.dtype(x)`: the canonical dtype of a value, as JAX's `lax.dtype`: an array's own dtype, int32
 * for a JS integer, float32 for another JS number, bool for a boolean, and a dtype name as it is
 * with x64 off (`"float64"` gives `"float32"`). Anything else (a nested list) is refused, as in JAX.
 *
 * @example
 * lax.dtype(1)                      // "int32"
 * lax.dtype(2.5)                    // "float32"
 * lax.dtype(np.ones([2], { dtype: "int8" })) // "int8"
 */
export const dtype = (x: Array | number | boolean | DTypeName): DTypeName => {
  if (x instanceof Array) return x.dtype
  if (typeof x === "number" || typeof x === "boolean") return resultType(x)
  if (isDTypeName(x)) return resultType(x)
  throw new DTypeError(`lax.dtype: cannot determine the dtype of ${describe(x)}; give an Array, a JS number or boolean, or a dtype name.`)
}

/**
 * `lax.stage(x)`: the identity that lifts a value (a JS number, nested list or TypedArray) into
 * the active trace; outside any transformation it returns an Array.
 *
 * @example
 * lax.stage(3).dtype // "int32"
 */
export const stage = (x: ArrayLike): Array => asArray(x)

/**
 * `lax.shape_as_value(shape)`: a shape as a 1-D int32 array (jaxfx shapes are always concrete).
 *
 * @example
 * lax.shapeAsValue([2, 3]) // Array([2, 3], dtype=int32)
 */
export const shapeAsValue = (shape: ReadonlyArray<number>): Array => {
  const s = checkIntList(shape, "lax.shapeAsValue: shape", { min: 0 })
  return array(s.length === 0 ? new Int32Array(0) : s, { dtype: "int32" })
}
