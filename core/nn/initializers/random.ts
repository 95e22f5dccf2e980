/**
 * The plain random initializers of jax.nn.initializers, with JAX's defaults: `uniform(0.01)`
 * (values in [0, scale)), `normal(0.01)` and `truncatedNormal(0.01)` (a standard normal truncated
 * to [lower, upper] = [-2, 2], then scaled; no variance correction, as in JAX). Each is
 * `sampler(key) * scale` with the scale rounded to the dtype, so a key gives JAX's numbers.
 */
import type { Array } from "../../array.js"
import { ValueError } from "../../errors.js"
import { checkOptions, optionKeys } from "../../options.js"
import type { KeyArray } from "../../random/keys.js"
import * as random from "../../random/random.js"
import { floatDtype, type Initializer, type InitializerOptions, initShape, roundTo } from "./types.js"

const checkNumber = (what: string, name: string, v: unknown): number => {
  if (typeof v !== "number" || Number.isNaN(v)) throw new ValueError(`nn.initializers.${what}: ${name} must be a number, got ${String(v)}.`)
  return v
}

const dtypeKeys = optionKeys<InitializerOptions>()("dtype")

/** `draw(key, shape, dtype) * scale`, the scale rounded to the dtype as JAX's `jnp.array(scale, dtype)`. */
const scaledDraw = (
  what: string,
  scale: number,
  options: InitializerOptions | undefined,
  draw: (key: KeyArray, shape: number[], dtype: "float32" | "float64") => Array
): Initializer => {
  checkNumber(what, what === "uniform" ? "scale" : "stddev", scale)
  const dflt = options?.dtype ?? "float32"
  return (key, shape, dtype = dflt) => {
    const d = floatDtype(what, dtype)
    return draw(key, initShape(what, shape), d).mul(roundTo(d, scale))
  }
}

/**
 * Builds an initializer of uniform values in [0, scale) (default scale 0.01, as JAX).
 *
 * @example
 * nn.initializers.uniform(10)(random.key(42), [2, 3]) // values in [0, 10), JAX's for key 42
 */
export const uniform = (scale = 1e-2, options?: InitializerOptions): Initializer => {
  checkOptions("nn.initializers.uniform", options, dtypeKeys)
  return scaledDraw("uniform", scale, options, (key, shape, d) => random.uniform(key, shape, { dtype: d }))
}

/**
 * Builds an initializer of normal values with mean 0 and standard deviation `stddev` (default
 * 0.01, as JAX).
 *
 * @example
 * nn.initializers.normal(5)(random.key(42), [2, 3]) // JAX's normal(5) sample for key 42
 */
export const normal = (stddev = 1e-2, options?: InitializerOptions): Initializer => {
  checkOptions("nn.initializers.normal", options, dtypeKeys)
  return scaledDraw("normal", stddev, options, (key, shape, d) => random.normal(key, shape, d))
}

export interface TruncatedNormalOptions extends InitializerOptions {
  /** Lower truncation bound, in standard deviations (default -2). */
  readonly lower?: number | undefined
  /** Upper truncation bound, in standard deviations (default 2). */
  readonly upper?: number | undefined
}

const truncatedKeys = optionKeys<TruncatedNormalOptions>()("dtype", "lower", "upper")

/**
 * Builds an initializer of normal values truncated to [lower, upper] standard deviations (default
 * [-2, 2]), then scaled by `stddev` (default 0.01). As in JAX, `stddev` is the standard deviation
 * of the untruncated distribution (the variance-scaling initializers correct for the truncation).
 *
 * @example
 * nn.initializers.truncatedNormal(5)(random.key(42), [2, 3]) // JAX's truncated_normal(5) sample
 */
export const truncatedNormal = (stddev = 1e-2, options?: TruncatedNormalOptions): Initializer => {
  checkOptions("nn.initializers.truncatedNormal", options, truncatedKeys)
  const lower = checkNumber("truncatedNormal", "lower", options?.lower ?? -2)
  const upper = checkNumber("truncatedNormal", "upper", options?.upper ?? 2)
  return scaledDraw("truncatedNormal", stddev, options, (key, shape, d) => random.truncatedNormal(key, lower, upper, shape, d))
}
