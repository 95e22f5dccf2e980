/**
 * The immutable `Array` value. `Array` is abstract: concrete device arrays (`ArrayImpl`) and the
 * tracers of every transformation extend it, so user code sees one type. Arithmetic methods are
 * added by `numpy/methods.ts` (they call the `np` functions, which bind primitives).
 */
import type { Backend, DeviceBuffer } from "./backend.js"
import type { Device } from "./devices/device.js"
import { type Shard, type Sharding, SingleDeviceSharding } from "./devices/sharding.js"
import { type AnyTypedArray, checkDType, type DType, shortName, storedValues } from "./dtype.js"
import { ConcretizationError, DeviceError, DTypeError, ValueError } from "./errors.js"
import { formatArray, formatStr } from "./format.js"
import { assertShape, type Shape, sizeOf } from "./shape.js"

/**
 * The abstract value of an array: what tracing and shape rules see.
 *
 * @example
 * const x = np.zeros([2, 3])
 * x.aval.shape // [2, 3]
 * x.aval.dtype // "float32"
 * x.aval.str() // "f32[2,3]"
 */
export class ShapedArray {
  /**
   * Every abstract value checks its shape and dtype (a ShapeError or DTypeError otherwise): shapes
   * reach the code generators, so nothing but non-negative safe integers may ever be one.
   */
  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
    readonly weakType: boolean = false
  ) {
    assertShape(shape)
    checkDType(dtype, "an array's dtype")
  }
  get ndim(): number {
    return this.shape.length
  }
  get size(): number {
    return sizeOf(this.shape)
  }
  private cachedKey: string | undefined
  /** A cache key: dtype, weak type and shape. */
  get key(): string {
    return (this.cachedKey ??= `${this.str()}${this.weakType ? "w" : ""}`)
  }
  /** JAX's short form, e.g. `f32[3,4]`. */
  str(): string {
    return `${shortName[this.dtype]}[${this.shape.join(",")}]`
  }
  equals(o: ShapedArray): boolean {
    if (o.dtype !== this.dtype || o.weakType !== this.weakType || o.shape.length !== this.shape.length) return false
    for (let i = 0; i < this.shape.length; i++) if (o.shape[i] !== this.shape[i]) return false
    return true
  }
  strongType(): ShapedArray {
    return this.weakType ? new ShapedArray(this.shape, this.dtype, false) : this
  }
}

/** Nested JS arrays of numbers (or booleans for bool arrays), as returned by `toJs()`. */
export type Nested = number | boolean | ReadonlyArray<Nested>

/**
 * jaxfx's array (JAX's `jax.Array`, also exported as `JaxArray`, a name that does not shadow the
 * global `Array`): an immutable n-dimensional array of one dtype on one device (or sharded over a
 * mesh), or a tracer standing for one inside `jit`, `grad` and `vmap`. Its methods mirror
 * `jax.Array`'s (`x.add(y)`, `x.sum()`, `x.reshape(...)`, `x.at(i).set(v)`); `x.toJs()` reads the
 * values back as nested JS arrays.
 *
 * @example
 * const x = np.array([[1, 2], [3, 4]])
 * x.shape // [2, 2]
 * x.dtype // "int32"
 * x.add(1).sum().item() // 14
 * x.toJs() // [[1, 2], [3, 4]]
 */
export abstract class Array {
  abstract readonly aval: ShapedArray
  get shape(): Shape {
    return this.aval.shape
  }
  get dtype(): DType {
    return this.aval.dtype
  }
  get weakType(): boolean {
    return this.aval.weakType
  }
  get ndim(): number {
    return this.aval.shape.length
  }
  get size(): number {
    return this.aval.size
  }

  /**
   * The elements as a TypedArray (row-major). Only on synchronous devices, outside tracing.
   * complex64 / complex128 arrays give a Float32Array / Float64Array of 2n numbers: interleaved
   * (real, imaginary) pairs.
   */
  abstract data(): AnyTypedArray

  /** The device a concrete, single-device array lives on (JAX's `x.device`). */
  get device(): Device {
    throw new ConcretizationError(
      `a traced value (${this.aval.str()}) has no device: it is a stand-in for values a transformation has not computed yet. ` +
        "Ask for the device of a concrete array, outside jit, grad and vmap."
    )
  }

  /** The set of devices the array lives on (JAX's `x.devices()`). */
  devices(): Set<Device> {
    return new Set([this.device])
  }

