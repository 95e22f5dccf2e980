/**
 * The per-device values of a replicated pmap output (`outAxes: null`). pmap returns device 0's
 * value, and remembers every device's own: a later pmap that takes that Array unmapped (replicated
 * parameters in a data-parallel training loop) finds each device's copy already there, so neither
 * the gather nor the next call copies it. Each device keeps its own value, as JAX's replicated
 * outputs do (pmap does not check that the devices agree; collectives such as pmean make them
 * bit-identical).
 */
import type { ArrayImpl } from "../array.js"
import type { Device } from "../devices/device.js"

const replicas = new WeakMap<ArrayImpl, ReadonlyMap<Device, ArrayImpl>>()

/** Remember `perDevice` (one array per device, `x`'s value on each) as the replicas of `x`. */
export const rememberReplicas = (x: ArrayImpl, perDevice: ReadonlyArray<ArrayImpl>): void => {
  replicas.set(x, new Map(perDevice.map((r) => [r.device, r])))
}

/** `x`'s replica on `dev`, if a pmap left one there (and neither it nor `x` was deleted). */
export const replicaOn = (x: ArrayImpl, dev: Device): ArrayImpl | undefined => {
  const r = replicas.get(x)?.get(dev)
  return r === undefined || r.isDeleted() || x.isDeleted() ? undefined : r
}
