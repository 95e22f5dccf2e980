/**
 * Helpers that give a primitive its rules from what kind of function it is, so a definition reads
 * `defLinear(reshapeP, ...)` or `defJvp(mulP, (t, [, y]) => mul(t, y), (t, [x]) => mul(x, t))`
 * (JAX's `ad.deflinear2`, `ad.defbilinear`, `ad.defjvp`, `ad.defjvp_zero`, `batching.defvectorized`).
 *
 * Every jvp rule made here takes symbolic `Zero` tangents as they are (`Primitive.jvpSymbolic`): an
 * argument whose tangent is a known zero contributes nothing, so a differentiated program carries
 * no multiply-by-zero and no zeros constant. The module binds only the primitive it is given; the
 * one sum it needs (of per-argument tangents) is the `add` that elementwise.ts registers with
 * `setTangentAdd`, so that this module sits below every primitive module (no import cycle).
 * The broadcasting batcher needs reshapes and lives in ./broadcasting.ts.
 */
import type { Array } from "../array.js"
import type { BatchRule, Params, Primitive } from "../primitive.js"
import { UndefPrimal, Zero } from "../primitive.js"
import { bind, bind1 } from "../trace.js"
import { instantiate } from "./common.js"

/**
 * One argument's contribution to the output tangent: `t` is that argument's tangent (never a zero,
 * arguments with zero tangents are skipped), `out` the primal output. The result has `out`'s shape.
 */
export type TangentRule<P> = (t: Array, primals: ReadonlyArray<Array>, out: Array, params: P) => Array

/** A transpose rule of a linear primitive for a cotangent that is not a symbolic zero. */
export type LinearTranspose<P> = (ct: Array, args: ReadonlyArray<Array | UndefPrimal>, params: P) => ReadonlyArray<Array | Zero | null>

let tangentAdd: ((x: Array, y: Array) => Array) | undefined

/**
 * Register the sum of two tangents of one shape (elementwise.ts registers `add` once it is defined).
 *
 * @example
 * import { add } from "./elementwise.js"
 * setTangentAdd(add)
 */
export const setTangentAdd = (add: (x: Array, y: Array) => Array): void => {
  tangentAdd = add
}

/** The sum of tangent contributions (each of `out`'s shape); a symbolic zero when there are none. */
export const sumTangents = (parts: ReadonlyArray<Array>, out: Array): Array | Zero => {
  if (parts.length === 0) return new Zero(out.aval)
  let acc = parts[0]!
  for (let i = 1; i < parts.length; i++) {
    if (tangentAdd === undefined) throw new Error("rules.ts: no tangent sum registered (elementwise.ts registers add)") // internal invariant
    acc = tangentAdd(acc, parts[i]!)
  }
  return acc
}

/** Symbolic zero cotangents for the linear (undefined) arguments, null for the others. */
const zeroCts = (args: ReadonlyArray<Array | UndefPrimal>): (Zero | null)[] => args.map((a) => (a instanceof UndefPrimal ? new Zero(a.aval) : null))

/**
 * A jvp rule from one rule per argument (JAX's `ad.defjvp`, with the primal output at hand as in
 * `defjvp2`): the output tangent is the sum of the contributions of the arguments whose tangent is
 * not a known zero; `null` marks an argument without a derivative (an index, a predicate).
 *
 * @example
 * import { mul, mulP } from "./elementwise.js"
 * defJvp(mulP, (t, [, y]) => mul(t, y!), (t, [x]) => mul(x!, t))
 */
export const defJvp = <P extends Params>(p: Primitive<P>, ...rules: ReadonlyArray<TangentRule<P> | null>): void => {
  p.jvpSymbolic = (primals, tangents, params) => {
    const out = bind1(p, primals, params)
    const parts: Array[] = []
    for (let i = 0; i < tangents.length; i++) {
      const t = tangents[i]!
      const rule = rules[i]
      if (rule !== null && rule !== undefined && !(t instanceof Zero)) parts.push(rule(t, primals, out, params))
    }
    return [[out], [sumTangents(parts, out)]]
  }
}

