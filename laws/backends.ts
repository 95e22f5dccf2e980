/**
 * Backend equivalence: a function gives the same results on every device, within a tolerance.
 *
 * A device under test (`LawDevice`) runs a function on arguments and brings the results back to
 * the host. `onDevice(device, { jit })` makes one from any jaxfx device (from `devices()`): it
 * copies the arguments there (committed), makes it the default device for the call (so constants
 * created inside the function land there too), runs the function eagerly or under jit, checks that
 * the results were computed there, and reads them back.
 *
 * `cpuDevices()` gives the CPU paths that must agree: device 0 eagerly and under jit and, when the
 * process has worker CPU devices (`JAXFX_CPU_DEVICES=2` or more), a worker device, bit for bit.
 * A WebGPU device plugs in the same way; its reads answer with promises, so use the asynchronous
 * form of the law:
 *
 * @example
 * const f = (x: Array) => np.matmul(x, x)
 * const [cpu] = laws.cpuDevices()
 * const gpu = laws.onDevice((await init("webgpu"))[0]!, { jit: true })
 * await laws.checkAsync(laws.backendsAgreeAsync(f, [arb.array({ shape: [4, 4] })], { devices: [cpu!, gpu] }), { seed: 1, numRuns: 20 })
 */
import fc from "fast-check"
import { ArrayImpl } from "../core/array.js"
import type { Device } from "../core/devices/device.js"
import { devices, hostDevice, withDefaultDevice } from "../core/devices/registry.js"
import { transfer } from "../core/devices/transfer.js"
import { type Array, jit, tree } from "../index.js"
import { type Comparison, treeCode } from "./format.js"
import { checkLawOptions } from "./check-options.js"
import { optionKeys } from "../core/options.js"
import {
  type AnyFn,
  type Arbitraries,
  asyncLawProperty,
  type AsyncLawProperty,
  compareOutputs,
  Described,
  errorText,
  indent,
  type JitLike,
  lawProperty,
  type LawProperty,
  LawViolation,
  nameOf
} from "./laws.js"

/** A device under test: runs a function and returns its results on the host (or a promise of them). */
export interface LawDevice {
  readonly name: string
  /**
   * Run `f(...args)` here. The arguments are host arrays; the results come back as host arrays
   * (synchronously, or as a promise on an asynchronous device). Throw (or reject) if f fails.
   */
  readonly run: (f: (...args: ReadonlyArray<unknown>) => unknown, args: ReadonlyArray<unknown>) => unknown
}

export interface OnDeviceOptions {
  /** The device's name in reports (default the device as JAX prints it, plus " (jit)" under jit). */
  readonly name?: string
  /** Run the function under jit (true: jaxfx's jit; or a jit-like under test). Default false: eagerly. */
  readonly jit?: boolean | JitLike
}

/** Whether a tree has a leaf that is a promise (an asynchronous read). */
const isPromise = (x: unknown): x is Promise<unknown> => x instanceof Promise

/**
 * A device that runs functions on `device`: arguments are copied there, it is the default device
 * for the call, and results are checked to live on it and read back to the host CPU device. Under
 * `jit`, one jitted function per (function, device) is reused across cases.
 *
 * @example
 * const jitted = laws.onDevice(devices()[0]!, { jit: true, name: "cpu0 jit" })
 * laws.check(laws.backendsAgree((x: Array) => np.sin(x), [arb.array({ shape: [3] })], { devices: [laws.onDevice(devices()[0]!), jitted] }), { seed: 1, numRuns: 10 })
 */
