/**
 * Device meshes and partition specs (JAX's jax.sharding): a `Mesh` arranges devices in an
 * n-dimensional grid with a name per grid axis; a `PartitionSpec` says, per array dimension, which
 * mesh axes split it (none: replicated along the others); a `NamedSharding` is the pair.
 */
import type { Device } from "../devices/device.js"
import { devices as allDevices } from "../devices/registry.js"
import { equivalentShardings, type Sharding, type ShardSlice } from "../devices/sharding.js"
import { DeviceError, ShapeError, ValueError } from "../errors.js"
import { describe } from "../shape.js"

/** One entry of a PartitionSpec: no mesh axis (null), one, or several (major to minor). */
export type SpecEntry = string | ReadonlyArray<string> | null

/**
 * Which mesh axes split each dimension of an array (JAX's PartitionSpec); dimensions past the
 * entries are not split.
 *
 * @example
 * // JAXFX_CPU_DEVICES=4: rows split over mesh axis "x", columns not split
 * const sharding = new NamedSharding(makeMesh([4], ["x"]), new PartitionSpec("x", null))
 * devicePut(np.zeros([8, 3]), sharding)
 */
export class PartitionSpec {
  readonly entries: ReadonlyArray<SpecEntry>
  constructor(...entries: ReadonlyArray<SpecEntry>) {
    for (const e of entries) {
      const ok = e === null || typeof e === "string" || (globalThis.Array.isArray(e) && e.every((n) => typeof n === "string"))
      if (!ok) throw new ValueError(`PartitionSpec: each entry is null, a mesh axis name or a list of them, got ${describe(e)}.`)
    }
    this.entries = entries
  }
  /** The mesh axes splitting dimension `d` (empty: not split). */
  axesOf(d: number): ReadonlyArray<string> {
    const e = this.entries[d]
    return e === null || e === undefined ? [] : typeof e === "string" ? [e] : e
  }
  toString(): string {
    return `PartitionSpec(${this.entries.map((e) => (e === null ? "None" : typeof e === "string" ? `'${e}'` : `(${e.map((n) => `'${n}'`).join(", ")})`)).join(", ")}${this.entries.length === 1 ? "," : ""})`
  }
}

/**
 * A PartitionSpec: `P("x", null)` splits dimension 0 over mesh axis "x" (JAX's `P`).
 *
 * @example
 * const mesh = makeMesh([2, 2], ["x", "y"])
 * new NamedSharding(mesh, P("x", "y")) // rows over "x", columns over "y"
 */
export const P = (...entries: ReadonlyArray<SpecEntry>): PartitionSpec => new PartitionSpec(...entries)

type Nested = Device | ReadonlyArray<Nested>

/**
 * A grid of devices with a name per axis (JAX's jax.sharding.Mesh).
 *
 * @example
 * // JAXFX_CPU_DEVICES=4
 * const d = devices()
 * const mesh = new Mesh([[d[0]!, d[1]!], [d[2]!, d[3]!]], ["x", "y"])
 * mesh.shape // [2, 2]
 */
