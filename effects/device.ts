/**
 * The `Device` service: the Effect API over jaxfx's devices (core/devices). Array arithmetic stays
 * synchronous; what can be asynchronous or can fail (reading a buffer that is still being
 * computed or lives on a GPU, acquiring an adapter) is an Effect with `DeviceError` in its error
 * channel.
 *
 *   import { Device } from "jaxfx/effects"
 *   const program = Effect.gen(function* () {
 *     const x = yield* Device.put([1, 2, 3])
 *     const host = yield* Device.read({ x, y: x.mul(2) })   // { x: Int32Array, y: Int32Array }
 *   })
 *   Effect.runPromise(Effect.provide(program, Device.cpu))
 *
 * A layer picks a device (`Device.cpu` is device 0, `Device.on(devices()[2])` any other) and, by
 * default, makes it the default device while the layer is alive, so eager operations and jit run
 * there. `Device.layer({ acquire, release })` acquires a device in a scope (a WebGPU adapter) and
 * releases it when the scope closes.
 */
import { Context, Effect, Layer, type Scope } from "effect"
import { Array, ArrayImpl, ShapedArray } from "../core/array.js"
import type { Backend } from "../core/backend.js"
import { update as updateConfig, read as readConfig } from "../core/config.js"
import { Device as CoreDevice } from "../core/devices/device.js"
import { defaultDevice, devices, forgetPlatform, init, withDefaultDevice } from "../core/devices/registry.js"
import type { ClosedJaxpr } from "../core/ir.js"
import { openScope, track } from "../core/devices/lifetimes.js"
import { transfer, transferAsync } from "../core/devices/transfer.js"
import { type AnyTypedArray, castScalar, type DType, storedValues, valueArrayCtor } from "../core/dtype.js"
import { DeviceError, type DTypeError, type OverflowError, type ShapeError, type ValueError } from "../core/errors.js"
import { checkOptions, optionKeys } from "../core/options.js"
import { np, tree } from "../index.js"

/** What a device offers; reach it with `yield* Device` or the `Device.*` accessors. */
export interface DeviceShape {
  /** The device's name as JAX prints it, e.g. "CpuDevice(id=0)". */
  readonly name: string
  /** The device (core's `Device`: id, platform, backend). */
  readonly device: CoreDevice
  /** The backend arrays on this device are stored and computed by. */
  readonly backend: Backend
  /** Copy host values (numbers, nested lists, TypedArrays) or an Array to this device (committed there). */
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
export type HostTree<T> = T extends Array
  ? AnyTypedArray
  : T extends null | undefined | number | boolean | string | bigint | symbol
    ? T
    : T extends (...args: never) => unknown
      ? T
      : T extends ArrayBufferView
        ? T
        : T extends object
          ? { -readonly [K in keyof T]: HostTree<T[K]> }
          : T

export interface LayerOptions {
  /** Acquire the device (e.g. request a WebGPU adapter: `Effect.promise(() => init("webgpu"))`). */
  readonly acquire: Effect.Effect<CoreDevice, DeviceError, Scope.Scope>
  /** Release it when the layer's scope closes (e.g. destroy the GPU device). */
  readonly release?: (device: CoreDevice) => Effect.Effect<void>
  /**
   * Make the device the default for eager operations and jit while the layer is alive, and
   * restore the previous default afterwards. Default true. (The default device is process-wide:
   * run one such layer at a time.)
   */
  readonly makeDefault?: boolean
}
const LAYER_KEYS = optionKeys<LayerOptions>()("acquire", "release", "makeDefault")

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const deviceError =
  (what: string) =>
  (e: unknown): DeviceError =>
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
  // Synchronously where the device allows it (it may wait for pending work: CPU devices, workers in
  // Node); asynchronously where it does not (a GPU from a browser's main thread).
  // float16 / bfloat16 words come back as their values (storedValues), as x.data() gives them.
  if (x.host !== undefined) return storedValues(x.host.slice(), x.dtype)
  const sync = x.backend.readSync
  return sync !== undefined ? storedValues(sync(x.buffer, x.aval).slice(), x.dtype) : x.dataAsync()
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
          pending.push(
            r.then(
              (d) => {
                out[i] = d
              },
              (e: unknown) => {
                throw deviceError(`Device.read: reading the array at ${where(path)} failed`)(e)
              }
            )
          )
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
    return Effect.tryPromise({ try: () => Promise.all(pending), catch: deviceError("Device.read") }).pipe(Effect.map(rebuild))
  })

