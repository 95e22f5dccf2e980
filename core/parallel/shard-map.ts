/**
 * `shardMap` (JAX's jax.shard_map): an explicit per-device program over a mesh. Each argument is
 * split into blocks by its PartitionSpec, every mesh device runs `f` on its blocks, with
 * collectives over the mesh axes (across devices, through shared memory), and the outputs are
 * assembled from the blocks by their PartitionSpecs.
 */
import { Array, ArrayImpl, ShapedArray } from "../array.js"
import { ValueError } from "../errors.js"
import { asarray } from "../numpy/creation.js"
import { checkOptions, optionKeys } from "../options.js"
import { reshape, transpose } from "../primitives/layout.js"
import { slice } from "../primitives/shape-ops.js"
import { Tracer } from "../trace.js"
import { broadcastPrefix, flatten, unflatten } from "../tree.js"
import { vmap } from "../transforms/vmap.js"
import { canCommunicate, runOnDevices, traceDeviceProgram } from "./device-program.js"
import { type Mesh, meshGroups, NamedSharding, PartitionSpec } from "./mesh.js"
import { makeShardedArray, putSharded } from "./sharded-array.js"

/** A PartitionSpec per argument (or output), as a pytree prefix; one spec applies to all. */
export type Specs = PartitionSpec | ReadonlyArray<unknown> | Readonly<Record<string, unknown>>

export interface ShardMapOptions {
  readonly mesh: Mesh
  /** How each argument is split over the mesh (one spec per positional argument, or one for all). */
  readonly inSpecs: Specs
  /** How each output is assembled from the blocks (mesh axes it does not name must be replicated). */
  readonly outSpecs: Specs
}
const SHARD_MAP_KEYS = optionKeys<ShardMapOptions>()("mesh", "inSpecs", "outSpecs")

const specLeaves = (specs: Specs, tree: unknown, what: string): PartitionSpec[] => {
  const list = specs instanceof PartitionSpec ? flatten(tree)[0].map(() => specs) : (broadcastPrefix(specs, tree) as unknown[])
  for (const s of list)
    if (!(s instanceof PartitionSpec)) throw new ValueError(`shardMap: ${what} must hold PartitionSpecs (P(...)) matching the structure, got ${String(s)}.`)
  return list as PartitionSpec[]
}

/**
 * Run `f` once per device of `mesh` on the blocks of its arguments that `inSpecs` give it, with
 * collectives over the mesh's axis names, and assemble the results by `outSpecs` (JAX's shard_map).
 *
 * @example
 * // JAXFX_CPU_DEVICES=4
 * const mesh = makeMesh([4], ["x"])
 * const total = shardMap((b: Array) => lax.psum(b.sum({ keepdims: true }), "x"), { mesh, inSpecs: P("x"), outSpecs: P() })
 * total(np.arange(8)) // Array([28], dtype=int32)
 */
export const shardMap = <Args extends ReadonlyArray<unknown>, R>(f: (...args: Args) => R, opts: ShardMapOptions): ((...args: Args) => R) => {
  checkOptions("shardMap", opts, SHARD_MAP_KEYS)
  const { mesh } = opts
  if (!canCommunicate(mesh.devices))
    throw new ValueError("shardMap: the mesh's devices must be distinct CPU devices (they exchange data through shared memory).")
  const axes = mesh.axisNames.map((name, i) => ({ name, size: mesh.shape[i]! }))
  const groups = meshGroups(mesh)
  const programs = new Map<string, ReturnType<typeof traceDeviceProgram>>()
  return (...args: Args): R => {
    const [leaves, def] = flatten(args)
    const arrays = leaves.map((l) => {
      if (!(l instanceof Array)) throw new ValueError(`shardMap: arguments must be Arrays (or pytrees of them), got ${String(l)}.`)
      return l
    })
    const inSpecs = specLeaves(opts.inSpecs, args, "inSpecs")
    const shardings = inSpecs.map((s) => new NamedSharding(mesh, s))
    const blockShapes = arrays.map((a, i) => shardings[i]!.shardShape(a.shape))
    if (arrays.some((l) => l instanceof Tracer)) return simulated(f as unknown as (...a: unknown[]) => unknown, mesh, arrays, inSpecs, def, opts.outSpecs) as R
    const sig = arrays.map((a, i) => `${a.dtype}${a.weakType ? "w" : ""}[${blockShapes[i]!.join(",")}]`).join(";") + `|${def.cacheKey()}`
    let prog = programs.get(sig)
    if (prog === undefined) {
      const avals = arrays.map((a, i) => new ShapedArray(blockShapes[i]!, a.dtype, a.weakType))
      prog = traceDeviceProgram((xs) => (f as unknown as (...a: unknown[]) => unknown)(...(unflatten(def, xs) as unknown[])), avals, axes)
      programs.set(sig, prog)
    }
    // Arguments already laid out by their spec are used where they are; others are split once.
    const placed = arrays.map((a, i) => putSharded(a, shardings[i]!).addressableShards)
    const outs = runOnDevices(prog, `shardMap(${f.name || "<lambda>"})`, mesh.devices, groups, (k) => placed.map((sh) => sh[k]!.data))
    // Each output is a sharded array of the devices' blocks, laid out by its spec: a mesh axis the
    // spec does not name holds copies (the block of the device at coordinate 0 is read).
    const perDevice = outs.map((o) => flatten(o)[0] as ArrayImpl[])
    const outDef = prog.outDef
    const outSpecs = specLeaves(opts.outSpecs, unflatten(outDef, perDevice[0]!), "outSpecs")
    const assembled = perDevice[0]!.map((first, j) => {
      const spec = outSpecs[j]!
      const bs = first.shape
      if (spec.entries.length > bs.length)
        throw new ValueError(`shardMap: outSpecs ${spec.toString()} has more entries than output ${j}'s ${bs.length} dimensions.`)
      const splits = bs.map((_, d) => spec.axesOf(d).reduce((p, a) => p * mesh.shape[mesh.axisIndex(a, "shardMap: outSpecs")]!, 1))
      const shape = bs.map((s, d) => s * splits[d]!)
      return makeShardedArray(
        shape,
        new NamedSharding(mesh, spec),
        perDevice.map((o) => o[j]!)
      )
    })
    return unflatten(outDef, assembled) as R
  }
}

