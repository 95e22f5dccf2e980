/**
 * User-defined differentiation rules and rematerialization:
 * - `custom_jvp_call`: evaluates a program; under jvp, calls the user's jvp rule instead.
 * - `custom_vjp_call`: evaluates a program; under jvp, runs the user's forward function and emits
 *   `custom_lin`, a linear primitive whose transpose is the user's backward function.
 * - `checkpoint`: evaluates a program; under linearize, saves only its inputs and recomputes the
 *   rest during the backward pass.
 */
import { type Array, ShapedArray } from "../array.js"
import { ValueError } from "../errors.js"
import { describe } from "../shape.js"
import { evalJaxpr, Jaxpr } from "../ir.js"
import { batchFlat, batchJaxpr, moveBatchAxis } from "../interpreters/batch.js"
import { partialEvalJaxpr } from "../interpreters/partial-eval.js"
import { backwardPassWith } from "../interpreters/transpose.js"
import { definePrimitive, type Primitive, UndefPrimal, Zero } from "../primitive.js"
import { bind } from "../trace.js"
import { constant, instantiate } from "./common.js"
import { checkCount, checkProgram, hoistConsts } from "./call.js"
import { traceToJaxpr } from "../interpreters/stage.js"
import { jvpFlat } from "../interpreters/jvp.js"

/** A rule on flat lists: primals and tangents of the arguments to outputs and their tangents. */
export type FlatJvpRule = (primals: ReadonlyArray<Array>, tangents: ReadonlyArray<Array>) => readonly [ReadonlyArray<Array>, ReadonlyArray<Array>]
/** The user's forward pass on flat arguments: outputs, then residuals. */
export type FlatFwd = (args: ReadonlyArray<Array>) => readonly [ReadonlyArray<Array>, ReadonlyArray<Array>]
/** The user's backward pass: residuals and output cotangents to argument cotangents. */
export type FlatBwd = (residuals: ReadonlyArray<Array>, cts: ReadonlyArray<Array>) => ReadonlyArray<Array>

const allAtZero = (args: ReadonlyArray<Array>, dims: ReadonlyArray<number | null>, size: number): Array[] =>
  args.map((a, i) => moveBatchAxis(a, dims[i] ?? null, 0, size))

// ---------------------------------------------------------------------------------------------
// custom_jvp_call: inputs [consts of fun, args]; the rule sees only args.

export interface CustomJvpParams {
  readonly fun: Jaxpr
  readonly numConsts: number
  readonly jvp: FlatJvpRule
  readonly name: string
  readonly [k: string]: unknown
}

/** The params every custom call checks: its program takes the inputs, its counts fit, its rules are functions. */
const checkCustomCall = (
  what: string,
  avals: ReadonlyArray<ShapedArray>,
  p: Readonly<Record<string, unknown>>,
  rules: ReadonlyArray<string>
): ReadonlyArray<ShapedArray> => {
  if (typeof p.name !== "string") throw new ValueError(`${what}: the name param must be a string, got ${describe(p.name)}.`)
  checkCount(p.numConsts, avals.length, `${what}: numConsts`)
  for (const r of rules) if (typeof p[r] !== "function") throw new ValueError(`${what}: the ${r} param must be a function, got ${describe(p[r])}.`)
  return checkProgram(what, p.fun, avals)
}

export const customJvpCallP = definePrimitive<CustomJvpParams>("custom_jvp_call", (avals, p) => checkCustomCall("custom_jvp_call", avals, p, ["jvp"]), true)
customJvpCallP.printParams = (p) => [
  ["name", p.name],
  ["call_jaxpr", p.fun]
]
customJvpCallP.impl = (args, { fun }) => evalJaxpr(fun, [], args)
customJvpCallP.jvp = (primals, tangents, { jvp, numConsts, fun }) => {
  const [outs, touts] = jvp(primals.slice(numConsts), tangents.slice(numConsts))
  // Keep the declared output types (a rule returning a weak scalar for a strong one, say).
  const fixed = touts.map((t, i) => castLike(t, fun.outs[i]!.aval))
  return [outs, fixed]
}
customJvpCallP.batch = (args, dims, p, size) => {
  const xs = allAtZero(args, dims, size)
  const b = batchJaxpr(
    p.fun,
    xs.map(() => 0),
    size
  )
  const n = xs.length - p.numConsts
  const jvp: FlatJvpRule = (ps, ts) => {
    const [outs] = batchFlat(
      (all) => {
        const [o, t] = p.jvp(all.slice(0, n), all.slice(n))
        return [...o, ...t]
      },
      [...ps, ...ts],
      [...ps, ...ts].map(() => 0),
      size
    )
    const k = p.fun.outs.length
    return [outs.slice(0, k), outs.slice(k)]
  }
  const outs = bind(customJvpCallP, [...b.consts, ...xs], { fun: b.jaxpr, numConsts: b.consts.length + p.numConsts, jvp, name: p.name })
  return [outs, outs.map(() => 0)]
}

