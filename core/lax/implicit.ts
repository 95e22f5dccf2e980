/**
 * `lax.customRoot` and `lax.customLinearSolve`: solvers whose derivatives come from the implicit
 * function theorem instead of from differentiating the solver's iterations (JAX's semantics).
 *
 * The solution x* is computed without derivatives (stopGradient). Its derivative is then attached
 * by a term whose value is exactly zero and whose derivative is the implicit one: for a root of f,
 * `x* + (d - stopGradient(d))` with `d = -tangentSolve(∂f/∂x at x*, f(x*))`, so
 * `dx = -(∂f/∂x)^-1 (∂f/∂θ dθ)`; for a linear solve, `d = solve(matvec, b - matvec(x*))`, so
 * `dx = A^-1 (db - dA x*)`. Because f and matvec are evaluated in the caller's trace, derivatives
 * with respect to the values they close over (θ, A) flow as in JAX's closure-converted version.
 * With `transposeSolve` (or `symmetric`), reverse mode applies A^-T through it instead of
 * transposing `solve` (which may be an iterative loop that cannot be transposed), as in JAX.
 */
import type { Array } from "../array.js"
import { ValueError } from "../errors.js"
import { evalJaxpr } from "../ir.js"
import { traceToJaxpr } from "../interpreters/stage.js"
import { checkOptions, optionKeys } from "../options.js"
import { add, stopGradient, sub } from "../primitives/elementwise.js"
import { jvp, vjp } from "../transforms/autodiff.js"
import { customVjp } from "../transforms/custom.js"

export interface CustomRootOptions {
  /** `solve` returns `[x, aux]`; the result is then `[x, aux]` with aux not differentiated (default false). */
  readonly hasAux?: boolean | undefined
}
const ROOT_KEYS = optionKeys<CustomRootOptions>()("hasAux")

export interface CustomLinearSolveOptions {
  /** `transposeSolve(vecmat, b)` solves the transposed system; used by reverse mode. */
  readonly transposeSolve?: ((vecmat: (x: Array) => Array, b: Array) => Array) | undefined
  /** The matrix is symmetric: `solve` also solves the transposed system (default false). */
  readonly symmetric?: boolean | undefined
  /** `solve` returns `[x, aux]`; the result is then `[x, aux]` with aux not differentiated (default false). */
  readonly hasAux?: boolean | undefined
}
const SOLVE_KEYS = optionKeys<CustomLinearSolveOptions>()("transposeSolve", "symmetric", "hasAux")

type Solved = Array | readonly [Array, unknown]

const split = (caller: string, out: Solved, hasAux: boolean): [Array, unknown] => {
  if (!hasAux) return [out as Array, undefined]
  if (!globalThis.Array.isArray(out) || out.length !== 2) throw new ValueError(`${caller}: with hasAux, solve must return [x, aux].`)
  return [out[0] as Array, out[1]]
}

/** `d` with value zero and derivative `d`'s: `d - stopGradient(d)`. */
const derivativeOnly = (d: Array): Array => sub(d, stopGradient(d))

/**
 * `lax.custom_root(f, initialGuess, solve, tangentSolve)`: `solve(f, initialGuess)` finds x with
 * f(x) = 0; derivatives (with respect to what f closes over) come from the implicit function
 * theorem, using `tangentSolve(g, y)`, which solves the linear system g(x) = y for g, the
 * linearization of f at the root. The solver itself is never differentiated.
 *
 * @example
 * // the square root of a, by bisection-free Newton steps, differentiable in a
 * const sqrtNewton = (a: Array) => lax.customRoot(
 *   (x: Array) => x.mul(x).sub(a), np.array(1, { dtype: "float32" }),
 *   (f, x0) => lax.forILoop(0, 20, (_i, x: Array) => x.sub(f(x).div(x.mul(2))), x0),
 *   (g, y) => y.div(g(np.array(1, { dtype: "float32" }))))
 * grad(sqrtNewton)(np.array(4, { dtype: "float32" })) // 0.25
 */
