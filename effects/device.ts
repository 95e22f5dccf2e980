/**
 * The `Device` service: where arrays live, and the Effect API for moving them there and reading
 * them back. Array arithmetic stays synchronous; what can be asynchronous or can fail (reading a
 * WebGPU buffer, acquiring an adapter) is an Effect with `DeviceError` in its error channel.
 *
 *   import { Device } from "jaxfx/effects"
 *   const program = Effect.gen(function* () {
 *     const x = yield* Device.put([1, 2, 3])
 *     const host = yield* Device.read({ x, y: x.mul(2) })   // { x: Int32Array, y: Int32Array }
 *   })
 *   Effect.runPromise(Effect.provide(program, Device.cpu))
 *
 * A device is a layer built from a `Backend` (core/backend.ts). `Device.cpu` wraps the CPU
 * backend; another backend slots in with `Device.layer({ acquire, release })`, a scoped layer whose
 * backend is acquired when the layer is built and released when its scope closes (a WebGPU
 * adapter and device, for example).
 */
import { Context, Effect, Layer, type Scope } from "effect"
import { cpuBackend } from "../backends/cpu/index.js"
import { Array, ArrayImpl, ShapedArray } from "../core/array.js"
import { type Backend, getDefaultBackend, setDefaultBackend } from "../core/backend.js"
import { type AnyTypedArray, castScalar, type DType, typedArrayCtor } from "../core/dtype.js"
import { DeviceError, type DTypeError, type OverflowError, type ShapeError, type ValueError } from "../core/errors.js"
import { checkOptions, optionKeys } from "../core/options.js"
import { np, tree } from "../index.js"

/** What a device offers; reach it with `yield* Device` or the `Device.*` accessors. */
export interface DeviceShape {
  /** The backend's name, e.g. "cpu". */
  readonly name: string
  /** The backend arrays on this device are stored and computed by. */
  readonly backend: Backend
  /** Copy host values (numbers, nested lists, TypedArrays) or an Array to this device. */
  readonly put: (x: np.ArrayLike, options?: PutOptions) => Effect.Effect<Array, DeviceError | ShapeError | DTypeError | OverflowError | ValueError>
  /** Wait until every kernel issued on this device so far has finished. */
  readonly synchronize: Effect.Effect<void, DeviceError>
}

export interface PutOptions {
  /** Convert to this dtype on the way (default: inferred as `np.asarray` does). */
  readonly dtype?: DType
}
const PUT_KEYS = optionKeys<PutOptions>()("dtype")

/**
 * A tree as `Device.read` returns it: every Array leaf replaced by its elements (a TypedArray of
 * the dtype's storage type, row-major; bool as 0/1 bytes), other leaves unchanged.
 */
export type HostTree<T> = T extends Array ? AnyTypedArray
  : T extends null | undefined | number | boolean | string | bigint | symbol ? T
  : T extends (...args: never) => unknown ? T
  : T extends ArrayBufferView ? T
  : T extends object ? { -readonly [K in keyof T]: HostTree<T[K]> }
  : T

export interface LayerOptions {
  /** Acquire the backend (e.g. request a WebGPU adapter and device). */
  readonly acquire: Effect.Effect<Backend, DeviceError, Scope.Scope>
  /** Release it when the layer's scope closes (e.g. destroy the GPU device). */
  readonly release?: (backend: Backend) => Effect.Effect<void>
  /**
   * Install the backend as the default for eager operations while the layer is alive, and
   * restore the previous default afterwards. Default true. (The default backend is process-wide:
   * run one such layer at a time.)
   */
  readonly makeDefault?: boolean
}
const LAYER_KEYS = optionKeys<LayerOptions>()("acquire", "release", "makeDefault")

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const deviceError = (what: string) => (e: unknown): DeviceError =>
  e instanceof DeviceError ? e : new DeviceError(`${what}: ${errorMessage(e)}`)

/** Where a leaf sits, for messages: `['params']['w']`. */
const where = (path: tree.KeyPath): string => (path.length === 0 ? "the root" : tree.keystr(path))

/** One Array's elements, synchronously when its backend allows, else as a promise. */
const readLeaf = (x: Array, path: tree.KeyPath): AnyTypedArray | Promise<AnyTypedArray> => {
  if (!(x instanceof ArrayImpl)) {
    throw new DeviceError(
      `Device.read: the array at ${where(path)} is a traced value (inside jit, grad or vmap); read concrete ` +
        "arrays, outside the transformation, or return the value from the transformed function first."
    )
  }
  const r = x.backend.read(x.buffer, x.aval)
  // Copy: the caller owns what it reads and may write to it without touching the (immutable) array.
  return r instanceof Promise ? r.then((d) => d.slice()) : r.slice()
}