/**
 * A zero derivative (piecewise-constant functions, comparisons, integer results; JAX's
 * `ad.defjvp_zero`): the outputs' tangents are symbolic zeros.
 *
 * @example
 * import { floorP } from "./elementwise.js"
 * defZeroJvp(floorP)
 */
export const defZeroJvp = <P extends Params>(p: Primitive<P>): void => {
  p.jvpSymbolic = (primals, _tangents, params) => {
    const outs = bind(p, primals, params)
    return [outs, outs.map((o) => new Zero(o.aval))]
  }
}

/**
 * A primitive linear in all its arguments (JAX's `ad.deflinear2`): the jvp applies the primitive to
 * the tangents (a zero where all are zero; zeros made only for a mix), and the transpose rule is
 * called only for a cotangent that is not a symbolic zero.
 *
 * @example
 * import { reshape, reshapeP } from "./layout.js"
 * defLinear(reshapeP, (ct, [x]) => [reshape(ct, x!.aval.shape)])
 */
export const defLinear = <P extends Params>(p: Primitive<P>, transpose: LinearTranspose<P>): void => {
  p.jvpSymbolic = (primals, tangents, params) => {
    const outs = bind(p, primals, params)
    if (tangents.every((t): boolean => t instanceof Zero)) return [outs, outs.map((o) => new Zero(o.aval))]
    return [outs, bind(p, tangents.map(instantiate), params)]
  }
  p.transpose = ([ct], args, params) => (ct instanceof Zero || ct === undefined ? zeroCts(args) : transpose(ct, args, params))
}

/**
 * A primitive linear in each of its two arguments separately (JAX's `ad.defbilinear`: mul,
 * dot_general). The jvp is `p(tx, y) + p(x, ty)` without the terms of zero tangents; `lhs` gives the
 * cotangent of `x` from the cotangent of the output and `y` (and `rhs` that of `y` from `x`).
 *
 * @example
 * import { mul, mulP } from "./elementwise.js"
 * import { unbroadcast } from "./broadcasting.js"
 * defBilinear(mulP, (ct, x, y) => unbroadcast(mul(ct, y), x.aval), (ct, x, y) => unbroadcast(mul(x, ct), y.aval))
 */
export const defBilinear = <P extends Params>(
  p: Primitive<P>,
  lhs: (ct: Array, x: UndefPrimal, y: Array, params: P) => Array,
  rhs: (ct: Array, x: Array, y: UndefPrimal, params: P) => Array
): void => {
  defJvp(
    p,
    (tx, [, y], _out, params) => bind1(p, [tx, y!], params),
    (ty, [x], _out, params) => bind1(p, [x!, ty], params)
  )
  p.transpose = ([ct], args, params) => {
    const [x, y] = args
    if (ct instanceof Zero || ct === undefined) return zeroCts(args)
    if (x instanceof UndefPrimal) {
      // Internal invariant (a plain Error): linearity analysis never marks both inputs linear.
      if (y instanceof UndefPrimal) throw new Error(`${p.name} is linear in each argument, not in both at once`)
      return [lhs(ct, x, y!, params), null]
    }
    return [null, rhs(ct, x!, y as UndefPrimal, params)]
  }
}

/**
 * The batching rule of an elementwise primitive of one argument (JAX's `batching.defvectorized`):
 * the batch dimension stays where it is.
 *
 * @example
 * import { sinP } from "./elementwise.js"
 * defVectorized(sinP)
 */
export const defVectorized = <P extends Params>(p: Primitive<P>): void => {
  const rule: BatchRule<P> = (args, dims, params) => {
    const outs = bind(p, args, params)
    return [outs, outs.map(() => dims[0] ?? null)]
  }
  p.batch = rule
}
