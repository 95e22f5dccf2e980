/**
 * Sharded Arrays (JAX's jax.Array over several devices): the value lives as blocks ("shards"), one
 * per mesh device, each on its device, laid out by a NamedSharding. Reading the value (data(),
 * toJs(), printing, an eager operation, a plain jit) gathers the shards into one buffer on the
 * default device, once; pmap and a jit with shardings consume the shards where they are.
 */
import { ArrayImpl, ShapedArray } from "../array.js"
import type { DeviceBuffer } from "../backend.js"
import type { Device } from "../devices/device.js"
import type { Shard, ShardSlice } from "../devices/sharding.js"
import { track } from "../devices/lifetimes.js"
import { defaultDevice } from "../devices/registry.js"
import { type AnyTypedArray, type DType, isComplex, storedValues } from "../dtype.js"
import { ValueError } from "../errors.js"
import { asarray } from "../numpy/creation.js"
import { copyBlock, sameKind } from "./blocks.js"
import { NamedSharding } from "./mesh.js"

export type { Shard, ShardSlice }

/**
 * The block each mesh device holds for an array of `shape` under `sharding` (row-major device
 * order), with replica ids: JAX's `devices_indices_map`.
 */
export const shardIndices = (sharding: NamedSharding, shape: ReadonlyArray<number>): Array<{ readonly index: ShardSlice[]; readonly replicaId: number }> => {
  const bs = sharding.shardShape(shape)
  const seen = new Map<string, number>()
  return sharding.mesh.devices.map((_, k) => {
    const block = sharding.blockOf(k, shape.length)
    const key = block.join(",")
    const replicaId = seen.get(key) ?? 0
    seen.set(key, replicaId + 1)
    return { index: block.map((b, d) => ({ start: b * bs[d]!, stop: (b + 1) * bs[d]! })), replicaId }
  })
}

/**
 * A concrete array stored as shards on the devices of a mesh. It is an ordinary Array: reading
 * it, or using it where one device's buffer is needed, gathers the shards onto the default device
 * (once; the copy is kept).
 *
 * @example
 * // JAXFX_CPU_DEVICES=2
 * const mesh = makeMesh([2], ["x"])
 * const y = devicePut(np.arange(8).reshape([4, 2]), new NamedSharding(mesh, P("x"))) as ShardedArray
 * y.sharding.spec // PartitionSpec("x")
 * y.addressableShards.map((s) => s.data.shape) // [[2, 2], [2, 2]]
 */
export class ShardedArray extends ArrayImpl {
  private readonly named: NamedSharding
  private readonly shardList: ReadonlyArray<Shard>
  private gathered: DeviceBuffer | undefined
  private deleted = false
  private consumedBy: string | undefined

  constructor(aval: ShapedArray, sharding: NamedSharding, blocks: ReadonlyArray<ArrayImpl>) {
    super(aval, undefined as unknown as DeviceBuffer, defaultDevice(), false)
    const idx = shardIndices(sharding, aval.shape)
    const bs = sharding.shardShape(aval.shape)
    if (blocks.length !== idx.length)
      throw new ValueError(`ShardedArray: the mesh has ${idx.length} devices but ${blocks.length} blocks were given; give one per device.`)
    this.named = sharding
    this.shardList = blocks.map((b, k) => {
      if (b.shape.length !== bs.length || b.shape.some((s, d) => s !== bs[d])) {
        throw new ValueError(`ShardedArray: block ${k} has shape [${b.shape.join(", ")}], but ${sharding.toString()} gives blocks of shape [${bs.join(", ")}].`)
      }
      return { device: sharding.mesh.devices[k]!, index: idx[k]!.index, replicaId: idx[k]!.replicaId, data: b }
    })
  }

  /** How the array is laid out over the mesh (JAX's `x.sharding`). */
  override get sharding(): NamedSharding {
    return this.named
  }

  /** The shards, one per mesh device, each on its device (JAX's `x.addressable_shards`). */
  override get addressableShards(): ReadonlyArray<Shard> {
    this.check()
    return this.shardList
  }

  /** Whether every device holds the whole array (JAX's `x.is_fully_replicated`). */
  override get isFullyReplicated(): boolean {
    return this.sharding.splits(this.shape).every((k) => k === 1)
  }

  override devices(): Set<Device> {
    return new Set(this.sharding.mesh.devices)
  }

  /** The whole value on the default device: the shards gathered on first use. */
  override get buffer(): DeviceBuffer {
    this.check()
    if (this.gathered === undefined) {
      const home = this.device
      this.gathered = home.backend.fromHost(gatherStored(this.shardList, this.shape), this.aval)
    }
    return this.gathered
  }

  override data(): ReturnType<ArrayImpl["data"]> {
    this.check()
    if (this.gathered === undefined) return storedValues(gatherStored(this.shardList, this.shape), this.dtype)
    return super.data()
  }

  /**
   * The elements, each shard read with its own device's asynchronous read (a WebGPU shard cannot be
   * read synchronously), assembled on the host.
   */
  override async dataAsync(): Promise<AnyTypedArray> {
    this.check()
    if (this.gathered !== undefined) return super.dataAsync()
    const blocks = await Promise.all(this.shardList.map((s) => (s.replicaId === 0 ? s.data.dataAsync() : undefined)))
    // values (float16 read as float32): assembled as they are
    return assemble(this.shardList, this.shape, blocks)
  }

  /** Wait until every shard has been computed; returns the array. */
  override blockUntilReady(): this {
    this.check()
    for (const s of this.shardList) s.data.blockUntilReady()
    return this
  }

