/**
 * Partial evaluation: values are known (computed now) or unknown (staged into a jaxpr). Running a
 * jvp with known primals and unknown tangents splits it into the primal computation (done now)
 * and a linear program of the tangents: that is `linearize`, and reverse mode transposes it.
 */
import { type Array, ArrayImpl, type ShapedArray } from "../array.js"
import { ClosedJaxpr, type Eqn, evalJaxpr, Jaxpr, type Lit, literalOf, Var } from "../ir.js"
import { abstractEval, type Params, type Primitive, Zero } from "../primitive.js"
import { instantiate } from "../primitives/common.js"
import { bind, fullRaise, type MainTrace, Trace, Tracer, withNewMain } from "../trace.js"
import { jvpFlat } from "./jvp.js"
import { withNameStack } from "../name-stack.js"
import { StageBuilder as Builder, traceToJaxpr } from "./stage.js"

export class PETracer extends Tracer {
  constructor(
    readonly trace: PETrace,
    readonly aval: ShapedArray,
    readonly known: Array | undefined,
    readonly variable: Var | undefined
  ) {
    super()
  }
  override fullLower(): Array {
    return this.known ?? this
  }
  override concreteValue(): Array | undefined {
    const k = this.known
    return k instanceof Tracer ? k.concreteValue() : k
  }
}

export class PETrace extends Trace {
  private get builder(): Builder {
    return this.main.globalData as Builder
  }
  pure(x: Array): Tracer {
    return new PETracer(this, x.aval, x, undefined)
  }
  /** The atom for a tracer in the staged program (known values become constants). */
  atom(t: PETracer): Var | Lit {
    if (t.variable !== undefined) return t.variable
    const k = t.known!
    return (k instanceof ArrayImpl ? literalOf(k) : undefined) ?? this.builder.constVar(k)
  }
  newUnknown(aval: ShapedArray): PETracer {
    return new PETracer(this, aval, undefined, new Var(aval))
  }
  processPrimitive(prim: Primitive, tracers: ReadonlyArray<Tracer>, params: Params): ReadonlyArray<Array> {
    const ts = tracers as ReadonlyArray<PETracer>
    if (ts.every((t) => t.known !== undefined)) {
      return bind(
        prim,
        ts.map((t) => t.known!),
        params
      ).map((x) => this.pure(x))
    }
    if (prim.partialEval !== undefined) {
      const stage = (p: Primitive, args: ReadonlyArray<Array>, ps: Params) =>
        this.stage(
          p,
          args.map((a) => fullRaise(this, a) as PETracer),
          ps
        )
      return prim.partialEval(
        ts,
        ts.map((t) => t.known !== undefined),
        params,
        stage
      )
    }
    return this.stage(prim, ts, params)
  }
  /** Record an equation of the unknown part, whatever its inputs. */
  stage(prim: Primitive, ts: ReadonlyArray<PETracer>, params: Params): PETracer[] {
    const inputs = ts.map((t) => this.atom(t))
    const avals = abstractEval(
      prim,
      ts.map((t) => t.aval),
      params
    )
    const outs = avals.map((a) => this.newUnknown(a))
    this.builder.eqns.push(withNameStack({ primitive: prim, inputs, params, outVars: outs.map((o) => o.variable!) }))
    return outs
  }
}

/** Remove equations whose outputs are not needed by the program's outputs. */
const dce = (eqns: ReadonlyArray<Eqn>, outs: ReadonlyArray<Var | Lit>): Eqn[] => {
  const live = new Set<Var>()
  for (const o of outs) if (o instanceof Var) live.add(o)
  const kept: Eqn[] = []
  for (let i = eqns.length - 1; i >= 0; i--) {
    const e = eqns[i]!
    if (!e.primitive.effectful && !e.outVars.some((v) => live.has(v))) continue
    kept.push(e)
    for (const a of e.inputs) if (a instanceof Var) live.add(a)
  }
  return kept.reverse()
}

/**
 * Linearize a function of flat arrays at `primals`: returns the primal outputs, a linear program
 * mapping input tangents to the tangents of the first `nLinear` outputs (default: all), and the
 * remaining outputs (auxiliary values, not differentiated).
 */