/**
 * Wait until the arrays in a tree are computed (JAX's `block_until_ready`): synchronizes each
 * distinct backend the tree's arrays live on, and returns the tree.
 */
export const blockUntilReady = <T>(t: T): Effect.Effect<T, DeviceError> =>
  Effect.suspend(() => {
    // Synchronizes each distinct device with pending work once; done at once when nothing is pending.
    const pending = new Set<Backend>()
    for (const [path, leaf] of tree.flattenWithPath(t)[0]) {
      if (!(leaf instanceof Array)) continue
      if (!(leaf instanceof ArrayImpl)) {
        return Effect.fail(new DeviceError(`blockUntilReady: the array at ${where(path)} is a traced value; call it outside jit, grad and vmap.`))
      }
      if (leaf.isDeleted()) return Effect.fail(new DeviceError(`blockUntilReady: the array at ${where(path)} was deleted.`))
      if (!leaf.backend.isReady(leaf.buffer)) pending.add(leaf.backend)
    }
    if (pending.size === 0) return Effect.succeed(t)
    // Devices that can block this thread are waited for here; the others asynchronously.
    try {
      for (const b of pending) {
        if (b.synchronizeSync !== undefined) {
          b.synchronizeSync()
          pending.delete(b)
        }
      }
    } catch (e) {
      return Effect.fail(deviceError("blockUntilReady")(e))
    }
    if (pending.size === 0) return Effect.succeed(t)
    return Effect.tryPromise({ try: () => Promise.all([...pending].map((b) => b.synchronize())), catch: deviceError("blockUntilReady") }).pipe(Effect.as(t))
  })

/** The device operations over one device. */
export const makeDevice = (device: CoreDevice): DeviceShape => {
  const backend = device.backend
  const name = device.toString()
  const place = (host: AnyTypedArray, aval: ShapedArray): Array => track(new ArrayImpl(aval, backend.fromHost(host, aval), device, true))
  const put = (x: np.ArrayLike, options?: PutOptions): Effect.Effect<Array, DeviceError | ShapeError | DTypeError | OverflowError | ValueError> =>
    putChecked(x, checkOptions("Device.put", options, PUT_KEYS))
  const putChecked = (x: np.ArrayLike, options?: PutOptions): Effect.Effect<Array, DeviceError | ShapeError | DTypeError | OverflowError | ValueError> =>
    Effect.suspend(() => {
      if (x instanceof ArrayImpl && x.device === device && x.committed && (options?.dtype === undefined || options.dtype === x.dtype)) {
        return Effect.succeed<Array>(x)
      }
      if (x instanceof Array && !(x instanceof ArrayImpl)) {
        return Effect.fail(new DeviceError("Device.put: the value is a traced array (inside jit, grad or vmap); put concrete values."))
      }
      if (x instanceof ArrayImpl) {
        const dtype = options?.dtype ?? x.dtype
        if (dtype === x.dtype) return move(x)
        // A dtype conversion on the way: read back, convert on the host, copy here.
        const aval = new ShapedArray(x.shape, dtype)
        return read(x).pipe(
          Effect.flatMap((data) =>
            Effect.try({
              try: (): Array => {
                const host = new (valueArrayCtor(dtype))(data.length)
                for (let i = 0; i < data.length; i++) host[i] = castScalar(data[i]!, dtype)
                return place(host, aval)
              },
              catch: deviceError(`Device.put: copying to ${name} failed`)
            })
          )
        )
      }
      // Convert on the host CPU device (np.asarray's rules), then copy here.
      let staged: Array
      try {
        // (on the CPU even when the default device is another: a GPU's arrays cannot be read synchronously)
        const host = devices("cpu")[0]!
        staged = withDefaultDevice(host, () => (options?.dtype === undefined ? np.asarray(x) : np.asarray(x, { dtype: options.dtype })))
      } catch (e) {
        return Effect.fail(e as ShapeError | DTypeError | DeviceError | OverflowError | ValueError)
      }
      return move(staged as ArrayImpl)
    })
  /** Copy an array here: synchronously where its device can be read so (waiting if need be), else asynchronously. */
  const move = (x: ArrayImpl): Effect.Effect<Array, DeviceError> => {
    const catcher = deviceError(`Device.put: copying to ${name} failed`)
    const now = x.host !== undefined || x.backend.readSync !== undefined
    return now
      ? Effect.try({ try: (): Array => transfer(x, device, true), catch: catcher })
      : Effect.tryPromise({ try: (): Promise<Array> => transferAsync(x, device, true), catch: catcher })
  }
  const synchronize = Effect.tryPromise({ try: () => backend.synchronize(), catch: deviceError(`${name}: synchronize`) })
  return { name, device, backend, put, synchronize }
}