  override async blockUntilReadyAsync(): Promise<this> {
    this.check()
    await Promise.all(this.shardList.map((s) => s.data.blockUntilReadyAsync()))
    return this
  }

  /** Consumed by a call that donated it (donateArgnums): its shards are released. */
  override donate(who: string): void {
    if (this.deleted) return
    this.consumedBy = who
    this.delete()
  }

  override delete(): void {
    if (this.deleted) return
    this.deleted = true
    for (const s of this.shardList) s.data.delete()
    if (this.gathered !== undefined) this.device.backend.release(this.gathered)
    this.gathered = undefined
  }

  override isDeleted(): boolean {
    return this.deleted
  }

  private check(): void {
    if (this.deleted)
      throw new ValueError(
        this.consumedBy === undefined
          ? `this sharded array (${this.aval.str()}) was deleted; recompute it.`
          : `this sharded array (${this.aval.str()}) was donated to ${this.consumedBy} (donateArgnums), which consumed its shards: use the call's result instead, or leave the argument out of donateArgnums to keep it.`
      )
  }
}

/** A shape in stored numbers: a complex element is two (its parts, interleaved), a trailing axis of 2. */
const storedShape = (shape: ReadonlyArray<number>, dtype: DType): ReadonlyArray<number> => (isComplex(dtype) ? [...shape, 2] : shape)
const storedStart = (start: ReadonlyArray<number>, dtype: DType): ReadonlyArray<number> => (isComplex(dtype) ? [...start, 0] : start)

/** The global elements (storage type) assembled from the first replica of every block. */
const gatherStored = (shards: ReadonlyArray<Shard>, shape: ReadonlyArray<number>): ReturnType<ArrayImpl["stored"]> =>
  assemble(
    shards,
    shape,
    shards.map((s) => (s.replicaId === 0 ? s.data.stored() : undefined))
  )

/** The global elements assembled from the blocks read from the first replica of every block (`blocks[k]` of shard k). */
const assemble = (shards: ReadonlyArray<Shard>, shape: ReadonlyArray<number>, blocks: ReadonlyArray<AnyTypedArray | undefined>): AnyTypedArray => {
  const first = blocks[0]!
  const dtype = shards[0]!.data.dtype
  const global = storedShape(shape, dtype)
  const out = sameKind(
    first,
    global.reduce((a, b) => a * b, 1)
  )
  shards.forEach((s, k) => {
    if (s.replicaId !== 0) return
    copyBlock(
      out,
      global,
      blocks[k]!,
      storedShape(s.data.shape, dtype),
      storedStart(
        s.index.map((i) => i.start),
        dtype
      ),
      false
    )
  })
  return out
}

/**
 * A sharded array from its blocks (one per mesh device, in the mesh's row-major order, each already
 * on its device): JAX's `make_array_from_single_device_arrays`.
 *
 * @example
 * // JAXFX_CPU_DEVICES=2: rebuild a sharded array from its per-device blocks
 * const sharding = new NamedSharding(makeMesh([2], ["x"]), P("x"))
 * const y = devicePut(np.arange(4), sharding) as ShardedArray
 * const z = makeShardedArray([4], sharding, y.addressableShards.map((s) => s.data)) // equal to y
 */
export const makeShardedArray = (shape: ReadonlyArray<number>, sharding: NamedSharding, blocks: ReadonlyArray<ArrayImpl>): ShardedArray => {
  const first = blocks[0]
  if (first === undefined) throw new ValueError("makeShardedArray: give one block per mesh device.")
  return new ShardedArray(new ShapedArray(shape, first.dtype, first.weakType), sharding, blocks)
}

/** Split `x` into the blocks of `sharding` and put each on its mesh device (devicePut with a sharding). */
export const putSharded = (x: unknown, sharding: NamedSharding): ShardedArray => {
  const a = x instanceof ArrayImpl ? x : asarray(x as never)
  if (!(a instanceof ArrayImpl)) throw new ValueError("devicePut: a traced value cannot be placed; call it outside jit, grad and vmap, on concrete arrays.")
  if (a instanceof ShardedArray && sameSharding(a.sharding, sharding)) return a
  const bs = sharding.shardShape(a.shape)
  const aval = new ShapedArray(bs, a.dtype, a.weakType)
  const host = a.stored()
  const n = storedShape(bs, a.dtype).reduce((p, q) => p * q, 1)
  const blocks = shardIndices(sharding, a.shape).map(({ index }, k) => {
    const dev = sharding.mesh.devices[k]!
    const block = sameKind(host, n)
    copyBlock(
      host,
      storedShape(a.shape, a.dtype),
      block,
      storedShape(bs, a.dtype),
      storedStart(
        index.map((i) => i.start),
        a.dtype
      ),
      true
    )
    return track(new ArrayImpl(aval, dev.backend.fromHost(block, aval), dev, true))
  })
  return new ShardedArray(a.aval, sharding, blocks)
}

/** Whether two shardings lay arrays out the same way (same devices in the same grid, same spec). */
export const sameSharding = (a: NamedSharding, b: NamedSharding): boolean =>
  a === b ||
  (a.mesh.shape.length === b.mesh.shape.length &&
    a.mesh.shape.every((s, i) => s === b.mesh.shape[i]) &&
    a.mesh.devices.every((d, i) => d === b.mesh.devices[i]) &&
    a.mesh.axisNames.every((n, i) => n === b.mesh.axisNames[i]) &&
    normalizedSpec(a).join("|") === normalizedSpec(b).join("|"))

const normalizedSpec = (s: NamedSharding): string[] => {
  const out = s.spec.entries.map((_, d) => s.spec.axesOf(d).join(","))
  while (out.length > 0 && out[out.length - 1] === "") out.pop()
  return out
}
