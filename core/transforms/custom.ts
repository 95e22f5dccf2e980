/**
 * `customJvp`, `customVjp` and `checkpoint`: user-defined derivative rules and rematerialization,
 * over pytrees. They compose with jit, vmap and grad (see `core/primitives/custom.ts`).
 */
import { Array } from "../array.js"
import { ValueError } from "../errors.js"
import { checkOptions } from "../options.js"
import { traceToJaxpr } from "../interpreters/stage.js"
import { hoistConsts } from "../primitives/call.js"
import { constant } from "../primitives/common.js"
import { checkpointP, customJvpCallP, customVjpCallP, type FlatBwd, type FlatFwd, type FlatJvpRule } from "../primitives/custom.js"
import { bind } from "../trace.js"
import { flatten, type TreeDef, unflatten } from "../tree.js"
import type { Tangent } from "./autodiff.js"

/** A pytree leaf as an Array (numbers become weak scalars), else a ValueError naming `what`. */
const toArray = (x: unknown, what: string): Array => {
  if (x instanceof Array) return x
  if (typeof x === "number") return constant(x, Number.isInteger(x) ? "int32" : "float32", [], true)
  if (typeof x === "boolean") return constant(x ? 1 : 0, "bool", [])
  throw new ValueError(`${what}: arguments and results must be pytrees of Arrays and numbers, got a ${typeof x} leaf`)
}
/** The leaves of a pytree as Arrays, and its structure. */
export const flatArrays = (x: unknown, what: string): [Array[], TreeDef] => {
  const [leaves, def] = flatten(x)
  return [leaves.map((l) => toArray(l, what)), def]
}

/** Trace `f` at these argument leaves: its program (constants first), constants and output structure. */
const traceCall = (f: (...args: never[]) => unknown, leaves: ReadonlyArray<Array>, def: TreeDef, what: string) => {
  const [closed, outDef] = traceToJaxpr(
    leaves.map((l) => l.aval),
    (xs) => {
      const [outs, od] = flatArrays((f as (...a: unknown[]) => unknown)(...(unflatten(def, xs) as unknown[])), what)
      return [outs, od]
    }
  )
  return { ...hoistConsts(closed.jaxpr, closed.consts), outDef }
}

const NAME_KEYS = ["name"]

type Tangents<Args extends ReadonlyArray<unknown>> = { -readonly [K in keyof Args]: Tangent<Args[K]> }

export interface CustomJvpFunction<Args extends ReadonlyArray<unknown>, R> {
  (...args: Args): R
  /** Define the jvp rule: `(primals, tangents) => [primalOut, tangentOut]`. Returns the function. */
  defjvp(rule: (primals: Args, tangents: Tangents<Args>) => readonly [R, Tangent<R>]): CustomJvpFunction<Args, R>
}

/**
 * A function with its own jvp rule (JAX's `custom_jvp`), used by jvp, grad (through linearization),
 * jacfwd/jacrev and vmap instead of differentiating the body.
 *
 * @example
 * const log1pexp = customJvp((x: Array) => np.log1p(np.exp(x)))
 * log1pexp.defjvp(([x], [t]) => [log1pexp(x), t.mul(nn.sigmoid(x))])
 * grad(log1pexp)(np.array(100, { dtype: "float32" })) // 1, not NaN
 */
export const customJvp = <Args extends ReadonlyArray<unknown>, R>(
  f: (...args: Args) => R,
  opts: { readonly name?: string } = {}
): CustomJvpFunction<Args, R> => {
  checkOptions("customJvp", opts, NAME_KEYS)
  const name = opts.name ?? (f.name || "custom_jvp")
  let rule: ((primals: Args, tangents: Tangents<Args>) => readonly [R, Tangent<R>]) | undefined
  const call = (...args: Args): R => {
    const [leaves, def] = flatArrays(args, `customJvp ${name}`)
    const { jaxpr, consts, outDef } = traceCall(f as (...a: never[]) => unknown, leaves, def, `customJvp ${name}`)
    const jvp: FlatJvpRule = (ps, ts) => {
      if (rule === undefined) throw new ValueError(`customJvp ${name}: no jvp rule defined; call .defjvp(rule) before differentiating it.`)
      const [o, t] = rule(unflatten(def, ps) as unknown as Args, unflatten(def, ts) as unknown as Tangents<Args>)
      const [oLeaves, oDef] = flatArrays(o, `customJvp ${name}`)
      const [tLeaves, tDef] = flatArrays(t, `customJvp ${name}`)
      if (!oDef.equals(outDef) || !tDef.equals(outDef)) {
        throw new ValueError(
          `customJvp ${name}: the rule must return [primalOut, tangentOut] shaped like the function's output ${outDef.toString()}; got ${oDef.toString()} and ${tDef.toString()}`
        )
      }
      return [oLeaves, tLeaves]
    }
    const outs = bind(customJvpCallP, [...consts, ...leaves], { fun: jaxpr, numConsts: consts.length, jvp, name })
    return unflatten(outDef, outs) as R
  }
  Object.defineProperty(call, "name", { value: name })
  return Object.assign(call, {
    defjvp(r: (primals: Args, tangents: Tangents<Args>) => readonly [R, Tangent<R>]): CustomJvpFunction<Args, R> {
      rule = r
      return call as CustomJvpFunction<Args, R>
    }
  })
}

