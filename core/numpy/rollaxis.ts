/** `np.rollaxis`, NumPy's older spelling of `moveaxis` with its own `start` convention. */
import type { Array } from "../array.js"
import { ValueError } from "../errors.js"
import { normalizeAxis } from "../shape.js"
import { type ArrayLike, asArray } from "./coerce.js"
import { moveaxis } from "./shape.js"

/**
 * `jnp.rollaxis(a, axis, start=0)`: move `axis` so that it lies before the axis now at `start`
 * (`start` may be `ndim`: to the end).
 *
 * @example
 * np.rollaxis(np.zeros([2, 3, 4]), 2).shape // [4, 2, 3]
 */
export const rollaxis = (a: ArrayLike, axis: number, start = 0): Array => {
  const x = asArray(a)
  const n = x.ndim
  const ax = normalizeAxis(axis, n)
  if (!Number.isInteger(start) || start < -n || start > n) throw new ValueError(`np.rollaxis: start=${start} must be an integer in [${-n}, ${n}].`)
  let s = start < 0 ? start + n : start
  if (s > ax) s -= 1
  return moveaxis(x, ax, s)
}
