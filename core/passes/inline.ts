/**
 * Inline nested `jit` calls, so the compiler sees one flat program. A call's body (which has no
 * constvars; the call's inputs map to its invars in order) is copied in place of the call with
 * fresh variables (a body called twice is copied twice), and the call's outputs are replaced by
 * the copied body's outs. Bodies are inlined bottom-up (jit inside jit flattens completely).
 *
 * Other sub-programs (control flow: `cond`, `while`, `scan`, ...) stay as they are, with their
 * signatures, but jit calls inside them are inlined. A call whose body has constvars or whose
 * input avals do not match the body's invars exactly is left as a call.
 *
 * The `jit` primitive is recognized by its (unique) name rather than imported, so that this
 * module can be used by `core/primitives/call.ts` and the backends without an import cycle.
 */
import { type Eqn, Jaxpr, Var } from "../ir.js"
import type { JitParams } from "../primitives/call.js"
import { makePass, mapSubPrograms, rebuild, resolve, type Subst, substInputs, withInputs } from "./rewrite.js"

const isJitCall = (e: Eqn): boolean => e.primitive.name === "jit"

export const inlineJit = makePass((jaxpr, sub) => {
  const subst: Subst = new Map()
  const eqns: Eqn[] = []
  for (const e of jaxpr.eqns) {
    const inputs = substInputs(subst, e)
    const params = mapSubPrograms(e.params, sub)
    const body = isJitCall(e) ? (params as JitParams).jaxpr : undefined
    const inlinable =
      body instanceof Jaxpr &&
      body.constVars.length === 0 &&
      body.inVars.length === inputs.length &&
      body.inVars.every((v, i) => v.aval.equals(inputs[i]!.aval)) &&
      body.outs.length === e.outVars.length &&
      body.outs.every((o, i) => o.aval.equals(e.outVars[i]!.aval))
    if (!inlinable) {
      eqns.push(withInputs(e, inputs, params))
      continue
    }
    const env: Subst = new Map()
    body.inVars.forEach((v, i) => env.set(v, inputs[i]!))
    for (const be of body.eqns) {
      const ins = be.inputs.map((a) => resolve(env, a))
      const outVars = be.outVars.map((v) => {
        const fresh = new Var(v.aval)
        env.set(v, fresh)
        return fresh
      })
      eqns.push({ primitive: be.primitive, inputs: ins, params: be.params, outVars })
    }
    e.outVars.forEach((v, i) => subst.set(v, resolve(env, body.outs[i]!)))
  }
  return rebuild(
    jaxpr,
    eqns,
    jaxpr.outs.map((a) => resolve(subst, a))
  )
})