export class Mesh {
  /** The devices in row-major order of the grid. */
  readonly devices: ReadonlyArray<Device>
  readonly shape: ReadonlyArray<number>
  readonly axisNames: ReadonlyArray<string>
  /**
   * @example
   * const d = devices()
   * const mesh = new Mesh([[d[0]!, d[1]!], [d[2]!, d[3]!]], ["x", "y"])
   */
  constructor(devs: ReadonlyArray<Nested>, axisNames: ReadonlyArray<string>) {
    const shape: number[] = []
    let level: ReadonlyArray<Nested> = devs
    for (;;) {
      shape.push(level.length)
      const first = level[0]
      if (!globalThis.Array.isArray(first)) break
      level = first as ReadonlyArray<Nested>
    }
    const flat: Device[] = []
    const walk = (x: Nested, depth: number): void => {
      if (depth === shape.length) {
        if (globalThis.Array.isArray(x)) throw new ValueError("Mesh: the device grid is ragged; give every row the same number of devices.")
        flat.push(x as Device)
        return
      }
      if (!globalThis.Array.isArray(x) || x.length !== shape[depth])
        throw new ValueError("Mesh: the device grid is ragged; give every row the same number of devices.")
      for (const y of x as ReadonlyArray<Nested>) walk(y, depth + 1)
    }
    walk(devs, 0)
    if (!globalThis.Array.isArray(axisNames) || axisNames.length !== shape.length || axisNames.some((n) => typeof n !== "string" || n.length === 0)) {
      throw new ValueError(`Mesh: the grid has ${shape.length} axes (shape [${shape.join(", ")}]); give one name per axis, got ${describe(axisNames)}.`)
    }
    if (new Set(axisNames).size !== axisNames.length) throw new ValueError(`Mesh: the axis names ${describe(axisNames)} repeat a name.`)
    if (new Set(flat).size !== flat.length) throw new ValueError("Mesh: a device appears twice in the grid; use each device once.")
    this.devices = flat
    this.shape = shape
    this.axisNames = [...axisNames]
  }
  /** The size of each named axis. */
  get axisSizes(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.axisNames.map((n, i) => [n, this.shape[i]!]))
  }
  /** The number of devices. */
  get size(): number {
    return this.devices.length
  }
  /** The grid coordinates of the k-th device (row-major). */
  coords(k: number): number[] {
    const c = new globalThis.Array<number>(this.shape.length)
    for (let i = this.shape.length - 1; i >= 0; i--) {
      c[i] = k % this.shape[i]!
      k = Math.floor(k / this.shape[i]!)
    }
    return c
  }
  /** The index (row-major) of the device at these coordinates. */
  indexOf(coords: ReadonlyArray<number>): number {
    return coords.reduce((k, c, i) => k * this.shape[i]! + c, 0)
  }
  /** The axis position of a name; a ValueError names the mesh's axes. */
  axisIndex(name: string, who: string): number {
    const i = this.axisNames.indexOf(name)
    if (i < 0) throw new ValueError(`${who}: "${name}" is not an axis of the mesh; its axes are ${this.axisNames.map((n) => `"${n}"`).join(", ")}.`)
    return i
  }
  toString(): string {
    return `Mesh(${this.axisNames.map((n, i) => `'${n}': ${this.shape[i]}`).join(", ")})`
  }
}

/**
 * A mesh of the first devices with this shape (JAX's jax.make_mesh).
 *
 * @example
 * const mesh = makeMesh([2, 4], ["x", "y"]) // JAXFX_CPU_DEVICES=8
 */
export const makeMesh = (shape: ReadonlyArray<number>, axisNames: ReadonlyArray<string>): Mesh => {
  const n = shape.reduce((a, b) => a * b, 1)
  const devs = allDevices()
  if (n > devs.length)
    throw new DeviceError(
      `makeMesh: a mesh of shape [${shape.join(", ")}] needs ${n} devices, but there are ${devs.length}; start with JAXFX_CPU_DEVICES=${n}.`
    )
  const build = (d: number, off: number): ReadonlyArray<Nested> => {
    const stride = shape.slice(d + 1).reduce((a, b) => a * b, 1)
    return globalThis.Array.from({ length: shape[d]! }, (_, i) => (d === shape.length - 1 ? devs[off + i]! : build(d + 1, off + i * stride)) as Nested)
  }
  return new Mesh(build(0, 0), axisNames)
}

/**
 * Per mesh device k: for each mesh axis, the devices along that axis through k and k's place
 * among them (the groups its collectives over that axis run in).
 */
export const meshGroups =
  (mesh: Mesh) =>
  (k: number): Array<{ readonly axisName: string; readonly rank: number; readonly group: ReadonlyArray<Device> }> => {
    const c = mesh.coords(k)
    return mesh.axisNames.map((axisName, i) => ({
      axisName,
      rank: c[i]!,
      group: globalThis.Array.from({ length: mesh.shape[i]! }, (_, j) => mesh.devices[mesh.indexOf(c.map((v, a) => (a === i ? j : v)))]!)
    }))
  }

