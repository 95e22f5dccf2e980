/**
 * `jit(f, { inShardings, outShardings })`: f is traced once per signature on the global shapes,
 * partitioned over the mesh (partition.ts) into one per-device program, and run on every mesh
 * device at once (device-program.ts, as shardMap runs); arguments are split by `inShardings` (or
 * used where they are, when already laid out that way) and results come back as sharded Arrays laid
 * out by `outShardings` (or as the program left them).
 */
import { Array, ArrayImpl, ShapedArray } from "../array.js"
import { ValueError } from "../errors.js"
import type { Jaxpr } from "../ir.js"
import { traceToJaxpr } from "../interpreters/stage.js"
import { asarray } from "../numpy/creation.js"
import { constant } from "../primitives/common.js"
import { Tracer } from "../trace.js"
import { broadcastPrefix, flatten, unflatten } from "../tree.js"
import { canCommunicate, type DeviceProgram, runOnDevices, traceDeviceProgram } from "./device-program.js"
import { type Mesh, meshGroups, NamedSharding, P, type SpecEntry } from "./mesh.js"
import { type Layout, localShape, partitionJaxpr, relayout } from "./partition.js"
import { makeShardedArray, putSharded, sameSharding, ShardedArray } from "./sharded-array.js"
import { whilePartitioning } from "./sharding-constraint.js"

/** Shardings for a jit: one for every leaf, or one entry per positional argument (or output); null: as it is. */
export type Shardings = NamedSharding | ReadonlyArray<unknown>

export interface ShardingOptions {
  readonly inShardings?: Shardings | undefined
  readonly outShardings?: Shardings | undefined
  readonly name: string
}

const layoutOf = (s: NamedSharding, shape: ReadonlyArray<number>): Layout => {
  s.splits(shape, "jit: inShardings/outShardings")
  return shape.map((_, d) => s.spec.axesOf(d))
}

const specOf = (lay: Layout): SpecEntry[] => {
  const entries: SpecEntry[] = lay.map((a) => (a.length === 0 ? null : a.length === 1 ? a[0]! : [...a]))
  while (entries.length > 0 && entries[entries.length - 1] === null) entries.pop()
  return entries
}

const sameMesh = (a: Mesh, b: Mesh): boolean =>
  a === b ||
  (a.devices.length === b.devices.length &&
    a.devices.every((d, i) => d === b.devices[i]) &&
    a.axisNames.every((n, i) => n === b.axisNames[i]) &&
    a.shape.every((s, i) => s === b.shape[i]))

/** Each entry as a NamedSharding or null, checked. */
const shardingList = (s: Shardings, n: number, what: string): (NamedSharding | null)[] => {
  if (s instanceof NamedSharding) return globalThis.Array.from({ length: n }, () => s)
  if (!globalThis.Array.isArray(s)) throw new ValueError(`jit: ${what} must be a NamedSharding or a list of them (null for "as it is"), got ${String(s)}.`)
  return s.map((e) => {
    if (e === null || e === undefined) return null
    if (e instanceof NamedSharding) return e
    throw new ValueError(`jit: ${what} must hold NamedShardings (or null), got ${String(e)}.`)
  })
}

interface Program {
  readonly prog: DeviceProgram
  readonly outLayouts: Layout[]
  readonly outAvals: ReadonlyArray<ShapedArray>
  readonly outDef: ReturnType<typeof flatten>[1]
}

/**
 * `plain` (jit of f) with shardings: called on concrete arrays, it partitions f over the mesh of
 * its shardings; under a transformation it is `plain`.
 */
