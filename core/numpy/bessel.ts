/** `np.i0`: jax.numpy's modified Bessel function of order 0 (the same as `scipy.special.i0`). */
import type { Array } from "../array.js"
import { i0 as specialI0 } from "../scipy/special/bessel.js"
import type { Operand } from "./coerce.js"

/**
 * `jnp.i0(x)`: the modified Bessel function of the first kind of order 0, `exp(|x|) * i0e(x)`,
 * in x's float dtype (integers become float32). Differentiable (its derivative is I1).
 *
 * @example
 * np.i0(np.array([0, 1, -2])) // [1.0000001, 1.266066, 2.2795851]
 */
export const i0 = (x: Operand): Array => specialI0(x)
