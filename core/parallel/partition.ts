/**
 * Partitioning a traced program over a mesh (the pjit model): every value carries a layout (per
 * dimension, the mesh axes splitting it), and each equation runs on the local blocks with a rule
 * that keeps the layouts and adds the communication the blocks need:
 * - elementwise operations stay sharded (a replicated operand is sliced to the others' blocks);
 * - reductions over a sharded dimension reduce locally, then psum / pmax / pmin over its mesh axes;
 * - dot_general over a sharded contracting dimension multiplies locally, then psums; batch- and
 *   free-dimension sharding stays local;
 * - broadcast_in_dim, transpose, reshape of the unsplit trailing dimensions and
 *   withShardingConstraint move layouts; jit and custom_jvp/custom_vjp calls are partitioned inside;
 * - anything else gathers its operands to replicated values (a warning names the primitive) and
 *   runs whole on every device.
 * The result is a per-device program (run by device-program.ts, as shardMap's are).
 */
import type { Array, ShapedArray } from "../array.js"
import { type Atom, type Jaxpr, Lit } from "../ir.js"
import { dynamicSliceInDim } from "../lax/slicing.js"
import { bind } from "../trace.js"
import { allGather, axisIndex, pmax, pmin, psum } from "./collectives.js"
import type { Mesh } from "./mesh.js"
import { shardingConstraintP } from "./sharding-constraint.js"

/** Per dimension, the mesh axes splitting it (major to minor; empty: not split). */
export type Layout = ReadonlyArray<ReadonlyArray<string>>

/** A local block and how the global value is laid out. */
interface Val {
  readonly x: Array
  readonly lay: Layout
}

const replicatedLayout = (ndim: number): Layout => globalThis.Array.from({ length: ndim }, () => [])
const same = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean => a.length === b.length && a.every((n, i) => n === b[i])
const isReplicated = (lay: Layout): boolean => lay.every((d) => d.length === 0)
const axesCount = (lay: Layout): number => lay.reduce((n, d) => n + d.length, 0)

const elementwiseNames = new Set(["convert_element_type", "integer_pow", "round", "select_n", "stop_gradient", "clamp"])

export interface PartitionContext {
  readonly mesh: Mesh
  /** Called once per equation that needed a reshard (missing rule). */
  readonly warn: (primitive: string, detail: string) => void
}

/** The block of each dimension's size under a layout. */
export const localShape = (mesh: Mesh, shape: ReadonlyArray<number>, lay: Layout): number[] =>
  shape.map((s, d) => s / (lay[d] ?? []).reduce((k, a) => k * mesh.shape[mesh.axisIndex(a, "partition")]!, 1))

/**
 * Evaluate `jaxpr` on local blocks (`args`, laid out by their layouts) under the per-device trace,
 * equation by equation; returns the outputs' blocks and layouts.
 */
export const partitionJaxpr = (ctx: PartitionContext, jaxpr: Jaxpr, consts: ReadonlyArray<Val>, args: ReadonlyArray<Val>): Val[] => {
  const env = new Map<unknown, Val>()
  const read = (a: Atom): Val => (a instanceof Lit ? { x: a.value, lay: [] } : env.get(a)!)
  jaxpr.constVars.forEach((v, i) => env.set(v, consts[i]!))
  jaxpr.inVars.forEach((v, i) => env.set(v, args[i]!))
  for (const e of jaxpr.eqns) {
    const ins = e.inputs.map(read)
    const outs = partitionEqn(
      ctx,
      e.primitive.name,
      e.primitive,
      ins,
      e.inputs.map((a) => a.aval),
      e.outVars.map((v) => v.aval),
      e.params
    )
    e.outVars.forEach((v, i) => env.set(v, outs[i]!))
  }
  return jaxpr.outs.map(read)
}

/** `v` laid out as `to` (gathering the dimensions that change, then slicing the new blocks). */
export const relayout = (mesh: Mesh, v: Val, to: Layout, shape: ReadonlyArray<number>): Val => {
  let x = v.x
  shape.forEach((_, d) => {
    const from = v.lay[d] ?? []
    if (same(from, to[d] ?? []) || from.length === 0) return
    for (let j = from.length - 1; j >= 0; j--) x = allGather(x, from[j]!, { axis: d, tiled: true })
  })
  shape.forEach((s, d) => {
    const want = to[d] ?? []
    if (same(v.lay[d] ?? [], want) || want.length === 0) return
    const k = want.reduce((n, a) => n * mesh.shape[mesh.axisIndex(a, "partition")]!, 1)
    let idx = axisIndex(want[0]!)
    for (const a of want.slice(1)) idx = idx.mul(mesh.shape[mesh.axisIndex(a, "partition")]!).add(axisIndex(a))
    x = dynamicSliceInDim(x, idx.mul(s / k), s / k, d)
  })
  return { x, lay: shape.map((_, d) => [...(to[d] ?? [])]) }
}

