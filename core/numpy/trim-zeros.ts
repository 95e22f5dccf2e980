/** `np.trimZeros`: value-dependent trimming, so (as in JAX) only for concrete arrays. */
import type { Array } from "../array.js"
import { ConcretizationError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { normalizeAxis } from "../shape.js"
import { type ArrayLike, asArray } from "./coerce.js"
import { truthy } from "./concrete.js"
import { sliceInDim } from "../lax/slicing.js"
import { any } from "./reductions.js"

export interface TrimZerosOptions {
  /** Which zeros to trim: "f" (front), "b" (back) or "fb" (both, the default). */
  readonly trim?: "f" | "b" | "fb" | "bf"
  /** The axis or axes to trim along (default: all). */
  readonly axis?: number | ReadonlyArray<number>
}
const TRIM_ZEROS_KEYS = optionKeys<TrimZerosOptions>()("trim", "axis")

/**
 * `jnp.trim_zeros(filt, trim='fb', axis=None)`: drop the leading and/or trailing slices that are
 * all zero along each axis. The result's shape depends on the values, so `filt` must be concrete
 * (not traced by jit or vmap), as JAX requires.
 *
 * @example
 * np.trimZeros(np.array([0, 0, 1, 2, 0])) // [1, 2]
 */
export const trimZeros = (filt: ArrayLike, options?: TrimZerosOptions): Array => {
  checkOptions("np.trimZeros", options, TRIM_ZEROS_KEYS)
  const trim = options?.trim ?? "fb"
  if (!["f", "b", "fb", "bf"].includes(trim)) throw new ValueError(`np.trimZeros: trim must be "f", "b" or "fb", got ${JSON.stringify(trim)}.`)
  let x = asArray(filt)
  const axes =
    options?.axis === undefined
      ? x.shape.map((_, i) => i)
      : (typeof options.axis === "number" ? [options.axis] : options.axis).map((a) => normalizeAxis(a, x.ndim))
  const nz = truthy(x)
  const bounds: globalThis.Array<[number, number]> = []
  for (const ax of axes) {
    const others = x.shape.map((_, i) => i).filter((i) => i !== ax)
    let mask: number[]
    try {
      mask = globalThis.Array.from(any(nz, { axis: others }).data(), Number)
    } catch (e) {
      if (e instanceof ConcretizationError)
        throw new ConcretizationError(`np.trimZeros: the result's shape depends on the values of a traced array; call it outside jit and vmap.`)
      throw e
    }
    const first = mask.findIndex((m) => m !== 0)
    if (first < 0) {
      bounds.push([0, 0])
      continue
    }
    const last = mask.length - 1 - [...mask].reverse().findIndex((m) => m !== 0)
    bounds.push([trim.includes("f") ? first : 0, trim.includes("b") ? last + 1 : mask.length])
  }
  axes.forEach((ax, k) => {
    x = sliceInDim(x, bounds[k]![0], bounds[k]![1], 1, ax)
  })
  return x
}
