/**
 * Backend equivalence: a function gives the same results on every device, within a tolerance.
 *
 * A device under test (`LawDevice`) runs a function on arguments and brings the results back to
 * the host. `onBackend(backend, { jit })` makes one from any jaxfx `Backend` (the interface in
 * core/backend.ts that the CPU implements and a WebGPU backend implements too): it copies the
 * arguments to the backend, makes it the default device for the call (so constants created inside
 * the function land there too), runs the function eagerly or under jit, checks that the results
 * were computed there, and reads them back.
 *
 * With only the CPU, the useful pairs are the eager path, the compiled (jit) path, and a second
 * backend instance (`cpuDevices()`). A WebGPU backend plugs in the same way; its reads answer with
 * promises, so use the asynchronous form of the law:
 *
 * @example
 * const [cpu] = laws.cpuDevices()
 * const gpu = laws.onBackend(webgpuBackend, { name: "webgpu", jit: true })
 * await laws.checkAsync(laws.backendsAgreeAsync(f, [arb.array({ shape: [4, 4] })], { devices: [cpu, gpu] }), { seed: 1, numRuns: 20 })
 */
import fc from "fast-check"
import { ArrayImpl } from "../core/array.js"
import { type Backend, getDefaultBackend, setDefaultBackend } from "../core/backend.js"
import type { AnyTypedArray } from "../core/dtype.js"
import { cpuBackend } from "../backends/cpu/index.js"
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

export interface OnBackendOptions {
  /** The device's name in reports (default the backend's name, plus " (jit)" under jit). */
  readonly name?: string
  /** Run the function under jit (true: jaxfx's jit; or a jit-like under test). Default false: eagerly. */
  readonly jit?: boolean | JitLike
}

/** Whether a tree has a leaf that is a promise (an asynchronous read). */
const isPromise = (x: unknown): x is Promise<unknown> => x instanceof Promise

/**
 * A device that runs functions on `backend`: arguments are copied there, the backend is the
 * default for the call, and results are checked to live on it and read back to the default host
 * backend. Under `jit`, one jitted function per (function, device) is reused across cases.
 */
export const onBackend = (backend: Backend, options: OnBackendOptions = {}): LawDevice => {
  checkLawOptions("laws.onBackend", options, optionKeys<OnBackendOptions>()("name", "jit"))
  const useJit = options.jit ?? false
  const jitFn = (useJit === true ? jit : useJit === false ? undefined : useJit) as ((f: AnyFn) => AnyFn) | undefined
  const name = options.name ?? `${backend.name}${jitFn === undefined ? "" : " (jit)"}`
  const jitted = new WeakMap<AnyFn, AnyFn>()
  const put = (x: unknown): unknown =>
    tree.map((l: unknown) => {
      if (!(l instanceof ArrayImpl)) return l
      const data = l.data().slice()
      return new ArrayImpl(l.aval, backend.fromHost(data, l.aval), backend)
    }, x)
  return {
    name,
    run: (f, args) => {
      const host = getDefaultBackend()
      let out: unknown
      setDefaultBackend(backend)
      try {
        let g = f as AnyFn
        if (jitFn !== undefined) {
          const j = jitted.get(g) ?? jitFn(g)
          jitted.set(g, j)
          g = j
        }
        out = g(...args.map(put))
      } finally {
        setDefaultBackend(host)
      }
      const [leaves, def] = tree.flatten(out)
      const misplaced: string[] = []
      const reads = leaves.map((l, i) => {
        if (!(l instanceof ArrayImpl)) return l
        if (l.backend !== backend) misplaced.push(`output leaf ${i} (${l.aval.str()}) was computed on "${l.backend.name}", not on "${backend.name}"`)
        const r = l.backend.read(l.buffer, l.aval)
        const toHost = (d: AnyTypedArray): Array => new ArrayImpl(l.aval, host.fromHost(d.slice(), l.aval), host)
        return isPromise(r) ? r.then(toHost) : toHost(r)
      })
      if (misplaced.length > 0) throw new LawViolation(`${name}: the computation left the device:\n${misplaced.join("\n")}`)
      if (reads.some(isPromise)) return Promise.all(reads).then((ls) => tree.unflatten(def, ls))
      return tree.unflatten(def, reads)
    }
  }
}

/**
 * The CPU paths that must agree: eager CPU, compiled CPU (jit), and a second CPU backend instance
 * (another `Backend` object over the same kernels, without the compiler, so jit runs programs one
 * primitive at a time, as on a backend that only executes kernels).
 */
export const cpuDevices = (): [LawDevice, LawDevice, LawDevice] => {
  const { compile: _compile, ...kernelsOnly } = cpuBackend
  void _compile
  const second: Backend = { ...kernelsOnly, name: "cpu#2" }
  return [onBackend(cpuBackend), onBackend(cpuBackend, { jit: true, name: "cpu (jit, compiled)" }), onBackend(second, { jit: true, name: "cpu#2 (jit, op by op)" })]
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

/** `backendsAgree` for devices that read back asynchronously (WebGPU): run it with `checkAsync`. */
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
