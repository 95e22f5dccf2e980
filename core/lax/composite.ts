/**
 * `lax.composite`: an operation defined by its decomposition and known by a name, as JAX's
 * `lax.composite`. A compiler may recognize the name; jaxfx runs the decomposition, staged as one
 * named call (a `jit` equation named `<name>.v<version>` in the jaxpr), so values, gradients and
 * batching are the decomposition's.
 */
import { ValueError } from "../errors.js"
import { describe } from "../shape.js"
import { jit, type Jitted } from "../transforms/jit.js"

/**
 * `lax.composite(decomposition, name, version)`: a function with the semantics of `decomposition`,
 * recorded as one call named after the composite (`name` and `version`, as JAX keeps them).
 *
 * @example
 * const tangent = lax.composite((x: Array) => np.sin(x).div(np.cos(x)), "my.tangent")
 * tangent(np.array([0, 0.5], { dtype: "float32" })) // Array([0.        , 0.54630244], dtype=float32)
 */
export const composite = <Args extends ReadonlyArray<unknown>, R>(decomposition: (...args: Args) => R, name: string, version = 0): Jitted<Args, R> => {
  if (typeof decomposition !== "function") throw new ValueError(`lax.composite: the decomposition must be a function, got ${describe(decomposition)}.`)
  if (typeof name !== "string" || name.length === 0) throw new ValueError(`lax.composite: name must be a non-empty string, got ${describe(name)}.`)
  if (!Number.isInteger(version) || version < 0) throw new ValueError(`lax.composite: version must be a non-negative integer, got ${describe(version)}.`)
  return jit(decomposition, { name: `${name}.v${version}` })
}
