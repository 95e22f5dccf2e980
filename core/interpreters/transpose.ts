/**
 * Transposition of a linear program (reverse mode). Walks the equations backwards, applying each
 * primitive's transpose rule to the cotangents of its outputs and accumulating the cotangents of
 * its linear inputs. Rules bind primitives, so the backward pass is itself differentiable.
 */
import type { Array } from "../array.js"
import { type Atom, type ClosedJaxpr, type Jaxpr, Lit, Var } from "../ir.js"
import { UndefPrimal, Zero } from "../primitive.js"
import { instantiate } from "../primitives/common.js"
import { add } from "../primitives/elementwise.js"
import { bind } from "../trace.js"
import { ValueError } from "../errors.js"
import { inNameStack } from "../name-stack.js"

/** Cotangents of the program's inputs given cotangents of its outputs (Zero where none flows). */
export const backwardPass = (closed: ClosedJaxpr, cts: ReadonlyArray<Array | Zero>): (Array | Zero)[] =>
  backwardPassWith(
    closed.jaxpr,
    closed.consts,
    closed.jaxpr.inVars.map((v) => new UndefPrimal(v.aval)),
    cts
  )

/**
 * The backward pass of a program linear in the inputs given as `UndefPrimal` (the others are
 * known values). Returns a cotangent for every input (Zero for the known ones).
 */
export const backwardPassWith = (
  jaxpr: Jaxpr,
  consts: ReadonlyArray<Array>,
  args: ReadonlyArray<Array | UndefPrimal>,
  cts: ReadonlyArray<Array | Zero>
): (Array | Zero)[] => {
  const linear = new Set<Var>()
  const env = new Map<Var, Array>()
  jaxpr.constVars.forEach((v, i) => env.set(v, consts[i]!))
  jaxpr.inVars.forEach((v, i) => {
    const a = args[i]!
    if (a instanceof UndefPrimal) linear.add(v)
    else env.set(v, a)
  })
  const isLinear = (a: Atom): boolean => a instanceof Var && linear.has(a)
  const read = (a: Atom): Array => (a instanceof Lit ? a.value : env.get(a)!)

  // Forward: evaluate the non-linear equations (those on constants only); mark linear ones.
  const linearEqns = []
  for (const e of jaxpr.eqns) {
    if (e.inputs.some(isLinear)) {
      for (const v of e.outVars) linear.add(v)
      linearEqns.push(e)
    } else {
      const outs = bind(e.primitive, e.inputs.map(read), e.params)
      e.outVars.forEach((v, i) => env.set(v, outs[i]!))
    }
  }

  const ctEnv = new Map<Var, Array>()
  const addCt = (v: Var, ct: Array | Zero | null): void => {
    if (ct === null || ct instanceof Zero) return
    const prev = ctEnv.get(v)
    ctEnv.set(v, prev === undefined ? ct : add(prev, ct))
  }
  jaxpr.outs.forEach((o, i) => {
    if (o instanceof Var && linear.has(o)) addCt(o, cts[i]!)
  })

  for (let i = linearEqns.length - 1; i >= 0; i--) {
    const e = linearEqns[i]!
    const outCts = e.outVars.map((v) => ctEnv.get(v) ?? new Zero(v.aval))
    if (outCts.every((c) => c instanceof Zero)) continue
    if (e.primitive.transpose === undefined) {
      throw new ValueError(`reverse-mode differentiation of ${e.primitive.name} is not implemented (no transpose rule)`)
    }
    const args = e.inputs.map((a) => (isLinear(a) ? new UndefPrimal(a.aval) : read(a)))
    const transpose = e.primitive.transpose
    const inCts = inNameStack(e.nameStack, () => transpose(outCts, args, e.params))
    e.inputs.forEach((a, j) => {
      if (isLinear(a)) addCt(a as Var, inCts[j] ?? null)
    })
  }
  return jaxpr.inVars.map((v) => ctEnv.get(v) ?? new Zero(v.aval))
}

/** Materialize a cotangent (the public API returns arrays, never symbolic zeros). */
export const ctToArray = (ct: Array | Zero): Array => instantiate(ct)