export const onDevice = (device: Device, options: OnDeviceOptions = {}): LawDevice => {
  checkLawOptions("laws.onDevice", options, optionKeys<OnDeviceOptions>()("name", "jit"))
  const useJit = options.jit ?? false
  const jitFn = (useJit === true ? jit : useJit === false ? undefined : useJit) as ((f: AnyFn) => AnyFn) | undefined
  const name = options.name ?? `${device.toString()}${jitFn === undefined ? "" : " (jit)"}`
  const jitted = new WeakMap<AnyFn, AnyFn>()
  const put = (x: unknown): unknown => tree.map((l: unknown) => (l instanceof ArrayImpl ? transfer(l, device, true) : l), x)
  return {
    name,
    run: (f, args) => {
      const out = withDefaultDevice(device, () => {
        let g = f as AnyFn
        if (jitFn !== undefined) {
          const j = jitted.get(g) ?? jitFn(g)
          jitted.set(g, j)
          g = j
        }
        return g(...args.map(put))
      })
      const host = hostDevice()
      const [leaves, def] = tree.flatten(out)
      const misplaced: string[] = []
      const reads = leaves.map((l, i) => {
        if (!(l instanceof ArrayImpl)) return l
        if (l.device !== device) misplaced.push(`output leaf ${i} (${l.aval.str()}) was computed on ${l.device.toString()}, not on ${device.toString()}`)
        const sync = l.backend.readSync
        const toHost = (d: ReturnType<ArrayImpl["data"]>): Array => new ArrayImpl(l.aval, host.backend.fromHost(d.slice(), l.aval), host)
        return sync === undefined ? l.dataAsync().then(toHost) : toHost(sync(l.buffer, l.aval))
      })
      if (misplaced.length > 0) throw new LawViolation(`${name}: the computation left the device:\n${misplaced.join("\n")}`)
      if (reads.some(isPromise)) return Promise.all(reads).then((ls) => tree.unflatten(def, ls))
      return tree.unflatten(def, reads)
    }
  }
}

/**
 * The CPU paths that must agree: device 0 eagerly and under jit, and a worker CPU device (eagerly
 * and under jit) when the process has one (`JAXFX_CPU_DEVICES=2` or more).
 *
 * @example
 * const devs = laws.cpuDevices() // CPU device 0, with and without jit, and device 1 when JAXFX_CPU_DEVICES=2
 * laws.check(laws.backendsAgree((x: Array) => np.exp(x), [arb.array({ shape: [3] })], { devices: devs }), { seed: 1, numRuns: 10 })
 */
export const cpuDevices = (): LawDevice[] => {
  const [d0, d1] = devices("cpu")
  const out = [onDevice(d0!), onDevice(d0!, { jit: true })]
  if (d1 !== undefined) out.push(onDevice(d1), onDevice(d1, { jit: true }))
  return out
}

export interface BackendLawOptions {
  /** The devices to compare (at least two); the first is the reference. */
  readonly devices: ReadonlyArray<LawDevice>
  /**
   * "exact" or `{ rtol, atol }` (default rtol 1e-4, atol 1e-5: float32 kernels on different
   * hardware round differently; use "exact" for backends that must agree bit for bit).
   */
  readonly tolerance?: Comparison
}
const BACKEND_LAW_KEYS = optionKeys<BackendLawOptions>()("devices", "tolerance")

interface BackendCase {
  readonly args: ReadonlyArray<unknown>
}

const defaultTolerance: Comparison = { rtol: 1e-4, atol: 1e-5 }

const describeArgs = ({ args }: BackendCase): string => `inputs:\n${indent(args.map((a, i) => `argument ${i}: ${treeCode(a)}`).join("\n"))}`

const backendCases = <Args extends ReadonlyArray<unknown>>(arbs: Arbitraries<Args>): fc.Arbitrary<Described<BackendCase>> => {
  const list = arbs as unknown as ReadonlyArray<fc.Arbitrary<unknown>>
  if (list.length === 0) throw new RangeError("backendsAgree: give one arbitrary per argument of f (none were given)")
  return fc.tuple(...list).map((args) => new Described<BackendCase>({ args }, describeArgs))
}

const checkDevices = (devices: ReadonlyArray<LawDevice>): void => {
  if (devices.length < 2) throw new RangeError(`backendsAgree: give at least two devices to compare (got ${devices.length})`)
}

