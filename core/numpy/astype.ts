/** `np.astype` (`jnp.astype`, the Array API's function form of `x.astype`). */
import type { Array } from "../array.js"
import { type DTypeRequest, requestUserDType } from "../dtypes/request.js"
import { warnComplexToReal } from "../dtypes/x64.js"
import { convertElementType } from "../primitives/elementwise.js"
import { type ArrayLike, asArray } from "./coerce.js"

/**
 * `np.astype(x, dtype)`: `x` converted to `dtype` as `convert_element_type` does (floats to
 * integers truncate toward zero and saturate, NaN gives 0; integers wrap; float16 and bfloat16
 * round to nearest even). With x64 off a float64 request gives float32 and int64 int32, as in JAX.
 *
 * @example
 * np.astype(np.array([1.7, -300]), "int8") // Array([   1, -128], dtype=int8)
 */
export const astype = (x: ArrayLike, dtype: DTypeRequest): Array => {
  const a = asArray(x)
  const to = requestUserDType(dtype, "np.astype", "astype")
  warnComplexToReal(a.dtype, to)
  return convertElementType(a, to, false)
}
