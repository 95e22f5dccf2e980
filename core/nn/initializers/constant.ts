/**
 * The constant initializers of jax.nn.initializers: `zeros`, `ones` and `constant(value)`. Like
 * every initializer they take `(key, shape, dtype?)`; these ignore the key.
 */
import type { Array } from "../../array.js"
import type { DType } from "../../dtype.js"
import { ValueError } from "../../errors.js"
import { full } from "../../numpy/creation.js"
import { checkOptions, optionKeys } from "../../options.js"
import type { KeyArray } from "../../random/keys.js"
import { type Initializer, type InitializerOptions, initShape } from "./types.js"

/**
 * An initializer of zeros (the key is ignored); dtype default float32.
 *
 * @example
 * nn.initializers.zeros(random.key(0), [2, 3]) // Array([[0., 0., 0.], [0., 0., 0.]], dtype=float32)
 */
export const zeros = (_key: KeyArray, shape: ReadonlyArray<number> | number, dtype: DType = "float32"): Array => full(initShape("zeros", shape), 0, { dtype })

/**
 * An initializer of ones (the key is ignored); dtype default float32.
 *
 * @example
 * nn.initializers.ones(random.key(0), [3]) // Array([1., 1., 1.], dtype=float32)
 */
export const ones = (_key: KeyArray, shape: ReadonlyArray<number> | number, dtype: DType = "float32"): Array => full(initShape("ones", shape), 1, { dtype })

const constantKeys = optionKeys<InitializerOptions>()("dtype")

/**
 * Builds an initializer that fills arrays with `value` (the key is ignored).
 *
 * @example
 * nn.initializers.constant(-7)(random.key(0), [2, 3]) // Array([[-7., -7., -7.], [-7., -7., -7.]], dtype=float32)
 */
export const constant = (value: number, options?: InitializerOptions): Initializer => {
  checkOptions("nn.initializers.constant", options, constantKeys)
  if (typeof value !== "number") throw new ValueError(`nn.initializers.constant: value must be a number, got ${typeof value}.`)
  const dflt = options?.dtype ?? "float32"
  return (_key, shape, dtype = dflt) => full(initShape("constant", shape), value, { dtype })
}
