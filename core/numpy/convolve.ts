/**
 * `np.convolve`: the discrete convolution of two 1-D arrays (JAX's `jnp.convolve`). Built from
 * primitives (pad, a gather of sliding windows, dot_general), so grad, vmap and jit see only
 * primitives: the gradient flows to both operands and `vmap` batches either or both of them.
 */
import { Array } from "../array.js"
import { ShapeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { constant } from "../primitives/common.js"
import { dotGeneral } from "../primitives/dot.js"
import { add } from "../primitives/elementwise.js"
import { gather } from "../primitives/indexing.js"
import { iota, pad, rev } from "../primitives/shape-ops.js"
import { showShape } from "../shape.js"
import { type ArrayLike, asArray, promoteDtypes } from "./coerce.js"

/** How much of the full convolution to return. */
export type ConvolveMode = "full" | "same" | "valid"

export interface ConvolveOptions {
  /**
   * "full" (default): every point where the operands overlap, length `n + m - 1`;
   * "same": the centered part of "full" with the length of the longer operand;
   * "valid": only the points where the operands overlap completely, length `|n - m| + 1`.
   */
  readonly mode?: ConvolveMode
}

/**
 * `jnp.convolve(a, v, mode)`: `out[k] = sum_j a[j] * v[k - j]` for 1-D `a` and `v` (`v` is
 * flipped, unlike `correlate`). The operands are promoted to a common float dtype (integers give
 * float32); when `v` is longer than `a` they are swapped, as in NumPy, so the result is symmetric.
 *
 * @example
 * np.convolve(np.array([1, 2, 3]), np.array([0, 1, 0.5]))                     // Array([0. , 1. , 2.5, 4. , 1.5], dtype=float32)
 * np.convolve(np.array([1, 2, 3]), np.array([0, 1, 0.5]), { mode: "same" })   // Array([1. , 2.5, 4. ], dtype=float32)
 * np.convolve(np.array([1, 2, 3]), np.array([0, 1, 0.5]), { mode: "valid" })  // Array([2.5], dtype=float32)
 */
export const convolve = (a: ArrayLike, v: ArrayLike, options?: ConvolveOptions): Array => {
  checkOptions("np.convolve", options, optionKeys<ConvolveOptions>()("mode"))
  const mode = options?.mode ?? "full"
  if (mode !== "full" && mode !== "same" && mode !== "valid") {
    throw new ValueError(`np.convolve: unknown mode ${JSON.stringify(mode)}; use "full", "same" or "valid".`)
  }
  const [x0, y0] = promoteDtypes([a instanceof Array ? a : asArray(a), v instanceof Array ? v : asArray(v)], "float")
  if (x0!.ndim !== 1 || y0!.ndim !== 1) {
    throw new ShapeError(
      `np.convolve takes 1-D arrays, got shapes ${showShape(x0!.shape)} and ${showShape(y0!.shape)}; ` +
        "reshape them to 1-D, or vmap np.convolve over the leading axes."
    )
  }
  if (x0!.size === 0 || y0!.size === 0) {
    throw new ValueError(`np.convolve: inputs cannot be empty, got shapes ${showShape(x0!.shape)} and ${showShape(y0!.shape)}.`)
  }
  // The longer operand slides under the (flipped) shorter one.
  const [x, y] = x0!.shape[0]! >= y0!.shape[0]! ? [x0!, y0!] : [y0!, x0!]
  const n = x.shape[0]!
  const m = y.shape[0]!
  const [lo, hi] = mode === "full" ? [m - 1, m - 1] : mode === "same" ? [Math.floor(m / 2), m - Math.floor(m / 2) - 1] : [0, 0]
  const padded = pad(x, constant(0, x.dtype), [[lo, hi, 0]])
  const outLen = n + lo + hi - m + 1
  // windows[i, k] = padded[i + k]: one gather of every window, then one contraction with flip(y).
  const idx = add(iota("int32", [outLen, m], 0), iota("int32", [outLen, m], 1))
  const windows = gather(padded, idx, 0)
  return dotGeneral(windows, rev(y, [0]), { contracting: [[1], [0]], batch: [[], []] })
}