/**
 * Read every Array in a tree back to the host, on synchronous and asynchronous devices alike
 * (reads on an asynchronous device are issued together). Other leaves are returned unchanged.
 */
export const read = <T>(t: T): Effect.Effect<HostTree<T>, DeviceError> =>
  Effect.suspend(() => {
    let leaves: ReadonlyArray<readonly [tree.KeyPath, unknown]>
    let def: tree.TreeDef
    const out: unknown[] = []
    const pending: Promise<void>[] = []
    // Each distinct array is read once; leaves that share an array share its host copy.
    const seen = new Map<Array, number>()
    const aliases: [number, number][] = []
    try {
      ;[leaves, def] = tree.flattenWithPath(t)
      leaves.forEach(([path, leaf], i) => {
        if (!(leaf instanceof Array)) {
          out[i] = leaf
          return
        }
        const first = seen.get(leaf)
        if (first !== undefined) {
          aliases.push([i, first])
          return
        }
        seen.set(leaf, i)
        const r = readLeaf(leaf, path)
        if (r instanceof Promise) {
          pending.push(r.then((d) => {
            out[i] = d
          }, (e: unknown) => {
            throw deviceError(`Device.read: reading the array at ${where(path)} failed`)(e)
          }))
        } else {
          out[i] = r
        }
      })
    } catch (e) {
      return Effect.fail(deviceError("Device.read")(e))
    }
    const rebuild = (): HostTree<T> => {
      for (const [i, first] of aliases) out[i] = out[first]
      return tree.unflatten(def, out) as HostTree<T>
    }
    if (pending.length === 0) return Effect.succeed(rebuild())
    return Effect.tryPromise({ try: () => Promise.all(pending), catch: deviceError("Device.read") }).pipe(
      Effect.map(rebuild)
    )
  })

/**
 * Wait until the arrays in a tree are computed (JAX's `block_until_ready`): synchronizes each
 * distinct backend the tree's arrays live on, and returns the tree.
 */
export const blockUntilReady = <T>(t: T): Effect.Effect<T, DeviceError> =>
  Effect.suspend(() => {
    const backends = new Set<Backend>()
    for (const [path, leaf] of tree.flattenWithPath(t)[0]) {
      if (!(leaf instanceof Array)) continue
      if (!(leaf instanceof ArrayImpl)) {
        return Effect.fail(
          new DeviceError(`blockUntilReady: the array at ${where(path)} is a traced value; call it outside jit, grad and vmap.`)
        )
      }
      backends.add(leaf.backend)
    }
    const waits: Promise<void>[] = []
    try {
      for (const b of backends) {
        const r = b.synchronize()
        if (r instanceof Promise) waits.push(r)
      }
    } catch (e) {
      return Effect.fail(deviceError("blockUntilReady")(e))
    }
    if (waits.length === 0) return Effect.succeed(t)
    return Effect.tryPromise({ try: () => Promise.all(waits), catch: deviceError("blockUntilReady") }).pipe(
      Effect.as(t)
    )
  })

