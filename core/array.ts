/**
 * The immutable `Array` value. `Array` is abstract: concrete device arrays (`ArrayImpl`) and the
 * tracers of every transformation extend it, so user code sees one type. Arithmetic methods are
 * added by `numpy/methods.ts` (they call the `np` functions, which bind primitives).
 */
import type { Backend, DeviceBuffer } from "./backend.js"
import { type AnyTypedArray, checkDType, type DType, shortName } from "./dtype.js"
import { ConcretizationError, DeviceError, ValueError } from "./errors.js"
import { formatArray, formatStr } from "./format.js"
import { assertShape, type Shape, sizeOf } from "./shape.js"

/** The abstract value of an array: what tracing and shape rules see. */
export class ShapedArray {
  /**
   * Every abstract value checks its shape and dtype (a ShapeError or DTypeError otherwise): shapes
   * reach the code generators, so nothing but non-negative safe integers may ever be one.
   */
  constructor(readonly shape: Shape, readonly dtype: DType, readonly weakType: boolean = false) {
    assertShape(shape)
    checkDType(dtype, "an array's dtype")
  }
  get ndim(): number {
    return this.shape.length
  }
  get size(): number {
    return sizeOf(this.shape)
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

  /** The elements as a TypedArray (row-major). Only on synchronous devices, outside tracing. */
  abstract data(): AnyTypedArray

  /** The elements as nested JS arrays (numbers; booleans for bool arrays). */
  toJs(): Nested {
    const d = this.data()
    const isBool = this.dtype === "bool"
    const build = (dim: number, off: number): Nested => {
      if (dim === this.ndim) return isBool ? d[off] !== 0 : d[off]!
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
  readonly buffer: DeviceBuffer
  readonly backend: Backend
  constructor(aval: ShapedArray, buffer: DeviceBuffer, backend: Backend) {
    super()
    this.aval = aval
    this.buffer = buffer
    this.backend = backend
  }

  data(): AnyTypedArray {
    const r = this.backend.read(this.buffer, this.aval)
    if (r instanceof Promise) {
      throw new DeviceError(
        `this array lives on the asynchronous device "${this.backend.name}": read it with the Effect API ` +
          "`Device.read(x)` (or `await x.dataAsync()`) instead of a synchronous read."
      )
    }
    // A copy: the array is immutable, and the backend's buffer may be shared with other arrays.
    return r.slice()
  }

  /** Read the elements on any device, synchronous or not. */
  async dataAsync(): Promise<AnyTypedArray> {
    return (await this.backend.read(this.buffer, this.aval)).slice()
  }

  override toString(): string {
    return formatArray(this.data(), this.aval)
  }
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