export function customRoot(
  f: (x: Array) => Array,
  initialGuess: Array,
  solve: (f: (x: Array) => Array, initialGuess: Array) => Array,
  tangentSolve: (g: (x: Array) => Array, y: Array) => Array,
  options?: { readonly hasAux?: false | undefined }
): Array
export function customRoot<Aux>(
  f: (x: Array) => Array,
  initialGuess: Array,
  solve: (f: (x: Array) => Array, initialGuess: Array) => readonly [Array, Aux],
  tangentSolve: (g: (x: Array) => Array, y: Array) => Array,
  options: { readonly hasAux: true }
): [Array, Aux]
export function customRoot(
  f: (x: Array) => Array,
  initialGuess: Array,
  solve: (f: (x: Array) => Array, initialGuess: Array) => Solved,
  tangentSolve: (g: (x: Array) => Array, y: Array) => Array,
  options?: CustomRootOptions
): Array | [Array, unknown] {
  checkOptions("lax.customRoot", options, ROOT_KEYS)
  const hasAux = options?.hasAux ?? false
  const noGrad = (x: Array): Array => stopGradient(f(x))
  const [found, aux] = split("lax.customRoot", solve(noGrad, stopGradient(initialGuess)), hasAux)
  const root = stopGradient(found)
  // g: the linearization of f in x at the root (only x varies; what f closes over is held fixed).
  const g = (y: Array): Array => jvp(f, [root], [y])[1]
  const d = tangentSolve(g, f(root))
  const out = sub(root, derivativeOnly(d))
  return hasAux ? [out, aux] : out
}

/**
 * `lax.custom_linear_solve(matvec, b, solve)`: `solve(matvec, b)` solves A x = b for the linear map
 * `matvec` (x ↦ A x); derivatives with respect to b and to what matvec closes over come from
 * `dx = A^-1 (db - dA x)`, computed with `solve` (forward) or `transposeSolve` (reverse; with
 * `symmetric`, `solve` itself). Without either, reverse mode transposes `solve`, which must then be
 * built of transposable operations (a direct solve, not a while loop); with `transposeSolve` or
 * `symmetric`, forward mode (jvp) is not available (jaxfx's custom reverse rules are reverse-only).
 *
 * @example
 * const a = np.array([[2, 1], [1, 3]], { dtype: "float32" })
 * const x = lax.customLinearSolve((v: Array) => np.matmul(a, v), np.array([1, 2], { dtype: "float32" }),
 *   (mv, b) => np.linalg.solve(a, b), { symmetric: true })  // [0.2, 0.6]
 */
export function customLinearSolve(
  matvec: (x: Array) => Array,
  b: Array,
  solve: (matvec: (x: Array) => Array, b: Array) => Array,
  options?: CustomLinearSolveOptions & { readonly hasAux?: false | undefined }
): Array
export function customLinearSolve<Aux>(
  matvec: (x: Array) => Array,
  b: Array,
  solve: (matvec: (x: Array) => Array, b: Array) => readonly [Array, Aux],
  options: CustomLinearSolveOptions & { readonly hasAux: true }
): [Array, Aux]
export function customLinearSolve(
  matvec: (x: Array) => Array,
  b: Array,
  solve: (matvec: (x: Array) => Array, b: Array) => Solved,
  options?: CustomLinearSolveOptions
): Array | [Array, unknown] {
  checkOptions("lax.customLinearSolve", options, SOLVE_KEYS)
  const hasAux = options?.hasAux ?? false
  const caller = "lax.customLinearSolve"
  const fixedMatvec = (x: Array): Array => stopGradient(matvec(x))
  const solveOnly = (r: Array): Array => split(caller, solve(fixedMatvec, r), hasAux)[0]
  const [found, aux] = split(caller, solve(fixedMatvec, stopGradient(b)), hasAux)
  const x = stopGradient(found)
  const transposeSolve = options?.transposeSolve ?? (options?.symmetric === true ? (_vm: (x: Array) => Array, r: Array) => solveOnly(r) : undefined)
  let inverse = solveOnly
  if (transposeSolve !== undefined) {
    // A^-1 as a linear map whose reverse rule is A^-T, given by transposeSolve with vecmat = A^T.
    const vecmat = (ct: Array): Array => vjp(fixedMatvec, x)[1](ct)[0]
    // transposeSolve as a program and the values it closes over, which travel as residuals: the
    // reverse rule runs after the caller's trace is gone, so it may not close over its tracers.
    const [closed] = traceToJaxpr([x.aval], (cts) => [[transposeSolve(vecmat, cts[0]!)], null])
    const inv = customVjp((r: Array, _consts: ReadonlyArray<Array>) => solveOnly(r), { name: "custom_linear_solve" })
    inv.defvjp(
      (r: Array, consts: ReadonlyArray<Array>) => [solveOnly(r), consts] as const,
      (consts: ReadonlyArray<Array>, ct: Array) => [evalJaxpr(closed.jaxpr, consts, [ct])[0]!, null] as const
    )
    const consts = closed.consts
    inverse = (r: Array): Array => inv(r, consts)
  }
  const residual = sub(b, matvec(x))
  const out = add(x, derivativeOnly(inverse(residual)))
  return hasAux ? [out, aux] : out
}