const runOn = (d: LawDevice, f: AnyFn, args: ReadonlyArray<unknown>): unknown => {
  try {
    return d.run(f, args)
  } catch (e) {
    if (e instanceof LawViolation) throw e
    throw new LawViolation(`f on ${d.name} threw ${errorText(e)}`)
  }
}

const compareAll = (devices: ReadonlyArray<LawDevice>, results: ReadonlyArray<unknown>, cmp: Comparison): void => {
  const problems: string[] = []
  for (let i = 1; i < devices.length; i++) {
    try {
      compareOutputs(results[0], results[i], cmp, [devices[0]!.name, devices[i]!.name], "output")
    } catch (e) {
      if (!(e instanceof LawViolation)) throw e
      problems.push(e.message)
    }
  }
  if (problems.length > 0) throw new LawViolation(problems.join("\n"))
}

/**
 * Every device gives the results of the first one (shapes, dtypes and values within
 * `tolerance`), and computes them on itself. The devices are parameters: any two `LawDevice`s,
 * e.g. `cpuDevices()`, or `onBackend(webgpuBackend)` next to the CPU (with `backendsAgreeAsync`,
 * since WebGPU reads back asynchronously).
 *
 * @example
 * laws.check(laws.backendsAgree((x: Array) => np.matmul(x, x), [arb.array({ shape: [4, 4] })], { devices: laws.cpuDevices() }), { seed: 1, numRuns: 10 })
 */
export const backendsAgree = <Args extends ReadonlyArray<unknown>>(
  f: (...args: Args) => unknown,
  arbs: Arbitraries<Args>,
  options: BackendLawOptions
): LawProperty<Described<BackendCase>> => {
  checkLawOptions("laws.backendsAgree", options, BACKEND_LAW_KEYS)
  checkDevices(options.devices)
  const cmp = options.tolerance ?? defaultTolerance
  const g = f as unknown as AnyFn
  return lawProperty("backendsAgree", nameOf(f), backendCases(arbs), ({ args }) => {
    const results = options.devices.map((d) => {
      const r = runOn(d, g, args)
      if (isPromise(r)) {
        r.catch(() => undefined)
        throw new LawViolation(`${d.name} answers asynchronously (a promise): check it with backendsAgreeAsync and checkAsync`)
      }
      return r
    })
    compareAll(options.devices, results, cmp)
  })
}

/**
 * `backendsAgree` for devices that read back asynchronously (WebGPU): run it with `checkAsync`.
 *
 * @example
 * const [cpu] = laws.cpuDevices()
 * const gpu = laws.onDevice((await init("webgpu"))[0]!, { jit: true })
 * await laws.checkAsync(laws.backendsAgreeAsync((x: Array) => np.tanh(x), [arb.array({ shape: [8] })], { devices: [cpu!, gpu] }), { seed: 1, numRuns: 10 })
 */
export const backendsAgreeAsync = <Args extends ReadonlyArray<unknown>>(
  f: (...args: Args) => unknown,
  arbs: Arbitraries<Args>,
  options: BackendLawOptions
): AsyncLawProperty<Described<BackendCase>> => {
  checkLawOptions("laws.backendsAgreeAsync", options, BACKEND_LAW_KEYS)
  checkDevices(options.devices)
  const cmp = options.tolerance ?? defaultTolerance
  const g = f as unknown as AnyFn
  return asyncLawProperty("backendsAgree", nameOf(f), backendCases(arbs), async ({ args }) => {
    const results: unknown[] = []
    for (const d of options.devices) {
      try {
        results.push(await runOn(d, g, args))
      } catch (e) {
        if (e instanceof LawViolation) throw e
        throw new LawViolation(`f on ${d.name} failed: ${errorText(e)}`)
      }
    }
    compareAll(options.devices, results, cmp)
  })
}
