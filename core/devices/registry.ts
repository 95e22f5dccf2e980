/**
 * The devices of this process. Platforms are registered by the package entry (core never imports a
 * backend); their devices are made on first use, so settings such as the number of CPU devices
 * (`JAXFX_CPU_DEVICES=N` or `config.update("jaxfxCpuDevices", N)`) apply until then.
 *
 * Device ids are unique across platforms: the CPU devices come first (0 .. N-1), devices of
 * platforms initialized later (`init("webgpu")`) follow.
 */
import { defineSetting, parseIntStrict, positiveInt } from "../config.js"
import { DeviceError, ValueError } from "../errors.js"
import { Device } from "./device.js"

/** A platform as the entry registers it: how to make its devices. */
export interface Platform {
  readonly name: string
  /**
   * Make the platform's devices synchronously (the CPU; `count` is its configured device count),
   * with ids from `firstId`.
   */
  readonly create?: (firstId: number, count: number) => ReadonlyArray<Device>
  /** Acquire the platform's devices asynchronously (a GPU adapter), with ids from `firstId`. */
  readonly acquire?: (firstId: number) => Promise<ReadonlyArray<Device>>
}

/** The most CPU devices a process may ask for. */
export const MAX_CPU_DEVICES = 256

const cpuDevices = defineSetting<number>({
  name: "jaxfxCpuDevices",
  env: "JAXFX_CPU_DEVICES",
  initial: 1,
  describe: "the number of CPU devices: device 0 runs on the calling thread, devices 1..N-1 on worker threads",
  check: positiveInt(MAX_CPU_DEVICES),
  parse: parseIntStrict(positiveInt(MAX_CPU_DEVICES))
})

const defaultDeviceSetting = defineSetting<Device | number | string | null>({
  name: "jaxDefaultDevice",
  env: "JAXFX_DEFAULT_DEVICE",
  initial: null,
  describe:
    'the device eager operations and jit run on when no input is committed (a Device, a device id, a platform name such as "webgpu" ' +
    "for that platform's first device, or null for the first device)",
  check: (v, source) => {
    if (v === null || v instanceof Device) return v
    if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return v
    // a registered platform's name (before the entry registers any, every name passes)
    if (typeof v === "string" && /^[a-z][a-z0-9_]*$/.test(v) && (platforms.size === 0 || platforms.has(v))) return v
    throw new ValueError(
      `${source}: expected a Device (from devices()), a device id, a platform name (${[...platforms.keys()].map((k) => `"${k}"`).join(", ")}) or null, got ${String(v)}.`
    )
  },
  parse: (text, source) => {
    const t = text.trim()
    if (/^[a-z][a-z0-9_]*$/.test(t)) return t
    if (!/^[0-9]+$/.test(t)) {
      throw new ValueError(
        `${source}: expected a device id (a non-negative integer) or a platform name, e.g. JAXFX_DEFAULT_DEVICE=1 or JAXFX_DEFAULT_DEVICE=webgpu.`
      )
    }
    return Number(t)
  }
})

const platforms = new Map<string, Platform>()
const byPlatform = new Map<string, ReadonlyArray<Device>>()
let all: Device[] = []
let initialized = false
let cachedDefault: Device | undefined
/** The device `withDefaultDevice` installed, innermost first. */
let override: Device | undefined

defaultDeviceSetting.onChange(() => {
  cachedDefault = undefined
})
cpuDevices.freeze(() =>
  initialized
    ? `the CPU devices already exist (${byPlatform.get("cpu")?.length ?? 0} of them); set the count before the first array is made, ` +
      "or start the process with JAXFX_CPU_DEVICES=N."
    : undefined
)

/** Register a platform (the package entry does this for the CPU). */
export const registerPlatform = (p: Platform): void => {
  platforms.set(p.name, p)
}

const ensureInitialized = (): void => {
  if (initialized) return
  const cpu = platforms.get("cpu")
  if (cpu?.create === undefined) {
    throw new DeviceError('jaxfx: no CPU platform is registered; import jaxfx from its package entry ("jaxfx"), which wires the backends.')
  }
  const n = cpuDevices.get()
  const made = cpu.create(0, n)
  initialized = true
  byPlatform.set("cpu", made)
  all = [...made]
}

/**
 * Every device of a platform (all devices when none is named), as `jax.devices(backend)`.
 * Asynchronous platforms appear after `await init(platform)`.
 *
 * @example
 * devices()          // [CpuDevice(id=0)]  (JAXFX_CPU_DEVICES=4: CpuDevice(id=0) .. CpuDevice(id=3))
 * devices("cpu")[1]  // the first worker CPU device
 */
export const devices = (platform?: string): ReadonlyArray<Device> => {
  ensureInitialized()
  if (platform === undefined) return all
  const ds = byPlatform.get(platform)
  if (ds === undefined) {
    const known = [...platforms.keys()]
    throw new DeviceError(
      platforms.has(platform)
        ? `devices("${platform}"): the platform is not initialized; call \`await init("${platform}")\` (or provide the Device.${platform} layer) first.`
        : `devices("${platform}"): unknown platform; the platforms are ${known.map((k) => `"${k}"`).join(", ")}.`
    )
  }
  return ds
}

