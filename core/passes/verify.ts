/**
 * The jaxpr verifier: an internal invariant check for the output of tracing and of every pass.
 * Checks, in each program and recursively in each sub-program (each its own scope):
 *
 * - every Var is defined once (constvars, invars, equation outputs) and before any use;
 * - literals are rank-0;
 * - each equation's output avals equal its primitive's shape rule on its input avals (shape,
 *   dtype and weak type), and the shape rule accepts the inputs;
 * - a `jit` call's inputs match its body's invars (the body has no constvars);
 * - every out is defined.
 *
 * Violations throw a plain `Error` (a bug in jaxfx, not a user error) naming the program path,
 * the equation index and the printed equation.
 */
import { type Atom, type Eqn, Jaxpr, Lit, printJaxpr, Var } from "../ir.js"
import type { JitParams } from "../primitives/call.js"
import { abstractEval } from "../primitive.js"
import { subPrograms } from "./rewrite.js"

/**
 * Equation `i` as the printer writes it inside the whole program (same variable names): the
 * text the printer adds between the programs cut after equation i - 1 and after equation i.
 */
const printEqnAt = (j: Jaxpr, i: number): string => {
  try {
    const tail = " in () }"
    const before = printJaxpr(new Jaxpr(j.constVars, j.inVars, j.eqns.slice(0, i), []), { compact: true })
    const upto = printJaxpr(new Jaxpr(j.constVars, j.inVars, j.eqns.slice(0, i + 1), []), { compact: true })
    const head = before.slice(0, before.length - tail.length)
    return upto.slice(head.length + (i === 0 ? 1 : 2), upto.length - tail.length)
  } catch {
    return `${j.eqns[i]!.primitive.name} ...`
  }
}

const fail = (where: string, j: Jaxpr, i: number | undefined, msg: string): never => {
  const at = i === undefined ? "" : `equation ${i} (${printEqnAt(j, i)}): `
  const text = printJaxpr(j, { compact: true })
  throw new Error(`verifyJaxpr: ${where}${at}${msg}\n  in ${text.length > 2000 ? `${text.slice(0, 2000)} ...` : text}`)
}

const verifyIn = (j: Jaxpr, where: string): void => {
  const defined = new Set<Var>()
  const define = (v: Var, what: string, i?: number): void => {
    if (!(v instanceof Var)) fail(where, j, i, `${what} is not a Var`)
    if (defined.has(v)) fail(where, j, i, `${what} (${v.aval.str()}) is defined twice`)
    defined.add(v)
  }
  const use = (a: Atom, what: string, i?: number): void => {
    if (a instanceof Lit) {
      if (a.aval.ndim !== 0) fail(where, j, i, `${what} is a literal of rank ${a.aval.ndim} (literals are scalars)`)
    } else if (!(a instanceof Var)) fail(where, j, i, `${what} is neither a Var nor a Lit`)
    else if (!defined.has(a)) fail(where, j, i, `${what} (${a.aval.str()}) is used before it is defined (or never defined)`)
  }
  j.constVars.forEach((v, k) => define(v, `constvar ${k}`))
  j.inVars.forEach((v, k) => define(v, `invar ${k}`))
  j.eqns.forEach((e: Eqn, i) => {
    e.inputs.forEach((a, k) => use(a, `input ${k}`, i))
    let avals
    try {
      avals = abstractEval(
        e.primitive,
        e.inputs.map((a) => a.aval),
        e.params
      )
    } catch (err) {
      return fail(where, j, i, `the shape rule of ${e.primitive.name} rejects its inputs: ${err instanceof Error ? err.message : String(err)}`)
    }
    if (avals.length !== e.outVars.length) {
      fail(where, j, i, `${e.outVars.length} outputs, but ${e.primitive.name}'s shape rule gives ${avals.length}`)
    }
    e.outVars.forEach((v, k) => {
      const want = avals[k]!
      if (!want.equals(v.aval)) {
        const show = (a: typeof want): string => `${a.str()}${a.weakType ? " (weak)" : ""}`
        fail(where, j, i, `output ${k} is declared ${show(v.aval)} but the shape rule gives ${show(want)}`)
      }
    })
    if (e.primitive.name === "jit") {
      const body: unknown = (e.params as JitParams).jaxpr
      if (!(body instanceof Jaxpr)) return fail(where, j, i, "a jit call without a jaxpr param")
      if (body.constVars.length !== 0) fail(where, j, i, `the jit body has ${body.constVars.length} constvars (they must be inputs)`)
      if (body.inVars.length !== e.inputs.length) fail(where, j, i, `${e.inputs.length} inputs for a body of ${body.inVars.length} invars`)
      body.inVars.forEach((v, k) => {
        if (!v.aval.equals(e.inputs[k]!.aval)) fail(where, j, i, `input ${k} is ${e.inputs[k]!.aval.str()} but the body's invar ${k} is ${v.aval.str()}`)
      })
    }
    for (const [path, s] of subPrograms(e.params)) verifyIn(s, `${where}in equation ${i} (${e.primitive.name}) params.${path}: `)
    e.outVars.forEach((v, k) => define(v, `output ${k}`, i))
  })
  j.outs.forEach((a, k) => use(a, `out ${k}`))
}

/** Check a jaxpr's invariants (see the module comment); throws an Error describing the first violation. */
export const verifyJaxpr = (jaxpr: Jaxpr): void => verifyIn(jaxpr, "")
