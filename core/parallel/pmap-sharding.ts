/**
 * pmap's results as sharded Arrays (JAX's pmap output: a NamedSharding over a one-axis mesh of the
 * devices it ran on, one slice of the mapped axis per device), and pmap's use of such arrays as
 * arguments: slice k of the mapped axis is device k's shard, used where it is.
 */
import { ArrayImpl, ShapedArray } from "../array.js"
import type { Device } from "../devices/device.js"
import { track } from "../devices/lifetimes.js"
import { reshape } from "../primitives/shape-ops.js"
import { Mesh, NamedSharding, P } from "./mesh.js"
import { ShardedArray } from "./sharded-array.js"

/** JAX's name for the mesh axis of a pmap's result. */
export const PMAP_AXIS = "_internal_pmap_axis_name"

/** `x` with another shape of the same elements, on its device, without a copy where the backend allows. */
const reshaped = (x: ArrayImpl, shape: ReadonlyArray<number>): ArrayImpl =>
  x.backend.manualMemory ? (reshape(x, shape) as ArrayImpl) : track(new ArrayImpl(new ShapedArray(shape, x.dtype, x.weakType), x.buffer, x.device, true))

/**
 * The per-device results (result k on devs[k]) as one sharded Array with the device axis at
 * `axis`; undefined when they cannot be (not concrete, not on their devices, devices repeated).
 */
export const shardedResult = (parts: ReadonlyArray<unknown>, devs: ReadonlyArray<Device>, axis: number): ShardedArray | undefined => {
  if (new Set(devs).size !== devs.length) return undefined
  if (!parts.every((p, k) => p instanceof ArrayImpl && !(p instanceof ShardedArray) && p.device === devs[k])) return undefined
  const ps = parts as ReadonlyArray<ArrayImpl>
  const first = ps[0]!
  const a = axis < 0 ? axis + first.ndim + 1 : axis
  const blockShape = [...first.shape.slice(0, a), 1, ...first.shape.slice(a)]
  const shape = [...first.shape.slice(0, a), ps.length, ...first.shape.slice(a)]
  const spec = P(...blockShape.map((_, d) => (d === a ? PMAP_AXIS : null)))
  const sharding = new NamedSharding(new Mesh(devs, [PMAP_AXIS]), spec)
  return new ShardedArray(
    new ShapedArray(shape, first.dtype, first.weakType),
    sharding,
    ps.map((p) => reshaped(p, blockShape))
  )
}

/**
 * Slice k (on `dev`) of `x` along `axis`, without that axis, when x is sharded along that axis
 * one slice per device of `devs` (as a pmap over them left it): the shard, where it is.
 */
export const localSlice = (x: unknown, axis: number, k: number, devs: ReadonlyArray<Device>): ArrayImpl | undefined => {
  if (!(x instanceof ShardedArray) || x.shape[axis] !== devs.length) return undefined
  const s = x.sharding
  if (s.mesh.devices.length !== devs.length || s.mesh.devices.some((d, i) => d !== devs[i])) return undefined
  const splits = s.splits(x.shape)
  if (splits.some((n, d) => n !== (d === axis ? devs.length : 1))) return undefined
  const shard = x.addressableShards[k]!
  if (shard.index[axis]!.start !== k) return undefined
  return reshaped(
    shard.data,
    x.shape.filter((_, d) => d !== axis)
  )
}