type PrimLike = Parameters<typeof bind>[0]

const partitionEqn = (
  ctx: PartitionContext,
  name: string,
  prim: PrimLike & { readonly paramFree: boolean },
  ins: ReadonlyArray<Val>,
  inAvals: ReadonlyArray<ShapedArray>,
  outAvals: ReadonlyArray<ShapedArray>,
  params: Readonly<Record<string, unknown>>
): Val[] => {
  const { mesh } = ctx
  const run = (xs: ReadonlyArray<Array>, p = params): Array[] => [...bind(prim, xs, p)]
  const replicatedIn = ins.every((v, i) => isReplicated(v.lay) || inAvals[i]!.shape.length === 0)
  // Everything replicated: the equation runs whole on every device.
  if (replicatedIn && name !== "sharding_constraint") return run(ins.map((v) => v.x)).map((x, i) => ({ x, lay: replicatedLayout(outAvals[i]!.ndim) }))
  const out0 = outAvals[0]!
  switch (name) {
    case "sharding_constraint": {
      const s = (params as { sharding: { spec: { axesOf(d: number): ReadonlyArray<string> } } }).sharding
      const to = inAvals[0]!.shape.map((_, d) => s.spec.axesOf(d))
      return [relayout(mesh, ins[0]!, to, inAvals[0]!.shape)]
    }
    case "broadcast_in_dim": {
      const { shape, broadcastDimensions } = params as { shape: ReadonlyArray<number>; broadcastDimensions: ReadonlyArray<number> }
      const src = inAvals[0]!.shape
      const lay: string[][] = shape.map(() => [])
      broadcastDimensions.forEach((od, i) => {
        if (src[i] === shape[od]) lay[od] = [...(ins[0]!.lay[i] ?? [])]
      })
      return [{ x: run([ins[0]!.x], { ...params, shape: localShape(mesh, shape, lay) })[0]!, lay }]
    }
    case "transpose": {
      const { permutation } = params as { permutation: ReadonlyArray<number> }
      return [{ x: run([ins[0]!.x])[0]!, lay: permutation.map((p) => ins[0]!.lay[p] ?? []) }]
    }
    case "reshape": {
      const { newSizes } = params as { newSizes: ReadonlyArray<number> }
      const src = inAvals[0]!.shape
      const lay = ins[0]!.lay
      let last = -1
      src.forEach((_, d) => {
        if ((lay[d] ?? []).length > 0) last = d
      })
      if (src.slice(0, last + 1).every((s, d) => newSizes[d] === s)) {
        const outLay = newSizes.map((_, d) => (d <= last ? [...(lay[d] ?? [])] : []))
        return [{ x: run([ins[0]!.x], { ...params, newSizes: localShape(mesh, newSizes, outLay) })[0]!, lay: outLay }]
      }
      break
    }
    case "reduce_sum":
    case "reduce_max":
    case "reduce_min": {
      const { axes } = params as { axes: ReadonlyArray<number> }
      const lay = ins[0]!.lay
      const meshAxes = axes.flatMap((a) => [...(lay[a] ?? [])])
      let x = run([ins[0]!.x])[0]!
      if (meshAxes.length > 0) x = (name === "reduce_sum" ? psum : name === "reduce_max" ? pmax : pmin)(x, meshAxes)
      return [{ x, lay: inAvals[0]!.shape.map((_, d) => lay[d] ?? []).filter((_, d) => !axes.includes(d)) }]
    }
    case "dot_general":
      return [dotGeneral(ctx, ins, inAvals, params, run)]
    case "jit":
    case "custom_jvp_call":
    case "custom_vjp_call": {
      const inner = (params as { jaxpr?: Jaxpr; fun?: Jaxpr }).jaxpr ?? (params as { fun: Jaxpr }).fun
      return partitionJaxpr(ctx, inner, [], ins)
    }
    default:
      break
  }
  // Elementwise: one output of the operands' shape (or a broadcast of size-1 dimensions); every
  // operand takes the most split layout.
  const elementwise =
    (prim.paramFree || elementwiseNames.has(name)) &&
    outAvals.length === 1 &&
    inAvals.every((a) => a.ndim === 0 || (a.ndim === out0.ndim && a.shape.every((s, d) => s === out0.shape[d] || s === 1)))
  if (elementwise) {
    let target: Layout = replicatedLayout(out0.ndim)
    ins.forEach((v, i) => {
      if (inAvals[i]!.ndim > 0 && axesCount(v.lay) > axesCount(target)) target = v.lay
    })
    // A dimension an operand broadcasts (size 1) stays whole in it.
    const xs = ins.map((v, i) => {
      const a = inAvals[i]!
      if (a.ndim === 0) return v.x
      return relayout(
        mesh,
        v,
        target.map((t, d) => (a.shape[d] === out0.shape[d] ? t : [])),
        a.shape
      ).x
    })
    return [{ x: run(xs)[0]!, lay: target }]
  }
  // No rule: gather every operand and run the equation whole.
  ctx.warn(name, `its operands were gathered to replicated values on every device (no partitioning rule for ${name} yet)`)
  return run(ins.map((v, i) => relayout(mesh, v, replicatedLayout(inAvals[i]!.ndim), inAvals[i]!.shape).x)).map((x, i) => ({
    x,
    lay: replicatedLayout(outAvals[i]!.ndim)
  }))
}

