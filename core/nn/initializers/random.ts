/**
 * The plain random initializers of jax.nn.initializers, with JAX's defaults: `uniform(0.01)`
 * (values in [0, scale)), `normal(0.01)` and `truncatedNormal(0.01)` (a standard normal truncated
 * to [lower, upper] = [-2, 2], then scaled; no variance correction, as in JAX). Each is
 * `sampler(key) * scale` with the scale rounded to the dtype, so a key gives JAX's numbers.
 */
import { ValueError } from "../../errors.js"
import { checkOptions, optionKeys } from "../../options.js"
import * as random from "../../random/random.js"
import { floatDtype, type Initializer, type InitializerOptions, initShape, roundTo } from "./types.js"

const checkNumber = (what: string, name: string, v: unknown): number => {
  if (typeof v !== "number" || Number.isNaN(v)) throw new ValueError(`nn.initializers.${what}: ${name} must be a number, got ${String(v)}.`)
  return v
}

const dtypeKeys = optionKeys<InitializerOptions>()("dtype")

/**
 * Builds an initializer of uniform values in [0, scale) (default scale 0.01, as JAX).
 *
 * @example
 * nn.initializers.uniform(10)(random.key(42), [2, 3]) // values in [0, 10), JAX's for key 42
 */
export const uniform = (scale = 1e-2, options?: InitializerOptions): Initializer => {
  checkOptions("nn.initializers.uniform", options, dtypeKeys)
  checkNumber("uniform", "scale", scale)
  const dflt = options?.dtype ?? "float32"
  return (key, shape, dtype = dflt) => {
    const d = floatDtype("uniform", dtype)
    return random.uniform(key, initShape("uniform", shape), { dtype: d }).mul(roundTo(d, scale))
  }
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
  checkNumber("normal", "stddev", stddev)
  const dflt = options?.dtype ?? "float32"
  return (key, shape, dtype = dflt) => {
    const d = floatDtype("normal", dtype)
    return random.normal(key, initShape("normal", shape), d).mul(roundTo(d, stddev))
  }
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
  checkNumber("truncatedNormal", "stddev", stddev)
  const lower = checkNumber("truncatedNormal", "lower", options?.lower ?? -2)
  const upper = checkNumber("truncatedNormal", "upper", options?.upper ?? 2)
  const dflt = options?.dtype ?? "float32"
  return (key, shape, dtype = dflt) => {
    const d = floatDtype("truncatedNormal", dtype)
    return random.truncatedNormal(key, lower, upper, initShape("truncatedNormal", shape), d).mul(roundTo(d, stddev))
  }
}
