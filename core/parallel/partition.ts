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
import { scan, switch as switchCase, whileLoop } from "../lax/control.js"
import { dynamicSliceInDim } from "../lax/slicing.js"
import type { CondParams, ScanParams, WhileParams } from "../primitives/control.js"
import { select } from "../primitives/elementwise.js"
import { broadcastInDim, reduceSum } from "../primitives/layout.js"
import { reduceMax, reduceMin, reduceProd } from "../primitives/reduce.js"
import { iota } from "../primitives/shape-ops.js"
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

const splitCount = (mesh: Mesh, axes: ReadonlyArray<string>): number => axes.reduce((n, a) => n * mesh.shape[mesh.axisIndex(a, "partition")]!, 1)

/** This device's block number along a dimension split by `axes` (major to minor). */
const blockIndex = (mesh: Mesh, axes: ReadonlyArray<string>): Array => {
  let idx = axisIndex(axes[0]!)
  for (const a of axes.slice(1)) idx = idx.mul(mesh.shape[mesh.axisIndex(a, "partition")]!).add(axisIndex(a))
  return idx
}

/** `v` with the dimensions `dims` whole (gathered where split), the others as they are. */
const wholeAlong = (mesh: Mesh, v: Val, dims: ReadonlyArray<number>, shape: ReadonlyArray<number>): Val =>
  relayout(
    mesh,
    v,
    shape.map((_, d) => (dims.includes(d) ? [] : [...(v.lay[d] ?? [])])),
    shape
  )

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
    const k = splitCount(mesh, want)
    x = dynamicSliceInDim(x, blockIndex(mesh, want).mul(s / k), s / k, d)
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
    case "reduce_prod": {
      // Local products, then the product of the devices' partial products (gathered: there is no pprod).
      const { axes } = params as { axes: ReadonlyArray<number> }
      const lay = ins[0]!.lay
      const meshAxes = axes.flatMap((a) => [...(lay[a] ?? [])])
      let x = run([ins[0]!.x])[0]!
      for (const a of meshAxes) x = reduceProd(allGather(x, a, { axis: 0, tiled: false }), [0])
      return [{ x, lay: inAvals[0]!.shape.map((_, d) => lay[d] ?? []).filter((_, d) => !axes.includes(d)) }]
    }
    case "argmax":
    case "argmin": {
      const { axis } = params as { axis: number }
      const v = ins[0]!
      const outLay = inAvals[0]!.shape.map((_, d) => [...(v.lay[d] ?? [])]).filter((_, d) => d !== axis)
      const split = v.lay[axis] ?? []
      if (split.length === 0) return [{ x: run([v.x])[0]!, lay: outLay }]
      // The local winner of each block, its value, and the block's offset; then the first block
      // holding the best value wins (argmax takes the first of ties, and NaN as the largest).
      const local = run([v.x])[0]!
      const best = (name === "argmax" ? reduceMax : reduceMin)(v.x, [axis])
      const block = localShape(mesh, inAvals[0]!.shape, v.lay)[axis]!
      const global = local.add(blockIndex(mesh, split).mul(block).astype(local.dtype))
      const stack = (x: Array): Array => {
        const one = broadcastInDim(
          x,
          [1, ...x.shape],
          x.shape.map((_, d) => d + 1)
        )
        return relayout(
          mesh,
          { x: one, lay: [split, ...outLay] },
          [[], ...outLay],
          [splitCount(mesh, split), ...inAvals[0]!.shape.filter((_, d) => d !== axis)]
        ).x
      }
      const vals = stack(best)
      const idxs = stack(global)
      const which = run([vals], { ...params, axis: 0 })[0]!
      const pick = iota(which.dtype, vals.shape, 0).eq(
        broadcastInDim(
          which,
          vals.shape,
          which.shape.map((_, d) => d + 1)
        )
      )
      const chosen = reduceSum(select(pick, idxs, idxs.mul(0)), [0])
      return [{ x: chosen, lay: outLay }]
    }
    case "cumsum":
    case "cumprod": {
      const { axis, reverse } = params as { axis: number; reverse: boolean }
      const v = ins[0]!
      const split = v.lay[axis] ?? []
      const local = run([v.x])[0]!
      if (split.length === 0) return [{ x: local, lay: v.lay }]
      // The scan of each block, combined with the blocks before it (after it, reversed): their
      // totals gathered along the axis, masked to the earlier blocks and reduced.
      const sum = name === "cumsum"
      const totals = (sum ? reduceSum : reduceProd)(v.x, [axis])
      const kept = totals.shape.map((_, d) => (d < axis ? d : d + 1))
      const k = splitCount(mesh, split)
      const shape1 = inAvals[0]!.shape.map((s, d) => (d === axis ? k : s))
      const lay1 = v.lay.map((a, d) => (d === axis ? split : a))
      const one = broadcastInDim(totals, [...totals.shape.slice(0, axis), 1, ...totals.shape.slice(axis)], kept)
      const all = relayout(
        mesh,
        { x: one, lay: lay1 },
        lay1.map((a, d) => (d === axis ? [] : a)),
        shape1
      ).x
      const pos = iota("int32", all.shape, axis)
      const me = blockIndex(mesh, split)
      const before = reverse ? pos.gt(me) : pos.lt(me)
      const neutral = sum ? all.mul(0) : all.mul(0).add(1)
      const offset = (sum ? reduceSum : reduceProd)(select(before, all, neutral), [axis])
      const spread = broadcastInDim(offset, local.shape, kept)
      return [{ x: sum ? local.add(spread) : local.mul(spread), lay: v.lay }]
    }
    case "slice":
    case "pad":
    case "rev": {
      // Dimensions the operation does not touch keep their split; touched ones are gathered.
      const shape = inAvals[0]!.shape
      const touched =
        name === "slice"
          ? (() => {
              const { startIndices, limitIndices, strides } = params as { startIndices: number[]; limitIndices: number[]; strides?: number[] }
              return shape.map((_, d) => d).filter((d) => startIndices[d] !== 0 || limitIndices[d] !== shape[d] || (strides?.[d] ?? 1) !== 1)
            })()
          : name === "pad"
            ? shape.map((_, d) => d).filter((d) => ((params as { paddingConfig: number[][] }).paddingConfig[d] ?? [0, 0, 0]).some((c) => c !== 0))
            : [...(params as { dimensions: number[] }).dimensions]
      const v = ins[0]!
      if (touched.some((d) => (v.lay[d] ?? []).length > 0)) ctx.warn(name, "a split dimension it works along was gathered")
      const w = wholeAlong(mesh, v, touched, shape)
      const local = localShape(mesh, shape, w.lay)
      const p =
        name === "slice"
          ? { ...params, limitIndices: (params as { limitIndices: number[] }).limitIndices.map((l, d) => (touched.includes(d) ? l : local[d]!)) }
          : params
      return [{ x: run([w.x, ...ins.slice(1).map((u) => u.x)], p)[0]!, lay: w.lay }]
    }
    case "concatenate": {
      const { dimension } = params as { dimension: number }
      if (ins.some((v) => (v.lay[dimension] ?? []).length > 0)) ctx.warn(name, "the split dimension it joins along was gathered")
      let target: Layout = replicatedLayout(out0.ndim)
      ins.forEach((v) => {
        if (axesCount(v.lay) > axesCount(target)) target = v.lay
      })
      const to = target.map((a, d) => (d === dimension ? [] : [...a]))
      const xs = ins.map((v, i) => relayout(mesh, v, to, inAvals[i]!.shape).x)
      return [{ x: run(xs)[0]!, lay: to }]
    }
    case "conv_general_dilated":
      return [conv(ctx, ins, inAvals, params, run)]
    case "cond":
      return [...partitionCond(ctx, ins, outAvals, params as CondParams)]
    case "while":
      return partitionWhile(ctx, ins, inAvals, params as WhileParams)
    case "scan":
      return partitionScan(ctx, ins, inAvals, outAvals, params as ScanParams)
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

