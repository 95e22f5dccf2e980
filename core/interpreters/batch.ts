/**
 * Batching (vmap): each tracer carries a value with an extra batch dimension (or none, when the
 * value is the same for every batch element). Primitives are rewritten by their batching rules.
 */
import { type Array, ShapedArray } from "../array.js"
import { ValueError } from "../errors.js"
import { ClosedJaxpr, evalJaxpr, Jaxpr } from "../ir.js"
import { withAxisFrame } from "../parallel/axis-env.js"
import type { Params, Primitive } from "../primitive.js"
import { moveBatchAxis } from "../primitives/layout.js"
import { bind, type MainTrace, Trace, Tracer, withNewMain } from "../trace.js"
import { traceToJaxpr } from "./stage.js"

export class BatchTracer extends Tracer {
  readonly aval: ShapedArray
  constructor(
    readonly trace: BatchTrace,
    readonly val: Array,
    readonly bdim: number | null
  ) {
    super()
    this.aval =
      bdim === null
        ? val.aval
        : new ShapedArray(
            val.shape.filter((_, i) => i !== bdim),
            val.dtype,
            val.weakType
          )
  }
  override fullLower(): Array {
    return this.bdim === null ? this.val : this
  }
}

/** What a batch transformation shares with its traces: the batch size and its axis name (or null). */
interface BatchData {
  readonly size: number
  readonly name: string | null
}

/** The axis name of the batch trace whose batching rule is running (for rules that batch sub-programs). */
let ruleAxisName: string | null = null
/** The axis name sub-programs batched by the running batching rule bind (null: none). */
export const currentRuleAxisName = (): string | null => ruleAxisName

/** Whether the params (sub-programs) of a call-like primitive hold a collective over `name`. */
const paramsUseAxis = (value: unknown, name: string, seen: Set<unknown>): boolean => {
  if (typeof value !== "object" || value === null || seen.has(value)) return false
  seen.add(value)
  if (value instanceof ClosedJaxpr) return paramsUseAxis(value.jaxpr, name, seen)
  if (value instanceof Jaxpr) {
    return value.eqns.some((e) => e.primitive.axisNames?.(e.params).includes(name) === true || paramsUseAxis(e.params, name, seen))
  }
  if (globalThis.Array.isArray(value)) return value.some((v) => paramsUseAxis(v, name, seen))
  if (Object.getPrototypeOf(value) !== Object.prototype) return false
  return Object.values(value).some((v) => paramsUseAxis(v, name, seen))
}

export class BatchTrace extends Trace {
  get axisSize(): number {
    return (this.main.globalData as BatchData).size
  }
  get axisName(): string | null {
    return (this.main.globalData as BatchData).name
  }
  pure(x: Array): Tracer {
    return new BatchTracer(this, x, null)
  }
  processPrimitive(prim: Primitive, tracers: ReadonlyArray<Tracer>, params: Params): ReadonlyArray<Array> {
    const ts = tracers as ReadonlyArray<BatchTracer>
    const vals = ts.map((t) => t.val)
    const dims: (number | null)[] = ts.map((t) => t.bdim)
    const name = this.axisName
    // A collective over this trace's axis: communicate across the batch (batched or not).
    if (name !== null && prim.axisNames !== undefined && prim.axisNames(params).includes(name)) {
      if (prim.axisBatch === undefined) throw new ValueError(`the collective ${prim.name} has no rule for the axis that binds it`)
      const [outs, outDims] = prim.axisBatch(vals, dims, params, this.axisSize, name)
      return outs.map((o, i) => new BatchTracer(this, o, outDims[i] ?? null))
    }
    if (!dims.some((d) => d !== null)) {
      // A sub-program with a collective over this axis must be batched even on unbatched inputs.
      if (name === null || vals.length === 0 || !paramsUseAxis(params, name, new Set())) return bind(prim, vals, params)
      vals.splice(0, 1, moveBatchAxis(vals[0]!, null, 0, this.axisSize))
      dims.splice(0, 1, 0)
    }
    if (prim.batch === undefined) throw new ValueError(`vmap of the primitive ${prim.name} is not implemented (it has no batching rule)`)
    const prev = ruleAxisName
    ruleAxisName = name
    try {
      const [outs, outDims] = prim.batch(vals, dims, params, this.axisSize)
      return outs.map((o, i) => new BatchTracer(this, o, outDims[i] ?? null))
    } finally {
      ruleAxisName = prev
    }
  }
}

// The batch-axis moves live beside the layout primitives they use (no import cycle); exported here as before.
export { batchFirst, leadingOne, moveBatchAxis } from "../primitives/layout.js"

/** vmap of a function of flat arrays: inputs with their batch dims, outputs with batch dims. */
export const batchFlat = (
  f: (xs: ReadonlyArray<Array>) => ReadonlyArray<Array>,
  xs: ReadonlyArray<Array>,
  dims: ReadonlyArray<number | null>,
  axisSize: number,
  axisName: string | null = null
): [Array[], (number | null)[]] =>
  withNewMain(
    (m: MainTrace) => new BatchTrace(m),
    { size: axisSize, name: axisName } satisfies BatchData,
    (main) => (axisName === null ? batchBody(main, f, xs, dims) : withAxisFrame({ name: axisName, size: axisSize, main }, () => batchBody(main, f, xs, dims)))
  )

const batchBody = (
  main: MainTrace,
  f: (xs: ReadonlyArray<Array>) => ReadonlyArray<Array>,
  xs: ReadonlyArray<Array>,
  dims: ReadonlyArray<number | null>
): [Array[], (number | null)[]] => {
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
}

/**
 * The batched version of a program: inputs batched at `dims` (null = unbatched), every output
 * batched at 0. Returns the program (constants as leading inputs) and its constants. Collectives
 * over `axisName` (default: the axis of the batching rule that calls this) become batch operations.
 */
export const batchJaxpr = (
  jaxpr: Jaxpr,
  dims: ReadonlyArray<number | null>,
  axisSize: number,
  axisName: string | null = ruleAxisName
): { readonly jaxpr: Jaxpr; readonly consts: ReadonlyArray<Array> } => {
  const avals = jaxpr.inVars.map((v, i) => {
    const d = dims[i] ?? null
    if (d === null) return v.aval
    const shape = [...v.aval.shape]
    shape.splice(d, 0, axisSize)
    return new ShapedArray(shape, v.aval.dtype, v.aval.weakType)
  })
  const [closed] = traceToJaxpr(avals, (xs) => {
    const [outs, outDims] = batchFlat((ins) => evalJaxpr(jaxpr, [], ins), xs, dims, axisSize, axisName)
    return [outs.map((o, i) => moveBatchAxis(o, outDims[i] ?? null, 0, axisSize)), undefined]
  })
  const { constVars, inVars, eqns, outs } = closed.jaxpr
  return { jaxpr: new Jaxpr([], [...constVars, ...inVars], eqns, outs), consts: closed.consts }
}
