/**
 * Shared machinery of the program passes: variable substitution, rebuilding a jaxpr only where it
 * changed, and generic access to sub-programs held in equation params (any param that is a
 * `Jaxpr`, a `ClosedJaxpr`, or an array of them: `jit`, `cond`, `while`, `scan`, ... — no
 * primitive is named here).
 *
 * Jaxprs are immutable. A pass never mutates its input; where it finds nothing to change it
 * returns its input object itself, so `pass(j) === j` means "already optimal for this pass".
 */
import { ClosedJaxpr, type Atom, type Eqn, Jaxpr, Var } from "../ir.js"
import type { Params } from "../primitive.js"

/** Output vars replaced by other atoms. Values are always resolved (never a key of the map). */
export type Subst = Map<Var, Atom>

export const resolve = (subst: Subst, a: Atom): Atom => (a instanceof Var ? (subst.get(a) ?? a) : a)

const sameAtoms = (a: ReadonlyArray<Atom>, b: ReadonlyArray<Atom>): boolean => a.length === b.length && a.every((x, i) => x === b[i])

/** The inputs of `eqn` with substitutions applied (the same array when none applies). */
export const substInputs = (subst: Subst, eqn: Eqn): ReadonlyArray<Atom> => {
  if (subst.size === 0) return eqn.inputs
  const ins = eqn.inputs.map((a) => resolve(subst, a))
  return sameAtoms(ins, eqn.inputs) ? eqn.inputs : ins
}

/** `eqn` with new inputs and params, or `eqn` itself when both are unchanged. */
export const withInputs = (eqn: Eqn, inputs: ReadonlyArray<Atom>, params: Params): Eqn =>
  inputs === eqn.inputs && params === eqn.params
    ? eqn
    : { primitive: eqn.primitive, inputs, params, outVars: eqn.outVars, ...(eqn.nameStack === undefined ? {} : { nameStack: eqn.nameStack }) }

/** A jaxpr with the same constvars and invars, or `orig` itself when eqns and outs are unchanged. */
export const rebuild = (orig: Jaxpr, eqns: ReadonlyArray<Eqn>, outs: ReadonlyArray<Atom>): Jaxpr => {
  const same = eqns.length === orig.eqns.length && eqns.every((e, i) => e === orig.eqns[i]) && sameAtoms(outs, orig.outs)
  return same ? orig : new Jaxpr(orig.constVars, orig.inVars, eqns, outs)
}

// ---------------------------------------------------------------------------------------------
// Sub-programs in params

const isProgramValue = (v: unknown): boolean => v instanceof Jaxpr || v instanceof ClosedJaxpr || (globalThis.Array.isArray(v) && v.some(isProgramValue))

/** Whether any param of an equation holds a sub-program. */
export const hasSubPrograms = (params: Params): boolean => Object.values(params).some(isProgramValue)

/** Every sub-program held in `params`, with the param path that holds it (e.g. `branches[1]`). */
export const subPrograms = (params: Params): ReadonlyArray<readonly [string, Jaxpr]> => {
  const out: [string, Jaxpr][] = []
  const visit = (v: unknown, path: string): void => {
    if (v instanceof Jaxpr) out.push([path, v])
    else if (v instanceof ClosedJaxpr) out.push([`${path}.jaxpr`, v.jaxpr])
    else if (globalThis.Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}[${i}]`))
  }
  for (const k of Object.keys(params)) visit(params[k], k)
  return out
}

const mapValue = (v: unknown, f: (j: Jaxpr) => Jaxpr): unknown => {
  if (v instanceof Jaxpr) return f(v)
  if (v instanceof ClosedJaxpr) {
    const j = f(v.jaxpr)
    return j === v.jaxpr ? v : new ClosedJaxpr(j, v.consts)
  }
  if (globalThis.Array.isArray(v) && v.some(isProgramValue)) {
    const xs = v.map((x) => mapValue(x, f))
    return xs.every((x, i) => x === v[i]) ? v : xs
  }
  return v
}

/** Apply `f` to every sub-program in `params`; the same params object when none changes. */
export const mapSubPrograms = (params: Params, f: (j: Jaxpr) => Jaxpr): Params => {
  let out: Record<string, unknown> | undefined
  for (const k of Object.keys(params)) {
    const v = params[k]
    const w = mapValue(v, f)
    if (w !== v) {
      out ??= { ...params }
      out[k] = w
    }
  }
  return out ?? params
}

/**
 * Make a pass from its body on one jaxpr. The body gets `sub`, the pass itself for sub-programs,
 * memoized per pass run so a sub-program shared by several equations maps to one new object (CSE
 * compares sub-programs by identity). Sub-programs keep their signature: bodies never change
 * constvars, invars, or the number and avals of outs.
 */
export const makePass =
  (body: (jaxpr: Jaxpr, sub: (j: Jaxpr) => Jaxpr) => Jaxpr) =>
  (jaxpr: Jaxpr): Jaxpr => {
    const memo = new Map<Jaxpr, Jaxpr>()
    const run = (j: Jaxpr): Jaxpr => {
      let r = memo.get(j)
      if (r === undefined) {
        r = body(j, run)
        memo.set(j, r)
      }
      return r
    }
    return run(jaxpr)
  }

const effectsMemo = new WeakMap<Jaxpr, boolean>()
const programHasEffects = (j: Jaxpr): boolean => {
  let r = effectsMemo.get(j)
  if (r === undefined) {
    r = j.eqns.some(isEffectful)
    effectsMemo.set(j, r)
  }
  return r
}

/**
 * Whether an equation has an effect beyond its outputs (`primitive.effectful`, e.g. debug
 * printing), itself or anywhere in its sub-programs. Passes never remove, merge, reorder or
 * evaluate such equations ahead of time.
 */
export const isEffectful = (e: Eqn): boolean => e.primitive.effectful || subPrograms(e.params).some(([, j]) => programHasEffects(j))

/** Equations in a program, counting each occurrence of a sub-program's equations (a call counts 1 + its body). */
export const countEqns = (jaxpr: Jaxpr): number => {
  let n = 0
  for (const e of jaxpr.eqns) {
    n += 1
    for (const [, j] of subPrograms(e.params)) n += countEqns(j)
  }
  return n
}
