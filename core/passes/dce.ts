/**
 * Dead-code elimination. An equation none of whose outputs reaches `outs` (directly or through
 * other equations) is dropped, unless it is effectful (`primitive.effectful`, like debug
 * printing, itself or inside a sub-program): those are kept, with what they read. Sub-programs are cleaned inside too;
 * their signatures (invars, outs) never change, so an unused input of a sub-program stays, and a
 * call is kept whole when any of its outputs is used.
 */
import { type Eqn, Var } from "../ir.js"
import { isEffectful, makePass, mapSubPrograms, rebuild, withInputs } from "./rewrite.js"

export const dce = makePass((jaxpr, sub) => {
  const live = new Set<Var>()
  for (const a of jaxpr.outs) if (a instanceof Var) live.add(a)
  const kept: Eqn[] = []
  for (let i = jaxpr.eqns.length - 1; i >= 0; i--) {
    const e = jaxpr.eqns[i]!
    if (!e.outVars.some((v) => live.has(v)) && !isEffectful(e)) continue
    for (const a of e.inputs) if (a instanceof Var) live.add(a)
    const params = mapSubPrograms(e.params, sub)
    kept.push(withInputs(e, e.inputs, params))
  }
  kept.reverse()
  return rebuild(jaxpr, kept, jaxpr.outs)
})
