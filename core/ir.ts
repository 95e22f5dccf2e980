/**
 * The staged program ("jaxpr") and its evaluation. The data types and the printer are in jaxpr.ts
 * (exported from here as before); evaluation binds, so it sits here, above the tracing machinery.
 */
import type { Array } from "./array.js"
import { type Atom, type Jaxpr, Lit, type Var } from "./jaxpr.js"
import { bind } from "./trace.js"

export { type Atom, ClosedJaxpr, type Eqn, Jaxpr, Lit, literalOf, printJaxpr, Var } from "./jaxpr.js"

/** Evaluate a jaxpr by binding each equation (so it runs under whatever transformations are active). */
export const evalJaxpr = (jaxpr: Jaxpr, consts: ReadonlyArray<Array>, args: ReadonlyArray<Array>): Array[] => {
  const env = new Map<Var, Array>()
  const read = (a: Atom): Array => (a instanceof Lit ? a.value : env.get(a)!)
  jaxpr.constVars.forEach((v, i) => env.set(v, consts[i]!))
  jaxpr.inVars.forEach((v, i) => env.set(v, args[i]!))
  for (const e of jaxpr.eqns) {
    const outs = bind(e.primitive, e.inputs.map(read), e.params)
    e.outVars.forEach((v, i) => env.set(v, outs[i]!))
  }
  return jaxpr.outs.map(read)
}