/**
 * Convolution: the lhs batch dimension and the rhs output-feature dimension may stay split (each
 * device convolves its images with its filters); spatial and input-feature splits are gathered.
 */
const conv = (
  ctx: PartitionContext,
  ins: ReadonlyArray<Val>,
  inAvals: ReadonlyArray<ShapedArray>,
  params: Readonly<Record<string, unknown>>,
  run: (xs: ReadonlyArray<Array>) => Array[]
): Val => {
  const { mesh } = ctx
  const p = params as { dimensionNumbers: { lhsSpec: number[]; rhsSpec: number[]; outSpec: number[] }; featureGroupCount: number; batchGroupCount: number }
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers
  const [l, r] = ins
  const lb = p.batchGroupCount === 1 ? [...(l!.lay[lhsSpec[0]!] ?? [])] : []
  const used = new Set(lb)
  const ro = p.featureGroupCount === 1 ? [...(r!.lay[rhsSpec[0]!] ?? [])].filter((a) => !used.has(a)) : []
  const L = inAvals[0]!.shape.map((_, d) => (d === lhsSpec[0] ? lb : []))
  const R = inAvals[1]!.shape.map((_, d) => (d === rhsSpec[0] ? ro : []))
  const dropped = (v: Val, to: Layout): boolean => v.lay.some((a, d) => a.length > 0 && !same(a, to[d] ?? []))
  if (dropped(l!, L) || dropped(r!, R)) ctx.warn("conv_general_dilated", "its split spatial or input-feature dimensions were gathered")
  const x = run([relayout(mesh, l!, L, inAvals[0]!.shape).x, relayout(mesh, r!, R, inAvals[1]!.shape).x])[0]!
  const lay: string[][] = outSpec.map(() => [])
  lay[outSpec[0]!] = lb
  lay[outSpec[1]!] = ro
  return { x, lay }
}

