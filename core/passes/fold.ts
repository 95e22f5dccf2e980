/**
 * Constant folding. An equation whose inputs are all literals or values folded earlier in the
 * same program is evaluated now on the host CPU device, with `evalPrimitive` (the same kernels the
 * runtime uses, so the result is bit-for-bit what running the program would give):
 *
 * - a rank-0 result becomes a literal and its equation disappears;
 * - a small non-scalar result (at most `maxKnownElements`) keeps its equation (a jaxpr has no
 *   array literals) but its value is remembered, so that e.g. `reduce_sum (broadcast_in_dim 2.0)`
 *   folds to a literal and the broadcast becomes dead code for `dce`.
 *
 * Not folded: effectful equations (debug printing must happen at run time), equations holding sub-programs (`jit`, control flow; they are folded inside
 * instead), results larger than the limit (a big `iota` is never materialized), composite
 * primitives (with an `impl` that binds other primitives) while a transformation is active, and
 * anything whose evaluation throws (the error is left to happen at run time, as before).
 * Constvars are not known here (their values live outside the jaxpr).
 */
import { ArrayImpl } from "../array.js"
import { isComplex } from "../dtype.js"
import { type Atom, type Eqn, Lit, Var } from "../ir.js"
import type { Params } from "../primitive.js"
import { hostDevice, withDefaultDevice } from "../devices/registry.js"
import { currentLevel, evalPrimitive } from "../trace.js"
import { hasSubPrograms, makePass, mapSubPrograms, rebuild, resolve, type Subst, substInputs, withInputs } from "./rewrite.js"

/** The largest non-scalar constant (in elements) that folding materializes. */
export const maxKnownElements = 1024

const evaluate = (e: Eqn, inputs: ReadonlyArray<Atom>, params: Params, known: ReadonlyMap<Var, ArrayImpl>): ReadonlyArray<ArrayImpl> | undefined => {
  const prim = e.primitive
  const outVars = e.outVars
  // Collectives communicate at run time (axis_index has no inputs but differs per member).
  if (prim.effectful || prim.axisNames !== undefined || hasSubPrograms(params)) return undefined
  if (outVars.some((v) => v.aval.size > maxKnownElements)) return undefined
  // A composite impl binds other primitives: under an active trace those would be staged.
  if (prim.impl !== undefined && currentLevel() !== 0) return undefined
  const args: ArrayImpl[] = []
  for (const a of inputs) {
    const x = a instanceof Lit ? a.value : known.get(a)
    if (x === undefined) return undefined
    args.push(x)
  }
  let outs: ReadonlyArray<unknown>
  try {
    // On the host CPU device: folded values are host values, whatever the default device is.
    outs = withDefaultDevice(hostDevice(), () => evalPrimitive(prim, args, params))
  } catch {
    return undefined
  }
  if (outs.length !== outVars.length) return undefined
  const values: ArrayImpl[] = []
  for (let i = 0; i < outs.length; i++) {
    const o = outs[i]
    if (!(o instanceof ArrayImpl) || !o.aval.equals(outVars[i]!.aval)) return undefined
    values.push(o)
  }
  return values
}

export const foldConstants = makePass((jaxpr, sub) => {
  const subst: Subst = new Map()
  const known = new Map<Var, ArrayImpl>()
  const eqns: Eqn[] = []
  for (const e of jaxpr.eqns) {
    const inputs = substInputs(subst, e)
    const params = mapSubPrograms(e.params, sub)
    const values = evaluate(e, inputs, params, known)
    if (values !== undefined) {
      e.outVars.forEach((v, i) => {
        const x = values[i]!
        const d = x.aval.ndim === 0 ? x.data() : undefined
        // A literal holds one number: complex scalars with an imaginary part stay known values.
        if (d !== undefined && (!isComplex(x.dtype) || Object.is(d[1], 0))) subst.set(v, new Lit(d[0]!, x.aval))
        else known.set(v, x)
      })
      if (e.outVars.every((v) => subst.has(v))) continue
    }
    eqns.push(withInputs(e, inputs, params))
  }
  return rebuild(
    jaxpr,
    eqns,
    jaxpr.outs.map((a) => resolve(subst, a))
  )
})
