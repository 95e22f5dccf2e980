/**
 * Batching (vmap): each tracer carries a value with an extra batch dimension (or none, when the
 * value is the same for every batch element). Primitives are rewritten by their batching rules.
 */
import { type Array, ShapedArray } from "../array.js"
import { ValueError } from "../errors.js"
import { evalJaxpr, Jaxpr } from "../ir.js"
import type { Params, Primitive } from "../primitive.js"
import { moveBatchAxis } from "../primitives/layout.js"
import { bind, type MainTrace, Trace, Tracer, withNewMain } from "../trace.js"
import { traceToJaxpr } from "./stage.js"

export class BatchTracer extends Tracer {
  readonly aval: ShapedArray
  constructor(readonly trace: BatchTrace, readonly val: Array, readonly bdim: number | null) {
    super()
    this.aval = bdim === null ? val.aval : new ShapedArray(val.shape.filter((_, i) => i !== bdim), val.dtype, val.weakType)
  }
  override fullLower(): Array {
    return this.bdim === null ? this.val : this
  }
}

export class BatchTrace extends Trace {
  get axisSize(): number {
    return this.main.globalData as number
  }
  pure(x: Array): Tracer {
    return new BatchTracer(this, x, null)
  }
  processPrimitive(prim: Primitive, tracers: ReadonlyArray<Tracer>, params: Params): ReadonlyArray<Array> {
    const ts = tracers as ReadonlyArray<BatchTracer>
    const vals = ts.map((t) => t.val)
    const dims = ts.map((t) => t.bdim)
    if (dims.every((d) => d === null)) return bind(prim, vals, params)
    if (prim.batch === undefined) throw new ValueError(`vmap of the primitive ${prim.name} is not implemented (it has no batching rule)`)
    const [outs, outDims] = prim.batch(vals, dims, params, this.axisSize)
    return outs.map((o, i) => new BatchTracer(this, o, outDims[i] ?? null))
  }
}

// The batch-axis moves live beside the layout primitives they use (no import cycle); exported here as before.
export { batchFirst, leadingOne, moveBatchAxis } from "../primitives/layout.js"

/** vmap of a function of flat arrays: inputs with their batch dims, outputs with batch dims. */
export const batchFlat = (
  f: (xs: ReadonlyArray<Array>) => ReadonlyArray<Array>,
  xs: ReadonlyArray<Array>,
  dims: ReadonlyArray<number | null>,
  axisSize: number
): [Array[], (number | null)[]] =>
  withNewMain((m: MainTrace) => new BatchTrace(m), axisSize, (main) => {
    const trace = main.trace() as BatchTrace
    const ins = xs.map((x, i) => new BatchTracer(trace, x, dims[i] ?? null))
    const outs = f(ins)
    const vals: Array[] = []
    const outDims: (number | null)[] = []
    for (const o of outs) {
      if (o instanceof BatchTracer && o.trace.main === main) {
        vals.push(o.val)
        outDims.push(o.bdim)
      } else {
        vals.push(o)
        outDims.push(null)
      }
    }
    return [vals, outDims]
  })

/**
 * The batched version of a program: inputs batched at `dims` (null = unbatched), every output
 * batched at 0. Returns the program (constants as leading inputs) and its constants.
 */
export const batchJaxpr = (
  jaxpr: Jaxpr,
  dims: ReadonlyArray<number | null>,
  axisSize: number
): { readonly jaxpr: Jaxpr; readonly consts: ReadonlyArray<Array> } => {
  const avals = jaxpr.inVars.map((v, i) => {
    const d = dims[i] ?? null
    if (d === null) return v.aval
    const shape = [...v.aval.shape]
    shape.splice(d, 0, axisSize)
    return new ShapedArray(shape, v.aval.dtype, v.aval.weakType)
  })
  const [closed] = traceToJaxpr(avals, (xs) => {
    const [outs, outDims] = batchFlat((ins) => evalJaxpr(jaxpr, [], ins), xs, dims, axisSize)
    return [outs.map((o, i) => moveBatchAxis(o, outDims[i] ?? null, 0, axisSize)), undefined]
  })
  const { constVars, inVars, eqns, outs } = closed.jaxpr
  return { jaxpr: new Jaxpr([], [...constVars, ...inVars], eqns, outs), consts: closed.consts }
}