/** A scoped device layer: acquire the device, optionally make it the default, release it. */
const deviceLayer = (options: LayerOptions): Layer.Layer<Device, DeviceError> =>
  Layer.effect(
    Device,
    Effect.gen(function* () {
      const device = yield* Effect.acquireRelease(options.acquire, (d) => (options.release === undefined ? Effect.void : options.release(d)))
      if (options.makeDefault !== false) {
        yield* Effect.acquireRelease(
          Effect.sync(() => {
            const previous = readConfig("jaxDefaultDevice")
            updateConfig("jaxDefaultDevice", device)
            return previous
          }),
          (previous) =>
            Effect.sync(() => {
              if (readConfig("jaxDefaultDevice") === device) updateConfig("jaxDefaultDevice", previous)
            })
        )
      }
      return makeDevice(device)
    })
  )

/**
 * The Device service. `Device.cpu` is the default layer; `Device.layer(...)` builds one from any
 * backend with scoped acquire/release; `Device.put`, `Device.read` and `Device.blockUntilReady`
 * are the Effect API.
 *
 * @example
 * const program = Effect.gen(function* () {
 *   const x = yield* Device.put(np.arange(3))
 *   return yield* Device.read(x.mul(2)) // [0, 2, 4]
 * })
 * Effect.runPromise(program.pipe(Effect.provide(Device.cpu)))
 */
export class Device extends Context.Service<Device, DeviceShape>()("jaxfx/Device") {
  /** CPU device 0 (this thread), as it is: it does not change the default device. */
  static readonly cpu: Layer.Layer<Device> = Layer.sync(Device, () => makeDevice(devices("cpu")[0]!))

  /** The current default device, as it is. */
  static readonly default: Layer.Layer<Device> = Layer.sync(Device, () => makeDevice(defaultDevice()))

  /**
   * One of this process's devices (from `devices()`), made the default device while the layer is
   * alive unless `makeDefault: false`.
   *
   * @example
   * const program = Effect.sync(() => np.arange(3).mul(2))
   * Effect.provide(program, Device.on(devices()[1]!))   // run program's arrays on CpuDevice(id=1)
   */
  static on(device: CoreDevice, options?: { readonly makeDefault?: boolean }): Layer.Layer<Device> {
    checkOptions("Device.on", options, ["makeDefault"])
    return deviceLayer({ acquire: Effect.succeed(device), makeDefault: options?.makeDefault ?? true }) as Layer.Layer<Device>
  }