const castLike = (t: Array, aval: ShapedArray): Array => {
  if (t.shape.join(",") !== aval.shape.join(",")) {
    throw new ValueError(
      `customJvp: the jvp rule returned a tangent of shape [${t.shape.join(", ")}] for an output of shape [${aval.shape.join(", ")}]; they must match.`
    )
  }
  return t
}

// ---------------------------------------------------------------------------------------------
// custom_vjp_call and custom_lin

export interface CustomVjpParams {
  readonly fun: Jaxpr
  readonly numConsts: number
  readonly fwd: FlatFwd
  readonly bwd: FlatBwd
  readonly name: string
  readonly [k: string]: unknown
}

export interface CustomLinParams {
  readonly bwd: FlatBwd
  readonly numResiduals: number
  readonly outAvals: ReadonlyArray<ShapedArray>
  readonly name: string
  readonly [k: string]: unknown
}

export const customVjpCallP = definePrimitive<CustomVjpParams>(
  "custom_vjp_call",
  (avals, p) => checkCustomCall("custom_vjp_call", avals, p, ["fwd", "bwd"]),
  true
)
customVjpCallP.printParams = (p) => [
  ["name", p.name],
  ["call_jaxpr", p.fun]
]
customVjpCallP.impl = (args, { fun }) => evalJaxpr(fun, [], args)

export const customLinP = definePrimitive<CustomLinParams>(
  "custom_lin",
  (avals, { bwd, numResiduals, outAvals, name }) => {
    if (typeof name !== "string" || typeof bwd !== "function") throw new ValueError("custom_lin: the name param must be a string and bwd a function.")
    checkCount(numResiduals, avals.length, "custom_lin: numResiduals")
    if (!globalThis.Array.isArray(outAvals) || !outAvals.every((a) => a instanceof ShapedArray)) {
      throw new ValueError(`custom_lin: outAvals must be a list of ShapedArray, got ${describe(outAvals)}.`)
    }
    return outAvals.map((a) => a.strongType())
  },
  true
)
customLinP.printParams = (p) => [
  ["name", p.name],
  ["num_res", String(p.numResiduals)]
]
customLinP.impl = (_args, { name }) => {
  throw new ValueError(
    `forward-mode differentiation (jvp, jacfwd, hessian) of the customVjp function ${name} is not supported: it defines only a ` +
      "reverse-mode rule. Use grad/vjp/jacrev, or define the rule with customJvp."
  )
}

customVjpCallP.jvp = (primals, tangents, p) => {
  const args = primals.slice(p.numConsts)
  const [outs, res] = p.fwd(args)
  const touts = bind(customLinP, [...res, ...tangents.slice(p.numConsts)], {
    bwd: p.bwd,
    numResiduals: res.length,
    outAvals: p.fun.outs.map((o) => o.aval),
    name: p.name
  })
  return [outs, touts]
}

customLinP.transpose = (cts, args, { bwd, numResiduals, name }) => {
  const res = args.slice(0, numResiduals)
  if (res.some((r) => r instanceof UndefPrimal)) throw new ValueError(`custom_lin ${name}: residuals must be known`)
  const inCts = bwd(res as ReadonlyArray<Array>, cts.map(instantiate))
  const linear = args.slice(numResiduals)
  if (inCts.length !== linear.length) {
    throw new ValueError(
      `customVjp ${name}: the backward function returned ${inCts.length} cotangents for ${linear.length} arguments; return one per argument (in order).`
    )
  }
  return [...res.map(() => null), ...inCts.map((c, i) => castCt(c, linear[i]!.aval, name))]
}

const castCt = (c: Array, aval: ShapedArray, name: string): Array | Zero => {
  if (c.shape.join(",") !== aval.shape.join(",")) {
    throw new ValueError(`customVjp ${name}: a cotangent of shape [${c.shape.join(", ")}] was returned for an argument of shape [${aval.shape.join(", ")}]`)
  }
  return c
}

