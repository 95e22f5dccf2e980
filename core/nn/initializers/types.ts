/**
 * What every initializer shares: the `Initializer` type `(key, shape, dtype?) => Array`, the
 * `{ dtype }` option that sets an initializer's default dtype, and the checks of the arguments.
 */
import type { Array } from "../../array.js"
import { type DType, isFloat } from "../../dtype.js"
import { DTypeError } from "../../errors.js"
import type { KeyArray } from "../../random/keys.js"
import { checkShape } from "../../shape.js"

/**
 * An initializer (JAX's `jax.nn.initializers.Initializer`): makes an array of `shape` and `dtype`
 * (default: the initializer's, float32 unless set) from a PRNG key.
 */
export type Initializer = (key: KeyArray, shape: ReadonlyArray<number> | number, dtype?: DType) => Array

export interface InitializerOptions {
  /** The dtype the initializer makes when its caller gives none (default float32). */
  readonly dtype?: DType | undefined
}

/** A shape argument as a checked list of sizes. */
export const initShape = (what: string, shape: ReadonlyArray<number> | number): number[] =>
  checkShape(typeof shape === "number" ? [shape] : shape, `nn.initializers.${what}: shape`)

/** The dtype of a random initializer, which must be a float. */
export const floatDtype = (what: string, dtype: DType): "float32" | "float64" => {
  if (!isFloat(dtype)) throw new DTypeError(`nn.initializers.${what}: dtype must be float32 or float64, got ${dtype}.`)
  return dtype as "float32" | "float64"
}

/** A host number rounded as `jnp.array(v, dtype)` rounds it. */
export const roundTo = (dtype: "float32" | "float64", v: number): number => (dtype === "float32" ? Math.fround(v) : v)