/**
 * An array's layout over a mesh: the mesh and the PartitionSpec (JAX's NamedSharding).
 *
 * @example
 * // JAXFX_CPU_DEVICES=2
 * const sharding = new NamedSharding(makeMesh([2], ["x"]), P("x"))
 * devicePut(np.arange(4), sharding) // two blocks of 2, one per device
 */
export class NamedSharding implements Sharding {
  constructor(
    readonly mesh: Mesh,
    readonly spec: PartitionSpec
  ) {
    const used = new Set<string>()
    spec.entries.forEach((_, d) => {
      for (const a of spec.axesOf(d)) {
        mesh.axisIndex(a, "NamedSharding")
        if (used.has(a)) throw new ValueError(`NamedSharding: mesh axis "${a}" splits two dimensions in ${spec.toString()}; use each mesh axis once.`)
        used.add(a)
      }
    })
  }
  /** How many blocks each dimension of an array of this shape is split into. */
  splits(shape: ReadonlyArray<number>, who = "NamedSharding"): number[] {
    if (this.spec.entries.length > shape.length) {
      throw new ShapeError(
        `${who}: ${this.spec.toString()} has ${this.spec.entries.length} entries, more than the array's ${shape.length} dimensions (shape [${shape.join(", ")}]).`
      )
    }
    return shape.map((s, d) => {
      const k = this.spec.axesOf(d).reduce((p, a) => p * this.mesh.shape[this.mesh.axisIndex(a, who)]!, 1)
      if (s % k !== 0)
        throw new ShapeError(
          `${who}: dimension ${d} (size ${s}) of shape [${shape.join(", ")}] is split over ${k} devices by ${this.spec.toString()}, which does not divide it.`
        )
      return k
    })
  }
  /** The shape of one device's block (JAX's shard_shape). */
  shardShape(shape: ReadonlyArray<number>): number[] {
    const k = this.splits(shape)
    return shape.map((s, d) => s / k[d]!)
  }
  get deviceSet(): ReadonlySet<Device> {
    return new Set(this.mesh.devices)
  }
  get addressableDevices(): ReadonlySet<Device> {
    return this.deviceSet
  }
  get numDevices(): number {
    return this.mesh.size
  }
  /** Whether every device holds the whole array: the spec names only mesh axes of size 1. */
  get isFullyReplicated(): boolean {
    return this.spec.entries.every((_, d) => this.spec.axesOf(d).every((a) => this.mesh.shape[this.mesh.axisIndex(a, "NamedSharding")] === 1))
  }
  get isFullyAddressable(): boolean {
    return true
  }
  get memoryKind(): string {
    return "device"
  }
  devicesIndicesMap(globalShape: ReadonlyArray<number>): Map<Device, ShardSlice[]> {
    const bs = this.shardShape(globalShape)
    return new Map(
      this.mesh.devices.map((dev, k) => [dev, this.blockOf(k, globalShape.length).map((b, d) => ({ start: b * bs[d]!, stop: (b + 1) * bs[d]! }))] as const)
    )
  }
  isEquivalentTo(other: Sharding, ndim: number): boolean {
    return equivalentShardings(this, other, ndim)
  }
  /** The block index per dimension that the k-th mesh device holds. */
  blockOf(k: number, ndim: number): number[] {
    const c = this.mesh.coords(k)
    return globalThis.Array.from({ length: ndim }, (_, d) =>
      this.spec.axesOf(d).reduce((b, a) => {
        const i = this.mesh.axisIndex(a, "NamedSharding")
        return b * this.mesh.shape[i]! + c[i]!
      }, 0)
    )
  }
  toString(): string {
    return `NamedSharding(mesh=${this.mesh.toString()}, spec=${this.spec.toString()})`
  }
}
