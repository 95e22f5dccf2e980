/**
 * `pmap`: single-program multiple-data over devices (JAX's jax.pmap). The mapped axis of the
 * arguments is split across devices, one slice per device; collectives over `axisName` combine
 * the slices.
 *
 * Execution, per call signature:
 * - a program without collectives over its axis is compiled once (jit) and runs on every device,
 *   each on its own slice (worker devices run concurrently); the results are gathered;
 * - a program with collectives over its axis, on CPU devices, is staged once per device program
 *   with its collectives in it and runs on every device concurrently; the collectives exchange
 *   data through shared memory (device-program.ts);
 * - a call under another transformation (grad, vmap, jit), or on devices that cannot share
 *   memory, runs as jit of vmap with the same axis name on the default device: the same values,
 *   with the communication done as array operations in one program.
 * Results are sharded Arrays: each device's slice stays on its device (pmap-sharding.ts), and a
 * later pmap over the same devices takes its slices from there.
 */
import { Array, ArrayImpl } from "../array.js"
import type { Device } from "../devices/device.js"
import { dispatchNow } from "../devices/dispatch-now.js"
import { defaultDevice, devices as allDevices } from "../devices/registry.js"
import { transfer } from "../devices/transfer.js"
import { DeviceError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { stack } from "../numpy/shape.js"
import { reshape, slice } from "../primitives/shape-ops.js"
import { checkDim, describe } from "../shape.js"
import { Tracer } from "../trace.js"
import { broadcastPrefix, flatten, unflatten } from "../tree.js"
import { jit, makeJaxpr } from "../transforms/jit.js"
import { type InAxes, type OutAxes, vmap } from "../transforms/vmap.js"
import { collectiveCount, singleAxisName } from "./axis-env.js"
import { consumeDonated, donatedIndices } from "../transforms/donate.js"
import { localSlice, shardedResult } from "./pmap-sharding.js"
import { rememberReplicas, replicaOn } from "./replicas.js"
import { canCommunicate, type DeviceProgram, launchOrder, runOnDevices, traceDeviceProgram } from "./device-program.js"

export interface PmapOptions {
  /** Names the mapped axis for collectives (lax.psum(x, axisName), ...). */
  readonly axisName?: string
  /** The mapped axis of each positional argument (null: replicated), as vmap's inAxes (default 0). */
  readonly inAxes?: InAxes
  /** Where the device axis goes in each output (default 0). */
  readonly outAxes?: OutAxes
  /** Positional arguments that are static (passed as they are; a new value compiles again). */
  readonly staticArgnums?: number | ReadonlyArray<number>
  /** The devices to run on, in order (default: devices()). */
  readonly devices?: ReadonlyArray<Device>
  /** The number of slices when no argument is mapped. */
  readonly axisSize?: number
  /**
   * Positional arguments the call consumes (JAX's donate_argnums): their arrays are deleted after
   * the call, and using one is a DeviceError (the memory can serve the results).
   */
  readonly donateArgnums?: number | ReadonlyArray<number>
}
const PMAP_KEYS = optionKeys<PmapOptions>()("axisName", "inAxes", "outAxes", "staticArgnums", "devices", "axisSize", "donateArgnums")

const isAxis = (x: unknown): x is number | null => x === null || typeof x === "number"

/**
 * Map `f` over the leading axis (or `inAxes`) of its arguments with one slice per device: JAX's
 * `pmap`. Collectives over `axisName` (lax.psum, lax.pmean, lax.allGather, ...) combine the
 * slices. More slices than devices is a DeviceError; start with `JAXFX_CPU_DEVICES=N` (or
 * `config.update("jaxfxCpuDevices", N)` before the first array) for N CPU devices.
 *
 * @example
 * // JAXFX_CPU_DEVICES=8
 * const normalize = pmap((x: Array) => x.div(lax.psum(x, "p")), { axisName: "p" })
 * normalize(np.arange(8).astype("float32")) // each element over the total, one per device
 */
export function pmap<Args extends ReadonlyArray<unknown>, R>(f: (...args: Args) => R, opts: PmapOptions = {}): (...args: Args) => R {
  checkOptions("pmap", opts, PMAP_KEYS)
  const axisName = opts.axisName === undefined ? undefined : singleAxisName(opts.axisName, "pmap: axisName")
  if (opts.axisSize !== undefined) checkDim(opts.axisSize, "pmap: axisSize")
  const statics = opts.staticArgnums === undefined ? [] : typeof opts.staticArgnums === "number" ? [opts.staticArgnums] : [...opts.staticArgnums]
  for (const s of statics)
    if (!Number.isInteger(s) || s < 0) throw new ValueError(`pmap: staticArgnums entries must be non-negative integers, got ${describe(opts.staticArgnums)}.`)
  const donated = donatedIndices(opts.donateArgnums, statics, "pmap")
  if (opts.devices !== undefined && (!globalThis.Array.isArray(opts.devices) || opts.devices.length === 0)) {
    throw new ValueError(`pmap: devices must be a non-empty list of devices (from devices()), got ${describe(opts.devices)}.`)
  }
  // One compiled program per static-argument values (and, in it, jit's cache per signature).
  const programs = new Map<
    string,
    {
      readonly call: (...a: unknown[]) => unknown
      readonly perDevice: (...a: unknown[]) => unknown
      readonly together: (...a: unknown[]) => unknown
      collectives?: Map<string, boolean>
      deviceProgram?: Map<string, DeviceProgram>
    }
  >()
  const who = `pmap(${f.name || "<lambda>"})`
  const call = (...args: Args): R => {
    const out = run(...args)
    consumeDonated(args, donated, out, who)
    return out
  }
  const run = (...args: Args): R => {
    const staticKey = JSON.stringify(statics.map((i) => args[i]))
    const dynIdx = args.map((_, i) => i).filter((i) => !statics.includes(i))
    const inAxes = opts.inAxes === undefined ? 0 : opts.inAxes
    const perArg: ReadonlyArray<unknown> = isAxis(inAxes) ? args.map(() => inAxes) : inAxes
    if (perArg.length !== args.length) {
      throw new ValueError(
        `pmap: inAxes has ${perArg.length} entries but the function was called with ${args.length} positional arguments; give one entry per argument.`
      )
    }
    let prog = programs.get(staticKey)
    if (prog === undefined) {
      const call = (...dyn: unknown[]): unknown => {
        const full = [...args]
        dynIdx.forEach((i, k) => (full[i] = dyn[k]))
        return (f as unknown as (...a: unknown[]) => unknown)(...full)
      }
      const dynInAxes = dynIdx.map((i) => perArg[i])
      const outAxes = opts.outAxes === undefined ? 0 : opts.outAxes
      prog = {
        call,
        perDevice: jit(call),
        together: jit(
          vmap(call, {
            inAxes: dynInAxes,
            outAxes,
            ...(axisName === undefined ? {} : { axisName }),
            ...(opts.axisSize === undefined ? {} : { axisSize: opts.axisSize })
          })
        )
      }
      programs.set(staticKey, prog)
    }
    const dyn = dynIdx.map((i) => args[i])
    const [leaves, def] = flatten(dyn)
    const axes = broadcastPrefix(
      dynIdx.map((i) => perArg[i]),
      dyn
    ) as (number | null)[]
    // The number of slices, and the devices.
    let n: number | undefined = opts.axisSize
    leaves.forEach((l, i) => {
      const a = axes[i]
      if (a === null || a === undefined || !(l instanceof Array)) return
      const d = a < 0 ? a + l.ndim : a
      if (l.shape[d] !== undefined) n ??= l.shape[d]
    })
    if (n === undefined) throw new ValueError("pmap: no argument is mapped (every inAxes is null); pass { axisSize } to say how many devices to use.")
    const devs = opts.devices ?? allDevices()
    if (n > devs.length) {
      throw new DeviceError(
        `pmap: the mapped axis has size ${n}, but there ${devs.length === 1 ? "is 1 device" : `are ${devs.length} devices`}` +
          `${opts.devices === undefined ? "" : " in the devices option"}; pmap runs one slice per device. ` +
          `Start with JAXFX_CPU_DEVICES=${n} in the environment (or config.update("jaxfxCpuDevices", ${n}) before the first array) for ${n} CPU devices, ` +
          "or use vmap, which maps over any size on one device."
      )
    }
    // Under a transformation, or with collectives: one program over the whole axis.
    if (leaves.some((l) => l instanceof Tracer)) return prog.together(...dyn) as R
    const sig = leaves.map((l) => (l instanceof Array ? `${l.dtype}[${l.shape.join(",")}]` : typeof l === "number" ? `n${l}` : String(l))).join(";")
    prog.collectives ??= new Map()
    let usesCollectives = prog.collectives.get(sig)
    if (usesCollectives === undefined) {
      const before = collectiveCount()
      makeJaxpr(prog.together as (...a: never[]) => unknown)(...(dyn as never[]))
      usesCollectives = collectiveCount() !== before
      prog.collectives.set(sig, usesCollectives)
    }
    const used = devs.slice(0, n)
    const shardOf =
      (k: number) =>
      (l: unknown, i: number): unknown => {
        const a = axes[i]
        if (!(l instanceof Array) || a === null || a === undefined) return l
        const d = a < 0 ? a + l.ndim : a
        return localSlice(l, d, k, used) ?? sliceAt(l, d, k)
      }
    if (usesCollectives && axisName !== undefined && canCommunicate(used) && leaves.every((l) => l instanceof Array)) {
      // Communication across devices: one per-device program, its collectives over shared memory.
      prog.deviceProgram ??= new Map()
      let dp = prog.deviceProgram.get(sig)
      if (dp === undefined) {
        const avals = leaves.map((l, i) => (shardOf(0)(l, i) as Array).aval)
        const call = prog.call
        dp = traceDeviceProgram((xs) => call(...(unflatten(def, xs) as unknown[])), avals, [{ name: axisName, size: n }])
        prog.deviceProgram.set(sig, dp)
      }
      const outs = runOnDevices(
        dp,
        who,
        used,
        (k) => [{ axisName, group: used, rank: k }],
        (k) => leaves.map(shardOf(k)) as Array[]
      )
      return gather(outs, opts.outAxes === undefined ? 0 : opts.outAxes, used)
    }
    if (usesCollectives) return prog.together(...dyn) as R
    // No communication: slice k of each mapped leaf (and every unmapped one) on device k. Worker
    // devices are launched first and run while the calling thread computes its own slice (in
    // order 0..n-1 they would wait for it).
    const outs: unknown[] = new globalThis.Array(n)
    for (const k of launchOrder(devs.slice(0, n))) {
      const dev = devs[k]!
      const shard = leaves.map((l, i) => {
        if (!(l instanceof Array)) return l
        const a = axes[i]
        if (a === null || a === undefined) return replicaOn(l as ArrayImpl, dev) ?? transfer(l as ArrayImpl, dev, true)
        return transfer(shardOf(k)(l, i) as ArrayImpl, dev, true)
      })
      outs[k] = dispatchNow(() => prog.perDevice(...(unflatten(def, shard) as unknown[])))
    }
    return gather(outs, opts.outAxes === undefined ? 0 : opts.outAxes, used)
  }
  return call
}

/** Slice k of `x` along `axis`, without that axis. */
const sliceAt = (x: Array, axis: number, k: number): Array => {
  const start = x.shape.map((_, i) => (i === axis ? k : 0))
  const limit = x.shape.map((d, i) => (i === axis ? k + 1 : d))
  return reshape(
    slice(x, start, limit),
    x.shape.filter((_, i) => i !== axis)
  )
}

/** The per-device results as sharded Arrays along their out axes (else stacked on the default device). */
const gather = <R>(outs: ReadonlyArray<unknown>, outAxes: OutAxes, devs: ReadonlyArray<Device>): R => {
  const flat = outs.map((o) => flatten(o))
  const def = flat[0]![1]
  const home = defaultDevice()
  const tree = unflatten(def, flat[0]![0])
  const perOut = isAxis(outAxes) ? flat[0]![0].map(() => outAxes) : (broadcastPrefix(outAxes, tree) as (number | null)[])
  const stacked = flat[0]![0].map((_, i) => {
    const a = perOut[i]
    if (a === null || a === undefined) {
      // Replicated: device 0's value, each device keeping its own for the next pmap (replicas.ts).
      const x = transfer(flat[0]![0][i] as ArrayImpl, home, false)
      rememberReplicas(
        x,
        flat.map(([ls]) => ls[i] as ArrayImpl)
      )
      return x
    }
    return (
      shardedResult(
        flat.map(([ls]) => ls[i]),
        devs,
        a
      ) ??
      stack(
        flat.map(([ls]) => transfer(ls[i] as ArrayImpl, home, false)),
        a
      )
    )
  })
  return unflatten(def, stacked) as R
}
