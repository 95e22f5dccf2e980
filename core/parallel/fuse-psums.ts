/**
 * One psum for many: a per-device program's psums over the same axes (and dtype) become one psum
 * of their operands flattened and concatenated, placed where the first of their results is needed.
 * A data-parallel training step averages one gradient per parameter (six for a three-layer MLP);
 * across CPU devices each psum is a meeting of the devices at a barrier, and on a busy machine a
 * barrier costs the time until every device thread is scheduled again, whatever the data's size.
 * Fused, the step meets once. Delaying a psum is always valid (its operands exist where it was),
 * every member runs the same rewritten program (so the collectives still match up), and the sums
 * are the same numbers.
 */
import type { Array } from "../array.js"
import { ClosedJaxpr, Jaxpr, Lit, type Var } from "../ir.js"
import { bind } from "../trace.js"
import { concatenate, reshape, slice } from "../primitives/shape-ops.js"
import { traceToJaxpr } from "../interpreters/stage.js"
import { psumP, type ReduceParams } from "./collectives.js"

/** The top-level psums of one operand that can be fused, keyed by what must match. */
const fusable = (jaxpr: Jaxpr): Map<string, number> => {
  const counts = new Map<string, number>()
  for (const e of jaxpr.eqns) {
    const key = keyOf(e.primitive === psumP ? e : undefined)
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}

const keyOf = (e: { readonly inputs: ReadonlyArray<Var | Lit>; readonly params: unknown } | undefined): string | undefined => {
  if (e === undefined || e.inputs.length !== 1) return undefined
  const a = e.inputs[0]!.aval
  return `${(e.params as ReduceParams).axes.join("\u0000")}|${a.dtype}|${a.weakType}`
}

/**
 * The program with its psums fused (see the module comment); `withAxes` re-binds the program's
 * named axes around the re-trace. Returns the program itself when no two psums share a key.
 */
export const fusePsums = (closed: ClosedJaxpr, withAxes: <A>(args: ReadonlyArray<Array>, body: () => A) => A): ClosedJaxpr => {
  const jaxpr = closed.jaxpr
  if (![...fusable(jaxpr).values()].some((n) => n > 1)) return closed
  const [fused] = traceToJaxpr(
    jaxpr.inVars.map((v) => v.aval),
    (xs) => withAxes(xs, () => [run(jaxpr, closed.consts, xs), undefined] as const)
  )
  return new ClosedJaxpr(fused.jaxpr, fused.consts)
}

interface Group {
  readonly params: ReduceParams
  readonly ins: Array[]
  readonly outs: Var[]
}

/** Evaluate `jaxpr` (under the re-trace), holding psums back until a result of theirs is read. */
const run = (jaxpr: Jaxpr, consts: ReadonlyArray<Array>, args: ReadonlyArray<Array>): Array[] => {
  const env = new Map<Var, Array>()
  const held = new Map<Var, string>()
  const groups = new Map<string, Group>()
  const flush = (key: string): void => {
    const g = groups.get(key)!
    groups.delete(key)
    for (const v of g.outs) held.delete(v)
    if (g.ins.length === 1) {
      env.set(g.outs[0]!, bind(psumP, g.ins, g.params)[0]!)
      return
    }
    const sum = bind(
      psumP,
      [
        concatenate(
          g.ins.map((x) => reshape(x, [x.size])),
          0
        )
      ],
      g.params
    )[0]!
    let at = 0
    g.ins.forEach((x, i) => {
      env.set(g.outs[i]!, reshape(slice(sum, [at], [at + x.size]), x.shape))
      at += x.size
    })
  }
  const read = (a: Var | Lit): Array => {
    if (a instanceof Lit) return a.value
    const key = held.get(a)
    if (key !== undefined) flush(key)
    return env.get(a)!
  }
  jaxpr.constVars.forEach((v, i) => env.set(v, consts[i]!))
  jaxpr.inVars.forEach((v, i) => env.set(v, args[i]!))
  for (const e of jaxpr.eqns) {
    const key = keyOf(e.primitive === psumP ? e : undefined)
    if (key !== undefined) {
      const x = read(e.inputs[0]!)
      let g = groups.get(key)
      if (g === undefined) groups.set(key, (g = { params: e.params as ReduceParams, ins: [], outs: [] }))
      g.ins.push(x)
      g.outs.push(e.outVars[0]!)
      held.set(e.outVars[0]!, key)
      continue
    }
    const outs = bind(e.primitive, e.inputs.map(read), e.params)
    e.outVars.forEach((v, i) => env.set(v, outs[i]!))
  }
  return jaxpr.outs.map(read)
}
