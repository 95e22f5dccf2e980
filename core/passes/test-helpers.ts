/** Helpers for the pass tests: hand-built programs, literals, and exact comparison of results. */
import { ArrayImpl, ShapedArray } from "../array.js"
import { type DType, typedArrayCtor } from "../dtype.js"
import { type Atom, type Eqn, evalJaxpr, Jaxpr, Lit, Var } from "../ir.js"
import { definePrimitive, type Params, type Primitive } from "../primitive.js"
import { fromHost } from "../trace.js"
import type { Array } from "../array.js"

export const aval = (dtype: DType, shape: ReadonlyArray<number> = [], weak = false): ShapedArray => new ShapedArray(shape, dtype, weak)

/** A scalar literal with exactly this value (-0.0 and NaN included). */
export const lit = (value: number, dtype: DType = "float32", weak = false): Lit => {
  const data = new (typedArrayCtor(dtype))(1)
  data[0] = value
  return new Lit(data[0]!, aval(dtype, [], weak))
}

/** Builds a program equation by equation; output avals come from the shape rules. */
export class Builder {
  readonly eqns: Eqn[] = []
  bind<P extends Params>(prim: Primitive<P>, inputs: ReadonlyArray<Atom>, params: P): Var[] {
    const outVars = prim
      .shapeRule(
        inputs.map((a) => a.aval),
        params
      )
      .map((a) => new Var(a))
    this.eqns.push({ primitive: prim as unknown as Primitive, inputs, params, outVars })
    return outVars
  }
  bind1<P extends Params>(prim: Primitive<P>, inputs: ReadonlyArray<Atom>, params: P): Var {
    return this.bind(prim, inputs, params)[0]!
  }
  /** An equation with declared (possibly wrong) output avals, for verifier tests. */
  raw<P extends Params>(prim: Primitive<P>, inputs: ReadonlyArray<Atom>, params: P, outVars: ReadonlyArray<Var>): void {
    this.eqns.push({ primitive: prim as unknown as Primitive, inputs, params, outVars })
  }
  build(inVars: ReadonlyArray<Var>, outs: ReadonlyArray<Atom>, constVars: ReadonlyArray<Var> = []): Jaxpr {
    return new Jaxpr(constVars, inVars, this.eqns, outs)
  }
}

export interface BlockParams {
  readonly body: Jaxpr
  readonly [k: string]: unknown
}
/**
 * A stand-in for a control-flow primitive: applies `params.body` to its inputs. The passes know
 * no primitive with sub-programs by name except `jit`, so this exercises their generic handling.
 */
export const blockP = definePrimitive<BlockParams>("passes_test_block", (_avals, { body }) => body.outs.map((o) => o.aval), true)
blockP.impl = (args, { body }) => evalJaxpr(body, [], args)

/** Bitwise-exact equality of results (NaN equal to NaN, -0 different from 0), avals included. */
export const sameResults = (a: ReadonlyArray<Array>, b: ReadonlyArray<Array>): boolean => {
  if (a.length !== b.length) return false
  return a.every((x, i) => {
    const y = b[i]!
    if (!x.aval.equals(y.aval)) return false
    const dx = x.data()
    const dy = y.data()
    if (dx.length !== dy.length) return false
    for (let k = 0; k < dx.length; k++) if (!Object.is(dx[k], dy[k])) return false
    return true
  })
}

export const concrete = (data: ReadonlyArray<number>, dtype: DType, shape: ReadonlyArray<number>): ArrayImpl =>
  fromHost(typedArrayCtor(dtype).from(data), aval(dtype, shape))