/**
 * shardMap under a transformation (jit, grad, vmap): the devices' programs as nested vmaps, one per
 * mesh axis with its name, over the blocks stacked along leading axes (a mesh axis a spec does not
 * name maps nothing: every member sees the whole dimension). The values are the devices' values;
 * the work runs where the transformation puts it.
 */
const simulated = (
  f: (...a: unknown[]) => unknown,
  mesh: Mesh,
  arrays: ReadonlyArray<Array>,
  inSpecs: ReadonlyArray<PartitionSpec>,
  def: ReturnType<typeof flatten>[1],
  outSpecsOpt: Specs
): unknown => {
  const size = (a: string): number => mesh.shape[mesh.axisIndex(a, "shardMap")]!
  // Each argument with its split dimensions cut into (mesh axes..., block) and the mesh axes moved
  // to the front, in mesh order.
  const stacked = arrays.map((x, i) => {
    const spec = inSpecs[i]!
    const cut: number[] = []
    const where = new Map<string, number>()
    x.shape.forEach((s, d) => {
      const axes = spec.axesOf(d)
      for (const a of axes) {
        where.set(a, cut.length)
        cut.push(size(a))
      }
      cut.push(s / axes.reduce((k, a) => k * size(a), 1))
    })
    const used = mesh.axisNames.filter((a) => where.has(a))
    const rest = cut.map((_, j) => j).filter((j) => ![...where.values()].includes(j))
    return { x: transpose(reshape(x, cut), [...used.map((a) => where.get(a)!), ...rest]), used: new Set(used) }
  })
  let outDef: ReturnType<typeof flatten>[1] | undefined
  const member = (...xs: Array[]): Array[] => {
    const [leaves, od] = flatten(f(...(unflatten(def, xs) as unknown[])))
    outDef = od
    return leaves.map((l) => (l instanceof Array ? l : asarray(l as never)))
  }
  // Nested vmaps, outermost over the first mesh axis.
  const nest = (depth: number): ((...xs: Array[]) => Array[]) => {
    if (depth === mesh.axisNames.length) return member
    const name = mesh.axisNames[depth]!
    return vmap(nest(depth + 1), { axisName: name, axisSize: mesh.shape[depth]!, inAxes: stacked.map((s) => (s.used.has(name) ? 0 : null)) })
  }
  const outs = nest(0)(...stacked.map((s) => s.x))
  const outSpecs = specLeaves(outSpecsOpt, unflatten(outDef!, outs), "outSpecs")
  const m = mesh.axisNames.length
  const assembled = outs.map((y, j) => {
    const spec = outSpecs[j]!
    const block = y.shape.slice(m)
    if (spec.entries.length > block.length)
      throw new ValueError(`shardMap: outSpecs ${spec.toString()} has more entries than output ${j}'s ${block.length} dimensions.`)
    const named = new Set(block.flatMap((_, d) => spec.axesOf(d)))
    // The copy at coordinate 0 of every mesh axis the spec does not name.
    const kept = mesh.axisNames.filter((a) => named.has(a))
    const picked = reshape(
      slice(
        y,
        y.shape.map(() => 0),
        y.shape.map((s, d) => (d < m && !named.has(mesh.axisNames[d]!) ? 1 : s))
      ),
      [...kept.map(size), ...block]
    )
    const perm = block.flatMap((_, d) => [...spec.axesOf(d).map((a) => kept.indexOf(a)), kept.length + d])
    return reshape(
      transpose(picked, perm),
      block.map((s, d) => s * spec.axesOf(d).reduce((k, a) => k * size(a), 1))
    )
  })
  return unflatten(outDef!, assembled)
}