/**
 * lax.cond / lax.switch: each branch is partitioned on the operands' layouts; the other branches'
 * results take the first branch's layouts (the index is a scalar: every device takes the same branch).
 */
const partitionCond = (ctx: PartitionContext, ins: ReadonlyArray<Val>, outAvals: ReadonlyArray<ShapedArray>, p: CondParams): Val[] => {
  const starts: number[] = []
  let off = 1
  for (const c of p.constCounts) {
    starts.push(off)
    off += c
  }
  const ops = ins.slice(off)
  let lays: Layout[] | undefined
  const rest = ins.slice(1)
  const branches = p.branches.map((b, i) => (...xs: Array[]) => {
    const own = xs.slice(starts[i]! - 1, starts[i]! - 1 + p.constCounts[i]!).map((x, j) => ({ x, lay: ins[starts[i]! + j]!.lay }))
    const args = xs.slice(off - 1).map((x, j) => ({ x, lay: ops[j]!.lay }))
    const res = partitionJaxpr(ctx, b, [], [...own, ...args])
    if (lays === undefined) lays = res.map((r) => r.lay)
    return res.map((r, j) => relayout(ctx.mesh, r, lays![j]!, outAvals[j]!.shape).x)
  })
  const outs = switchCase(ins[0]!.x, branches, ...rest.map((v) => v.x))
  return outs.map((x, j) => ({ x, lay: lays![j]! }))
}

/** lax.whileLoop: the carry keeps its initial layouts (the body's results are laid out as they came in). */
const partitionWhile = (ctx: PartitionContext, ins: ReadonlyArray<Val>, inAvals: ReadonlyArray<ShapedArray>, p: WhileParams): Val[] => {
  const cc = ins.slice(0, p.condNconsts)
  const bc = ins.slice(p.condNconsts, p.condNconsts + p.bodyNconsts)
  const init = ins.slice(p.condNconsts + p.bodyNconsts)
  const shapes = inAvals.slice(p.condNconsts + p.bodyNconsts).map((a) => a.shape)
  const carry = (xs: ReadonlyArray<Array>): Val[] => xs.map((x, i) => ({ x, lay: init[i]!.lay }))
  const outs = whileLoop(
    (xs: Array[]) => relayout(ctx.mesh, partitionJaxpr(ctx, p.condJaxpr, [], [...cc, ...carry(xs)])[0]!, [], []).x,
    (xs: Array[]) => partitionJaxpr(ctx, p.bodyJaxpr, [], [...bc, ...carry(xs)]).map((r, i) => relayout(ctx.mesh, r, init[i]!.lay, shapes[i]!).x),
    init.map((v) => v.x)
  )
  return carry(outs)
}

/**
 * lax.scan: the carry keeps its initial layouts; the scanned dimension of xs is gathered (each
 * step needs its whole slice), the others keep their split, and ys are split as the body leaves them.
 */
const partitionScan = (
  ctx: PartitionContext,
  ins: ReadonlyArray<Val>,
  inAvals: ReadonlyArray<ShapedArray>,
  outAvals: ReadonlyArray<ShapedArray>,
  p: ScanParams
): Val[] => {
  const { mesh } = ctx
  const consts = ins.slice(0, p.numConsts)
  const init = ins.slice(p.numConsts, p.numConsts + p.numCarry)
  const xs0 = ins.slice(p.numConsts + p.numCarry)
  if (xs0.some((v) => (v.lay[0] ?? []).length > 0)) ctx.warn("scan", "the scanned dimension of its xs was gathered")
  const xs = xs0.map((v, i) => wholeAlong(mesh, v, [0], inAvals[p.numConsts + p.numCarry + i]!.shape))
  let yLays: Layout[] | undefined
  const [c, ys] = scan(
    (carry: Array[], x: Array[]) => {
      const res = partitionJaxpr(
        ctx,
        p.jaxpr,
        [],
        [...consts, ...carry.map((v, i) => ({ x: v, lay: init[i]!.lay })), ...x.map((v, i) => ({ x: v, lay: xs[i]!.lay.slice(1) }))]
      )
      const cOut = res.slice(0, p.numCarry).map((r, i) => relayout(mesh, r, init[i]!.lay, outAvals[i]!.shape).x)
      const yOut = res.slice(p.numCarry)
      if (yLays === undefined) yLays = yOut.map((r) => r.lay)
      return [cOut, yOut.map((r) => r.x)] as const
    },
    init.map((v) => v.x),
    xs.map((v) => v.x),
    { length: p.length, reverse: p.reverse }
  )
  return [...c.map((x, i) => ({ x, lay: init[i]!.lay })), ...ys.map((x, j) => ({ x, lay: [[], ...yLays![j]!] }))]
}
