/**
 * A pmap whose program communicates, run across CPU devices: the per-device program is staged
 * once with the axis bound to the staging trace, so its collectives stay in it as equations (not
 * batched away); every device compiles it, and its collectives run as the backend's routines over
 * a shared-memory communicator (communicator.ts). The shards run concurrently: worker devices get
 * their commands first, then the calling thread's device runs its shard, meeting the workers at
 * each collective's barrier.
 */
import { Array, ArrayImpl, type ShapedArray } from "../array.js"
import type { Device } from "../devices/device.js"
import { hostDevice, withDefaultDevice } from "../devices/registry.js"
import { transfer } from "../devices/transfer.js"
import { itemsize } from "../dtype.js"
import { ValueError } from "../errors.js"
import { ClosedJaxpr, Jaxpr } from "../ir.js"
import { traceToJaxpr } from "../interpreters/stage.js"
import { callJit, hoistConsts } from "../primitives/call.js"
import { constant } from "../primitives/common.js"
import { currentDynamicMain, Tracer } from "../trace.js"
import { flatten, type TreeDef, unflatten } from "../tree.js"
import { withAxisFrame } from "./axis-env.js"
import { fusePsums } from "./fuse-psums.js"
import { replicaOn } from "./replicas.js"
import { abortCommunicator, type Communicator, isAborted, makeCommunicator, withMembers } from "./communicator.js"

/** A staged per-device program and what running it needs. */
export interface DeviceProgram {
  readonly jaxpr: Jaxpr
  readonly consts: ReadonlyArray<Array>
  readonly outDef: TreeDef
  /** The largest operand of a collective in it, in bytes (a communicator slot's size). */
  readonly slotBytes: number
}

const outLeaf = (x: unknown): Array => {
  if (x instanceof Array) return x
  if (typeof x === "number") return constant(x, Number.isInteger(x) ? "int32" : "float32", [], true)
  throw new ValueError(`pmap: the function returned a ${typeof x} leaf; return Arrays or numbers (or pytrees of them).`)
}

/** One named axis of a per-device program: its name and size. */
export interface ProgramAxis {
  readonly name: string
  readonly size: number
}

/** Stage `f` for one member of the named axes, on arguments with these avals. */
export const traceDeviceProgram = (
  f: (leaves: ReadonlyArray<Array>) => unknown,
  avals: ReadonlyArray<ShapedArray>,
  axes: ReadonlyArray<ProgramAxis>
): DeviceProgram => {
  // The named axes bound to the staging trace of `xs`.
  const withAxes = <A>(xs: ReadonlyArray<Array>, body: () => A): A => {
    const main = xs[0] instanceof Tracer ? xs[0].trace.main : currentDynamicMain()!
    const bindFrom = (i: number): A => (i < axes.length ? withAxisFrame({ name: axes[i]!.name, size: axes[i]!.size, main }, () => bindFrom(i + 1)) : body())
    return bindFrom(0)
  }
  const [staged, outDef] = traceToJaxpr(avals, (xs) =>
    withAxes(xs, (): [Array[], TreeDef] => {
      const [leaves, def] = flatten(f(xs))
      return [leaves.map(outLeaf), def]
    })
  )
  const closed = fusePsums(staged, withAxes)
  const { jaxpr, consts } = hoistConsts(closed.jaxpr, closed.consts)
  return { jaxpr, consts, outDef, slotBytes: collectiveBytes(jaxpr, new Set()) }
}

/** The most bytes a collective in the program (or its sub-programs) publishes per member. */
const collectiveBytes = (jaxpr: Jaxpr, seen: Set<Jaxpr>): number => {
  if (seen.has(jaxpr)) return 0
  seen.add(jaxpr)
  let most = 0
  const visit = (v: unknown): void => {
    if (v instanceof Jaxpr) most = Math.max(most, collectiveBytes(v, seen))
    else if (v instanceof ClosedJaxpr) most = Math.max(most, collectiveBytes(v.jaxpr, seen))
    else if (globalThis.Array.isArray(v)) v.forEach(visit)
    else if (typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype) Object.values(v).forEach(visit)
  }
  for (const e of jaxpr.eqns) {
    // (all its operands together, each 8-byte aligned: ragged_all_to_all sends its offsets with its rows;
    // at least 4 bytes an element: the CPU runs 8- and 16-bit programs widened to 32 bits)
    if (e.primitive.axisNames !== undefined)
      most = Math.max(
        most,
        e.inputs.reduce((b, a) => b + Math.ceil((a.aval.size * Math.max(4, itemsize(a.aval.dtype))) / 8) * 8, 0)
      )
    visit(e.params)
  }
  return most
}