/** dot_general: contracting and batch dimensions get matching layouts; a sharded contraction is psummed. */
const dotGeneral = (
  ctx: PartitionContext,
  ins: ReadonlyArray<Val>,
  inAvals: ReadonlyArray<ShapedArray>,
  params: Readonly<Record<string, unknown>>,
  run: (xs: ReadonlyArray<Array>) => Array[]
): Val => {
  const { mesh } = ctx
  const dn = (
    params as { dimensionNumbers: { contracting: [ReadonlyArray<number>, ReadonlyArray<number>]; batch: [ReadonlyArray<number>, ReadonlyArray<number>] } }
  ).dimensionNumbers
  const [lc, rc] = dn.contracting
  const [lb, rb] = dn.batch
  const L = inAvals[0]!.shape.map((_, d) => [...(ins[0]!.lay[d] ?? [])])
  const R = inAvals[1]!.shape.map((_, d) => [...(ins[1]!.lay[d] ?? [])])
  const lFree = L.map((_, d) => d).filter((d) => !lc.includes(d) && !lb.includes(d))
  const rFree = R.map((_, d) => d).filter((d) => !rc.includes(d) && !rb.includes(d))
  // Paired dimensions: take the split one's layout where the other side is replicated and can take it.
  const pair = (i: number, j: number): void => {
    if (same(L[i]!, R[j]!)) return
    const usedR = new Set(R.flat())
    const usedL = new Set(L.flat())
    if (R[j]!.length === 0 && L[i]!.every((a) => !usedR.has(a))) R[j] = [...L[i]!]
    else if (L[i]!.length === 0 && R[j]!.every((a) => !usedL.has(a))) L[i] = [...R[j]!]
    else {
      L[i] = []
      R[j] = []
    }
  }
  lc.forEach((i, k) => pair(i, rc[k]!))
  lb.forEach((i, k) => pair(i, rb[k]!))
  // An axis may appear once in the output: a free dimension of the rhs that repeats one is gathered.
  const outAxes = new Set([...lb.flatMap((i) => L[i]!), ...lc.flatMap((i) => L[i]!), ...lFree.flatMap((i) => L[i]!)])
  for (const d of rFree) if (R[d]!.some((a) => outAxes.has(a))) R[d] = []
  const l = relayout(mesh, ins[0]!, L, inAvals[0]!.shape)
  const r = relayout(mesh, ins[1]!, R, inAvals[1]!.shape)
  let x = run([l.x, r.x])[0]!
  const summed = lc.flatMap((i) => L[i]!)
  if (summed.length > 0) x = psum(x, summed)
  return { x, lay: [...lb.map((i) => L[i]!), ...lFree.map((i) => L[i]!), ...rFree.map((i) => R[i]!)] }
}

/** The shardingConstraint primitive (for rules that look it up). */
export { shardingConstraintP }
