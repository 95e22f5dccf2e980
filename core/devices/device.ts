/**
 * A device: where arrays live and computations run, as JAX's `jax.Device`. It has an id (unique
 * across platforms), a platform ("cpu", "webgpu") and the backend that stores and computes its
 * arrays. Devices print as JAX prints them: `CpuDevice(id=3)`.
 */
import type { Backend } from "../backend.js"

const className: Readonly<Record<string, string>> = { cpu: "CpuDevice", webgpu: "WebGpuDevice" }

/**
 * A device arrays live on (JAX's `jax.Device`): its id, platform ("cpu", "webgpu"), kind and the
 * backend serving it. `devices()` lists them; `devicePut` moves arrays to one.
 *
 * @example
 * const d = devices()[0]!
 * d.platform // "cpu"
 * d.toString() // "CpuDevice(id=0)"
 * np.arange(3).device.id // 0
 */
export class Device {
  constructor(
    /** Unique across every platform of this process. */
    readonly id: number,
    /** "cpu", "webgpu", ... */
    readonly platform: string,
    /** A description of the hardware, as JAX's `device_kind` ("cpu", "worker cpu", an adapter name). */
    readonly deviceKind: string,
    /** The backend serving this device. */
    readonly backend: Backend,
    /** The device's index among the devices of its platform. */
    readonly localIndex: number
  ) {}
  /** Devices of this process (jaxfx runs one process; JAX's multi-host process index). */
  get processIndex(): number {
    return 0
  }
  toString(): string {
    return `${className[this.platform] ?? `${this.platform}Device`}(id=${this.id})`
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString()
  }
  toJSON(): string {
    return this.toString()
  }
}