/** Whether these devices can run a communicating program (CPU devices share memory; a single device of any platform is the only member of its axes). */
export const canCommunicate = (devs: ReadonlyArray<Device>): boolean =>
  typeof SharedArrayBuffer === "function" && (devs.every((d) => d.platform === "cpu") || devs.length === 1) && new Set(devs).size === devs.length

// One communicator per group of devices, replaced when a program needs larger slots or one failed.
const communicators = new Map<string, Communicator>()
const communicatorFor = (devs: ReadonlyArray<Device>, bytes: number): Communicator => {
  const key = devs.map((d) => d.id).join(",")
  let c = communicators.get(key)
  if (c === undefined || c.slotBytes < bytes || isAborted(c)) {
    c = makeCommunicator(devs.length, Math.max(bytes, c?.slotBytes ?? 0))
    communicators.set(key, c)
  }
  return c
}

let runs = 0
/** How many pmap calls have run a per-device program with collectives across devices (for tests). */
export const deviceProgramRuns = (): number => runs

/** A device's place in one named axis: the devices along the axis (in member order) and its index. */
export interface AxisGroup {
  readonly axisName: string
  readonly group: ReadonlyArray<Device>
  readonly rank: number
}

/**
 * Run the program on `devs` (program k on devs[k], with `shard(k)` as its arguments, moved to its
 * device, as a member of the named axes `groups(k)`). Returns each program's outputs as a pytree,
 * on its device.
 */
/**
 * The order to launch per-device work in: devices that run asynchronously (workers) first, the
 * calling thread's device last, so the workers run while it computes its own part.
 */
export const launchOrder = (devs: ReadonlyArray<Device>): number[] => {
  const host = hostDevice()
  return devs.map((_, k) => k).sort((a, b) => Number(devs[a] === host) - Number(devs[b] === host))
}

// The program's captured constants on each device, moved there once.
const constsByDevice = new WeakMap<DeviceProgram, Map<Device, ReadonlyArray<Array>>>()
const constsOn = (prog: DeviceProgram, dev: Device): ReadonlyArray<Array> => {
  let m = constsByDevice.get(prog)
  if (m === undefined) constsByDevice.set(prog, (m = new Map()))
  let cs = m.get(dev)
  if (cs === undefined) m.set(dev, (cs = prog.consts.map((x) => transfer(x as ArrayImpl, dev, true))))
  return cs
}

export const runOnDevices = (
  prog: DeviceProgram,
  name: string,
  devs: ReadonlyArray<Device>,
  groups: (k: number) => ReadonlyArray<AxisGroup>,
  shard: (k: number) => ReadonlyArray<Array>
): unknown[] => {
  runs++
  const members = devs.map((_, k) => groups(k).map((g) => ({ axisName: g.axisName, rank: g.rank, comm: communicatorFor(g.group, prog.slotBytes) })))
  // The calling thread's device blocks at the barriers.
  const order = launchOrder(devs)
  const outs = new globalThis.Array<unknown>(devs.length)
  // Every member's inputs before any member starts: a member waiting at a barrier would block
  // the device that still has to produce another member's inputs.
  const inputs = devs.map((dev, k) => [...constsOn(prog, dev), ...shard(k).map((x) => replicaOn(x as ArrayImpl, dev) ?? transfer(x as ArrayImpl, dev, true))])
  try {
    for (const k of order) {
      const dev = devs[k]!
      const ins = inputs[k]!
      const res = withDefaultDevice(dev, () => withMembers(members[k]!, () => callJit(prog.jaxpr, name, ins)))
      outs[k] = unflatten(prog.outDef, res)
    }
  } catch (e) {
    // Members already started must not wait for this one.
    for (const ms of members) for (const m of ms) abortCommunicator(m.comm)
    throw e
  }
  return outs
}