/**
 * Acquire an asynchronous platform's devices (a WebGPU adapter), as JAX initializes a backend on
 * first use. Resolves to its devices; fails with a DeviceError that says why.
 *
 * @example
 * const [gpu] = await init("webgpu")
 */
export const init = async (platform: string): Promise<ReadonlyArray<Device>> => {
  ensureInitialized()
  const have = byPlatform.get(platform)
  if (have !== undefined && !have.some((d) => d.backend.lost === true)) return have
  // a lost device (a GPU's): forgotten, and the platform acquired again
  if (have !== undefined) forgetPlatform(platform)
  const p = platforms.get(platform)
  if (p === undefined)
    throw new DeviceError(`init("${platform}"): unknown platform; the platforms are ${[...platforms.keys()].map((k) => `"${k}"`).join(", ")}.`)
  if (p.acquire === undefined) return devices(platform)
  // Concurrent calls share one acquisition.
  let pending = acquiring.get(platform)
  if (pending === undefined) {
    const acquire = p.acquire
    pending = (async () => {
      try {
        const made = await acquire(all.length)
        byPlatform.set(platform, made)
        all = [...all, ...made]
        return made
      } finally {
        acquiring.delete(platform)
      }
    })()
    acquiring.set(platform, pending)
  }
  return pending
}
const acquiring = new Map<string, Promise<ReadonlyArray<Device>>>()

/** Forget an asynchronous platform's devices (its layer released them); with `only`, unless they are others. */
export const forgetPlatform = (platform: string, only?: Device): void => {
  const ds = byPlatform.get(platform)
  if (ds === undefined || platform === "cpu" || (only !== undefined && !ds.includes(only))) return
  byPlatform.delete(platform)
  all = all.filter((d) => !ds.includes(d))
  cachedDefault = undefined
}

/**
 * How many devices this process has (JAX's local and global counts are equal: one process).
 *
 * @example
 * localDeviceCount() // 1 (JAXFX_CPU_DEVICES=4 gives 4)
 * localDeviceCount("cpu")
 */
export const localDeviceCount = (platform?: string): number => devices(platform).length
/**
 * How many devices there are in all processes (one process: the local count).
 *
 * @example
 * deviceCount() // equal to localDeviceCount(): one process
 */
export const deviceCount = (platform?: string): number => devices(platform).length

/** The device with this id; a DeviceError names the valid range. */
export const deviceById = (id: number): Device => {
  ensureInitialized()
  const d = all.find((x) => x.id === id)
  if (d === undefined) {
    throw new DeviceError(
      `there is no device with id ${id}: this process has ${all.length} device${all.length === 1 ? "" : "s"} (ids 0..${all.length - 1}). ` +
        'For more CPU devices start the process with JAXFX_CPU_DEVICES=N (or call config.update("jaxfxCpuDevices", N) before the first array is made).'
    )
  }
  return d
}

/**
 * The device that eager operations and jit use when no input is committed: the `jaxDefaultDevice`
 * setting (a device, a device id, or a platform name for that platform's first device, as JAX's
 * `jax_default_device` accepts "cpu"), else the first device.
 *
 * @example
 * defaultDevice() // CpuDevice(id=0)
 * // JAXFX_DEFAULT_DEVICE=webgpu, after `await init("webgpu")`: WebGpuDevice(id=1)
 */
export const defaultDevice = (): Device => {
  if (override !== undefined) return override
  if (cachedDefault !== undefined) return cachedDefault
  ensureInitialized()
  const d = defaultDeviceSetting.get()
  cachedDefault = d === null ? all[0]! : d instanceof Device ? d : typeof d === "string" ? firstOf(d) : deviceById(d)
  return cachedDefault
}

/** The first device of a platform named as the default device; a DeviceError until it is initialized. */
const firstOf = (platform: string): Device => {
  const ds = byPlatform.get(platform)
  if (ds !== undefined && ds.length > 0) return ds[0]!
  throw new DeviceError(
    platforms.has(platform)
      ? `the default device is the first "${platform}" device (jaxDefaultDevice / JAXFX_DEFAULT_DEVICE), which is not initialized yet: ` +
          `call \`await init("${platform}")\` (or provide the Device.${platform} layer) before the first operation.`
      : `the default device names the platform "${platform}" (jaxDefaultDevice / JAXFX_DEFAULT_DEVICE), which is unknown; ` +
          `the platforms are ${[...platforms.keys()].map((k) => `"${k}"`).join(", ")}.`
  )
}

/**
 * Run `body` with `device` as the default device (JAX's `with jax.default_device(d)`), restoring
 * the previous default afterwards, also when `body` throws.
 *
 * @example
 * const y = withDefaultDevice(devices()[1]!, () => np.arange(4).mul(2)) // computed on CpuDevice(id=1)
 */
export const withDefaultDevice = <A>(device: Device, body: () => A): A => {
  const prev = override
  override = device
  try {
    return body()
  } finally {
    override = prev
  }
}

/** The CPU device of the calling thread (device 0): host computations (constant folding) run here. */
export const hostDevice = (): Device => {
  ensureInitialized()
  return byPlatform.get("cpu")![0]!
}