export interface CustomVjpFunction<Args extends ReadonlyArray<unknown>, R> {
  (...args: Args): R
  /**
   * Define the reverse rule: `fwd(...args) => [out, residuals]` and
   * `bwd(residuals, ct) => cotangents` (one per argument; null for none). Returns the function.
   */
  defvjp<Res>(
    fwd: (...args: Args) => readonly [R, Res],
    bwd: (residuals: Res, ct: Tangent<R>) => { readonly [K in keyof Args]: Tangent<Args[K]> | null }
  ): CustomVjpFunction<Args, R>
}

/**
 * A function with its own reverse-mode rule (JAX's `custom_vjp`). grad, vjp and jacrev use the
 * rule; forward mode (jvp) is refused, as in JAX.
 *
 * @example
 * const clipGradient = customVjp((x: Array) => x)
 * clipGradient.defvjp((x) => [x, null], (_res, g) => [np.clip(g, -1, 1)])
 */
export const customVjp = <Args extends ReadonlyArray<unknown>, R>(
  f: (...args: Args) => R,
  opts: { readonly name?: string } = {}
): CustomVjpFunction<Args, R> => {
  checkOptions("customVjp", opts, NAME_KEYS)
  const name = opts.name ?? (f.name || "custom_vjp")
  let rules: { fwd: (...args: Args) => readonly [R, unknown]; bwd: (res: unknown, ct: Tangent<R>) => ReadonlyArray<unknown> } | undefined
  const call = (...args: Args): R => {
    const what = `customVjp ${name}`
    const [leaves, def] = flatArrays(args, what)
    const { jaxpr, consts, outDef } = traceCall(f as (...a: never[]) => unknown, leaves, def, what)
    let resDef: TreeDef | undefined
    const need = () => {
      if (rules === undefined) throw new ValueError(`${what}: no rule defined; call .defvjp(fwd, bwd) before differentiating it.`)
      return rules
    }
    const fwd: FlatFwd = (as) => {
      const [o, r] = need().fwd(...(unflatten(def, as) as unknown as Args))
      const [oLeaves, oDef] = flatArrays(o, what)
      if (!oDef.equals(outDef))
        throw new ValueError(`${what}: fwd must return [out, residuals] with out shaped like ${outDef.toString()}, got ${oDef.toString()}`)
      const [rLeaves, rd] = flatArrays(r, what)
      resDef = rd
      return [oLeaves, rLeaves]
    }
    const bwd: FlatBwd = (res, cts) => {
      const out = need().bwd(unflatten(resDef!, res), unflatten(outDef, cts) as Tangent<R>)
      if (!globalThis.Array.isArray(out) || out.length !== args.length) {
        throw new ValueError(`${what}: bwd must return one cotangent per argument (${args.length}), as a tuple`)
      }
      return out.flatMap((c, i) => {
        const argLeaves = flatArrays(args[i], what)[0]
        if (c === null || c === undefined) return argLeaves.map((l) => constant(0, l.dtype, l.shape))
        const [cl, cd] = flatArrays(c, what)
        if (cl.length !== argLeaves.length)
          throw new ValueError(`${what}: the cotangent for argument ${i} has structure ${cd.toString()}, which does not match the argument`)
        return cl
      })
    }
    const outs = bind(customVjpCallP, [...consts, ...leaves], { fun: jaxpr, numConsts: consts.length, fwd, bwd, name })
    return unflatten(outDef, outs) as R
  }
  Object.defineProperty(call, "name", { value: name })
  return Object.assign(call, {
    defvjp<Res>(
      fwdFn: (...args: Args) => readonly [R, Res],
      bwdFn: (residuals: Res, ct: Tangent<R>) => { readonly [K in keyof Args]: Tangent<Args[K]> | null }
    ): CustomVjpFunction<Args, R> {
      rules = {
        fwd: fwdFn,
        bwd: (res, ct) => bwdFn(res as Res, ct) as unknown as ReadonlyArray<unknown>
      }
      return call as CustomVjpFunction<Args, R>
    }
  })
}

/**
 * Rematerialization (JAX's `checkpoint`/`remat`): the same values and gradients, but reverse mode
 * saves only the function's inputs and recomputes its intermediates in the backward pass.
 *
 * @example
 * const layer = checkpoint((w: Array, x: Array) => np.tanh(np.matmul(x, w)))
 */
export const checkpoint =
  <Args extends ReadonlyArray<unknown>, R>(f: (...args: Args) => R): ((...args: Args) => R) =>
  (...args: Args): R => {
    const [leaves, def] = flatArrays(args, "checkpoint")
    const { jaxpr, consts, outDef } = traceCall(f as (...a: never[]) => unknown, leaves, def, "checkpoint")
    return unflatten(outDef, bind(checkpointP, [...consts, ...leaves], { jaxpr })) as R
  }
