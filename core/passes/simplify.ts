/**
 * Algebraic simplification. Each rewrite keeps results bit-for-bit (IEEE semantics included) and
 * replaces a value only by one of exactly the same aval (shape, dtype, weak type):
 *
 * - `x * 1`, `1 * x`, `x / 1` -> x;
 * - integers: `x + 0`, `0 + x`, `x - 0` -> x;
 *   floats: `x + -0.0`, `-0.0 + x`, `x - 0.0` -> x. `x + 0.0` is NOT rewritten: it turns -0.0
 *   into +0.0 (which `1 / x`, `atan2` and `sign`-like uses can observe);
 * - `neg (neg x)` -> x;
 * - `transpose (transpose x)` -> one transpose, or x when the permutations cancel; an identity
 *   transpose -> x;
 * - `reshape (reshape x)` -> one reshape, or x when it restores x's shape; a reshape to the
 *   operand's own shape -> x;
 * - `broadcast_in_dim (broadcast_in_dim x)` -> one broadcast; a broadcast to the operand's own
 *   shape with identity dimensions -> x;
 * - `convert_element_type` to the operand's dtype and weak type -> x;
 * - a sum, product, max or min over axes of size 1 -> a reshape (one element is its own sum);
 * - `transpose (dot_general x y)` that swaps the two free blocks (the form grad gives a weight
 *   gradient) -> `dot_general y x`, where the product has no other use and both free blocks hold at
 *   least 8 elements: the result is written in the layout its users read, instead of read back
 *   transposed. Each output element is the same sum over the contraction in the same order (the
 *   CPU GEMMs order their sums by k alone; with 8 or more rows and columns both forms take the
 *   same GEMM), and products commute exactly.
 *
 * The constant operand may be a literal or a `broadcast_in_dim` of a literal. A rewrite whose
 * result would change the aval (`x + 0` where the other operand broadcasts x to a larger shape,
 * `x * 1` where x is weakly typed and 1 is not) is skipped. `x * 0` is never rewritten (NaN and
 * infinities). Replacing a value substitutes it everywhere after, `outs` included; the
 * equations left unused are removed by `dce`. Sub-programs are simplified inside.
 */
import { isFloat } from "../dtype.js"
import { type Atom, type Eqn, Lit, Var } from "../ir.js"
import { abstractEval, type Params, type Primitive } from "../primitive.js"
import { type DotParams, dotGeneralP } from "../primitives/dot.js"
import { addP, convertElementTypeP, divP, mulP, negP, subP } from "../primitives/elementwise.js"
import { type BroadcastParams, broadcastInDimP, type ReshapeParams, reshapeP, type TransposeParams, transposeP } from "../primitives/shape-ops.js"
import { type AxesParams, reduceMaxP, reduceMinP, reduceProdP, reduceSumP } from "../primitives/reduce.js"
import { shapeEqual } from "../shape.js"
import { makePass, mapSubPrograms, rebuild, resolve, type Subst, substInputs, withInputs } from "./rewrite.js"

type Defs = ReadonlyMap<Var, Eqn>

/** The value of a constant scalar operand: a literal, or a broadcast of one. */
const scalarConst = (a: Atom, defs: Defs): number | undefined => {
  let x: Atom = a
  const d = x instanceof Var ? defs.get(x) : undefined
  if (d !== undefined && d.primitive === broadcastInDimP) x = d.inputs[0]!
  return x instanceof Lit ? x.val : undefined
}

const isIdentityPerm = (p: ReadonlyArray<number>): boolean => p.every((d, i) => d === i)

/** A new single-output equation, if its shape rule agrees with the output it replaces. */
const remake = <P extends Params>(prim: Primitive<P>, inputs: ReadonlyArray<Atom>, params: P, out: Var): Eqn | undefined => {
  try {
    const [aval] = abstractEval(
      prim as unknown as Primitive,
      inputs.map((a) => a.aval),
      params
    )
    if (aval === undefined || !aval.equals(out.aval)) return undefined
    return { primitive: prim as unknown as Primitive, inputs, params, outVars: [out] }
  } catch {
    return undefined
  }
}

/**
 * `transpose (dot_general x y)` as `dot_general y x`, when the permutation keeps the batch
 * dimensions and puts y's free block before x's, and the product is used only there.
 */