customVjpCallP.batch = (args, dims, p, size) => {
  const xs = allAtZero(args, dims, size)
  const b = batchJaxpr(
    p.fun,
    xs.map(() => 0),
    size
  )
  const k = p.fun.outs.length
  let nRes = 0
  const fwd: FlatFwd = (as) => {
    const [outs] = batchFlat(
      (all) => {
        const [o, r] = p.fwd(all)
        nRes = r.length
        return [...o, ...r]
      },
      as,
      as.map(() => 0),
      size
    )
    const moved = outs.map((o) => o)
    return [moved.slice(0, k), moved.slice(k, k + nRes)]
  }
  const bwd: FlatBwd = (res, cts) => {
    const [outs] = batchFlat(
      (all) => p.bwd(all.slice(0, res.length), all.slice(res.length)),
      [...res, ...cts],
      [...res, ...cts].map(() => 0),
      size
    )
    return outs
  }
  const outs = bind(customVjpCallP, [...b.consts, ...xs], { fun: b.jaxpr, numConsts: b.consts.length + p.numConsts, fwd, bwd, name: p.name })
  return [outs, outs.map(() => 0)]
}

// ---------------------------------------------------------------------------------------------
// checkpoint (remat)

export interface CheckpointParams {
  readonly jaxpr: Jaxpr
  readonly [k: string]: unknown
}

export const checkpointP = definePrimitive<CheckpointParams>("checkpoint", (avals, { jaxpr }) => checkProgram("checkpoint", jaxpr, avals), true)
checkpointP.printParams = (p) => [["jaxpr", p.jaxpr]]
checkpointP.impl = (args, { jaxpr }) => evalJaxpr(jaxpr, [], args)

checkpointP.jvp = (primals, tangents, { jaxpr }) => {
  const n = jaxpr.inVars.length
  const [closed] = traceToJaxpr([...primals.map((p) => p.aval), ...tangents.map((t) => t.aval)], (xs) => {
    const [ps, ts] = jvpFlat((ins) => evalJaxpr(jaxpr, [], ins), xs.slice(0, n), xs.slice(n))
    return [[...ps, ...ts.map((t) => instantiate(t instanceof Zero ? new Zero(t.aval.strongType()) : t))], undefined]
  })
  const j = hoistConsts(closed.jaxpr, closed.consts)
  const outs = bind(checkpointP, [...j.consts, ...primals, ...tangents], { jaxpr: j.jaxpr })
  const k = jaxpr.outs.length
  return [outs.slice(0, k), outs.slice(k)]
}

/** Keep only some outputs of a program. */
const selectOuts = (jaxpr: Jaxpr, keep: ReadonlyArray<boolean>): Jaxpr =>
  new Jaxpr(
    jaxpr.constVars,
    jaxpr.inVars,
    jaxpr.eqns,
    jaxpr.outs.filter((_, i) => keep[i])
  )

checkpointP.partialEval = (args, known, { jaxpr }, stage) => {
  // Known outputs are computed now; the unknown ones are staged as a checkpoint over all the
  // inputs, so the only residuals are the known inputs themselves.
  const pe = partialEvalJaxpr(
    jaxpr,
    known.map((k) => !k)
  )
  const nKnownOut = pe.outUnknown.filter((u) => !u).length
  const knownJaxpr = new Jaxpr([], pe.known.inVars, pe.known.eqns, pe.known.outs.slice(0, nKnownOut))
  const knownOuts = bind(checkpointP, [...pe.knownConsts, ...args.filter((_, i) => known[i])], { jaxpr: knownJaxpr })
  const unknownOuts = stage(checkpointP as unknown as Primitive, args, { jaxpr: selectOuts(jaxpr, pe.outUnknown) })
  let ki = 0
  let ui = 0
  return pe.outUnknown.map((u) => (u ? unknownOuts[ui++]! : knownOuts[ki++]!))
}

checkpointP.transpose = (cts, args, { jaxpr }) => {
  // Recompute the residuals from the saved inputs, then transpose the linear part.
  const unknown = args.map((a) => a instanceof UndefPrimal)
  const pe = partialEvalJaxpr(jaxpr, unknown)
  const knownArgs = args.filter((a) => !(a instanceof UndefPrimal)) as Array[]
  const knownOuts = evalJaxpr(pe.known, [], [...pe.knownConsts, ...knownArgs])
  const residuals = knownOuts.slice(knownOuts.length - pe.numResiduals)
  const linearArgs = args.filter((a) => a instanceof UndefPrimal) as UndefPrimal[]
  const unknownCts = cts.filter((_, i) => pe.outUnknown[i])
  const inCts = backwardPassWith(pe.unknown, [], [...residuals, ...linearArgs], unknownCts)
  let k = pe.numResiduals
  return args.map((a) => (a instanceof UndefPrimal ? inCts[k++]! : null))
}

checkpointP.batch = (args, dims, { jaxpr }, size) => {
  const b = batchJaxpr(jaxpr, dims, size)
  const outs = bind(checkpointP, [...b.consts, ...args], { jaxpr: b.jaxpr })
  return [outs, outs.map(() => 0)]
}
