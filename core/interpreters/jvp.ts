/**
 * Forward-mode differentiation: each tracer carries a primal and a tangent. Tangents may be the
 * symbolic `Zero`; a primitive whose tangents are all zero is evaluated without its jvp rule, so
 * constants and undifferentiated arguments cost nothing.
 */
import { type Array, ShapedArray } from "../array.js"
import { isInexact } from "../dtype.js"
import { ValueError } from "../errors.js"
import { type Params, type Primitive, Zero } from "../primitive.js"
import { instantiate } from "../primitives/common.js"
import { bind, type MainTrace, Trace, Tracer, withNewMain } from "../trace.js"

export class JVPTracer extends Tracer {
  readonly aval: ShapedArray
  constructor(
    readonly trace: JVPTrace,
    readonly primal: Array,
    readonly tangent: Array | Zero
  ) {
    super()
    this.aval = primal.aval
  }
  override concreteValue(): Array | undefined {
    const p = this.primal
    return p instanceof Tracer ? p.concreteValue() : p
  }
}

export class JVPTrace extends Trace {
  pure(x: Array): Tracer {
    return new JVPTracer(this, x, new Zero(x.aval))
  }
  processPrimitive(prim: Primitive, tracers: ReadonlyArray<Tracer>, params: Params): ReadonlyArray<Array> {
    const ts = tracers as ReadonlyArray<JVPTracer>
    const primals = ts.map((t) => t.primal)
    // Integer and bool values carry no derivative (JAX's float0): their tangents count as zero.
    if (ts.every((t) => t.tangent instanceof Zero || !isInexact(t.aval.dtype))) {
      return bind(prim, primals, params).map((p) => new JVPTracer(this, p, new Zero(p.aval)))
    }
    if (prim.jvp === undefined) {
      throw new ValueError(`differentiation of the primitive ${prim.name} is not implemented (it has no jvp rule)`)
    }
    // Rules that take symbolic zeros get them (no zeros array is made); the others get arrays.
    const symbolic = prim.jvpSymbolic
    const [outs, tangents] =
      symbolic !== undefined
        ? symbolic(
            primals,
            ts.map((t) => (isInexact(t.aval.dtype) ? t.tangent : new Zero(t.aval))),
            params
          )
        : prim.jvp(
            primals,
            ts.map((t) => (isInexact(t.aval.dtype) ? instantiate(t.tangent) : instantiate(new Zero(t.aval)))),
            params
          )
    return outs.map((p, i) => new JVPTracer(this, p, tangents[i]!))
  }
}

/**
 * jvp of a function on flat lists of arrays. Returns primal outputs and their tangents (symbolic
 * zeros are kept where an output does not depend on the inputs).
 */
export const jvpFlat = (
  f: (xs: ReadonlyArray<Array>) => ReadonlyArray<Array>,
  primals: ReadonlyArray<Array>,
  tangents: ReadonlyArray<Array | Zero>
): [Array[], (Array | Zero)[]] =>
  withNewMain(
    (m: MainTrace) => new JVPTrace(m),
    null,
    (main) => {
      const trace = main.trace()
      const ins = primals.map((p, i) => new JVPTracer(trace as JVPTrace, p, tangents[i]!))
      const outs = f(ins)
      const ps: Array[] = []
      const tsOut: (Array | Zero)[] = []
      for (const o of outs) {
        if (o instanceof JVPTracer && o.trace.main === main) {
          ps.push(o.primal)
          tsOut.push(o.tangent)
        } else {
          ps.push(o)
          tsOut.push(new Zero(o.aval))
        }
      }
      return [ps, tsOut]
    }
  )