export const withShardings = <F extends (...args: never[]) => unknown>(f: (...args: unknown[]) => unknown, plain: F, opts: ShardingOptions): F => {
  const all = [
    ...(opts.inShardings === undefined ? [] : shardingList(opts.inShardings, 1, "inShardings")),
    ...(opts.outShardings === undefined ? [] : shardingList(opts.outShardings, 1, "outShardings"))
  ].filter((s): s is NamedSharding => s !== null)
  const mesh = all[0]?.mesh
  if (mesh === undefined) throw new ValueError("jit: inShardings/outShardings name no NamedSharding; give at least one (its mesh is where the program runs).")
  for (const s of all)
    if (!sameMesh(s.mesh, mesh)) throw new ValueError(`jit: every sharding must use one mesh; got ${mesh.toString()} and ${s.mesh.toString()}.`)
  if (!canCommunicate(mesh.devices))
    throw new ValueError("jit with shardings: the mesh's devices must be distinct CPU devices (they exchange data through shared memory).")
  const axes = mesh.axisNames.map((name, i) => ({ name, size: mesh.shape[i]! }))
  const groups = meshGroups(mesh)
  const warned = new Set<string>()
  const warn = (prim: string, detail: string): void => {
    if (warned.has(prim)) return
    warned.add(prim)
    console.warn(`jit(${opts.name}) over ${mesh.toString()}: ${prim}: ${detail}; the result is the same, at the cost of moving the whole operands.`)
  }
  const programs = new Map<string, Program>()

  const call = (...args: unknown[]): unknown => {
    const [leaves0, def] = flatten(args)
    if (leaves0.some((l) => l instanceof Tracer)) return (plain as unknown as (...a: unknown[]) => unknown)(...args)
    const leaves = leaves0.map((l) => (l instanceof ArrayImpl ? l : (asarray(l as never) as ArrayImpl)))
    // The sharding of each leaf: its argument's entry, else its own (on this mesh), else replicated.
    const perArg = opts.inShardings === undefined ? args.map(() => null) : shardingList(opts.inShardings, args.length, "inShardings")
    if (perArg.length !== args.length)
      throw new ValueError(`jit: inShardings has ${perArg.length} entries but the function was called with ${args.length} arguments; give one per argument.`)
    const leafShardings = (broadcastPrefix(perArg, args) as (NamedSharding | null)[]).map((s, i) => {
      if (s !== null && s !== undefined) return s
      const l = leaves[i]!
      return l instanceof ShardedArray && sameMesh(l.sharding.mesh, mesh) ? l.sharding : new NamedSharding(mesh, P())
    })
    const inLayouts = leaves.map((l, i) => layoutOf(leafShardings[i]!, l.shape))
    const key = `${def.cacheKey()}|${leaves.map((l, i) => `${l.aval.str()}${l.weakType ? "w" : ""}:${inLayouts[i]!.map((a) => a.join(",")).join(";")}`).join("|")}`
    let p = programs.get(key)
    if (p === undefined) {
      p = compile(
        leaves.map((l) => l.aval),
        inLayouts,
        def
      )
      programs.set(key, p)
    }
    const blocks = leaves.map((l, i) => {
      const s = leafShardings[i]!
      const placed = l instanceof ShardedArray && sameSharding(l.sharding, s) ? l : putSharded(l, s)
      return placed.addressableShards.map((sh) => sh.data)
    })
    const outs = runOnDevices(p.prog, `jit(${opts.name})`, mesh.devices, groups, (k) => blocks.map((b) => b[k]!))
    const perDevice = outs.map((o) => o as ArrayImpl[])
    const results = p.outAvals.map((aval, j) =>
      makeShardedArray(
        aval.shape,
        new NamedSharding(mesh, P(...specOf(p!.outLayouts[j]!))),
        perDevice.map((o) => o[j]!)
      )
    )
    return unflatten(p.outDef, results)
  }

  const compile = (avals: ReadonlyArray<ShapedArray>, inLayouts: ReadonlyArray<Layout>, def: ReturnType<typeof flatten>[1]): Program => {
    const [closed, outDef] = traceToJaxpr(avals, (tracers) =>
      whilePartitioning(() => {
        const [outLeaves, od] = flatten(f(...(unflatten(def, tracers) as unknown[])))
        return [outLeaves.map((l) => (l instanceof Array ? l : constant(l as number, Number.isInteger(l) ? "int32" : "float32", [], true))), od] as const
      })
    )
    const outAvals = closed.jaxpr.outs.map((o) => o.aval)
    const wanted: (Layout | null)[] = (() => {
      if (opts.outShardings === undefined) return outAvals.map(() => null)
      const list =
        opts.outShardings instanceof NamedSharding
          ? outAvals.map(() => opts.outShardings as NamedSharding)
          : (broadcastPrefix(shardingList(opts.outShardings, 0, "outShardings"), unflatten(outDef, outAvals)) as (NamedSharding | null)[])
      return list.map((s, j) => (s === null || s === undefined ? null : layoutOf(s, outAvals[j]!.shape)))
    })()
    const localAvals = avals.map((a, i) => new ShapedArray(localShape(mesh, a.shape, inLayouts[i]!), a.dtype, a.weakType))
    const outLayouts: Layout[] = []
    const prog = traceDeviceProgram(
      (blocks) => {
        const ctx = { mesh, warn }
        const consts = closed.consts.map((c) => ({ x: c, lay: c.shape.map(() => []) }))
        const outs = partitionJaxpr(
          ctx,
          closed.jaxpr as Jaxpr,
          consts,
          blocks.map((x, i) => ({ x, lay: inLayouts[i]! }))
        )
        return outs.map((v, j) => {
          const w = wanted[j]
          const final = w === null || w === undefined ? v : relayout(mesh, v, w, outAvals[j]!.shape)
          outLayouts[j] = final.lay
          return final.x
        })
      },
      localAvals,
      axes
    )
    return { prog, outLayouts, outAvals, outDef }
  }
  return call as unknown as F
}
