/** `np.spacing`: the distance to the next float away from zero, as JAX computes it. */
import type { Array } from "../array.js"
import { type Operand, promoteDtypes } from "./coerce.js"
import { copysign, nextafter } from "./math-extra.js"
import { equal, subtract, where } from "./math.js"

/**
 * `jnp.spacing(x)`: `nextafter(x, copysign(inf, x)) - x`, the gap to the next representable value
 * away from zero (the smallest subnormal, signed like x, where that difference is 0). Integers
 * become float32.
 *
 * @example
 * np.spacing(np.array([1, -1], { dtype: "float32" })) // [1.1920929e-07, -1.1920929e-07]
 */
export const spacing = (x: Operand): Array => {
  const [a] = promoteDtypes([x], "float") as [Array]
  const inf = copysign(Infinity, a).astype(a.dtype)
  const r = subtract(nextafter(a, inf), a)
  const tiny = a.dtype === "float64" ? 5e-324 : 1.401298464324817e-45
  return where(equal(r, 0), copysign(tiny, a).astype(a.dtype), r)
}
