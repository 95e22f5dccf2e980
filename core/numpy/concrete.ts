/**
 * Internal helpers of np's value-dependent functions (searching, sets): reading a count that sizes
 * an output, with a hint about JAX's static `size` when the array is traced.
 */
import type { Array } from "../array.js"
import { ConcretizationError } from "../errors.js"
import { constant } from "../primitives/common.js"
import { ne } from "../primitives/elementwise.js"

/** A count that sizes an output: read from a concrete array, with a hint about `size` when traced. */
export const concreteCount = (x: Array, fn: string): number => {
  try {
    return x.item()
  } catch (e) {
    if (e instanceof ConcretizationError) {
      throw new ConcretizationError(
        `${fn}: the size of the result depends on the values of a traced array (${x.aval.str()}); under jit or vmap ` +
          `pass a static { size } (and optionally fillValue), e.g. ${fn}(x, { size: 10 }).`
      )
    }
    throw e
  }
}

/** `x != 0` (bools as they are). */
export const truthy = (x: Array): Array => (x.dtype === "bool" ? x : ne(x, constant(0, x.dtype, [], true)))
