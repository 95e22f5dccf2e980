/**
 * `customGradient` (JAX's `jax.custom_gradient`): a function that returns its value and its own
 * vector-Jacobian product. Built as JAX builds it, on `customVjp`: the forward pass calls the
 * function, traces the returned vjp closure into a program at the cotangents' shapes, and keeps
 * that program's constants (what the closure captured) as the residuals; the backward pass
 * evaluates the program on the output cotangents.
 */
import type { Array } from "../array.js"
import { ValueError } from "../errors.js"
import { checkOptions } from "../options.js"
import { evalJaxpr, type Jaxpr } from "../ir.js"
import { traceToJaxpr } from "../interpreters/stage.js"
import { hoistConsts } from "../primitives/call.js"
import { isRegistered, registerNode, type TreeDef, unflatten } from "../tree.js"
import type { Tangent } from "./autodiff.js"
import { customVjp, flatArrays } from "./custom.js"

/**
 * The residuals of one call: the vjp closure as a program (static, the pytree's aux data) and the
 * arrays it captured (the pytree's children), so `customVjp` saves them like any residual.
 */
class Residuals {
  constructor(
    readonly jaxpr: Jaxpr,
    readonly cotangentDef: TreeDef,
    readonly outDef: TreeDef,
    readonly consts: ReadonlyArray<Array>
  ) {}
}
interface ResidualsAux {
  readonly jaxpr: Jaxpr
  readonly cotangentDef: TreeDef
  readonly outDef: TreeDef
}
if (!isRegistered(Residuals)) {
  registerNode<Residuals, ResidualsAux>(Residuals, {
    name: "CustomGradientResiduals",
    flatten: (r) => [r.consts, { jaxpr: r.jaxpr, cotangentDef: r.cotangentDef, outDef: r.outDef }],
    unflatten: (aux, consts) => new Residuals(aux.jaxpr, aux.cotangentDef, aux.outDef, consts as ReadonlyArray<Array>),
    auxEquals: (a, b) => a.jaxpr === b.jaxpr
  })
}

/** What a `customGradient` function returns: its value and the vjp of that value. */
export type CustomGradientResult<R> = readonly [value: R, vjp: (ct: Tangent<R>) => unknown]

/**
 * A function with its own gradient (JAX's `custom_gradient`): `f` returns `[value, vjp]`, where
 * `vjp(ct)` gives the cotangents of the arguments (a tuple, one per argument; with one argument,
 * the cotangent alone is accepted too, as in JAX). The result is a `customVjp` function: grad, vjp,
 * jacrev and jit use `vjp`, and its body is differentiable again (grad of grad, jvp of grad);
 * forward mode of the function itself is refused, as in JAX.
 *
 * @example
 * const logExp = customGradient((x: Array) => {
 *   const y = np.log1p(np.exp(x))
 *   return [y, (g: Array) => g.mul(nn.sigmoid(x))]
 * })
 * grad(logExp)(np.array(100, { dtype: "float32" })) // Array(1., dtype=float32), not NaN
 */
export const customGradient = <Args extends ReadonlyArray<unknown>, R>(
  f: (...args: Args) => CustomGradientResult<R>,
  opts: { readonly name?: string } = {}
): ((...args: Args) => R) => {
  checkOptions("customGradient", opts, ["name"])
  const name = opts.name ?? (f.name || "custom_gradient")
  const what = `customGradient ${name}`
  const result = (out: unknown): CustomGradientResult<R> => {
    if (!globalThis.Array.isArray(out) || out.length !== 2 || typeof out[1] !== "function") {
      throw new ValueError(`${what}: the function must return [value, vjp], with vjp a function of the output cotangent; got ${typeof out}.`)
    }
    return out as unknown as CustomGradientResult<R>
  }
  const g = customVjp((...args: Args): R => result(f(...args))[0], { name })
  g.defvjp(
    (...args: Args) => {
      const [value, rule] = result(f(...args))
      const [outLeaves, outDef] = flatArrays(value, what)
      const [closed, cotangentDef] = traceToJaxpr(
        outLeaves.map((l) => l.aval.strongType()),
        (cts) => flatArrays(rule(unflatten(outDef, cts) as Tangent<R>), what)
      )
      const { jaxpr, consts } = hoistConsts(closed.jaxpr, closed.consts)
      return [value, new Residuals(jaxpr, cotangentDef, outDef, consts)] as const
    },
    (res: Residuals, ct: Tangent<R>) => {
      const [ctLeaves, ctDef] = flatArrays(ct, what)
      if (!ctDef.equals(res.outDef)) throw new ValueError(`${what}: the cotangent has structure ${ctDef.toString()}, expected ${res.outDef.toString()}.`)
      const cts = unflatten(res.cotangentDef, evalJaxpr(res.jaxpr, [], [...res.consts, ...ctLeaves]))
      // As JAX: a single cotangent (a leaf) stands for the one-tuple of a one-argument function.
      return (res.cotangentDef.isLeaf() ? [cts] : cts) as never
    }
  )
  Object.defineProperty(g, "name", { value: name })
  return g
}