export const linearizeFlat = (
  f: (xs: ReadonlyArray<Array>) => ReadonlyArray<Array>,
  primals: ReadonlyArray<Array>,
  nLinear?: number
): [Array[], ClosedJaxpr] => {
  const builder = new Builder()
  return withNewMain(
    (m: MainTrace) => new PETrace(m),
    builder,
    (main) => {
      const trace = main.trace() as PETrace
      const tangentsIn = primals.map((p) => trace.newUnknown(p.aval.strongType()))
      const [primalsOut, tangentsOut] = jvpFlat(f, primals, tangentsIn)
      const outAtoms = tangentsOut.slice(0, nLinear ?? tangentsOut.length).map((t) => {
        const x = instantiate(t instanceof Zero ? new Zero(t.aval.strongType()) : t)
        const tr = x instanceof PETracer && x.trace.main === main ? x : (trace.pure(x) as PETracer)
        return trace.atom(tr)
      })
      const jaxpr = new Jaxpr(
        builder.constVars,
        tangentsIn.map((t) => t.variable!),
        dce(builder.eqns, outAtoms),
        outAtoms
      )
      const pOut = primalsOut.map((p) => (p instanceof PETracer ? p.fullLower() : p))
      return [pOut, new ClosedJaxpr(jaxpr, builder.consts)]
    }
  )
}

/** The split of a program into the part computable from known inputs and the rest. */
export interface PartialJaxpr {
  /** Captured constants, then known inputs -> known outputs, then residuals. */
  readonly known: Jaxpr
  /** The constants `known` takes first. */
  readonly knownConsts: ReadonlyArray<Array>
  /** Residuals, then unknown inputs -> unknown outputs. */
  readonly unknown: Jaxpr
  /** Which outputs are unknown. */
  readonly outUnknown: ReadonlyArray<boolean>
  readonly numResiduals: number
}

/**
 * Partially evaluate a program (no constvars) given which inputs are unknown. Outputs listed in
 * `instantiate` are made unknown even when computable (so loop carries keep one status).
 * Known values the unknown part needs become residuals: outputs of `known`, inputs of `unknown`.
 */
export const partialEvalJaxpr = (
  jaxpr: Jaxpr,
  unknownIns: ReadonlyArray<boolean>,
  instantiate: ReadonlyArray<boolean> = jaxpr.outs.map(() => false)
): PartialJaxpr => {
  const knownAvals = jaxpr.inVars.filter((_, i) => !unknownIns[i]).map((v) => v.aval)
  let unknownJaxpr: Jaxpr | undefined
  let outUnknown: boolean[] = []
  let numResiduals = 0
  const [knownClosed] = traceToJaxpr(knownAvals, (knownArgs) => {
    const builder = new Builder()
    return withNewMain(
      (m: MainTrace) => new PETrace(m),
      builder,
      (main) => {
        const trace = main.trace() as PETrace
        let k = 0
        const unknownTracers: PETracer[] = []
        const ins = jaxpr.inVars.map((v, i) => {
          if (!unknownIns[i]) return trace.pure(knownArgs[k++]!) as PETracer
          const t = trace.newUnknown(v.aval)
          unknownTracers.push(t)
          return t
        })
        const outs = evalJaxpr(jaxpr, [], ins).map((o) => fullRaise(trace, o) as PETracer)
        const knownOuts: Array[] = []
        const unknownAtoms: (Var | Lit)[] = []
        outUnknown = outs.map((o, i) => o.known === undefined || instantiate[i] === true)
        outs.forEach((o, i) => {
          if (outUnknown[i]) unknownAtoms.push(trace.atom(o))
          else knownOuts.push(o.known!)
        })
        const eqns = dce(builder.eqns, unknownAtoms)
        const used = new Set<Var>()
        for (const e of eqns) for (const a of e.inputs) if (a instanceof Var) used.add(a)
        for (const a of unknownAtoms) if (a instanceof Var) used.add(a)
        const resVars = builder.constVars.filter((v) => used.has(v))
        const residuals = builder.consts.filter((_, i) => used.has(builder.constVars[i]!))
        numResiduals = residuals.length
        unknownJaxpr = new Jaxpr([], [...resVars, ...unknownTracers.map((t) => t.variable!)], eqns, unknownAtoms)
        return [[...knownOuts, ...residuals], undefined]
      }
    )
  })
  // Constants the known part captured become its leading inputs.
  const known = new Jaxpr([], [...knownClosed.jaxpr.constVars, ...knownClosed.jaxpr.inVars], knownClosed.jaxpr.eqns, knownClosed.jaxpr.outs)
  return { known, knownConsts: knownClosed.consts, unknown: unknownJaxpr!, outUnknown, numResiduals }
}