  /**
   * Which devices hold the array and which part each holds (JAX's `x.sharding`): a
   * SingleDeviceSharding for an array on one device, a NamedSharding for a sharded one.
   */
  get sharding(): Sharding {
    return new SingleDeviceSharding(this.device)
  }

  /** Whether every device holding the array holds all of it (JAX's `x.is_fully_replicated`). */
  get isFullyReplicated(): boolean {
    return this.sharding.isFullyReplicated
  }

  /** The parts of the array, one per device (JAX's `x.addressable_shards`): the whole array for one device. */
  get addressableShards(): ReadonlyArray<Shard> {
    const device = this.device
    return [{ device, index: this.shape.map((s) => ({ start: 0, stop: s })), replicaId: 0, data: this as unknown as ArrayImpl }]
  }

  /** The elements, once computed, on any device (asynchronous devices included). */
  async dataAsync(): Promise<AnyTypedArray> {
    return this.data()
  }

  /** Wait until the value has been computed (JAX's `block_until_ready`); tracers are returned as they are. */
  blockUntilReady(): this {
    return this
  }

  /** Resolves once the value has been computed. */
  async blockUntilReadyAsync(): Promise<this> {
    return this
  }

  /**
   * The elements as nested JS arrays (numbers; booleans for bool arrays; `[re, im]` pairs for
   * complex arrays, so a complex array of shape [n] gives n pairs).
   */
  toJs(): Nested {
    const d = this.data()
    const isBool = this.dtype === "bool"
    const pairs = this.dtype === "complex64" || this.dtype === "complex128"
    const build = (dim: number, off: number): Nested => {
      if (dim === this.ndim) return pairs ? [d[2 * off]!, d[2 * off + 1]!] : isBool ? d[off] !== 0 : d[off]!
      const n = this.shape[dim]!
      let stride = 1
      for (let i = dim + 1; i < this.ndim; i++) stride *= this.shape[i]!
      const out: Nested[] = []
      for (let i = 0; i < n; i++) out.push(build(dim + 1, off + i * stride))
      return out
    }
    return build(0, 0)
  }

  /** The single element of a size-1 array as a JS number. */
  item(): number {
    if (this.size !== 1) {
      throw new ConcretizationError(`item() needs an array with one element, got shape [${this.shape.join(", ")}].`)
    }
    if (this.dtype === "complex64" || this.dtype === "complex128") {
      throw new DTypeError(
        `item() returns one JS number, and a ${this.dtype} element is two: read np.real(x).item() and np.imag(x).item(), or x.data() ([re, im]).`
      )
    }
    return this.data()[0]!
  }

  /** What Python's `print` shows (NumPy's str): `[0 1 2]`, `30.0`. `toString()` is the repr. */
  str(): string {
    return formatStr(this.data(), this.aval)
  }

  /** JSON.stringify of an array gives its repr (arrays are not data records; use toJs()). */
  toJSON(): string {
    return this.toString()
  }

  /** How Node's console.log and util.inspect show an array: its repr. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString()
  }

  valueOf(): number {
    return this.item()
  }

  [Symbol.toPrimitive](hint: string): number | string {
    return hint === "string" ? this.toString() : this.item()
  }
}

/** A concrete array: a buffer on a device. */
export class ArrayImpl extends Array {
  readonly aval: ShapedArray
  private buf: DeviceBuffer | undefined
  private readonly dev: Device
  /** The call that consumed the array through donateArgnums, once it did. */
  private donatedTo: string | undefined
  /**
   * Placed explicitly with `devicePut` (JAX's committed arrays): operations keep it on its device,
   * and mixing committed arrays of two devices is an error. Uncommitted arrays follow the others.
   */
  readonly committed: boolean
  /** The host data the array was made from, when it is small and known (literals read it, not the device). */
  readonly host: AnyTypedArray | undefined
  constructor(aval: ShapedArray, buffer: DeviceBuffer, device: Device, committed = false, host?: AnyTypedArray) {
    super()
    this.aval = aval
    this.buf = buffer
    this.dev = device
    this.committed = committed
    this.host = host
  }

  /** The device buffer; a DeviceError once the array was deleted. */
  get buffer(): DeviceBuffer {
    const b = this.buf
    if (b === undefined) throw deletedError(this)
    return b
  }
  override get device(): Device {
    return this.dev
  }
  /** The backend of the array's device. */
  get backend(): Backend {
    return this.dev.backend
  }

