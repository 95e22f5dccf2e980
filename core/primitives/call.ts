/**
 * `jit`: a call of a staged program. Eagerly it runs the backend's compiled executable; under jvp
 * it calls the jvp of the program; under partial evaluation (linearize) the program is inlined so
 * its primal part is computed now and its tangent part staged; under transposition it calls the
 * transposed program. Nested jit stays a call in the IR.
 */
import { type Array, ArrayImpl, type ShapedArray } from "../array.js"
import type { Backend } from "../backend.js"
import { track } from "../devices/lifetimes.js"
import { place } from "../devices/placement.js"
import { UnexpectedTracerError, ValueError } from "../errors.js"
import { checkDim, describe, shapeEqual } from "../shape.js"
import { evalJaxpr, Jaxpr } from "../ir.js"
import { batchJaxpr, currentRuleAxisName } from "../interpreters/batch.js"
import { jvpFlat } from "../interpreters/jvp.js"
import { traceToJaxpr } from "../interpreters/stage.js"
import { backwardPassWith } from "../interpreters/transpose.js"
import { Lru } from "../lru.js"
import { definePrimitive, UndefPrimal, Zero } from "../primitive.js"
import { bind } from "../trace.js"
import { instantiate } from "./common.js"

export interface JitParams {
  /** The program; its constants are passed as leading inputs (it has no constvars). */
  readonly jaxpr: Jaxpr
  readonly name: string
  /** How many leading inputs are captured constants (the device follows the first real argument). */
  readonly numConsts?: number
  readonly [k: string]: unknown
}

/**
 * The check a call-like primitive makes of a program param: a Jaxpr without constvars whose invars
 * take `avals` (their number, shapes and dtypes; weak types may differ). Returns its output types.
 */
export const checkProgram = (what: string, jaxpr: unknown, avals: ReadonlyArray<ShapedArray>): ReadonlyArray<ShapedArray> => {
  if (!(jaxpr instanceof Jaxpr) || jaxpr.constVars.length !== 0) {
    throw new ValueError(`${what}: the program param must be a Jaxpr without constvars (from makeJaxpr or tracing), got ${describe(jaxpr)}.`)
  }
  const ins = jaxpr.inVars
  const bad = ins.length !== avals.length ? -1 : ins.findIndex((v, i) => v.aval.dtype !== avals[i]!.dtype || !shapeEqual(v.aval.shape, avals[i]!.shape))
  if (ins.length !== avals.length || bad >= 0) {
    throw new ValueError(
      `${what}: the program takes (${ins.map((v) => v.aval.str()).join(", ")}) but is called on (${avals.map((a) => a.str()).join(", ")}); ` +
        "bind it with inputs of the types it was traced for."
    )
  }
  return jaxpr.outs.map((o) => o.aval)
}

/** A count param (how many leading inputs are constants, ...): a non-negative integer no larger than `max`. */
export const checkCount = (x: unknown, max: number, what: string): number => {
  const n = checkDim(x, what)
  if (n > max) throw new ValueError(`${what} is ${n}, more than the ${max} inputs there are.`)
  return n
}

export const jitP = definePrimitive<JitParams>(
  "jit",
  (avals, { jaxpr, name, numConsts }) => {
    if (typeof name !== "string") throw new ValueError(`jit: the name param must be a string, got ${describe(name)}.`)
    if (numConsts !== undefined) checkCount(numConsts, avals.length, "jit: numConsts")
    return checkProgram("jit", jaxpr, avals)
  },
  true
)
jitP.printParams = ({ jaxpr, name }) => [
  ["name", name],
  ["jaxpr", jaxpr]
]

export const callJit = (jaxpr: Jaxpr, name: string, args: ReadonlyArray<Array>, numConsts = 0): ReadonlyArray<Array> =>
  bind(jitP, args, numConsts === 0 ? { jaxpr, name } : { jaxpr, name, numConsts })

/**
 * Run a compiled call now, outside every transformation, on concrete arrays whose avals are the
 * program's own (the caller knows: jit's same-avals fast path), skipping the shape rule's check.
 */
export const callJitNow = (jaxpr: Jaxpr, name: string, args: ReadonlyArray<Array>): ReadonlyArray<Array> => jitP.impl!(args, { jaxpr, name })

jitP.impl = (args, { jaxpr, name }) => {
  // Placed as an eager operation is: on the committed inputs' device, else the default device.
  const { device, committed, inputs } = place(name, args, notConcrete)
  const backend = device.backend
  const exe = backend.compile(jaxpr)
  let on = compiledOn.get(jaxpr)
  if (on === undefined) compiledOn.set(jaxpr, (on = new Set()))
  on.add(backend)
  const outs = exe(inputs)
  return jaxpr.outs.map((o, i) => track(new ArrayImpl(o.aval, outs[i]!, device, committed)))
}

const notConcrete = (x: Array): Error =>
  new UnexpectedTracerError(
    `jit: a traced value (${x.aval.str()}) reached a compiled call outside its transformation; return it from the transformed function instead.`
  )

// The backends that compiled each program, so that releasing it reaches all of them.
const compiledOn = new WeakMap<Jaxpr, Set<Backend>>()

