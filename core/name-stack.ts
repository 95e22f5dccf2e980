/**
 * `namedScope` (JAX's `jax.named_scope`): names for parts of a program. While a scope is open, every
 * equation staged into a jaxpr records the scope path (`layer1/inner`), as JAX's name stack does;
 * `jaxpr.toString({ nameStack: true })` prints it after each equation, as JAX's
 * `pretty_print(name_stack=True)`. Eager evaluation is unaffected.
 */
import { ValueError } from "./errors.js"

const stack: Array<string> = []

/** The open scopes, outermost first, joined with "/" ("" outside any scope). */
export const currentNameStack = (): string => stack.join("/")

/**
 * Run `f` inside a named scope (JAX's `with jax.named_scope(name):`): equations it stages into a
 * jaxpr carry the scope path; scopes nest; `f`'s result is returned and the scope closes even if
 * `f` throws.
 *
 * @example
 * const f = (x: Array) => namedScope("layer1", () => np.sin(x).mul(2))
 * makeJaxpr(f)(np.array(1, { dtype: "float32" })).toString({ nameStack: true })
 * // { lambda ; a:f32[]. let
 * //     b:f32[] = sin a           # [layer1]
 * //     c:f32[] = mul b 2.0:f32[] # [layer1]
 * //   in (c,) }
 */
export const namedScope = <R>(name: string, f: () => R): R => {
  if (typeof name !== "string") throw new ValueError(`namedScope: the name must be a string, got ${typeof name} (JAX: TypeError).`)
  if (typeof f !== "function") throw new ValueError("namedScope: the second argument must be a function to run inside the scope.")
  stack.push(name)
  try {
    return f()
  } finally {
    stack.pop()
  }
}

/** `eqn` with the current name stack recorded (unchanged outside any scope). */
export const withNameStack = <E extends object>(eqn: E): E => (stack.length === 0 ? eqn : { ...eqn, nameStack: stack.join("/") })

/**
 * Run `f` with the name stack set to `path` (a recorded `nameStack`), restoring it after: the
 * backward pass stages each transposed equation under the scope its primal equation had.
 */
export const inNameStack = <R>(path: string | undefined, f: () => R): R => {
  if (path === undefined) return f()
  const saved = stack.splice(0, stack.length, ...(path === "" ? [] : path.split("/")))
  try {
    return f()
  } finally {
    stack.splice(0, stack.length, ...saved)
  }
}
