/**
 * Placing and fetching arrays, with JAX's names: `devicePut(tree, device?)` copies every leaf to a
 * device and commits it there; `deviceGet(tree)` brings every leaf back to the host as TypedArrays
 * (where JAX gives NumPy arrays).
 */
import { type Array, ArrayImpl } from "../array.js"
import type { AnyTypedArray } from "../dtype.js"
import { DeviceError, ValueError } from "../errors.js"
import { flatten, unflatten } from "../tree.js"
import { asarray } from "../numpy/creation.js"
import { NamedSharding } from "../parallel/mesh.js"
import { putSharded } from "../parallel/sharded-array.js"
import { Device } from "./device.js"
import { defaultDevice, deviceById, devices } from "./registry.js"
import { transfer, transferAsync } from "./transfer.js"

const target = (device: Device | number | undefined, caller: string): Device => {
  if (device === undefined) return defaultDevice()
  if (device instanceof Device) return device
  if (typeof device === "number" && Number.isSafeInteger(device)) return deviceById(device)
  throw new ValueError(`${caller}: expected a Device (from devices()) or a device id, got ${String(device)}.`)
}

const concrete = (x: unknown, caller: string): ArrayImpl => {
  const a = x instanceof ArrayImpl ? x : asarray(x as never)
  if (!(a instanceof ArrayImpl)) {
    throw new DeviceError(`${caller}: a traced value cannot be placed; call it outside jit, grad and vmap, on concrete arrays.`)
  }
  return a
}

const isLeafValue = (x: unknown): boolean => x instanceof ArrayImpl || typeof x === "number" || typeof x === "boolean"

/** The tree with each Array (and number) leaf transformed. */
type Placed<T> = T extends Array | number | boolean ? Array : T extends object ? { [K in keyof T]: Placed<T[K]> } : T

/**
 * Copy every array (and number) leaf of a pytree to `device` (default: the default device) and
 * commit it there, as `jax.device_put`: operations on committed arrays run on their device. With a
 * `NamedSharding`, each leaf is split into the sharding's blocks, each put on its mesh device: the
 * result is a sharded Array (`x.sharding`, `x.addressableShards`).
 *
 * @example
 * const [cpu0, cpu1] = devices()            // JAXFX_CPU_DEVICES=2
 * const x = devicePut(np.arange(4), cpu1)   // x.device is CpuDevice(id=1); x.mul(2) runs there
 * const y = devicePut(np.arange(8).reshape([4, 2]), new NamedSharding(makeMesh([2], ["x"]), P("x"))) as ShardedArray
 * y.addressableShards[1]!.index             // [{ start: 2, stop: 4 }, { start: 0, stop: 2 }]
 */
export const devicePut = <T>(tree: T, device?: Device | number | NamedSharding): Placed<T> => {
  if (device instanceof NamedSharding) {
    const sharding = device
    const [leaves, def] = flatten(tree)
    return unflatten(
      def,
      leaves.map((x) => (isLeafValue(x) ? putSharded(concrete(x, "devicePut"), sharding) : x))
    ) as Placed<T>
  }
  const d = target(device, "devicePut")
  const [leaves, def] = flatten(tree)
  return unflatten(
    def,
    leaves.map((x) => (isLeafValue(x) ? transfer(concrete(x, "devicePut"), d, true) : x))
  ) as Placed<T>
}

/**
 * `devicePut` that waits asynchronously for arrays still being computed on another device (the
 * only way to move them where this thread cannot block).
 *
 * @example
 * const x = np.arange(3)
 * const y = await devicePutAsync(x, devices()[0]!)
 */
export const devicePutAsync = async <T>(tree: T, device?: Device | number): Promise<Placed<T>> => {
  const d = target(device, "devicePutAsync")
  const [leaves, def] = flatten(tree)
  const placed = await Promise.all(leaves.map((x) => (isLeafValue(x) ? transferAsync(concrete(x, "devicePutAsync"), d, true) : x)))
  return unflatten(def, placed) as Placed<T>
}

/** The tree with each Array leaf replaced by its elements. */
export type Fetched<T> = T extends Array ? AnyTypedArray : T extends object ? { [K in keyof T]: Fetched<T[K]> } : T

/**
 * Every array leaf of a pytree as host values (its elements as a TypedArray of the dtype's storage
 * type, row-major), as `jax.device_get`. On a device that cannot be read synchronously it is a
 * DeviceError that names the asynchronous API (`Device.read` / `x.dataAsync()`).
 *
 * @example
 * deviceGet({ w: np.arange(3) }) // { w: Int32Array [0, 1, 2] }
 */
export const deviceGet = <T>(tree: T): Fetched<T> => {
  const [leaves, def] = flatten(tree)
  return unflatten(
    def,
    leaves.map((x) => (x instanceof ArrayImpl ? x.data() : x))
  ) as Fetched<T>
}

/**
 * Wait until every device has run the work dispatched to it so far, and every host callback that
 * work made (`debug.print`, `pureCallback`) has run, as `jax.effects_barrier()`: a worker device
 * runs callbacks on the main thread at such sync points. A DeviceError where a device cannot be
 * waited for synchronously (use `effectsBarrierAsync`).
 *
 * @example
 * jit((x: Array) => { debug.print("x={}", x); return x })(np.arange(3))
 * effectsBarrier()   // the line is printed by now, whichever device ran it
 */
export const effectsBarrier = (): void => {
  for (const d of devices()) {
    const wait = d.backend.synchronizeSync
    if (wait === undefined) {
      throw new DeviceError(`effectsBarrier: ${d} cannot be waited for synchronously here; await effectsBarrierAsync() instead.`)
    }
    wait()
  }
}

/**
 * `effectsBarrier` for any device: resolves once every device has run the work dispatched to it
 * so far, and its host callbacks.
 *
 * @example
 * await effectsBarrierAsync()
 */
export const effectsBarrierAsync = async (): Promise<void> => {
  await Promise.all(devices().map((d) => d.backend.synchronize()))
}