/**
 * Free what backends compiled for `jaxpr` and for the programs derived from it (its jvp, its
 * batched versions), and forget those derived programs. jit calls this when a program leaves its
 * cache. Safe while the program runs: a running call finishes, a later call compiles it again.
 */
export const releaseJit = (jaxpr: Jaxpr): void => {
  const on = compiledOn.get(jaxpr)
  compiledOn.delete(jaxpr)
  for (const b of on ?? []) b.releaseProgram(jaxpr)
  const j = jvpCache.get(jaxpr)
  jvpCache.delete(jaxpr)
  if (j !== undefined) releaseJit(j.jaxpr)
  const batched = batchCache.get(jaxpr)
  batchCache.delete(jaxpr)
  batched?.clear()
}

/** Turn a closed jaxpr's constvars into leading inputs. */
export const hoistConsts = (jaxpr: Jaxpr, consts: ReadonlyArray<Array>): { jaxpr: Jaxpr; consts: ReadonlyArray<Array> } => ({
  jaxpr: new Jaxpr([], [...jaxpr.constVars, ...jaxpr.inVars], jaxpr.eqns, jaxpr.outs),
  consts
})

// jvp: call the jvp of the program, built once per program.
const jvpCache = new WeakMap<Jaxpr, { readonly jaxpr: Jaxpr; readonly consts: ReadonlyArray<Array> }>()
const jvpOf = (jaxpr: Jaxpr): { readonly jaxpr: Jaxpr; readonly consts: ReadonlyArray<Array> } => {
  let j = jvpCache.get(jaxpr)
  if (j === undefined) {
    const n = jaxpr.inVars.length
    const avals: ShapedArray[] = [...jaxpr.inVars.map((v) => v.aval), ...jaxpr.inVars.map((v) => v.aval.strongType())]
    const [closed] = traceToJaxpr(avals, (xs) => {
      const [ps, ts] = jvpFlat((ins) => evalJaxpr(jaxpr, [], ins), xs.slice(0, n), xs.slice(n))
      return [[...ps, ...ts.map((t) => instantiate(t instanceof Zero ? new Zero(t.aval.strongType()) : t))], undefined]
    })
    j = hoistConsts(closed.jaxpr, closed.consts)
    jvpCache.set(jaxpr, j)
  }
  return j
}

jitP.jvp = (primals, tangents, { jaxpr, name }) => {
  const j = jvpOf(jaxpr)
  const outs = bind(jitP, [...j.consts, ...primals, ...tangents], { jaxpr: j.jaxpr, name: `jvp(${name})` })
  const n = jaxpr.outs.length
  return [outs.slice(0, n), outs.slice(n)]
}

jitP.partialEval = (args, _known, { jaxpr }) => evalJaxpr(jaxpr, [], args)

jitP.transpose = (cts, args, { jaxpr, name }) => {
  // Stage the backward pass of the body as a program of (known inputs, output cotangents).
  const knownIdx = args.flatMap((a, i) => (a instanceof UndefPrimal ? [] : [i]))
  const linearIdx = args.flatMap((a, i) => (a instanceof UndefPrimal ? [i] : []))
  const ctArrays = cts.map(instantiate)
  const avals = [...knownIdx.map((i) => (args[i] as Array).aval), ...ctArrays.map((c) => c.aval)]
  const [closed] = traceToJaxpr(avals, (xs) => {
    const full: (Array | UndefPrimal)[] = args.map((a) => a)
    knownIdx.forEach((i, k) => (full[i] = xs[k]!))
    const inCts = backwardPassWith(jaxpr, [], full, xs.slice(knownIdx.length))
    return [linearIdx.map((i) => instantiate(inCts[i]!)), undefined]
  })
  const { jaxpr: tj, consts } = hoistConsts(closed.jaxpr, closed.consts)
  const outs = bind(jitP, [...consts, ...knownIdx.map((i) => args[i] as Array), ...ctArrays], { jaxpr: tj, name: `transpose(${name})` })
  const result: (Array | null)[] = args.map(() => null)
  linearIdx.forEach((i, k) => (result[i] = outs[k]!))
  return result
}

// Batching: call the batched program (built once per program, batch dims and size; the most
// recently used BATCHED_PER_PROGRAM of them, as a vmap over many batch sizes would add one each).
const BATCHED_PER_PROGRAM = 64
const batchCache = new WeakMap<Jaxpr, Lru<string, { readonly jaxpr: Jaxpr; readonly consts: ReadonlyArray<Array> }>>()
jitP.batch = (args, dims, { jaxpr, name }, size) => {
  let m = batchCache.get(jaxpr)
  if (m === undefined) batchCache.set(jaxpr, (m = new Lru(BATCHED_PER_PROGRAM, (b) => releaseJit(b.jaxpr))))
  const key = `${size}:${dims.join(",")}:${currentRuleAxisName() ?? ""}`
  let b = m.get(key)
  if (b === undefined) m.set(key, (b = batchJaxpr(jaxpr, dims, size)))
  const outs = bind(jitP, [...b.consts, ...args], { jaxpr: b.jaxpr, name: `vmap(${name})` })
  return [outs, outs.map(() => 0)]
}