  /**
   * The first WebGPU device, acquired in the layer's scope (adapter and GPU device requested, as
   * `await init("webgpu")` does) and made the default device while the layer is alive; when the
   * scope closes, pending work is awaited, the platform forgotten (`devices("webgpu")` asks for
   * `init` again) and the GPU device destroyed. Without an adapter (no `webgpu` package in Node, no
   * `navigator.gpu`, no driver), building the layer fails with a DeviceError that says why.
   *
   * @example
   * const program = Effect.gen(function* () {
   *   const x = yield* Device.put([1, 2, 3], { dtype: "float32" })
   *   return yield* Device.read(np.tanh(x))        // computed on the GPU, read asynchronously
   * })
   * await Effect.runPromise(Effect.provide(program, Device.webgpu))
   */
  static get webgpu(): Layer.Layer<Device, DeviceError> {
    return webgpuLayer()
  }

  /**
   * Compile a jitted function for these arguments on the current device ahead of its first call:
   * trace it, build the device's executable (on WebGPU: every WGSL pipeline, created and cached by
   * source) and wait for the device, so a shader that does not compile, or a primitive the device
   * has no kernel for, is a DeviceError here rather than at the first call.
   *
   * @example
   * const step = jit((x: Array) => np.tanh(x).sum())
   * yield* Device.warmup(step, np.zeros([128]))   // inside Effect.gen, with a Device layer
   */
  static warmup<Args extends ReadonlyArray<unknown>>(
    f: { readonly lower: (...args: Args) => ClosedJaxpr },
    ...args: Args
  ): Effect.Effect<void, DeviceError, Device> {
    return Device.use((d) =>
      Effect.tryPromise({
        try: async () => {
          const closed = withDefaultDevice(d.device, () => f.lower(...args))
          d.backend.compile(closed.jaxpr)
          await d.backend.synchronize()
        },
        catch: deviceError(`Device.warmup on ${d.name}`)
      })
    )
  }

  /** A device acquired in a scope (a WebGPU layer is built this way), released when the scope closes. */
  static layer(options: LayerOptions): Layer.Layer<Device, DeviceError> {
    checkOptions("Device.layer", options, LAYER_KEYS)
    return deviceLayer(options)
  }

  /** Copy a value to the current device: an Effect producing an Array there. */
  static put(x: np.ArrayLike, options?: PutOptions): Effect.Effect<Array, DeviceError | ShapeError | DTypeError | OverflowError | ValueError, Device> {
    checkOptions("Device.put", options, PUT_KEYS)
    return Device.use((d) => d.put(x, options))
  }

  /**
   * Run an effect in an array scope: the arrays it makes are deleted when it ends (succeeds,
   * fails or is interrupted), except those in its result. For programs that run one at a time
   * (the scope is process-wide while open).
   *
   * @example
   * const [w, x, y] = [np.ones([3, 1]), np.ones([8, 3]), np.zeros([8, 1])]
   * const loss = yield* Device.scoped(Effect.sync(() => np.mean(np.square(np.matmul(x, w).sub(y)))))
   */
  static scoped<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    return Effect.acquireUseRelease(
      Effect.sync(openScope),
      (s) => Effect.map(effect, (a) => s.keep(a)),
      (s) => Effect.sync(() => s.close())
    )
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

/** The layer of `Device.webgpu` (built when first used: it refers to the Device class). */
const webgpuLayer = (): Layer.Layer<Device, DeviceError> =>
  deviceLayer({
    acquire: Effect.tryPromise({ try: () => init("webgpu"), catch: deviceError("Device.webgpu: acquiring a WebGPU device failed") }).pipe(
      Effect.flatMap((ds) =>
        ds[0] === undefined
          ? Effect.fail(new DeviceError('Device.webgpu: the WebGPU platform has no device; check the adapter (init("webgpu")).'))
          : Effect.succeed(ds[0])
      )
    ),
    release: (d) =>
      Effect.promise(() => d.backend.synchronize().catch(() => undefined)).pipe(
        Effect.andThen(
          Effect.sync(() => {
            // only its own device: after a loss, init may have acquired another
            forgetPlatform("webgpu", d)
            ;(d.backend as { readonly destroy?: () => void }).destroy?.()
          })
        )
      )
  })
