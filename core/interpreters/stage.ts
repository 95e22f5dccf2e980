/**
 * Staging: trace a function into a jaxpr. Every operation is recorded, even on constants (the
 * staging trace is "dynamic": it is the innermost trace for the duration of tracing). Concrete
 * scalars become literals; other values from outside become constant variables.
 */
import { type Array, ArrayImpl, type ShapedArray } from "../array.js"
import { ClosedJaxpr, type Eqn, Jaxpr, type Lit, literalOf, Var } from "../ir.js"
import { abstractEval, type Params, type Primitive } from "../primitive.js"
import { type MainTrace, Trace, Tracer, withNewDynamic } from "../trace.js"
import { withNameStack } from "../name-stack.js"

/** Equations and captured constants of a program being built (staging and partial evaluation). */
export class StageBuilder {
  readonly eqns: Eqn[] = []
  readonly constVars: Var[] = []
  readonly consts: Array[] = []
  private readonly constOf = new Map<Array, Var>()

  constVar(x: Array): Var {
    let v = this.constOf.get(x)
    if (v === undefined) {
      v = new Var(x.aval)
      this.constOf.set(x, v)
      this.constVars.push(v)
      this.consts.push(x)
    }
    return v
  }
}

export class StageTracer extends Tracer {
  constructor(
    readonly trace: StageTrace,
    readonly aval: ShapedArray,
    readonly atom: Var | Lit,
    /** The traced arguments this value depends on (for ConcretizationError messages). */
    readonly deps: ReadonlyArray<string> = []
  ) {
    super()
  }
  override dependence(): string {
    if (this.deps.length === 0) return ""
    return ` The value depends on ${this.deps.join(", ")}.`
  }
}

const mergeDeps = (ts: ReadonlyArray<StageTracer>): ReadonlyArray<string> => {
  let out: ReadonlyArray<string> = []
  for (const t of ts) {
    if (t.deps.length === 0 || t.deps === out) continue
    if (out.length === 0) out = t.deps
    else if (out.length < 4) out = [...new Set([...out, ...t.deps])].slice(0, 4)
  }
  return out
}

export class StageTrace extends Trace {
  override get runsShapeRule(): boolean {
    return true
  }
  get builder(): StageBuilder {
    return this.main.globalData as StageBuilder
  }
  pure(x: Array): Tracer {
    const lit = x instanceof ArrayImpl ? literalOf(x) : undefined
    return new StageTracer(this, x.aval, lit ?? this.builder.constVar(x))
  }
  newArg(aval: ShapedArray, label?: string): StageTracer {
    return new StageTracer(this, aval, new Var(aval), label === undefined ? [] : [label])
  }
  processPrimitive(prim: Primitive, tracers: ReadonlyArray<Tracer>, params: Params): ReadonlyArray<Array> {
    const ts = tracers as ReadonlyArray<StageTracer>
    const avals = abstractEval(
      prim,
      ts.map((t) => t.aval),
      params
    )
    const outVars = avals.map((a) => new Var(a))
    this.builder.eqns.push(withNameStack({ primitive: prim, inputs: ts.map((t) => t.atom), params, outVars }))
    const deps = mergeDeps(ts)
    return outVars.map((v) => new StageTracer(this, v.aval, v, deps))
  }
}

/**
 * Trace `f` on abstract inputs into a closed jaxpr. `f` receives tracers and returns arrays
 * (anything else it returns is up to the caller). Returns the program and whatever `f` returned.
 */
export const traceToJaxpr = <R>(
  avals: ReadonlyArray<ShapedArray>,
  f: (args: ReadonlyArray<Array>) => [ReadonlyArray<Array>, R],
  labels: ReadonlyArray<string> = []
): [ClosedJaxpr, R] => {
  const builder = new StageBuilder()
  return withNewDynamic(
    (m: MainTrace) => new StageTrace(m),
    builder,
    (main) => {
      const trace = main.trace() as StageTrace
      const args = avals.map((a, i) => trace.newArg(a, labels[i]))
      const [outs, extra] = f(args)
      const outAtoms = outs.map((o) => {
        const t = o instanceof StageTracer && o.trace.main === main ? o : (trace.pure(o) as StageTracer)
        return t.atom
      })
      const jaxpr = new Jaxpr(
        builder.constVars,
        args.map((a) => a.atom as Var),
        builder.eqns,
        outAtoms
      )
      return [new ClosedJaxpr(jaxpr, builder.consts), extra]
    }
  )
}