  /**
   * The elements, in the dtype's storage type; float16 and bfloat16 (stored as 16-bit words) come
   * back as a Float32Array of their values.
   */
  data(): AnyTypedArray {
    return storedValues(this.stored(), this.aval.dtype)
  }

  /** The elements as the device stores them (float16 / bfloat16 as 16-bit words). */
  stored(): AnyTypedArray {
    if (this.host !== undefined && this.buf !== undefined) return this.host.slice()
    const read = this.dev.backend.readSync
    if (read === undefined) {
      throw new DeviceError(
        `this array lives on ${this.dev.toString()}, which cannot be read synchronously here: read it with the Effect API ` +
          "`Device.read(x)` (or `await x.dataAsync()`) instead of a synchronous read."
      )
    }
    // A copy: the array is immutable, and the backend's buffer may be shared with other arrays.
    return read(this.buffer, this.aval).slice()
  }

  /** Read the elements on any device, synchronous or not. */
  override async dataAsync(): Promise<AnyTypedArray> {
    if (this.host !== undefined && this.buf !== undefined) return storedValues(this.host.slice(), this.aval.dtype)
    return storedValues(await this.dev.backend.read(this.buffer, this.aval), this.aval.dtype)
  }

  /** Wait until the array's value has been computed (JAX's `block_until_ready`); returns the array. */
  override blockUntilReady(): this {
    const b = this.buffer
    const backend = this.dev.backend
    const sync = backend.readSync
    if (sync === undefined) {
      if (backend.isReady(b)) return this
      throw new DeviceError(
        `blockUntilReady: ${this.dev.toString()} cannot block this thread; await x.blockUntilReadyAsync() or use the Effect API Device.blockUntilReady(x).`
      )
    }
    sync(b, this.aval)
    return this
  }

  /** Resolves with the array once its value has been computed. */
  override async blockUntilReadyAsync(): Promise<this> {
    await this.dev.backend.read(this.buffer, this.aval)
    return this
  }

  /** Release the array's device memory now (JAX's `x.delete()`); using it afterwards is a DeviceError. */
  delete(): void {
    const b = this.buf
    if (b === undefined) return
    this.buf = undefined
    deleteHook(this)
    this.dev.backend.release(b)
  }

  /**
   * Delete the array because `who` consumed it (donateArgnums): a later use is a DeviceError
   * that names the call.
   */
  donate(who: string): void {
    if (this.buf === undefined) return
    this.donatedTo = who
    this.delete()
  }

  /** Whether `delete()` released the array (JAX's `is_deleted()`). */
  isDeleted(): boolean {
    return this.buf === undefined
  }

  override toString(): string {
    return formatArray(this.data(), this.aval)
  }
}

let deleteHook: (x: ArrayImpl) => void = () => {}
/** What `delete()` also does (core/devices/lifetimes.ts stops finalizing the array). */
export const setDeleteHook = (f: (x: ArrayImpl) => void): void => {
  deleteHook = f
}

const deletedError = (x: ArrayImpl): DeviceError => {
  const to = (x as unknown as { donatedTo: string | undefined }).donatedTo
  if (to !== undefined) {
    return new DeviceError(
      `this array (${x.aval.str()} on ${x.device.toString()}) was donated to ${to} (donateArgnums), which consumed its buffer: use the ` +
        "call's result instead, or leave the argument out of donateArgnums to keep it."
    )
  }
  return new DeviceError(
    `this array (${x.aval.str()} on ${x.device.toString()}) was deleted (x.delete(), or the scope that owned it closed), so its ` +
      "buffer is gone; keep the array alive by returning it from the scope, or recompute it."
  )
}

const immutableMessage = (prop: PropertyKey): string =>
  `jaxfx arrays are immutable: cannot assign x[${String(prop)}]. Use the functional update ` +
  `\`x.at(${String(prop)}).set(value)\`, which returns a new array and leaves x unchanged.`

// Assigning a property that an Array does not own (the seed's `x[0] = 123`) reaches this proxy in
// the prototype chain and throws. Own fields are defined, not assigned, so construction is unaffected.
// The proxy's target inherits from Object.prototype, so `x instanceof Object` still holds.
Object.setPrototypeOf(
  Array.prototype,
  new Proxy(Object.create(Object.prototype) as object, {
    set(_target, prop) {
      // JAX raises a TypeError here; jaxfx's errors are tagged, so it is a ValueError with the same advice.
      throw new ValueError(immutableMessage(prop))
    }
  })
)