const swappedDot = (perm: ReadonlyArray<number>, def: Eqn, uses: ReadonlyMap<Var, number>, out: Var): Eqn | undefined => {
  const prod = def.outVars[0]!
  if (uses.get(prod) !== 1) return undefined
  const { contracting, batch } = (def.params as DotParams).dimensionNumbers
  const [x, y] = def.inputs as [Atom, Atom]
  const nb = batch[0].length
  const free = (a: Atom, side: 0 | 1): number[] => a.aval.shape.flatMap((_, d) => (contracting[side].includes(d) || batch[side].includes(d) ? [] : [d]))
  const lf = free(x, 0)
  const rf = free(y, 1)
  const size = (a: Atom, dims: ReadonlyArray<number>): number => dims.reduce((n, d) => n * a.aval.shape[d]!, 1)
  if (lf.length === 0 || rf.length === 0 || size(x, lf) < 8 || size(y, rf) < 8) return undefined
  const want = [...range(nb), ...rf.map((_, i) => nb + lf.length + i), ...lf.map((_, i) => nb + i)]
  if (perm.length !== want.length || perm.some((p, i) => p !== want[i])) return undefined
  const params: DotParams = { ...def.params, dimensionNumbers: { contracting: [contracting[1], contracting[0]], batch: [batch[1], batch[0]] } }
  return remake(dotGeneralP, [y, x], params, out)
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

/** The rewrite of one equation: an atom that replaces its output, a new equation, or nothing. */
const rewrite = (e: Eqn, defs: Defs, uses: ReadonlyMap<Var, number>): Atom | Eqn | undefined => {
  if (e.outVars.length !== 1) return undefined
  const out = e.outVars[0]!
  const same = (x: Atom | undefined): Atom | undefined => (x !== undefined && x.aval.equals(out.aval) ? x : undefined)
  const [x, y] = e.inputs
  if (x === undefined) return undefined
  const def = x instanceof Var ? defs.get(x) : undefined
  const float = isFloat(out.aval.dtype)
  const is = (a: Atom | undefined, v: number): boolean => a !== undefined && Object.is(scalarConst(a, defs), v)
  // Additive identities: -0.0 for floats (x + -0 == x for every x, -0 included), 0 for integers.
  const addId = float ? -0 : 0
  switch (e.primitive) {
    case mulP:
      return is(y, 1) ? same(x) : is(x, 1) ? same(y) : undefined
    case divP:
      return is(y, 1) ? same(x) : undefined
    case addP:
      return is(y, addId) ? same(x) : is(x, addId) ? same(y) : undefined
    case subP:
      return is(y, 0) ? same(x) : undefined
    case negP:
      return def?.primitive === negP ? same(def.inputs[0]) : undefined
    case convertElementTypeP:
      return same(x)
    case transposeP: {
      const params = e.params as TransposeParams
      const { permutation } = params
      if (isIdentityPerm(permutation)) return same(x)
      if (def?.primitive === dotGeneralP) return swappedDot(permutation, def, uses, out)
      if (def?.primitive !== transposeP) return undefined
      const inner = (def.params as TransposeParams).permutation
      const composed = permutation.map((p) => inner[p]!)
      const src = def.inputs[0]!
      return isIdentityPerm(composed) ? same(src) : remake(transposeP, [src], { ...params, permutation: composed }, out)
    }
    case reshapeP: {
      const params = e.params as ReshapeParams
      const { newSizes } = params
      if (shapeEqual(x.aval.shape, newSizes)) return same(x)
      if (def?.primitive !== reshapeP) return undefined
      const src = def.inputs[0]!
      return shapeEqual(src.aval.shape, newSizes) ? same(src) : remake(reshapeP, [src], params, out)
    }
    case broadcastInDimP: {
      const params = e.params as BroadcastParams
      const { shape, broadcastDimensions } = params
      if (shapeEqual(x.aval.shape, shape) && isIdentityPerm(broadcastDimensions)) return same(x)
      if (def?.primitive !== broadcastInDimP) return undefined
      // Operand dim i went to inner dim d1[i], which went to outer dim d2[d1[i]].
      const inner = (def.params as BroadcastParams).broadcastDimensions
      const dims = inner.map((d) => broadcastDimensions[d]!)
      return remake(broadcastInDimP, [def.inputs[0]!], { ...params, broadcastDimensions: dims }, out)
    }
    case reduceSumP:
    case reduceProdP:
    case reduceMaxP:
    case reduceMinP: {
      const { axes } = e.params as AxesParams
      if (!axes.every((a) => x.aval.shape[a < 0 ? a + x.aval.ndim : a] === 1)) return undefined
      return remake(reshapeP, [x], { newSizes: [...out.aval.shape] }, out)
    }
    default:
      return undefined
  }
}

export const simplify = makePass((jaxpr, sub) => {
  const subst: Subst = new Map()
  const defs = new Map<Var, Eqn>()
  const eqns: Eqn[] = []
  // How many times each value is read (a rewrite that would compute a shared value twice is skipped).
  const uses = new Map<Var, number>()
  for (const a of [...jaxpr.eqns.flatMap((e) => e.inputs), ...jaxpr.outs]) if (a instanceof Var) uses.set(a, (uses.get(a) ?? 0) + 1)
  for (const e of jaxpr.eqns) {
    const cur = withInputs(e, substInputs(subst, e), mapSubPrograms(e.params, sub))
    const r = rewrite(cur, defs, uses)
    if (r instanceof Var || r instanceof Lit) {
      subst.set(cur.outVars[0]!, r)
      continue
    }
    const next = r ?? cur
    for (const v of next.outVars) defs.set(v, next)
    eqns.push(next)
  }
  return rebuild(
    jaxpr,
    eqns,
    jaxpr.outs.map((a) => resolve(subst, a))
  )
})
