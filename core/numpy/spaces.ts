/**
 * Log- and geometrically spaced samples (`logspace`, `geomspace`), computed as JAX does: powers of
 * a `linspace` in the inexact dtype, then converted to the requested dtype.
 */
import type { Array } from "../array.js"
import { checkOptions, optionKeys } from "../options.js"
import type { DType } from "../dtype.js"
import { type Operand, promoteDtypes } from "./coerce.js"
import { linspace } from "./creation.js"
import { divide, log10, multiply, power, sign } from "./math.js"
import { moveaxis } from "./shape.js"

export interface LogspaceOptions {
  /** Include `stop` as the last sample (default true). */
  readonly endpoint?: boolean
  /** The base of the powers (default 10). */
  readonly base?: number
  /** The dtype of the result (default: the inexact type of start and stop). */
  readonly dtype?: DType
  /** The axis of the result along which samples are stored, for array bounds (default 0). */
  readonly axis?: number
}
const LOGSPACE_KEYS = optionKeys<LogspaceOptions>()("endpoint", "base", "dtype", "axis")

export interface GeomspaceOptions {
  /** Include `stop` as the last sample (default true). */
  readonly endpoint?: boolean
  /** The dtype of the result (default: the inexact type of start and stop). */
  readonly dtype?: DType
  /** The axis of the result along which samples are stored, for array bounds (default 0). */
  readonly axis?: number
}
const GEOMSPACE_KEYS = optionKeys<GeomspaceOptions>()("endpoint", "dtype", "axis")

const inexactDtype = (d: DType): DType => (d === "float32" || d === "float64" ? d : "float32")

/** start and stop in the computation dtype, and the result dtype. */
const bounds = (start: Operand, stop: Operand, dtype: DType | undefined): [Array, Array, DType] => {
  const [a, b] = promoteDtypes([start, stop], "float") as [Array, Array]
  const out = dtype ?? a.dtype
  const comp = inexactDtype(out)
  return [a.astype(comp), b.astype(comp), out]
}

/**
 * `jnp.logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0)`:
 * `base ** np.linspace(start, stop, num)`. Differentiable in start and stop.
 *
 * @example
 * np.logspace(0, 2, 3) // [1, 10, 100]
 */
export const logspace = (start: Operand, stop: Operand, num = 50, options?: LogspaceOptions): Array => {
  checkOptions("np.logspace", options, LOGSPACE_KEYS)
  const [a, b, out] = bounds(start, stop, options?.dtype)
  const lin = linspace(a, b, num, { endpoint: options?.endpoint ?? true, axis: options?.axis ?? 0 })
  return power(options?.base ?? 10, lin).astype(out)
}

/**
 * `jnp.geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0)`: `num` samples in
 * geometric progression from start to stop (of one sign). Differentiable in start and stop.
 *
 * @example
 * np.geomspace(1, 1000, 4) // [1, 10, 100, 1000]
 */
export const geomspace = (start: Operand, stop: Operand, num = 50, options?: GeomspaceOptions): Array => {
  checkOptions("np.geomspace", options, GEOMSPACE_KEYS)
  const [a, b, out] = bounds(start, stop, options?.dtype)
  const s = sign(a)
  const lin = linspace(log10(divide(a, s)), log10(divide(b, s)), num, { endpoint: options?.endpoint ?? true })
  const res = multiply(s, power(10, lin))
  const axis = options?.axis ?? 0
  return (axis === 0 ? res : moveaxis(res, 0, axis)).astype(out)
}
