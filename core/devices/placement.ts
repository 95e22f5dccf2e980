/**
 * JAX's placement rule for a computation (an eager operation or a jit program): it runs on the
 * device of its committed inputs (arrays placed with `devicePut`; two committed devices is a
 * DeviceError), else on the default device; uncommitted inputs move there, and the results are
 * committed when an input was.
 */
import { type Array, ArrayImpl } from "../array.js"
import { DeviceError } from "../errors.js"
import type { Device } from "./device.js"
import { defaultDevice } from "./registry.js"
import { transfer } from "./transfer.js"

export interface Placement {
  readonly device: Device
  readonly committed: boolean
  /** The inputs, each on `device`. */
  readonly inputs: ReadonlyArray<ArrayImpl>
}

/**
 * Where `what` (a primitive or program name) runs on `args`. `notConcrete(i)` makes the error for
 * an argument that is not a concrete array (a tracer that escaped its transformation).
 */
export const place = (what: string, args: ReadonlyArray<Array>, notConcrete: (x: Array) => Error): Placement => {
  const n = args.length
  let device: Device | undefined
  let committed = false
  for (let i = 0; i < n; i++) {
    const a = args[i]!
    if (!(a instanceof ArrayImpl)) throw notConcrete(a)
    if (a.committed) {
      if (committed && a.device !== device) throw mixedDevices(what, device!, a.device)
      committed = true
      device = a.device
    }
  }
  if (!committed) device = defaultDevice()
  const dev = device!
  const ins = args as ReadonlyArray<ArrayImpl>
  for (let i = 0; i < n; i++) {
    if (ins[i]!.device !== dev) return { device: dev, committed, inputs: ins.map((a) => (a.device === dev ? a : transfer(a, dev, false))) }
  }
  return { device: dev, committed, inputs: ins }
}

const mixedDevices = (what: string, a: Device, b: Device): DeviceError =>
  new DeviceError(
    `${what}: its inputs are committed to different devices, ${a.toString()} and ${b.toString()}; move one with ` +
      "devicePut(x, device) so both are on one device (arrays placed with devicePut stay where they were put)."
  )
