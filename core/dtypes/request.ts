/**
 * A dtype as a user requests it (np.zeros's `dtype`, `astype`): checked, and canonicalized as JAX
 * does with the x64 switch (core/dtypes/x64.ts).
 */
import { checkDType, type DType } from "../dtype.js"
import { DTypeError } from "../errors.js"
import { requestDType, x64Enabled } from "./x64.js"

/**
 * A dtype a user may ask for: jaxfx's dtypes and JAX's 64-bit integer names, which are narrowed to
 * int32 / uint32 with x64 off (as JAX does) and refused with x64 on (jaxfx stores no 64-bit integers).
 */
export type DTypeRequest = DType | "int64" | "uint64"

/**
 * A requested dtype checked and canonicalized as JAX's `dtypes.check_user_dtype` +
 * `canonicalize_dtype` do: unknown names are a DTypeError; with x64 off, float64 / complex128 /
 * int64 / uint64 give their 32-bit types with JAX's warning (naming `fn`, e.g. "zeros"); with x64
 * on, int64 / uint64 are a DTypeError (jaxfx has no 64-bit integer arrays).
 *
 * @example
 * requestUserDType("int64", "np.zeros", "zeros") // "int32" (x64 off), after a UserWarning
 */
export const requestUserDType = (d: unknown, what: string, fn: string): DType => {
  if (d === "int64" || d === "uint64") {
    if (x64Enabled()) {
      throw new DTypeError(
        `${what}: ${d} is not offered with jax_enable_x64 on: jaxfx has no 64-bit integer arrays; use int32 or uint32 ` +
          "(with jax_enable_x64 off, the default, an int64 / uint64 request gives int32 / uint32 as in JAX)."
      )
    }
    return requestDType(d, fn) as DType
  }
  return requestDType(checkDType(d, what), fn)
}