/** The device operations over one backend. */
export const makeDevice = (backend: Backend): DeviceShape => {
  const put = (x: np.ArrayLike, options?: PutOptions): Effect.Effect<Array, DeviceError | ShapeError | DTypeError | OverflowError | ValueError> =>
    putChecked(x, checkOptions("Device.put", options, PUT_KEYS))
  const putChecked = (x: np.ArrayLike, options?: PutOptions): Effect.Effect<Array, DeviceError | ShapeError | DTypeError | OverflowError | ValueError> =>
    Effect.suspend(() => {
      if (x instanceof ArrayImpl && x.backend === backend && (options?.dtype === undefined || options.dtype === x.dtype)) {
        return Effect.succeed<Array>(x)
      }
      if (x instanceof Array && !(x instanceof ArrayImpl)) {
        return Effect.fail(
          new DeviceError("Device.put: the value is a traced array (inside jit, grad or vmap); put concrete values.")
        )
      }
      if (x instanceof ArrayImpl) {
        // An array on another device: read it back, convert on the host, copy here.
        const dtype = options?.dtype ?? x.dtype
        const aval = new ShapedArray(x.shape, dtype)
        return read(x).pipe(
          Effect.flatMap((data) =>
            Effect.try({
              try: (): Array => {
                let host = data
                if (dtype !== x.dtype) {
                  host = new (typedArrayCtor(dtype))(data.length)
                  for (let i = 0; i < data.length; i++) host[i] = castScalar(data[i]!, dtype)
                }
                return new ArrayImpl(aval, backend.fromHost(host, aval), backend)
              },
              catch: deviceError(`Device.put: copying to the "${backend.name}" device failed`)
            })
          )
        )
      }
      // Convert on the default device (np.asarray's rules), read back, copy to this backend.
      let staged: Array
      try {
        staged = options?.dtype === undefined ? np.asarray(x) : np.asarray(x, { dtype: options.dtype })
      } catch (e) {
        return Effect.fail(e as ShapeError | DTypeError | DeviceError | OverflowError | ValueError)
      }
      const aval = new ShapedArray(staged.shape, staged.dtype)
      return read(staged).pipe(
        Effect.flatMap((data) =>
          Effect.try({
            try: (): Array => new ArrayImpl(aval, backend.fromHost(data, aval), backend),
            catch: deviceError(`Device.put: copying to the "${backend.name}" device failed`)
          })
        )
      )
    })
  const synchronize = Effect.suspend(() => {
    let r: void | Promise<void>
    try {
      r = backend.synchronize()
    } catch (e) {
      return Effect.fail(deviceError(`${backend.name}: synchronize`)(e))
    }
    return r instanceof Promise
      ? Effect.tryPromise({ try: () => r, catch: deviceError(`${backend.name}: synchronize`) })
      : Effect.void
  })
  return { name: backend.name, backend, put, synchronize }
}

const currentDefault = (): Backend | undefined => {
  try {
    return getDefaultBackend()
  } catch {
    return undefined
  }
}

/** A scoped device layer: acquire the backend, optionally make it the default, release it. */
const deviceLayer = (options: LayerOptions): Layer.Layer<Device, DeviceError> =>
  Layer.effect(
    Device,
    Effect.gen(function* () {
      const backend = yield* Effect.acquireRelease(
        options.acquire,
        (b) => options.release === undefined ? Effect.void : options.release(b)
      )
      if (options.makeDefault !== false) {
        yield* Effect.acquireRelease(
          Effect.sync(() => {
            const previous = currentDefault()
            setDefaultBackend(backend)
            return previous
          }),
          (previous) =>
            Effect.sync(() => {
              if (previous !== undefined && currentDefault() === backend) setDefaultBackend(previous)
            })
        )
      }
      return makeDevice(backend)
    })
  )

/**
 * The Device service. `Device.cpu` is the default layer; `Device.layer(...)` builds one from any
 * backend with scoped acquire/release; `Device.put`, `Device.read` and `Device.blockUntilReady`
 * are the Effect API.
 */
export class Device extends Context.Service<Device, DeviceShape>()("jaxfx/Device") {
  /** The CPU device (the default): the reference TypedArray backend. Nothing to acquire. */
  static readonly cpu: Layer.Layer<Device> = Layer.succeed(Device, makeDevice(cpuBackend))

  /** A device from a backend acquired in a scope (a WebGPU layer is built this way). */
  static layer(options: LayerOptions): Layer.Layer<Device, DeviceError> {
    checkOptions("Device.layer", options, LAYER_KEYS)
    return deviceLayer(options)
  }

  /** A device over a backend that needs no acquisition (tests, custom backends). */
  static fromBackend(backend: Backend, options?: { readonly makeDefault?: boolean }): Layer.Layer<Device> {
    checkOptions("Device.fromBackend", options, ["makeDefault"])
    return deviceLayer({ acquire: Effect.succeed(backend), makeDefault: options?.makeDefault ?? false }) as Layer.Layer<Device>
  }

  /** Copy a value to the current device: an Effect producing an Array there. */
  static put(x: np.ArrayLike, options?: PutOptions): Effect.Effect<Array, DeviceError | ShapeError | DTypeError | OverflowError | ValueError, Device> {
    checkOptions("Device.put", options, PUT_KEYS)
    return Device.use((d) => d.put(x, options))
  }

  /** Read every Array of a tree back to the host (works on synchronous and asynchronous devices). */
  static read<T>(t: T): Effect.Effect<HostTree<T>, DeviceError> {
    return read(t)
  }

  /** Wait until the arrays of a tree are computed; returns the tree. */
  static blockUntilReady<T>(t: T): Effect.Effect<T, DeviceError> {
    return blockUntilReady(t)
  }
}
