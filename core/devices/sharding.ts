/**
 * What every Array's `x.sharding` is (JAX's jax.sharding.Sharding): which devices hold the array
 * and which part of it each holds. A concrete array on one device has a `SingleDeviceSharding`; a
 * sharded array has a NamedSharding (core/parallel/mesh.ts), which answers the same questions.
 */
import type { ArrayImpl } from "../array.js"
import type { Device } from "./device.js"

/** One dimension's part of a shard: elements `start` to `stop` (exclusive), as Python's slice. */
export interface ShardSlice {
  readonly start: number
  readonly stop: number
}

/** One device's part of an array (JAX's Shard): `x.addressableShards` lists them. */
export interface Shard {
  readonly device: Device
  /** Per dimension, the elements of the global array this part holds. */
  readonly index: ReadonlyArray<ShardSlice>
  /** Which copy of its part this is (0 for the first device holding it). */
  readonly replicaId: number
  /** The part, committed to `device`. */
  readonly data: ArrayImpl
}

/** The questions JAX's Sharding answers, for single-device and named shardings alike. */
export interface Sharding {
  /** The devices holding a part of the array (JAX's `device_set`). */
  readonly deviceSet: ReadonlySet<Device>
  /** The devices this process can read (all of them here: one process; JAX's `addressable_devices`). */
  readonly addressableDevices: ReadonlySet<Device>
  /** How many devices hold a part (JAX's `num_devices`). */
  readonly numDevices: number
  /** Whether every device holds the whole array (JAX's `is_fully_replicated`). */
  readonly isFullyReplicated: boolean
  /** Whether this process holds every part (always: one process; JAX's `is_fully_addressable`). */
  readonly isFullyAddressable: boolean
  /** Where the buffers live (JAX's `memory_kind`): "device". */
  readonly memoryKind: string
  /** The shape of one device's part of an array of `globalShape` (JAX's `shard_shape`). */
  shardShape(globalShape: ReadonlyArray<number>): number[]
  /** Per device, the elements of each dimension it holds (JAX's `devices_indices_map`). */
  devicesIndicesMap(globalShape: ReadonlyArray<number>): Map<Device, ShardSlice[]>
  /** Whether `other` puts the same parts of an `ndim`-dimensional array on the same devices (JAX's `is_equivalent_to`). */
  isEquivalentTo(other: Sharding, ndim: number): boolean
}

/**
 * Whether two shardings put the same parts on the same devices: compared on an array whose every
 * dimension is the device count (every split of either divides it).
 */
export const equivalentShardings = (a: Sharding, b: Sharding, ndim: number): boolean => {
  if (a.numDevices !== b.numDevices) return false
  const shape = globalThis.Array.from({ length: ndim }, () => a.numDevices)
  const ma = a.devicesIndicesMap(shape)
  const mb = b.devicesIndicesMap(shape)
  if (ma.size !== mb.size) return false
  for (const [d, idx] of ma) {
    const o = mb.get(d)
    if (o === undefined || idx.some((s, i) => s.start !== o[i]!.start || s.stop !== o[i]!.stop)) return false
  }
  return true
}

/**
 * The sharding of an array that lives whole on one device (JAX's SingleDeviceSharding): what
 * `x.sharding` is for every concrete array that is not sharded.
 *
 * @example
 * const x = np.arange(4)
 * x.sharding.isFullyReplicated // true
 * x.sharding.shardShape([4]) // [4]
 * new SingleDeviceSharding(x.device).toString() // "SingleDeviceSharding(device=CpuDevice(id=0), memory_kind=device)"
 */
export class SingleDeviceSharding implements Sharding {
  constructor(readonly device: Device) {}
  get deviceSet(): ReadonlySet<Device> {
    return new Set([this.device])
  }
  get addressableDevices(): ReadonlySet<Device> {
    return this.deviceSet
  }
  get numDevices(): number {
    return 1
  }
  get isFullyReplicated(): boolean {
    return true
  }
  get isFullyAddressable(): boolean {
    return true
  }
  get memoryKind(): string {
    return "device"
  }
  shardShape(globalShape: ReadonlyArray<number>): number[] {
    return [...globalShape]
  }
  devicesIndicesMap(globalShape: ReadonlyArray<number>): Map<Device, ShardSlice[]> {
    return new Map([[this.device, globalShape.map((s) => ({ start: 0, stop: s }))]])
  }
  isEquivalentTo(other: Sharding, ndim: number): boolean {
    return equivalentShardings(this, other, ndim)
  }
  toString(): string {
    return `SingleDeviceSharding(device=${this.device.toString()}, memory_kind=device)`
  }
}
