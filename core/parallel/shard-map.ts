/**
 * `shardMap` (JAX's jax.shard_map): an explicit per-device program over a mesh. Each argument is
 * split into blocks by its PartitionSpec, every mesh device runs `f` on its blocks, with
 * collectives over the mesh axes (across devices, through shared memory), and the outputs are
 * assembled from the blocks by their PartitionSpecs.
 */
import { Array, ShapedArray } from "../array.js"
import { typedArrayCtor } from "../dtype.js"
import { ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { fromHost, Tracer } from "../trace.js"
import { broadcastPrefix, flatten, unflatten } from "../tree.js"
import { copyBlock } from "./blocks.js"
import { canCommunicate, runOnDevices, traceDeviceProgram } from "./device-program.js"
import { type Mesh, meshGroups, NamedSharding, PartitionSpec } from "./mesh.js"

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
    if (leaves.some((l) => l instanceof Tracer))
      throw new ValueError("shardMap: call it on concrete arrays (under jit, grad or vmap it is not supported yet); put the transformation inside f.")
    const arrays = leaves.map((l) => {
      if (!(l instanceof Array)) throw new ValueError(`shardMap: arguments must be Arrays (or pytrees of them), got ${String(l)}.`)
      return l
    })
    const inSpecs = specLeaves(opts.inSpecs, args, "inSpecs")
    const shardings = inSpecs.map((s) => new NamedSharding(mesh, s as PartitionSpec))
    const blockShapes = arrays.map((a, i) => shardings[i]!.shardShape(a.shape))
    const sig = arrays.map((a, i) => `${a.dtype}${a.weakType ? "w" : ""}[${blockShapes[i]!.join(",")}]`).join(";") + `|${def.cacheKey()}`
    let prog = programs.get(sig)
    if (prog === undefined) {
      const avals = arrays.map((a, i) => new ShapedArray(blockShapes[i]!, a.dtype, a.weakType))
      prog = traceDeviceProgram((xs) => (f as unknown as (...a: unknown[]) => unknown)(...(unflatten(def, xs) as unknown[])), avals, axes)
      programs.set(sig, prog)
    }
    const hostData = arrays.map((a) => a.data())
    const shard = (k: number): Array[] =>
      arrays.map((a, i) => {
        const bs = blockShapes[i]!
        const start = shardings[i]!.blockOf(k, a.ndim).map((b, d) => b * bs[d]!)
        const block = new (typedArrayCtor(a.dtype))(bs.reduce((p, q) => p * q, 1))
        copyBlock(hostData[i]!, a.shape, block, bs, start, true)
        return fromHost(block, new ShapedArray(bs, a.dtype, a.weakType))
      })
    const outs = runOnDevices(prog, `shardMap(${f.name || "<lambda>"})`, mesh.devices, groups, shard)
    // Assemble each output from the blocks of the devices at coordinate 0 of the axes it does not name.
    const perDevice = outs.map((o) => flatten(o)[0] as Array[])
    const outDef = prog.outDef
    const outSpecs = specLeaves(opts.outSpecs, unflatten(outDef, perDevice[0]!), "outSpecs")
    const assembled = perDevice[0]!.map((first, j) => {
      const spec = outSpecs[j] as PartitionSpec
      const sharding = new NamedSharding(mesh, spec)
      const named = new Set(spec.entries.flatMap((_, d) => spec.axesOf(d)))
      const bs = first.shape
      const splits = bs.map((_, d) => spec.axesOf(d).reduce((p, a) => p * mesh.shape[mesh.axisIndex(a, "shardMap: outSpecs")]!, 1))
      if (spec.entries.length > bs.length)
        throw new ValueError(`shardMap: outSpecs ${spec.toString()} has more entries than output ${j}'s ${bs.length} dimensions.`)
      const shape = bs.map((s, d) => s * splits[d]!)
      const out = new (typedArrayCtor(first.dtype))(shape.reduce((p, q) => p * q, 1))
      mesh.devices.forEach((_, k) => {
        const c = mesh.coords(k)
        if (mesh.axisNames.some((a, i) => !named.has(a) && c[i] !== 0)) return
        const start = sharding.blockOf(k, bs.length).map((b, d) => b * bs[d]!)
        copyBlock(out, shape, perDevice[k]![j]!.data(), bs, start, false)
      })
      return fromHost(out, new ShapedArray(shape, first.dtype, first.weakType))
    })
    return unflatten(outDef, assembled) as R
  }
}
