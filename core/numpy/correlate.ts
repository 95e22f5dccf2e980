/**
 * `np.correlate`: the cross-correlation of two 1-D arrays (JAX's `jnp.correlate`), one
 * `lax.convGeneralDilated` over the operands viewed as [1, 1, n], so grad, vmap and jit see the
 * convolution primitive.
 */
import { Array } from "../array.js"
import { ShapeError, ValueError } from "../errors.js"
import { checkOneOf, checkOptions, optionKeys } from "../options.js"
import { convGeneralDilated } from "../lax/conv.js"
import { reshape, rev } from "../primitives/shape-ops.js"
import { showShape } from "../shape.js"
import { type ArrayLike, asArray, promoteDtypes } from "./coerce.js"
import type { ConvolveMode } from "./convolve.js"

export interface CorrelateOptions {
  /**
   * "valid" (default): only where the operands overlap completely, length `|n - m| + 1`;
   * "same": the centered part of "full" with the length of the longer operand;
   * "full": every point where the operands overlap, length `n + m - 1`.
   */
  readonly mode?: ConvolveMode
}

/**
 * `jnp.correlate(a, v, mode)`: `out[k] = sum_n a[n + k] * v[n]` for 1-D `a` and `v` (`v` is not
 * flipped, unlike `convolve`; mode "valid" by default, as in NumPy). The operands are promoted to
 * a common float dtype; when `v` is longer than `a` they are swapped and the result reversed, as
 * in NumPy.
 *
 * @example
 * np.correlate(np.array([1, 2, 3]), np.array([0, 1, 0.5]))                    // Array([3.5], dtype=float32)
 * np.correlate(np.array([1, 2, 3]), np.array([0, 1, 0.5]), { mode: "full" })  // Array([0.5, 2. , 3.5, 3. , 0. ], dtype=float32)
 */
export const correlate = (a: ArrayLike, v: ArrayLike, options?: CorrelateOptions): Array => {
  checkOptions("np.correlate", options, optionKeys<CorrelateOptions>()("mode"))
  const mode = options?.mode ?? "valid"
  checkOneOf("np.correlate", "mode", mode, ["valid", "same", "full"])
  const [x0, y0] = promoteDtypes([a instanceof Array ? a : asArray(a), v instanceof Array ? v : asArray(v)], "float")
  if (x0!.ndim !== 1 || y0!.ndim !== 1) {
    throw new ShapeError(
      `np.correlate takes 1-D arrays, got shapes ${showShape(x0!.shape)} and ${showShape(y0!.shape)}; reshape them to 1-D, or vmap np.correlate over the leading axes.`
    )
  }
  if (x0!.size === 0 || y0!.size === 0) {
    throw new ValueError(`np.correlate: inputs cannot be empty, got shapes ${showShape(x0!.shape)} and ${showShape(y0!.shape)}.`)
  }
  const swapped = x0!.shape[0]! < y0!.shape[0]!
  const [x, y] = swapped ? [y0!, x0!] : [x0!, y0!]
  const m = y.shape[0]!
  const padding: [number, number] = mode === "valid" ? [0, 0] : mode === "same" ? [Math.floor(m / 2), m - Math.floor(m / 2) - 1] : [m - 1, m - 1]
  const out = convGeneralDilated(reshape(x, [1, 1, x.shape[0]!]), reshape(y, [1, 1, m]), [1], [padding])
  const flat = reshape(out, [out.shape[2]!])
  return swapped ? rev(flat, [0]) : flat
}
